"""Timelines: temporal expressions (``timex``), the dated events of articles, a story's timeline."""

from ..store.timeline_index import EventRef, StoredEvent
from ..text.temporal.dates import date_bounds, order_key, qualifier
from .entries import timeline_entries
from .events import Event, article_events
from .stage import TimelineStage

__all__ = ["Event", "EventRef", "StoredEvent", "TimelineStage", "article_events", "date_bounds", "order_key",
           "qualifier", "timeline_entries"]
