"""The store stage's input in ingest order, read by the driver from Parquet files.

The driver resolves articles one at a time in ingest order. Collecting the sorted features
through Spark (``orderBy(...).toLocalIterator()``) sends each partition to the driver as a task
result held by the block manager until it is fetched; at 100,000 articles of the stream
benchmark's corpus (a partition ~300 MB of features) one such result was lost before it was
fetched (``TaskResultLost``), after 36 minutes of the stage, and the job failed. Here the
executors write the features range-partitioned and sorted by ``order``, and the driver reads
the files itself, a record batch at a time, in the order of their first row: nothing waits in
Spark's memory, and a file is read as fast as the disk gives it.
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


def read_ordered(folder: Path, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of a folder :func:`write_ordered` wrote, ``columns`` of each (``order`` among
    them), in ``order``.

    The files are taken in the order of their first row (their names are not relied on), and
    the rows are checked to come in order, across files too."""
    import pyarrow.parquet as pq

    at = list(columns).index("order")

    starts = []
    for path in folder.glob("*.parquet"):
        file = pq.ParquetFile(path)
        if file.metadata.num_rows:
            first = next(file.iter_batches(batch_size=1, columns=["order"])).column(0)[0].as_py()
            starts.append((first, path))
    last = None
    for _, path in sorted(starts):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=list(columns)):
            values = [batch.column(name).to_pylist() for name in columns]
            orders = values[at]
            if (last is not None and orders[0] <= last) or any(a >= b for a, b in zip(orders, orders[1:])):
                raise BatchError(f"{path}: rows out of ingest order at order {orders[0]} (written by another job?)")
            last = orders[-1]
            yield from zip(*values)


def remove(folder: Path) -> None:
    """The folder and what it holds, when there."""
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["BATCH_ROWS", "read_ordered", "remove", "write_ordered"]
