"""Article texts as the store holds them: compressed BLOBs in ``articles.text``.

Every read of ``articles.text`` goes through a :class:`TextCodec`: in Python, or in SQL as
``article_text(a.text)``, which :func:`register` adds to each connection the store opens (the
search index reads its content through the view ``article_texts`` that calls it, and
``search_form``, :func:`storyline.text.words.spaced`). Another SQLite client sees the BLOB;
with this module's function registered on its connection it reads the text.

Formats, told apart by the first byte (a TEXT value is returned as it is: a text stored by hand):

- **1** (schema 15): ``0x01``, then the UTF-8 text compressed with zlib at level 6 (on the
  benchmark corpus, 4.4 kB of text an article: 2.36 kB at level 6, 2.45 at level 1 and 2.36 at 9,
  level 6 as fast as 1 to compress).
- **2** (schema 26): ``0x02``, the id of a row of ``text_dictionaries`` as an unsigned LEB128
  varint, then a Zstandard frame (with its checksum) compressed against that row's dictionary.
  A news article is too short for a compressor to learn much from it alone: its outlet's
  phrasing, its bylines and boilerplate, the names of the story it follows are what the
  articles before it share. So a store trains one dictionary (``ingest.text_dictionary``) from
  the texts it has once it holds that many articles, and compresses what comes after against
  it. Texts stored before the dictionary keep format 1. What it saves, and what the level and
  the dictionary's size cost, is measured by ``benchmarks/text_codec.py`` (README, "Store size":
  PolNeAR dev with a dictionary trained on PolNeAR train, about a fifth smaller than zlib).
- **3** (schema 32): ``0x03``, the seq of another article (its *reference*) as an unsigned LEB128
  varint, then a Zstandard frame (with its checksum) compressed against that article's text as a
  raw-content dictionary. A copy's text is mostly its original's, and a recycled background
  block is its first occurrence's: compressed against the article they come from, those parts
  cost a few bytes. The store names a reference when it stores an article (the near-duplicate's
  original, else the article most of its recycled passages were first seen in) and keeps the
  smaller of formats 2 and 3. A reference is itself in format 1 or 2 (a read decompresses two
  texts at most), and the store refuses to delete an article or change its text while another
  text names it (schema 32's triggers, through ``text_reference()``).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache

import zstandard

from ..errors import StoreError
from ..text.words import spaced

_VERSION = b"\x01"
_DICTIONARY = 0x02
_REFERENCE = 0x03
_LEVEL = 6
# Level and size as chosen with benchmarks/text_codec.py (--level, --dictionary-kb; README). The
# dictionary was 64 KiB before schema 33: 256 KiB packs news texts it was not trained on ~6%
# smaller (PolNeAR, SemEval-2022) at about the same speed, and costs its bytes once a store; zstd
# makes a smaller one when the texts hold less to learn.
_ZSTD_LEVEL = 6
DICTIONARY_BYTES = 256 * 1024


def pack_text(text: str) -> bytes:
    """Format 1 (no dictionary)."""
    return _VERSION + zlib.compress(text.encode("utf-8"), _LEVEL)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(blob: bytes, at: int) -> tuple[int, int]:
    """The varint at ``blob[at:]`` and where it ends."""
    n = shift = 0
    while at < len(blob) and shift <= 63:
        byte = blob[at]
        at += 1
        n |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return n, at
        shift += 7
    raise StoreError("an article text is damaged (its dictionary id is cut short)")


def dictionary_id(blob: bytes) -> int | None:
    """The dictionary a stored text was compressed against; None for format 1 (or a TEXT value)."""
    if isinstance(blob, (bytes, bytearray, memoryview)) and bytes(blob[:1]) == bytes([_DICTIONARY]):
        return _read_varint(bytes(blob), 1)[0]
    return None


def text_reference(blob: object) -> int | None:
    """The seq of the article a stored text was compressed against (format 3); None otherwise.
    Registered in SQL as ``text_reference(x)`` (schema 32's triggers ask it)."""
    if isinstance(blob, (bytes, bytearray, memoryview)) and bytes(blob[:1]) == bytes([_REFERENCE]):
        return _read_varint(bytes(blob), 1)[0]
    return None


def _unpack_zlib(blob: bytes) -> str:
    try:
        return zlib.decompress(blob[1:]).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise StoreError(f"an article text is damaged ({exc})") from exc


def _unpack_blob(blob: bytes) -> str:
    """Format 1 alone (no dictionaries at hand)."""
    if blob[:1] == _VERSION:
        return _unpack_zlib(blob)
    if blob[:1] in (bytes([_DICTIONARY]), bytes([_REFERENCE])):
        kind = "the store's dictionary" if blob[:1] == bytes([_DICTIONARY]) else "another article's text"
        raise StoreError(f"an article text compressed against {kind}: read it through the store "
                         "(or a connection `storyline.store.text_codec.register` was called on)")
    raise StoreError(f"an article text is stored in an unknown form (first byte {blob[:1]!r})")


def unpack_text(value: str | bytes | None) -> str | None:
    """``articles.text`` as stored in format 1 -> the text (format 2 needs a :class:`TextCodec`)."""
    if value is None or isinstance(value, str):
        return value
    return _unpack_blob(bytes(value))


def _cached(unpack: Callable[[bytes], str], size: int) -> Callable[[str | bytes | None], str | None]:
    """A reader of stored values keeping the ``size`` texts read most recently (0: none). An
    article's text is read again and again in a short while (the passages of a recycled block are
    read by every copy, a story's statements each take a stretch of the same few texts). A stored
    value names its dictionary, so a kept text never goes stale."""
    kept = lru_cache(maxsize=size)(unpack) if size else unpack

    def read(value: str | bytes | None) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return kept(bytes(value))

    return read


class TextCodec:
    """One connection's packing and reading of article texts, with the store's dictionaries.

    The dictionaries (``text_dictionaries``, schema 26) are read when first needed, and again
    when a text names one not read yet (another writer trained it) or after a rollback
    (:meth:`forget`). Texts are packed against the newest dictionary this connection knows;
    before the store has one, in format 1."""

    def __init__(self, conn: sqlite3.Connection, cache_texts: int = 0, level: int = _ZSTD_LEVEL) -> None:
        self._conn = conn
        self._level = level
        self._decompressors: dict[int, zstandard.ZstdDecompressor] = {}
        self._compressor: tuple[int, zstandard.ZstdCompressor] | None = None
        self._loaded = False
        self.read = _cached(self._unpack, cache_texts)

    # -- dictionaries ---------------------------------------------------------------
    def _load(self) -> None:
        """Every dictionary of the store (a store before schema 26 has none)."""
        self._decompressors, self._compressor = {}, None
        try:
            rows = self._conn.execute("SELECT id, data FROM text_dictionaries ORDER BY id").fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            rows = []
        for ident, data in rows:
            self._add(int(ident), bytes(data))
        self._loaded = True

    def _add(self, ident: int, data: bytes) -> None:
        dictionary = zstandard.ZstdCompressionDict(data)
        self._decompressors[ident] = zstandard.ZstdDecompressor(dict_data=dictionary)
        self._compressor = (ident, zstandard.ZstdCompressor(level=self._level, dict_data=dictionary,
                                                            write_checksum=True, write_dict_id=False))

    def forget(self) -> None:
        """Read the dictionaries again when next needed (a rollback may have undone one)."""
        self._loaded = False
        self._compressor = None

    def has_dictionary(self) -> bool:
        if not self._loaded:
            self._load()
        return self._compressor is not None

    def train(self, texts: Sequence[str], size: int = DICTIONARY_BYTES) -> int | None:
        """Train a dictionary on ``texts`` and store it (inside the caller's transaction); texts
        packed from now on use it. Returns its id, or None when the texts are too few or too
        short to train one (zstd refuses): nothing is stored then."""
        samples: list[bytes | bytearray | memoryview] = [t.encode("utf-8") for t in texts if t]
        try:
            trained = zstandard.train_dictionary(size, samples)
        except zstandard.ZstdError:
            return None
        data = trained.as_bytes()
        ident = self._conn.execute("INSERT INTO text_dictionaries (data, trained_on) VALUES (?, ?)",
                                   (data, len(samples))).lastrowid
        if ident is None:
            raise StoreError("the store gave no row id for a text dictionary")
        if not self._loaded:
            self._load()
        else:
            self._add(int(ident), data)
        return int(ident)

    # -- texts ------------------------------------------------------------------------
    def pack(self, text: str, reference: tuple[int, bytes | str] | None = None) -> bytes:
        """``text`` as the store keeps it: against the store's newest dictionary (format 2; format 1
        before the store has one), or, with ``reference`` (an article's seq and its stored text),
        against that text (format 3) when that is smaller. A reference that is itself in format
        3 is not used (a read would chain)."""
        if not self._loaded:
            self._load()
        data = text.encode("utf-8")
        if self._compressor is None:
            packed = pack_text(text)
        else:
            ident, compressor = self._compressor
            packed = bytes([_DICTIONARY]) + _varint(ident) + compressor.compress(data)
        if reference is None or text_reference(reference[1]) is not None:
            return packed
        source = (self.read(reference[1]) or "").encode("utf-8")
        if not source:
            return packed
        against = zstandard.ZstdCompressor(level=self._level, write_checksum=True, write_dict_id=False,
                                           dict_data=_raw_dictionary(source))
        referenced = bytes([_REFERENCE]) + _varint(reference[0]) + against.compress(data)
        return referenced if len(referenced) < len(packed) else packed

    def _unpack(self, blob: bytes) -> str:
        if blob[:1] == bytes([_REFERENCE]):
            return self._unpack_referenced(blob)
        if blob[:1] != bytes([_DICTIONARY]):
            return _unpack_blob(blob)
        ident, at = _read_varint(blob, 1)
        decompressor = self._decompressors.get(ident)
        if decompressor is None:
            self._load()  # another writer's dictionary, or none read yet
            decompressor = self._decompressors.get(ident)
            if decompressor is None:
                raise StoreError(f"an article text names text dictionary {ident}, which the store does not hold")
        try:
            return decompressor.decompress(blob[at:]).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError) as exc:
            raise StoreError(f"an article text is damaged ({exc})") from exc


    def _unpack_referenced(self, blob: bytes) -> str:
        seq, at = _read_varint(blob, 1)
        row = self._conn.execute("SELECT text FROM articles WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise StoreError(f"an article text was compressed against article seq {seq}, which the store does not hold")
        if text_reference(row[0]) is not None:
            raise StoreError(f"an article text was compressed against article seq {seq}, whose own text names "
                             "another: the store never writes such a chain")
        source = (self.read(row[0]) or "").encode("utf-8")
        try:
            return zstandard.ZstdDecompressor(dict_data=_raw_dictionary(source)).decompress(blob[at:]).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError) as exc:
            raise StoreError(f"an article text is damaged ({exc})") from exc


def _raw_dictionary(source: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(source, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def register(conn: sqlite3.Connection, cache_texts: int = 0) -> TextCodec:
    """``article_text(x)`` in SQL on ``conn``, read by a :class:`TextCodec` keeping
    ``cache_texts`` texts, returned for the connection's Python readers and writer to share."""
    codec = TextCodec(conn, cache_texts)
    conn.create_function("article_text", 1, codec.read, deterministic=True)
    # The search index's form of a title or text (schema 22: Han and kana a word a character).
    conn.create_function("search_form", 1, _search_form, deterministic=True)
    conn.create_function("text_reference", 1, text_reference, deterministic=True)
    return codec


def _search_form(value: str | None) -> str | None:
    return spaced(value) if isinstance(value, str) else value


def stored_text_bytes(conn: sqlite3.Connection) -> int:
    """The UTF-8 bytes of every article's text (its raw size, as stored or not)."""
    read = TextCodec(conn).read
    return sum(len((read(value) or "").encode("utf-8")) for (value,) in conn.execute("SELECT text FROM articles"))
