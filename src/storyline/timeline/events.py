"""Dated events of one article: each sentence that a calendar date expression dates.

The whole text is tagged once, before the article is placed (:func:`tag_article`, pure: it
runs outside the write transaction), with the article's publication date as the reference
for "on October 17" or "yesterday" and each date anchoring the relative ones after it, as
a reader reads; each DATE or TIME expression in a new passage whose value names a fixed
interval of the calendar (a day, a month, a week, a range) makes an event of the sentence
that holds it.
``PRESENT_REF``, durations, sets and values with unknown parts (``XXXX-10-17``) are not
placeable and make none.

A recycled passage is not tagged again: it takes the events stored for its first
occurrence (same dates, since "yesterday" in a copied paragraph still means the day the
original was written), each placed on the sentence of the copy that reads most like the
original's, and each keeping the original as its ``origin``, which is what makes a
recycled event one timeline entry. Boilerplate passages make no events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..records import Article, Passage, PassageRef, Span
from ..text import sentences as split_sentences
from ..text.passages import PassageKeys, passage_keys, passage_similarity
from ..text.temporal.dates import is_placeable, qualifier, reference_date
from ..text.temporal.timex import Timex, tag
from .ports import EventRef, StoredEvent

_DATED = ("DATE", "TIME")


@dataclass(slots=True, frozen=True)
class Event:
    """A dated event found in an article: sentence ``[start, end)`` of ``article.text``.

    ``origin`` is the event's first occurrence when the passage recycles an earlier one,
    ``None`` when it is first seen here.
    """

    passage: int
    start: int
    end: int
    date: str  # TimeML value: 2024-10-17, 2024-10, 2024-10-27/2024-10-28
    qualifier: str | None  # "early" for "early October" (TimeML mod START), ...
    expression: str  # the words that date it, as they read where first seen
    origin: EventRef | None = None


PassageEvents = Callable[[PassageRef], list[StoredEvent] | None]


def tag_article(article: Article, budget_s: float | None = None) -> list[Timex]:
    """The article's placeable dates (DATE and TIME expressions naming a fixed interval), offsets
    into ``article.text``: the expensive part, computed once and before the article is placed.
    Raises :class:`~storyline.errors.BudgetExceeded` past ``budget_s`` seconds."""
    return [t for t in tag(article.text, reference_date(article.published), budget_s)
            if t.type in _DATED and is_placeable(t.value)]


def article_events(article: Article, first_seen: PassageEvents, dates: list[Timex] | None = None,
                   keys: Callable[[str], PassageKeys] = passage_keys) -> list[Event]:
    """Events of an article (its passages marked by reuse), in text order. ``first_seen`` gives
    the stored events of the passage a recycled one was first seen in (``None`` when that
    passage has none stored yet, and the copy's own dates are used then); ``dates`` are the
    article's :func:`tag_article` (tagged here when not given); ``keys``: :func:`passage_keys`,
    or a stage's memo of it."""
    if dates is None:
        dates = tag_article(article)
    by_passage: dict[int, list[Event]] = {}
    own: list[Passage] = []  # passages whose own dates make their events
    for passage in article.passages:
        originals = None
        if passage.status == "recycled" and passage.first_seen is not None:
            originals = first_seen(passage.first_seen)
        if originals is not None:
            by_passage[passage.index] = carry_over(passage, originals, keys)
        elif passage.status != "boilerplate":
            own.append(passage)
    if own:
        by_passage.update(place_dates(article, own, dates))
    return [event for index in sorted(by_passage) for event in by_passage[index]]


def _sentences(passage: Passage) -> tuple[Span, ...]:
    return passage.sentences or tuple(split_sentences(passage.text)) or (Span(0, len(passage.text)),)


def place_dates(article: Article, own: list[Passage], dates: list[Timex]) -> dict[int, list[Event]]:
    """Events of the passages ``own`` (in text order) from the article's dates: one per
    (sentence, date, qualifier), by passage index. A date between two passages (in the blank
    line) belongs to the passage it runs into, as it did when the text was tagged."""
    events: dict[int, list[Event]] = {p.index: [] for p in own}
    owners = {p.index for p in own}
    seen: set[tuple[int, str, str | None]] = set()
    passages = article.passages
    k = 0
    for timex in dates:
        at = timex.start
        while k < len(passages) - 1 and at >= passages[k].end:
            k += 1
        passage = passages[k]
        if passage.index not in owners:
            continue
        spans = _sentences(passage)
        within = at - passage.start
        # Between sentences (whitespace) it belongs to the sentence it runs into.
        span = next((s for s in spans if within < s.end), spans[-1])
        key = (passage.start + span.start, timex.value, qualifier(timex.mod))
        if key in seen:
            continue
        seen.add(key)
        events[passage.index].append(Event(passage.index, key[0], passage.start + span.end, timex.value, key[2],
                                           timex.text))
    return events


def carry_over(passage: Passage, originals: list[StoredEvent],
               keys: Callable[[str], PassageKeys] = passage_keys) -> list[Event]:
    """The events of a recycled passage's first occurrence, placed on the copy's closest sentences."""
    spans = _sentences(passage)
    sentence_keys = [keys(passage.text[s.start:s.end]) for s in spans]
    events: list[Event] = []
    for original in originals:
        target = keys(original.text)
        scores = [passage_similarity(k, target) for k in sentence_keys]
        span = spans[scores.index(max(scores))]  # the first of equals: copies keep sentence order
        events.append(Event(passage.index, passage.start + span.start, passage.start + span.end, original.date,
                            original.qualifier, original.expression, original.origin))
    return events
