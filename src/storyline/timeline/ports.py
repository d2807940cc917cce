"""What the timeline stage asks of storage: the events stored for a passage's first occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..records import PassageRef


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


class EventIndex(Protocol):
    def passage_events(self, ref: PassageRef) -> list[StoredEvent] | None:
        """The events of one stored passage; ``None`` when its article's events were never looked for."""
        ...
