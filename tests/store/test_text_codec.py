"""Article texts as the store holds them: packed, read back through one reader per connection."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline import Storyline
from storyline.errors import SettingsError, StoreError
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings
from storyline.store import Store
from storyline.store.text_codec import TextCodec, dictionary_id, pack_text, register, text_reference, unpack_text


def _reader(size: int):
    """A connection's reader keeping ``size`` texts (a store before schema 26: no dictionaries)."""
    return TextCodec(sqlite3.connect(":memory:"), size).read


@given(st.text(max_size=2000))
def test_a_packed_text_reads_back_whatever_the_reader_keeps(text):
    for size in (0, 1, 512):
        read = _reader(size)
        assert read(pack_text(text)) == text == read(pack_text(text)) == unpack_text(pack_text(text))


def test_a_text_stored_as_text_and_none_pass_through():
    read = _reader(4)
    assert read("as typed") == "as typed" and read(None) is None


@pytest.mark.parametrize("size", [0, 4])
def test_a_damaged_text_is_an_error_each_time_it_is_read(size):
    read = _reader(size)
    damaged = pack_text("Sybiha said so.")[:-3]
    for _ in range(2):  # a failure is not kept as if it were a text
        with pytest.raises(StoreError, match="an article text is damaged"):
            read(damaged)


def test_sql_reads_through_the_connections_reader():
    conn = sqlite3.connect(":memory:")
    read = register(conn, 8).read
    blob = pack_text("Jongkook Hwang denied it.")
    assert conn.execute("SELECT article_text(?)", (blob,)).fetchone()[0] == read(blob) == "Jongkook Hwang denied it."


def test_a_store_without_a_text_cache_reads_its_articles(tmp_path):
    settings = Settings(ingest=IngestSettings(cache_texts=0, workers=1))
    with Storyline(tmp_path / "s.db", settings) as sl:
        article = next(a for a in build_article(RawArticle(origin=SourceRef("t"), text="Sybiha said the talks go on.\n\nKyiv.",
                                                           published=None), settings.ingest) if isinstance(a, Article))
        sl.ingest_articles([article])
    with Store(tmp_path / "s.db", text_cache=0) as store:
        assert [a.text for a in store.iter_articles()] == [article.text]


def test_a_negative_text_cache_is_refused():
    with pytest.raises(SettingsError, match="ingest.cache_texts"):
        IngestSettings(cache_texts=-1)


# -- format 2: against a dictionary the store trains on its own texts ----------------------------

def _paragraphs() -> list[str]:
    """Written for these tests: news-like paragraphs that share their phrasing, as one outlet's do."""
    places = ["Halvek", "Nordhaven", "Lindmark", "Brennholt", "Kessling", "Marrow Bay"]
    things = ["bridge", "ferry terminal", "harbour wall", "rail line", "pier", "tunnel"]
    out = []
    for i in range(120):
        place, thing = places[i % len(places)], things[(i * 5) % len(things)]
        out.append(f"The {thing} in {place} will stay closed until inspectors finish their work, the city's "
                   f"transport office said on Monday. {i + 2} crews were sent overnight, and officials expect "
                   f"the repairs to take {i % 9 + 2} weeks. As a reminder, the {thing} carries about "
                   f"{(i + 3) * 1000:,} people a day between {place} and the old town.")
    return out


def _with_dictionaries_table() -> sqlite3.Connection:
    """A connection holding schema 26's table, as a store's does."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE text_dictionaries (id INTEGER PRIMARY KEY, data BLOB NOT NULL,"
                 " trained_on INTEGER NOT NULL, created_at TEXT)")
    return conn


@pytest.fixture(scope="module")
def trained() -> tuple[sqlite3.Connection, TextCodec]:
    conn = _with_dictionaries_table()
    codec = register(conn, 4)
    assert codec.train(_paragraphs(), size=4096) == 1
    return conn, codec


@given(text=st.text(max_size=2000))
def test_a_text_packed_against_a_dictionary_reads_back(trained, text):
    conn, codec = trained
    blob = codec.pack(text)
    assert blob[:1] == b"\x02" and dictionary_id(blob) == 1
    assert codec.read(blob) == text == TextCodec(conn).read(blob)
    assert conn.execute("SELECT article_text(?)", (blob,)).fetchone()[0] == text


def test_the_dictionary_makes_texts_like_its_own_smaller():
    conn = _with_dictionaries_table()
    paragraphs = _paragraphs()
    codec = register(conn)
    codec.train(paragraphs[:100], size=4096)
    later = paragraphs[100:]  # not trained on
    assert sum(len(codec.pack(p)) for p in later) < 0.8 * sum(len(pack_text(p)) for p in later)


def test_before_a_dictionary_texts_are_packed_as_before():
    conn = sqlite3.connect(":memory:")  # a store before schema 26: no table
    codec = register(conn)
    assert not codec.has_dictionary()
    assert codec.pack("Sybiha said so.") == pack_text("Sybiha said so.")


def test_too_little_to_train_on_stores_nothing():
    conn = _with_dictionaries_table()
    codec = register(conn)
    assert codec.train(["Kyiv.", "Seoul."]) is None
    assert conn.execute("SELECT count(*) FROM text_dictionaries").fetchone()[0] == 0
    assert codec.pack("Kyiv.")[:1] == b"\x01"


def test_a_text_naming_a_dictionary_the_store_lacks_is_an_error(trained):
    conn, codec = trained
    blob = b"\x02\x07" + codec.pack("Sybiha said so.")[2:]
    with pytest.raises(StoreError, match="text dictionary 7"):
        TextCodec(conn).read(blob)


@pytest.mark.parametrize("cut", [3, 1])
def test_a_damaged_text_against_a_dictionary_is_an_error(trained, cut):
    conn, codec = trained
    blob = codec.pack("Jongkook Hwang denied it. " * 4)
    with pytest.raises(StoreError, match="damaged"):
        TextCodec(conn).read(blob[:-cut] if cut > 1 else blob[:-1] + bytes([blob[-1] ^ 0xFF]))


def test_format_one_readers_name_the_store_for_a_dictionary_text(trained):
    with pytest.raises(StoreError, match="read it through the store"):
        unpack_text(trained[1].pack("Sybiha said so."))


def _articles(texts: list[str], ingest: IngestSettings) -> list[Article]:
    return [a for i, text in enumerate(texts)
            for a in build_article(RawArticle(origin=SourceRef("t"), text=text, id=f"a{i:03d}",
                                              published=f"2025-03-{i % 28 + 1:02d}"), ingest)
            if isinstance(a, Article)]


def _texts() -> list[str]:
    paragraphs = _paragraphs()
    return ["\n\n".join(paragraphs[i:i + 3]) for i in range(0, 90, 3)]


def test_a_store_trains_its_dictionary_and_reads_every_text(tmp_path):
    ingest = IngestSettings(workers=1, text_dictionary=12, batch_size=5)
    articles = _articles(_texts(), ingest)
    path = tmp_path / "s.db"
    with Store(path) as early:  # opened before the dictionary exists
        with Storyline(path, Settings(ingest=ingest)) as sl:
            sl.ingest_articles(articles)
        assert [a.text for a in early.iter_articles()] == [a.text for a in articles]
    conn = sqlite3.connect(path)
    formats = [bytes(t[:1]) for (t,) in conn.execute("SELECT text FROM articles ORDER BY seq")]
    # (these texts share their phrasing: some are kept against an earlier one's text, format 3)
    assert set(formats[:12]) == {b"\x01", b"\x03"} and set(formats[12:]) == {b"\x02", b"\x03"}
    assert conn.execute("SELECT trained_on FROM text_dictionaries").fetchall() == [(12,)]
    with Storyline(path, Settings(ingest=ingest)) as sl:
        assert [sl.article(a.id).text for a in articles] == [a.text for a in articles]
        # the search index reads its content through article_text(): snippets in both formats
        found = dict(sl.store._conn.execute(
            "SELECT a.id, snippet(article_search, 1, '[', ']', '…', 4) FROM article_search"
            " JOIN articles a ON a.seq = article_search.rowid WHERE article_search MATCH 'Brennholt'"))
    assert "[Brennholt]" in found["a001"] and "[Brennholt]" in found["a029"]


def test_a_dictionary_trained_in_a_transaction_that_fails_is_not_used(tmp_path):
    ingest = IngestSettings(workers=1, text_dictionary=12)
    articles = _articles(_texts(), ingest)
    with Store(tmp_path / "s.db", text_dictionary=12) as store:
        store.add_articles(articles[:11])
        with pytest.raises(RuntimeError), store.transaction():
            for article in articles[11:14]:
                store.insert_article(article)  # the 12th trains it
            assert store._codec.has_dictionary()
            raise RuntimeError("the batch fails")
        store.add_articles(articles[11:12])  # trains again, in a transaction that holds
        store.add_articles(articles[12:20])
        rows = store._conn.execute("SELECT id FROM text_dictionaries").fetchall()
        assert len(rows) == 1
        ids = {dictionary_id(t) for (t,) in store._conn.execute("SELECT text FROM articles WHERE seq > 12")}
        assert ids == {rows[0][0]}
        assert [a.text for a in store.iter_articles()] == [a.text for a in articles[:20]]


def test_a_store_set_never_to_train_uses_no_dictionary(tmp_path):
    ingest = IngestSettings(workers=1, text_dictionary=0)
    with Storyline(tmp_path / "s.db", Settings(ingest=ingest)) as sl:
        sl.ingest_articles(_articles(_texts(), ingest))
    conn = sqlite3.connect(tmp_path / "s.db")
    # format 1, or format 3 against an earlier text (itself in format 1)
    assert {bytes(t[:1]) for (t,) in conn.execute("SELECT text FROM articles")} == {b"\x01", b"\x03"}
    assert conn.execute("SELECT count(*) FROM text_dictionaries").fetchone() == (0,)


def test_a_negative_text_dictionary_is_refused():
    with pytest.raises(SettingsError, match="ingest.text_dictionary"):
        IngestSettings(text_dictionary=-1)


def test_the_reuse_index_reads_passages_whole_from_texts_in_every_format(tmp_path):
    """A candidate read whole is its stretch of the article's text, cut from the text the codec
    gives (zlib before the dictionary, zstd against it after, or against an earlier article's
    text), by the store's index and by one reading with a codec of its own."""
    from storyline.store.reuse_index import SqliteReuseIndex

    ingest = IngestSettings(workers=1, text_dictionary=12, batch_size=5)
    articles = _articles(_texts(), ingest)
    path = tmp_path / "s.db"
    with Storyline(path, Settings(ingest=ingest)) as sl:
        sl.ingest_articles(articles)
        conn = sl.store._conn
        seqs = dict(conn.execute("SELECT id, seq FROM articles"))
        formats = {bytes(t[:1]) for (t,) in conn.execute("SELECT text FROM articles")}
        assert formats == {b"\x01", b"\x02", b"\x03"}
        own = SqliteReuseIndex(conn)
        sl.store.reuse_index().clear_cache()  # it holds the passages it stored: read them back
        read = 0
        for article in articles:
            for p in article.passages:
                for index in (sl.store.reuse_index(), own):
                    stored = index.passage(seqs[article.id], p.index)
                    assert stored.text == article.text[p.start:p.end] == p.text
                    assert stored.article_id == article.id
                    read += 1
        assert read > 2 * len(articles)


# -- format 3: against another article's text --------------------------------------------------

def _with_articles(texts: dict[int, bytes | str]) -> tuple[sqlite3.Connection, TextCodec]:
    """A connection holding the articles' seqs and stored texts (and schema 26's table)."""
    conn = _with_dictionaries_table()
    conn.execute("CREATE TABLE articles (seq INTEGER PRIMARY KEY, text NOT NULL)")
    conn.executemany("INSERT INTO articles VALUES (?, ?)", texts.items())
    return conn, register(conn, 4)


_SOURCE = "\n\n".join(_paragraphs()[:6])


@given(st.text(max_size=800), st.text(max_size=800))
def test_a_text_packed_against_another_articles_reads_back(before, after):
    conn, codec = _with_articles({7: pack_text(_SOURCE)})
    text = before + _SOURCE + after
    blob = codec.pack(text, (7, pack_text(_SOURCE)))
    assert blob[:1] == b"\x03" and text_reference(blob) == 7
    assert codec.read(blob) == text == TextCodec(conn).read(blob)
    assert conn.execute("SELECT article_text(?), text_reference(?)", (blob, blob)).fetchone() == (text, 7)


def test_a_copy_costs_a_few_bytes_against_its_original():
    conn, codec = _with_articles({1: pack_text(_SOURCE)})
    copy = _SOURCE.replace("Monday", "Tuesday")
    assert len(codec.pack(copy, (1, pack_text(_SOURCE)))) < len(codec.pack(copy)) / 5


def test_the_smaller_form_is_kept():
    """A reference that shares nothing with the text does not make it bigger."""
    conn, codec = _with_articles({1: pack_text("Kyiv.")})
    text = "Jongkook Hwang denied it, the ministry said, and the talks went on into the night."
    blob = codec.pack(text, (1, pack_text("Kyiv.")))
    assert blob == codec.pack(text) and text_reference(blob) is None


def test_a_reference_that_names_a_reference_is_not_used():
    conn, codec = _with_articles({1: pack_text(_SOURCE)})
    second = codec.pack(_SOURCE + " More.", (1, pack_text(_SOURCE)))
    assert text_reference(second) == 1
    assert text_reference(codec.pack(_SOURCE, (2, second))) is None  # a read would chain


def test_a_text_whose_reference_is_gone_or_chained_is_an_error():
    conn, codec = _with_articles({1: pack_text(_SOURCE)})
    blob = codec.pack(_SOURCE + " More.", (1, pack_text(_SOURCE)))
    with pytest.raises(StoreError, match="against article seq 5, which the store does not hold"):
        TextCodec(conn).read(b"\x03\x05" + blob[2:])
    conn.execute("INSERT INTO articles VALUES (2, ?)", (blob,))
    with pytest.raises(StoreError, match="whose own text names another"):
        TextCodec(conn).read(b"\x03\x02" + blob[2:])
    with pytest.raises(StoreError, match="an article text is damaged"):
        TextCodec(conn).read(blob[:-3])
    with pytest.raises(StoreError, match="against another article's text: read it through the store"):
        unpack_text(blob)


def test_a_store_compresses_recycled_text_against_its_first_occurrence(tmp_path, seeds_dir):
    """The seeds' second article repeats the first's background block: stored against the first's
    text, it reads back whole, is found by search, and keeps the first from being deleted."""
    path = tmp_path / "s.db"
    with Storyline(path, Settings(ingest=IngestSettings(workers=1))) as sl:
        sl.ingest([seeds_dir / "000_28c5dd749a0a6b13.txt", seeds_dir / "001_5a9cac7b8d2db75a.txt"])
    conn = sqlite3.connect(path)
    codec = register(conn)
    (first, first_blob), (second, second_blob) = conn.execute("SELECT seq, text FROM articles ORDER BY seq")
    assert text_reference(second_blob) == first and text_reference(first_blob) is None
    second_text = codec.read(second_blob)
    assert "North Korea" in second_text and len(second_blob) < len(pack_text(second_text)) / 2
    assert codec.read(second_blob) == TextCodec(conn).read(second_blob)
    with Store(path) as store:
        assert [a.text for a in store.iter_articles()] == [codec.read(first_blob), second_text]
    hits = conn.execute("SELECT rowid FROM article_search WHERE article_search MATCH 'Korea'").fetchall()
    assert second in {r for (r,) in hits}
    for statement in ("DELETE FROM articles WHERE seq = ?", "UPDATE articles SET text = 'x' WHERE seq = ?"):
        with pytest.raises(sqlite3.IntegrityError, match="compressed against this article's text"):
            conn.execute(statement, (first,))
    conn.execute("DELETE FROM articles WHERE seq = ?", (second,))  # a text naming none goes as before
    conn.execute("DELETE FROM articles WHERE seq = ?", (first,))
    assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
