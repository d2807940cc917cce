"""Article texts as the store holds them: zlib-compressed BLOBs in ``articles.text`` (schema 15).

Every read of ``articles.text`` goes through :func:`unpack_text`: in Python, or in SQL as
``article_text(a.text)``, which :func:`register` adds to each connection the store opens (the
search index reads its content through the view ``article_texts`` that calls it, and
``search_form``, :func:`storyline.text.words.spaced`). Another SQLite
client sees the BLOB; with this module's function registered it reads the text.

Format (version 1): one byte ``0x01``, then the UTF-8 text compressed with zlib at level 6 (on
the benchmark corpus, 4.4 kB of text an article: 2.36 kB at level 6, 2.45 at level 1 and 2.36 at 9,
level 6 as fast as 1 to compress). A TEXT value is returned as it is (a text stored by hand).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from functools import lru_cache

from ..errors import StoreError
from ..text.words import spaced

_VERSION = b"\x01"
_LEVEL = 6


def pack_text(text: str) -> bytes:
    return _VERSION + zlib.compress(text.encode("utf-8"), _LEVEL)


def _unpack_blob(blob: bytes) -> str:
    if blob[:1] != _VERSION:
        raise StoreError(f"an article text is stored in an unknown form (first byte {blob[:1]!r})")
    try:
        return zlib.decompress(blob[1:]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise StoreError(f"an article text is damaged ({exc})") from exc


def unpack_text(value: str | bytes | None) -> str | None:
    """``articles.text`` as stored -> the text."""
    if value is None or isinstance(value, str):
        return value
    return _unpack_blob(bytes(value))


def text_reader(size: int) -> Callable[[str | bytes | None], str | None]:
    """:func:`unpack_text` keeping the ``size`` texts read most recently (0: none). An article's
    text is read again and again in a short while (the passages of a recycled block are read by
    every copy, a story's statements each take a stretch of the same few texts): a
    decompression costs ~50 us, a lookup ~1."""
    if not size:
        return unpack_text
    unpack = lru_cache(maxsize=size)(_unpack_blob)

    def read(value: str | bytes | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return unpack(bytes(value))

    return read


def register(conn: sqlite3.Connection, cache_texts: int = 0) -> Callable[[str | bytes | None], str | None]:
    """``article_text(x)`` in SQL on ``conn``: a :func:`text_reader` of ``cache_texts``, returned
    for the connection's Python readers to share."""
    read = text_reader(cache_texts)
    conn.create_function("article_text", 1, read, deterministic=True)
    # The search index's form of a title or text (schema 22: Han and kana a word a character).
    conn.create_function("search_form", 1, _search_form, deterministic=True)
    return read


def _search_form(value: str | None) -> str | None:
    return spaced(value) if isinstance(value, str) else value


def stored_text_bytes(conn: sqlite3.Connection) -> int:
    """The UTF-8 bytes of every article's text (its raw size, as stored or not)."""
    return sum(len((unpack_text(value) or "").encode("utf-8")) for (value,) in conn.execute("SELECT text FROM articles"))
