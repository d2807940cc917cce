"""Packed term weights: a story's centroid or an article's vector as one small BLOB.

Format (version 1): ``uint32 n`` (little-endian), ``uint32 len`` of the zlib-compressed
terms, the terms joined by NUL in UTF-8 and zlib-compressed, then ``n`` float32 weights
(little-endian) in the same order. JSON took ~30 bytes a term (a float's repr is long);
this takes ~4 plus the compressed term. Weights are float32: the clusterer rounds its
state to float32 too (``stories.ports.float32_weights``), so a state read back equals the
one kept in memory.

Version 2 (schema 19) is version 1 with the weights zlib-compressed too, marked by the top bit
of ``n``: a story's centroid takes ~14% less (1,025 -> 882 B an article on the benchmark
stream, article vectors 306 -> 259). :func:`pack_weights` writes it where it is the shorter.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array

from ..errors import StoreError

_HEADER = struct.Struct("<II")
_COMPRESSED = 1 << 31  # in n: the weights are zlib-compressed (version 2)


def pack_weights(weights: dict[str, float]) -> bytes:
    if any("\x00" in term for term in weights):
        raise StoreError("a term holds a NUL character; it cannot be packed")
    terms = "\x00".join(weights)
    packed_terms = zlib.compress(terms.encode("utf-8"), 6)
    values = array("f", weights.values())
    if sys.byteorder != "little":
        values.byteswap()
    raw = values.tobytes()
    packed = zlib.compress(raw, 6)
    if len(packed) < len(raw):
        return _HEADER.pack(len(weights) | _COMPRESSED, len(packed_terms)) + packed_terms + packed
    return _HEADER.pack(len(weights), len(packed_terms)) + packed_terms + raw


def unpack_weights(blob: bytes) -> dict[str, float]:
    try:
        n, size = _HEADER.unpack_from(blob)
        start = _HEADER.size
        text = zlib.decompress(blob[start:start + size]).decode("utf-8")
        values = array("f")
        if n & _COMPRESSED:
            n &= ~_COMPRESSED
            values.frombytes(zlib.decompress(blob[start + size:]))
        else:
            values.frombytes(blob[start + size:start + size + 4 * n])
    except (struct.error, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"a packed vector is damaged ({exc})") from exc
    if sys.byteorder != "little":
        values.byteswap()
    terms = text.split("\x00") if n else []
    if len(terms) != n or len(values) != n:
        raise StoreError(f"a packed vector is damaged ({n} weights announced, {len(terms)} terms, {len(values)} weights)")
    return dict(zip(terms, values.tolist()))
