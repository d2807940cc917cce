"""The timeline stage: dated events of each article as it arrives, a story's timeline when asked.

Events are found once, at ingest, and stored per article; a story's timeline is put
together from its articles' events when it is read, so it stays right when stories merge.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records import Article, TimelineEntry
from ..settings import TimelineSettings
from .entries import timeline_entries
from .events import Event, PassageEvents, StoredEvent, article_events


class TimelineStage:
    def __init__(self, settings: TimelineSettings) -> None:
        self.settings = settings

    def events(self, article: Article, first_seen: PassageEvents) -> list[Event]:
        """The article's dated events; call after the reuse stage has marked its passages."""
        return article_events(article, first_seen)

    def entries(self, events: Iterable[StoredEvent]) -> list[TimelineEntry]:
        """One story's events as its timeline, ordered by date."""
        return timeline_entries(events, self.settings.same_event)
