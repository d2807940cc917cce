"""TimeML date values as calendar intervals, so a timeline can place and order them.

A value such as ``2024-10-17``, ``2024-10``, ``2024-W43``, ``2024-Q3`` or a range
``2024-10-27/2024-10-28`` names an interval of time; :func:`date_bounds` gives it as
``[start, end)``. Values that name no fixed interval (``PRESENT_REF``, ``P3D``,
``XXXX-WXX-1``) give ``None``: they cannot be placed on a timeline. Entries sort by the
start of their interval, and at equal starts the narrower (more specific) first, so
October 2024 comes before 17 October and 17 October before 17–18 October.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# TimeML ``mod`` → the word a reader sees (``early October``); unknown mods are shown lower-cased.
QUALIFIERS = {
    "START": "early",
    "MID": "mid",
    "END": "late",
    "APPROX": "about",
    "BEFORE": "before",
    "AFTER": "after",
    "ON_OR_BEFORE": "on or before",
    "ON_OR_AFTER": "on or after",
}
# Order of qualified values at equal bounds: "early October" is narrower than "October".
_QUALIFIER_RANK = {"before": 0, "on or before": 0, "early": 1, None: 2, "about": 2, "mid": 3, "late": 4,
                   "on or after": 5, "after": 5}

# A TimeML date value after its year: a month (and day), a week (and weekday), a quarter, a half
# or a season, then a time or a part of the day.
AFTER_YEAR = (
    r"(?:"
    r"-(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|-W(?P<week>\d{2})(?:-(?P<weekday>[1-7]|WE))?"
    r"|-Q(?P<quarter>[1-4])"
    r"|-H(?P<half>[12])"
    r"|-(?P<season>SP|SU|FA|WI)"
    r")?(?:T(?P<time>\d{2}(?::\d{2}(?::\d{2})?)?|MO|AF|EV|NI|DT))?$"
)
_DATE = re.compile(r"^(?P<year>\d{4})" + AFTER_YEAR)
_DECADE_OR_CENTURY = re.compile(r"^\d{2,3}$")  # TimeML "202" is the 2020s, "20" the 2000s (century)
_SEASON_MONTHS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "WI": (12, 15)}  # WI runs into next year
_PART_OF_DAY = {"MO": (6, 12), "AF": (12, 18), "EV": (18, 24), "NI": (21, 30), "DT": (9, 17)}


def qualifier(mod: str | None) -> str | None:
    """The reader's word for a TimeML ``mod`` (``START`` → ``early``), or ``None``."""
    if not mod:
        return None
    return QUALIFIERS.get(mod, mod.lower().replace("_", " "))


def date_bounds(value: str) -> tuple[datetime, datetime] | None:
    """``[start, end)`` of a TimeML date value, or ``None`` when it names no fixed interval."""
    if "/" in value:
        first, _, last = value.partition("/")
        a, b = date_bounds(first), date_bounds(last)
        if a is None or b is None or b[0] < a[0]:  # a range that ends before it starts
            return None
        return a[0], max(a[1], b[1])
    if _DECADE_OR_CENTURY.match(value):
        span = 10 ** (4 - len(value))
        year = int(value) * span
        return (_at(year, 1, 1), _at(year + span, 1, 1)) if year else None
    m = _DATE.match(value)
    if m is None:
        return None
    try:
        return _bounds(m)
    except ValueError:  # 2024-02-30, week 54: not a date
        return None


def _at(year: int, month: int, day: int) -> datetime:
    # Month arithmetic may run past December (a winter season, the end of a quarter).
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, day)


def _bounds(m: re.Match[str]) -> tuple[datetime, datetime]:
    year = int(m["year"])
    if m["day"]:
        start = datetime(year, int(m["month"]), int(m["day"]))
        end = start + timedelta(days=1)
    elif m["month"]:
        month = int(m["month"])
        start, end = _at(year, month, 1), _at(year, month + 1, 1)
    elif m["week"]:
        monday = datetime.combine(date.fromisocalendar(year, int(m["week"]), 1), datetime.min.time())
        if m["weekday"] == "WE":
            start, end = monday + timedelta(days=5), monday + timedelta(days=7)
        elif m["weekday"]:
            start = monday + timedelta(days=int(m["weekday"]) - 1)
            end = start + timedelta(days=1)
        else:
            start, end = monday, monday + timedelta(days=7)
    elif m["quarter"]:
        first = 3 * (int(m["quarter"]) - 1) + 1
        start, end = _at(year, first, 1), _at(year, first + 3, 1)
    elif m["half"]:
        first = 6 * (int(m["half"]) - 1) + 1
        start, end = _at(year, first, 1), _at(year, first + 6, 1)
    elif m["season"]:
        first, last = _SEASON_MONTHS[m["season"]]
        start, end = _at(year, first, 1), _at(year, last, 1)
    else:
        start, end = _at(year, 1, 1), _at(year + 1, 1, 1)
    time = m["time"]
    if time is None:
        return start, end
    if not m["day"]:
        raise ValueError("a time of day needs a day")
    if time in _PART_OF_DAY:
        a, b = _PART_OF_DAY[time]
        return start + timedelta(hours=a), start + timedelta(hours=b)
    parts = [int(p) for p in time.split(":")]
    moment = start.replace(hour=parts[0], minute=parts[1] if len(parts) > 1 else 0,
                           second=parts[2] if len(parts) > 2 else 0)
    step = (timedelta(hours=1), timedelta(minutes=1), timedelta(seconds=1))[len(parts) - 1]
    return moment, moment + step


def is_placeable(value: str) -> bool:
    """True for a value that names a fixed interval of the calendar."""
    return date_bounds(value) is not None


def order_key(value: str, qualifier: str | None = None) -> tuple[datetime, timedelta, int]:
    """Sort key of a dated entry: its start, then the narrower first, then by qualifier."""
    bounds = date_bounds(value)
    if bounds is None:
        raise ValueError(f"{value!r} is not a calendar date value (e.g. 2024-10-17, 2024-10, 2024-W43)")
    start, end = bounds
    return start, end - start, _QUALIFIER_RANK.get(qualifier, 2)


def reference_date(published: str | None) -> date | None:
    """The day an article was published (the anchor of relative dates), or ``None``."""
    if not published:
        return None
    try:
        if "T" in published:
            return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
