"""TimeML values as calendar intervals, and the order of a timeline."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.dates import date_bounds, order_key, qualifier


@pytest.mark.parametrize(("value", "start", "end"), [
    ("2024-10-17", datetime(2024, 10, 17), datetime(2024, 10, 18)),
    ("2024-10", datetime(2024, 10, 1), datetime(2024, 11, 1)),
    ("2024-12", datetime(2024, 12, 1), datetime(2025, 1, 1)),
    ("2024", datetime(2024, 1, 1), datetime(2025, 1, 1)),
    ("2024-W43", datetime(2024, 10, 21), datetime(2024, 10, 28)),
    ("2024-W43-3", datetime(2024, 10, 23), datetime(2024, 10, 24)),
    ("2024-W43-WE", datetime(2024, 10, 26), datetime(2024, 10, 28)),
    ("2024-Q4", datetime(2024, 10, 1), datetime(2025, 1, 1)),
    ("2024-H1", datetime(2024, 1, 1), datetime(2024, 7, 1)),
    ("2024-WI", datetime(2024, 12, 1), datetime(2025, 3, 1)),
    ("202", datetime(2020, 1, 1), datetime(2030, 1, 1)),
    ("2024-10-17T15:30", datetime(2024, 10, 17, 15, 30), datetime(2024, 10, 17, 15, 31)),
    ("2024-10-17TMO", datetime(2024, 10, 17, 6), datetime(2024, 10, 17, 12)),
    ("2024-10-27/2024-10-28", datetime(2024, 10, 27), datetime(2024, 10, 29)),
    ("2024-10/2024-11-05", datetime(2024, 10, 1), datetime(2024, 11, 6)),
])
def test_calendar_values_are_intervals(value, start, end):
    assert date_bounds(value) == (start, end)


@pytest.mark.parametrize("value", ["PRESENT_REF", "PAST_REF", "FUTURE_REF", "P3D", "XXXX-10-17", "XXXX-WXX-1",
                                   "2024-02-30", "2024-W54", "2024-10-28/2024-10-27", "2024T10:00", "", "ten"])
def test_values_that_name_no_fixed_interval(value):
    assert date_bounds(value) is None


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 30)))
def test_any_day_is_its_own_day(day):
    start, end = date_bounds(day.isoformat())
    assert start.date() == day and end - start == timedelta(days=1)


def test_order_partial_dates_by_start_then_the_narrower_first():
    values = [("2024-11-01", None), ("2024-10-27/2024-10-28", None), ("2024-10-27", None), ("2024-10", None),
              ("2024-10", "early"), ("2024-10-01", None), ("2024", None)]
    ordered = sorted(values, key=lambda v: order_key(*v))
    assert ordered == [("2024", None), ("2024-10-01", None), ("2024-10", "early"), ("2024-10", None),
                       ("2024-10-27", None), ("2024-10-27/2024-10-28", None), ("2024-11-01", None)]


def test_order_key_names_what_is_wrong():
    with pytest.raises(ValueError, match="'PRESENT_REF' is not a calendar date value"):
        order_key("PRESENT_REF")


def test_qualifiers_are_words():
    assert [qualifier(m) for m in ("START", "MID", "END", "APPROX", None, "LESS_THAN")] == [
        "early", "mid", "late", "about", None, "less than"]
