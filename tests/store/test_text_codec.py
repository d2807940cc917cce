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
from storyline.store.text_codec import pack_text, register, text_reader, unpack_text


@given(st.text(max_size=2000))
def test_a_packed_text_reads_back_whatever_the_reader_keeps(text):
    for size in (0, 1, 512):
        read = text_reader(size)
        assert read(pack_text(text)) == text == read(pack_text(text)) == unpack_text(pack_text(text))


def test_a_text_stored_as_text_and_none_pass_through():
    read = text_reader(4)
    assert read("as typed") == "as typed" and read(None) is None


@pytest.mark.parametrize("size", [0, 4])
def test_a_damaged_text_is_an_error_each_time_it_is_read(size):
    read = text_reader(size)
    damaged = pack_text("Sybiha said so.")[:-3]
    for _ in range(2):  # a failure is not kept as if it were a text
        with pytest.raises(StoreError, match="an article text is damaged"):
            read(damaged)


def test_sql_reads_through_the_connections_reader():
    conn = sqlite3.connect(":memory:")
    read = register(conn, 8)
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
