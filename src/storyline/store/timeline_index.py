"""Dated events in the store: each article's events, looked up by passage (for recycled copies)
and by story (for its timeline)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..records import PassageRef

if TYPE_CHECKING:
    from ..timeline.events import Event


@dataclass(slots=True, frozen=True)
class EventRef:
    """One event of one article, by its number there: the identity of an event across copies."""

    article_id: str
    n: int


@dataclass(slots=True, frozen=True)
class StoredEvent:
    """An event as stored: its article, number, sentence text, date and first occurrence."""

    article_id: str
    published: str | None
    n: int
    passage: int
    text: str
    date: str
    qualifier: str | None
    expression: str
    origin: EventRef  # itself when first seen in this article


# The sentence is kept as offsets into the article's text; substr counts characters, as Python does.
_SELECT = ("SELECT a.id, a.published, e.n, e.passage, substr(a.text, e.start_char + 1, e.end_char - e.start_char),"
           " e.date, e.qualifier, e.expression, e.origin_article, e.origin_n"
           " FROM timeline_events e JOIN articles a ON a.seq = e.article_seq")


class SqliteTimelineIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def save(self, article_id: str, events: Iterable[Event]) -> int:
        """Store an article's events (inside the caller's transaction) and mark it done; returns how many."""
        row = self._conn.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError("article", article_id)
        seq = row[0]
        rows = [(seq, n, e.passage, e.start, e.end, e.date, e.qualifier, e.expression,
                 e.origin.article_id if e.origin else article_id, e.origin.n if e.origin else n)
                for n, e in enumerate(events)]
        self._conn.executemany(
            "INSERT INTO timeline_events (article_seq, n, passage, start_char, end_char, date, qualifier, expression,"
            " origin_article, origin_n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._conn.execute("UPDATE articles SET timeline_events = ? WHERE seq = ?", (len(rows), seq))
        return len(rows)

    def passage_events(self, ref: PassageRef) -> list[StoredEvent] | None:
        """The events of one stored passage; ``None`` when its article's events were never looked for."""
        row = self._conn.execute("SELECT seq, timeline_events FROM articles WHERE id = ?",
                                 (ref.article_id,)).fetchone()
        if row is None or row[1] is None:
            return None
        return self._events(f"{_SELECT} WHERE e.article_seq = ? AND e.passage = ? ORDER BY e.n", (row[0], ref.index))

    def story_events(self, story_id: str) -> list[StoredEvent]:
        """Every event of the story's articles, in ingest order."""
        return self._events(f"{_SELECT} WHERE a.story_id = ? ORDER BY a.seq, e.n", (story_id,))

    def article_events(self, article_id: str) -> list[StoredEvent]:
        return self._events(f"{_SELECT} WHERE a.id = ? ORDER BY e.n", (article_id,))

    def pending(self, limit: int) -> list[str]:
        """Ids of articles whose events were never looked for (stored before the timeline existed), oldest first."""
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM articles WHERE timeline_events IS NULL ORDER BY seq LIMIT ?", (limit,))]

    def _events(self, sql: str, params: tuple) -> list[StoredEvent]:
        return [StoredEvent(aid, published, n, passage, text, date, qualifier, expression, EventRef(o_article, o_n))
                for aid, published, n, passage, text, date, qualifier, expression, o_article, o_n
                in self._conn.execute(sql, params)]
