"""Banding: a signature's bands become integer keys; two texts sharing a key are candidates.

With b bands of r rows, texts of Jaccard s share at least one key with probability
1 − (1 − s^r)^b. Keys are signed 64-bit so SQLite stores them as plain integers.
"""

from __future__ import annotations

import numpy as np

from ..settings import MAX_ROWS_PER_BAND, check_bands
from .kernel import splitmix64

_ROW_CONSTANTS = splitmix64(np.arange(1, MAX_ROWS_PER_BAND + 1, dtype=np.uint64))


def band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """``(n, num_perm)`` uint32 signatures → ``(n, bands)`` int64 keys (band index mixed in)."""
    n, num_perm = signatures.shape
    rows = check_bands(num_perm, bands)
    parts = signatures.reshape(n, bands, rows).astype(np.uint64) + np.uint64(1)
    combined = (parts * _ROW_CONSTANTS[:rows]).sum(axis=2, dtype=np.uint64)
    combined += np.arange(bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    return splitmix64(combined).view(np.int64)


def collision_probability(similarity: float, bands: int, rows: int) -> float:
    """P[candidate] for two texts of this Jaccard similarity."""
    return 1.0 - (1.0 - similarity ** rows) ** bands
