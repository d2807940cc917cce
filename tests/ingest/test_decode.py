import codecs

import pytest

from storyline.errors import InputError
from storyline.ingest.decode import decode


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"  \n\t\n", "file holds only whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (a PNG image), not text"),
    (b"%PDF-1.7\n...", "binary file (a PDF document), not text"),
    (b"text\x00with\x00nuls", "binary file (contains NUL bytes), not text"),
])
def test_not_text(data, reason):
    with pytest.raises(InputError) as info:
        decode(data, "f.txt")
    assert info.value.reason == reason and info.value.location == "f.txt"


def test_invalid_utf8_names_line_and_byte():
    with pytest.raises(InputError) as info:
        decode(b"line one\nline two \xe9t\xe9\n", "latin.txt")
    assert info.value.line == 2
    assert "invalid UTF-8 (byte e9" in info.value.reason and "--encoding" in info.value.reason


def test_other_encodings_and_boms():
    assert decode("été".encode("latin-1"), "f", "latin-1") == "été"
    assert decode(codecs.BOM_UTF8 + "été".encode(), "f") == "été"
    assert decode("été".encode("utf-16"), "f") == "été"


def test_unknown_encoding():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"abc", "f", "klingon")
