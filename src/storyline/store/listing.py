"""Read-only queries for browsing: stories a page at a time, a story's articles with their new
share, and a plain text search. One SQL statement each, so a page costs the same whether a
story has ten articles or a thousand (no article is loaded whole to be listed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class StoryRow:
    """A story as the story list shows it."""

    id: str
    title: str
    articles: int
    sources: int
    first_published: str | None
    last_published: str | None
    updated: str | None  # when an article last joined it (or it merged or split), UTC

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "articles": self.articles, "sources": self.sources,
                "first_published": self.first_published, "last_published": self.last_published,
                "updated": self.updated}


@dataclass(slots=True, frozen=True)
class ArticleRow:
    """An article as a list shows it: who, when, and how much of it is new."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    story_id: str | None
    duplicate_of: str | None
    chars: int  # characters in its passages
    new_chars: int  # of them, in passages that are new
    recycled_chars: int
    boilerplate_chars: int
    lead: str  # the text's first characters, to name an article that has no title

    @property
    def new_share(self) -> float:
        return self.new_chars / self.chars if self.chars else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "source": self.source, "published": self.published,
                "story_id": self.story_id, "duplicate_of": self.duplicate_of,
                "new_share": round(self.new_share, 4), "chars": self.chars, "new_chars": self.new_chars,
                "recycled_chars": self.recycled_chars, "boilerplate_chars": self.boilerplate_chars,
                "lead": self.lead}


def _like(text: str) -> str:
    """A LIKE pattern that matches ``text`` literally (``%`` and ``_`` in it are not wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.source, a.published, a.story_id, a.duplicate_of,"
    " coalesce(sum(p.end_char - p.start_char), 0),"
    " coalesce(sum(CASE WHEN p.status = 'new' THEN p.end_char - p.start_char END), 0),"
    " coalesce(sum(CASE WHEN p.status = 'recycled' THEN p.end_char - p.start_char END), 0),"
    " coalesce(sum(CASE WHEN p.status = 'boilerplate' THEN p.end_char - p.start_char END), 0),"
    " substr(a.text, 1, 160)")


class Listing:
    """Browsing queries over one store connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def stories(self, text: str | None = None, since: str | None = None, until: str | None = None,
                offset: int = 0, limit: int = 50) -> tuple[int, list[StoryRow]]:
        """Stories that are not merged away, most recently updated first: how many match, and
        the page ``offset:offset+limit``. ``text`` matches the title (case-insensitive, literal);
        ``since``/``until`` (ISO dates, inclusive) keep stories whose dates overlap that span."""
        where = ["s.merged_into IS NULL"]
        params: list[object] = []
        if text:
            where.append("s.title LIKE ? ESCAPE '\\'")
            params.append(_like(text))
        if since:
            where.append("coalesce(s.last_published, s.first_published) >= ?")
            params.append(since[:10])
        if until:
            # a published value "2024-10-28T09:00Z" sorts after "2024-10-28": compare its day
            where.append("substr(coalesce(s.first_published, s.last_published), 1, 10) <= ?")
            params.append(until[:10])
        clause = " AND ".join(where)
        total = self._conn.execute(f"SELECT count(*) FROM stories s WHERE {clause}", params).fetchone()[0]
        rows = self._conn.execute(
            f"SELECT s.id, s.title, s.articles, s.first_published, s.last_published,"
            f" (SELECT max(at) FROM story_log l WHERE l.story_id = s.id) AS updated"
            f" FROM stories s WHERE {clause} ORDER BY updated DESC, s.seq DESC LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        return int(total), [StoryRow(r[0], r[1], self._count(r[0]), self._sources(r[0]), r[3], r[4], r[5])
                            for r in rows]

    def _count(self, story_id: str) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles WHERE story_id = ?", (story_id,)).fetchone()[0])

    def _sources(self, story_id: str) -> int:
        # copies of one text count once; an article without a named source is its own
        row = self._conn.execute(
            "SELECT count(DISTINCT coalesce(source, id)) FROM articles WHERE story_id = ? AND duplicate_of IS NULL",
            (story_id,)).fetchone()
        return int(row[0])

    def story_row(self, story_id: str) -> StoryRow | None:
        row = self._conn.execute(
            "SELECT s.id, s.title, s.first_published, s.last_published,"
            " (SELECT max(at) FROM story_log l WHERE l.story_id = s.id) FROM stories s WHERE s.id = ?",
            (story_id,)).fetchone()
        if row is None:
            return None
        return StoryRow(row[0], row[1], self._count(row[0]), self._sources(row[0]), row[2], row[3], row[4])

    def story_articles(self, story_id: str) -> list[ArticleRow]:
        """The story's articles in publication order (then ingest order)."""
        rows = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN passages p ON p.article_seq = a.seq"
            " WHERE a.story_id = ? GROUP BY a.seq ORDER BY coalesce(a.published, ''), a.seq",
            (story_id,)).fetchall()
        return [ArticleRow(*r) for r in rows]

    def article_row(self, article_id: str) -> ArticleRow | None:
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN passages p ON p.article_seq = a.seq"
            " WHERE a.id = ? GROUP BY a.seq", (article_id,)).fetchone()
        return ArticleRow(*row) if row else None

    def titles(self, article_ids: list[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
        """``id -> (title, source, published)`` for the given articles (those that exist)."""
        out: dict[str, tuple[str | None, str | None, str | None]] = {}
        for start in range(0, len(article_ids), 500):  # SQLite's bound on parameters
            chunk = article_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.execute(f"SELECT id, title, source, published FROM articles WHERE id IN ({marks})",
                                        chunk):
                out[r[0]] = (r[1], r[2], r[3])
        return out

    def search(self, text: str, offset: int = 0, limit: int = 20) -> tuple[int, list[ArticleRow]]:
        """Articles whose title or text holds ``text`` (case-insensitive for ASCII, literal),
        newest first: how many match, and one page of them."""
        pattern = _like(text)
        where = "(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')"
        total = self._conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", (pattern, pattern)).fetchone()[0]
        rows = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN passages p ON p.article_seq = a.seq"
            f" WHERE {where} GROUP BY a.seq ORDER BY coalesce(a.published, '') DESC, a.seq DESC LIMIT ? OFFSET ?",
            (pattern, pattern, limit, offset)).fetchall()
        return int(total), [ArticleRow(*r) for r in rows]
