"""The batch job's stages, in order, each leaving its output complete before the next starts
(but featurize, when asked to run beside the store stage, see 2):

1. ``read``: the input files through the ingest readers (:mod:`.reading`), on the executors;
2. ``featurize``: every stage's ``featurize`` in ``mapInPandas`` (:mod:`.features`), a chunk of
   ``batch.chunk_articles`` at a time in ingest order (:mod:`.chunks`); with
   ``batch.featurize_ahead`` (off by default, and never with pair checks or near-duplicates),
   on a thread beside the store stage, which stores each chunk once it is featurized;
3. ``keys``: the band keys two articles or more share, found in Spark (:mod:`.postings`), for a
   job into an empty store (their progress is reported with the store's);
4. ``pairs`` (with ``batch.pair_checks``): candidate passage pairs checked on the executors with
   the reuse stage's own check (:mod:`.pairs`), for a job into an empty store (reported with the
   store's too);
   ``near_duplicates`` (with ``batch.near_duplicates``): every article's near-duplicate original
   found on the executors (:mod:`.near_duplicates`), written as ``OUT/near_duplicates.parquet``,
   for a job into an empty store (reported with the store's too);
5. ``store``: resolve and write in ingest order on the driver (:mod:`.resolve`), the features
   read by the driver from the files featurize wrote in ingest order (:mod:`.ordered`; written
   again in that order with the pairs' verdicts, where the executors checked pairs),
   band key lookups answered from memory, pair checks and near-duplicate verdicts from the
   executors' (:mod:`.reuse_index`);
6. ``statements`` (asked for with ``batch.statements``): every article's statements, parsed on
   the executors and stored in ingest order (:mod:`.statements`);
7. ``compact`` (``batch.compact``, on by default): the store compacted as ``storyline compact``
   does it (:meth:`Store.compact`, leaving a stream's room), so that streaming goes on into a
   store laid out as a compacted one; one it cannot compact is left as written, and said so;
8. ``tables``: the Parquet tables in the export's shape (:mod:`.output`).

``read``, ``featurize``, ``keys``, ``pairs`` and ``near_duplicates`` write Parquet (under
``OUT/_work``, but the last: it is a table of the output); a stage whose output is complete is
not run again when the job is run again with the same inputs and settings (the work folder
records both and refuses another job's), featurize goes on from its last complete chunk, and
``store`` goes on after its last committed batch; ``compact`` runs again only where a run wrote
to the store since it last completed (``OUT/_work/compact.json``). Once ``store`` is complete, the folders only
it reads (``features``, ``keys``, ``pairs``: most of the job's disk) are removed, unless
``batch.keep_work``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreError, StoreReadOnly
from ..ingest import ReadOptions
from ..ingest.sources import Input, expand
from ..pipeline.runner import Runner
from ..queries import Queries
from ..records import Rejection, Skipped, SourceRef
from ..settings import Settings
from ..store import Store, cannot_create, unwritable
from ..store.compact_room import compact_shortfalls
from .chunks import ChunkFeaturizer, chunk_done, chunk_starts
from .features import FEATURES_VERSION
from .manifest import JobManifest
from .near_duplicates import near_duplicates
from .ordered import read_ordered, remove, write_ordered
from .output import write_tables
from .pairs import checked_pairs
from .postings import KeyPostings, read_shared, shared_keys, shared_passage_keys
from .progress import Progress, StoreProgress, stage_progress, still_running
from .reading import read_frame
from .resolve import RESUME_KEY, AlreadyStored, FeatureRow, load, stored_through, written_alone
from .reuse_index import refill
from .session import SPARK_LOG, BatchError, from_spark, spark_failure, spark_log, start_session
from .statements import analyse

# The folders under ``OUT/_work`` that only the store stage reads (``BatchSettings.keep_work``).
STORE_INPUTS = ("features", "keys", "pairs")

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession



@dataclass(slots=True)
class BatchReport:
    """What a batch job did: counts, every rejection with its reason, each stage's seconds
    (``None`` for a stage a previous run had completed)."""

    db: Path
    out: Path
    inputs: int = 0
    read: int = 0
    added: int = 0
    copies: int = 0  # of the added, copies of a stored text (kept: syndication is evidence)
    warnings: int = 0
    duplicates: list[AlreadyStored] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    analysed: int = 0  # articles whose statements the statements stage stored
    analysis_failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    tables: dict[str, int] = field(default_factory=dict)
    stages: dict[str, float | None] = field(default_factory=dict)
    # band key lookups of the store stage: answered from memory, or by the store (a job into a
    # store that already held articles, a resumed one included; another writer meanwhile)
    lookups: dict[str, int] = field(default_factory=dict)
    # passage pair checks of the store stage: answered with the verdicts of the executors, or made
    # on the driver (a pair they did not check; every pair, where the pairs stage did not run)
    checks: dict[str, int] = field(default_factory=dict)
    # near-duplicate verdicts of the store stage: the executors', or looked up on the driver
    originals: dict[str, int] = field(default_factory=dict)
    # the rounds the near-duplicate stage's fixpoints took (see storyline.batch.near_duplicates.Rounds)
    rounds: dict[str, object] = field(default_factory=dict)
    # what the compact stage did (storyline.store.Compacted's fields), or {"failed": why} where the
    # store could not be compacted (left as written); empty with batch.compact off
    compacted: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def as_dict(self) -> dict[str, object]:
        return {"db": str(self.db), "out": str(self.out), "inputs": self.inputs, "read": self.read,
                "added": self.added, "copies": self.copies, "duplicates": len(self.duplicates), "rejected": len(self.rejected),
                "warnings": self.warnings, "skipped": len(self.skipped), "analysed": self.analysed,
                "analysis_failed": len(self.analysis_failed), "tables": self.tables,
                "stages": self.stages, "lookups": self.lookups, "checks": self.checks, "originals": self.originals,
                "rounds": self.rounds, "compacted": self.compacted}


def _same_job(out: Path, manifest: Path, this: JobManifest) -> None:
    """Refuse a work folder another job made, saying what differs."""
    try:
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        job = saved["job"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BatchError(f"{manifest} cannot be read ({exc}): delete {out} to start again") from None
    if job == this.job:
        return
    before = JobManifest.from_json(saved)
    if before is None:
        why = (" (other inputs or settings, or another storyline's features; it was begun by a storyline that "
               "did not record which)")
    else:  # the same parts under another digest: a storyline that digests them otherwise
        why = ": " + ("; ".join(this.differences(before)) or "its parts are these, digested by another storyline")
    raise BatchError(f"{out} holds the output of another job{why}. Use another --out, or delete it to start again")


def _inputs(specs: Iterable[str | Path], report: BatchReport) -> list[str]:
    locations: list[str] = []
    for item in expand(specs):
        if isinstance(item, Input):
            if item.kind == "file":
                locations.append(item.location)
            else:
                report.rejected.append(Rejection(SourceRef(item.name), "storyline batch reads files (local or on a "
                                                 "filesystem every Spark task reaches); ingest streams and URLs "
                                                 "with storyline ingest"))
        elif isinstance(item, Rejection):
            report.rejected.append(item)
        else:
            report.skipped.append(item)
    return locations


def run_batch(specs: Iterable[str | Path], out: str | Path, db: str | Path | None = None,
              settings: Settings | None = None, options: ReadOptions | None = None,
              spark: SparkSession | None = None, progress: Progress | None = None) -> BatchReport:
    """Run every stage over ``specs`` (files, folders, globs): the store at ``db`` (default
    ``OUT/storyline.db``) and the Parquet tables in ``out``. See the module's docstring. A stage
    that Spark fails (a full disk, a lost executor) ends the job with a :class:`BatchError`
    naming the stage and the reason in a line; run again, the job goes on."""
    heard = ["read"]  # the stage last heard from, which a Spark failure is said to be in

    def say(stage: str, message: str) -> None:
        heard[0] = stage
        if progress is not None:
            progress(stage, message)

    try:
        return _run_batch(specs, out, db, settings, options, spark, say)
    except Exception as exc:
        if not from_spark(exc):
            raise
        raise spark_failure(heard[0], exc, out, spark_log()) from exc


def _run_batch(specs: Iterable[str | Path], out: str | Path, db: str | Path | None,
               settings: Settings | None, options: ReadOptions | None, spark: SparkSession | None,
               progress: Progress) -> BatchReport:
    settings = settings or Settings()
    options = options or ReadOptions()
    out = Path(out)
    db_path = Path(db) if db is not None else out / "storyline.db"
    report = BatchReport(db=db_path, out=out)
    say = _one_at_a_time(progress)
    locations = _inputs(specs, report)
    report.inputs = len(locations)
    work = out / "_work"
    this = JobManifest.of(locations, settings, options, FEATURES_VERSION)
    job = this.job
    manifest = work / "job.json"
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out} is a file: --out takes a folder for the tables (made when missing)")
    if manifest.exists():
        _same_job(out, manifest, this)
    # The store is written last, after hours of Spark stages: one it cannot write is refused first.
    if db_path.exists() and (why := unwritable(db_path)) is not None:
        raise StoreReadOnly(db_path, why)
    if not db_path.exists() and db_path.parent.is_dir() and (why := cannot_create(db_path)) is not None:
        raise BatchError(f"{db_path}: cannot create the store: {why}")
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder on the way should be, a folder it may not write in
        raise BatchError(f"cannot make the folder {work}: {exc.strerror or exc}") from None
    manifest.write_text(json.dumps(this.as_json()), encoding="utf-8")
    spark = spark or start_session(settings.batch, (work / SPARK_LOG).resolve())
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(settings.batch.featurize_batch))

    read_dir, features_dir = work / "read", work / "features"
    started = time.perf_counter()
    if (read_dir / "_SUCCESS").exists():
        report.stages["read"] = None
    else:
        say("read", f"reading {len(locations)} input files")
        with stage_progress(spark, "read", say, settings.batch.progress_s):
            read_frame(spark, locations, settings.ingest, options).write.mode("overwrite").parquet(str(read_dir))
        report.stages["read"] = round(time.perf_counter() - started, 2)
    read = spark.read.parquet(str(read_dir))
    kinds = {row["kind"]: row["count"] for row in read.groupBy("kind").count().collect()}
    report.read, report.warnings = kinds.get("article", 0), kinds.get("warning", 0)
    for row in read.where("kind IN ('rejected', 'skipped')").orderBy("order").collect():
        origin = SourceRef(row["location"], row["line"])
        (report.rejected.append(Rejection(origin, row["reason"])) if row["kind"] == "rejected"
         else report.skipped.append(Skipped(origin, row["reason"])))
    say("read", f"{report.read:,} articles, {kinds.get('rejected', 0):,} rejected, {report.warnings:,} warnings"
                + ("" if report.stages["read"] is None else f" in {report.stages['read']} s") + _resumed(report, "read"))

    store_done = work / "store.json"
    featurized = features_dir / "_SUCCESS"
    # (a store stage complete needs no features: the stages that read them ran before it)
    needed = not featurized.exists() and not store_done.exists()
    starts = chunk_starts(spark, read, settings.batch.chunk_articles, work) if needed else []
    # Pair checks and near-duplicates on the executors read every article's features first.
    ahead = (needed and settings.batch.featurize_ahead and not settings.batch.pair_checks
             and not settings.batch.near_duplicates)
    parallelism = spark.sparkContext.defaultParallelism
    every_core = settings.batch.partitions or 3 * parallelism
    # Beside the store stage, a local job's chunks leave the driver a core (featurize costs about
    # half what the store stage does an article, so one core keeps ahead of it).
    beside = settings.batch.partitions or (max(1, parallelism - 1) if (spark.sparkContext.master or "").startswith("local")
                                           else 3 * parallelism)
    if not needed:
        report.stages["featurize"] = None
        say("featurize", "done" + _resumed(report, "featurize"))
    elif not ahead:
        started = time.perf_counter()
        featurizer = ChunkFeaturizer(spark, read, settings, starts, features_dir, (every_core, every_core), say)
        say("featurize", f"{report.read:,} articles in {featurizer.to_do:,} chunks of up to "
                         f"{settings.batch.chunk_articles:,}, {every_core} partitions each")
        featurizer.run()
        features_dir.mkdir(parents=True, exist_ok=True)  # no chunk made it when no input held an article
        featurized.write_text("", encoding="utf-8")
        report.stages["featurize"] = round(time.perf_counter() - started, 2)
        say("featurize", f"done in {report.stages['featurize']} s")

    started = time.perf_counter()
    # every store setting, the band key levels' and the story terms' included (they were left at
    # their defaults here before)
    with Store.from_settings(settings.with_db(db_path)) as store:
        if store_done.exists():
            report.stages["store"] = None
            _restore(report, json.loads(store_done.read_text(encoding="utf-8")))
        else:
            # Lookups from memory need a store holding only what this job writes into it: an empty
            # one, or one this job alone wrote before it was stopped (its postings made again).
            empty = store.count_articles() == 0
            alone = not empty and written_alone(store, RESUME_KEY + job)
            # (featurized ahead, the features are not all there yet: the store answers the lookups)
            # (no input held an article: no features to read, nothing to store)
            articles = report.read > 0
            postings = (_postings(spark, features_dir, work / "keys", settings, report, say)
                        if (empty or alone) and not ahead and articles else None)
            if alone and postings is not None:
                refilled = time.perf_counter()
                held = refill(postings, store.reuse_index())
                say("store", f"the band key postings made again from the {held:,} band key rows the store holds, "
                             f"in {time.perf_counter() - refilled:.1f} s")
            columns = ("order", "location", "line", "article", "features", "failure")
            pairs = (_pairs(spark, features_dir, work / "keys" / "passages", work / "pairs", settings, report, say)
                     if empty and settings.batch.pair_checks and articles else None)
            originals = (_near_duplicates(spark, features_dir, out / "near_duplicates.parquet", settings, report, say)
                         if empty and settings.batch.near_duplicates and articles else None)
            say("store", f"resolving in ingest order into {db_path}")
            started = time.perf_counter()  # the driver's own part: keys and pairs have their times
            after = stored_through(store, RESUME_KEY + job)
            ordered = work / "ordered"
            rows: Iterable[FeatureRow]
            chunks: ChunkFeaturizer | None = None
            if not articles:
                rows = iter(())
            elif ahead:  # each chunk as it is featurized, on a thread beside this stage
                chunks = ChunkFeaturizer(spark, read, settings, starts, features_dir, (every_core, beside), say, after)
                say("featurize", f"{report.read:,} articles in {chunks.to_do:,} chunks of up to "
                                 f"{settings.batch.chunk_articles:,}, beside the store stage: {every_core} partitions "
                                 f"for the first, {beside} for each after it")
                chunks.start()
                rows = ((*row, None) for row in chunks.rows(columns))
            elif pairs is not None:  # the features with their pairs' verdicts, written again in order
                features = spark.read.parquet(str(features_dir)).select(*columns).join(pairs, "order", "left")
                write_ordered(features, ordered, settings.batch.partitions or 3 * spark.sparkContext.defaultParallelism)
                rows = read_ordered(ordered, (*columns, "pairs"), after)
            else:  # featurize wrote them in ingest order
                rows = ((*row, None) for row in read_ordered(features_dir, columns, after))
            runner = Runner(settings, workers=1)
            # What earlier runs of this job stored counts towards what was read; a store that held
            # other articles before the job began is not asked what of it is the job's.
            stored = StoreProgress(store.count_articles() if empty or alone else 0, report.read)
            try:
                loaded = load(rows, store, runner, job, settings.batch.write_batch,
                              lambda added: say("store", stored.line(added)), postings, originals)
            finally:
                runner.close()
                if chunks is not None:
                    chunks.close()
            if chunks is not None:
                report.stages["featurize"] = chunks.seconds
                if all(chunk_done(features_dir, k) for k in range(len(starts))):
                    featurized.write_text("", encoding="utf-8")
                say("featurize", "done" + ("" if chunks.seconds is None else
                                           f" in {chunks.seconds} s, beside the store stage"))
            report.lookups = {"memory": loaded.lookups.memory, "store": loaded.lookups.store}
            report.checks = {"executors": loaded.checks.executors, "driver": loaded.checks.driver}
            report.originals = {"executors": loaded.originals.executors, "driver": loaded.originals.driver}
            report.added = loaded.added
            report.copies = loaded.copies
            report.duplicates.extend(loaded.duplicates)
            report.rejected.extend(loaded.rejected)
            report.stages["store"] = round(time.perf_counter() - started, 2)
            store_done.write_text(json.dumps(_saved(report, loaded.rejected)), encoding="utf-8")
            remove(ordered)  # a copy of the features, needed by this stage alone
            # The stage's own inputs go now, the band key postings above all (the driver's peak
            # rose 1.35 GB at a million articles as the keys stage read them): the stages after
            # it read the store.
            del postings, originals, rows, pairs
        copies = f" ({report.copies:,} copies of stored text)" if report.copies else ""
        lookups = (f"; band key lookups: {report.lookups['memory']:,} from memory, {report.lookups['store']:,} "
                   "by the store") if report.lookups else ""
        if report.checks:
            lookups += (f"; pair checks: {report.checks['executors']:,} from the executors, "
                        f"{report.checks['driver']:,} on the driver")
        if report.originals.get("executors"):
            lookups += (f"; near-duplicate verdicts: {report.originals['executors']:,} from the executors, "
                        f"{report.originals['driver']:,} looked up")
        say("store", f"{report.added:,} stored{copies}, {len(report.duplicates):,} already present"
            + ("" if report.stages["store"] is None else f" in {report.stages['store']} s") + lookups
            + _resumed(report, "store"))
        if not settings.batch.keep_work:
            _remove_store_inputs(work, say)

        if settings.batch.statements:
            started = time.perf_counter()
            partitions = settings.batch.partitions or 3 * spark.sparkContext.defaultParallelism
            runner = Runner(settings, workers=1)
            analysed = analyse(spark, store, runner, settings, partitions, settings.batch.statements_chunk,
                               lambda done, total: say("statements", f"{done:,} of {total:,} articles analysed"))
            runner.close()
            report.analysed, report.analysis_failed = analysed.analysed, analysed.failed
            report.stages["statements"] = round(time.perf_counter() - started, 2)
            failed = f", {len(analysed.failed):,} failed (not analysed: tried again on demand)" if analysed.failed else ""
            say("statements", f"{analysed.analysed:,} articles analysed{failed} in {report.stages['statements']} s")

        if settings.batch.compact:
            # a run that stored articles or statements leaves pages a compaction has not laid out
            wrote = report.stages["store"] is not None or report.analysed > 0
            _compact(store, work / "compact.json", wrote, settings.batch.progress_s, report, say)

        done = out / "_SUCCESS"
        started = time.perf_counter()
        written = json.loads(done.read_text(encoding="utf-8"))["tables"] if done.exists() else {}
        if done.exists() and (not settings.batch.statements or "statements" in written) and not report.analysed:
            report.stages["tables"] = None
            report.tables = written
        else:
            # (minutes at a million articles: said when it begins, and while it runs)
            say("tables", f"writing the tables from the store into {out}")
            with still_running("tables", say, settings.batch.progress_s, "writing the tables"):
                report.tables = write_tables(Queries(store, settings), out, statements=settings.batch.statements)
            report.stages["tables"] = round(time.perf_counter() - started, 2)
            if (out / "near_duplicates.parquet" / "_SUCCESS").exists():  # written by its stage, before the store
                import pyarrow.parquet as pq

                report.tables["near_duplicates"] = pq.read_table(str(out / "near_duplicates.parquet"),
                                                                 columns=["order"]).num_rows
        _write_jsonl(out / "rejects.jsonl", ({"location": r.origin.location, "line": r.origin.line, "reason": r.reason}
                                             for r in report.rejected))
        _write_jsonl(out / "duplicates.jsonl", ({"location": d.origin.location, "line": d.origin.line, "id": d.article_id,
                                                 "existing_id": d.existing_id, "reason": d.reason,
                                                 "other_text": d.other_text}
                                                for d in report.duplicates))
        done.write_text(json.dumps({"tables": report.tables}), encoding="utf-8")
        say("tables", ", ".join(f"{n:,} {name}" for name, n in report.tables.items()) + f" in {out}"
            + _resumed(report, "tables"))
    return report


def _postings(spark: SparkSession, features_dir: Path, folder: Path, settings: Settings, report: BatchReport,
              say: Progress) -> tuple[KeyPostings, KeyPostings]:
    """The passage and the article band keys the job's articles share (found by Spark, kept in
    ``folder``), as empty postings capped as the store's lookups read."""
    passages, articles = folder / "passages", folder / "articles"
    started = time.perf_counter()
    with_rows = settings.batch.pair_checks > 0  # the pairs stage reads each shared key's rows
    if ((passages / "_SUCCESS").exists() and (articles / "_SUCCESS").exists()
            and (not with_rows or "orders" in spark.read.parquet(str(passages)).columns)):
        report.stages["keys"] = None
    else:
        say("keys", "finding the band keys two articles or more share")
        features = spark.read.parquet(str(features_dir))
        with stage_progress(spark, "keys", say, settings.batch.progress_s):
            (shared_passage_keys(features) if with_rows else shared_keys(features, "passage_keys", narrow=True)) \
                .write.mode("overwrite").parquet(str(passages))
            shared_keys(features, "article_keys").write.mode("overwrite").parquet(str(articles))
        report.stages["keys"] = round(time.perf_counter() - started, 2)
    out = (read_shared(passages, settings.reuse.passage_postings, narrow=True),
           read_shared(articles, settings.reuse.max_candidates))
    say("keys", f"{len(out[0]):,} passage and {len(out[1]):,} article band keys shared by two articles or more"
        + ("" if report.stages["keys"] is None else f", found in {report.stages['keys']} s"))
    return out


def _pairs(spark: SparkSession, features_dir: Path, shared: Path, folder: Path, settings: Settings,
           report: BatchReport, say: Progress) -> DataFrame:
    """The job's candidate passage pairs (from the ``shared`` passage keys the keys stage wrote),
    checked on the executors (kept in ``folder``): each article's verdicts, by ingest order."""
    started = time.perf_counter()
    if (folder / "_SUCCESS").exists():
        report.stages["pairs"] = None
    else:
        say("pairs", "checking candidate passage pairs on the executors")
        with stage_progress(spark, "pairs", say, settings.batch.progress_s):
            checked_pairs(spark.read.parquet(str(features_dir)), spark.read.parquet(str(shared)), settings) \
                .write.mode("overwrite").parquet(str(folder))
        report.stages["pairs"] = round(time.perf_counter() - started, 2)
    pairs = spark.read.parquet(str(folder))
    say("pairs", "passage pairs checked on the executors"
        + ("" if report.stages["pairs"] is None else f" in {report.stages['pairs']} s"))
    return pairs


def _near_duplicates(spark: SparkSession, features_dir: Path, table: Path, settings: Settings, report: BatchReport,
                     say: Progress) -> dict[int, tuple[str, float]]:
    """Every copy among the job's articles with its original and similarity, found on the
    executors and written as the ``table`` (``near_duplicates.parquet``); read back by ingest order."""
    import pyarrow.parquet as pq

    started = time.perf_counter()
    if (table / "_SUCCESS").exists():
        report.stages["near_duplicates"] = None
    else:
        say("near_duplicates", "finding every article's original on the executors")
        with stage_progress(spark, "near_duplicates", say, settings.batch.progress_s):
            found, rounds = near_duplicates(spark.read.parquet(str(features_dir)), settings)
            found.orderBy("order").write.mode("overwrite").parquet(str(table))
        report.stages["near_duplicates"] = round(time.perf_counter() - started, 2)
        report.rounds = rounds.as_dict()
    copies = pq.read_table(str(table), columns=["order", "duplicate_of", "similarity"]).to_pydict()
    say("near_duplicates", f"{len(copies['order']):,} near-duplicates found on the executors"
        + ("" if report.stages["near_duplicates"] is None else
           f" in {report.stages['near_duplicates']} s ({report.rounds['components']} rounds of components, "
           f"{report.rounds['originals']} of originals)"))
    return dict(zip(copies["order"], zip(copies["duplicate_of"], copies["similarity"])))


def _compact(store: Store, done: Path, wrote: bool, every: float, report: BatchReport, say: Progress) -> None:
    """The compact stage: the store compacted with a stream's room (see :meth:`Store.compact`),
    what it did kept in ``done``; not again unless this run ``wrote`` to the store. A store that
    cannot be compacted (another process has it open, a full disk) is as it was: said, and the
    job goes on."""
    if done.exists() and not wrote:
        try:
            report.compacted = json.loads(done.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # (unreadable: compacted again, below)
            pass
        else:
            report.stages["compact"] = None
            say("compact", "done" + _resumed(report, "compact"))
            return
    done.unlink(missing_ok=True)  # what an earlier run compacted is not this store any more
    size = store.file_bytes()
    say("compact", f"compacting {store.path} ({size / 1e6:,.1f} MB; this needs the store alone and up to "
                   f"{2 * size / 1e6:,.1f} MB of free disk; --no-compact leaves a store as written)")
    for short in compact_shortfalls(store.path, size):
        say("compact", f"only {short.free / 1e6:,.1f} MB free on the disk of {short.folder}, where it may write up to "
                       f"{short.needed / 1e6:,.1f} MB ({short.what}); if it runs out, the store is left as written")
    started = time.perf_counter()
    try:
        with still_running("compact", say, every, "compacting"):
            compacted = store.compact(room=True)
    except StoreError as exc:
        report.stages["compact"] = round(time.perf_counter() - started, 2)
        report.compacted = {"failed": str(exc)}
        say("compact", f"not compacted, the store is complete as written ({exc}); `storyline compact --db "
                       f"{store.path}` compacts it")
        return
    report.stages["compact"] = round(compacted.seconds, 2)
    report.compacted = {**asdict(compacted), "seconds": round(compacted.seconds, 2)}
    done.write_text(json.dumps(report.compacted), encoding="utf-8")
    dropped = (f", {compacted.band_rows_dropped:,} band key rows no lookup reads dropped"
               if compacted.band_rows_dropped else "")
    say("compact", f"{compacted.before_bytes / 1e6:,.1f} MB → {compacted.after_bytes / 1e6:,.1f} MB in "
                   f"{compacted.seconds:.1f} s{dropped}")


def _remove_store_inputs(work: Path, say: Progress) -> None:
    """What only the store stage reads (the featurized articles, the band keys, the checked
    pairs), once it is complete: see ``BatchSettings.keep_work``. A job stopped while removing
    them removes the rest when run again."""
    folders = [work / name for name in STORE_INPUTS if (work / name).exists()]
    if not folders:
        return
    size = sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())
    for folder in folders:
        remove(folder)
    left = [folder.name for folder in folders if folder.exists()]
    names = ", ".join(folder.name for folder in folders)
    if left:
        say("store", f"could not remove all of {', '.join(left)} under {work} (what only the store stage reads): "
                     "delete them by hand")
    else:
        say("store", f"removed what only the store stage reads, {size / 1e9:,.2f} GB ({names} under {work}); "
                     "batch.keep_work (--keep-work) keeps it")


def _one_at_a_time(progress: Progress) -> Progress:
    """``progress`` called by one thread at a time: featurize's thread says its lines beside the
    store stage's."""
    lock = threading.Lock()

    def say(stage: str, message: str) -> None:
        with lock:
            progress(stage, message)

    return say


def _resumed(report: BatchReport, stage: str) -> str:
    return " (complete from an earlier run)" if report.stages.get(stage, 0) is None else ""


def _saved(report: BatchReport, rejected: list[Rejection]) -> dict[str, object]:
    """What the store stage found, kept so a resumed job reports it again."""
    return {"added": report.added, "copies": report.copies,
            "duplicates": [[d.origin.location, d.origin.line, d.article_id, d.existing_id, d.reason, d.other_text]
                           for d in report.duplicates],
            "rejected": [[r.origin.location, r.origin.line, r.reason] for r in rejected]}


def _restore(report: BatchReport, saved: dict) -> None:
    report.added = saved["added"]
    report.copies = saved.get("copies", 0)  # absent from what a job before copies were kept saved
    # (a job before other_text was recorded saved five fields a duplicate)
    report.duplicates.extend(AlreadyStored(SourceRef(loc, line), aid, eid, reason, *other)
                             for loc, line, aid, eid, reason, *other in saved["duplicates"])
    report.rejected.extend(Rejection(SourceRef(loc, line), reason) for loc, line, reason in saved["rejected"])


def _write_jsonl(path: Path, rows: Iterable[dict[str, object]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
