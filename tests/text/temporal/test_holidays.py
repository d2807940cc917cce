"""Holidays whose date moves from year to year: Easter and the days counted from it, the n-th
weekday of a month, the days after Thanksgiving."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.calendar import MOVING_HOLIDAYS, easter, moving_holiday, nth_weekday
from storyline.text.temporal.timex import tag

REF = dt.date(2024, 12, 10)


@pytest.mark.parametrize("year, day", [(1961, (4, 2)), (2000, (4, 23)), (2008, (3, 23)), (2011, (4, 24)),
                                       (2019, (4, 21)), (2024, (3, 31)), (2025, (4, 20)), (2038, (4, 25))])
def test_easter_is_the_computus(year, day):
    assert easter(year) == dt.date(year, *day)


@given(st.integers(1583, 9999))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    day = easter(year)
    assert day.isoweekday() == 7 and dt.date(year, 3, 22) <= day <= dt.date(year, 4, 25)


@given(st.sampled_from(sorted(MOVING_HOLIDAYS)), st.integers(1583, 9998))
def test_every_moving_holiday_falls_in_its_year(name, year):
    assert moving_holiday(name, year).year == year


def test_the_nth_and_the_last_weekday_of_a_month():
    assert nth_weekday(2024, 11, 4, 4) == dt.date(2024, 11, 28)  # Thanksgiving
    assert nth_weekday(2024, 5, 1, -1) == dt.date(2024, 5, 27)  # Memorial Day
    assert nth_weekday(2024, 9, 1, 1) == dt.date(2024, 9, 2)  # Labor Day


@pytest.mark.parametrize("text, expected", [
    ("Shops opened early on Black Friday.", [("Black Friday", "2024-11-29")]),
    ("Sales rose on Cyber Monday.", [("Cyber Monday", "2024-12-02")]),
    ("Churches were full on Easter Sunday.", [("Easter Sunday", "2024-03-31")]),
    ("They will meet at Easter.", [("Easter", "2025-04-20")]),
    ("The ceasefire will begin on Good Friday.", [("Good Friday", "2025-04-18")]),
    ("Crowds gathered over the Labor Day weekend.", [("Labor Day", "2024-09-02")]),
    ("It opened on Memorial Day 2019.", [("Memorial Day 2019", "2019-05-27")]),
    ("It was quiet on Mother’s Day.", [("Mother’s Day", "2024-05-12")]),
    ("The parade will be held on Martin Luther King Jr. Day.", [("Martin Luther King Jr. Day", "2025-01-20")]),
    # fixed holidays as before
    ("They met at Christmas.", [("Christmas", "2024-12-25")]),
    ("on Thanksgiving Day", [("Thanksgiving Day", "2024-11-28")]),
])
def test_a_holiday_named_without_a_year_is_its_date_nearest_the_article_s(text, expected):
    assert [(t.text, t.value) for t in tag(text, REF)] == expected


@pytest.mark.parametrize("text", ["They flew to Easter Island.", "the Easter Rising", "under the Good Friday Agreement",
                                  "an easter egg hunt", "the memorial day they held"])
def test_a_holiday_s_name_inside_another_name_or_in_lower_case_is_no_date(text):
    assert [t.text for t in tag(text, REF)] == []


def test_without_a_reference_a_moving_holiday_has_no_date():
    assert [t.text for t in tag("They met at Easter.", None)] == []
