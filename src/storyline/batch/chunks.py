"""Featurize in chunks of ingest order, each a Spark job writing ``features/chunk=K``, so the
store stage can start on the first chunks while the rest are featurized.

On two cores the job's store stage (the streaming engine's resolve and write, in order, on the
driver: ~10 ms an article at 100,000) waits for the whole featurize stage before it (~2.5 ms an
article on both cores), where streaming featurizes beside its writer. With
``batch.featurize_ahead`` (off by default: the store stage then asks the store for its lookups,
~25% dearer an article at 100,000 than the memory's answers, which need every article's
features first) the chunks are featurized on a thread beside the store stage, which
reads each chunk's files once its job has finished, in order (:meth:`ChunkFeaturizer.rows`); in
local mode those jobs leave the driver a core (``executor cores - 1`` partitions a chunk,
at least 1: featurize takes about half the driver's time an article, so one core keeps ahead of
it), the first chunk, which the store stage waits for, taking every core.

The chunks are cut by count of articles (their ``order`` is ``input << 32 | item``, so a range of
orders may hold none or millions), the boundaries made once from the read articles and kept in
the work folder (``chunks.json``), so a job run again finds the same chunks; a chunk whose
folder has Spark's ``_SUCCESS`` is not featurized again. Spark's partition discovery reads the
chunks' folders as one table (with a ``chunk`` column) where a stage reads every feature.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import Settings
from .features import featurize_frame
from .ordered import read_ordered
from .progress import Progress, stage_progress
from .session import BatchError, from_spark, spark_reason

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

JOB_GROUP = "storyline-featurize"


def chunk_starts(spark: SparkSession, read: DataFrame, chunk_articles: int, folder: Path) -> list[int]:
    """The first ``order`` of each chunk of ``chunk_articles`` read articles, in order (none when
    no article was read); made once and kept in ``folder/chunks.json``."""
    saved = folder / "chunks.json"
    if saved.exists():
        try:
            data = json.loads(saved.read_text(encoding="utf-8"))
            if data["chunk_articles"] == chunk_articles:
                return [int(start) for start in data["starts"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # made again below
    orders = read.where("kind = 'article'").select("order").rdd.map(lambda row: row[0])
    starts = sorted(orders.sortBy(lambda order: order).zipWithIndex()
                    .filter(lambda pair: pair[1] % chunk_articles == 0).keys().collect())
    saved.write_text(json.dumps({"chunk_articles": chunk_articles, "starts": starts}), encoding="utf-8")
    return starts


def chunk_folder(features_dir: Path, index: int) -> Path:
    return features_dir / f"chunk={index}"


def chunk_bounds(starts: Sequence[int], index: int) -> tuple[int, int | None]:
    """The orders of chunk ``index``: from its start to the next chunk's (None: the last chunk)."""
    return starts[index], starts[index + 1] if index + 1 < len(starts) else None


def featurize_chunk(spark: SparkSession, read: DataFrame, settings: Settings, starts: Sequence[int], index: int,
                    features_dir: Path, partitions: int) -> None:
    """Featurize chunk ``index`` of the read articles into its folder (Spark's ``_SUCCESS`` last)."""
    low, high = chunk_bounds(starts, index)
    rows = read.where(f"`order` >= {low}" + ("" if high is None else f" AND `order` < {high}"))
    featurize_frame(rows, settings, partitions).write.mode("overwrite").parquet(str(chunk_folder(features_dir, index)))


def chunk_done(features_dir: Path, index: int) -> bool:
    return (chunk_folder(features_dir, index) / "_SUCCESS").exists()


class ChunkFeaturizer:
    """Featurizes the chunks not yet done, in order: here (:meth:`run`), or on a thread
    (:meth:`start`) while the caller reads the finished ones (:meth:`rows`). On the thread, a
    chunk's failure is raised to the reader when it reaches that chunk; :meth:`close` stops the
    thread (cancelling its Spark job) and is called whatever happens."""

    def __init__(self, spark: SparkSession, read: DataFrame, settings: Settings, starts: Sequence[int],
                 features_dir: Path, partitions: tuple[int, int], say: Progress, after: int | None = None) -> None:
        """``partitions``: the first chunk's (the one the store stage waits for) and each next
        one's; ``after``: the order of the last article the store stage stored before (a chunk
        wholly at or before it is not featurized, nor waited for)."""
        self._spark, self._read, self._settings = spark, read, settings
        self._starts, self._features_dir, self._partitions, self._say = list(starts), features_dir, partitions, say
        self._after = after
        self._finished = [chunk_done(features_dir, k) or self._passed(k) for k in range(len(self._starts))]
        self._failure: BaseException | None = None
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.seconds: float | None = None  # from start to the last chunk featurized; None: none was

    def _passed(self, index: int) -> bool:
        _, high = chunk_bounds(self._starts, index)
        return self._after is not None and high is not None and high <= self._after + 1

    @property
    def to_do(self) -> int:
        """Chunks left to featurize."""
        return self._finished.count(False)

    def start(self) -> None:
        from pyspark import InheritableThread  # the job group set on it is its own (pinned threads)

        self._thread = InheritableThread(target=self._run, name="storyline featurize ahead", daemon=True)
        self._thread.start()

    def run(self) -> None:
        """Featurize the chunks not done here, in order (no thread)."""
        self._run()
        if self._failure is not None:
            raise self._failure

    def _run(self) -> None:
        started = time.perf_counter()
        todo = [k for k, finished in enumerate(self._finished) if not finished]
        try:
            if threading.current_thread() is self._thread:
                self._spark.sparkContext.setJobGroup(JOB_GROUP, "storyline batch: featurize", interruptOnCancel=True)
            for n, k in enumerate(todo):
                if self._stop.is_set():
                    return
                self._say("featurize", f"chunk {k + 1:,} of {len(self._starts):,}")
                with stage_progress(self._spark, "featurize", self._say, self._settings.batch.progress_s):
                    featurize_chunk(self._spark, self._read, self._settings, self._starts, k, self._features_dir,
                                    self._partitions[0 if n == 0 else 1])
                with self._changed:
                    self._finished[k] = True
                    self._changed.notify_all()
            if todo:
                self.seconds = round(time.perf_counter() - started, 2)
        except BaseException as exc:  # the reader's to raise, at the chunk it waits for
            with self._changed:
                self._failure = exc if not self._stop.is_set() else None
                self._changed.notify_all()

    def _wait(self, index: int) -> None:
        with self._changed:
            while not self._finished[index]:
                if self._failure is not None:
                    failure = self._failure
                    why = spark_reason(failure) if from_spark(failure) else f"{type(failure).__name__}: {failure}"
                    raise BatchError(f"featurizing chunk {index + 1} of {len(self._starts)} failed: {why}") \
                        from failure
                if self._thread is None or not self._thread.is_alive():
                    raise BatchError(f"chunk {index + 1} of {len(self._starts)} was not featurized "
                                     "(the featurize thread stopped)")
                self._changed.wait(1.0)

    def rows(self, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """Every chunk's rows (:func:`storyline.batch.ordered.read_ordered`), in ingest order, each
        chunk once it is featurized; those after ``after`` only."""
        for k in range(len(self._starts)):
            if self._passed(k):
                continue
            self._wait(k)
            yield from read_ordered(chunk_folder(self._features_dir, k), columns, self._after)

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._spark.sparkContext.cancelJobGroup(JOB_GROUP)
            thread.join()


__all__ = ["ChunkFeaturizer", "chunk_bounds", "chunk_done", "chunk_folder", "chunk_starts", "featurize_chunk"]
