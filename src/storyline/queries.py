"""The read side: everything the CLI, the web UI and the export show, read from the store.

The faces read through :class:`Queries` only (writes go through the engine). Queries never
write: no method here runs a stage's extraction (the parser, the tagger) or opens a
transaction, so a page never waits for the parser and reading never changes the store.

A story's assembled views (its timeline entries; its statements and their conflicts) take
about half a second to put together for a 1,000-article story, so they are cached by story
*version* (:meth:`~storyline.store.listing.Listing.story_version`: a few aggregates over the
story's row, its articles and their stored events and statements, one indexed query) and put
together again only when the story changed: an article joined or left it (a merge, a split),
events or statements were stored for one of its articles, or one was re-analysed. The cache
(:class:`ViewCache`) is bounded (the least recently read stories are dropped first,
``queries.view_cache_stories``) and thread-safe, so a server shares one across requests; every
read returns fresh copies, so a caller that changes what it got never changes the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import NotFoundError
from .records import Article, Contradiction, Statement, Story, StoryCopies, TimelineEntry, char_share
from .settings import Settings
from .statements.assemble import story_statements
from .store.listing import STORY_SORTS, ArticleRow, OutletRow, StoreStats, StoryRow, StoryVersion
from .store.provenance import OutletShare, Provenance, ProvenanceArticle, ProvenanceEdge
from .store.search import (
    SEARCH_SORTS,
    SearchFilters,
    SearchGroup,
    SearchHit,
    SearchResult,
)
from .stories.novelty import ArticleNovelty, article_novelty
from .timeline.entries import timeline_entries

if TYPE_CHECKING:
    from .store import Store

# The records and choices the faces read here (they import queries, never the store).
__all__ = ["SEARCH_SORTS", "STORY_SORTS", "ArticleRow", "Findings", "OutletShare", "Provenance",
           "ProvenanceArticle", "ProvenanceEdge", "Queries", "SearchFilters", "SearchGroup", "SearchHit",
           "OutletRow", "SearchResult", "StoreStats", "StoryRow", "StoryVersion", "ViewCache"]

T = TypeVar("T")
StatementsView = tuple[list[Statement], list[Contradiction]]


class ViewCache:
    """Assembled views of the ``stories`` most recently read stories, each view at one version.

    Keys are ``(store, story id)``; a story's entry holds each of its views (``"timeline"``,
    ``"statements"``, ``"copies"``) with the version it was put together at. A read at another version misses,
    and the put that follows replaces that view, so a story never holds more than one version of
    a view. ``stories=0`` keeps nothing. Safe to share between threads (a server's requests): a
    lock guards every access; views are put together outside it (two requests missing at once
    both assemble, and either result is right).
    """

    def __init__(self, stories: int = 64) -> None:
        if stories < 0:
            raise ValueError(f"stories must be 0 or more, got {stories!r}")
        self.stories = stories
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], dict[str, tuple[tuple, Any]]] = OrderedDict()

    def get(self, story: tuple[str, str], view: str, version: tuple) -> Any | None:
        """The view as cached at ``version``, or None (counted as a miss)."""
        with self._lock:
            cached = self._entries.get(story, {}).get(view)
            if cached is not None and cached[0] == version:
                self._entries.move_to_end(story)
                self.hits += 1
                return cached[1]
            self.misses += 1
            return None

    def put(self, story: tuple[str, str], view: str, version: tuple, value: Any) -> None:
        if self.stories == 0:
            return
        with self._lock:
            self._entries.setdefault(story, {})[view] = (version, value)
            self._entries.move_to_end(story)
            while len(self._entries) > self.stories:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _fresh(item: T) -> T:
    """A copy of a record whose lists are its own: changing it leaves the cached one as it was."""
    lists = {f.name: list(value) for f in fields(item)  # type: ignore[arg-type]
             if isinstance(value := getattr(item, f.name), list)}
    return replace(item, **lists)  # type: ignore[type-var]


@dataclass(slots=True, frozen=True)
class Findings:
    """What a batch of stored articles (one ingest's) brought: the stories they joined, how much
    of their text was recycled, and the conflicting claims in those stories."""

    articles: int
    copies: int  # of them, copies of an earlier article (the same or nearly the same text)
    exact_copies: int  # of those, the same text
    stories: int  # stories they joined
    new_stories: int  # of those, stories all of whose articles came with them
    biggest: list[StoryRow]  # the largest of those stories, most articles first
    passages: int
    recycled_passages: int
    chars: int
    recycled_chars: int
    statements: int | None  # claims in those stories; None: some of their articles are not analysed yet
    conflicts: int | None  # pairs of claims that conflict, likewise

    @property
    def recycled_share(self) -> float:
        return char_share(self.recycled_chars, self.chars)

    def as_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "copies": self.copies, "exact_copies": self.exact_copies,
                "stories": self.stories,
                "new_stories": self.new_stories, "biggest": [r.as_dict() for r in self.biggest],
                "passages": self.passages, "recycled_passages": self.recycled_passages,
                "recycled_share": self.recycled_share, "statements": self.statements, "conflicts": self.conflicts}


class Queries:
    """Reads over one open store. ``cache`` is the view cache to share (a server's, across
    requests); without one, this object keeps a private one of ``queries.view_cache_stories``."""

    def __init__(self, store: Store, settings: Settings, cache: ViewCache | None = None) -> None:
        self._store = store
        self._settings = settings
        self._listing = store.listing()
        self._stories = store.story_index()
        self._timeline = store.timeline_index()
        self._statements = store.statement_index()
        self.cache = cache if cache is not None else ViewCache(settings.queries.view_cache_stories)
        self._where = str(Path(store.path).resolve())

    def with_cache(self, cache: ViewCache) -> Queries:
        """The same reads over the same store, with views kept in ``cache`` (shared by a server)."""
        return Queries(self._store, self._settings, cache)

    # -- articles -----------------------------------------------------------
    def article(self, article_id: str) -> Article:
        """One stored article; raises :class:`~storyline.errors.NotFoundError`."""
        return self._store.get_article(article_id)

    def novelty(self, article: str | Article) -> ArticleNovelty:
        """The article's passages read against its story as it is now: new, recycled (carried
        by an earlier article of the story, or seen before only in other stories) or
        boilerplate; see :mod:`storyline.stories.novelty`. Raises
        :class:`~storyline.errors.NotFoundError`."""
        found = self.article(article) if isinstance(article, str) else article
        if found.story_id is None:
            return article_novelty(found, None)
        copies = self._story_copies(found.story_id)
        if found.id in copies.members:
            return article_novelty(found, copies)
        # the caller's copy of the article is older than a split or a move: read as stored now
        found = self.article(found.id)
        return article_novelty(found, self._stories.story_copies(found.story_id) if found.story_id else None)

    def novelties(self, articles: Sequence[Article]) -> dict[str, ArticleNovelty]:
        """:meth:`novelty` of each of ``articles`` by id, each story's copies looked up once
        (what a story's page lists for its members)."""
        copies: dict[str, StoryCopies] = {}
        out = {}
        for article in articles:
            story = article.story_id
            if story is not None and story not in copies:
                copies[story] = self._story_copies(story)
            if story is None or article.id in copies[story].members:
                out[article.id] = article_novelty(article, copies[story] if story is not None else None)
            else:
                out[article.id] = self.novelty(article)
        return out

    def _story_copies(self, story_id: str) -> StoryCopies:
        """The story's copies (:class:`~storyline.records.StoryCopies`), cached per story version."""
        version = self.story_version(story_id, statements=False)
        if version.id != story_id:  # an article left in a merged story's id: read as it is stored
            return self._stories.story_copies(story_id)
        return self._view(version, "copies", lambda: self._stories.story_copies(story_id))

    def articles(self) -> Iterator[Article]:
        """Every stored article, in ingest order (read in batches: memory stays flat)."""
        return self._store.iter_articles()

    def count_articles(self) -> int:
        return self._store.count_articles()

    def schema_version(self) -> int:
        """The store's schema version (``PRAGMA user_version``)."""
        return self._store.schema_version()

    def has_article(self, article_id: str) -> bool:
        return self._store.has_article(article_id)

    # -- stories ------------------------------------------------------------
    def stories(self) -> list[Story]:
        """Every story that is not merged away, in order of creation."""
        return self._stories.stories()

    def story(self, story_id: str) -> Story:
        """One story; a merged story's id gives the story that absorbed it. Raises
        :class:`~storyline.errors.NotFoundError`."""
        return self._stories.story(story_id)

    def story_version(self, story_id: str, statements: bool = True) -> StoryVersion:
        """The live story ``story_id`` leads to (a merged story's id gives the one that absorbed
        it), its title, article count, and its version (what the view cache is keyed by; with
        ``statements=False`` without the stored statements' fingerprint, which only the
        statements view reads). Raises :class:`~storyline.errors.NotFoundError`."""
        version = self._listing.story_version(story_id, statements)
        if version is None:
            raise NotFoundError("story", story_id, self._listing.story_ids_starting(story_id))
        return version

    def history(self, story_id: str) -> list[dict]:
        """The story's log, in order: every article that founded or joined it (with its score and
        shared terms), every merge and split, every article a split moved. Exactly this id's log
        (an absorbed story's own log stays under its id)."""
        return self._stories.history(story_id)

    def story_summary(self, story: Story) -> dict[str, Any]:
        """A story's headline figures as the CLI lists them: articles, independent sources (the
        outlets of its originals), outlets carrying it (copies included), first and last dates."""
        first, last = self._stories.dates(story.id)
        return {"id": story.id, "title": story.title, "articles": len(story.article_ids),
                "sources": self._stories.sources(story.id), "outlets": self._stories.outlets(story.id),
                "first_published": first, "last_published": last}

    def timeline(self, story_id: str) -> list[TimelineEntry]:
        """The story's dated events, ordered by date, each once with every article that reports it.

        Put together from the stored events of the story's articles as they are now, so it
        follows merges; a merged story's id gives the timeline of the story that absorbed it.
        Cached per story version. Raises :class:`~storyline.errors.NotFoundError`.
        """
        version = self.story_version(story_id, statements=False)
        entries = self._view(version, "timeline", lambda: timeline_entries(
            self._timeline.story_events(version.id), self._settings.timeline.same_event))
        return [_fresh(e) for e in entries]

    def statements(self, story_id: str) -> StatementsView:
        """The story's claims, ordered by date, each once with every article that reports it and
        its speaker's aliases; and the pairs of claims that conflict, each with a reason.

        From the articles analysed so far: this never runs the parser (articles not analysed
        yet are left out; :meth:`pending_statements` counts them, and the engine's
        ``analyse_statements`` analyses them). Cached per story version. Raises
        :class:`~storyline.errors.NotFoundError`.
        """
        version = self.story_version(story_id)
        statements, contradictions = self._view(version, "statements", lambda: story_statements(
            self._statements.story_statements(version.id), self._settings.statements.same_claim))
        return [_fresh(s) for s in statements], [_fresh(c) for c in contradictions]

    def pending_statements(self, story_id: str) -> int:
        """How many of the story's articles have not been analysed for statements yet."""
        return self.story_version(story_id, statements=False).pending

    def pending_besides(self, article_ids: Sequence[str]) -> int:
        """How many articles of the stories these stored articles are in, besides them, have not
        been analysed for statements yet: while any has, :meth:`findings` cannot count those
        stories' statements and conflicts, whether these are analysed or not."""
        return self._statements.pending_besides(article_ids)

    def unanalysed_articles(self, article_ids: Sequence[str] | None = None) -> list[str]:
        """Articles not analysed for statements yet, in ingest order: all of them, or those
        among ``article_ids`` (what the web's background analyser works through)."""
        return self._statements.pending(article_ids)

    def _view(self, version: StoryVersion, view: str, build: Callable[[], T]) -> T:
        # The settings the assembly reads are part of the version: a shared cache never hands
        # a view put together under other thresholds.
        key = (*version.key, self._settings.timeline.same_event, self._settings.statements.same_claim)
        story = (self._where, version.id)
        cached = self.cache.get(story, view, key)
        if cached is not None:
            return cached
        # The version is read before the rows: a write in between stores new rows under the old
        # version, which no later read asks for (it sees the new version), so nothing stale is served.
        value = build()
        self.cache.put(story, view, key, value)
        return value

    # -- browsing (one SQL statement each, whatever a story's size) ---------------------------
    def story_list(self, text: str | None = None, since: str | None = None, until: str | None = None,
                   offset: int = 0, limit: int = 50, sort: str = "updated") -> tuple[int, list[StoryRow]]:
        """Stories not merged away, most recently updated first (or ``sort`` ``"size"``: most
        articles first; ``"created"``: latest first publication first): how many match, and one
        page. ``text`` matches the title; ``since``/``until`` (ISO days, inclusive) their dates.
        Raises :class:`~storyline.errors.QueryError` for another sort."""
        return self._listing.stories(text, since, until, offset, limit, sort)

    def story_days(self, story_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Articles published per day, for each of the stories (what a sparkline draws)."""
        return self._listing.story_days(story_ids)

    def provenance(self, story_id: str) -> Provenance:
        """Who copied whom in the story: each article's recycled passages by where they were first
        seen (article, outlet, time lag), whole-text copies, and each outlet's recycled share. A
        merged story's id gives the story that absorbed it. Raises
        :class:`~storyline.errors.NotFoundError`."""
        return self._store.provenance(self.story_version(story_id, statements=False).id)

    def findings(self, article_ids: list[str], biggest: int = 3) -> Findings:
        """What these stored articles brought (see :class:`Findings`): what ``storyline ingest``
        prints after its counts. Statements and conflicts are counted only when every article
        of those stories has been analysed (reading never runs the parser)."""
        joined, (copies, exact, passages, recycled, chars, recycled_chars) = self._listing.added(article_ids)
        rows = [row for sid in joined if (row := self._listing.story_row(sid)) is not None]
        rows.sort(key=lambda r: (-r.articles, r.id))
        statements = conflicts = None
        if all(not self.pending_statements(r.id) for r in rows):
            views = [self.statements(r.id) for r in rows]
            statements = sum(len(claims) for claims, _ in views)
            conflicts = sum(len(pairs) for _, pairs in views)
        return Findings(len(article_ids), copies, exact, len(rows), sum(1 for r in rows if r.articles == joined[r.id]),
                        rows[:biggest], passages, recycled, chars, recycled_chars, statements, conflicts)

    @property
    def read_only(self) -> str | None:
        """Why the store can only be read from here (see :attr:`Store.read_only`), or ``None``."""
        return self._store.read_only

    def stats(self) -> StoreStats:
        """The store's figures: articles, copies, stories, sources, shares of new and recycled
        text, the dates it spans and its size on disk."""
        return self._listing.stats(self._store.size_bytes())

    def outlets(self, limit: int = 20, offset: int = 0) -> list[OutletRow]:
        """Outlets by how many articles they published, each with how many of those copy an
        earlier article and how much of its text was recycled (first seen elsewhere or earlier)."""
        return self._listing.outlets(limit, offset)

    def story_row(self, story_id: str) -> StoryRow | None:
        """A story's figures as the story list shows them (None when no story has this id)."""
        return self._listing.story_row(story_id)

    def story_articles(self, story_id: str) -> list[ArticleRow]:
        """The story's articles in publication order (then ingest order), with their shares."""
        return self._listing.story_articles(story_id)

    def article_row(self, article_id: str) -> ArticleRow | None:
        """An article's figures as a list shows them (None when no article has this id)."""
        return self._listing.article_row(article_id)

    def titles(self, article_ids: list[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
        """``id -> (title, source, published)`` for those of the articles that exist."""
        return self._listing.titles(article_ids)

    def search(self, text: str, filters: SearchFilters | None = None, sort: str = "relevance", offset: int = 0,
               limit: int = 20, per_story: int = 3) -> SearchResult:
        """Full-text search (every word must occur, stemmed; ``"phrases"``, ``prefix*``), grouped
        by story: one page of stories, each with how many of its articles match and its
        ``per_story`` best, with snippets and the matched words' offsets. Sorted by best match,
        or by the story's last update, size or first publication (``sort``). Raises
        :class:`~storyline.errors.QueryError` when the text holds no word or the sort is unknown."""
        return self._store.search().search(text, filters, sort, offset, limit, per_story)
