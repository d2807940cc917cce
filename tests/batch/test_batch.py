"""The batch job against the streaming engine: the same inputs give the same store (duplicate
groups, recycled passages and their first_seen, story assignments, timelines), the Parquet
tables say what the store says, a store the job wrote goes on under streaming ingest as one
streamed throughout, bad records are rejected with their reasons, and a stopped job resumes."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.batch import BatchError, run_batch
from storyline.export import article_record
from storyline.settings import BatchSettings, ReuseSettings, Settings
from tests.conftest import ROOT, SHARED

pq = pytest.importorskip("pyarrow.parquet")

SETTINGS = Settings(batch=BatchSettings(partitions=3, featurize_batch=64, write_batch=40, pair_checks=20,
                                        near_duplicates=True))


def _snapshot(db: Path) -> tuple[list[dict], list[tuple]]:
    """Everything a reader sees, ingest time aside: articles with their verdicts, stories with their
    articles and timelines, and the clusterer's log of assignments, merges and splits."""
    with Storyline(db, upgrade=False) as sl:
        articles = [article_record(a) for a in sl.articles()]
        stories = [(s.id, s.title, tuple(s.article_ids), tuple(json.dumps(e.as_dict()) for e in sl.timeline(s.id)),
                    tuple(json.dumps({k: v for k, v in h.items() if k != "at"}, sort_keys=True)  # "at": wall clock
                          for h in sl.queries.history(s.id)))
                   for s in sl.stories()]
    return articles, stories


def _stream(db: Path, inputs: list[Path], settings: Settings | None = None):
    with Storyline(db, settings or Settings()) as sl:
        return sl.ingest([str(p) for p in inputs])


def _copies(db: Path) -> list[tuple[str, str, float]]:
    """Every copy of a store, with its original and similarity, in ingest order."""
    with Storyline(db, upgrade=False) as sl:
        return [(a.id, a.duplicate_of, a.similarity) for a in sl.articles() if a.duplicate_of is not None]


def _stop_at(stage: str, line: str) -> Callable[[str, str], None]:
    """A progress callback that stops the job, as Ctrl-C would, at its first line of ``stage``
    that begins with ``line``."""

    def stop(at: str, message: str) -> None:
        if at == stage and message.startswith(line):
            raise KeyboardInterrupt

    return stop


def _near_duplicates_table(out: Path) -> list[tuple[str, str, float]]:
    rows = pq.read_table(out / "near_duplicates.parquet").to_pylist()
    assert [r["order"] for r in rows] == sorted(r["order"] for r in rows)
    return [(r["article_id"], r["duplicate_of"], r["similarity"]) for r in rows]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> list[Path]:
    """~300 generated articles (planted copies, recycled background blocks, several dates) in two
    JSONL files and a CSV file, with bad records among them."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    folder = tmp_path_factory.mktemp("archive")
    items = corpus.generate(300, seed=5)
    records = [{"id": it.id, "text": it.text, "title": it.text.split(".")[0][:80],
                "published": corpus.published(i, 60), "source": f"outlet{i % 7}"} for i, it in enumerate(items)]
    first, second = folder / "a.jsonl", folder / "b.jsonl"
    with open(first, "w", encoding="utf-8") as handle:
        for n, record in enumerate(records[:120]):
            handle.write(json.dumps(record) + "\n")
            if n == 10:
                handle.write("{not json\n")
            if n == 20:
                handle.write(json.dumps({"id": "x1", "title": ""}) + "\n")  # no text
            if n == 30:
                handle.write("[1, 2]\n")  # not an object
            if n == 40:
                handle.write(json.dumps(records[3]) + "\n")  # the same article again: already present
    with open(second, "w", encoding="utf-8") as handle:
        for n, record in enumerate(records[120:200]):
            handle.write(json.dumps(record) + "\n")
            if n == 5:  # the same text from another outlet: kept, a copy of the first
                handle.write(json.dumps({**records[5], "id": "wire-5", "source": "wire"}) + "\n")
    third = folder / "c.csv"
    with open(third, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "text", "published", "source"])
        writer.writeheader()
        writer.writerows(records[200:])
    return [first, second, third]


@pytest.fixture(scope="module")
def streamed(tmp_path_factory, archive):
    """The archive streamed throughout by ``storyline ingest``'s engine: the reference."""
    db = tmp_path_factory.mktemp("streamed") / "stream.db"
    return db, _stream(db, archive), _snapshot(db)


def test_seeds_batch_equals_streaming(spark, tmp_path):
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not present")
    report = run_batch(seeds, tmp_path / "out", settings=SETTINGS, spark=spark)
    assert report.ok and report.added == 2
    _stream(tmp_path / "stream.db", seeds)
    batch, streamed = _snapshot(report.db), _snapshot(tmp_path / "stream.db")
    assert batch == streamed
    assert _near_duplicates_table(tmp_path / "out") == _copies(tmp_path / "stream.db") == []
    later = batch[0][1]
    assert sum(p["status"] == "recycled" for p in later["passages"]) >= 15
    assert len(batch[1]) == 1  # one story holding both


def test_archive_batch_equals_streaming_and_the_tables_say_the_same(spark, tmp_path, archive, streamed):
    messages: list[tuple[str, str]] = []
    report = run_batch(archive, tmp_path / "out", settings=SETTINGS, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    _, streamed_report, stream_snap = streamed
    batch_snap = _snapshot(report.db)
    articles, stories = batch_snap
    # The corpus plants what equivalence is about: copies, recycled passages, multi-article stories.
    assert sum(a["duplicate_of"] is not None for a in articles) >= 20
    assert sum(p["status"] == "recycled" for a in articles for p in a["passages"]) >= 200
    assert sum(len(s[2]) > 1 for s in stories) >= 10
    assert batch_snap == stream_snap

    # The copies the executors found are the streamed store's, and the store stage took their verdicts.
    db, _, _ = streamed
    assert _near_duplicates_table(tmp_path / "out") == _copies(db)
    assert report.originals == {"executors": report.added, "driver": 0}
    assert report.rounds["edges"] >= 20 and report.rounds["originals"] >= 1

    # Each Spark stage says when it begins, so that a long one's time is seen as its own.
    stages = [stage for stage, _ in messages]
    begun = {stage: stages.index(stage) for stage in ("read", "featurize", "keys", "pairs", "near_duplicates", "store")}
    assert begun["read"] < begun["featurize"] < begun["keys"] < begun["pairs"] < begun["near_duplicates"] < begun["store"]
    assert ("keys", "finding the band keys two articles or more share") in messages

    # The same rejections, with the same places and reasons, and the same article already present.
    assert sorted(map(str, report.rejected)) == sorted(map(str, streamed_report.rejected))
    assert len(report.rejected) == 3 and not report.ok
    assert report.copies == 1 and list(streamed_report.copies) == ["wire-5"]
    (copy,) = [a for a in articles if a["id"] == "wire-5"]
    assert copy["duplicate_of"] == streamed_report.copies["wire-5"] and copy["similarity"] == 1.0
    assert [(d.article_id, d.existing_id, d.reason, d.other_text) for d in report.duplicates] == \
        [(d.article_id, d.existing_id, d.reason, d.other_text) for d in streamed_report.duplicates]
    duplicates = [json.loads(line) for line in (tmp_path / "out" / "duplicates.jsonl").read_text().splitlines()]
    assert [(d["id"], d["reason"], d["other_text"]) for d in duplicates] == \
        [(d.article_id, "same id", False) for d in streamed_report.duplicates] and len(duplicates) == 1
    rejects = [json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert {(r["location"], r["line"]) for r in rejects} == {(str(archive[0]), n) for n in (12, 23, 34)}

    # Progress was reported for every stage, each under its own name.
    assert {stage for stage, _ in messages} == {"read", "featurize", "keys", "pairs", "near_duplicates", "store",
                                                "compact", "tables"}
    assert stages.index("store") < stages.index("compact") < stages.index("tables")
    # the tables stage says when it begins (it runs minutes at a million articles), then what it wrote
    said = [message for stage, message in messages if stage == "tables"]
    assert said[0] == f"writing the tables from the store into {tmp_path / 'out'}" and " articles, " in said[-1]

    out = tmp_path / "out"
    table = pq.read_table(out / "articles.parquet").to_pylist()
    assert [(r["id"], r["story_id"], r["duplicate_of"]) for r in table] == \
        [(a["id"], a["story_id"], a["duplicate_of"]) for a in articles]
    passages = pq.read_table(out / "passages.parquet").to_pylist()
    assert [(p["article_id"], p["index"], p["status"], p["first_seen_article_id"], p["first_seen_index"], p["score"])
            for p in passages] == \
        [(a["id"], p["index"], p["status"], (p["first_seen"] or {}).get("article_id"),
          (p["first_seen"] or {}).get("index"), p["score"]) for a in articles for p in a["passages"]]
    table_stories = pq.read_table(out / "stories.parquet").to_pylist()
    assert [(s["id"], tuple(s["article_ids"])) for s in table_stories] == [(s[0], s[2]) for s in stories]
    assert pq.read_table(out / "timeline.parquet").num_rows == sum(len(s[3]) for s in stories)


def test_two_thousand_generated_articles_batch_equals_streaming(spark, tmp_path):
    """A corpus of a few thousand articles (planted copies and recycled blocks): the same
    duplicate groups, the same recycled passages with the same first_seen, the same stories."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    from storyline.eval.clusters import score_clusters

    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    items = corpus.generate(2000, seed=11)
    files = [tmp_path / f"part-{k}.jsonl" for k in range(4)]
    for k, path in enumerate(files):
        path.write_text("".join(json.dumps({"id": items[i].id, "text": items[i].text,
                                            "published": corpus.published(i, 200)}) + "\n"
                                for i in range(k * 500, (k + 1) * 500)), encoding="utf-8")
    # (left as the store stage wrote it, to compare its band key rows with streaming's as written, below)
    report = run_batch(files, tmp_path / "out", settings=Settings(batch=BatchSettings(write_batch=250, pair_checks=20,
                                                                                  near_duplicates=True, compact=False)),
                       spark=spark)
    assert report.added == 2000 and report.checks["executors"] > 4 * report.checks["driver"]
    _stream(tmp_path / "stream.db", files)

    def read(db: Path) -> list[dict]:
        with Storyline(db, upgrade=False) as sl:
            return [article_record(a) for a in sl.articles()]

    batch, streamed = read(report.db), read(tmp_path / "stream.db")
    assert [a["id"] for a in batch] == [a["id"] for a in streamed]
    groups = [(a["id"], a["duplicate_of"]) for a in batch]
    assert groups == [(a["id"], a["duplicate_of"]) for a in streamed]
    assert sum(d is not None for _, d in groups) >= 100
    # found on the executors, as the streamed store has them, copies of copies included
    assert _near_duplicates_table(tmp_path / "out") == _copies(tmp_path / "stream.db")
    assert report.originals == {"executors": 2000, "driver": 0}
    # copies of copies: their original is the chain's first article, not the one they were made from
    made_from = {it.id: it.source for it in items if it.kind == "copy"}
    assert sum(a["id"] in made_from and a["duplicate_of"] not in (None, made_from[a["id"]]) for a in streamed) >= 10

    def recycled(articles: list[dict]) -> list[tuple]:
        return [(a["id"], p["index"], p["status"], json.dumps(p["first_seen"]), p["score"])
                for a in articles for p in a["passages"]]

    assert recycled(batch) == recycled(streamed)
    assert sum(p[2] == "recycled" for p in recycled(batch)) >= 2000
    assert score_clusters([a["story_id"] for a in batch], [a["story_id"] for a in streamed]).ari >= 0.95
    assert batch == streamed  # everything an article's record says, stories included: identical
    # The same band key rows, in whichever level: a key found holding its limit of rows is given
    # no more, whether the lookup was answered from the job's memory or from the store.
    batch_rows, streamed_rows = _band_key_rows(report.db), _band_key_rows(tmp_path / "stream.db")
    assert streamed_rows[1] == "16"  # rows were withheld
    assert batch_rows == streamed_rows
    # Compacted (as the job does by default), each drops rows past those a lookup reads (which of
    # them depends on the level each row is in, which differs), and lookups read the same rows.
    for db in (report.db, tmp_path / "stream.db"):
        with Storyline(db) as sl:
            sl.compact()
    compacted = _band_key_rows(report.db)
    assert len(compacted[0]) < len(batch_rows[0]) and set(compacted[0]) <= set(batch_rows[0])
    assert _looked_up(compacted[0], 16) == _looked_up(_band_key_rows(tmp_path / "stream.db")[0], 16) \
        == _looked_up(batch_rows[0], 16)
    assert read(report.db) == batch


def _looked_up(rows: list[tuple[int, int, int]], kept: int) -> dict[int, list[tuple[int, int]]]:
    """What a lookup of each key reads: its earliest ``kept`` rows, in article order."""
    keys: dict[int, list[tuple[int, int]]] = {}
    for key, seq, idx in sorted(rows):
        if len(held := keys.setdefault(key, [])) < kept:
            held.append((seq, idx))
    return keys


def _band_key_rows(db: Path) -> tuple[list[tuple[int, int, int]], str | None]:
    """A store's passage band key rows (key, article seq, passage index), and the rows it keeps a key."""
    from storyline.store.reuse_index import band_rows

    conn = sqlite3.connect(db)
    try:
        kept = conn.execute("SELECT value FROM meta WHERE key = 'reuse.passage_postings'").fetchone()
        return sorted((key, seq, idx) for _, key, seq, idx in band_rows(conn)), kept[0] if kept else None
    finally:
        conn.close()


def test_the_executors_copies_follow_the_lookups_candidate_limit(spark, tmp_path, archive):
    """With one candidate a lookup (``reuse.max_candidates`` = 1), which stored article a lookup
    returns decides the verdict (six copies of the archive differ from those of the default
    limit): the executors choose it as the lookup does (the most shared keys, then the first
    met), and the store stage, given their verdicts, equals streaming's."""
    settings = Settings(reuse=ReuseSettings(max_candidates=1), batch=SETTINGS.batch)
    report = run_batch(archive, tmp_path / "out", settings=settings, spark=spark)
    _stream(tmp_path / "stream.db", archive, Settings(reuse=ReuseSettings(max_candidates=1)))
    _stream(tmp_path / "default.db", archive)
    copies = _copies(tmp_path / "stream.db")
    assert _near_duplicates_table(tmp_path / "out") == copies != _copies(tmp_path / "default.db")
    assert report.originals["driver"] == 0
    assert _snapshot(report.db) == _snapshot(tmp_path / "stream.db")


def test_a_batch_store_goes_on_under_streaming_as_one_streamed_throughout(spark, tmp_path, archive, streamed):
    first, second, third = archive
    report = run_batch([first, second], tmp_path / "out", db=tmp_path / "batch.db", settings=SETTINGS, spark=spark)
    assert report.added > 150
    _stream(tmp_path / "batch.db", [third])
    assert _snapshot(tmp_path / "batch.db") == streamed[2]


def test_into_an_empty_store_band_keys_are_looked_up_in_memory(spark, tmp_path, archive, streamed):
    """The keys the articles share, found in Spark, answer every band key lookup of the store
    stage (with the store's answers: the store equals the streamed one)."""
    report = run_batch(archive, tmp_path / "out", settings=SETTINGS, spark=spark)
    assert report.lookups["store"] == 0 and report.lookups["memory"] > 300
    assert report.stages["keys"] is not None
    # and most passage pair checks were made on the executors, with the same verdicts
    assert report.stages["pairs"] is not None
    assert report.checks["executors"] > 9 * report.checks["driver"] > 0
    assert _snapshot(report.db) == streamed[2]


def test_a_job_into_a_store_holding_articles_asks_the_store(spark, tmp_path, archive, streamed):
    """Memory holds only the job's rows: into a store streaming began, the store answers."""
    first, second, third = archive
    _stream(tmp_path / "begun.db", [first])
    report = run_batch([second, third], tmp_path / "out", db=tmp_path / "begun.db", settings=SETTINGS, spark=spark)
    assert report.lookups["memory"] == 0 and report.lookups["store"] > 300
    assert "keys" not in report.stages and "pairs" not in report.stages and "near_duplicates" not in report.stages
    assert report.checks["executors"] == 0 and report.checks["driver"] > 300
    assert report.originals == {"executors": 0, "driver": report.added}
    assert _snapshot(tmp_path / "begun.db") == streamed[2]


@pytest.mark.parametrize("pair_checks", [20, 0], ids=["pairs-on-the-executors", "features-read-as-written"])
def test_a_stopped_job_resumes_after_its_last_committed_batch(spark, tmp_path, archive, streamed, pair_checks):
    """With pair checks the store stage reads a copy of the features written with their verdicts;
    without (the default) it reads the featurize stage's files as they are. Either way a resumed
    stage starts after the last batch committed and the store equals the streamed one."""
    out = tmp_path / "out"
    settings = replace(SETTINGS, batch=replace(SETTINGS.batch, pair_checks=pair_checks))

    with pytest.raises(KeyboardInterrupt):
        run_batch(archive, out, settings=settings, spark=spark, progress=_stop_at("store", "80 articles stored"))
    with Storyline(out / "storyline.db", upgrade=False) as sl:
        assert sl.queries.count_articles() == 80
    messages: list[tuple[str, str]] = []
    report = run_batch(archive, out, settings=settings, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert report.stages["read"] is None and report.stages["featurize"] is None  # not run again
    assert report.stages["store"] is not None
    # Its progress counts what it stores, and how many of the articles read are stored (the first run's 80 too).
    stored = [message for stage, message in messages if stage == "store" and " articles stored (" in message]
    assert stored[0].startswith(f"40 articles stored (120 of the {report.read:,} read; ")
    assert stored[-1].startswith(f"{301 - 80} articles stored (301 of the {report.read:,} read; ")
    # The one article given twice came before the stop: the first run counted it, this one never met it.
    assert report.duplicates == [] and report.added == 301 - 80 and report.copies == 1
    assert _snapshot(out / "storyline.db") == streamed[2]
    assert not (out / "_work" / "ordered").exists()
    # the store holds the job's articles alone: its postings were made again from it
    assert report.lookups["store"] == 0 and report.lookups["memory"] > 200

    again = run_batch(archive, out, settings=settings, spark=spark)
    assert set(again.stages.values()) == {None}
    assert (again.added, again.copies) == (report.added, 1) and len(again.rejected) == len(report.rejected)


def test_a_job_resumed_on_a_store_another_writer_added_to_asks_the_store(spark, tmp_path, archive):
    out = tmp_path / "out"

    with pytest.raises(KeyboardInterrupt):
        run_batch(archive, out, settings=SETTINGS, spark=spark, progress=_stop_at("store", "80 articles stored"))
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "not-the-jobs", "text": "A council in Brask voted on Wednesday to rebuild "
                                 "the old bridge over the Lanne before the winter comes, and to close it meanwhile."})
                     + "\n", encoding="utf-8")
    _stream(out / "storyline.db", [extra])
    report = run_batch(archive, out, settings=SETTINGS, spark=spark)
    assert report.lookups["memory"] == 0 and report.lookups["store"] > 200
    assert report.added == 301 - 80
    with Storyline(out / "storyline.db", upgrade=False) as sl:
        assert sl.queries.count_articles() == 301 + 1


def test_one_article_linked_two_ways_is_one_as_in_streaming(spark, tmp_path):
    """Already present by URL compares the URLs' keys (tracking parameters, fragment, scheme and
    www. aside) in the executors' near-duplicate stage and the store stage, as ingest does: the
    article left out is no one's original."""
    link = "https://harbour-times.example/news/strike"
    strike = ("Dockers in the port of Velmora walked out on Monday morning after talks over pay and shift hours "
              "broke down late on Sunday night, leaving dozens of container ships waiting at anchor outside the "
              "harbour. The union said the strike would last until the port authority returned to the table with "
              "a better offer, while the authority said it had already offered a rise of four percent.")
    rain = ("Heavy rain closed the valley road between Orsk and Telmin on Tuesday, and crews from the regional "
            "roads office said they expected to clear the mud and fallen trees within a day if the weather held.")
    records = [{"text": rain, "url": link},
               {"text": strike, "url": link + "?utm_source=rss#comments"},  # already present: not stored
               {"text": strike.replace("Monday", "Tuesday"), "url": "https://harbour-times.example/news/strike-2"},
               {"text": rain, "url": "http://www.harbour-times.example/news/strike"}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = run_batch([source], tmp_path / "out", settings=SETTINGS, spark=spark)
    streamed = _stream(tmp_path / "stream.db", [source])
    assert report.added == 2 and len(streamed.added) == 2
    assert [(d.origin.line, d.reason, d.other_text) for d in report.duplicates] == \
        [(d.origin.line, d.reason, d.other_text) for d in streamed.duplicates] == \
        [(2, "same URL", True), (4, "same URL", False)]
    assert _snapshot(report.db) == _snapshot(tmp_path / "stream.db")
    assert _near_duplicates_table(tmp_path / "out") == _copies(tmp_path / "stream.db") == []


def test_another_jobs_work_folder_is_refused(spark, tmp_path, archive):
    run_batch(archive[1:2], tmp_path / "out", settings=SETTINGS, spark=spark)
    with pytest.raises(BatchError, match="another job: inputs it did not read: .*; inputs it read that are not "
                                         "given now: .*b\\.jsonl"):
        run_batch(archive[2:], tmp_path / "out", settings=SETTINGS, spark=spark)


def test_what_only_the_store_stage_reads_is_removed_once_it_is_done_unless_kept(spark, tmp_path, archive):
    """The featurized articles, the band keys and the checked pairs are most of a job's disk and
    nothing after the store stage reads them: removed then, by default; kept with keep_work, which
    does not make the job another one (run again without it, the job removes them)."""
    out, work = tmp_path / "out", tmp_path / "out" / "_work"
    kept = replace(SETTINGS, batch=replace(SETTINGS.batch, keep_work=True))
    messages: list[tuple[str, str]] = []
    first = run_batch(archive[1:2], out, settings=kept, spark=spark,
                      progress=lambda stage, message: messages.append((stage, message)))
    assert all((work / name / "_SUCCESS").exists() for name in ("features", "pairs"))
    assert (work / "keys" / "passages" / "_SUCCESS").exists() and (work / "read" / "_SUCCESS").exists()
    assert not _lines(messages, "store", "removed")

    messages.clear()
    again = run_batch(archive[1:2], out, settings=SETTINGS, spark=spark,
                      progress=lambda stage, message: messages.append((stage, message)))
    assert set(again.stages.values()) == {None}  # the same job: every stage complete
    assert (again.added, again.copies, len(again.rejected)) == (first.added, first.copies, len(first.rejected))
    (line,) = _lines(messages, "store", "removed")
    assert line.startswith("removed what only the store stage reads, ") and "(features, keys, pairs under" in line
    assert not any((work / name).exists() for name in ("features", "keys", "pairs")) and (work / "read").is_dir()
    # and what the job wrote is all there to read: the tables, the store
    assert again.tables == first.tables
    with Storyline(out / "storyline.db", upgrade=False) as sl:
        assert sl.queries.count_articles() == first.added

    messages.clear()
    run_batch(archive[1:2], out, settings=SETTINGS, spark=spark,
              progress=lambda stage, message: messages.append((stage, message)))
    assert not _lines(messages, "store", "removed")  # nothing left to remove, nothing said


@pytest.mark.parametrize(("raised", "says"), [
    ("No space left on device", "A disk the job writes to is full ({out}, or Spark's scratch space, "
                                "spark.local.dir): free some space, then run the same command again"),
    ("the executor was lost", "Spark's log above has the whole error; fix what it says, then run the same command"),
])
def test_a_stage_spark_fails_ends_the_job_with_the_reason_in_a_line(spark, tmp_path, archive, monkeypatch,
                                                                      raised, says):
    """A Spark task that fails (here through Spark SQL's own raise_error, as a write on a full disk
    would) ends the job with a BatchError naming the stage, the reason and what to do, not the
    Java stack; run again, the job goes on."""
    import storyline.batch.job as job

    real = job.read_frame

    def failing(spark_session, *args):
        return spark_session.range(3).selectExpr(f"raise_error('{raised}') AS failed")

    monkeypatch.setattr(job, "read_frame", failing)
    out = tmp_path / "out"
    with pytest.raises(BatchError) as failed:
        run_batch(archive[1:2], out, settings=SETTINGS, spark=spark)
    said = str(failed.value)
    assert said.startswith(f"the read stage failed: ") and raised in said and "\n" not in said
    assert says.format(out=out) in said and "at org.apache" not in said
    monkeypatch.setattr(job, "read_frame", real)
    assert run_batch(archive[1:2], out, settings=SETTINGS, spark=spark).added > 0


def test_what_could_not_be_removed_is_named(spark, tmp_path, archive, monkeypatch):
    import storyline.batch.job as job

    monkeypatch.setattr(job, "remove", lambda folder: None)  # as a folder this process may not delete
    messages: list[tuple[str, str]] = []
    report = run_batch(archive[1:2], tmp_path / "out", settings=SETTINGS, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert report.added > 0
    (line,) = _lines(messages, "store", "could not remove")
    assert line.startswith("could not remove all of features, keys, pairs under ") and line.endswith("by hand")


def _unmoved(db: Path) -> int:
    """The article band key rows of a store's recent level (moved into their index by a compaction)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM article_bands_log").fetchone()[0]
    finally:
        conn.close()


def _integrity(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0], conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_the_compact_stage_says_when_a_disk_may_lack_the_room_and_compacts_all_the_same(tmp_path, seeds_dir,
                                                                                          monkeypatch):
    """Its line before the work (no Spark: the stage is the driver's), then the compaction."""
    import shutil

    import storyline.store.compact_room as compact_room
    from storyline.batch.job import BatchReport, _compact
    from storyline.store import Store

    db = tmp_path / "s.db"
    _stream(db, sorted(seeds_dir.glob("*.txt")))
    real = shutil.disk_usage
    monkeypatch.setattr(compact_room.shutil, "disk_usage", lambda path: real(path)._replace(free=2_000))
    said: list[tuple[str, str]] = []
    report = BatchReport(db, tmp_path / "out")
    with Store(db) as store:
        _compact(store, tmp_path / "compact.json", True, 0, report, lambda stage, line: said.append((stage, line)))
    lines = [line for stage, line in said if stage == "compact"]
    assert lines[0].startswith("compacting") and lines[1].startswith("only 0.0 MB free on the disk of")
    assert "if it runs out, the store is left as written" in lines[1]
    assert report.compacted["after_bytes"] > 0 and "failed" not in report.compacted


def test_the_job_compacts_the_store_it_wrote_once(spark, tmp_path, archive, streamed):
    """The compact stage lays the store out as `storyline compact` does (the recent levels moved,
    WAL mode kept), changes nothing a reader or a lookup sees (streaming goes on into it as into
    one streamed throughout), and a job run again with nothing written does not compact again."""
    first, second, third = archive
    out = tmp_path / "out"
    plain = replace(SETTINGS, batch=replace(SETTINGS.batch, compact=False))
    written = run_batch([first, second], tmp_path / "written", settings=plain, spark=spark)
    assert "compact" not in written.stages and written.compacted == {}
    assert _unmoved(written.db) > 0  # as written: the band keys' recent level holds rows

    messages: list[tuple[str, str]] = []
    report = run_batch([first, second], out, settings=SETTINGS, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert report.stages["compact"] is not None and report.compacted["before_bytes"] > 0
    assert report.compacted["after_bytes"] == report.db.stat().st_size  # its log checkpointed into it
    assert _unmoved(report.db) == 0 and _integrity(report.db) == ("ok", "wal")
    (said,) = _lines(messages, "compact", "compacting ")
    assert said.startswith(f"compacting {report.db} (") and "--no-compact" in said
    assert _lines(messages, "compact", " MB → ")
    assert _snapshot(report.db) == _snapshot(written.db)
    # the tables come after it, and say what the store says
    assert report.tables == written.tables

    messages.clear()
    again = run_batch([first, second], out, settings=SETTINGS, spark=spark,
                      progress=lambda stage, message: messages.append((stage, message)))
    assert set(again.stages.values()) == {None} and again.compacted == report.compacted
    assert _lines(messages, "compact", "done (complete from an earlier run)")
    _stream(report.db, [third])
    assert _snapshot(report.db) == streamed[2]


def test_a_job_stopped_while_compacting_compacts_when_run_again(spark, tmp_path, archive):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch(archive[1:2], out, settings=SETTINGS, spark=spark, progress=_stop_at("compact", "compacting"))
    assert _unmoved(out / "storyline.db") > 0 and not (out / "_work" / "compact.json").exists()
    report = run_batch(archive[1:2], out, settings=SETTINGS, spark=spark)
    assert report.stages["store"] is None and report.stages["compact"] is not None
    assert _unmoved(report.db) == 0 and (out / "_work" / "compact.json").exists()
    # a record of it that cannot be read is no record: compacted again
    (out / "_work" / "compact.json").write_text("{cut short", encoding="utf-8")
    again = run_batch(archive[1:2], out, settings=SETTINGS, spark=spark)
    assert again.stages["compact"] is not None and again.compacted["after_bytes"] > 0
    assert json.loads((out / "_work" / "compact.json").read_text(encoding="utf-8")) == again.compacted


def test_a_store_another_process_has_open_is_left_as_written_and_the_job_completes(spark, tmp_path, archive):
    """Compaction needs the store alone: with a reader on it, the job completes, says the store
    is not compacted and how to compact it, and a run once it is alone compacts it."""
    out, db = tmp_path / "out", tmp_path / "out" / "storyline.db"
    readers: list[sqlite3.Connection] = []

    def open_a_reader(stage: str, message: str) -> None:
        if stage == "compact" and message.startswith("compacting"):
            readers.append(sqlite3.connect(db))
            readers[0].execute("SELECT count(*) FROM articles").fetchone()  # it holds the file open

    messages: list[tuple[str, str]] = []
    report = run_batch(archive[1:2], out, settings=SETTINGS, spark=spark,
                       progress=lambda stage, message: (messages.append((stage, message)), open_a_reader(stage, message)))
    readers[0].close()
    assert report.added > 0 and report.tables["articles"] == report.added
    assert "another process has the store open" in report.compacted["failed"]
    (said,) = _lines(messages, "compact", "not compacted")
    assert said.startswith("not compacted, the store is complete as written (") and \
        said.endswith(f"`storyline compact --db {db}` compacts it")
    assert _unmoved(db) > 0 and _integrity(db) == ("ok", "wal")
    again = run_batch(archive[1:2], out, settings=SETTINGS, spark=spark)
    assert again.stages["compact"] is not None and "failed" not in again.compacted and _unmoved(db) == 0


def test_statements_stored_by_a_job_run_again_are_compacted_too(spark, tmp_path):
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not present")
    out = tmp_path / "out"
    run_batch(seeds, out, settings=SETTINGS, spark=spark)
    with_statements = replace(SETTINGS, batch=replace(SETTINGS.batch, statements=True))
    report = run_batch(seeds, out, settings=with_statements, spark=spark)
    assert report.stages["store"] is None and report.analysed == 2
    assert report.stages["compact"] is not None  # it wrote to the store since it was compacted


def test_the_command_reports_and_exits_1_on_a_rejected_record(spark, tmp_path):
    from typer.testing import CliRunner

    from storyline.cli import app

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": "A first article about the harbour strike.\n\nIt goes on."})
                      + "\n" + '{"id": "two", "text": 3}\n'
                      + json.dumps({"id": "three", "text": "Another article, about rain in the valley."}) + "\n",
                      encoding="utf-8")
    # The session started by the fixture is the active one: the command uses it.
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["added"], report["rejected"]) == (2, 1)
    # pairs are checked on the executors only when asked (--pair-checks): here the driver checks them
    assert "pairs" not in report["stages"] and report["checks"]["executors"] == 0
    (reject,) = [json.loads(line) for line in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 2 and "must be a string" in reject["reason"]
    with Storyline(tmp_path / "out" / "storyline.db", upgrade=False) as sl:
        assert [a.id for a in sl.articles()] == ["one", "three"]
    # every chunk featurized first (the default): lookups from memory
    assert report["stages"]["keys"] is not None and report["lookups"]["store"] == 0
    # what only the store stage reads is gone once it is done; the read articles stay
    assert sorted(p.name for p in (tmp_path / "out" / "_work").iterdir()) == ["chunks.json", "compact.json", "job.json",
                                                                               "read", "store.json"]
    assert report["stages"]["compact"] is not None and report["compacted"]["after_bytes"] > 0
    ahead = CliRunner().invoke(app, ["batch", str(source), "--out", str(tmp_path / "ahead"), "--json",
                                     "--chunk-articles", "1", "--featurize-ahead", "--keep-work", "--no-compact"])
    assert ahead.exit_code == 1, ahead.output
    assert "compact" not in json.loads(ahead.stdout)["stages"] and json.loads(ahead.stdout)["compacted"] == {}
    assert "keys" not in json.loads(ahead.stdout)["stages"] and json.loads(ahead.stdout)["lookups"]["memory"] == 0
    assert sorted(c.name for c in (tmp_path / "ahead" / "_work" / "features").glob("chunk=*")) == ["chunk=0", "chunk=1"]


def test_an_out_that_cannot_be_a_folder_is_refused_before_spark_starts(tmp_path, monkeypatch):
    import storyline.batch.job as job

    def no_spark(*args, **kwargs):
        raise AssertionError("Spark started")

    monkeypatch.setattr(job, "start_session", no_spark)
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "one", "text": "The bridge reopened on Monday."}\n')
    with pytest.raises(BatchError, match=r"in.jsonl is a file: --out takes a folder for the tables"):
        run_batch([source], source)
    with pytest.raises(BatchError, match=r"cannot make the folder .*in.jsonl/out/_work: Not a directory"):
        run_batch([source], source / "out")
    assert source.read_text().startswith('{"id": "one"')


def test_a_store_it_cannot_write_is_refused_before_spark_starts(tmp_path, monkeypatch, read_only_mount):
    import storyline.batch.job as job
    from storyline.errors import StoreReadOnly
    from storyline.store import Store

    def no_spark(*args, **kwargs):
        raise AssertionError("Spark started")

    monkeypatch.setattr(job, "start_session", no_spark)
    folder, view = read_only_mount
    Store(folder / "archive.db").close()
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "one", "text": "The bridge reopened on Monday."}\n')
    with pytest.raises(StoreReadOnly, match=r"archive.db: the store can only be read from here \(it is on a "
                                            r"read-only file system\)"):
        run_batch([source], tmp_path / "out", db=view / "archive.db")
    with pytest.raises(BatchError, match=r"new.db: cannot create the store: the folder is on a read-only file system"):
        run_batch([source], tmp_path / "out", db=view / "new.db")


@pytest.mark.parametrize("batch", [SETTINGS.batch, BatchSettings(partitions=3, featurize_ahead=True, statements=True)],
                         ids=["pairs-and-near-duplicates", "featurize-ahead-and-statements"])
def test_inputs_holding_no_article_end_in_empty_tables_and_their_rejections(spark, tmp_path, batch):
    """Every record rejected: the job completes (exit status 1, as ingest's), with empty tables,
    instead of failing in a stage that had no features to read (it did: the featurize stage's
    folder was never made, then Spark could not infer the schema of no files)."""
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "no-text", "title": ""}\n[1, 2]\n', encoding="utf-8")
    report = run_batch([source], tmp_path / "out", settings=replace(SETTINGS, batch=batch), spark=spark)
    assert (report.read, report.added, len(report.rejected)) == (0, 0, 2)
    assert not report.ok
    assert report.tables["articles"] == report.tables["stories"] == 0
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 0
    with Storyline(tmp_path / "out" / "storyline.db", upgrade=False, create=False) as sl:
        assert sl.queries.count_articles() == 0


def test_a_job_started_here_keeps_sparks_log_off_the_terminal(tmp_path, archive):
    """Spark's warnings and errors, Java stacks and all, go to OUT/_work/spark.log (read here in
    a process of its own: Spark's logging is set when its JVM starts); the terminal has the
    job's stages and, for a stage that fails, the reason in a line naming that file."""
    import subprocess

    from storyline.batch.session import spark_failure

    bad = tmp_path / "damaged.parquet"
    bad.write_bytes(b"PAR1" + b"not a parquet footer" + b"PAR1")  # Spark fails to read it: a rejection
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "storyline", "batch",
                           str(archive[1]), str(bad), "--out", str(out), "--master", "local[2]"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr  # the damaged file's rejection
    said = done.stdout + done.stderr
    assert "damaged.parquet: cannot be read as Parquet" in said
    for noise in ("log4j", "WARN ", "ERROR ", "at org.apache", "Setting default log level", "FutureWarning",
                  "WARNING: Using incubator modules"):
        assert noise not in said, noise
    assert not done.stderr.startswith("WARNING"), done.stderr[:200]  # the JVM's own first line included
    log = (out / "_work" / "spark.log").read_text(encoding="utf-8")
    assert " ERROR " in log and "at org.apache.spark" in log  # the failed read, whole
    assert "WARNING: Using incubator modules: jdk.incubator.vector" in log  # the JVM's standard error, kept
    with Storyline(out / "storyline.db", upgrade=False, create=False) as sl:
        assert sl.queries.count_articles() > 0
    failed = spark_failure("keys", RuntimeError("Caused by: java.lang.OutOfMemoryError: Java heap space"), out,
                           out / "_work" / "spark.log")
    assert (f"the keys stage failed: java.lang.OutOfMemoryError: Java heap space. Spark's log, "
            f"{out / '_work' / 'spark.log'}, has the whole error") in str(failed)


def test_without_java_the_error_says_so_and_where_java_said_why(tmp_path, archive):
    """The JVM's standard error goes to the job's Spark log (above): when the JVM cannot start,
    the one line on the terminal points there, and says what Spark needs."""
    import subprocess

    out = tmp_path / "out"
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    done = subprocess.run([sys.executable, "-m", "storyline", "batch", str(archive[1]), "--out", str(out),
                           "--master", "local[1]"], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Spark could not start" in done.stderr and "Java 17" in done.stderr
    log = out / "_work" / "spark.log"
    assert f"{log} may say why" in " ".join(done.stderr.split())  # (the terminal wraps long lines)
    assert "no-java" in log.read_text(encoding="utf-8")  # spark-class's own words, kept


def test_without_the_extra_the_error_names_the_pip_line(monkeypatch):
    from storyline.batch import PIP_LINE, require_pyspark

    monkeypatch.setitem(sys.modules, "pyspark", None)  # what Python does for a package not installed
    with pytest.raises(BatchError, match="pyspark") as caught:
        require_pyspark()
    assert PIP_LINE in str(caught.value)


def test_parquet_rows_read_as_jsonl_records(spark, tmp_path, archive):
    """A Parquet file (dates as a date column, a folder as Spark writes it) gives the store the
    same records in JSONL give, and its bad rows are rejected with their row numbers."""
    import datetime as dt

    import pyarrow as pa

    records = [json.loads(line) for line in archive[1].read_text(encoding="utf-8").splitlines()][:40]
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rows = [{**r, "published": dt.date.fromisoformat(r["published"])} for r in records]
    rows.insert(7, {"id": "empty", "text": None, "title": "", "published": dt.date(2024, 10, 3), "source": "x"})
    folder = tmp_path / "news.parquet"  # a folder of parts, with the marker Spark leaves
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(rows[:20]), folder / "part-00000.parquet")
    pq.write_table(pa.Table.from_pylist(rows[20:]), folder / "part-00001.parquet")
    (folder / "_SUCCESS").write_bytes(b"")
    report = run_batch([folder], tmp_path / "out", settings=SETTINGS, spark=spark)
    assert [(r.origin.location, r.origin.line, r.reason.split(":")[0]) for r in report.rejected] == \
        [(str(folder / "part-00000.parquet"), 8, "record has no text")]
    assert report.skipped == [] and report.added == len(records)
    _stream(tmp_path / "stream.db", [jsonl])
    assert _snapshot(report.db) == _snapshot(tmp_path / "stream.db")


def test_a_file_that_is_not_parquet_is_one_rejection(spark, tmp_path, archive):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not a parquet file")
    report = run_batch([broken, archive[2]], tmp_path / "out", settings=SETTINGS, spark=spark)
    assert [(r.origin.location, "Parquet" in r.reason) for r in report.rejected] == [(str(broken), True)]
    assert report.added == 100  # the CSV beside it is read


def test_statements_are_found_on_the_executors_as_export_finds_them(spark, tmp_path):
    """--statements: the seeds' statements parsed in Spark and stored in ingest order equal the
    ones a streamed store gets from analyse_statements, and the tables carry them; a job first
    run without statements adds them when run again with them."""
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not present")
    from dataclasses import replace

    out = tmp_path / "out"
    plain = run_batch(seeds, out, settings=SETTINGS, spark=spark)
    assert "statements" not in plain.tables and plain.analysed == 0
    messages: list[tuple[str, str]] = []
    with_statements = replace(SETTINGS, batch=replace(SETTINGS.batch, statements=True, statements_chunk=1))
    report = run_batch(seeds, out, settings=with_statements, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert report.analysed == 2 and report.analysis_failed == []
    assert report.stages["store"] is None and report.stages["statements"] is not None  # only the new stage ran
    assert ("statements", "2 of 2 articles analysed") in messages

    _stream(tmp_path / "stream.db", seeds)
    with Storyline(tmp_path / "stream.db") as sl:
        sl.analyse_statements()
        (story,) = sl.stories()
        expected = sl.queries.statements(story.id)
    with Storyline(report.db, upgrade=False) as sl:
        assert sl.queries.statements(story.id) == expected
    claims, contradictions = expected
    assert len(claims) >= 5
    table = pq.read_table(out / "statements.parquet").to_pylist()
    assert [(r["story_id"], r["id"], r["speaker"], r["text"], r["article_ids"]) for r in table] == \
        [(story.id, c.id, c.speaker, c.text, list(c.article_ids)) for c in claims]
    assert pq.read_table(out / "contradictions.parquet").num_rows == len(contradictions)
    assert report.tables["statements"] == len(claims)


def test_a_work_folder_of_another_storylines_features_is_refused_before_spark_starts(tmp_path, monkeypatch):
    from storyline.batch import job

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": "A first article about the harbour strike."}) + "\n")
    before = job.JobManifest.of([str(source)], SETTINGS, job.ReadOptions(), job.FEATURES_VERSION)
    (tmp_path / "out" / "_work").mkdir(parents=True)
    (tmp_path / "out" / "_work" / "job.json").write_text(json.dumps(before.as_json()))
    monkeypatch.setattr(job, "FEATURES_VERSION", job.FEATURES_VERSION + 1)  # a storyline that featurizes otherwise
    monkeypatch.setattr(job, "start_session", lambda *args: pytest.fail("Spark started"))
    with pytest.raises(BatchError, match=rf"another job: its features are another storyline's \(version "
                                         rf"{before.features}; this one writes {before.features + 1}\)"):
        run_batch([source], tmp_path / "out", settings=SETTINGS)


class _Started(Exception):
    """Spark was asked for: the work folder was taken as this job's."""


def _no_spark(settings: BatchSettings, log: Path | None = None) -> None:
    raise _Started


def test_a_stopped_job_resumes_with_other_run_only_settings_and_is_refused_with_another_threshold(tmp_path,
                                                                                                 monkeypatch):
    from storyline.batch import job

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": "A first article about the harbour strike."}) + "\n")
    saved = job.JobManifest.of([str(source)], SETTINGS, job.ReadOptions(), job.FEATURES_VERSION).as_json()
    (tmp_path / "out" / "_work").mkdir(parents=True)
    manifest = tmp_path / "out" / "_work" / "job.json"
    manifest.write_text(json.dumps(saved))
    monkeypatch.setattr(job, "start_session", _no_spark)
    # More memory, bigger caches, another master, other progress lines: the same job.
    resumed = replace(SETTINGS, batch=replace(SETTINGS.batch, master="local[1]", progress_s=5.0, driver_memory="8g"),
                      reuse=replace(SETTINGS.reuse, cache_passages=77, cache_cold_passages=0))
    with pytest.raises(BatchError, match=r"another job: reuse\.recycled 0\.5 then, 0\.6 now\. Use another --out"):
        run_batch([source], tmp_path / "out", settings=replace(resumed, reuse=replace(resumed.reuse, recycled=0.6)))
    assert json.loads(manifest.read_text()) == saved  # a refused job leaves the folder as it was
    with pytest.raises(_Started):
        run_batch([source], tmp_path / "out", settings=resumed)


def test_a_work_folder_begun_before_jobs_recorded_their_parts_is_refused_with_the_general_reason(tmp_path,
                                                                                                 monkeypatch):
    from storyline.batch import job

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "one", "text": "A first article about the harbour strike."}) + "\n")
    (tmp_path / "out" / "_work").mkdir(parents=True)
    manifest = tmp_path / "out" / "_work" / "job.json"
    manifest.write_text(json.dumps({"job": "fdd9d662184a3237", "inputs": [str(source)]}))
    monkeypatch.setattr(job, "start_session", lambda *args: pytest.fail("Spark started"))
    with pytest.raises(BatchError, match=r"another job \(other inputs or settings, or another storyline's features;"
                                         r" it was begun by a storyline that did not record which\)"):
        run_batch([source], tmp_path / "out", settings=SETTINGS)
    manifest.write_text("{not json")
    with pytest.raises(BatchError, match=r"job\.json cannot be read .*: delete .*out to start again"):
        run_batch([source], tmp_path / "out", settings=SETTINGS)
    # Its parts the same, its digest another: a storyline that digests them otherwise.
    saved = job.JobManifest.of([str(source)], SETTINGS, job.ReadOptions(), job.FEATURES_VERSION).as_json()
    manifest.write_text(json.dumps({**saved, "job": "0123456789abcdef"}))
    with pytest.raises(BatchError, match="another job: its parts are these, digested by another storyline"):
        run_batch([source], tmp_path / "out", settings=SETTINGS)


AHEAD = Settings(batch=BatchSettings(featurize_batch=64, write_batch=40, chunk_articles=40, featurize_ahead=True))


def _lines(messages: list[tuple[str, str]], stage: str, text: str) -> list[str]:
    return [message for s, message in messages if s == stage and text in message]


def test_featurized_ahead_a_chunk_at_a_time_the_store_is_the_streamed_one(spark, tmp_path, archive, streamed):
    """Featurize on a thread beside the store stage, which stores each chunk once it is
    featurized and asks the store for its band key lookups, as streaming does."""
    messages: list[tuple[str, str]] = []
    report = run_batch(archive, tmp_path / "out", settings=replace(AHEAD, batch=replace(AHEAD.batch, keep_work=True)),
                       spark=spark, progress=lambda stage, message: messages.append((stage, message)))
    assert report.ok is False and report.added == 301 and report.copies == 1  # the archive's bad records
    assert _snapshot(report.db) == streamed[2]
    chunks = sorted((tmp_path / "out" / "_work" / "features").glob("chunk=*"))
    assert len(chunks) == 8 and all((c / "_SUCCESS").exists() for c in chunks)  # 301 articles and one given twice
    assert (tmp_path / "out" / "_work" / "features" / "_SUCCESS").exists()
    assert _lines(messages, "featurize", "beside the store stage: 6 partitions for the first, 1 for each after it")
    assert len(_lines(messages, "featurize", " of 8")) == 8 and report.stages["featurize"] is not None
    assert "keys" not in report.stages  # no postings: the store answers
    assert report.lookups["memory"] == 0 and report.lookups["store"] > 200


def test_featurized_before_the_store_stage_a_chunk_at_a_time_the_store_is_the_streamed_one(spark, tmp_path, archive,
                                                                                            streamed):
    settings = replace(AHEAD, batch=replace(AHEAD.batch, featurize_ahead=False))
    messages: list[tuple[str, str]] = []
    report = run_batch(archive, tmp_path / "out", settings=settings, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert _snapshot(report.db) == streamed[2]
    assert _lines(messages, "featurize", "in 8 chunks of up to 40, 6 partitions each")
    assert report.stages["keys"] is not None and report.lookups["store"] == 0  # from memory, as before chunks


def test_a_job_stopped_during_featurize_goes_on_from_its_last_chunk(spark, tmp_path, archive, streamed):
    settings = replace(AHEAD, batch=replace(AHEAD.batch, featurize_ahead=False))
    out = tmp_path / "out"

    with pytest.raises(KeyboardInterrupt):
        run_batch(archive, out, settings=settings, spark=spark, progress=_stop_at("featurize", "chunk 4 of"))
    done = sorted(c.name for c in (out / "_work" / "features").glob("chunk=*") if (c / "_SUCCESS").exists())
    assert done == ["chunk=0", "chunk=1", "chunk=2"]
    messages: list[tuple[str, str]] = []
    report = run_batch(archive, out, settings=settings, spark=spark,
                       progress=lambda stage, message: messages.append((stage, message)))
    assert report.stages["read"] is None and report.stages["featurize"] is not None
    assert _lines(messages, "featurize", "in 5 chunks of up to 40")  # the three done are not made again
    assert [m for m in _lines(messages, "featurize", "chunk ") if m.startswith("chunk ")][0] == "chunk 4 of 8"
    assert _snapshot(report.db) == streamed[2]


def test_a_chunk_that_fails_stops_the_job_with_its_reason_and_a_rerun_completes_it(spark, tmp_path, archive, streamed,
                                                                                    monkeypatch):
    import storyline.batch.chunks as chunks

    out = tmp_path / "out"
    real = chunks.featurize_chunk

    def failing(spark, read, settings, starts, index, features_dir, partitions):
        if index == 3:
            raise RuntimeError("the disk is full")
        real(spark, read, settings, starts, index, features_dir, partitions)

    monkeypatch.setattr(chunks, "featurize_chunk", failing)
    with pytest.raises(BatchError, match=r"featurizing chunk 4 of 8 failed: RuntimeError: the disk is full"):
        run_batch(archive, out, settings=AHEAD, spark=spark)
    with Storyline(out / "storyline.db", upgrade=False) as sl:
        held = sl.queries.count_articles()
    assert 0 < held <= 3 * 40  # the chunks before it, stored in whole batches
    monkeypatch.setattr(chunks, "featurize_chunk", real)
    report = run_batch(archive, out, settings=AHEAD, spark=spark)
    assert report.added == 301 - held and _snapshot(report.db) == streamed[2]


def test_featurized_ahead_a_job_stopped_in_the_store_stage_resumes(spark, tmp_path, archive, streamed):
    out = tmp_path / "out"

    with pytest.raises(KeyboardInterrupt):
        run_batch(archive, out, settings=AHEAD, spark=spark, progress=_stop_at("store", "80 articles stored"))
    report = run_batch(archive, out, settings=AHEAD, spark=spark)
    assert report.added == 301 - 80 and _snapshot(report.db) == streamed[2]
    again = run_batch(archive, out, settings=AHEAD, spark=spark)
    assert set(again.stages.values()) == {None}
