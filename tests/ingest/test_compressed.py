"""Compressed inputs: which bytes and names say compressed, and errors told apart (the readers'
view of it is in ``test_reader.py``)."""

from __future__ import annotations

import bz2
import errno
import gzip
import io
import lzma
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.ingest.compressed import compression, decompressing, inner_stem, inner_suffix


@pytest.mark.parametrize(("compress", "kind"), [(gzip.compress, "gzip"), (bz2.compress, "bzip2"),
                                                (lzma.compress, "xz")])
def test_each_compressor_is_known_by_its_first_bytes(compress, kind):
    assert compression(compress(b"any text")) == kind


@given(st.binary(max_size=64).filter(lambda b: not b.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"))))
def test_other_bytes_are_not_compressed(head):
    assert compression(head) is None
    assert decompressing(io.BufferedReader(io.BytesIO(head)), "x") is None


@pytest.mark.parametrize(("name", "suffix", "stem"), [
    ("a.jsonl.gz", ".jsonl", "a"), ("A.CSV.BZ2", ".csv", "A"), ("s000.txt.xz", ".txt", "s000"),
    ("a.jsonl", ".jsonl", "a"), ("notes.gz", "", "notes"), ("a.tar.gz", ".tar", "a")])
def test_the_name_inside(name, suffix, stem):
    assert inner_suffix(Path(name)) == suffix and inner_stem(Path(name)) == stem


class _FailingDisk(io.RawIOBase):
    """A file whose reads fail as a disk's do (an errno), after the gzip signature."""

    def __init__(self) -> None:
        self._head = gzip.compress(b"text")[:10]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):  # type: ignore[override]
        if self._head:
            n = len(self._head)
            buffer[:n], self._head = self._head, b""
            return n
        raise OSError(errno.EIO, "Input/output error")


def test_a_disk_error_is_not_called_damaged_data():
    reader = decompressing(io.BufferedReader(_FailingDisk()), "x.gz")
    assert reader is not None
    with pytest.raises(OSError) as raised:
        reader.read()
    assert not isinstance(raised.value, InputError) and raised.value.errno == errno.EIO
