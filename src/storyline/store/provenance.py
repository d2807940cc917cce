"""Who copied whom in a story: for each article, where its recycled passages were first seen
(the article, its outlet, the time between them), whole-text copies, and how much of what each
outlet published in the story was recycled. Read with three statements, whatever the story's size."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from ..records import char_share


def _moment(published: str | None) -> datetime | None:
    """A stored publication value as a UTC moment (a day is its midnight); None when unreadable."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def lag_seconds(earlier: str | None, later: str | None) -> float | None:
    """Seconds from one publication to the other (None when either is undated)."""
    a, b = _moment(earlier), _moment(later)
    return None if a is None or b is None else (b - a).total_seconds()


@dataclass(slots=True, frozen=True)
class ProvenanceArticle:
    """An article the view shows: one of the story's, or an article outside it where some of
    the story's recycled text was first seen."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    in_story: bool
    duplicate_of: str | None  # a copy of this article's whole text

    @property
    def outlet(self) -> str:
        """Its outlet's name; an article without one is an outlet of its own."""
        return self.source or f"(no source: {self.id})"

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "source": self.source, "published": self.published,
                "in_story": self.in_story, "duplicate_of": self.duplicate_of}


@dataclass(slots=True, frozen=True)
class ProvenanceEdge:
    """``article`` recycled ``passages`` passages (``chars`` characters) first seen in ``first_seen``."""

    article: str
    first_seen: str
    passages: int
    chars: int
    lag_s: float | None  # from the first sighting's publication to the article's
    copy: bool  # the whole text is a copy (duplicate_of)

    def as_dict(self) -> dict[str, object]:
        return {"article": self.article, "first_seen": self.first_seen, "passages": self.passages,
                "chars": self.chars, "lag_s": self.lag_s, "copy": self.copy}


@dataclass(slots=True, frozen=True)
class OutletShare:
    """What one outlet published in the story and how much of it was recycled (characters)."""

    outlet: str
    articles: int
    copies: int
    chars: int
    recycled_chars: int

    @property
    def recycled_share(self) -> float:
        return char_share(self.recycled_chars, self.chars)

    def as_dict(self) -> dict[str, object]:
        return {"outlet": self.outlet, "articles": self.articles, "copies": self.copies, "chars": self.chars,
                "recycled_chars": self.recycled_chars, "recycled_share": self.recycled_share}


@dataclass(slots=True, frozen=True)
class Provenance:
    """A story's "who copied whom": the articles (the story's in publication order, then the
    sources outside it), the edges from each article to where its recycled text was first seen,
    and each outlet's recycled share (most articles first)."""

    story_id: str
    articles: list[ProvenanceArticle]
    edges: list[ProvenanceEdge]
    outlets: list[OutletShare]

    def as_dict(self) -> dict[str, object]:
        return {"story_id": self.story_id, "articles": [a.as_dict() for a in self.articles],
                "edges": [e.as_dict() for e in self.edges], "outlets": [o.as_dict() for o in self.outlets]}


def story_provenance(conn: sqlite3.Connection, story_id: str) -> Provenance:
    """The provenance of the story ``story_id`` (its articles as stored now)."""
    members = [ProvenanceArticle(aid, title, source, published, True, dup) for aid, title, source, published, dup in
               conn.execute("SELECT id, title, source, published, duplicate_of FROM articles WHERE story_id = ?"
                            " ORDER BY coalesce(published, ''), seq", (story_id,))]
    raw = conn.execute(
        "SELECT a.id, f.id, count(*), total(p.end_char - p.start_char) FROM articles a"
        " JOIN passage_rows p ON p.article_seq = a.seq JOIN articles f ON f.seq = p.first_seen_seq"
        " WHERE a.story_id = ? AND p.status = 1 AND p.first_seen_seq != a.seq"
        " GROUP BY a.id, f.id", (story_id,)).fetchall()
    known = {a.id: a for a in members}
    outside = sorted({seen for _, seen, _, _ in raw if seen not in known}
                     | {a.duplicate_of for a in members if a.duplicate_of and a.duplicate_of not in known})
    for start in range(0, len(outside), 500):  # SQLite's bound on parameters
        chunk = outside[start:start + 500]
        for aid, title, source, published, dup in conn.execute(
                f"SELECT id, title, source, published, duplicate_of FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
                " ORDER BY coalesce(published, ''), seq", chunk):
            known[aid] = ProvenanceArticle(aid, title, source, published, False, dup)
    edges = []
    for aid, seen, passages, chars in raw:
        if seen in known:
            edges.append(ProvenanceEdge(aid, seen, int(passages), int(chars),
                                        lag_seconds(known[seen].published, known[aid].published),
                                        known[aid].duplicate_of == seen))
    order = {a.id: i for i, a in enumerate(known.values())}
    edges.sort(key=lambda e: (order[e.article], -e.passages, e.first_seen))
    outlets = [OutletShare(outlet, int(articles), int(copies), int(chars), int(recycled)) for
               outlet, articles, copies, chars, recycled in conn.execute(
                   "SELECT coalesce(a.source, '(no source: ' || a.id || ')') AS outlet, count(DISTINCT a.seq),"
                   " count(DISTINCT CASE WHEN a.duplicate_of IS NOT NULL THEN a.seq END),"
                   " total(p.end_char - p.start_char),"
                   " total(CASE WHEN p.status = 1 THEN p.end_char - p.start_char END)"
                   " FROM articles a LEFT JOIN passage_rows p ON p.article_seq = a.seq WHERE a.story_id = ?"
                   " GROUP BY outlet ORDER BY count(DISTINCT a.seq) DESC, outlet", (story_id,))]
    return Provenance(story_id, list(known.values()), edges, outlets)
