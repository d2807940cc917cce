"""Read-only queries for browsing: stories a page at a time, a story's articles with their new
share, articles per day, the store's figures. One SQL statement each, so a page costs the same whether a
story has ten articles or a thousand (no article is loaded whole to be listed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..errors import QueryError
from ..records import char_share, new_share

STORY_SORTS = ("updated", "size", "created")
# A copy of its original's very text (a near-duplicate has duplicate_of set too).
_EXACT = ("a.duplicate_of IS NOT NULL AND a.content_hash ="
          " (SELECT o.content_hash FROM articles o WHERE o.id = a.duplicate_of)")
# Newest first for each: the last update, the most articles, the latest first publication.
_STORY_ORDER = {
    "updated": "updated DESC, s.seq DESC",
    "size": "s.articles DESC, updated DESC, s.seq DESC",
    "created": "s.first_published IS NULL, s.first_published DESC, s.seq DESC",
}


@dataclass(slots=True, frozen=True)
class StoryRow:
    """A story as the story list shows it."""

    id: str
    title: str
    articles: int
    sources: int  # independent sources: the outlets of its originals (copies left out)
    outlets: int  # outlets that carried any of its articles, copies included
    first_published: str | None
    last_published: str | None
    updated: str | None  # when an article last joined it (or it merged or split), UTC

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "articles": self.articles, "sources": self.sources,
                "outlets": self.outlets,
                "first_published": self.first_published, "last_published": self.last_published,
                "updated": self.updated}


@dataclass(slots=True, frozen=True)
class StoreStats:
    """A store's figures, as ``storyline stats`` prints them."""

    articles: int
    copies: int  # of them, copies of an earlier article (duplicate_of set: the same or nearly the same text)
    exact_copies: int  # of those, the same text (ignoring case and whitespace) as the original's
    stories: int  # stories not merged away
    sources: int  # distinct named outlets
    unnamed: int  # articles without a named source
    chars: int  # characters in all passages
    new_chars: int
    recycled_chars: int
    boilerplate_chars: int
    first_published: str | None
    last_published: str | None
    undated: int  # articles without a publication date
    store_bytes: int  # the database file and its write-ahead log

    @property
    def recycled_share(self) -> float:
        """The characters of recycled passages over all passages' characters (as an article's
        new share, store-wide: the new, recycled and boilerplate shares add up to 1)."""
        return char_share(self.recycled_chars, self.chars)

    @property
    def new_share(self) -> float:
        return new_share(self.new_chars, self.chars)

    @property
    def boilerplate_share(self) -> float:
        return char_share(self.boilerplate_chars, self.chars)

    def as_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "copies": self.copies, "exact_copies": self.exact_copies,
                "stories": self.stories,
                "sources": self.sources, "unnamed_source": self.unnamed, "chars": self.chars,
                "new_share": self.new_share, "recycled_share": self.recycled_share,
                "boilerplate_share": self.boilerplate_share,
                "first_published": self.first_published, "last_published": self.last_published,
                "undated": self.undated, "store_bytes": self.store_bytes}


@dataclass(slots=True, frozen=True)
class OutletRow:
    """One outlet across the store: what it published, and how much of that was recycled."""

    outlet: str | None  # None: the articles without a named source, together
    articles: int
    copies: int  # of them, copies of an earlier article (duplicate_of set)
    chars: int  # characters in their passages
    recycled_chars: int  # of them, in passages first seen in an earlier article
    first_published: str | None
    last_published: str | None

    @property
    def recycled_share(self) -> float:
        return char_share(self.recycled_chars, self.chars)

    def as_dict(self) -> dict[str, object]:
        return {"outlet": self.outlet, "articles": self.articles, "copies": self.copies, "chars": self.chars,
                "recycled_share": self.recycled_share, "first_published": self.first_published,
                "last_published": self.last_published}


@dataclass(slots=True, frozen=True)
class ArticleRow:
    """An article as a list shows it: who, when, and how much of it is new."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    story_id: str | None
    duplicate_of: str | None
    original_source: str | None  # the outlet of ``duplicate_of``: who had the text first
    chars: int  # characters in its passages
    new_chars: int  # of them, in passages that are new
    recycled_chars: int
    boilerplate_chars: int
    lead: str  # the text's first characters, to name an article that has no title

    @property
    def new_share(self) -> float:
        return new_share(self.new_chars, self.chars)

    @property
    def boilerplate_share(self) -> float:
        return char_share(self.boilerplate_chars, self.chars)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "source": self.source, "published": self.published,
                "story_id": self.story_id, "duplicate_of": self.duplicate_of,
                "original_source": self.original_source,
                "new_share": self.new_share, "chars": self.chars, "new_chars": self.new_chars,
                "recycled_chars": self.recycled_chars, "boilerplate_chars": self.boilerplate_chars,
                "lead": self.lead}


@dataclass(slots=True, frozen=True)
class StoryVersion:
    """What a story's assembled views (timeline, statements) are built from, in a few numbers
    that change whenever those views could: the story's row, the set of its articles (count,
    last, sum and sum of squares of their ingest numbers), how many of them have their events
    and statements stored (and how many of each), and a fingerprint of the stored statements'
    rows (a re-analysed article changes it even when it finds as many statements as before).
    Dated events are stored once per article and never rewritten, so their counts suffice."""

    id: str  # the live story (a merged story's id leads to the one that absorbed it)
    title: str
    articles: int
    analysed: int  # articles whose statements are stored
    key: tuple  # everything above and the rest of the fingerprint: equal keys, equal views

    @property
    def pending(self) -> int:
        """Articles of the story not analysed for statements yet."""
        return self.articles - self.analysed


# One scan of the story's articles through the articles_story index (seq is the rowid the index holds),
# each with its status row by primary key.
_VERSION_ARTICLES = (
    "SELECT count(*), max(a.seq), total(a.seq), total(a.seq * a.seq), count(s.timeline_events),"
    " total(s.timeline_events), count(s.statements), total(s.statements)"
    " FROM articles a LEFT JOIN article_status s ON s.article_seq = a.seq WHERE a.story_id = ?")
# A fingerprint of the stored statements' rows, read by their primary key (article_seq, n): every
# number the assembly reads and the length of every text it reads (the article's text and date,
# which the offsets point into, never change), each weighted apart. A re-analysis that finds as many
# statements as before but other spans, speakers or origins changes it; ~6 ms for 15,000 statements.
_VERSION_STATEMENTS = (
    "SELECT count(*), total((s.passage * 7919 + s.n) * 31 + s.content_start * 37 + s.content_end * 41"
    " + coalesce(s.speaker_start, -7) * 43 + coalesce(s.speaker_end, -11) * 47 + s.origin_n * 53"
    " + length(s.origin_article) * 59 + coalesce(length(s.speaker_name), -13) * 67 + length(s.role) * 73"
    " + length(s.cue) * 79 + length(s.kind) * 89 + coalesce(length(s.date), -17) * 97)"
    " FROM articles a JOIN article_statements s ON s.article_seq = a.seq WHERE a.story_id = ?")


def _like(text: str) -> str:
    """A LIKE pattern that matches ``text`` literally (``%`` and ``_`` in it are not wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.source, a.published, a.story_id, a.duplicate_of,"
    " (SELECT o.source FROM articles o WHERE o.id = a.duplicate_of),"
    " coalesce(sum(p.end_char - p.start_char), 0),"
    " coalesce(sum(CASE WHEN p.status = 0 THEN p.end_char - p.start_char END), 0),"
    " coalesce(sum(CASE WHEN p.status = 1 THEN p.end_char - p.start_char END), 0),"
    " coalesce(sum(CASE WHEN p.status = 2 THEN p.end_char - p.start_char END), 0),"
    " substr(article_text(a.text), 1, 160)")


class Listing:
    """Browsing queries over one store connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def stories(self, text: str | None = None, since: str | None = None, until: str | None = None,
                offset: int = 0, limit: int = 50, sort: str = "updated") -> tuple[int, list[StoryRow]]:
        """Stories that are not merged away, most recently updated first (``sort="size"``: the
        most articles first; ``"created"``: the latest first publication first): how many match,
        and the page ``offset:offset+limit``. ``text`` matches the title (case-insensitive,
        literal); ``since``/``until`` (ISO dates, inclusive) keep stories whose dates overlap that span."""
        if sort not in _STORY_ORDER:
            raise QueryError(f"unknown sort {sort!r}: choose one of {', '.join(STORY_SORTS)}")
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
            f" s.updated_at AS updated"
            f" FROM stories s WHERE {clause} ORDER BY {_STORY_ORDER[sort]} LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        return int(total), [StoryRow(r[0], r[1], self._count(r[0]), *self._sources(r[0]), r[3], r[4], r[5])
                            for r in rows]

    def story_days(self, story_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """``story id -> [(day, articles published that day), ...]`` in day order, for the given
        stories (undated articles left out); one indexed scan of each story's articles."""
        out: dict[str, list[tuple[str, int]]] = {sid: [] for sid in story_ids}
        for start in range(0, len(story_ids), 500):  # SQLite's bound on parameters
            chunk = story_ids[start:start + 500]
            for sid, day, count in self._conn.execute(
                    f"SELECT story_id, substr(published, 1, 10) AS day, count(*) FROM articles"
                    f" WHERE story_id IN ({','.join('?' * len(chunk))}) AND published IS NOT NULL"
                    f" GROUP BY story_id, day ORDER BY story_id, day", chunk):
                out[sid].append((day, int(count)))
        return out

    def added(self, article_ids: list[str]) -> tuple[dict[str, int], tuple[int, int, int, int, int, int]]:
        """What these (just stored) articles hold: ``story id -> how many of them joined it``, and
        ``(copies, exact copies, passages, recycled passages, characters, recycled characters)``
        over them (see :class:`StoreStats` for the copies)."""
        stories: dict[str, int] = {}
        totals = [0, 0, 0, 0, 0, 0]
        for start in range(0, len(article_ids), 500):  # SQLite's bound on parameters
            chunk = article_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for sid, count, copies, exact in self._conn.execute(
                    f"SELECT a.story_id, count(*), count(a.duplicate_of), count(CASE WHEN {_EXACT} THEN 1 END)"
                    f" FROM articles a WHERE a.id IN ({marks}) GROUP BY a.story_id", chunk):
                totals[0] += int(copies)
                totals[1] += int(exact)
                if sid is not None:
                    stories[sid] = stories.get(sid, 0) + int(count)
            row = self._conn.execute(
                f"SELECT count(*), count(CASE WHEN p.status = 1 THEN 1 END), total(p.end_char - p.start_char),"
                f" total(CASE WHEN p.status = 1 THEN p.end_char - p.start_char END)"
                f" FROM articles a JOIN passage_rows p ON p.article_seq = a.seq WHERE a.id IN ({marks})", chunk).fetchone()
            for i, value in enumerate(row, 2):
                totals[i] += int(value)
        return stories, (totals[0], totals[1], totals[2], totals[3], totals[4], totals[5])

    def stats(self, store_bytes: int) -> StoreStats:
        """The store's figures (one scan of the articles and one of the passages)."""
        articles, copies, exact, sources, unnamed, first, last, undated = self._conn.execute(
            f"SELECT count(*), count(a.duplicate_of), count(CASE WHEN {_EXACT} THEN 1 END), count(DISTINCT a.source),"
            " count(*) - count(a.source), min(a.published), max(a.published), count(*) - count(a.published)"
            " FROM articles a").fetchone()
        stories = self._conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
        chars, new, recycled, boilerplate = self._conn.execute(
            "SELECT total(end_char - start_char),"
            " total(CASE WHEN status = 0 THEN end_char - start_char END),"
            " total(CASE WHEN status = 1 THEN end_char - start_char END),"
            " total(CASE WHEN status = 2 THEN end_char - start_char END) FROM passage_rows").fetchone()
        return StoreStats(int(articles), int(copies), int(exact), int(stories), int(sources), int(unnamed), int(chars), int(new),
                          int(recycled), int(boilerplate), first, last, int(undated), store_bytes)

    def outlets(self, limit: int, offset: int = 0) -> list[OutletRow]:
        """Outlets by how many articles they published (then by name), each with its copies and
        recycled share; one scan of the articles and their passages."""
        rows = self._conn.execute(
            "SELECT a.source, count(*), count(a.duplicate_of), total(p.chars), total(p.recycled),"
            " min(a.published), max(a.published) FROM articles a"
            " LEFT JOIN (SELECT article_seq, sum(end_char - start_char) AS chars,"
            "            sum(CASE WHEN status = 1 THEN end_char - start_char ELSE 0 END) AS recycled"
            "            FROM passage_rows GROUP BY article_seq) p ON p.article_seq = a.seq"
            " GROUP BY a.source ORDER BY count(*) DESC, a.source IS NULL, a.source LIMIT ? OFFSET ?",
            (limit, offset)).fetchall()
        return [OutletRow(source, int(n), int(copies), int(chars), int(recycled), first, last)
                for source, n, copies, chars, recycled, first, last in rows]

    def _count(self, story_id: str) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles WHERE story_id = ?", (story_id,)).fetchone()[0])

    def _sources(self, story_id: str) -> tuple[int, int]:
        """Independent sources (outlets of originals: a copy adds its outlet to the outlets
        carrying the story, not to its independent sources) and outlets; an article without a
        named source is its own outlet."""
        row = self._conn.execute(
            "SELECT count(DISTINCT CASE WHEN duplicate_of IS NULL THEN coalesce(source, id) END),"
            " count(DISTINCT coalesce(source, id)) FROM articles WHERE story_id = ?", (story_id,)).fetchone()
        return int(row[0]), int(row[1])

    def story_row(self, story_id: str) -> StoryRow | None:
        row = self._conn.execute(
            "SELECT s.id, s.title, s.first_published, s.last_published,"
            " s.updated_at FROM stories s WHERE s.id = ?",
            (story_id,)).fetchone()
        if row is None:
            return None
        return StoryRow(row[0], row[1], self._count(row[0]), *self._sources(row[0]), row[2], row[3], row[4])

    def story_articles(self, story_id: str) -> list[ArticleRow]:
        """The story's articles in publication order (then ingest order)."""
        rows = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN passage_rows p ON p.article_seq = a.seq"
            " WHERE a.story_id = ? GROUP BY a.seq ORDER BY coalesce(a.published, ''), a.seq",
            (story_id,)).fetchall()
        return [ArticleRow(*r) for r in rows]

    def article_row(self, article_id: str) -> ArticleRow | None:
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN passage_rows p ON p.article_seq = a.seq"
            " WHERE a.id = ? GROUP BY a.seq", (article_id,)).fetchone()
        return ArticleRow(*row) if row else None

    def story_version(self, story_id: str, statements: bool = True) -> StoryVersion | None:
        """The live story ``story_id`` leads to (itself, or the story that absorbed it) and its
        version (see :class:`StoryVersion`); None when no story has that id. ``statements=False``
        leaves the statements' fingerprint out (what the timeline does not read; ~1 ms, where the
        fingerprint takes ~6 ms for a 1,000-article story)."""
        row = None
        for _ in range(64):  # merges repoint absorbed stories at the survivor: one hop in practice
            row = self._conn.execute("SELECT id, title, merged_into FROM stories WHERE id = ?",
                                     (story_id,)).fetchone()
            if row is None:
                return None
            if row[2] is None:
                break
            story_id = row[2]
        else:
            return None
        articles = self._conn.execute(_VERSION_ARTICLES, (story_id,)).fetchone()
        fingerprint = self._conn.execute(_VERSION_STATEMENTS, (story_id,)).fetchone() if statements else ()
        return StoryVersion(row[0], row[1], int(articles[0]), int(articles[6]),
                            (row[0], row[1], *articles, *fingerprint))

    def story_ids_starting(self, prefix: str) -> tuple[str, ...]:
        """Story ids that start with ``prefix`` (a not-found message offers them)."""
        return ids_starting(self._conn, "stories", prefix)

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


def ids_starting(conn: sqlite3.Connection, table: str, prefix: str, limit: int = 3) -> tuple[str, ...]:
    """Up to ``limit`` ids of ``table`` (``articles`` or ``stories``) that start with ``prefix``,
    for a not-found message ("did you mean ..."): a range over the ids' unique index."""
    if not prefix or table not in ("articles", "stories"):
        return ()
    rows = conn.execute(f"SELECT id FROM {table} WHERE id > ? AND id < ? ORDER BY id LIMIT ?",
                        (prefix, prefix + "\U0010ffff", limit)).fetchall()
    return tuple(str(r[0]) for r in rows)
