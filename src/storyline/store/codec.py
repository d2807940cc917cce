"""Packed term weights: a story's centroid or an article's vector as one small BLOB.

Format (version 1): ``uint32 n`` (little-endian), ``uint32 len`` of the zlib-compressed
terms, the terms joined by NUL in UTF-8 and zlib-compressed, then ``n`` float32 weights
(little-endian) in the same order. JSON took ~30 bytes a term (a float's repr is long);
this takes ~4 plus the compressed term. Weights are float32: the clusterer rounds its
state to float32 too (``stories.ports.float32_weights``), so a state read back equals the
one kept in memory.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array

from ..errors import StoreError

_HEADER = struct.Struct("<II")


def pack_weights(weights: dict[str, float]) -> bytes:
    if any("\x00" in term for term in weights):
        raise StoreError("a term holds a NUL character; it cannot be packed")
    terms = "\x00".join(weights)
    packed_terms = zlib.compress(terms.encode("utf-8"), 6)
    values = array("f", weights.values())
    if sys.byteorder != "little":
        values.byteswap()
    return _HEADER.pack(len(weights), len(packed_terms)) + packed_terms + values.tobytes()


def unpack_weights(blob: bytes) -> dict[str, float]:
    try:
        n, size = _HEADER.unpack_from(blob)
        start = _HEADER.size
        text = zlib.decompress(blob[start:start + size]).decode("utf-8")
        values = array("f")
        values.frombytes(blob[start + size:start + size + 4 * n])
    except (struct.error, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"a packed vector is damaged ({exc})") from exc
    if sys.byteorder != "little":
        values.byteswap()
    terms = text.split("\x00") if n else []
    if len(terms) != n or len(values) != n:
        raise StoreError(f"a packed vector is damaged ({n} weights announced, {len(terms)} terms, {len(values)} weights)")
    return dict(zip(terms, values.tolist()))
