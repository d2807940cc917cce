"""Reading: every input file through the ingest readers, one Spark task per file.

The readers are the streaming engine's (:func:`storyline.ingest.read_input`), so a record is
read with the same field rules and a record that is not an article is rejected with the same
reason; every item a reader yields becomes a row, rejections and warnings included, so nothing
is dropped on the way. Each row carries its ingest order (``order``: the input's position in
the command line, then the item's position in the input), which the driver resolves in.

A file is read by one task (a JSONL record may not split across files, a CSV record may span
lines): an archive of many files reads in parallel, a single huge file in one task. The files
must be readable where the tasks run (this machine in local mode, a shared filesystem on a
cluster).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..ingest import ReadOptions, read_input
from ..ingest.sources import Input
from ..records import Article, IngestWarning, Rejection, Skipped
from ..settings import IngestSettings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

READ_SCHEMA = "order long, kind string, location string, line int, reason string, article binary"
# Items of one input are numbered in the low 32 bits of ``order``, the input in the high ones.
ITEM_BITS = 32

Row = tuple[int, str, str, "int | None", "str | None", "bytes | None"]


def read_rows(inputs: Iterable[tuple[int, str]], settings: IngestSettings, options: ReadOptions) -> Iterator[Row]:
    """The rows of the inputs ``(position, path)`` a task was given, in order."""
    for position, location in inputs:
        for n, item in enumerate(read_input(Input("file", location), settings, options)):
            order = (position << ITEM_BITS) | n
            if isinstance(item, Article):
                origin = item.origin
                yield (order, "article", origin.location if origin else location, origin.line if origin else None,
                       None, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
            elif isinstance(item, Rejection):
                yield order, "rejected", item.origin.location, item.origin.line, item.reason, None
            elif isinstance(item, IngestWarning):
                yield order, "warning", item.origin.location, item.origin.line, item.message, None
            elif isinstance(item, Skipped):
                yield order, "skipped", item.origin.location, item.origin.line, item.reason, None


def read_frame(spark: SparkSession, locations: list[str], settings: IngestSettings,
               options: ReadOptions) -> DataFrame:
    """A DataFrame of every input's rows (:data:`READ_SCHEMA`), one partition per input file."""
    numbered = list(enumerate(locations))
    rdd = spark.sparkContext.parallelize(numbered, max(1, len(numbered)))
    rows = rdd.mapPartitions(lambda part: read_rows(part, settings, options))
    return spark.createDataFrame(rows, READ_SCHEMA)
