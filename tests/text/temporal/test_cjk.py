"""Chinese and Japanese dates, on sentences written for these tests, normalised against the
article's date (a Monday)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.cjk import tag_cjk
from storyline.text.temporal.timex import tag

MONDAY = dt.date(2024, 10, 28)


def _dates(text: str, reference: dt.date | None = MONDAY) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag(text, reference) if t.type == "DATE"]


@pytest.mark.parametrize("text, expected", [
    ("港口工人于2024年10月21日开始罢工。", [("2024年10月21日", "2024-10-21")]),
    ("二〇二四年十月二十一日，工会宣布罢工。", [("二〇二四年十月二十一日", "2024-10-21")]),
    ("协议于２０２３年３月签署。", [("２０２３年３月", "2023-03")]),
    ("罢工将持续到11月5日。", [("11月5日", "2024-11-05")]),
    ("谈判在10月30号重新开始。", [("10月30号", "2024-10-30")]),
    ("这座桥建于1998年。", [("1998年", "1998")]),
    ("1990年代的港口", [("1990年代", "199")]),
    ("工会昨天表示，明天继续谈判。", [("昨天", "2024-10-27"), ("明天", "2024-10-29")]),
    ("去年的工资，今年的方案，明年3月的合同", [("去年", "2023"), ("今年", "2024"), ("明年3月", "2025-03")]),
    ("上个月的罢工，本月的谈判，下个月的选举", [("上个月", "2024-09"), ("本月", "2024-10"), ("下个月", "2024-11")]),
    ("港务局上周五提出方案，下周一再谈，周三投票。",
     [("上周五", "2024-10-25"), ("下周一", "2024-11-04"), ("周三", "2024-10-30")]),
    ("上周罢工开始，本周仍在继续。", [("上周", "2024-W43"), ("本周", "2024-W44")]),
    ("东京で10月25日（金曜日）にストライキが始まった。来週も続く。",
     [("10月25日", "2024-10-25"), ("金曜日", "2024-10-25"), ("来週", "2024-W45")]),
    ("3月的罢工", [("3月", "2025-03")]),  # the March nearest the reference
    ("5月的罢工", [("5月", "2024-05")]),
])
def test_dates(text, expected):
    assert _dates(text) == expected


@pytest.mark.parametrize("text", [
    "他25岁以前没有工作过，4年前离开。",  # an age and a length, no date
    "合同为期3个月。",  # a length
    "一周一次的会议",  # once a week, not a Monday
    "每周一开会",  # every Monday: not one date
    "共有12024年的记录",  # no year inside a longer number
    "13月40日",  # no such day
])
def test_no_date(text):
    assert _dates(text) == []


def test_without_a_reference_only_what_names_its_own_date():
    assert _dates("2024年10月21日，昨天，11月5日", None) == [("2024年10月21日", "2024-10-21"), ("11月5日", "XXXX-11-05")]


def test_english_and_chinese_in_one_text():
    assert _dates("On October 17 the strike began. 工会昨天表示。") == [("October 17", "2024-10-17"), ("昨天", "2024-10-27")]


@given(st.text(st.sampled_from("0123456789年月日号周星期上下本今去明昨天一二十〇两个代，。 "), max_size=60))
def test_any_text_gives_dates_inside_it_that_do_not_overlap(text):
    found = sorted(tag_cjk(text, MONDAY))
    for (start, end, kind, value), following in zip(found, found[1:] + [None]):
        assert 0 <= start < end <= len(text) and kind == "DATE" and value
        assert following is None or following[0] >= end


@pytest.mark.parametrize("reference", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_dates_past_the_calendars_ends_are_left_out(reference):
    text = "明天，昨天，下周一，上周五，明年3月，下个月，上个月，来週，先週，3月，12月31日，金曜日，去年，明年"
    for found in tag(text, reference):
        year = int(found.value.split("-")[0])
        assert 1 <= year <= 9999 and len(found.value.split("-")[0]) == 4
