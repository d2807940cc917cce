"""Dates in Chinese and Japanese news text, normalised against a reference date (TimeML values).

Both write a date as its year, month and day, each followed by its character: 2024年10月28日
(Chinese 日 or 号), in Arabic, full-width or Han numerals (二〇二四年十月二十八日). What this finds:

- a full date, a year and month, a month and day, a year (four digits: 2024年; "4年" is four
  years, a length, and left alone), a month of a year named from the reference (明年3月), a
  month alone (3月: the one nearest the reference; 3个月 is a length);
- the days and years named from the reference: 今天/今日 (today), 昨天/昨日, 前天, 明天/明日,
  后天/後天; 今年, 去年/昨年, 明年/来年; 本月/这个月/今月, 上个月/上月/先月, 下个月/下月/来月;
- weekdays: 周一…周日, 星期一…星期日/星期天, 礼拜一…, Japanese 月曜日…日曜日; 上周/上星期 (last
  week's) and 下周/下星期 (next week's) before them; weeks: 上周, 下周, 本周 (先週, 来週, 今週);
- decades: 1990年代.

A month and day or a month without a year, and a weekday without 上/下, take the date nearest the reference
(news speaks of the days around its own). English expressions are :mod:`.timex`'s; this runs
only on text that holds Han or kana, and where the two overlap the longer is kept by the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .calendar import day_or_none, nearest_day

# Digits as Chinese and Japanese dates write them: Arabic (and full-width: \d matches them), or Han.
_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,4}|[〇零一二三四五六七八九十两]{1,5})"
_START = r"(?<![\d〇零一二三四五六七八九十两])"  # a number starts here, not inside a longer one

_FULL = re.compile(rf"{_START}(?P<y>{_NUM})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号號]")
_YEAR_MONTH = re.compile(rf"{_START}(?P<y>{_NUM})\s*年\s*(?P<m>{_NUM})\s*月(?!\s*{_NUM}\s*[日号號])")
_MONTH_DAY = re.compile(rf"{_START}(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号號]")
_RELATIVE_YEAR_MONTH = re.compile(rf"(?P<year>今年|去年|昨年|明年|来年|來年)\s*(?P<m>{_NUM})\s*月(?!\s*{_NUM}\s*[日号號])")
_MONTH = re.compile(rf"{_START}(?P<m>{_NUM})\s*月(?!\s*{_NUM}\s*[日号號])(?!份?\s*(?:以来|以來))")
_DECADE = re.compile(rf"{_START}(?P<y>{_NUM})\s*年代")
# a year, not an age group, a school year or "young" (年级, 年轻)
_YEAR = re.compile(rf"{_START}(?P<y>{_NUM})\s*年(?!\s*{_NUM}\s*月)(?!级|級|轻|輕)")
_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2, "後天": 2}
_YEARS = {"今年": 0, "去年": -1, "昨年": -1, "明年": 1, "来年": 1, "來年": 1}
_MONTHS = {"本月": 0, "这个月": 0, "這個月": 0, "今月": 0, "上个月": -1, "上個月": -1, "上月": -1, "先月": -1,
           "下个月": 1, "下個月": 1, "下月": 1, "来月": 1, "來月": 1}
_RELATIVE = re.compile("|".join(sorted([*_DAYS, *_YEARS, *_MONTHS], key=len, reverse=True)))
_WEEKDAY_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_JA_WEEKDAY = {"月": 1, "火": 2, "水": 3, "木": 4, "金": 5, "土": 6, "日": 7}
# A weekday, after 上 or 下 (last or next week's) or 这/本 (this week's) when one is there; not after
# a number or 每 ("一周一次" is once a week, "每周一" every Monday).
_WEEKDAY = re.compile(r"(?:(?P<week>上|下|这|這|本)|(?<![\d〇零一二三四五六七八九十两每]))"
                      r"(?:(?:周|週|星期|礼拜|禮拜)(?P<zh>[一二三四五六日天])|(?P<ja>[月火水木金土日])曜日?)")
# A week named from the reference: 上周 (last week), 下周, 本周/这周 (this week); 先週, 来週, 今週.
_WEEK = re.compile(r"(?P<week>上|下|这|這|本|先|来|來|今)(?:个|個)?(?:周|週|星期|礼拜|禮拜)"
                   r"(?![一二三四五六日天])")
_WEEK_SHIFT = {"上": -1, "先": -1, "下": 1, "来": 1, "來": 1, "这": 0, "這": 0, "本": 0, "今": 0}


def _number(text: str) -> int | None:
    """``text`` (Arabic or full-width digits, or Han numerals up to 99 or digit by digit) as a number."""
    if text.isdigit():
        return int(text)
    if "十" not in text:  # digit by digit: 二〇二四
        return int("".join(str(_HAN_DIGITS[c]) for c in text)) if all(c in _HAN_DIGITS for c in text) else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or not all(c in _HAN_DIGITS for c in tens + ones):
        return None
    return (_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[ones] if ones else 0)


def _plus(reference: dt.date, days: int) -> dt.date | None:
    try:
        return reference + dt.timedelta(days=days)
    except OverflowError:  # past the calendar's ends
        return None


def _month_shift(reference: dt.date, months: int) -> str | None:
    index = reference.year * 12 + reference.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}" if dt.MINYEAR <= index // 12 <= dt.MAXYEAR else None


def tag_cjk(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, type, value)`` of each date this module finds in ``text``, in order of the
    patterns (the caller sorts and resolves overlaps). Without ``reference``, relative dates are
    left out and a year-less date keeps ``XXXX``. A date the calendar cannot hold ("明天" of
    9999-12-31) is left out, as :mod:`.timex` leaves it."""
    # The characters taken so far: a match is free when none of its own is (linear in the text).
    covered = bytearray(len(text))

    def free(m: re.Match[str]) -> bool:
        return covered.find(1, m.start(), m.end()) < 0

    def take(m: re.Match[str]) -> None:
        covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())

    for m in _FULL.finditer(text):
        y, mo, d = _number(m["y"]), _number(m["m"]), _number(m["d"])
        if y is not None and mo is not None and d is not None and 1000 <= y <= 2999 and day_or_none(y, mo, d):
            take(m)
            yield m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}"
    for m in _YEAR_MONTH.finditer(text):
        y, mo = _number(m["y"]), _number(m["m"])
        if free(m) and y is not None and mo is not None and 1000 <= y <= 2999 and 1 <= mo <= 12:
            take(m)
            yield m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}"
    for m in _MONTH_DAY.finditer(text):
        mo, d = _number(m["m"]), _number(m["d"])
        if not free(m) or mo is None or d is None or not day_or_none(2000, mo, d):  # 2000: a leap year
            continue
        near = nearest_day(reference, mo, d) if reference is not None else None
        take(m)
        yield m.start(), m.end(), "DATE", near.isoformat() if near else f"XXXX-{mo:02d}-{d:02d}"
    for m in _DECADE.finditer(text):
        y = _number(m["y"])
        if free(m) and y is not None and 1000 <= y <= 2999 and y % 10 == 0:
            take(m)
            yield m.start(), m.end(), "DATE", f"{y // 10:03d}"
    for m in _YEAR.finditer(text):
        y = _number(m["y"])
        if free(m) and y is not None and 1000 <= y <= 2999 and len(m["y"]) == 4:
            take(m)
            yield m.start(), m.end(), "DATE", f"{y:04d}"
    if reference is None:
        return
    for m in _RELATIVE_YEAR_MONTH.finditer(text):
        mo = _number(m["m"])
        if free(m) and mo is not None and 1 <= mo <= 12:
            take(m)
            if dt.MINYEAR <= reference.year + _YEARS[m["year"]] <= dt.MAXYEAR:
                yield m.start(), m.end(), "DATE", f"{reference.year + _YEARS[m['year']]:04d}-{mo:02d}"
    for m in _MONTH.finditer(text):
        mo = _number(m["m"])
        if free(m) and mo is not None and 1 <= mo <= 12:
            # the month nearest the reference: within six months of it, before it at a tie
            ahead = (mo - reference.month) % 12
            year = reference.year + (reference.month + ahead - 1) // 12 if ahead < 6 \
                else reference.year - (1 if mo > reference.month else 0)
            take(m)
            if dt.MINYEAR <= year <= dt.MAXYEAR:
                yield m.start(), m.end(), "DATE", f"{year:04d}-{mo:02d}"
    for m in _RELATIVE.finditer(text):
        if not free(m):
            continue
        word = m.group()
        take(m)
        if word in _DAYS:
            day = _plus(reference, _DAYS[word])
            if day is not None:
                yield m.start(), m.end(), "DATE", day.isoformat()
        elif word in _YEARS:
            if dt.MINYEAR <= reference.year + _YEARS[word] <= dt.MAXYEAR:
                yield m.start(), m.end(), "DATE", f"{reference.year + _YEARS[word]:04d}"
        else:
            month = _month_shift(reference, _MONTHS[word])
            if month is not None:
                yield m.start(), m.end(), "DATE", month
    for m in _WEEKDAY.finditer(text):
        if not free(m):
            continue
        weekday = _WEEKDAY_NUMBER[m["zh"]] if m["zh"] else _JA_WEEKDAY[m["ja"]]
        to_monday = 1 - reference.isoweekday()  # days from the reference to its week's Monday
        if m["week"] in ("上", "下"):
            day = _plus(reference, to_monday + (7 if m["week"] == "下" else -7) + weekday - 1)
        elif m["week"]:  # this week's
            day = _plus(reference, to_monday + weekday - 1)
        else:
            ahead = (weekday - reference.isoweekday()) % 7
            day = _plus(reference, ahead if ahead <= 3 else ahead - 7)
        take(m)
        if day is not None:
            yield m.start(), m.end(), "DATE", day.isoformat()
    for m in _WEEK.finditer(text):
        if not free(m):
            continue
        day = _plus(reference, 7 * _WEEK_SHIFT[m["week"]])
        take(m)
        if day is not None:
            year, week, _ = day.isocalendar()
            yield m.start(), m.end(), "DATE", f"{year:04d}-W{week:02d}"
