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


def _article(i: int, source: str | None, day: str | None, in_story: bool = True) -> dict:
    return {"id": f"a{i}", "title": None, "source": source, "published": day, "in_story": in_story,
            "duplicate_of": None}


def test_the_provenance_graph_has_a_lane_per_outlet_and_a_curve_per_edge():
    from storyline.web.svg import provenance_graph

    view = {"articles": [_article(0, "Wire", "2024-03-01"), _article(1, "Times", "2024-03-03"),
                         _article(2, None, None), _article(3, "Post", "2024-02-20", in_story=False)],
            "edges": [{"article": "a1", "first_seen": "a0", "passages": 4, "chars": 900, "lag_s": 172800, "copy": False},
                      {"article": "a0", "first_seen": "a3", "passages": 1, "chars": 90, "lag_s": 864000, "copy": False}]}
    svg = str(provenance_graph(view))
    assert re.findall(r'<text class="outlet"[^>]*>([^<]*)</text>', svg) == ["Wire", "Times", "(no source: a2)", "Post"]
    assert svg.count('<path class="edge"') == 2 and svg.count('class="node outside"') == 1
    assert ">undated</text>" in svg and ">2024-02-20</text>" in svg and ">2024-03-03</text>" in svg
    widths = [float(w) for w in re.findall(r'stroke-width="([\d.]+)"', svg)]
    assert widths == [5.0, 2.0]  # thicker for more passages
    assert "a1: 4 passages from a0, 2 days later" in svg


def test_a_big_story_keeps_the_articles_most_involved():
    from storyline.web.svg import provenance_graph

    articles = [_article(i, f"Outlet {i % 20}", f"2024-03-{1 + i % 28:02d}") for i in range(400)]
    edges = [{"article": f"a{i}", "first_seen": "a0", "passages": 1, "chars": 10, "lag_s": None, "copy": False}
             for i in range(1, 60)]
    svg = str(provenance_graph({"articles": articles, "edges": edges}))
    assert svg.count("<circle") == 150 and svg.count("<path") == 59  # every linked article is kept
    assert "(150 of 400 articles shown: those most involved)" in svg
    assert svg.count('class="outlet"') == 12 and ">other outlets</text>" in svg


def test_lags_in_words():
    from storyline.web.svg import lag_words

    assert lag_words(0) == "at the same time" and lag_words(86400) == "1 day later"
    assert lag_words(5 * 3600) == "5 hours later" and lag_words(-2 * 86400) == "2 days earlier"
