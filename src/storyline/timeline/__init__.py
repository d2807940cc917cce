"""Timelines: temporal expressions (``timex``), the dated events of articles, a story's timeline."""

from .entries import timeline_entries
from .events import Event, article_events
from .ports import EventRef, StoredEvent
from .stage import TimelineStage

__all__ = ["Event", "EventRef", "StoredEvent", "TimelineStage", "article_events", "timeline_entries"]
