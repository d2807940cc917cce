"""Candidate passage pairs, checked on the executors with the reuse stage's own check.

Resolving a passage, the reuse stage checks it against the stored passages its band key lookup
returns (:meth:`storyline.reuse.stage.ReuseStage.check_keyed`: whether it recycles one, and the
copied spans); the check is a function of the two passages alone, so it can be made before the
store stage, where there are cores. Which pairs the lookup will return depends on the order
(a lookup reads each key's earliest ``reuse.passage_postings`` rows *among those indexed*, and a
near-exact copy is left out of the index), so Spark checks a superset from the same rules,
looser (:func:`candidate_pairs`): for each passage, the ``batch.pair_checks`` earlier passages
sharing the most band keys with it among each key's earliest ``batch.pair_rows`` rows (the store
stage leaves some of those out, and its copies crowd the ranking). The store stage looks each
pair its lookups return up among these (:class:`storyline.batch.reuse_index.BatchReuseIndex`)
and checks on the driver, with the same function, any pair not found (a candidate ranked lower
here than there, and the pairs that share no key: a match's first occurrence, checked for a
partial match and its copied spans): the verdicts are the same either way, and the report
counts both.

Each pair carries its two passages to the task that checks it as what the check reads of them
(:func:`passage_blob`: no text, each sentence a run of the passage's keys), and its verdict
crosses to the driver as a packed record (:data:`RECORD`) in a list per article, joined to the
article's features row.
"""

from __future__ import annotations

import math
import pickle
import struct
from collections.abc import Iterator
from itertools import chain
from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Span
from ..reuse.ports import CheckedPair
from ..reuse.sentences import SentenceKeys, sentence_keys, sentences_of_runs
from ..reuse.stage import ReuseStage
from ..settings import Settings
from ..text.passages import PassageKeys, SentenceRun

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

# passage index, the stored passage's article (ingest order) and index, score (NaN: no match),
# partial, the copied spans (-1: none, as for a pair that does not match)
RECORD = struct.Struct("<iqid?iiii")
CHECKED_SCHEMA = "order long, record binary"
PAIRS_SCHEMA = "order long, pairs array<binary>"

# Parsed passages a check task keeps: a task's pairs come grouped by their stored passage.
_PARSED = 20_000

Key = tuple[int, int, int]  # passage index, stored article's order, stored passage index


# A passage as a pair check reads it: its text's length, its keys, its sentences' keys.
Keyed = tuple[int, PassageKeys, tuple[SentenceKeys, ...]]


def passage_blob(text: str, keys: PassageKeys, sentences: tuple[SentenceKeys, ...] | None) -> bytes:
    """What a pair check reads of a passage (:func:`read_blob`): its text's length, its keys and
    its sentences' keys, each sentence as the run of the passage's keys that holds its own where
    one does (nearly always), else as it is. A check given both passages' sentences reads nothing
    else of their texts (``ReuseStage.check_keyed``), and every pair carries two of these through
    Spark's joins: without the text and the sentences' own copies of their keys, a third of the
    bytes. ``sentences`` ``None``: made from the text, as the check itself would make them."""
    if sentences is None:
        sentences = sentence_keys(text)
    runs = _runs(keys.keys, sentences)
    return pickle.dumps((len(text), keys.keys, keys.words, runs if runs is not None else sentences),
                        protocol=pickle.HIGHEST_PROTOCOL)


def read_blob(blob: bytes) -> Keyed:
    """A passage as :func:`passage_blob` packed it."""
    length, keys, words, sentences = pickle.loads(blob)
    if sentences and not isinstance(sentences[0], SentenceKeys):
        sentences = sentences_of_runs(keys, sentences)
    return length, PassageKeys(keys, words), sentences


def _runs(keys: tuple[str, ...], sentences: tuple[SentenceKeys, ...]) -> tuple[SentenceRun, ...] | None:
    """Each sentence as a run of ``keys`` holding the same keys in the same order (the first
    such run from where the sentence before it ended, else from the start), or ``None`` when one
    has none: a sentence is read back with keys equal to its own, which is all a check compares."""
    out = []
    at = 0
    for sentence in sentences:
        own = sentence.keys.keys
        size = len(own)
        last = len(keys) - size + 1  # past the last place a run of ``size`` keys can start
        first = next((i for i in chain(range(at, last), range(min(at, last))) if keys[i:i + size] == own), None)
        if first is None:
            return None
        out.append((sentence.start, sentence.end, first, first + size, sentence.keys.words))
        at = max(at, first + size)
    return tuple(out)


def pack(index: int, order: int, stored_index: int, checked: CheckedPair) -> bytes:
    match, spans = checked.match, checked.spans
    (a0, a1), (b0, b1) = ((spans[0].start, spans[0].end), (spans[1].start, spans[1].end)) if spans else ((-1, -1),
                                                                                                         (-1, -1))
    return RECORD.pack(index, order, stored_index, float("nan") if match is None else match[0],
                       bool(match and match[1]), a0, a1, b0, b1)


def unpack(records: list[bytes]) -> dict[Key, CheckedPair]:
    """The verdicts of :func:`pack`, by pair."""
    verdicts = Verdicts(records)
    out: dict[Key, CheckedPair] = {}
    for record in records:
        index, order, stored_index = RECORD.unpack(record)[:3]
        found = verdicts.get(index, order, stored_index)
        if found is not None:
            out[index, order, stored_index] = found
    return out


class Verdicts:
    """One article's verdicts, read as asked: an article has a few hundred, and resolve asks for
    about a quarter of them."""

    __slots__ = ("_records",)
    _KEY = struct.Struct("<iqi")

    def __init__(self, records: list[bytes]) -> None:
        size = self._KEY.size
        self._records = {bytes(record[:size]): record for record in records}

    def __len__(self) -> int:
        return len(self._records)

    def get(self, index: int, order: int, stored_index: int) -> CheckedPair | None:
        record = self._records.get(self._KEY.pack(index, order, stored_index))
        if record is None:
            return None
        _, _, _, score, partial, a0, a1, b0, b1 = RECORD.unpack(record)
        if math.isnan(score):  # checked, no match
            return _NO_MATCH
        return CheckedPair((score, partial), (Span(a0, a1), Span(b0, b1)))


_NO_MATCH = CheckedPair(None)


def check_frames(frames: Iterator[pd.DataFrame], settings: Settings) -> Iterator[pd.DataFrame]:
    """One partition of pairs (``order, idx, stored_order, stored_idx, blob, stored_blob``) in,
    each one's verdict out (:data:`CHECKED_SCHEMA`)."""
    import pandas as pd

    # Compiled from the first pair where numba is installed (``reuse.compiled_checks`` left
    # ``None``): a task checks thousands of pairs, which win back numba's import and load many
    # times over, and a Python worker keeps the compiled check for its next tasks.
    stage = ReuseStage(replace(settings.reuse, compiled_after=0))
    parsed: dict[tuple[int, int], Keyed] = {}

    def read(order: int, idx: int, blob: bytes) -> Keyed:
        found = parsed.get((order, idx))
        if found is None:
            if len(parsed) >= _PARSED:
                parsed.clear()
            found = parsed[order, idx] = read_blob(blob)
        return found

    for frame in frames:
        out = []
        for order, idx, stored_order, stored_idx, blob, stored_blob in zip(
                frame["order"].tolist(), frame["idx"].tolist(), frame["stored_order"].tolist(),
                frame["stored_idx"].tolist(), frame["blob"], frame["stored_blob"]):
            checked = stage.check_keyed(*read(order, idx, blob), *read(stored_order, stored_idx, stored_blob))
            out.append((order, pack(idx, stored_order, stored_idx, checked)))
        yield pd.DataFrame(out, columns=["order", "record"])


# -- Spark ---------------------------------------------------------------------------------------

def pair_frames(frames: Iterator[pd.DataFrame], rows: int) -> Iterator[pd.DataFrame]:
    """Shared passage keys with their rows in (``orders, indexes``, see
    :func:`storyline.batch.postings.shared_passage_keys`); out, each row with every one of the
    key's earliest ``rows`` rows of an earlier article (``order, idx, stored_order,
    stored_idx``), once for each key."""
    import numpy as np
    import pandas as pd

    columns: list[list[np.ndarray]] = [[], [], [], []]
    for frame in frames:
        for part in columns:
            part.clear()
        for orders, indexes in zip(frame["orders"], frame["indexes"]):
            orders = np.asarray(orders, dtype=np.int64)
            # an article's rows are never its own candidates: it is resolved before it is stored
            a, b = np.nonzero(orders[:, None] > orders[None, :rows])
            for part, values in zip(columns, (orders[a], np.asarray(indexes)[a], orders[b], np.asarray(indexes)[b])):
                part.append(values)
        yield pd.DataFrame({name: np.concatenate(part) if part else np.empty(0, dtype=np.int64)
                            for name, part in zip(("order", "idx", "stored_order", "stored_idx"), columns)})


def candidate_pairs(shared: DataFrame, rows: int, per_passage: int) -> DataFrame:
    """``(order, idx, stored_order, stored_idx)``: each passage with the earlier passages it is
    checked against (see the module's docstring), from the shared passage keys with their rows."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    pairs = (shared.select("orders", "indexes")
             .mapInPandas(lambda frames: pair_frames(frames, rows),
                          "order long, idx int, stored_order long, stored_idx int")
             .groupBy("order", "idx", "stored_order", "stored_idx").agg(F.count("*").alias("shared")))
    by_passage = Window.partitionBy("order", "idx").orderBy(F.desc("shared"), "stored_order", "stored_idx")
    return (pairs.select("*", F.row_number().over(by_passage).alias("rank")).where(F.col("rank") <= per_passage)
            .select("order", "idx", "stored_order", "stored_idx"))


def checked_pairs(features: DataFrame, shared: DataFrame, settings: Settings) -> DataFrame:
    """Each article's checked pairs as packed records (:data:`PAIRS_SCHEMA`), for the articles
    that have any; ``shared``: :func:`storyline.batch.postings.shared_passage_keys`."""
    from pyspark.sql import functions as F

    pairs = candidate_pairs(shared, settings.batch.pair_rows, settings.batch.pair_checks)
    blobs = (features.where(F.col("passages").isNotNull())
             .select("order", F.posexplode("passages").alias("idx", "blob")).where(F.col("blob").isNotNull()))
    stored = blobs.select(F.col("order").alias("stored_order"), F.col("idx").alias("stored_idx"),
                          F.col("blob").alias("stored_blob"))
    joined = pairs.join(blobs, ["order", "idx"]).join(stored, ["stored_order", "stored_idx"])
    checked = joined.select("order", "idx", "stored_order", "stored_idx", "blob", "stored_blob").mapInPandas(
        lambda frames: check_frames(frames, settings), CHECKED_SCHEMA)
    return checked.groupBy("order").agg(F.collect_list("record").alias("pairs"))
