"""Which passage band keys the two lower levels of the reuse index may hold: a Bloom filter.

Most band keys a lookup reads from the store are held nowhere: a new paragraph's keys are new,
and the memo of band key rows (``reuse.cache_band_keys``) cannot know that of a key it has never
met. Late in the stream benchmark's 4,000 articles, each article read ~120 keys from the store
and every one came back empty (an instrumented one-off run). A Bloom filter answers "held
nowhere" for ~99% of those without reading, and never answers it for a key that is held, so a
lookup's rows are what reading gives.

The filter grows as a chain of Bloom filters, each twice the capacity of the one before, so
adding keys never means reading the store again; a key may be held when any of them says so.
Keys are the stored 40-bit keys (``reuse_index.store_key``), already well mixed (SplitMix64
output), so each probe is one multiplication.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BITS_PER_KEY = 10  # with 7 probes: ~1% of the keys held nowhere are read anyway
_PROBES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
           0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB)
_PROBES_ARRAY = np.array(_PROBES, dtype=np.uint64)
_M64 = (1 << 64) - 1


class _Bloom:
    """One Bloom filter: a key's bits are ``(key * c mod 2**64) >> shift`` for each constant
    ``c``, set in bulk with NumPy (a move adds ~150,000 keys) and tested in Python (a lookup asks
    of ~10 keys at a time, most of them answered by their first unset bit: NumPy's per-call cost
    was ~15 times the work)."""

    __slots__ = ("capacity", "count", "_shift", "_bits", "_view")

    def __init__(self, capacity: int) -> None:
        nbits = 1 << max(12, int(capacity * BITS_PER_KEY - 1).bit_length())
        self.capacity = capacity
        self.count = 0
        self._shift = 64 - (nbits.bit_length() - 1)
        self._bits = bytearray(nbits // 8)
        self._view = np.frombuffer(self._bits, dtype=np.uint8)  # the same bytes, for adding in bulk

    def _positions(self, keys: np.ndarray) -> np.ndarray:
        # uint64 products wrap around, as the Python side's ``& _M64`` does
        return (keys[:, None] * _PROBES_ARRAY[None, :]) >> np.uint64(self._shift)

    def add(self, keys: np.ndarray) -> None:
        at = self._positions(keys).ravel()
        byte, bit = (at >> np.uint64(3)).astype(np.intp), (at & np.uint64(7)).astype(np.uint8)
        # One bit at a time: every write to a byte then sets the same bit, so the fancy-indexed
        # ``|=`` is right with repeated bytes (and ~10 times faster than ``bitwise_or.at``).
        for j in range(8):
            self._view[byte[bit == j]] |= np.uint8(1 << j)
        self.count += int(keys.size)

    def may_hold_many(self, keys: np.ndarray) -> np.ndarray:
        """:meth:`may_hold` of each key, in bulk."""
        at = self._positions(keys)
        bits = (self._view[(at >> np.uint64(3)).astype(np.intp)] >> (at & np.uint64(7)).astype(np.uint8)) & 1
        return np.asarray(bits.astype(bool).all(axis=1))

    def may_hold(self, key: int) -> bool:
        bits, shift = self._bits, self._shift
        for c in _PROBES:
            at = ((key * c) & _M64) >> shift
            if not bits[at >> 3] >> (at & 7) & 1:
                return False
        return True

    @property
    def nbytes(self) -> int:
        return len(self._bits)


class KeyFilter:
    """Band keys added so far, answering "maybe held" or "held nowhere" (never wrongly).

    ``limit``: the most keys it covers (``reuse.cache_key_filter``); past it :meth:`add` returns
    False and the filter should be dropped (it would no longer answer for every key)."""

    def __init__(self, limit: int, capacity: int = 1 << 20) -> None:
        self.limit = limit
        self._blooms = [_Bloom(max(1, min(capacity, limit)))]
        self.count = 0

    def add(self, keys: np.ndarray) -> bool:
        """Adds stored keys (values under 2**40); False once over ``limit``."""
        keys = np.asarray(keys).astype(np.uint64, copy=False)
        if self.count:  # a key it already says "maybe" of needs no more bits
            held = np.zeros(keys.size, dtype=bool)
            for bloom in self._blooms:
                held |= bloom.may_hold_many(keys)
            keys = keys[~held]
        self.count += int(keys.size)
        if self.count > self.limit:
            return False
        while keys.size:
            last = self._blooms[-1]
            room = last.capacity - last.count
            if room <= 0:
                self._blooms.append(_Bloom(min(2 * last.capacity, self.limit)))
                continue
            last.add(keys[:room])
            keys = keys[room:]
        return True

    def may_hold_many(self, keys: Sequence[int] | np.ndarray) -> np.ndarray:
        """:meth:`may_hold` of each key (values under 2**64), in bulk: a lookup asks ~64 at once,
        ~2 times faster than one at a time."""
        keys = np.asarray(keys, dtype=np.uint64)
        held = np.zeros(keys.size, dtype=bool)
        for bloom in self._blooms:
            if bloom.count:
                held |= bloom.may_hold_many(keys)
        return held

    def may_hold(self, key: int) -> bool:
        """False when no key added equals ``key``."""
        for bloom in self._blooms:
            if bloom.count and bloom.may_hold(key):
                return True
        return False

    @property
    def nbytes(self) -> int:
        """The memory its bits take."""
        return sum(b.nbytes for b in self._blooms)
