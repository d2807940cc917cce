"""Dated events in the store, and stores from before the timeline (schema 3) getting theirs."""

import sqlite3

from storyline import Storyline
from storyline.records import Article, Passage, Span
from storyline.store import SCHEMA_VERSION, Store
from storyline.store.migrations import MIGRATIONS
from tests.store.downgrade import undo_v7

V3_TABLES = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"


def _schema_v3() -> list[tuple]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for migration in MIGRATIONS[:3]:
        migration.apply(conn)
    return conn.execute(V3_TABLES).fetchall()


def _downgrade_to_v3(path) -> None:
    """What a store written by storyline before the timeline looks like: no events, schema 3."""
    conn = sqlite3.connect(path, isolation_level=None)
    undo_v7(conn)
    conn.execute("DROP TABLE article_vectors")  # schema 6
    conn.execute("DROP INDEX passages_first_seen")
    conn.execute("DROP TABLE article_statements")  # schema 5
    conn.execute("ALTER TABLE articles DROP COLUMN statements")
    conn.execute("DROP TABLE timeline_events")
    conn.execute("DROP INDEX articles_timeline_pending")
    conn.execute("ALTER TABLE articles DROP COLUMN timeline_events")
    conn.execute("PRAGMA user_version = 3")
    assert conn.execute(V3_TABLES).fetchall() == _schema_v3()
    conn.close()


def test_a_store_from_before_the_timeline_gets_its_events_when_next_opened(db_path, seeds_dir):
    with Storyline(db_path) as sl:
        sl.ingest([seeds_dir / "001_5a9cac7b8d2db75a.txt"])
        sl.ingest([seeds_dir / "000_28c5dd749a0a6b13.txt"])
        (story,) = sl.stories()
        before = sl.timeline(story.id)
        events_before = sl.store.timeline_index().article_events("000_28c5dd749a0a6b13")
    _downgrade_to_v3(db_path)

    with Store(db_path) as store:  # the migration alone adds the table; the events are not there yet
        assert sqlite3.connect(db_path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == MIGRATIONS[-1].version
        assert store.timeline_index().pending(10) == ["001_5a9cac7b8d2db75a", "000_28c5dd749a0a6b13"]
        assert store.timeline_index().story_events(story.id) == []

    with Storyline(db_path) as sl:
        index = sl.store.timeline_index()
        assert sl.pending_backfill() == 2  # opening the store wrote nothing: it says what is missing
        progress: list[tuple[int, int]] = []
        assert sl.backfill(lambda done, total: progress.append((done, total))) == 2
        assert progress == [(2, 2)]
        assert index.pending(10) == [] and sl.pending_backfill() == 0
        assert sl.timeline(story.id) == before and len(before) == 6
        # Found in ingest order, so 000's recycled background carries 001's events, as at ingest.
        assert index.article_events("000_28c5dd749a0a6b13") == events_before
        assert {e.origin.article_id for e in events_before} == {"001_5a9cac7b8d2db75a"}
    counts = sqlite3.connect(db_path).execute("SELECT a.id, s.timeline_events FROM articles a"
                                              " JOIN article_status s ON s.article_seq = a.seq ORDER BY a.seq").fetchall()
    assert counts == [("001_5a9cac7b8d2db75a", 6), ("000_28c5dd749a0a6b13", 6)]


def test_articles_stored_without_the_engine_are_pending_until_the_next_ingest(db_path, seeds_dir):
    text = "The pier closed on 17 October 2024. It reopens in 2025."
    article = Article(id="a", text=text, passages=[Passage(0, 0, len(text), text, (Span(0, 35), Span(36, len(text))))],
                      content_hash="h", published="2024-10-20")
    with Store(db_path) as store:
        store.add_articles([article])
        assert store.timeline_index().pending(10) == ["a"]
    with Storyline(db_path) as sl:
        assert sl.store.timeline_index().article_events("a") == []  # opening never writes
        sl.ingest([seeds_dir / "000_28c5dd749a0a6b13.txt"])  # an ingest backfills first
        events = sl.store.timeline_index().article_events("a")
    assert [(e.date, e.text) for e in events] == [("2024-10-17", "The pier closed on 17 October 2024."),
                                                  ("2025", "It reopens in 2025.")]

