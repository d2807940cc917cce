"""What the statements stage asks of storage: the statements stored for a passage's first occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..records import PassageRef


@dataclass(slots=True, frozen=True)
class StatementRef:
    """One statement of one article, by its number there: its identity across copies."""

    article_id: str
    n: int


@dataclass(slots=True, frozen=True)
class StoredStatement:
    article_id: str
    published: str | None
    n: int
    passage: int
    speaker: str | None  # as written
    speaker_name: str | None
    role: str
    cue: str
    content: str
    kind: str
    date: str | None
    origin: StatementRef


class StatementIndex(Protocol):
    def passage_statements(self, ref: PassageRef) -> list[StoredStatement] | None:
        """The statements of one stored passage; ``None`` when its article was not analysed yet."""
        ...
