"""The store stage's input: features written by range of ingest order, read back by the driver in order."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storyline.batch.ordered import BATCH_ROWS, read_ordered, write_ordered
from storyline.batch.session import BatchError


def test_rows_come_back_in_ingest_order_whatever_the_partitions(spark, tmp_path):
    orders = list(range(3 * BATCH_ROWS + 7))
    random.Random(5).shuffle(orders)
    rows = [(o, f"file{o % 3}.jsonl", o + 1, bytes([o % 256]) * 3, None if o % 5 else [b"x", bytes([o % 7])])
            for o in orders]
    frame = spark.createDataFrame(rows, "order long, location string, line long, article binary, pairs array<binary>")
    for partitions in (1, 4, 9):
        folder = tmp_path / f"p{partitions}"
        write_ordered(frame.repartition(5), folder, partitions)
        got = list(read_ordered(folder, ("order", "location", "line", "article", "pairs")))
        assert [r[0] for r in got] == sorted(orders)
        assert got[10] == (10, "file1.jsonl", 11, bytes([10]) * 3, [b"x", bytes([3])])
        assert got[11][4] is None


def test_an_empty_frame_gives_no_rows(spark, tmp_path):
    frame = spark.createDataFrame([], "order long, article binary")
    write_ordered(frame, tmp_path / "none", 3)
    assert list(read_ordered(tmp_path / "none", ("order", "article"))) == []


def test_files_that_overlap_are_refused(tmp_path):
    """Files of two writes mixed in one folder: the rows would not come in order."""
    pq.write_table(pa.table({"order": [1, 2, 5]}), tmp_path / "part-00000.parquet")
    pq.write_table(pa.table({"order": [3, 4]}), tmp_path / "part-00001.parquet")
    with pytest.raises(BatchError, match="out of ingest order at order 3"):
        list(read_ordered(tmp_path, ("order",)))


def test_a_resumed_read_starts_after_the_order_given_and_skips_what_lies_wholly_before(tmp_path):
    """A file whose rows all come at or before ``after`` is not read (by its statistics): this one
    is out of order and would be refused if it were."""
    pq.write_table(pa.table({"order": [3, 1, 2], "article": [b"c", b"a", b"b"]}), tmp_path / "part-00000.parquet")
    pq.write_table(pa.table({"order": [5, 6, 7, 8], "article": [b"e", b"f", b"g", b"h"]}),
                   tmp_path / "part-00001.parquet", row_group_size=2)
    with pytest.raises(BatchError, match="out of ingest order"):
        list(read_ordered(tmp_path, ("order", "article")))
    assert list(read_ordered(tmp_path, ("order", "article"), after=4)) == [(5, b"e"), (6, b"f"), (7, b"g"), (8, b"h")]
    assert list(read_ordered(tmp_path, ("order", "article"), after=6)) == [(7, b"g"), (8, b"h")]
    assert list(read_ordered(tmp_path, ("order",), after=5)) == [(6,), (7,), (8,)]
    assert list(read_ordered(tmp_path, ("order",), after=8)) == []
