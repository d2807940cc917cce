"""The reuse stage's persistent index: LSH band keys and signatures in the store's SQLite file.

Lookups are primary-key range scans, so adding the millionth article costs what
the first did, up to the B-tree's logarithm.

Passage band keys (~350 rows an article, random keys) live in three levels, as in a
log-structured merge tree: new rows gather in ``passage_bands_log``; once it holds
``recent`` rows they move, in key order, into ``passage_postings_mid``; once that holds a
``ratio``-th of the big ``passage_postings`` (and at least ``mid`` rows) it moves into it. A
move rewrites about every page of the level it goes into, so moving straight into the big
index (as schema 8 did) cost a rewrite of the whole index every ``recent`` rows, dearer as the
store grew. Each level holds rows newer than the level below, so a lookup reads all three and
takes a key's earliest rows, as one table would give them.

The recent level has a row an article, appended (:func:`pack_log`; schema 20: a row a (key,
article_seq, idx) before, inserted at random places in its index: 1.4–2.2 ms of SQL an article
in ``benchmarks/stage_costs.py``, last 500 of 4,000), and lookups read it from memory, where the
index keeps it whole (a dict of ``recent`` rows at most, ~150 bytes a row), loaded from the
table when first needed and again after a rollback or another writer's commit. The two levels below it have one row a key, its rows
packed in article order (:func:`pack_postings`), a move appending the newer ones to the key's
blob. Two of three rows shared their key with others, and the 8-byte key was most of a row.

Article band keys (16 an article) live in two levels: new rows in ``article_bands_log``, a row
an article, held in memory for lookups as the passage keys' recent level is; once it holds
``articles`` rows they move into ``article_bands`` (a row a key and article) in key order, in one
pass, where inserting each batch's rows had dirtied a page a row (schema 29).

A key is stored by its low 40 bits (:func:`store_key`), as a 5-byte big-endian BLOB (schema 18;
SQLite stores an integer that wide in 6 bytes, a 64-bit one in 8). Two keys that agree in those
bits are one key here: a lookup then meets the other's passages too, which the stage verifies
like any candidate. At 100 million stored keys a lookup key meets a foreign one with chance
~1e-4 (the 3,000-article benchmark stream: no candidate list changed).
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import numpy as np

from ..errors import StoreError
from ..pipeline.ports import (
    CheckedPair,
    SentenceKeys,
    StoredArticle,
    StoredPassage,
    stored_passage,
)
from ..records import Article, PassageRef
from ..text.passages import PassageKeys, keys_and_runs
from .key_filter import KeyFilter
from .passage_cache import PassageCache
from .passage_codes import status_of
from .span_codec import unpack_spans
from .text_codec import TextCodec

ALGORITHM_KEY = "reuse.algorithm"
BIG_ROWS_KEY = "reuse.passage_bands_rows"  # rows in passage_postings (counting 20 million takes a second)
MID_ROWS_KEY = "reuse.passage_bands_mid_rows"  # rows in passage_postings_mid
POSTINGS_KEY = "reuse.passage_postings"  # rows kept a band key (see passage_candidates)


@dataclass(slots=True, frozen=True)
class BandLevels:
    """When passage band keys move down a level (``reuse.recent_bands``, ``reuse.mid_bands``,
    ``reuse.level_ratio``), and article band keys into their index (``reuse.recent_article_bands``)."""

    recent: int = 200_000
    mid: int = 2_000_000
    ratio: int = 10
    articles: int = 160_000


@lru_cache(maxsize=64)
def _postings_sql(n_keys: int) -> str:
    # The keys' packed rows of the two lower levels, the big one's first (the older rows); their
    # rows in the recent level are in memory. Each blob cut to its first ``?`` bytes: a lookup
    # uses a key's earliest rows only, and a store a batch job wrote before it withheld rows as a
    # stream does (until compacted) holds keys of thousands.
    marks = ",".join("?" * n_keys)
    return (f"SELECT key, substr(postings, 1, ?) FROM passage_postings WHERE key IN ({marks})"
            f" UNION ALL SELECT key, substr(postings, 1, ?) FROM passage_postings_mid WHERE key IN ({marks})")


def _head_bytes(limit: int) -> int:
    """Bytes of a packed blob that hold its first ``limit`` rows, whatever their form (a row is
    one word, or three when escaped)."""
    return 3 * 4 * limit


KEY_BITS = 40
KEY_MASK = (1 << KEY_BITS) - 1
_KEY_BYTES = KEY_BITS // 8


def store_key(key: int) -> int:
    """A passage band key as the store keeps it: its low :data:`KEY_BITS` bits."""
    return key & KEY_MASK


def _key_blob(key: int) -> bytes:
    """A stored key (see :func:`store_key`) as its column holds it."""
    return key.to_bytes(_KEY_BYTES, "big")


def _key_int(value: bytes | int) -> int:
    return int.from_bytes(value, "big") if isinstance(value, bytes) else store_key(value)


_IDX_BITS = 32  # a posting in memory: article_seq << 32 | passage index
_IDX_MASK = (1 << _IDX_BITS) - 1


_PACKED_BITS = 62  # of an int64's 63 value bits: a packed row stays positive with room to spare


def top_postings_many(postings: np.ndarray, lens: np.ndarray, sizes: Sequence[int], top: int,
                      min_shared: int = 1) -> list[list[tuple[int, int]]]:
    """Each passage's candidates: the ``top`` postings (``article_seq << 32 | idx``) sharing the
    most of its band keys, then the earliest, as (article seq, passage index); only those sharing
    at least ``min_shared``, or when none does, as many as the most shared. ``postings`` holds
    each band key's postings one key after another (``lens``: how many each), the keys of the
    first passage first (``sizes[0]`` of them), then the second's, and so on. Counted and ranked
    in a few array operations over the whole article, where one :class:`~collections.Counter` a
    passage made each passage's lookup cost half again as much.

    Each row is packed into one int64 (passage, article seq, passage index; then passage, the
    count's complement, seq, index) and sorted as numbers: two ``np.lexsort`` calls took 549
    µs a lookup of ~4,000 rows where this takes 207 (``benchmarks/candidate_ranking.py``, the
    last 300 of 10,000 articles; README, "Candidates ranked as one number"). Where the fields do not fit in 62
    bits (they take ~40 at a million articles: seq 20, passage index 9, passage 4, count 7), or
    a posting is negative (none is stored so), the rows are sorted by their columns instead,
    with the same result."""
    out: list[list[tuple[int, int]]] = [[] for _ in sizes]
    total = int(postings.size)
    if not total or top < 1:
        return out
    n = len(sizes)
    owners = np.repeat(np.repeat(np.arange(n, dtype=np.int64), sizes), lens)
    seqs = postings >> _IDX_BITS
    indexes = postings & _IDX_MASK
    ib = max(1, int(indexes.max()).bit_length())
    lb = max(1, int(seqs.max()).bit_length()) + ib  # bits of (seq, index)
    ob = max(1, (n - 1).bit_length())
    if ob + lb > _PACKED_BITS or int(postings.min()) < 0:
        return _top_postings_by_columns(postings, owners, n, top, min_shared)
    rows = (owners << lb) | (seqs << ib) | indexes
    rows.sort()
    first = np.empty(total, dtype=bool)
    first[0] = True
    np.not_equal(rows[1:], rows[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=total)
    rows = rows[starts]
    cb = int(counts.max()).bit_length()
    if ob + cb + lb > _PACKED_BITS:
        return _top_postings_by_columns(postings, owners, n, top, min_shared)
    cmask, lmask, imask = (1 << cb) - 1, (1 << lb) - 1, (1 << ib) - 1
    # by passage, the most shared (the count's complement, so ascending), then the earliest
    ranked = ((rows >> lb) << (cb + lb)) | ((cmask - counts) << lb) | (rows & lmask)
    ranked.sort()
    bounds = np.searchsorted(ranked >> (cb + lb), np.arange(n + 1)).tolist()
    for p in range(n):
        start, end = bounds[p], bounds[p + 1]
        if start == end:
            continue
        head = ranked[start:min(end, start + top)].tolist()
        floor = min(min_shared, cmask - ((head[0] >> lb) & cmask))
        out[p] = [((v & lmask) >> ib, v & imask) for v in head if cmask - ((v >> lb) & cmask) >= floor]
    return out


def _top_postings_by_columns(postings: np.ndarray, owners: np.ndarray, n: int, top: int,
                             min_shared: int) -> list[list[tuple[int, int]]]:
    """:func:`top_postings_many` sorting the rows by their columns (``np.lexsort``), for rows
    whose fields do not fit in one int64."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    total = int(postings.size)
    order = np.lexsort((postings, owners))
    postings, owners = postings[order], owners[order]
    first = np.ones(total, dtype=bool)
    first[1:] = (postings[1:] != postings[:-1]) | (owners[1:] != owners[:-1])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, total))
    postings, owners = postings[starts], owners[starts]
    order = np.lexsort((postings, -counts, owners))  # by passage, the most shared, then the earliest
    postings, owners, counts = postings[order], owners[order], counts[order]
    bounds = np.searchsorted(owners, np.arange(n + 1))
    for p, (start, end) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
        if start == end:
            continue
        end = min(end, start + top)
        shared = counts[start:end]
        kept = postings[start:end][shared >= min(min_shared, int(shared[0]))].tolist()
        out[p] = [(packed >> _IDX_BITS, packed & _IDX_MASK) for packed in kept]
    return out

# Postings format 1: little-endian uint32 words, a row each: article_seq << 8 | idx while idx <
# 255 and article_seq < 2**24 (every row of a store under 16 million articles but a passage past
# the 255th of its article), else three words: _ESCAPE, article_seq, idx. Packed blobs of one key
# concatenate into the key's rows in order, which a move relies on (SQL's ||, no decoding).
_ESCAPE = 0xFFFFFFFF
_WORDS = "I"
assert array(_WORDS).itemsize == 4


def pack_postings(rows: Iterable[tuple[int, int]]) -> bytes:
    """(article_seq, idx) rows, in article order -> one key's packed postings (format 1)."""
    words = array(_WORDS)
    for seq, idx in rows:
        if idx < 0xFF and seq < 1 << 24:
            words.append(seq << 8 | idx)
        else:
            words.extend((_ESCAPE, seq, idx))
    if sys.byteorder != "little":
        words.byteswap()
    return words.tobytes()


def unpack_postings(blob: bytes, limit: int | None = None) -> list[int]:
    """Packed postings -> each row as ``article_seq << 32 | idx``, in order; with ``limit``, the
    first ``limit`` rows only, and ``blob`` may be cut anywhere after :func:`_head_bytes` of them."""
    words = array(_WORDS)
    try:
        words.frombytes(blob)
    except ValueError as exc:
        raise StoreError(f"a band key's packed rows are damaged ({exc})") from exc
    if sys.byteorder != "little":
        words.byteswap()
    if _ESCAPE not in words:
        head = words if limit is None else words[:limit]
        return [(w >> 8) << _IDX_BITS | (w & 0xFF) for w in head]
    out: list[int] = []
    i = 0
    while i < len(words) and (limit is None or len(out) < limit):
        w = words[i]
        if w == _ESCAPE:
            if i + 2 >= len(words):
                raise StoreError("a band key's packed rows are damaged (a row cut short)")
            out.append(words[i + 1] << _IDX_BITS | words[i + 2])
            i += 3
        else:
            out.append((w >> 8) << _IDX_BITS | (w & 0xFF))
            i += 1
    return out


def _cut_postings(blob: bytes, limit: int) -> tuple[bytes, int]:
    """A key's packed rows cut to the first ``limit``, and how many it held."""
    words = np.frombuffer(blob, dtype="<u4") if len(blob) % 4 == 0 else None
    if words is not None and not (words == _ESCAPE).any():
        return blob[:4 * limit], len(words)
    rows = unpack_postings(blob)  # escaped rows (or a damaged blob: its error)
    return pack_postings((p >> _IDX_BITS, p & _IDX_MASK) for p in rows[:limit]), len(rows)


def _packed_rows(rows: Sequence[tuple[bytes | int, bytes]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(key, packed postings) rows of a lower level -> their rows as (keys, article seqs, passage
    indexes), each key's in order; in array operations unless a row is escaped or a key is not
    a BLOB (then row by row, as :func:`unpack_postings` reads them)."""
    blobs = [blob for _, blob in rows]
    words = np.frombuffer(b"".join(blobs), dtype="<u4")
    if all(isinstance(key, bytes) for key, _ in rows) and not (words == _ESCAPE).any():
        lengths = np.fromiter((len(blob) // 4 for blob in blobs), dtype=np.int64, count=len(blobs))
        key_bytes = np.frombuffer(b"".join(cast(bytes, key) for key, _ in rows), dtype=np.uint8)
        keys = np.zeros(len(rows), dtype=np.int64)
        for column in range(_KEY_BYTES):  # big-endian
            keys = (keys << 8) | key_bytes[column::_KEY_BYTES].astype(np.int64)
        words = words.astype(np.int64)
        return np.repeat(keys, lengths), words >> 8, words & 0xFF
    flat = [(_key_int(key), p) for key, blob in rows for p in unpack_postings(blob)]
    keys = np.fromiter((k for k, _ in flat), dtype=np.int64, count=len(flat))
    packed = np.fromiter((p for _, p in flat), dtype=np.int64, count=len(flat))
    return keys, packed >> _IDX_BITS, packed & _IDX_MASK


def grouped(rows: Iterable[tuple[bytes, int, int]]) -> Iterator[tuple[bytes, bytes]]:
    """(key, article_seq, idx) rows in key order, then article order -> (key, packed postings)."""
    key: bytes | None = None
    pending: list[tuple[int, int]] = []
    for k, seq, idx in rows:
        if k != key:
            if key is not None:
                yield key, pack_postings(pending)
            key, pending = k, []
        pending.append((seq, idx))
    if key is not None:
        yield key, pack_postings(pending)


def grouped_arrays(keys: np.ndarray, seqs: np.ndarray,
                   indexes: np.ndarray) -> tuple[np.ndarray, Iterator[tuple[bytes | bytearray, bytes | bytearray]]]:
    """:func:`grouped` of rows given as three arrays in any order: (key, packed postings) in key
    order, each key's rows in article order, then passage order; with the distinct keys, sorted
    (which the sort gives: the key filter takes them).

    The blobs are slices of two ``bytearray`` buffers (equal to the ``bytes`` :func:`grouped`
    gives, and stored the same): Python 3.11's ``sqlite3`` binds a ``bytearray`` parameter
    directly but looks a ``bytes`` one up among its adapters first, which was ~20% of this move's
    samples (``py-spy --native``) in a stream's writing process."""
    if keys.size == 0:
        return keys, iter(())
    order = np.lexsort((indexes, seqs, keys))
    keys, seqs, indexes = keys[order], seqs[order].astype(np.int64), indexes[order].astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    distinct = keys[starts]
    if not ((indexes < 0xFF) & (seqs < 1 << 24)).all():  # an escaped row somewhere: row by row
        return distinct, grouped(zip(map(_key_blob, keys.tolist()), seqs.tolist(), indexes.tolist()))
    return distinct, _packed_groups(distinct, seqs, indexes, starts)


def _packed_groups(distinct: np.ndarray, seqs: np.ndarray, indexes: np.ndarray,
                   starts: np.ndarray) -> Iterator[tuple[bytearray, bytearray]]:
    """:func:`grouped_arrays`' rows (sorted, ``distinct`` keys starting at ``starts``), where each
    fits a four-byte posting."""
    words = bytearray((seqs << 8 | indexes).astype("<u4").tobytes())
    ends = np.append(starts[1:], seqs.size)
    # each key as _key_blob writes it: the last _KEY_BYTES of its eight big-endian bytes
    blobs = bytearray(distinct.astype(">u8").tobytes())
    skip = 8 - _KEY_BYTES
    for at, start, end in zip(range(skip, len(blobs), 8), (4 * starts).tolist(), (4 * ends).tolist()):
        yield blobs[at:at + _KEY_BYTES], words[start:end]


def pack_log(keys: Sequence[int] | np.ndarray, indexes: Sequence[int] | np.ndarray) -> bytes:
    """One article's recent band rows (stored keys, passage indexes) as its ``passage_bands_log`` row."""
    return np.asarray(keys, dtype="<u8").tobytes() + np.asarray(indexes, dtype="<u4").tobytes()


def unpack_log(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A ``passage_bands_log`` row -> its keys (uint64) and passage indexes (uint32)."""
    n, rest = divmod(len(blob), 12)
    if rest:
        raise StoreError(f"a recent band keys row is damaged ({len(blob)} bytes, not a multiple of 12)")
    return np.frombuffer(blob, dtype="<u8", count=n), np.frombuffer(blob, dtype="<u4", count=n, offset=8 * n)


def _log_rows(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every row of the recent level as (keys, article seqs, passage indexes), in article order."""
    keys, seqs, indexes = [], [], []
    for seq, blob in conn.execute("SELECT article_seq, rows FROM passage_bands_log ORDER BY article_seq"):
        k, i = unpack_log(blob)
        keys.append(k)
        indexes.append(i)
        seqs.append(np.full(k.size, seq, dtype=np.int64))
    if not keys:
        return np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.uint32)
    return np.concatenate(keys), np.concatenate(seqs), np.concatenate(indexes)


def _article_log_rows(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    """Every recent article band row (``article_bands_log``) as (keys, article seqs) in int64
    arrays, in article order."""
    keys, seqs = [], []
    for seq, blob in conn.execute("SELECT article_seq, keys FROM article_bands_log ORDER BY article_seq"):
        if len(blob) % 8:
            raise StoreError(f"the recent band keys of article #{seq} are damaged"
                             f" ({len(blob)} bytes, not a multiple of 8)")
        k = np.frombuffer(blob, dtype="<i8").astype(np.int64)
        keys.append(k)
        seqs.append(np.full(k.size, seq, dtype=np.int64))
    if not keys:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(keys), np.concatenate(seqs)


def _key_array(blobs: list[bytes]) -> np.ndarray:
    """Stored keys as the column holds them (5-byte big-endian BLOBs, see :func:`_key_blob`) -> uint64."""
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    if raw.size != _KEY_BYTES * len(blobs):
        raise StoreError("a passage band key of the wrong length in the reuse index")
    digits = raw.reshape(-1, _KEY_BYTES).astype(np.uint64)
    out = np.zeros(len(blobs), dtype=np.uint64)
    for column in range(_KEY_BYTES):
        out = (out << np.uint64(8)) | digits[:, column]
    return out


# The recent level in memory: key -> its one posting, or a list of its postings in article order.
# Most keys have one (a new paragraph's), and an int is no list for the garbage collector to walk
# (~370 new keys an article) nor to allocate.
RecentRows = dict[int, int | list[int]]


def _append_rows(recent: RecentRows, keys: list[int], postings: list[int]) -> None:
    """Rows into the recent level's memory, after each key's rows there (rows come in article order)."""
    get = recent.get
    for key, posting in zip(keys, postings):
        rows = get(key)
        if rows is None:
            recent[key] = posting
        elif isinstance(rows, int):
            recent[key] = [rows, posting]
        else:
            rows.append(posting)


def _recent_list(rows: int | list[int]) -> list[int]:
    return [rows] if isinstance(rows, int) else rows


def band_rows(conn: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    """Every passage band row of the three levels as (level, key, article_seq, idx): ``recent``,
    ``mid``, ``big``. For tests and inspection; lookups read only the keys they ask for."""
    keys, seqs, indexes = _log_rows(conn)
    return sorted(("recent", k, seq, idx) for k, seq, idx in zip(keys.tolist(), seqs.tolist(), indexes.tolist())) \
        + packed_level_rows(conn)


def packed_level_rows(conn: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    """The rows of the two levels below the recent one, as :func:`band_rows` gives them."""
    out = []
    for level, table in (("mid", "passage_postings_mid"), ("big", "passage_postings")):
        for key, blob in conn.execute(f"SELECT key, postings FROM {table} ORDER BY key"):
            out += [(level, _key_int(key), p >> _IDX_BITS, p & _IDX_MASK) for p in unpack_postings(blob)]
    return out


_ROW = np.dtype("<i8")  # a posting in the memo (``article_seq << 32 | idx``)


def memo_rows(rows: Sequence[int]) -> bytes:
    """Postings as the memo holds them: packed, so a key's entry is one object (a tuple held a
    Python int a posting: ~3 times the memory), and an article's lookup joins its ~400 entries
    into one array at once."""
    return np.asarray(rows, dtype=_ROW).tobytes()


def memo_list(rows: bytes) -> list[int]:
    """A memo entry's postings, in order."""
    return np.frombuffer(rows, dtype=_ROW).tolist()


class _Postings:
    """Band key -> its earliest rows (:func:`memo_rows`), at most ``limit`` keys: two
    generations, the older dropped whole when the younger fills half the limit (a key met again
    moves to the younger), which keeps what lookups keep meeting at a dict lookup a key, without
    an LRU's bookkeeping."""

    def __init__(self, limit: int) -> None:
        self._half = max(1, limit // 2)
        self._young: dict[int, bytes] = {}
        self._old: dict[int, bytes] = {}

    def get(self, key: int) -> bytes | None:
        rows = self._young.get(key)
        if rows is None:
            rows = self._old.pop(key, None)
            if rows is not None:
                self.put(key, rows)
        return rows

    def lookup(self, keys: list[int]) -> list[bytes | None]:
        """:meth:`get` of each key, in one call (a lookup asks for ~30 keys at once)."""
        young = self._young.get
        found = [young(k) for k in keys]
        if None in found and self._old:
            for i, key in enumerate(keys):
                if found[i] is None:
                    rows = self._old.pop(key, None)  # self._old: put() may have moved the generations
                    if rows is not None:
                        found[i] = rows
                        self.put(key, rows)
        return found

    def put(self, key: int, rows: bytes) -> None:
        self._young[key] = rows
        if len(self._young) >= self._half:
            self._old, self._young = self._young, {}

    def add_many(self, keys: list[int], postings: list[int], limit: int) -> None:
        """Rows just stored, in order (an article adds ~370 at once): each after every other row
        of its key, kept only when the key is held and has fewer than ``limit``."""
        young, old = self._young, self._old
        size = limit * _ROW.itemsize
        for key, posting in zip(keys, postings):
            rows = young.get(key)
            if rows is None:
                rows = old.get(key)
                if rows is not None and len(rows) < size:
                    old[key] = rows + posting.to_bytes(8, "little", signed=True)
            elif len(rows) < size:
                young[key] = rows + posting.to_bytes(8, "little", signed=True)

    def clear(self) -> None:
        self._young, self._old = {}, {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)


class SqliteReuseIndex:
    """Band keys and signatures for one store; used inside the store's write transaction."""

    def __init__(self, conn: sqlite3.Connection, cache_limit: int = 10_000, levels: BandLevels = BandLevels(),
                 postings_limit: int = 2_000_000, cold_limit: int = 400_000, filter_limit: int = 50_000_000,
                 read_text: Callable[[str | bytes | None], str | None] | None = None) -> None:
        self._conn = conn
        # An article's stored text -> its text: the store's codec (which keeps the texts read
        # lately), or one of this index's own.
        self._read_text = read_text if read_text is not None else TextCodec(conn).read
        # Which band keys the two lower levels may hold (see ``key_filter`` and ``_key_filter``):
        # made by reading their keys once lookups have read enough keys without it, then kept up
        # to date by this index's moves. ``_filter_rows``: the levels' row counts (meta) it was
        # right for; another writer's move changes them, and the filter is made again. None
        # until then, and for good past ``filter_limit`` keys (``reuse.cache_key_filter``; 0:
        # never): lookups read every key.
        self._filter_limit = filter_limit
        self._filter: KeyFilter | None = None
        self._filter_rows: tuple[int, int] | None = None
        self._filter_checked = False
        self._misses = 0  # keys read from the store with no filter (see _key_filter)
        self._levels = levels
        # Rows in each level; None: read them again (another writer may have moved them).
        self._recent: int | None = None
        # The recent level's rows (``passage_bands_log``), key -> its postings in article order;
        # None: read them again.
        self._recent_rows: RecentRows | None = None
        self._mid: int | None = None
        self._big: int | None = None
        # The recent article band rows (``article_bands_log``), key -> article seqs in article
        # order, and how many; None: read them again.
        self._article_rows: RecentRows | None = None
        self._article_count = 0
        # Stored passages never change once written, so they can be cached for the index's
        # life; the store clears the cache when a transaction rolls back. Least recently used
        # first out (the passages of a recycled block are asked for by every copy), in two
        # tiers (see ``passage_cache``).
        self._passages = PassageCache(cache_limit, cold_limit)
        # Band keys the last lookups found holding their limit of rows: a new row of one would
        # come after them, where no lookup reads (see ``passage_candidates``). Emptied as an
        # article's keys are stored, and on a rollback (its rows may have filled a key).
        self._full: set[int] = set()
        self._limit = 0  # the limit of those lookups
        self._kept: int | None = None  # rows kept a key (meta POSTINGS_KEY) once one was withheld
        self._kept_known = False
        # The earliest ``_limit`` rows of band keys looked up lately (packed, in article order;
        # () for a key no passage has), kept up to date as this index adds rows, so a lookup
        # reads SQLite only for keys it has not met: a third of a passage's keys already hold
        # their limit (shared by a recycled block) and nearly half a few rows. Least recently
        # used first out (roughly: see ``_Postings``).
        self._postings = _Postings(postings_limit)
        self._postings_version: int | None = None  # PRAGMA data_version when they were read

    def clear_cache(self) -> None:
        self._passages.clear()
        self._full.clear()
        self.refresh()

    def refresh(self) -> None:
        """Another writer committed (or a transaction rolled back): count the band key levels
        again, and read band keys' rows again (they may have more); passages never change once
        stored, so their cache stays."""
        self._recent = self._mid = self._big = None
        self._recent_rows = None
        self._article_rows = None
        self._filter_checked = False  # another writer may have moved rows into a lower level
        self._kept_known = False  # the limit's meta row: recorded by another writer, or rolled back
        self._postings.clear()

    def check_algorithm(self, version: str, continues: Sequence[str] = ()) -> None:
        """Record the signature algorithm on first use; refuse a store built with another, but
        for one of ``continues`` (versions whose index the current one goes on with), which is
        recorded as ``version`` from then on."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (ALGORITHM_KEY,)).fetchone()
        if row is None:
            self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (ALGORITHM_KEY, version))
        elif row[0] != version:
            if row[0] in continues:
                self._conn.execute("UPDATE meta SET value = ? WHERE key = ?", (version, ALGORITHM_KEY))
                return
            raise StoreError(f"the store's reuse index was built with {row[0]!r}, but the settings ask for "
                             f"{version!r}; use the settings the store was built with, or a new store")

    # -- articles ------------------------------------------------------------
    def add_article(self, seq: int, signature: np.ndarray, keys: np.ndarray) -> None:
        # Each value's low 16 bits (schema 27): the signature is read only to estimate how much two
        # articles share (kernel.estimate_jaccard), where 16-bit values agree by chance once in 65,536.
        self._conn.execute("INSERT INTO article_signatures (article_seq, signature) VALUES (?, ?)",
                           (seq, signature.astype("<u2").tobytes()))
        unique = list(dict.fromkeys(keys.tolist()))
        added = self._conn.execute("INSERT OR IGNORE INTO article_bands_log (article_seq, keys) VALUES (?, ?)",
                                   (seq, np.asarray(unique, dtype="<i8").tobytes())).rowcount
        if added and self._article_rows is not None:
            _append_rows(self._article_rows, unique, [seq] * len(unique))
            self._article_count += len(unique)

    def article_candidates(self, keys: np.ndarray, limit: int) -> list[StoredArticle]:
        """Stored articles sharing a band key, the most shared first (among each key's earliest
        ``limit``: the index's, then the recent level's, which are newer)."""
        self._check_version()
        recent = self._article_level()
        hits: Counter[int] = Counter()
        for key in keys.tolist():
            seqs = [seq for (seq,) in self._conn.execute(
                "SELECT article_seq FROM article_bands WHERE key = ? ORDER BY article_seq LIMIT ?", (key, limit))]
            newer = recent.get(key)
            if newer is not None and len(seqs) < limit:
                seqs += _recent_list(newer)[:limit - len(seqs)]
            hits.update(seqs)
        return self.stored_articles([seq for seq, _ in hits.most_common(limit)])

    def _check_version(self) -> None:
        """Another connection committed since the last lookup: what this index holds in memory of
        the store's rows is read again (the runner calls ``refresh`` then too; this keeps any
        other user of the index right)."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._postings_version:
            self.refresh()
            self._postings_version = version

    def _article_level(self) -> RecentRows:
        """The recent article band rows by key, read from the store when not held."""
        if self._article_rows is None:
            keys, seqs = _article_log_rows(self._conn)
            self._article_rows = {}
            _append_rows(self._article_rows, keys.tolist(), seqs.tolist())
            self._article_count = int(keys.size)
        return self._article_rows

    def move_article_bands(self) -> None:
        """Every recent article band row into ``article_bands``, in key order (one pass over its
        pages instead of a page a row). Inside the caller's transaction; ``settle`` does it once
        enough have gathered, ``storyline compact`` whatever there are."""
        keys, seqs = _article_log_rows(self._conn)
        order = np.lexsort((seqs, keys))
        self._conn.executemany("INSERT OR IGNORE INTO article_bands (key, article_seq) VALUES (?, ?)",
                               zip(keys[order].tolist(), seqs[order].tolist()))
        self._conn.execute("DELETE FROM article_bands_log")
        self._article_rows, self._article_count = {}, 0

    def stored_articles(self, seqs: list[int]) -> list[StoredArticle]:
        """The stored articles at ``seqs``, in that order, as near-duplicate detection sees them."""
        out = []
        for seq in seqs:
            row = self._conn.execute(
                "SELECT a.id, a.duplicate_of, article_text(a.text), coalesce(r.seq, a.seq) FROM articles a"
                " LEFT JOIN articles r ON r.id = a.duplicate_of WHERE a.seq = ?", (seq,)).fetchone()
            out.append(StoredArticle(seq, *row))
        return out

    def signatures(self, seqs: list[int]) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        for seq in seqs:
            row = self._conn.execute("SELECT signature FROM article_signatures WHERE article_seq = ?",
                                     (seq,)).fetchone()
            if row is not None:
                out[seq] = np.frombuffer(row[0], dtype="<u2")
        return out

    # -- passages ------------------------------------------------------------
    def add_passages(self, seq: int, keys_by_index: dict[int, np.ndarray]) -> None:
        full, self._full = self._full, set()
        recent = self._recent_level()
        parts = [(idx, np.asarray(keys, dtype=np.int64)) for idx, keys in keys_by_index.items()]
        if not parts:
            return
        # As arrays (~370 rows an article): each row's stored key and passage index.
        keys = np.concatenate([k for _, k in parts]) & np.int64(KEY_MASK)
        indexes = np.repeat(np.array([idx for idx, _ in parts], dtype=np.int64), [k.size for _, k in parts])
        if full:
            # A set's lookups, not np.isin: ~370 keys against ~80-150, which isin sorts together
            # (39 -> 19 us an article, timeit; README, "Three small cuts in the writer").
            kept = np.fromiter(map(full.__contains__, keys.tolist()), dtype=bool, count=keys.size)
            np.logical_not(kept, out=kept)
            if not kept.all():
                # A row withheld: from now on a lookup reading more a key would miss rows.
                keys, indexes = keys[kept], indexes[kept]
                if not self._kept_known:
                    self._kept, self._kept_known = self._read_kept(), True
                if self._kept is None or self._limit < self._kept:
                    self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
                                       " DO UPDATE SET value = excluded.value", (POSTINGS_KEY, str(self._limit)))
                    self._kept = self._limit
        if not keys.size:
            return
        # A key's rows of one article by passage index, each once, as a lookup reads them.
        order = np.lexsort((indexes, keys))
        keys, indexes = keys[order], indexes[order]
        first = np.concatenate(([True], (keys[1:] != keys[:-1]) | (indexes[1:] != indexes[:-1])))
        keys, indexes = keys[first], indexes[first]
        self._conn.execute("INSERT INTO passage_bands_log (article_seq, rows) VALUES (?, ?)",
                           (seq, pack_log(keys, indexes)))
        if self._recent is not None:
            self._recent += int(keys.size)
        key_list, postings = keys.tolist(), (np.int64(seq) << _IDX_BITS | indexes).tolist()
        _append_rows(recent, key_list, postings)
        self._postings.add_many(key_list, postings, self._limit)

    def settle(self) -> bool:
        """Inside the caller's transaction: once ``levels.recent`` rows have gathered, move them
        into the middle level in key order (one pass over its pages instead of one per batch),
        and the middle level into the big index once it holds a ``levels.ratio``-th of it.
        Article band keys move into their index likewise, once ``levels.articles`` rows have
        gathered. Returns whether anything moved."""
        conn, levels = self._conn, self._levels
        self._article_level()
        articles_moved = self._article_count >= levels.articles
        if articles_moved:
            self.move_article_bands()
        if self._recent is None:
            self._recent = sum(len(_recent_list(rows)) for rows in self._recent_level().values())
        if self._recent < levels.recent:
            return articles_moved
        self._mid = self._mid_rows() + self._move_recent()
        self._recent = 0
        if self._mid >= max(levels.mid, self._big_rows() // levels.ratio):
            self._merge_mid()
        self._set_meta(MID_ROWS_KEY, self._mid)
        if self._filter is not None:
            self._filter_rows = (self._mid, self._big_rows())
        return True

    def _merge_mid(self) -> None:
        """The middle level's rows into the big one, in key order (the caller records the middle
        level's count, now 0)."""
        big, mid = self._big_rows(), self._mid_rows()
        # The middle level's rows are newer than the big one's: each key's blob goes after.
        self._conn.execute("INSERT INTO passage_postings (key, postings) SELECT key, postings FROM passage_postings_mid"
                           " WHERE true ORDER BY key"
                           " ON CONFLICT (key) DO UPDATE SET postings = CAST(postings || excluded.postings AS BLOB)")
        self._conn.execute("DELETE FROM passage_postings_mid")
        self._big, self._mid = big + mid, 0
        self._set_meta(BIG_ROWS_KEY, self._big)

    def _move_recent(self) -> int:
        """Every recent row into the middle level, a key's appended to its blob there; returns
        how many moved."""
        keys, seqs, indexes = _log_rows(self._conn)
        distinct, rows = grouped_arrays(keys, seqs, indexes)
        self._conn.executemany(
            "INSERT INTO passage_postings_mid (key, postings) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET postings = CAST(postings || excluded.postings AS BLOB)", rows)
        self._conn.execute("DELETE FROM passage_bands_log")
        self._recent_rows = {}
        if self._filter is not None and not self._filter.add(distinct):
            self._filter_off()
        return int(keys.size)

    def _key_filter(self) -> KeyFilter | None:
        """The filter of keys the lower levels may hold, made (reading their keys) when missing
        or stale; None when they are too large for it."""
        if self._filter_checked:
            return self._filter
        rows = (self._mid_rows(), self._big_rows())
        if self._filter is not None and rows == self._filter_rows:
            self._filter_checked = True
            return self._filter
        self._filter = None
        # A store whose levels hold twice the limit in rows has more keys than it covers, most
        # likely (1.6 rows a key at 1,500 articles of the stream benchmark): not read at all.
        if not self._filter_limit or sum(rows) > 2 * self._filter_limit:
            self._filter_checked = True
            return None
        # Made once the keys read without it cost about what reading the levels' keys would:
        # ~2 µs a stored key (2.9 s for the 1.2 million of a 10,000-article store) against ~15 µs
        # a key looked up (1.84 ms for ~121 keys an article), both under load. A writer storing a
        # few articles into a large store never reads them all; a long stream soon does.
        if 16 * self._misses < sum(rows):
            return None
        made = KeyFilter(self._filter_limit, capacity=max(1 << 20, sum(rows)))
        if all(made.add(_key_array(blobs)) for blobs in self._stored_keys()):
            self._filter, self._filter_rows, self._misses = made, rows, 0
        else:
            self._filter_limit = 0  # more keys than it covers: not made again
        self._filter_checked = True
        return self._filter

    def stored_passage_rows(self, chunk: int = 200_000) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every passage band row the store holds, as (stored keys, article seqs, passage
        indexes) in int64 arrays, ``chunk`` keys or articles at a time: the big level first, then
        the middle one, then the recent one, so that each key's rows come in article order, as
        a lookup reads them. For a batch job that goes on with a store it wrote
        (:mod:`storyline.batch.reuse_index`); lookups read only the keys they ask for."""
        for table in ("passage_postings", "passage_postings_mid"):
            cursor = self._conn.execute(f"SELECT key, postings FROM {table}")
            while rows := cursor.fetchmany(chunk):
                yield _packed_rows(rows)
        cursor = self._conn.execute("SELECT article_seq, rows FROM passage_bands_log ORDER BY article_seq")
        while rows := cursor.fetchmany(chunk):
            parts = [(unpack_log(blob), seq) for seq, blob in rows]
            yield (np.concatenate([k.astype(np.int64) for (k, _), _ in parts]),
                   np.concatenate([np.full(k.size, seq, dtype=np.int64) for (k, _), seq in parts]),
                   np.concatenate([i.astype(np.int64) for (_, i), _ in parts]))

    def stored_article_rows(self, chunk: int = 1_000_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every article band row, as (keys, article seqs) in int64 arrays, each key's rows in
        article order (see :meth:`stored_passage_rows`): the index's, then the recent level's."""
        cursor = self._conn.execute("SELECT key, article_seq FROM article_bands ORDER BY key, article_seq")
        while rows := cursor.fetchmany(chunk):
            table = np.array(rows, dtype=np.int64)
            yield table[:, 0], table[:, 1]
        keys, seqs = _article_log_rows(self._conn)
        if keys.size:
            yield keys, seqs

    def _stored_keys(self, chunk: int = 500_000) -> Iterator[list[bytes]]:
        """The keys of the two lower levels, ``chunk`` at a time (a 100,000-article store holds
        millions: as one list of BLOBs they would take ~50 bytes each)."""
        for table in ("passage_postings", "passage_postings_mid"):
            cursor = self._conn.execute(f"SELECT key FROM {table}")
            while rows := cursor.fetchmany(chunk):
                yield [key for (key,) in rows]

    def _filter_off(self) -> None:
        """The lower levels outgrew the filter's limit: lookups read every key from now on."""
        self._filter = None
        self._filter_limit = 0

    def _recent_level(self) -> RecentRows:
        """The recent level's rows by key, read from the store when not held."""
        if self._recent_rows is None:
            keys, seqs, indexes = _log_rows(self._conn)
            self._recent_rows = {}
            _append_rows(self._recent_rows, keys.tolist(),
                         (seqs.astype(np.int64) << _IDX_BITS | indexes.astype(np.int64)).tolist())
        return self._recent_rows

    def _set_meta(self, key: str, value: int) -> None:
        self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, str(value)))

    def _mid_rows(self) -> int:
        if self._mid is None:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (MID_ROWS_KEY,)).fetchone()
            self._mid = int(row[0]) if row is not None else 0
        return self._mid

    def _big_rows(self) -> int:
        if self._big is None:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (BIG_ROWS_KEY,)).fetchone()
            self._big = int(row[0]) if row is not None else 0
        return self._big

    def passage_candidates(self, keys: np.ndarray, limit: int, top: int, min_shared: int = 1) -> list[tuple[int, int]]:
        """The ``top`` (article seq, passage index) sharing the most band keys, at least
        ``min_shared`` (then the earliest), reading the earliest ``limit`` per key, since
        provenance wants the earliest anyway.

        Only those ``limit`` rows of a key are ever read, and rows come in article order, so a
        key that already holds ``limit`` is not given more (``add_passages`` skips the keys found
        full here): a quarter of the rows of a 10,000-article stream. The store records the
        limit it was written with; a lookup reading more would miss rows never kept."""
        return self.passages_candidates([keys], limit, top, min_shared)[0]

    def passages_candidates(self, keys: Sequence[np.ndarray], limit: int, top: int,
                            min_shared: int = 1) -> list[list[tuple[int, int]]]:
        """:meth:`passage_candidates` of each passage's band keys, in one lookup."""
        sizes = [k.size for k in keys]
        every = keys[0] if len(keys) == 1 else np.concatenate(keys) if keys else np.empty(0, np.int64)
        if not every.size:
            return [[] for _ in keys]
        # (a key given as a Python int outside 64 bits makes an object array: masked one by one)
        values = (every.astype(np.int64, copy=False) & KEY_MASK).tolist() if every.dtype.kind in "iu" \
            else [store_key(k) for k in every.tolist()]
        self._check_limit(limit)
        # Another connection's commit may have given the keys met more rows (the runner calls
        # ``refresh`` then too; this keeps any other user of the index right).
        self._check_version()
        found = self._postings.lookup(values)
        missing = list(dict.fromkeys(k for k, rows in zip(values, found) if rows is None))
        if missing:
            read: dict[int, bytes] = {}
            for start in range(0, len(missing), 64):
                read.update(self._read_postings(missing[start:start + 64], limit))
            found = [read[k] if rows is None else rows for k, rows in zip(values, found)]
        blobs = cast(list[bytes], found)
        lens = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)) // _ROW.itemsize
        self._full.update(k for k, n in zip(values, lens.tolist()) if n >= limit)
        return top_postings_many(np.frombuffer(b"".join(blobs), dtype=_ROW), lens, sizes, top, min_shared)

    def cap_postings(self, chunk: int = 10_000) -> int:
        """Inside the caller's transaction, for ``storyline compact``: the middle level merged into
        the big one, then each key's packed rows cut to the earliest the store keeps a key (meta
        ``reuse.passage_postings``, once a row was withheld; nothing cut without it). No lookup
        reads past them (a larger limit is refused), and a store a batch job wrote before its
        lookups from memory withheld rows held keys of tens of thousands of rows, each read whole
        by a stream going on with it. The merge first, as the cut shrinks the big level (a batch
        store's 293 million rows to 65 million at 1M articles) and would leave the middle one past
        the tenth of it at which a move merges them: the next ingest would merge ~20 million rows.
        Returns the rows dropped."""
        if self._mid_rows():
            self._merge_mid()
            self._set_meta(MID_ROWS_KEY, 0)
        kept = self._read_kept()
        dropped, last = 0, -(1 << 63)  # below every key (a BLOB sorts after any integer)
        while kept is not None:
            # Keys in order, a chunk at a time: rows are rewritten between the reads.
            rows = self._conn.execute("SELECT key, postings FROM passage_postings WHERE key > ? AND length(postings) > ?"
                                      " ORDER BY key LIMIT ?", (last, 4 * kept, chunk)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            cut = []
            for key, blob in rows:
                head, held = _cut_postings(blob, kept)
                if held > kept:
                    cut.append((head, key))
                    dropped += held - kept
            self._conn.executemany("UPDATE passage_postings SET postings = ? WHERE key = ?", cut)
        if dropped:
            self._set_meta(BIG_ROWS_KEY, self._big_rows() - dropped)
        self.refresh()
        return dropped

    def withhold(self, keys: Iterable[int], limit: int) -> None:
        """``keys`` (as stored: :func:`store_key`) were found holding ``limit`` rows by a lookup
        answered elsewhere (a batch job's postings in memory, which hold the rows this index
        would read): the next :meth:`add_passages` gives them no more, as after a lookup here."""
        self._check_limit(limit)
        self._full.update(keys)

    def _read_postings(self, keys: list[int], limit: int) -> dict[int, bytes]:
        """Each key's earliest ``limit`` rows, also put in the memo of postings."""
        found: dict[bytes, list[int]] = {}
        held = self._key_filter()
        read = [_key_blob(k) for k in keys] if held is None else \
            [_key_blob(k) for k, maybe in zip(keys, held.may_hold_many(keys).tolist()) if maybe]
        if held is None:
            self._misses += len(read)
        head = _head_bytes(limit)
        for key, blob in self._conn.execute(_postings_sql(len(read)), [head, *read, head, *read]) if read else ():
            if key in found:
                found[key] += unpack_postings(blob, limit)
            else:
                found[key] = unpack_postings(blob, limit)
        recent = self._recent_level()
        out = {}
        for key in keys:
            rows = found.get(_key_blob(key)) if found else None
            newer = recent.get(key)
            if newer is not None:  # after the lower levels' rows
                rows = rows + _recent_list(newer) if rows else _recent_list(newer)
            out[key] = packed = memo_rows(rows[:limit]) if rows else b""
            self._postings.put(key, packed)
        return out

    def _read_kept(self) -> int | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (POSTINGS_KEY,)).fetchone()
        return int(row[0]) if row is not None else None

    def _check_limit(self, limit: int) -> None:
        if not self._kept_known:
            self._kept, self._kept_known = self._read_kept(), True
        if limit != self._limit:
            self._full.clear()  # found full at another limit
            self._postings.clear()
        self._limit = limit
        if self._kept is not None and limit > self._kept:
            raise StoreError(f"the store keeps the earliest {self._kept} passages of a band key "
                             f"(reuse.passage_postings when it was made), and the settings read {limit}; "
                             f"use reuse.passage_postings <= {self._kept}, or a new store")

    def remember(self, seq: int, article: Article, keys: Sequence[PassageKeys] = (),
                 sentences: Sequence[tuple[SentenceKeys, ...]] = ()) -> None:
        """Cache the passages of an article just stored (``keys``, ``sentences``: their keys and
        their sentences', from featurize): the next articles look for copies among the latest
        ones first."""
        roots = {p.first_seen.article_id for p in article.passages if p.first_seen is not None}
        seqs = dict(self._conn.execute(f"SELECT id, seq FROM articles WHERE id IN ({','.join('?' * len(roots))})",
                                       sorted(roots)).fetchall()) if roots else {}
        for p in article.passages:
            root_seq = seqs.get(p.first_seen.article_id) if p.first_seen is not None else None
            self._passages.put((seq, p.index), stored_passage(
                seq, article.id, p.index, p.text, p.status, p.first_seen, root_seq,
                keys[p.index] if p.index < len(keys) else None,
                sentences[p.index] if p.index < len(sentences) else None, p.sentences))

    def checked(self, article_id: str, index: int, stored: StoredPassage) -> CheckedPair | None:
        """Nothing is checked beforehand: the stage checks every pair."""
        return None

    def original(self, article_id: str) -> tuple[str | None, float | None] | None:
        """Nothing is found beforehand: the stage finds every near-duplicate."""
        return None

    def passage_root(self, seq: int, index: int) -> tuple[PassageRef, str, int]:
        # From the cache as it is: a candidate the stage skips is not made whole (nor moved up).
        held = self._passages.root_and_status((seq, index))
        if held is not None:
            return held
        # Not held: its row alone. The text is read and keyed (and the passage cached) only if
        # the stage checks it, so a skipped candidate pushes nothing out of the hot tier.
        row = self._conn.execute(
            "SELECT a.id, p.status, f.id, p.first_seen_index, p.first_seen_seq FROM passage_rows p"
            " JOIN articles a ON a.seq = p.article_seq LEFT JOIN articles f ON f.seq = p.first_seen_seq"
            " WHERE p.article_seq = ? AND p.idx = ?",
            (seq, index)).fetchone()
        if row is None:
            raise StoreError(f"reuse index points at a missing passage ({seq}, {index})")
        article_id, code, fs_article, fs_index, fs_seq = row
        if fs_article is not None:
            return PassageRef(fs_article, fs_index), status_of(code), int(fs_seq)
        return PassageRef(article_id, index), status_of(code), seq

    def passage(self, seq: int, index: int) -> StoredPassage:
        cached = self._passages.get((seq, index))
        if cached is not None:
            return cached
        return self._passages.put((seq, index), self._read_passage(seq, index))

    def _read_passage(self, seq: int, index: int) -> StoredPassage:
        # The text is cut here, not by SQL's substr over article_text(): that handed the whole
        # text to SQLite and back (65–83 µs of CPU a read before, 50–54 after, timed on the
        # 100k stream benchmark's store; README, "Candidates read whole, cut in Python").
        row = self._conn.execute(
            "SELECT a.id, a.text, p.start_char, p.end_char, p.status,"
            " f.id, p.first_seen_index, p.first_seen_seq, p.sentences"
            " FROM passage_rows p JOIN articles a ON a.seq = p.article_seq"
            " LEFT JOIN articles f ON f.seq = p.first_seen_seq"
            " WHERE p.article_seq = ? AND p.idx = ?", (seq, index)).fetchone()
        if row is None:
            raise StoreError(f"reuse index points at a missing passage ({seq}, {index})")
        article_id, stored, start, end, code, fs_article, fs_index, fs_seq, spans = row
        text = (self._read_text(stored) or "")[start:end]
        status = status_of(code)
        first_seen = PassageRef(fs_article, fs_index) if fs_article is not None else None
        # The sentences ingest found: splitting the text again would cost more than its keys.
        # Keyed once, the sentences as runs of the passage's keys: a check that needs them (a
        # partial copy, the copied spans) then neither keys them again nor, compiled, hashes them.
        sentences = unpack_spans(spans)
        keys, runs = keys_and_runs(text, sentences)
        return stored_passage(seq, article_id, index, text, status, first_seen, fs_seq, keys, spans=sentences,
                              runs=runs)
