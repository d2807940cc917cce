"""Full-text search over a real store: grouped by story, snippets with the matched words marked,
filters, sort orders, the index kept in step with every write; and the query parser's properties."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline import Storyline
from storyline.errors import QueryError
from storyline.store import text_codec
from storyline.store.search import CLOSE, OPEN, SearchFilters, fts_query, unmark

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))
OTHERS = [
    {"id": "chess", "title": "Bravo wins chess final", "published": "2024-03-02", "source": "Board Weekly",
     "text": "The grandmaster sacrificed a rook and won the championship game in Madrid. "
             "Officials denied that the clock had been tampered with."},
    {"id": "comet", "title": "Comet Alpha seen over the bridge", "published": "2024-03-01", "source": "Sky News Desk",
     "text": "Astronomers in Chile photographed a faint comet through the new telescope."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search") / "s.db"
    with Storyline(db) as sl:
        assert sl.ingest(EXAMPLES).ok
        assert sl.ingest_records(OTHERS, "test").ok
    return db


@pytest.fixture
def q(store: Path):
    with Storyline(store, upgrade=False, create=False) as sl:
        yield sl.queries


def _marked(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_hits_are_grouped_by_story_with_marked_snippets(q):
    result = q.search("Halvek")
    assert result.total == 1 and result.articles == 4
    (group,) = result.groups
    assert group.story is not None and group.matches == 4 and len(group.hits) == 3  # the best three
    assert {h.id for h in group.hits} <= {p.stem for p in EXAMPLES}
    for hit in group.hits:
        assert hit.highlights and all(w == "Halvek" for w in _marked(hit.snippet, hit.highlights))
        assert OPEN not in hit.snippet and CLOSE not in hit.snippet
    assert len(q.search("Halvek", per_story=10).groups[0].hits) == 4
    assert q.search("Hrabovan").articles == 3


def test_words_are_stemmed_all_must_occur_and_phrases_keep_their_order(q):
    denied = q.search("deny")  # "denied" in the chess article
    assert [g.story.title for g in denied.groups] == ["Bravo wins chess final"]
    assert q.search("rook Madrid").articles == 1
    assert q.search("rook Hrabovan").articles == 0  # every word must occur
    assert q.search('"chess final"').articles == 1 and q.search('"final chess"').articles == 0
    assert q.search("grandmas*").articles == 1  # a prefix


def test_title_matches_are_marked_in_the_title(q):
    (group,) = q.search("comet").groups
    (hit,) = group.hits
    assert hit.title == "Comet Alpha seen over the bridge" and _marked(hit.title, hit.title_highlights) == ["Comet"]


def test_filters_by_date_source_and_story(q):
    everywhere = q.search("bridge")
    assert everywhere.total == 2
    assert q.search("bridge", SearchFilters(until="2024-12-31")).total == 1  # the comet, March 2024
    assert q.search("bridge", SearchFilters(since="2025-03-05")).articles == 2  # the two latest examples
    assert q.search("bridge", SearchFilters(source="sky news DESK")).articles == 1  # any case
    bridge = next(g.story.id for g in everywhere.groups if g.story.title != OTHERS[1]["title"])
    assert q.search("bridge", SearchFilters(story=bridge)).articles == 4


def test_groups_sort_by_relevance_size_update_and_creation(q):
    by_size = q.search("bridge", sort="size").groups
    assert [g.matches for g in by_size] == [4, 1]
    by_created = q.search("bridge", sort="created").groups
    assert by_created[0].story.first_published > by_created[1].story.first_published
    by_updated = q.search("bridge", sort="updated").groups
    assert by_updated[0].story.updated >= by_updated[1].story.updated
    page = q.search("bridge", sort="size", offset=1, limit=1)
    assert page.total == 2 and [g.story.id for g in page.groups] == [by_size[1].story.id]


def test_what_cannot_be_searched_is_a_clear_error(q):
    with pytest.raises(QueryError, match="nothing to search for"):
        q.search(" !? -- ")
    with pytest.raises(QueryError, match="unknown sort 'best'"):
        q.search("bridge", sort="best")
    assert q.search('AND OR NEAR( "').articles == 0  # FTS5's own syntax is searched for, never obeyed


def test_the_index_follows_every_write(tmp_path: Path):
    db = tmp_path / "w.db"
    with Storyline(db) as sl:
        sl.ingest_records([{"id": "a", "title": "Harbour ceremony", "text": "The new harbour opened to ships today."}], "t")
        assert sl.queries.search("harbour").articles == 1
        sl.ingest_records([{"id": "b", "text": "Ships queued outside the harbour all night."}], "t")
        assert sl.queries.search("harbour").articles == 2
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.OperationalError, match="no such function: (article_text|search_form)"), conn:
        # taking a compressed text out of the index needs it decompressed: refused, not out of step
        conn.execute("UPDATE articles SET title = 'Lighthouse relit' WHERE id = 'a'")
    text_codec.register(conn)
    with conn:  # the triggers keep the index in step with any change to a title or text, and deletion
        conn.execute("UPDATE articles SET title = 'Lighthouse relit' WHERE id = 'a'")
        conn.execute("DELETE FROM passages WHERE article_seq = (SELECT seq FROM articles WHERE id = 'b')")
        conn.execute("DELETE FROM articles WHERE id = 'b'")
    conn.close()
    with Storyline(db) as sl:
        assert sl.queries.search("lighthouse").articles == 1
        assert sl.queries.search("harbour").articles == 1 and sl.queries.search("queued").articles == 0
        assert sl.queries.search("ceremony").articles == 0  # the old title is gone from the index
    conn = sqlite3.connect(db)
    with conn:  # a text another client stores as it is is indexed, and read back
        conn.execute("INSERT INTO articles (id, content_hash, text, ingested_at) VALUES"
                     " ('c', 'h', 'A tugboat towed the barge.', '2025-01-01')")
    conn.close()
    with Storyline(db) as sl:
        assert sl.queries.search("tugboat").articles == 1
        assert sl.article("c").text == "A tugboat towed the barge."


# Written for these tests: Chinese and Japanese have no spaces between words.
CJK = [
    {"id": "zh1", "title": "港口工人罢工进入第二周", "published": "2024-03-03", "source": "港口日报",
     "text": "港口工人周一开始罢工，要求提高工资。工会表示，罢工将持续到港务局提出新的方案。 Velmora 港的货轮仍在等待。"},
    {"id": "zh2", "title": "暴雨冲毁山谷公路", "published": "2024-03-04", "source": "山谷新闻",
     "text": "暴雨导致河水上涨，山谷公路周二被洪水冲毁，救援人员正在疏散附近村庄的居民。"},
    {"id": "ja1", "title": "東京港でストライキ", "published": "2024-03-05", "source": "東京新聞",
     "text": "東京の港で労働者がストライキを始めた。組合は賃上げを求めている。"},
]


def test_chinese_and_japanese_words_are_found_inside_their_runs(tmp_path: Path):
    with Storyline(tmp_path / "s.db") as sl:
        assert sl.ingest_records(CJK, "test").ok
        search = sl.queries.search
        assert [h.id for g in search("罢工").groups for h in g.hits] == ["zh1"]
        assert search("洪水").articles == 1 and search("ストライキ").articles == 1 and search("港").articles == 2
        assert search("工会 罢工").articles == 1 and search("工会 洪水").articles == 0  # every word must occur
        assert search('"提高工资"').articles == 1 and search('"工资提高"').articles == 0  # a phrase keeps its order
        (hit,) = search("罢工 Velmora").groups[0].hits
        assert hit.title == "港口工人罢工进入第二周" and _marked(hit.title, hit.title_highlights) == ["罢工"]
        # the snippet is the text as written, the matched words marked in it
        assert hit.snippet.strip("…") in CJK[0]["text"]
        assert set(_marked(hit.snippet, hit.highlights)) == {"罢工", "Velmora"}


def test_a_store_from_before_the_search_form_finds_chinese_after_the_upgrade(tmp_path: Path):
    from tests.store.downgrade import undo_v22

    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        assert sl.ingest_records([*CJK, *OTHERS], "test").ok
    conn = sqlite3.connect(db, isolation_level=None)
    text_codec.register(conn)
    undo_v22(conn)  # indexed as schema 21 indexed them: a run of Han a word
    assert conn.execute("SELECT count(*) FROM article_search WHERE article_search MATCH '罢工'").fetchone() == (0,)
    conn.close()
    with Storyline(db) as sl:
        assert sl.queries.search("罢工").articles == 1 and sl.queries.search("rook").articles == 1
    conn = sqlite3.connect(db)
    text_codec.register(conn)
    conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")  # raises if not
    with conn:  # a change keeps the index in step: the old words are gone
        conn.execute("UPDATE articles SET title = '渡轮恢复' WHERE id = 'zh1'")
    conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")
    conn.close()
    with Storyline(db) as sl:
        assert sl.queries.search("渡轮").articles == 1 and sl.queries.search("第二周").articles == 0


def test_a_chinese_text_another_client_stores_is_indexed_as_written(tmp_path: Path):
    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        assert sl.ingest_records(CJK, "test").ok
    conn = sqlite3.connect(db)  # no functions registered: an insert needs none
    with conn:
        conn.execute("INSERT INTO articles (id, content_hash, title, text, ingested_at) VALUES"
                     " ('c', 'h', '拖船', '拖船拖走了驳船。 Tugboat Velmora.', '2025-01-01')")
    conn.close()
    with Storyline(db) as sl:  # indexed as written: its Han runs whole, which no query's words are
        assert sl.queries.search("驳船").articles == 0 and sl.queries.search("罢工").articles == 1
        (hit,) = sl.queries.search("tugboat").groups[0].hits
        assert (hit.id, hit.title) == ("c", "拖船") and hit.snippet == "拖船拖走了驳船。 Tugboat Velmora."
    conn = sqlite3.connect(db)
    text_codec.register(conn)
    with conn:  # taken out of the index as it was put in
        conn.execute("DELETE FROM articles WHERE id IN ('c', 'zh2')")
    conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")  # raises if not
    conn.close()
    with Storyline(db) as sl:
        assert sl.queries.search("tugboat").articles == 0 and sl.queries.search("洪水").articles == 0


# -- the query parser --------------------------------------------------------------------------

@given(st.text(max_size=60))
def test_any_text_is_a_valid_query_or_a_clear_error(text):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61 remove_diacritics 2')")
    try:
        query = fts_query(text)
    except QueryError as exc:
        assert "nothing to search for" in str(exc)
        assert not re.search(r"\w", re.sub(r"[\x00-\x1f\x7f]", " ", text))
        return
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()  # FTS5 accepts it


@given(st.lists(st.tuples(st.text(alphabet=st.characters(blacklist_characters=OPEN + CLOSE), max_size=8),
                          st.booleans()), max_size=8))
def test_unmark_returns_the_plain_text_and_where_the_marks_were(pieces):
    marked = "".join(f"{OPEN}{t}{CLOSE}" if m else t for t, m in pieces)
    plain, spans = unmark(marked)
    assert plain == "".join(t for t, _ in pieces)
    assert [plain[a:b] for a, b in spans] == [t for t, m in pieces if m and t]
