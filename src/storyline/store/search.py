"""Full-text search over the articles (the FTS5 index of migration 13), grouped by story.

A query is words (every one must occur; "denied" also finds "deny", the index stems),
``"quoted phrases"`` and ``prefix*`` words. The user's text never reaches FTS5's own query
language: each word becomes a quoted string, so ``AND``, ``NEAR``, ``-`` or a stray quote in
the text are searched for, never obeyed (:func:`fts_query`).

Results come one page of stories at a time; each story with how many of its articles match and
its best few, each with a snippet and the offsets of the matched words in it (and in its title).
Three statements a page whatever the number of hits: the groups, the best hits of the groups on
the page, and the snippets of those hits only (FTS5 builds a snippet only where it matches).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import QueryError
from ..text.words import spaced, unspaced
from .listing import StoryRow

# Around matched words in FTS5's snippet and highlight output: private-use characters, which no
# text holds in practice; :func:`unmark` turns them into offsets and strips them.
OPEN, CLOSE = "\ue000", "\ue001"
SEARCH_SORTS = ("relevance", "updated", "size", "created")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORDY = re.compile(r"\w")
# Control characters (NUL ends an FTS5 string early) and the marks are never searched for.
_UNSEARCHABLE = re.compile(f"[\x00-\x1f\x7f{OPEN}{CLOSE}]")


def fts_query(text: str) -> str:
    """The FTS5 query for a user's search text: each word or ``"phrase"`` a quoted string (all
    must occur), a word ending in ``*`` a prefix. Raises :class:`QueryError` when the text holds
    nothing to search for (only punctuation, say)."""
    terms: list[str] = []
    for phrase, word in _TOKEN.findall(_UNSEARCHABLE.sub(" ", text)):
        prefix = not phrase and word.endswith("*")
        chunk = phrase or word.rstrip("*")
        if not _WORDY.search(chunk):
            continue
        quoted = '"' + spaced(chunk).replace('"', '""') + '"'
        terms.append(quoted + "*" if prefix else quoted)
    if not terms:
        raise QueryError(f"nothing to search for in {text!r}: give at least one word")
    return " ".join(terms)


def unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text with :data:`OPEN`/:data:`CLOSE` marks -> the text without them, and the ``(start,
    end)`` offsets of each marked stretch in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{OPEN}{CLOSE}])", marked):
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(spans)


@dataclass(slots=True, frozen=True)
class SearchHit:
    """An article that matches, with the passage that matches best as a snippet."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    story_id: str | None
    duplicate_of: str | None
    snippet: str  # a few words around the best match in the text ("…" where it is cut)
    highlights: tuple[tuple[int, int], ...]  # offsets of the matched words in ``snippet``
    title_highlights: tuple[tuple[int, int], ...]  # and in ``title``

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "source": self.source, "published": self.published,
                "story_id": self.story_id, "duplicate_of": self.duplicate_of, "snippet": self.snippet,
                "highlights": [list(h) for h in self.highlights],
                "title_highlights": [list(h) for h in self.title_highlights]}


@dataclass(slots=True, frozen=True)
class SearchGroup:
    """A story's matching articles: how many, and the best of them."""

    story: StoryRow | None  # None: articles that belong to no story (stores from before stories)
    matches: int
    hits: list[SearchHit] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"story": self.story.as_dict() if self.story else None, "matches": self.matches,
                "hits": [h.as_dict() for h in self.hits]}


@dataclass(slots=True, frozen=True)
class SearchResult:
    """One page of stories that hold matching articles."""

    query: str
    articles: int  # matching articles in all (after the filters)
    total: int  # stories (groups) in all
    groups: list[SearchGroup]

    def as_dict(self) -> dict[str, object]:
        return {"query": self.query, "articles": self.articles, "total": self.total,
                "groups": [g.as_dict() for g in self.groups]}


@dataclass(slots=True, frozen=True)
class SearchFilters:
    """Which matching articles count: published within ``since``..``until`` (ISO days,
    inclusive; an undated article is left out by either), from ``source`` (an outlet's name,
    any case), in the story ``story``."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    story: str | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = ["1"]
        params: list[object] = []
        if self.since:
            clauses.append("a.published >= ?")
            params.append(self.since[:10])
        if self.until:
            clauses.append("substr(a.published, 1, 10) <= ?")  # "2024-10-28T09:00Z" is on the 28th
            params.append(self.until[:10])
        if self.source:
            clauses.append("a.source = ? COLLATE NOCASE")
            params.append(self.source)
        if self.story:
            clauses.append("a.story_id = ?")
            params.append(self.story)
        return " AND ".join(clauses), params


# Title matches weigh four times text matches (bm25: lower is better).
_MATCHED = (
    "WITH hits AS MATERIALIZED (SELECT rowid AS seq, bm25(article_search, 4.0, 1.0) AS score FROM article_search"
    " WHERE article_search MATCH ?),"
    " matched AS (SELECT a.seq, a.published, coalesce(a.story_id, '#' || a.id) AS grp, a.story_id, hits.score"
    " FROM hits JOIN articles a ON a.seq = hits.seq WHERE {where})")
_GROUP_ORDER = {
    "relevance": "best, grp",
    "updated": "s.updated_at IS NULL, s.updated_at DESC, best, grp",
    "size": "coalesce(s.articles, 1) DESC, best, grp",
    "created": "coalesce(s.first_published, first) IS NULL, coalesce(s.first_published, first) DESC, best, grp",
}


class ArticleSearch:
    """Searches over one store connection."""

    def __init__(self, conn: sqlite3.Connection, story_row: Callable[[str], StoryRow | None]) -> None:
        self._conn = conn
        self._story_row = story_row

    def search(self, text: str, filters: SearchFilters | None = None, sort: str = "relevance", offset: int = 0,
               limit: int = 20, per_story: int = 3) -> SearchResult:
        """Stories holding articles that match ``text`` (see :func:`fts_query`), one page: by best
        match (``relevance``), last update, size (articles) or the date they began (``created``),
        each with its ``per_story`` best-matching articles. Raises :class:`QueryError`."""
        if sort not in SEARCH_SORTS:
            raise QueryError(f"unknown sort {sort!r}: choose one of {', '.join(SEARCH_SORTS)}")
        match = fts_query(text)
        where, params = (filters or SearchFilters()).where()
        matched = _MATCHED.format(where=where)
        args = [match, *params]
        try:
            articles, total = self._conn.execute(
                f"{matched} SELECT count(*), count(DISTINCT grp) FROM matched", args).fetchone()
            groups = self._conn.execute(
                f"{matched} SELECT grp, m.story_id, count(*), min(m.score) AS best, min(m.published) AS first"
                f" FROM matched m LEFT JOIN stories s ON s.id = m.story_id GROUP BY grp"
                f" ORDER BY {_GROUP_ORDER[sort]} LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
            best = self._best(matched, args, [g[0] for g in groups], per_story)
        except sqlite3.OperationalError as exc:  # fts_query quotes every word: this is not the user's syntax
            raise QueryError(f"cannot search for {text!r}: {exc}") from exc
        out = []
        for grp, story_id, count, *_ in groups:
            story = self._story_row(story_id) if story_id else None
            out.append(SearchGroup(story, int(count), best.get(grp, [])))
        return SearchResult(text, int(articles), int(total), out)

    def _best(self, matched: str, args: list[object], groups: list[str], per_story: int) -> dict[str, list[SearchHit]]:
        if not groups or per_story <= 0:
            return {}
        marks = ",".join("?" * len(groups))
        ranked = self._conn.execute(
            f"{matched} SELECT seq, grp FROM (SELECT seq, grp, row_number() OVER (PARTITION BY grp"
            f" ORDER BY score, published DESC, seq) AS n FROM matched WHERE grp IN ({marks})) WHERE n <= ?",
            [*args, *groups, per_story]).fetchall()
        seqs = {seq: grp for seq, grp in ranked}
        if not seqs:
            return {}
        rows = self._conn.execute(
            f"SELECT a.seq, a.id, a.title, a.source, a.published, a.story_id, a.duplicate_of,"
            f" highlight(article_search, 0, '{OPEN}', '{CLOSE}'),"
            f" snippet(article_search, 1, '{OPEN}', '{CLOSE}', '…', 24)"
            f" FROM article_search JOIN articles a ON a.seq = article_search.rowid"
            f" WHERE article_search MATCH ? AND article_search.rowid IN ({','.join('?' * len(seqs))})"
            f" ORDER BY bm25(article_search, 4.0, 1.0), a.published DESC, a.seq",
            [args[0], *seqs]).fetchall()
        out: dict[str, list[SearchHit]] = {}
        for seq, aid, title, source, published, story_id, dup, title_marked, snippet_marked in rows:
            plain_title, title_spans = (unmark(unspaced(title_marked, OPEN + CLOSE)) if title_marked is not None
                                        else (title, ()))
            snippet, spans = unmark(unspaced(snippet_marked or "", OPEN + CLOSE))
            out.setdefault(seqs[seq], []).append(SearchHit(aid, plain_title, source, published, story_id, dup,
                                                           snippet, spans, title_spans))
        return out
