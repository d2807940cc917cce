"""A passage's sentence spans as ``passages.sentences`` holds them: packed bytes (schema 17).

JSON (``[[0, 61], [62, 231]]``) took ~11 bytes a sentence, a quarter of the passages table; this
takes ~3. Format (version 1): one byte ``0x01``, then two unsigned LEB128 varints a span: the gap
from the previous span's end (the first: from 0) and the span's length, each zigzag-coded so a
span that starts before the last one ended, or ends before it starts, still packs. A TEXT value
is JSON, as schemas before 17 stored it (and as another client may still write it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..errors import StoreError
from ..records import Span

_VERSION = 1


def _zigzag(n: int) -> int:
    return n << 1 if n >= 0 else ((-n) << 1) - 1


def _unzigzag(n: int) -> int:
    return n >> 1 if not n & 1 else -((n + 1) >> 1)


def pack_spans(spans: Iterable[tuple[int, int]]) -> bytes:
    """(start, end) pairs, in order -> format 1."""
    out = bytearray((_VERSION,))
    last = 0
    for start, end in spans:
        for value in (_zigzag(start - last), _zigzag(end - start)):
            while value > 0x7F:
                out.append(value & 0x7F | 0x80)
                value >>= 7
            out.append(value)
        last = end
    return bytes(out)


def unpack_spans(value: str | bytes) -> tuple[Span, ...]:
    """``passages.sentences`` as stored (packed, or JSON in a row written before schema 17) -> the spans."""
    if isinstance(value, str):
        return tuple(Span(a, b) for a, b in json.loads(value))
    blob = bytes(value)
    if blob[:1] != bytes((_VERSION,)):
        raise StoreError(f"a passage's sentences are stored in an unknown form (first byte {blob[:1]!r})")
    values: list[int] = []
    n = shift = 0
    for byte in blob[1:]:
        n |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            values.append(_unzigzag(n))
            n = shift = 0
    if shift or len(values) % 2:
        raise StoreError("a passage's sentences are damaged (a span cut short)")
    out = []
    last = 0
    for i in range(0, len(values), 2):
        start = last + values[i]
        last = start + values[i + 1]
        out.append(Span(start, last))
    return tuple(out)
