"""A story's timeline from its articles' stored events: one entry per event, however often reported.

Two events are one entry when they carry the same date (and qualifier) and either
share an origin (a recycled passage carries its first occurrence's events) or their
sentences read alike (:func:`~storyline.text.passages.passage_similarity` at least
``same_event``: the same report reworded where reuse did not see a recycled paragraph).
Grouping is transitive, so a copy of a reworded copy joins too.

Everything here depends only on the events, never on the order articles were ingested
in: an entry's text is the sentence of its earliest article (by publication date, then
id), its article ids are in that order, and entries are ordered by their date's start,
narrower dates first at equal starts (:func:`~storyline.text.temporal.dates.order_key`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..records import TimelineEntry
from ..text.groups import DisjointSets
from ..text.temporal.dates import order_key
from .ports import EventRef, StoredEvent


def _reading_order(event: StoredEvent) -> tuple[bool, str, str, int]:
    # Undated articles last: their place among the reports is unknown.
    return event.published is None, event.published or "", event.article_id, event.n


def timeline_entries(events: Iterable[StoredEvent], same_event: float) -> list[TimelineEntry]:
    """Group a story's events into entries and order them by date."""
    events = sorted(events, key=_reading_order)
    sets = DisjointSets(len(events))

    by_origin: dict[EventRef, int] = {}
    by_date: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        sets.union(i, by_origin.setdefault(event.origin, i))
        by_date[(event.date, event.qualifier)].append(i)
    for members in by_date.values():
        sets.join_alike(members, [events[i].text for i in members], same_event)

    entries: list[tuple[tuple, TimelineEntry]] = []
    for root, indices in sets.groups().items():
        first = events[root]
        article_ids = list(dict.fromkeys(events[i].article_id for i in indices))
        entry = TimelineEntry(first.date, first.text, article_ids, first.qualifier)
        entries.append(((order_key(first.date, first.qualifier), _reading_order(first), first.text), entry))
    entries.sort(key=lambda pair: pair[0])
    return [entry for _, entry in entries]
