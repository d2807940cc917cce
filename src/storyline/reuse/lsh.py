"""Banding: a signature's bands become integer keys; two texts sharing a key are candidates.

With b bands of r rows, texts of Jaccard s share at least one key with probability
1 − (1 − s^r)^b. Keys are signed 64-bit so SQLite stores them as plain integers.
"""

from __future__ import annotations

import numpy as np

from ..errors import SettingsError
from .kernel import splitmix64

_ROW_CONSTANTS = splitmix64(np.arange(1, 65, dtype=np.uint64))


def check_bands(num_perm: int, bands: int) -> int:
    """Rows per band; the error says how to fix an impossible combination."""
    if bands < 1 or num_perm % bands:
        raise SettingsError(f"bands ({bands}) must divide num_perm ({num_perm}); e.g. 16 bands × 8 rows = 128")
    rows = num_perm // bands
    if rows > len(_ROW_CONSTANTS):
        raise SettingsError(f"at most {len(_ROW_CONSTANTS)} rows per band, got {rows}; use more bands")
    return rows


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
