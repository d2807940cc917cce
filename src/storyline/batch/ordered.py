"""The store stage's input in ingest order, read by the driver from Parquet files.

The driver resolves articles one at a time in ingest order. Collecting the sorted features
through Spark (``orderBy(...).toLocalIterator()``) sends each partition to the driver as a task
result held by the block manager until it is fetched; at 100,000 articles of the stream
benchmark's corpus (a partition ~300 MB of features) one such result was lost before it was
fetched (``TaskResultLost``), after 36 minutes of the stage, and the job failed. Here the
executors write the features range-partitioned and sorted by ``order``, and the driver reads
the files itself, a record batch at a time, in the order of their first row: nothing waits in
Spark's memory, and a file is read as fast as the disk gives it.

The featurize stage writes its rows that way itself (:func:`storyline.batch.features.featurize_frame`),
so the store stage reads them as they are; only a job that joins the executors' pair verdicts
to them (``batch.pair_checks``) has them written again (:func:`write_ordered`). A resumed store
stage starts after the last article stored: the files and row groups wholly before it, by their
statistics, are not read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .session import BatchError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

BATCH_ROWS = 256  # rows a record batch: ~5 MB of features on the benchmark corpus


def write_ordered(frame: DataFrame, folder: Path, partitions: int) -> None:
    """``frame`` as Parquet files in ``folder``, each a range of ``order``, sorted within."""
    frame.repartitionByRange(max(1, partitions), "order").sortWithinPartitions("order") \
        .write.mode("overwrite").parquet(str(folder))


def read_ordered(folder: Path, columns: Sequence[str], after: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The rows of a folder :func:`write_ordered` wrote, ``columns`` of each (``order`` among
    them), in ``order``; with ``after``, only the rows after that order.

    The files are taken in the order of their first row (their names are not relied on), and
    the rows are checked to come in order, across files too."""
    import pyarrow.parquet as pq

    at = list(columns).index("order")

    starts = []
    for path in folder.rglob("*.parquet"):  # featurize's chunks are folders of it
        file = pq.ParquetFile(path)
        if file.metadata.num_rows:
            first = next(file.iter_batches(batch_size=1, columns=["order"])).column(0)[0].as_py()
            starts.append((first, path))
    last = None
    for _, path in sorted(starts):
        file = pq.ParquetFile(path)
        groups = [g for g in range(file.metadata.num_row_groups)
                  if after is None or not _ends_by(file.metadata.row_group(g), after)]
        if not groups:
            continue
        for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=list(columns), row_groups=groups):
            values = [batch.column(name).to_pylist() for name in columns]
            orders = values[at]
            if (last is not None and orders[0] <= last) or any(a >= b for a, b in zip(orders, orders[1:])):
                raise BatchError(f"{path}: rows out of ingest order at order {orders[0]} (written by another job?)")
            last = orders[-1]
            rows: Iterator[tuple[Any, ...]] = zip(*values)
            if after is not None and orders[0] <= after:
                rows = (row for row in rows if row[at] > after)
            yield from rows


def _ends_by(group: Any, after: int) -> bool:
    """Whether a row group's ``order`` statistics put every row at or before ``after`` (a group
    without them is read)."""
    for c in range(group.num_columns):
        column = group.column(c)
        if column.path_in_schema == "order":
            stats = column.statistics
            return stats is not None and stats.has_min_max and stats.max <= after
    return False


def remove(folder: Path) -> None:
    """The folder and what it holds, when there."""
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["BATCH_ROWS", "read_ordered", "remove", "write_ordered"]
