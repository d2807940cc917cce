"""The timeline stage: dated events of each article as it arrives, a story's timeline when asked.

``featurize`` tags every article's dates (pure: before the write transaction, in a process
pool or a Spark partition); ``resolve`` turns the dates of its new passages into events and
carries the events of recycled ones over from their first occurrence (through the
:class:`~storyline.timeline.ports.EventIndex` port). Events are stored per article; a story's
timeline is put together from its articles' events when it is read, so it stays right when
stories merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..records import Article, TimelineEntry
from ..settings import TimelineSettings
from ..text.passages import KeyMemo
from ..text.temporal.timex import Timex
from .entries import timeline_entries
from .events import Event, article_events, tag_article
from .ports import EventIndex, StoredEvent


class TimelineStage:
    def __init__(self, settings: TimelineSettings) -> None:
        self.settings = settings
        self.keys = KeyMemo(settings.cache_keys)

    def featurize(self, articles: Sequence[Article]) -> list[list[Timex]]:
        """Each article's placeable dates, offsets into its text."""
        return [tag_article(a, self.settings.budget_s) for a in articles]

    def resolve(self, article: Article, features: list[Timex], index: EventIndex) -> list[Event]:
        """The article's dated events; ``article`` carries the reuse stage's verdicts."""
        return article_events(article, index.passage_events, features, self.keys)

    def entries(self, events: Iterable[StoredEvent]) -> list[TimelineEntry]:
        """One story's events as its timeline, ordered by date."""
        return timeline_entries(events, self.settings.same_event)
