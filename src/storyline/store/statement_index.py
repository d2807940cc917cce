"""Attributed statements in the store: each article's, looked up by passage (for recycled
copies) and by story (for its statements and conflicts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import NotFoundError
from ..pipeline.ports import StatementRef, StoredStatement
from ..records import PassageRef

if TYPE_CHECKING:
    from ..pipeline.ports import Found


_SELECT = ("SELECT a.id, a.published, s.n, s.passage,"
           " CASE WHEN s.speaker_start IS NULL THEN NULL"
           " ELSE substr(article_text(a.text), s.speaker_start + 1, s.speaker_end - s.speaker_start) END,"
           " s.speaker_name, s.role, s.cue, substr(article_text(a.text), s.content_start + 1, s.content_end - s.content_start),"
           " s.kind, s.date, s.origin_article, s.origin_n"
           " FROM article_statements s JOIN articles a ON a.seq = s.article_seq")


class SqliteStatementIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def pending_seq(self, article_id: str) -> int | None:
        """The article's seq when it is stored and not analysed yet, else ``None``."""
        row = self._conn.execute("SELECT a.seq FROM articles a JOIN article_status s ON s.article_seq = a.seq"
                                 " WHERE a.id = ? AND s.statements IS NULL", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def save(self, seq: int, found: Iterable[Found]) -> int:
        """Store the statements of the article ``seq`` (inside the caller's transaction) and mark it analysed."""
        row = self._conn.execute("SELECT id FROM articles WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise NotFoundError("article", f"#{seq}")
        article_id = row[0]
        rows = [(seq, n, f.passage, f.speaker_start, f.speaker_end, f.speaker_name, f.role, f.cue, f.content_start,
                 f.content_end, f.kind, f.date, f.origin.article_id if f.origin else article_id,
                 f.origin.n if f.origin else n)
                for n, f in enumerate(found)]
        self._conn.execute("DELETE FROM article_statements WHERE article_seq = ?", (seq,))
        self._conn.executemany(
            "INSERT INTO article_statements (article_seq, n, passage, speaker_start, speaker_end, speaker_name, role,"
            " cue, content_start, content_end, kind, date, origin_article, origin_n)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._conn.execute("INSERT INTO article_status (article_seq, statements) VALUES (?, ?)"
                           " ON CONFLICT (article_seq) DO UPDATE SET statements = excluded.statements",
                           (seq, len(rows)))
        return len(rows)

    def passage_statements(self, ref: PassageRef) -> list[StoredStatement] | None:
        """The statements of one stored passage; ``None`` when its article was not analysed yet."""
        row = self._conn.execute("SELECT a.seq, s.statements FROM articles a"
                                 " LEFT JOIN article_status s ON s.article_seq = a.seq WHERE a.id = ?",
                                 (ref.article_id,)).fetchone()
        if row is None or row[1] is None:
            return None
        return self._rows(f"{_SELECT} WHERE s.article_seq = ? AND s.passage = ? ORDER BY s.n", (row[0], ref.index))

    def story_statements(self, story_id: str) -> list[StoredStatement]:
        return self._rows(f"{_SELECT} WHERE a.story_id = ? ORDER BY a.seq, s.n", (story_id,))

    def article_statements(self, article_id: str) -> list[StoredStatement]:
        return self._rows(f"{_SELECT} WHERE a.id = ? ORDER BY s.n", (article_id,))

    def pending(self, article_ids: Sequence[str] | None = None) -> list[str]:
        """Articles not analysed yet, in ingest order: all of them, or those among ``article_ids``."""
        if article_ids is None:
            return [r[0] for r in self._conn.execute(
                "SELECT a.id FROM article_status s JOIN articles a ON a.seq = s.article_seq"
                " WHERE s.statements IS NULL ORDER BY s.article_seq")]
        found: list[tuple[int, str]] = []
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start:start + 500])
            found += self._conn.execute(
                f"SELECT a.seq, a.id FROM articles a JOIN article_status s ON s.article_seq = a.seq"
                f" WHERE s.statements IS NULL AND a.id IN ({','.join('?' * len(chunk))})",
                chunk).fetchall()
        return [aid for _, aid in sorted(found)]

    def pending_besides(self, article_ids: Sequence[str]) -> int:
        """How many articles not analysed yet the stories of ``article_ids`` hold besides them."""
        ids = list(dict.fromkeys(article_ids))
        stories: set[str] = set()
        for start in range(0, len(ids), 500):  # SQLite's bound on parameters
            chunk = ids[start:start + 500]
            stories.update(sid for (sid,) in self._conn.execute(
                f"SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL AND id IN ({','.join('?' * len(chunk))})",
                chunk))
        own = set(ids)
        # One story at a time, through the articles_story index: the stories of a small ingest.
        return sum(1 for sid in stories for (aid,) in self._conn.execute(
            "SELECT a.id FROM articles a JOIN article_status s ON s.article_seq = a.seq"
            " WHERE a.story_id = ? AND s.statements IS NULL", (sid,)) if aid not in own)

    def _rows(self, sql: str, params: tuple) -> list[StoredStatement]:
        return [StoredStatement(aid, published, n, passage, speaker, name, role, cue, content, kind, date,
                                StatementRef(o_article, o_n))
                for aid, published, n, passage, speaker, name, role, cue, content, kind, date, o_article, o_n
                in self._conn.execute(sql, params)]
