"""The charts drawn on the server: bars from counts, in words for a screen reader."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from storyline.web.svg import day_buckets, sparkline


def test_a_bar_a_day_over_the_span():
    counts, step, first = day_buckets([("2024-10-28", 2), ("2024-10-30T09:00:00Z", 1)])
    assert (counts, step, first) == ([2, 0, 1], 1, date(2024, 10, 28))


def test_long_spans_gather_days_into_bars():
    counts, step, _ = day_buckets([("2024-01-01", 1), ("2024-12-31", 4)], most=60)
    assert step == 7 and len(counts) == 53 and counts[0] == 1 and counts[-1] == 4


def test_unreadable_days_are_left_off_and_nothing_dated_draws_nothing():
    assert day_buckets([("someday", 3)]) == ([], 1, None)
    assert sparkline([]) == "" and sparkline([("someday", 3)]) == ""


def test_the_tallest_bar_is_the_busiest_day_and_the_title_says_so():
    svg = str(sparkline([("2024-10-28", 1), ("2024-10-29", 4)], width=100, height=22))
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"/>', svg)]
    assert heights == [5.0, 20.0]
    assert "<title>5 articles over 2 days (a bar per day); most on 2024-10-29: 4</title>" in svg


@given(st.dictionaries(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)),
                       st.integers(min_value=1, max_value=500), min_size=1, max_size=40))
def test_every_article_is_in_one_bar_and_bars_stay_in_the_box(days):
    pairs = [(d.isoformat(), n) for d, n in days.items()]
    counts, _, first = day_buckets(pairs)
    assert sum(counts) == sum(days.values()) and len(counts) <= 60 and first == min(days)
    svg = str(sparkline(pairs, width=120, height=22))
    for x, y, w, h in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/>', svg):
        assert 0 <= float(x) and float(x) + float(w) <= 120.01 and 0 <= float(y) and float(y) + float(h) <= 22.01
