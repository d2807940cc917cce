"""Dates in words: unit cases for each kind of TimeML value, and properties over any value."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.human import human_date, human_day, human_span


@pytest.mark.parametrize("value, qualifier, words", [
    ("2024-10-17", None, "17 Oct 2024"),
    ("2024-10", "early", "early October 2024"),
    ("2024-10", None, "October 2024"),
    ("2024-10", "mid", "mid-October 2024"),
    ("2024-10-27/2024-10-28", None, "27–28 Oct 2024"),
    ("2024-10-30/2024-11-02", None, "30 Oct – 2 Nov 2024"),
    ("2024-12-30/2025-01-02", None, "30 Dec 2024 – 2 Jan 2025"),
    ("2014-W11", None, "week of 10 Mar 2014"),
    ("2014-W10", None, "week of 3 Mar 2014"),
    ("2014-W11-WE", None, "weekend of 15 Mar 2014"),
    ("2014-W11-3", None, "12 Mar 2014"),
    ("2025-03-01TEV", None, "1 Mar 2025, evening"),
    ("2025-02-28TNI", None, "28 Feb 2025, night"),
    ("2025-03-01T06:00", None, "1 Mar 2025, 06:00"),
    ("PRESENT_REF", None, "now"),
    ("PAST_REF", None, "in the past"),
    ("2024", None, "2024"),
    ("2024", "late", "late 2024"),
    ("2024-Q3", None, "third quarter of 2024"),
    ("2024-H1", None, "first half of 2024"),
    ("2024-SU", None, "summer 2024"),
    ("199", None, "the 1990s"),
    ("199X", None, "the 1990s"),
    ("20", None, "the 21st century"),
    ("XXXX-10-17", None, "17 Oct (year not known)"),
    ("2024-10-17", "about", "about 17 Oct 2024"),
    ("2024-02-30", None, "2024-02-30"),  # not a date: shown as it is
    ("P3D", None, "P3D"),
])
def test_values_in_words(value, qualifier, words):
    assert human_date(value, qualifier) == words


def test_publication_days_and_spans():
    assert human_day("2024-10-28T09:00:00+00:00") == "28 Oct 2024" and human_day(None) == "undated"
    assert human_day("soon") == "soon"
    assert human_span("2024-10-27", "2024-10-28T23:00:00Z") == "27–28 Oct 2024"
    assert human_span("2024-10-30", "2024-11-02") == "30 Oct – 2 Nov 2024"
    assert human_span("2024-10-28", "2024-10-28") == "28 Oct 2024" and human_span(None, None) == "undated"
    assert human_span(None, "2024-10-28") == "28 Oct 2024"


@given(st.text(max_size=30), st.sampled_from([None, "early", "mid", "late", "about"]))
def test_any_value_gives_words_and_never_raises(value, qualifier):
    words = human_date(value, qualifier)
    assert isinstance(words, str) and (words or not value)


days = st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 1))


@given(days)
def test_a_day_names_its_day_month_and_year(d):
    assert human_date(d.isoformat()) == f"{d.day} {d.strftime('%b')} {d.year}"


@given(days, st.integers(min_value=1, max_value=400))
def test_a_range_names_both_ends_and_its_year(d, length):
    end = d + timedelta(days=length)
    words = human_date(f"{d.isoformat()}/{end.isoformat()}")
    assert str(d.day) in words and str(end.day) in words and str(end.year) in words
    assert words.index(str(d.day)) < words.rindex(str(end.day))


@given(st.integers(min_value=1000, max_value=9998), st.integers(min_value=1, max_value=53))
def test_a_week_starts_on_its_monday(year, week):
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        assert human_date(f"{year}-W{week:02d}") == f"{year}-W{week:02d}"
        return
    # week 1 may start in December of the year before: the Monday's own year is named
    assert human_date(f"{year}-W{week:02d}") == f"week of {monday.day} {monday.strftime('%b')} {monday.year}"


def test_a_range_of_nothing_is_shown_as_it_is():
    assert human_date("/") == "/" and human_date("2024-10-01/") == "1 Oct 2024"
