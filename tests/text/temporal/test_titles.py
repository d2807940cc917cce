"""Newspapers and programmes named for a weekday are no dates; the weekday beside them still is."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.timex import tag
from storyline.text.temporal.titles import title_spans

MONDAY = dt.date(2024, 10, 28)


def _dates(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag(text, MONDAY)]


@pytest.mark.parametrize("text", [
    "The Sunday Times reported that the talks would resume.",
    "He told the Mail on Sunday that he would not resign.",
    "The Observer and the Sunday Mirror carried the story.",
    "according to the Sunday Star-Times, which saw the letter",
    "She wrote in the Independent on Sunday about the strike.",
    "Bild am Sonntag berichtete, dass der Minister zurücktreten wolle.",
    "Das sagte er der Welt am Sonntag.",
    "The NZZ am Sonntag zitierte einen Sprecher.",
    "The sketch aired on Saturday Night Live.",
    "The game was the season's first Monday Night Football broadcast.",
    "He said so in an interview with CBS Sunday Morning.",
    "the anniversary of Bloody Sunday",
    "under the Good Friday Agreement",
])
def test_a_title_that_holds_a_weekday_is_no_date(text):
    assert _dates(text) == []


@pytest.mark.parametrize("text, expected", [
    ("The Sunday Telegraph said on Monday that the deal was off.", [("Monday", "2024-10-28")]),
    ("Die Welt am Sonntag schrieb am Montag über die Wahl.", [("Montag", "2024-10-28")]),
    # a place on a weekday is a date, though papers of those names exist
    ("Thousands marched in Scotland on Sunday.", [("Sunday", "2024-10-27")]),
    # not a paper's name: another capitalised word follows, or no "the" before it
    ("He will travel to the Sunday World Cup final.", [("Sunday", "2024-11-03")]),  # "will": the next one
    ("On Sunday Times Square was empty.", [("Sunday", "2024-10-27")]),
    ("The vote was on Sunday, and the Sunday Post reported it.", [("Sunday", "2024-10-27")]),
])
def test_the_days_beside_a_title_are_dates(text, expected):
    assert _dates(text) == expected


_parts = st.sampled_from(["the Sunday Times", "on Sunday", "Mail on Sunday", "Bild am Sonntag", "Monday", " ", ", ",
                          "said", "The", "Saturday Night Live", "Times", "Sonntag", "am"])


@given(st.lists(_parts, max_size=12).map(" ".join))
def test_titles_are_in_the_text_in_order_and_never_overlap(text):
    spans = title_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for s, e in spans:
        assert "day" in text[s:e] or "Sonntag" in text[s:e]
