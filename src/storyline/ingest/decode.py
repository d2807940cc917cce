"""Bytes to text, with a specific error for empty, binary and wrongly encoded input."""

from __future__ import annotations

import codecs
import re
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
    if bom_encoding(sample) is not None:  # UTF-16 and UTF-32 text is full of NUL bytes
        return
    if b"\x00" in sample:
        raise InputError(location, "binary file (contains NUL bytes), not text")
    if sample and sum(sample.count(bytes([b])) for b in _CONTROL) / len(sample) > 0.05:
        raise InputError(location, "binary file (too many control bytes), not text")


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# What browsers do (the WHATWG encoding standard): a page labelled Latin-1 or ASCII is read as
# Windows-1252, whose extra letters (curly quotes, the euro sign) such pages use in practice.
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "l1": "cp1252",
                  "iso8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
# <meta charset="…"> and <meta http-equiv="Content-Type" content="text/html; charset=…">
_META_CHARSET = re.compile(rb"""<meta[^<>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` declares (``utf-8-sig``, ``utf-16``,
    ``utf-32``: codecs that also drop the mark), or ``None``."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def declared_charset(label: str | None) -> str | None:
    """A charset label (HTTP ``Content-Type``, ``<meta charset>``) as a Python codec, or ``None``
    when there is none or Python does not know it."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag of its first bytes, as a codec."""
    match = _META_CHARSET.search(head[:_SNIFF_BYTES])
    return declared_charset(match.group(1).decode("ascii")) if match else None


def decode(data: bytes, location: str, encoding: str = "utf-8", declared: str | None = None) -> str:
    """Decode a whole file; BOMs are honoured and invalid bytes are an error, never replaced.

    Precedence: a byte-order mark, then ``declared`` (what the HTTP header or the page itself
    says), then ``encoding`` (``ingest.encoding``, ``--encoding``)."""
    if not data.strip():
        raise InputError(location, "empty file" if not data else "file holds only whitespace")
    check_not_binary(data[:_SNIFF_BYTES], location)
    encoding = bom_encoding(data) or declared or encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if codecs.lookup(encoding).name == "cp1252":
            # the five bytes Windows-1252 leaves undefined: Latin-1, as labelled, reads every byte
            return data.decode("latin-1")
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
    name = "UTF-8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding
    return (f"invalid {name} (byte {bad} at {where}); "
            "pass --encoding if the file uses another encoding")


def decode_line(data: bytes, location: str, line: int, encoding: str = "utf-8") -> str:
    """Decode one record of a line-based file; the error names the line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(location, _decode_reason(data, exc, encoding, f"byte {exc.start} of the line"), line=line) from exc
