"""Band key postings in memory: each band key's earliest stored rows, for the keys a job's
articles share.

A band key held by one article only never makes a candidate: the article is resolved before
it is indexed, and no later article asks for the key. Spark finds the keys two articles or more
hold (:func:`shared_keys`, an explode and a group by key over every article's keys), with how
many rows each has; the driver then keeps, for those keys only, the rows a lookup in the store
would read: the earliest ``cap`` (``reuse.passage_postings`` for passages,
``reuse.max_candidates`` for articles), as the articles are stored, in ingest order. A row left
out of the index (a near-exact copy, see :meth:`storyline.reuse.stage.ReuseStage.index`) is
never added, as it is never written, so a lookup reads what the store's would, without asking it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..store.reuse_index import KEY_MASK

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# A row as one integer: the article's seq above, the passage index below.
_IDX_BITS = 24
_IDX_MASK = (1 << _IDX_BITS) - 1


class SortedKeys:
    """Where keys lie in a sorted array of distinct int64 ``keys``, as ``np.searchsorted``
    (side left) says, found through a table of ``2 ** bits`` buckets over the keys' range (8 bytes
    a bucket): a bucket's start, then a binary search within the bucket (a few keys), vectorised.
    A million articles share ~12 million passage band keys: a search over all of them reads ~24
    scattered places a key, which was most of what a lookup from memory cost (8% of the store
    stage, sampled at 47,000 articles into a million)."""

    def __init__(self, keys: np.ndarray, bits: int = 20) -> None:
        self.keys = keys
        self._low = int(keys[0]) if len(keys) else 0
        span = int(keys[-1]) - self._low if len(keys) else 0
        self._shift = max(0, span.bit_length() - bits)
        buckets = ((keys.view(np.uint64) - np.uint64(self._low & 0xFFFF_FFFF_FFFF_FFFF)) >> np.uint64(self._shift)
                   ).astype(np.int64)
        self._count = (span >> self._shift) + 1
        self._start = np.searchsorted(buckets, np.arange(self._count + 1))
        widest = int(np.diff(self._start).max()) if len(keys) else 0
        self._steps = widest.bit_length()

    def find(self, queries: np.ndarray) -> np.ndarray:
        """``np.searchsorted(keys, queries)`` (a query outside the keys' range: any position
        whose key is not the query, as is one of a query not held)."""
        queries = np.asarray(queries, dtype=np.int64)
        # Offsets from the least key as unsigned: one below it wraps to a large offset, clipped
        # to the last bucket like one above the greatest (neither is held).
        offsets = queries.view(np.uint64) - np.uint64(self._low & 0xFFFF_FFFF_FFFF_FFFF)
        bucket = np.minimum(offsets >> np.uint64(self._shift), np.uint64(self._count - 1)).astype(np.int64)
        lo, hi = self._start[bucket], self._start[bucket + 1]
        last = len(self.keys) - 1
        for _ in range(self._steps):
            mid = (lo + hi) >> 1
            less = (lo < hi) & (self.keys[np.minimum(mid, last)] < queries)
            more = (lo < hi) & ~less
            lo = np.where(less, mid + 1, lo)
            hi = np.where(more, mid, hi)
        return lo


class KeyPostings:
    """The earliest ``cap`` rows ``(seq, idx)`` of each of ``keys``, in the order they are added
    (ingest order, passages of one article by index: the store's ``ORDER BY article_seq``).

    Flat arrays, a slot range a key (as many slots as the key has rows in the job, at most
    ``cap``): 8 bytes a slot and 24 a key."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, cap: int) -> None:
        order = np.argsort(keys, kind="stable")
        self.cap = cap
        self.keys = np.ascontiguousarray(keys[order], dtype=np.int64)
        capacity = np.minimum(rows[order].astype(np.int64), cap)
        self._start = np.zeros(len(self.keys) + 1, dtype=np.int64)
        np.cumsum(capacity, out=self._start[1:])
        self._fill = np.zeros(len(self.keys), dtype=np.int64)
        self._rows = np.zeros(int(self._start[-1]), dtype=np.int64)
        self._sorted = SortedKeys(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def _held(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``keys`` (int64), a position in :attr:`keys`, and whether the key is held
        there (the position of one not held means nothing). Postings holding no key: neither."""
        if not len(self.keys):
            return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
        at = self._sorted.find(keys)
        at[at == len(self.keys)] = 0
        return at, self.keys[at] == keys

    def _positions(self, keys: np.ndarray) -> np.ndarray:
        """Positions in :attr:`keys` of those of ``keys`` held here (the rest dropped)."""
        at, held = self._held(np.asarray(keys, dtype=np.int64))
        return at[held]

    def add(self, seq: int, idx: int, keys: np.ndarray) -> None:
        """Rows ``(seq, idx)`` for ``keys`` (distinct), after every row added before."""
        at = self._positions(keys)
        at = at[self._start[at] + self._fill[at] < self._start[at + 1]]
        self._rows[self._start[at] + self._fill[at]] = (seq << _IDX_BITS) | idx
        self._fill[at] += 1

    def extend(self, keys: np.ndarray, rows: np.ndarray) -> None:
        """Rows (as integers, see :func:`split`) for ``keys``, one a key given, after every row
        added before, a key's in the order given: what :meth:`add` does one article at a time,
        for many at once (a resumed job's postings, made again from the store it wrote)."""
        at, held = self._held(np.asarray(keys, dtype=np.int64))
        at, rows = at[held], np.asarray(rows, dtype=np.int64)[held]
        if not len(at):
            return
        order = np.argsort(at, kind="stable")  # a key's rows stay in the order given
        at, rows = at[order], rows[order]
        firsts = np.flatnonzero(np.concatenate(([True], at[1:] != at[:-1])))
        counts = np.diff(np.append(firsts, len(at)))
        slot = self._start[at] + self._fill[at] + (np.arange(len(at)) - np.repeat(firsts, counts))
        fits = slot < self._start[at + 1]
        self._rows[slot[fits]] = rows[fits]
        keys_at = at[firsts]
        self._fill[keys_at] = np.minimum(self._fill[keys_at] + counts, self._start[keys_at + 1] - self._start[keys_at])

    def full(self, keys: np.ndarray) -> np.ndarray:
        """Those of ``keys`` holding ``cap`` rows (a store's lookup finds them full)."""
        at, held = self._held(np.asarray(keys, dtype=np.int64))
        at = at[held]
        return self.keys[at[self._fill[at] >= self.cap]]

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Every row held for ``keys``, a key's earliest first, once for each time the key is
        in ``keys`` (as a lookup in the store reads them), as integers (see :func:`split`)."""
        return self.rows_of_each([keys])[0]

    def rows_of_each(self, key_sets: list[np.ndarray]) -> list[np.ndarray]:
        """:meth:`rows` of each of ``key_sets``, found at once (an article's passages)."""
        if not key_sets:
            return []
        keys = np.concatenate(key_sets).astype(np.int64, copy=False)
        if not len(self.keys) or not len(keys):
            return [np.empty(0, dtype=np.int64) for _ in key_sets]
        at, held = self._held(keys)
        counts = np.where(held, self._fill[at], 0)
        # each key's slots start..start+fill, laid end to end
        ends = np.cumsum(counts)
        offsets = np.repeat(self._start[at] - (ends - counts), counts)
        found = self._rows[offsets + np.arange(int(ends[-1]))]
        # the rows of a set's keys end where its last key's do (those of the keys before it, for none)
        row_ends = np.concatenate(([0], ends))[np.cumsum([len(k) for k in key_sets])].tolist()
        return [found[start:end] for start, end in zip([0, *row_ends[:-1]], row_ends)]


def packed(seqs: np.ndarray | int, indexes: np.ndarray | int = 0) -> np.ndarray:
    """Rows ``(seq, idx)`` as integers, as :meth:`KeyPostings.rows` gives them (see :func:`split`)."""
    return (np.asarray(seqs, dtype=np.int64) << _IDX_BITS) | np.asarray(indexes, dtype=np.int64)


def split(row: int) -> tuple[int, int]:
    """``(seq, idx)`` of a row from :meth:`KeyPostings.rows`."""
    return row >> _IDX_BITS, row & _IDX_MASK


def ranked(rows: np.ndarray, top: int, min_shared: int) -> list[tuple[int, int]]:
    """The store's ranking of ``rows`` (one per shared key): the ``top`` (seq, idx) sharing the
    most keys, then the earliest; only those sharing ``min_shared``, or when none does, as many
    as the most shared."""
    if not len(rows):
        return []
    found, shared = np.unique(rows, return_counts=True)  # by row: seq, then idx
    best = np.lexsort((found, -shared))[:top]
    found, shared = found[best], shared[best]
    found = found[shared >= min(min_shared, int(shared[0]))]
    return [split(int(r)) for r in found]


# -- Spark ---------------------------------------------------------------------------------------

SHARED_SCHEMA = "key long, rows long"


def shared_keys(features: DataFrame, column: str, narrow: bool = False) -> DataFrame:
    """The keys of ``column`` (an array of an article's keys, each of its rows once) held by two
    articles or more, with how many rows each has (:data:`SHARED_SCHEMA`). ``narrow``: each key
    as the store keeps a passage band key (:func:`storyline.store.reuse_index.store_key`), so
    keys that are one there are one here."""
    from pyspark.sql import functions as F

    exploded = features.where(F.col(column).isNotNull()).select("order", F.explode(column).alias("key"))
    if narrow:
        exploded = exploded.select("order", F.col("key").bitwiseAND(F.lit(KEY_MASK)).alias("key"))
    return (exploded.groupBy("key")
            .agg(F.count("*").alias("rows"), F.min("order").alias("first"), F.max("order").alias("last"))
            .where("first < last").select("key", "rows"))


def shared_passage_keys(features: DataFrame) -> DataFrame:
    """:func:`shared_keys` of the passage keys (narrowed), with each key's rows too, in ingest order
    (``orders`` and ``indexes``: each row's article order and passage index), from which the
    candidate pairs are found (:func:`storyline.batch.pairs.candidate_pairs`)."""
    from pyspark.sql import functions as F

    exploded = (features.where(F.col("passage_keys").isNotNull())
                .select("order", F.explode(F.arrays_zip("passage_keys", "passage_key_index")).alias("k"))
                .select("order", F.col("k.passage_keys").bitwiseAND(F.lit(KEY_MASK)).alias("key"),
                        F.col("k.passage_key_index").alias("idx")))
    grouped = (exploded.groupBy("key")
               .agg(F.count("*").alias("rows"), F.min("order").alias("first"), F.max("order").alias("last"),
                    F.array_sort(F.collect_list(F.struct("order", "idx"))).alias("held"))
               .where("first < last"))
    return grouped.select("key", "rows", F.col("held.order").alias("orders"), F.col("held.idx").alias("indexes"))


def read_shared(folder: Path, cap: int, narrow: bool = False) -> KeyPostings:
    """Postings for the keys :func:`shared_keys` wrote as Parquet in ``folder``; ``narrow``: as
    the store keeps them (a job's folder from before keys were narrowed holds whole keys)."""
    import pyarrow.parquet as pq

    table = pq.read_table(str(folder), columns=["key", "rows"])
    keys = table.column("key").to_numpy().astype(np.int64, copy=False)
    rows = table.column("rows").to_numpy().astype(np.int64, copy=False)
    if narrow:
        keys, at = np.unique(keys & np.int64(KEY_MASK), return_inverse=True)
        rows = np.bincount(at, weights=rows, minlength=len(keys)).astype(np.int64)
    return KeyPostings(keys, rows, cap)
