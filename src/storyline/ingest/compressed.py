"""Compressed inputs: gzip, bzip2 and xz files (and standard input), read as they decompress.

An input is decompressed when its first bytes are a compressor's signature, whatever its name;
a name like "archive.jsonl.gz" gives the format of what is inside (:func:`inner_suffix`).
Nothing is held whole: the readers take lines (or, for the single-article formats, at most
``ingest.max_file_bytes``) from the stream, so the limits count the decompressed text and a
"bomb" costs at most the time to decompress what is read. Damaged or truncated data ends the
input with one error naming the compressor; what came before it was read.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

# Extensions a compressed file's name may end in, under its format's ("a.jsonl.gz").
SUFFIXES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
_SIGNATURES = ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"))
SIGNATURE_BYTES = 6


def compression(head: bytes) -> str | None:
    """The compressor whose signature ``head`` (an input's first bytes) starts with, if any."""
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def inner_suffix(path: Path) -> str:
    """A file's extension, lower case, under a compressor's: ``.jsonl`` for "a.jsonl.gz"."""
    suffix = path.suffix.lower()
    return Path(path.stem).suffix.lower() if suffix in SUFFIXES else suffix


def inner_stem(path: Path) -> str:
    """A file's name without its extension, nor a compressor's: "s000" for "s000.txt.gz"."""
    return Path(path.stem).stem if path.suffix.lower() in SUFFIXES else path.stem


class _Decompressing(io.RawIOBase):
    """The decompressed bytes of ``source``, a decompression error raised as the input's error."""

    def __init__(self, source: BinaryIO, kind: str, location: str) -> None:
        super().__init__()
        self._kind, self._location = kind, location
        opened: io.BufferedIOBase
        if kind == "gzip":
            opened = gzip.GzipFile(fileobj=source, mode="rb")
        elif kind == "bzip2":
            opened = bz2.BZ2File(source)
        else:
            opened = lzma.LZMAFile(source)
        self._file = opened

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            return self._file.readinto(buffer)
        except (EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # the disk's error, not the data's
            raise InputError(self._location, f"the {self._kind} data is damaged or cut short ({exc}); what came "
                                             "before it was read, the rest of this input was not") from None

    def close(self) -> None:
        if not self.closed:
            self._file.close()  # not the source under it: its owner closes that
        super().close()


def decompressing(source: io.BufferedReader, location: str) -> io.BufferedReader | None:
    """A reader of ``source`` decompressed, when it starts as a compressed file does; else None."""
    kind = compression(source.peek(SIGNATURE_BYTES)[:SIGNATURE_BYTES])
    if kind is None:
        return None
    return io.BufferedReader(_Decompressing(source, kind, location), 1 << 16)
