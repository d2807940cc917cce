"""The batch job (``storyline batch``) on generated articles, against the streaming engine on the
same articles: wall time per stage, articles/s overall, and the ratio.

    python benchmarks/batch.py --articles 10000 --json

prints one JSON line ``{"articles", "per_s", "stream_per_s", "ratio", "stages", "store_ms", "checks",
"peak_rss_mb", ...}``.
The corpus is the stream benchmark's (``benchmarks/corpus.py``: PolNeAR sentences, planted copies
and recycled blocks, ``--per-day`` articles a day), written as ``--files`` JSONL files (the job
reads one task per file). The job runs in ``local[N]`` (``--master``), a new session, into a
fresh store and output folder; ``stages`` holds each stage's seconds (read, featurize, keys,
pairs, store, compact, tables), ``store_ms`` the store stage's milliseconds an article stored (the driver's
in-order part), ``lookups`` and ``checks`` how its band key lookups and passage pair checks were
answered, ``compacted`` what the compact stage did (the store's bytes before and after;
``--no-compact`` leaves the store as written: ``store_mb`` is then the written store's), and
``session_s`` the Spark start. ``--near-duplicates`` finds every article's
original on the executors before the store stage (``batch.near_duplicates``): ``stages`` then
holds ``near_duplicates``, ``rounds`` the rounds its fixpoints took, and ``originals`` how the
store stage's near-duplicate verdicts were answered. ``--no-stream`` skips the streaming run (it takes
as long as it takes: ~40 articles/s here). ``peak_rss_mb`` is the driver's Python process; the
JVM and the Python workers add their own: ``stage_peaks_mb`` holds, for each stage (named as its
progress lines name it: ``session``, ``read``, ``featurize``, ``keys``, ``store``, ``tables``...),
the peak resident memory of the driver alone and with every process below it (the JVM, Spark's
Python workers), sampled once a second from ``/proc`` (Linux); with ``--work`` each stage's peaks
are also written to ``progress.log`` as the next stage begins. Run it as a script, not with -m.

``--work DIR`` keeps the corpus and the job's folder in ``DIR`` instead of a temporary folder,
so that a job longer than a sitting can be stopped and run again with the same command: the
corpus is written once (``DIR/corpus``, its arguments in ``corpus.json``: another corpus in the
same folder is refused), the job resumes as ``storyline batch`` does (a stage complete in
``DIR/out`` is not run again; ``store`` goes on after its last committed batch), every progress
line is appended to ``DIR/progress.log`` with the time (a stopped run's progress included), and
each completed run's figures to ``DIR/runs.jsonl``. A resumed run's ``stages`` hold ``null`` for
the stages an earlier run completed, and its ``store_ms`` is over the articles it stored itself.
``--featurize-ahead`` featurizes a chunk of ingest order at a time on a thread beside the store
stage (``batch.featurize_ahead``; by default every chunk is featurized first, and the store
stage's band key lookups into an empty store are answered from memory): ``stages`` then gives
featurize's seconds from its first chunk to its last, which overlap the store stage's, and a
stage's memory peaks while both run are the store stage's.
``--cache-passages``, ``--cache-cold-passages`` and ``--cache-mb`` size the reuse index's
passage caches and SQLite's page cache (the job's and the streaming run's); a stopped job may
resume with other sizes.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from storyline import Storyline
from storyline.batch import run_batch
from storyline.batch.session import start_session
from storyline.errors import SettingsError
from storyline.settings import BatchSettings, IngestSettings, ReuseSettings, Settings


def write_corpus(n: int, seed: int, per_day: int, files: int, folder: Path) -> list[Path]:
    """The corpus as ``files`` JSONL files in ``folder``, made one article at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"part-{k:04d}.jsonl" for k in range(files)]
    size = -(-n // files)
    items = corpus.iterate(n, seed=seed)
    for k, path in enumerate(paths):
        with open(path, "w", encoding="utf-8") as handle:
            for i in range(k * size, min(n, (k + 1) * size)):
                item = next(items)
                handle.write(json.dumps({"id": item.id, "text": item.text,
                                         "published": corpus.published(i, per_day)}) + "\n")
    return paths


def corpus_files(n: int, seed: int, per_day: int, files: int, folder: Path) -> list[Path]:
    """:func:`write_corpus` in a child process, so that the job's driver (this process) never holds
    the corpus (its generator holds every article made); in a kept ``folder`` (``--work``) it is
    written once, and a folder holding another corpus is refused."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    wanted = {"articles": n, "seed": seed, "per_day": per_day, "files": files}
    manifest = folder / "corpus.json"
    if manifest.exists():
        made = json.loads(manifest.read_text(encoding="utf-8"))
        if made != wanted:
            raise SystemExit(f"error: {folder} holds another corpus ({made}); use another --work folder")
        return [folder / f"part-{k:04d}.jsonl" for k in range(files)]
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        paths = pool.submit(write_corpus, n, seed, per_day, files, folder).result()
    manifest.write_text(json.dumps(wanted), encoding="utf-8")  # last: a corpus cut short is made again
    return paths


def tree_rss_mb(root: int) -> tuple[float, float]:
    """The resident memory of process ``root`` and of it with every process below it (the JVM a
    local session starts, and Spark's Python workers under it), in MB, from ``/proc`` (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry.name))
    page = resource.getpagesize()

    def rss(pid: int) -> float:
        try:
            return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * page / 1e6
        except (OSError, IndexError, ValueError):
            return 0.0

    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += rss(pid)
        todo.extend(children.get(pid, ()))
    return rss(root), total


class StagePeaks:
    """Peak resident memory per stage, sampled every ``every`` seconds on a thread: the driver
    alone and with its JVM and workers. ``enter(stage)`` is called from the job's progress."""

    def __init__(self, every: float = 1.0) -> None:
        import os
        import threading

        self.stage = "session"
        self.peaks: dict[str, dict[str, float]] = {}
        self._pid, self._every, self._stop = os.getpid(), every, threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def enter(self, stage: str) -> str | None:
        """Start attributing samples to ``stage``; the stage left, if any, with its peaks said.
        Featurize's lines while the store stage runs beside it leave the samples the store's."""
        with self._lock:
            if stage == "featurize" and self.stage == "store":
                return None
            left, self.stage = (self.stage, stage) if stage != self.stage else (None, self.stage)
        if left is None or left not in self.peaks:
            return None
        peak = self.peaks[left]
        return f"peak resident memory in {left}: driver {peak['driver']:,.0f} MB, with the JVM and workers {peak['all']:,.0f} MB"

    def _sample(self) -> None:
        if not Path("/proc/self/statm").exists():
            return
        while not self._stop.wait(self._every):
            driver, everything = tree_rss_mb(self._pid)
            with self._lock:
                peak = self.peaks.setdefault(self.stage, {"driver": 0.0, "all": 0.0})
                peak["driver"], peak["all"] = max(peak["driver"], round(driver, 1)), max(peak["all"], round(everything, 1))

    def close(self) -> dict[str, dict[str, float]]:
        self._stop.set()
        self._thread.join()
        return self.peaks


def run(n: int, seed: int, per_day: int, files: int, master: str, stream: bool, pair_checks: int,
        near_duplicates: bool, keep: Path | None = None, work: Path | None = None, partitions: int = 0,
        reuse: ReuseSettings | None = None, ingest: IngestSettings | None = None, ahead: bool = False,
        compact: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="storyline-batch-") as tmp:
        folder = work if work is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths = corpus_files(n, seed, per_day, files, folder / "corpus" if work is not None else folder)
        settings = Settings(batch=BatchSettings(master=master, pair_checks=pair_checks,
                                                near_duplicates=near_duplicates, partitions=partitions,
                                                featurize_ahead=ahead, compact=compact),
                            reuse=reuse or ReuseSettings(), ingest=ingest or IngestSettings())
        log = (folder / "progress.log").open("a", encoding="utf-8") if work is not None else None

        peaks = StagePeaks()

        def progress(stage: str, message: str) -> None:
            left = peaks.enter(stage) if stage != "run" or message == "done" else None
            if log is not None:
                stamp = time.strftime('%Y-%m-%dT%H:%M:%S')
                log.write((f"{stamp} {stage}: {left}\n" if left else "") + f"{stamp} {stage}: {message}\n")
                log.flush()

        started = time.perf_counter()
        progress("run", f"started: {n:,} articles, {master}")
        spark = start_session(settings.batch)
        spark.sparkContext.setLogLevel("ERROR")
        session_s = time.perf_counter() - started
        started = time.perf_counter()
        report = run_batch(paths, folder / "out", settings=settings, spark=spark, progress=progress)
        seconds = time.perf_counter() - started
        spark.stop()
        progress("run", "done")
        result = {"articles": n, "stored": report.added, "master": master, "files": files, "per_day": per_day,
                  "per_s": round(n / seconds, 1), "seconds": round(seconds, 1), "session_s": round(session_s, 1),
                  "stages": report.stages, "lookups": report.lookups, "checks": report.checks,
                  "originals": report.originals, "rounds": report.rounds, "compacted": report.compacted,
                  "store_mb": round(report.db.stat().st_size / 1e6, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "stage_peaks_mb": peaks.close()}
        if report.stages["store"] is not None:
            result["store_ms"] = round(report.stages["store"] * 1000 / max(report.added, 1), 2)
        if keep is not None:  # SQLite's backup: the pages as committed, write-ahead log included
            source, target = sqlite3.connect(report.db), sqlite3.connect(keep)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        if stream:
            started = time.perf_counter()
            with Storyline(Path(tmp) / "stream.db", Settings(ingest=settings.ingest, reuse=settings.reuse)) as sl:
                sl.ingest([str(p) for p in paths])
            stream_s = time.perf_counter() - started
            result["stream_per_s"] = round(n / stream_s, 1)
            result["ratio"] = round(stream_s / seconds, 2)
        if log is not None:
            progress("run", "completed")
            log.close()
            with (folder / "runs.jsonl").open("a", encoding="utf-8") as runs:
                runs.write(json.dumps(result) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--files", type=int, default=8, help="JSONL files the corpus is written as")
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--no-stream", action="store_true", help="skip the streaming run")
    parser.add_argument("--pair-checks", type=int, default=0, help="batch.pair_checks (0: pairs checked on the driver)")
    parser.add_argument("--near-duplicates", action="store_true",
                        help="batch.near_duplicates: originals found on the executors before the store stage")
    parser.add_argument("--featurize-ahead", action="store_true",
                        help="chunks featurized beside the store stage (batch.featurize_ahead)")
    parser.add_argument("--no-compact", action="store_true",
                        help="leave the store as the store stage wrote it (batch.compact off)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--keep", type=Path, default=None,
                        help="copy the store the job wrote here (to stream more into it: stream.py --into)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="batch.partitions (0: three per core); a partition's articles are sorted in memory, "
                             "so give a million articles ~64")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the corpus and the job's folder here; the same command again resumes the job")
    defaults = ReuseSettings()
    parser.add_argument("--cache-passages", type=int, default=defaults.cache_passages,
                        help="reuse.cache_passages: stored passages the store stage keeps ready to check (a cache: "
                             "a stopped job may resume with another)")
    parser.add_argument("--cache-cold-passages", type=int, default=defaults.cache_cold_passages,
                        help="reuse.cache_cold_passages: more kept without their key sets (0: none)")
    parser.add_argument("--cache-mb", type=int, default=IngestSettings().cache_mb,
                        help="ingest.cache_mb: SQLite's page cache of the store, in MB (the job's and the streaming run's)")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.files < 1 or args.partitions < 0:
        parser.error("--articles and --files must be at least 1, --partitions at least 0")
    try:
        reuse = ReuseSettings(cache_passages=args.cache_passages, cache_cold_passages=args.cache_cold_passages)
        ingest = IngestSettings(cache_mb=args.cache_mb)
    except SettingsError as exc:
        parser.error(str(exc))
    result = corpus.run_and_print(lambda: run(args.articles, args.seed, args.per_day, args.files, args.master, not args.no_stream,
                                             args.pair_checks, args.near_duplicates, args.keep, args.work,
                                             args.partitions, reuse, ingest, args.featurize_ahead,
                                             not args.no_compact), args.json)
    if result is None:
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
