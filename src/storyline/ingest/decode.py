"""Bytes to text, with a specific error for empty, binary and wrongly encoded input."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError

_SNIFF_BYTES = 8192
# Control bytes that never occur in text (everything below 0x20 but tab, LF, FF, CR, ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3": "an SQLite database",
}


def check_not_binary(head: bytes, location: str) -> None:
    """Raise :class:`InputError` when the first bytes of a file show it is not text."""
    for signature, what in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(location, f"binary file ({what}), not text")
    sample = head[:_SNIFF_BYTES]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if b"\x00" in sample:
        raise InputError(location, "binary file (contains NUL bytes), not text")
    if sample and sum(sample.count(bytes([b])) for b in _CONTROL) / len(sample) > 0.05:
        raise InputError(location, "binary file (too many control bytes), not text")


def decode(data: bytes, location: str, encoding: str = "utf-8") -> str:
    """Decode a whole file; BOMs are honoured and invalid bytes are an error, never replaced."""
    if not data.strip():
        raise InputError(location, "empty file" if not data else "file holds only whitespace")
    check_not_binary(data[:_SNIFF_BYTES], location)
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(location, _decode_reason(data, exc, encoding, f"file offset {exc.start}"), line=line) from exc
    except LookupError as exc:
        raise InputError(location, f"unknown encoding {encoding!r}") from exc


def read_text_file(path: str | Path, encoding: str = "utf-8") -> str:
    """One local file as text, for commands that read a file without ingesting it; a missing,
    unreadable, binary or wrongly encoded file is an :class:`InputError` naming it."""
    location = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(location, "no such file") from None
    except IsADirectoryError:
        raise InputError(location, "a folder, not a text file") from None
    except OSError as exc:
        raise InputError(location, f"cannot read: {exc.strerror or exc}") from None
    return decode(data, location, encoding)


def _decode_reason(data: bytes, exc: UnicodeDecodeError, encoding: str, where: str) -> str:
    bad = data[exc.start:exc.end].hex(" ")
    name = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    return (f"invalid {name} (byte {bad} at {where}); "
            "pass --encoding if the file uses another encoding")


def decode_line(data: bytes, location: str, line: int, encoding: str = "utf-8") -> str:
    """Decode one record of a line-based file; the error names the line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(location, _decode_reason(data, exc, encoding, f"byte {exc.start} of the line"), line=line) from exc
