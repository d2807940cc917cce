"""The story page's time axis (``storyline.web.views._ticks``)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from storyline.web.views import _ticks


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.integers(min_value=0, max_value=3_652_000))
def test_an_axis_of_any_length_gets_at_most_seven_ticks_in_order_within_it(start, days):
    end = min(start + timedelta(days=min(days, (date(9999, 12, 31) - start).days)), date(9999, 12, 31))
    ticks = _ticks(start.isoformat(), end.isoformat())
    assert 1 <= len(ticks) <= 7
    positions = [t["position"] for t in ticks]
    assert positions == sorted(positions) and all(0 <= p <= 1 for p in positions)
    assert all(t["label"] for t in ticks)


def test_an_axis_that_ends_in_the_last_months_of_year_9999_stops_there():
    """Found by the property above: the month after December 9999 cannot be made."""
    ticks = _ticks("9999-08-01", "9999-12-01")
    assert [t["label"] for t in ticks] == ["Aug 9999", "Sep 9999", "Oct 9999", "Nov 9999", "Dec 9999"]


def test_a_story_dated_across_centuries_gets_round_years():
    """A year a text names (the year 850, the year 2400) stretches a story's axis over centuries."""
    ticks = _ticks("0850-03-01", "2400-07-01")
    assert [t["label"] for t in ticks] == ["1000", "1250", "1500", "1750", "2000", "2250"]


def test_a_decade_gets_every_other_year_and_a_short_axis_days():
    assert [t["label"] for t in _ticks("2014-05-01", "2024-11-02")] == ["2016", "2018", "2020", "2022", "2024"]
    assert [t["label"] for t in _ticks("2024-10-01", "2024-11-02")] == \
        ["1 Oct", "7 Oct", "13 Oct", "19 Oct", "25 Oct", "31 Oct"]
    assert [t["label"] for t in _ticks("2023-01-15", "2024-06-30")][:2] == ["Feb 2023", "May 2023"]
