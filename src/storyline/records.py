"""The few core types every stage takes and returns.

An :class:`Article` is what ingest produces: normalised text, its paragraphs as
:class:`Passage` spans, and the metadata a reader needs (title, source, url,
publication date). Later stages attach what they find to the same ids: reuse
fills ``Passage.status`` and ``first_seen``; stories, timeline and statements
produce :class:`Story`, :class:`TimelineEntry` and :class:`Statement`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

PassageStatus = Literal["new", "recycled", "boilerplate"]

_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """A slotted dataclass pickled as a call of its constructor with its fields, in order.

    A slotted dataclass's own pickling goes through ``__getstate__``/``__setstate__``, which look
    its fields up on every object: articles and their features cross to and from the featurize
    workers (and Spark) by the thousand, and that lookup was most of their unpickling. Put it
    above ``@dataclass``; the class's constructor must take every field, in order."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if len(names) < 2 or not all(f.init for f in fields(cls)):  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__}: pickled_by_fields needs two fields or more, each a constructor argument")
    get: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)

    def __reduce__(self: Any) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, get(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


@pickled_by_fields
@dataclass(slots=True, frozen=True)
class Span:
    """Character offsets ``[start, end)`` into a text."""

    start: int
    end: int


@pickled_by_fields
@dataclass(slots=True, frozen=True)
class SourceRef:
    """Provenance of something read: a file or URL and, for record formats, a line or record number."""

    location: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.location}:{self.line}" if self.line is not None else self.location


@pickled_by_fields
@dataclass(slots=True, frozen=True)
class PassageRef:
    """Points at one passage of one article: where a recycled passage was first seen."""

    article_id: str
    index: int


@pickled_by_fields
@dataclass(slots=True)
class Passage:
    """One paragraph of an article, with its sentence spans (relative to the passage)."""

    index: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...] = ()
    status: PassageStatus = "new"
    first_seen: PassageRef | None = None
    score: float | None = None
    copied: Span | None = None  # of a recycled passage: its characters that were copied
    first_seen_span: Span | None = None  # and the characters of the first_seen passage they came from


def char_share(part_chars: int, chars: int) -> float:
    """``part_chars`` of ``chars`` to four places, 0 when there are no characters: the new,
    recycled and boilerplate shares of an article, an outlet or the store."""
    return round(part_chars / chars, 4) if chars else 0.0


def new_share(new_chars: int, chars: int) -> float:
    """An article's new share, the one meaning the CLI, the API, the web UI and the README give
    it: the characters of its new passages over the characters of all its passages (recycled
    and boilerplate ones included, so the new, recycled and boilerplate shares add up to 1).
    Characters, not paragraphs: a one-line caption does not weigh as much as a long paragraph."""
    return char_share(new_chars, chars)


@pickled_by_fields
@dataclass(slots=True)
class Article:
    """A normalised, dated, identified article.

    ``text`` holds the paragraphs joined by one blank line, so every passage's
    ``start``/``end`` index into it. ``published`` is an ISO 8601 date or
    datetime string (UTC for datetimes), or ``None`` when unknown.
    """

    id: str
    text: str
    passages: list[Passage]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    content_hash: str = ""
    origin: SourceRef | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    story_id: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None


@dataclass(slots=True)
class Story:
    """A group of articles about one developing event; ids are stable once assigned."""

    id: str
    title: str
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class StoryCopies:
    """Where a story's articles carry content first seen somewhere: read from the story's own
    passages in one pass, so every article of the story is read against it without a lookup by
    first occurrence (which would need an index on every passage's first occurrence, written
    at random places by every ingest)."""

    story_id: str
    members: Mapping[str, int]  # the story's articles: id -> ingest order (seq)
    # a first occurrence -> the ingest order and place of its earliest copy in the story
    earliest: Mapping[PassageRef, tuple[int, PassageRef]]

    def copy_in_story(self, root: PassageRef, before: int) -> PassageRef | None:
        """The earliest copy of the content first seen at ``root`` (``root`` itself included) in
        an article of the story stored before ingest order ``before``; every copy points at the
        same root."""
        seq = self.members.get(root.article_id)
        if seq is not None and seq < before:
            return root  # the first occurrence is the earliest copy there is
        found = self.earliest.get(root)
        return found[1] if found is not None and found[0] < before else None


@dataclass(slots=True)
class TimelineEntry:
    """A dated event of a story; ``date`` is a TimeML value (``2024-10-17``, ``2024-10``, a range),
    ``qualifier`` what the text says of it (``early`` for "early October"), ``text`` the sentence
    that reports it (from the earliest article) and ``article_ids`` every article that does."""

    date: str
    text: str
    article_ids: list[str] = field(default_factory=list)
    qualifier: str | None = None

    def as_dict(self) -> dict[str, object]:
        """As the export contract has it: ``qualifier`` only when there is one."""
        out: dict[str, object] = {"date": self.date, "text": self.text, "article_ids": list(self.article_ids)}
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        return out


@dataclass(slots=True)
class Statement:
    """One attributed claim of a story, with every article that reports it."""

    id: str
    speaker: str
    text: str
    date: str | None = None
    speaker_aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Contradiction:
    """Two statements of a story that disagree on one proposition, and why in words."""

    statement_ids: tuple[str, str]
    reason: str
    kind: str  # "denial", "unconfirmed" (not yet confirmed, confirmed later), "figures" or "contradiction"

    def as_dict(self) -> dict[str, object]:
        return {"statement_ids": list(self.statement_ids), "reason": self.reason, "kind": self.kind}


@dataclass(slots=True, frozen=True)
class Rejection:
    """An input that could not become an article, and the reason, for the ingest summary."""

    origin: SourceRef
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Skipped:
    """A file in a named folder that is not in an article format (a README, an image): not read."""

    origin: SourceRef
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True, frozen=True)
class IngestWarning:
    """Something accepted with a caveat (e.g. a date that could not be parsed)."""

    origin: SourceRef
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"
