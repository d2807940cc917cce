"""Dated events in the store: each article's events, looked up by passage (for recycled copies)
and by story (for its timeline)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..pipeline.ports import EventRef, StoredEvent
from ..records import PassageRef

if TYPE_CHECKING:
    from ..pipeline.ports import Event


# The sentence is kept as offsets into the article's text; substr counts characters, as Python does.
_SELECT = ("SELECT a.id, a.published, e.n, e.passage, substr(article_text(a.text), e.start_char + 1, e.end_char - e.start_char),"
           " e.date, e.qualifier, e.expression, e.origin_article, e.origin_n"
           " FROM timeline_events e JOIN articles a ON a.seq = e.article_seq")


class SqliteTimelineIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def save(self, seq: int, events: Iterable[Event]) -> int:
        """Store the events of the article ``seq`` (inside the caller's transaction) and mark it
        done; returns how many."""
        row = self._conn.execute("SELECT id FROM articles WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise NotFoundError("article", f"#{seq}")
        article_id = row[0]
        rows = [(seq, n, e.passage, e.start, e.end, e.date, e.qualifier, e.expression,
                 e.origin.article_id if e.origin else article_id, e.origin.n if e.origin else n)
                for n, e in enumerate(events)]
        self._conn.executemany(
            "INSERT INTO timeline_events (article_seq, n, passage, start_char, end_char, date, qualifier, expression,"
            " origin_article, origin_n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._conn.execute("INSERT INTO article_status (article_seq, timeline_events) VALUES (?, ?)"
                           " ON CONFLICT (article_seq) DO UPDATE SET timeline_events = excluded.timeline_events",
                           (seq, len(rows)))
        return len(rows)

    def passage_events(self, ref: PassageRef) -> list[StoredEvent] | None:
        """The events of one stored passage; ``None`` when its article's events were never looked for."""
        row = self._conn.execute("SELECT a.seq, s.timeline_events FROM articles a"
                                 " LEFT JOIN article_status s ON s.article_seq = a.seq WHERE a.id = ?",
                                 (ref.article_id,)).fetchone()
        if row is None or row[1] is None:
            return None
        return self._events(f"{_SELECT} WHERE e.article_seq = ? AND e.passage = ? ORDER BY e.n", (row[0], ref.index))

    def story_events(self, story_id: str) -> list[StoredEvent]:
        """Every event of the story's articles, in ingest order."""
        return self._events(f"{_SELECT} WHERE a.story_id = ? ORDER BY a.seq, e.n", (story_id,))

    def article_events(self, article_id: str) -> list[StoredEvent]:
        return self._events(f"{_SELECT} WHERE a.id = ? ORDER BY e.n", (article_id,))

    def count_pending(self) -> int:
        """Articles whose events were never looked for (a partial index keeps this cheap)."""
        return int(self._conn.execute(
            "SELECT count(*) FROM article_status WHERE timeline_events IS NULL").fetchone()[0])

    def pending_seq(self, article_id: str) -> int | None:
        """The article's seq when its events were never looked for, else ``None``."""
        row = self._conn.execute("SELECT a.seq FROM articles a JOIN article_status s ON s.article_seq = a.seq"
                                 " WHERE a.id = ? AND s.timeline_events IS NULL", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def pending(self, limit: int) -> list[str]:
        """Ids of articles whose events were never looked for (stored before the timeline existed), oldest first."""
        return [r[0] for r in self._conn.execute(
            "SELECT a.id FROM article_status s JOIN articles a ON a.seq = s.article_seq"
            " WHERE s.timeline_events IS NULL ORDER BY s.article_seq LIMIT ?", (limit,))]

    def _events(self, sql: str, params: tuple) -> list[StoredEvent]:
        return [StoredEvent(aid, published, n, passage, text, date, qualifier, expression, EventRef(o_article, o_n))
                for aid, published, n, passage, text, date, qualifier, expression, o_article, o_n
                in self._conn.execute(sql, params)]
