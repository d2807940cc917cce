"""The story index's split support: ids for split-off groups, reviving merged stories, vectors."""

import sqlite3
from datetime import datetime

import numpy as np
import pytest

from storyline import Storyline
from storyline.errors import StoreError
from storyline.records import Article, Passage, PassageRef
from storyline.store import SCHEMA_VERSION, Store
from storyline.store.migrations import MIGRATIONS
from tests.conftest import generated_stream
from tests.store.downgrade import undo_v7
from storyline.stories.ports import float32_weights


def test_a_split_revives_the_merged_story_its_group_founded(db_path):
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        big = index.create("sbig", "Big", "2025-03-01")
        small = index.create("ssmall", "Small", "2025-03-02")
        small.set_centroid({"harbour": 0.8, "strike": 0.6})
        index.save(small, ["harbour", "strike"])
        index.merge(big, small, [])
        assert index.story("ssmall").id == "sbig"  # merged: the id leads to the absorber
        # its centroid is not kept: nothing reads it again
        assert store._conn.execute("SELECT weights, dense FROM stories WHERE id = 'ssmall'").fetchone() == (None, None)
        assert index.split_story_id(["sfresh"]) == ("sfresh", None)
        story_id, seq = index.split_story_id(["ssmall", "sfresh"])
        assert (story_id, seq) == ("ssmall", small.seq)
        revived = index.revive(seq)
        assert revived.id == "ssmall" and index.story("ssmall").id == "ssmall" and revived.centroid == {}
        assert [s.id for s in index.stories()] == ["sbig", "ssmall"]


def test_a_live_story_id_is_never_handed_out_twice(db_path):
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        index.create("slive", "Live", None)
        assert index.split_story_id(["slive", "snext"]) == ("snext", None)
        with pytest.raises(ValueError, match="held by a live story"):
            index.split_story_id(["slive"])


def test_vectors_round_trip(db_path):
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        index.save_vector("a", {"bridge": 0.7, "crack": 0.123456789}, np.arange(3, dtype=np.float32))
        store.insert_article(_article("a", "sx"))
        (member,) = index.members("sx")
        # kept to 4 decimals, as float32 (store.codec)
        assert member.id == "a" and member.vector == pytest.approx({"bridge": 0.7, "crack": 0.1235}, abs=1e-7)
        assert member.vector == float32_weights({"bridge": 0.7, "crack": 0.1235})
        assert member.dense.tolist() == [0.0, 1.0, 2.0]


def _article(aid, story_id):
    return Article(id=aid, text="Body.", passages=[Passage(0, 0, 5, "Body.")], content_hash=f"h-{aid}",
                   story_id=story_id)


def test_a_store_from_before_splits_is_upgraded_and_keeps_working(db_path, tmp_path):
    """Schema 5 had no article vectors: the migration adds the table (and an index since dropped); the
    articles stored before have no vector, so a split check leaves them in their story."""
    from tests.stories.test_stage import DRIFT, _stream

    with Storyline(db_path) as sl:
        sl.ingest([_stream(tmp_path, DRIFT[:4], "old.jsonl")])
    conn = sqlite3.connect(db_path, isolation_level=None)
    undo_v7(conn)
    conn.execute("DROP TABLE article_vectors")
    conn.execute("DROP INDEX passages_first_seen")
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    with Storyline(db_path) as sl:
        assert sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == MIGRATIONS[-1].version
        names = {r[0] for r in sl.store._conn.execute("SELECT name FROM sqlite_master")}
        # v6 made the passage index by first occurrence, v27 moved it, v31 dropped it
        assert "article_vectors" in names and "passage_rows_first_seen" not in names
        sl.ingest([_stream(tmp_path, DRIFT[4:], "new.jsonl")])
        # When the sixth article (b3) arrives only b2 and b3 have vectors: the check sees too few.
        (story,) = sl.stories()
        assert story.article_ids == [a for a, _, _ in DRIFT]
        assert len(sl.store.story_index().members(story.id)) == 3


def test_the_log_keeps_each_event_as_it_was_logged(db_path):
    """Schema 28 stores the log by story seq, times in seconds, events as codes and the shared
    terms tab-joined: history gives back what was logged, the scores unrounded."""
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        big = index.create("sbig", "Big", "2025-03-01")
        small = index.create("ssmall", "Small", "2025-03-02")
        index.log("sbig", "a1", "created", None, {"shared_terms": []})
        index.log("sbig", "a2", "joined", 0.16113717272562705, {"shared_terms": ["pier", "harbor", "é"]})
        index.log("ssmall", "a3", "merged", 0.5, {"into": "sbig", "articles_moved": ["a3"]})
        index.log("sbig", "a4", "moved", 0.25, {"from": "ssmall", "reason": "split", "shared_terms": ["x"]})
        history = index.history("sbig")
        with pytest.raises(StoreError, match="'snone' is not in the store"):
            index.log("snone", "a5", "joined", 0.1, {})
        with pytest.raises(StoreError, match="unknown story event 'renamed'"):
            index.log("sbig", "a5", "renamed", 0.1, {})
        assert (big.seq, small.seq) == (1, 2)
    assert [{k: v for k, v in h.items() if k != "at"} for h in history] == [
        {"article_id": "a1", "event": "created", "score": None, "shared_terms": []},
        {"article_id": "a2", "event": "joined", "score": 0.16113717272562705, "shared_terms": ["pier", "harbor", "é"]},
        {"article_id": "a4", "event": "moved", "score": 0.25, "from": "ssmall", "reason": "split",
         "shared_terms": ["x"]}]
    assert all(datetime.fromisoformat(h["at"]).tzinfo is not None for h in history)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT story_seq, event, terms, detail FROM story_events ORDER BY rowid").fetchall() == [
        (1, 0, "", None), (1, 1, "pier\tharbor\té", None), (2, 2, None, '{"into":"sbig","articles_moved":["a3"]}'),
        (1, 6, "x", '{"from":"ssmall","reason":"split"}')]
    conn.close()


def test_an_event_of_a_story_not_in_the_store_is_refused_and_nothing_logged(db_path):
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        story = index.create("sreal", "Real", None)
        index.log(story.id, "a1", "created", None, {"shared_terms": ["pier"]})
        with pytest.raises(StoreError, match="story 'sghost' is not in the store: its joined event \\(article a2\\)"):
            index.log("sghost", "a2", "joined", 0.5, {})
        assert index.history("sreal") == [{"at": index.history("sreal")[0]["at"], "article_id": "a1",
                                           "event": "created", "score": None, "shared_terms": ["pier"]}]
        assert store._conn.execute("SELECT count(*) FROM story_events").fetchone() == (1,)


def _earliest_copy_by_rows(articles: list[Article], order: dict[str, int], root, story_id: str, before: int):
    """What the store answered before schema 31, from every stored passage: the earliest
    passage of an article of ``story_id`` stored before ``before`` whose first occurrence is
    ``root``, or ``root`` when its article is in the story and earlier."""
    by_id = {a.id: a for a in articles}
    if by_id[root.article_id].story_id == story_id and order[root.article_id] < before:
        return root
    for a in sorted(articles, key=lambda a: order[a.id]):
        if a.story_id == story_id and order[a.id] < before:
            for p in a.passages:
                if p.first_seen == root:
                    return PassageRef(a.id, p.index)
    return None


def test_an_articles_earliest_copy_in_its_story_is_what_every_stored_passage_gives(db_path, tmp_path):
    """A story's copies are read from its own passage rows (schema 31 dropped the index by first
    occurrence): each recycled passage's ``in_story``, for every article of a generated stream of
    stories that recycle each other's blocks, is what a search of every stored passage finds."""
    path = generated_stream(tmp_path / "stream.jsonl", 240, seed=5, stories=8)
    with Storyline(db_path) as sl:
        sl.ingest([path])
        q = sl.queries
        articles = list(q.articles())
        order = {a.id: i for i, a in enumerate(articles)}  # ingest order
        compared = in_story = 0
        for a in articles:
            seen = q.novelty(a.id)
            for p, n in zip(a.passages, seen.passages):
                if p.status != "recycled" or p.first_seen is None:
                    assert n.in_story is None
                    continue
                assert n.in_story == _earliest_copy_by_rows(articles, order, p.first_seen, a.story_id, order[a.id])
                compared += 1
                in_story += n.in_story is not None
        assert compared > 200 and 0 < in_story < compared  # both kinds, many of them
        assert q.novelties(articles) == {a.id: q.novelty(a) for a in articles}
        assert not sl.store._conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE name = 'passage_rows_first_seen'").fetchone()
