"""One entry per event however often it is reported; ordered by date; independent of ingest order."""

import random

from storyline.timeline.ports import EventRef, StoredEvent
from storyline.timeline.entries import timeline_entries

ZELENSKYY = "On October 17, President Zelenskyy said that Russia was training ten thousand North Korean soldiers."
REWORDED = "On October 17, Ukrainian President Zelenskyy said Russia is training 10,000 North Korean soldiers."
OTHER = "On October 17, the Pentagon said it had not yet confirmed that North Korea was sending troops."


def _event(article, n, text, date="2024-10-17", qualifier=None, origin=None, published="2024-10-28"):
    return StoredEvent(article, published, n, 0, text, date, qualifier, "October 17", origin or EventRef(article, n))


def test_a_recycled_event_is_one_entry_whatever_its_copy_reads():
    original = _event("a", 0, ZELENSKYY)
    copy = _event("b", 0, "Zelenskyy, on October 17: Russia trains North Korean troops.", origin=EventRef("a", 0))
    (entry,) = timeline_entries([original, copy], same_event=0.5)
    assert entry.article_ids == ["a", "b"] and entry.text == ZELENSKYY


def test_a_reworded_report_is_one_entry_and_another_event_of_the_day_is_not():
    entries = timeline_entries([_event("a", 0, ZELENSKYY), _event("b", 0, REWORDED), _event("c", 0, OTHER)],
                               same_event=0.5)
    assert [e.article_ids for e in entries] == [["a", "b"], ["c"]]


def test_the_same_words_on_another_date_are_another_entry():
    entries = timeline_entries([_event("a", 0, ZELENSKYY), _event("b", 0, ZELENSKYY, date="2024-10-18"),
                                _event("c", 0, ZELENSKYY, qualifier="early")], same_event=0.5)
    assert [(e.date, e.qualifier, e.article_ids) for e in entries] == [
        ("2024-10-17", "early", ["c"]), ("2024-10-17", None, ["a"]), ("2024-10-18", None, ["b"])]


def test_grouping_is_transitive():
    # b recycles a; c rewords b: all one event, though c does not read like a.
    a = _event("a", 0, OTHER)
    b = _event("b", 0, ZELENSKYY, origin=EventRef("a", 0))
    c = _event("c", 0, REWORDED)
    (entry,) = timeline_entries([a, b, c], same_event=0.5)
    assert entry.article_ids == ["a", "b", "c"]


def test_text_and_article_order_come_from_publication_dates_not_ingest_order():
    late = _event("a", 0, REWORDED, published="2024-10-29")
    early = _event("z", 0, ZELENSKYY, published="2024-10-18T09:00:00Z")
    undated = _event("m", 0, ZELENSKYY, published=None)
    (entry,) = timeline_entries([late, undated, early], same_event=0.5)
    assert entry.text == ZELENSKYY and entry.article_ids == ["z", "a", "m"]


def test_order_is_by_date_start_then_narrower_and_does_not_depend_on_input_order():
    events = [_event("a", n, f"Event number {word} happened then.", date)
              for n, (word, date) in enumerate([("one", "2024-11-01"), ("two", "2024-10-27/2024-10-28"),
                                                ("three", "2024-10-27"), ("four", "2024-10"), ("five", "2024-10-01"),
                                                ("six", "2024-W44")])]
    events.append(_event("a", 9, "Early in the month it began.", "2024-10", "early"))
    expected = timeline_entries(events, same_event=0.5)
    assert [(e.date, e.qualifier) for e in expected] == [
        ("2024-10-01", None), ("2024-10", "early"), ("2024-10", None), ("2024-10-27", None),
        ("2024-10-27/2024-10-28", None), ("2024-W44", None), ("2024-11-01", None)]
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(events)
        assert timeline_entries(events, same_event=0.5) == expected


def test_no_events_no_entries():
    assert timeline_entries([], same_event=0.5) == []
