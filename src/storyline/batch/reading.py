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

Parquet files are read by Spark itself, split as Spark splits them; each row is a record
checked as a JSONL line is (:func:`storyline.ingest.read_records`: the same field names and
``--map``, row *n* reported as line *n*), its values made JSON-like first (dates and times
in ISO 8601).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..ingest import ReadOptions, read_input, read_records
from ..ingest.sources import Input
from ..records import Article, IngestWarning, Rejection, Skipped, SourceRef
from ..settings import IngestSettings

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

READ_SCHEMA = "order long, kind string, location string, line int, reason string, article binary"
# Items of one input are numbered in the low 32 bits of ``order``, the input in the high ones.
ITEM_BITS = 32
# A Parquet row's items (its article or rejection, and any warnings) in the low bits of its number.
ROW_ITEM_BITS = 3

Row = tuple[int, str, str, "int | None", "str | None", "bytes | None"]


def _row(order: int, item: object, location: str) -> Row | None:
    if isinstance(item, Article):
        origin = item.origin
        return (order, "article", origin.location if origin else location, origin.line if origin else None,
                None, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    if isinstance(item, Rejection):
        return order, "rejected", item.origin.location, item.origin.line, item.reason, None
    if isinstance(item, IngestWarning):
        return order, "warning", item.origin.location, item.origin.line, item.message, None
    if isinstance(item, Skipped):
        return order, "skipped", item.origin.location, item.origin.line, item.reason, None
    return None


def read_rows(inputs: Iterable[tuple[int, str]], settings: IngestSettings, options: ReadOptions) -> Iterator[Row]:
    """The rows of the inputs ``(position, path)`` a task was given, in order."""
    for position, location in inputs:
        for n, item in enumerate(read_input(Input("file", location), settings, options)):
            row = _row((position << ITEM_BITS) | n, item, location)
            if row is not None:
                yield row


def json_like(value: object) -> object:
    """A Parquet value as JSON would carry it: dates and times in ISO 8601, decimals as numbers,
    binary as base64, nested rows and maps as objects, lists as lists."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): json_like(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_like(v) for v in value]
    return value


def parquet_rows(position: int, location: str, rows: Iterable[tuple[dict, int]], settings: IngestSettings,
                 options: ReadOptions) -> Iterator[Row]:
    """The rows of a Parquet file's records ``(record, index in the file)`` a task was given (one
    split of the file, its records in file order)."""
    for record, index in rows:
        items = read_records([json_like(record)], location, settings, options, first=index + 1)
        for k, item in enumerate(items):
            row = _row((position << ITEM_BITS) | (index << ROW_ITEM_BITS) | min(k, (1 << ROW_ITEM_BITS) - 1),
                       item, location)
            if row is not None:
                yield row


def read_frame(spark: SparkSession, locations: list[str], settings: IngestSettings,
               options: ReadOptions) -> DataFrame:
    """A DataFrame of every input's rows (:data:`READ_SCHEMA`): one partition per input file,
    a Parquet file in Spark's splits of it."""
    numbered = list(enumerate(locations))
    files = [(position, location) for position, location in numbered if not Input("file", location).is_parquet]
    rdds = []
    if files:
        rdd = spark.sparkContext.parallelize(files, max(1, len(files)))
        rdds.append(rdd.mapPartitions(lambda part: read_rows(part, settings, options)))
    for position, location in numbered:
        if Input("file", location).is_parquet:
            rdds.append(_parquet_rdd(spark, position, location, settings, options))
    rows = rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds) if rdds else spark.sparkContext.emptyRDD()
    return spark.createDataFrame(rows, READ_SCHEMA)


def _parquet_rdd(spark: SparkSession, position: int, location: str, settings: IngestSettings,
                 options: ReadOptions) -> RDD:
    """One Parquet file's rows, or its one rejection when Spark cannot read it (not Parquet, damaged)."""
    from py4j.protocol import Py4JJavaError  # a footer that cannot be read (not Parquet, damaged)
    from pyspark.errors import PySparkException  # AnalysisException's base: a path Spark cannot plan a read of

    try:
        frame = spark.read.parquet(location)
    except (PySparkException, Py4JJavaError) as exc:
        message = str(exc.java_exception.getMessage()) if isinstance(exc, Py4JJavaError) else str(exc)
        reason = f"cannot be read as Parquet ({(message.splitlines() or [''])[0][:300]})"
        return spark.sparkContext.parallelize([(position << ITEM_BITS, "rejected", location, None, reason, None)], 1)
    # zipWithIndex numbers the rows in file order, the same numbers on every run.
    indexed = frame.rdd.map(lambda row: row.asDict(recursive=True)).zipWithIndex()
    return indexed.mapPartitions(lambda part: parquet_rows(position, location, part, settings, options))
