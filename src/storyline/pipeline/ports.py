"""Every port a stage asks storage through, and the records that cross them, in one place:
the store implements these (and imports nothing else of the stages)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from ..records import Article
from ..reuse.ports import (
    CheckedPair,
    ReuseIndex,
    StoredArticle,
    StoredPassage,
    stored_passage,
)
from ..reuse.sentences import SentenceKeys
from ..reuse.stage import ReuseResult
from ..statements.extract import Found
from ..statements.ports import StatementIndex, StatementRef, StoredStatement
from ..stories.ports import Member, StoryIndex, StoryState
from ..stories.stage import Assignment
from ..timeline.events import Event
from ..timeline.ports import EventIndex, EventRef, StoredEvent
from ..text.urls import url_key

__all__ = [
    "Assignment",
    "CheckedPair",
    "Event",
    "EventIndex",
    "EventRef",
    "EventSink",
    "Existing",
    "Found",
    "Member",
    "ReuseIndex",
    "ReuseResult",
    "SeenInRun",
    "SentenceKeys",
    "Sink",
    "StatementIndex",
    "StatementRef",
    "StatementSink",
    "StoredArticle",
    "StoredEvent",
    "StoredPassage",
    "StoredStatement",
    "StoryIndex",
    "StoryState",
    "stored_passage",
]


class Sink(Protocol):
    """Where the runner writes: a store with short write transactions and the stages' ports.

    ``storyline.store.Store`` is the real one."""

    def transaction(self) -> AbstractContextManager[object]: ...
    def changed_elsewhere(self) -> bool: ...
    def find_existing(self, article_id: str, url: str | None) -> Existing | None: ...
    def original_of(self, content_hash: str) -> str | None: ...
    def insert_article(self, article: Article) -> int: ...
    def reuse_index(self) -> ReuseIndex: ...
    def story_index(self) -> StoryIndex: ...
    def timeline_index(self) -> EventSink: ...
    def statement_index(self) -> StatementSink: ...


class EventSink(EventIndex, Protocol):
    def save(self, article_seq: int, events: Iterable[Event]) -> int: ...


class StatementSink(StatementIndex, Protocol):
    def pending_seq(self, article_id: str) -> int | None:
        """The article's seq when it is stored and not analysed yet, else ``None``."""
        ...

    def save(self, article_seq: int, found: Iterable[Found]) -> int: ...


@dataclass(slots=True, frozen=True)
class Existing:
    """Why an incoming article is already in the store."""

    article_id: str
    reason: str  # "same id" or "same URL"
    content_hash: str = ""  # the stored article's ("": not known)

    def other_text(self, content_hash: str) -> bool:
        """Whether an incoming article of this ``content_hash`` holds another text than the
        stored one (an outlet's update, or two articles under one id): it is still not stored."""
        return bool(self.content_hash) and bool(content_hash) and content_hash != self.content_hash


class SeenInRun:
    """The articles an ingest (or a batch job's store stage) has taken so far, by id and by URL
    (its key, :func:`storyline.text.urls.url_key`, as the store compares them):
    one met again in the same run is already present as a stored one would be, with its text
    compared as :meth:`Existing.other_text` does."""

    __slots__ = ("_ids", "_urls")

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}  # id -> content hash
        self._urls: dict[str, Existing] = {}

    def existing(self, article: Article) -> Existing | None:
        if article.id in self._ids:
            return Existing(article.id, "same id", self._ids[article.id])
        return self._urls.get(url_key(article.url)) if article.url else None

    def add(self, article: Article) -> None:
        self._ids[article.id] = article.content_hash
        if article.url:
            self._urls[url_key(article.url)] = Existing(article.id, "same URL", article.content_hash)
