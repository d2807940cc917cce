"""TimeML values in words a reader uses: the one formatter every face shows dates with.

``2024-10-17`` → "17 Oct 2024"; ``2024-10`` with the qualifier "early" → "early October 2024";
``2024-10-27/2024-10-28`` → "27–28 Oct 2024"; ``2014-W11`` → "week of 10 Mar 2014";
``2025-03-01TEV`` → "1 Mar 2025, evening"; ``PRESENT_REF`` → "now". A value it does not know is
shown as it is (the value is never lost, only not reworded). Never raises.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import AFTER_YEAR

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_VALUE = re.compile(r"^(?P<year>\d{4}|XXXX)" + AFTER_YEAR)  # an unknown year (XXXX) still names a month
_DECADE = re.compile(r"^(?P<digits>\d{3})X?$")  # 199 (TimeML) or 199X: the 1990s
_CENTURY = re.compile(r"^(?P<digits>\d{2})(?:XX)?$")


def _short(month: int) -> str:
    return _MONTHS[month - 1][:3]


def _day(d: date) -> str:
    return f"{d.day} {_short(d.month)} {d.year}"


def _one(value: str) -> tuple[str, date | None, str | None]:
    """One value in words, and the day it names (for a range's shared month and year) with its
    time of day, when it names a day."""
    if value in _REFS:
        return _REFS[value], None, None
    m = _VALUE.match(value)
    if m is None:
        if (decade := _DECADE.match(value)) and value[:1] != "0":
            return f"the {decade['digits']}0s", None, None
        if (c := _CENTURY.match(value)) and value[:1] != "0":
            n = int(c["digits"]) + 1
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            return f"the {n}{suffix} century", None, None
        return value, None, None
    year = None if m["year"] == "XXXX" else int(m["year"])
    shown_year = f" {year}" if year is not None else ""
    try:
        if m["day"]:
            month, day = int(m["month"]), int(m["day"])
            if year is None:
                if not (1 <= month <= 12 and 1 <= day <= 31):
                    return value, None, None
                text = f"{day} {_short(month)} (year not known)"
                return _with_time(text, m["time"]), None, None
            d = date(year, month, day)
            return _with_time(_day(d), m["time"]), d, m["time"]
        if m["month"]:
            month = int(m["month"])
            if not 1 <= month <= 12:
                return value, None, None
            return f"{_MONTHS[month - 1]}{shown_year}", None, None
        if m["week"]:
            if year is None:
                return f"week {int(m['week'])} (year not known)", None, None
            monday = date.fromisocalendar(year, int(m["week"]), 1)
            if m["weekday"] == "WE":
                return f"weekend of {_day(date.fromordinal(monday.toordinal() + 5))}", None, None
            if m["weekday"]:
                d = date.fromordinal(monday.toordinal() + int(m["weekday"]) - 1)
                return _with_time(_day(d), m["time"]), d, m["time"]
            return f"week of {_day(monday)}", None, None
        if m["quarter"]:
            return f"{_ORDINALS[int(m['quarter'])]} quarter of{shown_year or ' an unknown year'}", None, None
        if m["half"]:
            return f"{_ORDINALS[int(m['half'])]} half of{shown_year or ' an unknown year'}", None, None
        if m["season"]:
            return f"{_SEASONS[m['season']]}{shown_year}", None, None
        return (str(year) if year is not None else "year not known"), None, None
    except ValueError:  # 2024-02-30, week 54 of a 52-week year: not a date
        return value, None, None


def _with_time(text: str, time: str | None) -> str:
    if not time:
        return text
    return f"{text}, {_PARTS_OF_DAY.get(time, time)}"


def human_date(value: str, qualifier: str | None = None) -> str:
    """``value`` (a TimeML date value or a range ``A/B``) in words, with its ``qualifier``
    ("early", "late", "mid", "about", "before", ...) in front."""
    text = (_range(value) if "/" in value else _one(value)[0]) or value  # "/": nothing to reword
    if not qualifier:
        return text
    if qualifier == "mid":
        return f"mid-{text}"
    return f"{qualifier} {text}"


def _range(value: str) -> str:
    first, _, last = value.partition("/")
    a_text, a, a_time = _one(first)
    b_text, b, b_time = _one(last)
    if a is not None and b is not None and not a_time and not b_time and a < b:
        if a.year == b.year and a.month == b.month:
            return f"{a.day}–{b.day} {_short(a.month)} {a.year}"
        if a.year == b.year:
            return f"{a.day} {_short(a.month)} – {b.day} {_short(b.month)} {a.year}"
    if a_text == b_text or not (first and last):  # one end only: that end
        return a_text or b_text
    return f"{a_text} – {b_text}"


def human_day(published: str | None) -> str:
    """A stored publication value (``2024-10-28``, ``2024-10-28T09:00:00+00:00``) as a day in
    words ("28 Oct 2024"); "undated" for none; the value itself when it is not a date."""
    if not published:
        return "undated"
    try:
        return _day(date.fromisoformat(published[:10]))
    except ValueError:
        return published


def human_span(first: str | None, last: str | None) -> str:
    """The days between two publication values in words: "27 Oct 2024", "27–28 Oct 2024",
    "30 Oct – 2 Nov 2024"; "undated" when neither is a date."""
    days = []
    for value in (first, last):
        try:
            days.append(date.fromisoformat(value[:10]) if value else None)
        except ValueError:
            days.append(None)
    a, b = days
    if a is None or b is None:
        known = a or b
        return _day(known) if known else "undated"
    if a > b:
        a, b = b, a
    if a == b:
        return _day(a)
    return _range(f"{a.isoformat()}/{b.isoformat()}")
