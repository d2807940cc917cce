"""Calendar arithmetic behind TimeML values: granular points, shifts, and anchoring by tense.

A :class:`Point` is a date known to some grain (day, week, month, quarter, half, season,
year, decade, century); ``year is None`` when there is no reference date to resolve it
against, and its value is then written with ``X`` as TimeML does (``XXXX-10-17``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

Tense = Literal["past", "future", "present"]
Grain = Literal["day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century"]

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(slots=True, frozen=True)
class Point:
    grain: Grain
    year: int | None
    month: int = 1
    day: int = 1
    part: str = ""  # a TimeML part-of-day (MO, AF, EV, NI) or a clock time "T15:30"
    season: str = ""
    quarter: int = 0
    half: int = 0

    @staticmethod
    def of(date: dt.date, grain: Grain) -> Point:
        if grain == "quarter":
            return Point("quarter", date.year, date.month, 1, quarter=(date.month - 1) // 3 + 1)
        if grain == "half":
            return Point("half", date.year, date.month, 1, half=1 if date.month <= 6 else 2)
        return Point(grain, date.year, date.month, date.day)

    def date(self) -> dt.date:
        """The first day of the point (a week: its Monday), for ordering and arithmetic."""
        if self.year is None:
            raise ValueError("an unanchored point has no date")
        if self.grain in ("week", "weekend"):
            iso = dt.date(self.year, self.month, self.day).isocalendar()
            return dt.date.fromisocalendar(iso[0], iso[1], 1)
        if self.grain == "quarter":
            return dt.date(self.year, 3 * (self.quarter - 1) + 1, 1)
        if self.grain == "half":
            return dt.date(self.year, 1 if self.half == 1 else 7, 1)
        if self.grain == "season":
            return dt.date(self.year, _SEASON_START[self.season], 1)
        if self.grain in ("year", "decade", "century"):
            return dt.date(self.year, 1, 1)
        if self.grain == "month":
            return dt.date(self.year, self.month, 1)
        return dt.date(self.year, self.month, self.day)

    def value(self) -> str:
        year = f"{self.year:04d}" if self.year is not None else "XXXX"
        if self.grain == "day":
            base = f"{year}-{self.month:02d}-{self.day:02d}"
            if self.part:
                return base + (self.part if self.part.startswith("T") else "T" + self.part)
            return base
        if self.grain in ("week", "weekend"):
            if self.year is None:
                return "XXXX-WXX" + ("-WE" if self.grain == "weekend" else "")
            iso_year, week, _ = dt.date(self.year, self.month, self.day).isocalendar()
            return f"{iso_year:04d}-W{week:02d}" + ("-WE" if self.grain == "weekend" else "")
        if self.grain == "month":
            return f"{year}-{self.month:02d}"
        if self.grain == "quarter":
            return f"{year}-Q{self.quarter}"
        if self.grain == "half":
            return f"{year}-H{self.half}"
        if self.grain == "season":
            return f"{year}-{self.season}"
        if self.grain == "decade":
            return year[:3]
        if self.grain == "century":
            return year[:2]
        return year


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last))


def shift(date: dt.date, amount: int, unit: str) -> dt.date:
    """``date`` moved by ``amount`` units (day, week, weekend, fortnight, month, quarter, half, year, decade…)."""
    if unit in ("day", "night"):
        return date + dt.timedelta(days=amount)
    if unit in ("week", "weekend"):
        return date + dt.timedelta(weeks=amount)
    if unit == "fortnight":
        return date + dt.timedelta(weeks=2 * amount)
    if unit == "month":
        return add_months(date, amount)
    if unit == "quarter":
        return add_months(date, 3 * amount)
    if unit == "half":
        return add_months(date, 6 * amount)
    if unit == "year":
        return add_months(date, 12 * amount)
    if unit == "decade":
        return add_months(date, 120 * amount)
    if unit == "century":
        return add_months(date, 1200 * amount)
    raise ValueError(f"unknown unit {unit!r}")


# How much farther a candidate counts on the side the sentence's tense does not point to;
# a sentence that only reports ("said …") or has no marker leans to the past, as news does.
AGAINST_TENSE = 3.0
PRESENT_FUTURE = 1.5
# Beyond a month, a candidate against the tense is a misreading, not a publication date that is
# a few days off: "In January, X brought in …" said in late October is last January even
# though next January is nearer.
NEAR_DAYS = 31
FAR_AGAINST_TENSE = 10.0
# The verb that governs a date mostly comes before it ("will double its flights by August in
# a search for markets untouched …"): a marker after the expression counts twice as far.
AFTER_WEIGHT = 2.0


def _against(days: int) -> float:
    return days * AGAINST_TENSE + max(0, days - NEAR_DAYS) * (FAR_AGAINST_TENSE - AGAINST_TENSE)


def _pick(candidates: list[tuple[dt.date, dt.date]], ref: dt.date, tense: Tense) -> int:
    """Index of the candidate (start, end) nearest ``ref``, a candidate on the side the
    ``tense`` does not point to counting as farther: "On October 17" said on 2024-10-28 is
    2024-10-17; "will be ready as early as November 1" is 2024-11-01; "the hearing is set for
    Jan. 14" said on 2025-01-02 is 2025's, not 2024's. A cost, not a rule: publication dates
    are often a day or a week off the text's own "now", and a hard past rule loses more such
    dates than it saves (value F1 0.770 against 0.790 on TempEval-3 TBAQ)."""

    def cost(i: int) -> float:
        s, e = candidates[i]
        if s <= ref <= e:
            return 0.0
        if e < ref:
            days = (ref - e).days
            return _against(days) if tense == "future" else days
        days = (s - ref).days
        return _against(days) if tense == "past" else days * (PRESENT_FUTURE if tense == "present" else 1.0)

    return min(range(len(candidates)), key=lambda i: (cost(i), -candidates[i][0].toordinal()))


def easter(year: int) -> dt.date:
    """Western Easter Sunday of ``year`` (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (ISO, Monday = 1) of the month; ``n = -1``: the last one."""
    if n < 0:
        last = month_end(year, month)
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))


# Holidays whose date moves from year to year: from Easter (days after it), or the n-th weekday
# of a month (month, ISO weekday, n; -1 the last), or days after Thanksgiving (the fourth
# Thursday of November).
_FROM_EASTER = {"easter": 0, "easter sunday": 0, "easter day": 0, "easter monday": 1, "good friday": -2,
                "holy saturday": -1, "maundy thursday": -3, "holy thursday": -3, "palm sunday": -7,
                "ash wednesday": -46, "shrove tuesday": -47, "ascension day": 39, "pentecost": 49,
                "pentecost sunday": 49, "whit sunday": 49, "whitsunday": 49, "whit monday": 50}
_NTH_WEEKDAY = {"martin luther king day": (1, 1, 3), "martin luther king jr. day": (1, 1, 3),
                "martin luther king, jr. day": (1, 1, 3), "mlk day": (1, 1, 3), "presidents day": (2, 1, 3),
                "presidents' day": (2, 1, 3), "mother's day": (5, 7, 2), "memorial day": (5, 1, -1),
                "father's day": (6, 7, 3), "labor day": (9, 1, 1), "columbus day": (10, 1, 2),
                "thanksgiving": (11, 4, 4), "thanksgiving day": (11, 4, 4)}
_FROM_THANKSGIVING = {"black friday": 1, "cyber monday": 4}
MOVING_HOLIDAYS = frozenset(_FROM_EASTER) | frozenset(_NTH_WEEKDAY) | frozenset(_FROM_THANKSGIVING)


def moving_holiday(name: str, year: int) -> dt.date:
    """The date of a holiday of :data:`MOVING_HOLIDAYS` (lower case, single spaces) in ``year``."""
    if name in _FROM_EASTER:
        return easter(year) + dt.timedelta(days=_FROM_EASTER[name])
    if name in _FROM_THANKSGIVING:
        return moving_holiday("thanksgiving", year) + dt.timedelta(days=_FROM_THANKSGIVING[name])
    month, weekday, n = _NTH_WEEKDAY[name]
    return nth_weekday(year, month, weekday, n)


def anchor_holiday(name: str, ref: dt.date, tense: Tense) -> dt.date:
    """The date of a moving holiday said without a year at ``ref`` in a ``tense`` sentence: of
    the year before, of or after it, as :func:`anchor_year` picks a year-less date's."""
    days = [moving_holiday(name, ref.year + k) for k in (-1, 0, 1)]
    return days[_pick([(d, d) for d in days], ref, tense)]


def day_or_none(year: int, month: int, day: int) -> dt.date | None:
    """The date, or ``None`` where the calendar has none (30 February, year 0 or 10000)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def nearest_day(reference: dt.date, month: int, day: int) -> dt.date | None:
    """The date of ``month`` and ``day`` nearest ``reference`` (the year before, of, or after it;
    the earlier at a tie): a year-less date as news speaks of the days around its own."""
    dates = [d for d in (day_or_none(reference.year + k, month, day) for k in (-1, 0, 1)) if d is not None]
    return min(dates, key=lambda d: (abs((d - reference).days), d > reference)) if dates else None


def month_end(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def anchor_year(month: int, day: int | None, ref: dt.date | None, tense: Tense) -> int | None:
    """The year of a year-less ``month`` (and ``day``) said at ``ref`` in a ``tense`` sentence."""
    if ref is None:
        return None
    years = [ref.year - 1, ref.year, ref.year + 1]
    candidates = []
    for year in years:
        if day is not None:
            try:
                d = dt.date(year, month, day)
            except ValueError:
                d = month_end(year, month)
            candidates.append((d, d))
        else:
            candidates.append((dt.date(year, month, 1), month_end(year, month)))
    return years[_pick(candidates, ref, tense)]


def anchor_weekday(weekday: int, ref: dt.date, tense: Tense) -> dt.date:
    """The date of ``weekday`` (ISO, Monday = 1) nearest ``ref`` in the direction of ``tense``:
    the same or an earlier day for past and present sentences, the same or a later one for
    future ones. The reference's own weekday is the reference day whatever the tense: wire
    copy names the day of the story by its weekday ("will meet Friday", written on a Friday)."""
    delta = weekday - ref.isoweekday()
    if tense == "future":
        return ref + dt.timedelta(days=delta if delta >= 0 else delta + 7)
    return ref + dt.timedelta(days=delta if delta <= 0 else delta - 7)


def anchor_season(season: str, ref: dt.date, tense: Tense, relative: int | None) -> int:
    """The year of a season said at ``ref``: ``relative`` −1 for "last", +1 for "next", 0 for "this"."""
    start = {y: dt.date(y, _SEASON_START[season], 1) for y in (ref.year - 1, ref.year, ref.year + 1)}
    current = max((y for y, s in start.items() if s <= ref), default=ref.year - 1)
    ends_current = add_months(start[current], 3) > ref
    if relative == 0:
        # "this summer" is this year's, over or not ("began trading this summer", said in
        # November); only winter straddles two years, and in January it is the one under way.
        if season == "WI":
            return ref.year - 1 if ref.month <= 2 else ref.year
        return ref.year
    if relative == -1:
        return current - 1 if ends_current else current
    if relative == 1:
        return current + 1
    candidates = [(start[y], add_months(start[y], 3) - dt.timedelta(days=1)) for y in sorted(start)]
    return sorted(start)[_pick(candidates, ref, tense)]


# A verb group that starts with a future auxiliary is future however it ends ("will be named",
# "would be paid"): the participle alone would read as past. "effective Feb. 1" and "payable
# Jan. 2" date a change or a payment still to come.
_FUTURE = re.compile(r"\b(?:(?:(?:is|are)\s+)?to\s+be\s+(?:completed|finished|held|signed|released|announced|"
                     r"named|paid|made|decided|voted|opened|closed|ready)\b|(?:will|won't|wo n't|shall|'ll)(?:\s+not)?(?:\s+(?:be|have|have\s+been)\s+[a-z]+)?|"
                     r"would(?:\s+not)?\s+be\s+[a-z]+|"
                     r"going to|plans? to|planned to|intends? to|expects? to|effective|payable|"
                     # verbs of intent, promise and likelihood look ahead through their infinitive
                     r"(?:supposed|hopes?|hoped|aims?|aimed|wants?|wanted|seeks?|sought|agreed|promised|vowed|"
                     r"pledged|threatened|decided|likely|unlikely|ready)\s+to|"
                     r"expected to|scheduled|set to|due (?:to|on|in)|is to|are to|upcoming|next|coming|"
                     r"would(?= (?:begin|start|take place|open|close|end|expire|resume|meet|vote|visit|arrive)))\b",
                     re.IGNORECASE)
_PAST = re.compile(r"\b(?:was|were|had|has\s+been|have\s+been|did|ago|last|earlier|previously|"
                   r"began|came|went|took|made|gave|held|left|met|won|lost|fell|rose|saw|sent|led|"
                   r"found|brought|became|spent|paid|sold|bought|struck|fought|flew|ran|kept|"
                   # irregular past forms, and the "-ed" forms too short for the rule below; none
                   # is also a common noun or present form ("lay", "bore", "hit", "cut" are left out)
                   r"spoke|wrote|broke|chose|drove|drew|grew|threw|knew|blew|froze|forgot|forgave|"
                   r"fled|died|tied|lied|shed|hid|stood|understood|withdrew|overtook|undertook|"
                   r"stole|swore|tore|woke|shook|sank|swam|sang|rang|sprang|stuck|stung|swung|"
                   r"taught|caught|thought|built|dealt|heard|meant|slept|swept|wept|"
                   r"arose|fed|bled|sped|slid|spun|rode|strode|dug|"
                   # an "-ed" word after a determiner is an adjective ("the reduced dividend", "a
                   # still unspecified date"), not a verb in the past
                   r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bhis\s)(?<!\bher\s)"
                   r"(?<!\bstill\s)(?<!\bnewly\s)[a-z]{3,}ed)\b",
                   re.IGNORECASE)
# Reporting verbs date the report, not what it reports: "said that troops will arrive on …".
_REPORTING = re.compile(r"\b(?:said|says|told|tells|reported|reports|announced|added|noted|stated|warned|"
                        r"claimed|confirmed|denied|according\s+to)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # Both sides are bounded: without a sentence break nearby, the "sentence" reaching back to the
    # start of the text made every expression's tense cost the length of the text before it.
    left = max(0, start - 400)
    for m in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = m.end()
    after = _SENTENCE_END.search(text, end, min(len(text), end + 400))
    return left, (after.start() if after else min(len(text), end + 400))


# A date right beside a reporting verb in the past dates the report, not what it reports: "he
# said on Monday that …", "officials told reporters Friday …", "the ministry on Tuesday announced …".
_REPORTED = (r"said|told|reported|announced|added|noted|stated|warned|claimed|confirmed|denied|spoke|wrote|"
             r"testified|tweeted|insisted|acknowledged|admitted")
# Before the date: the verb, "told" with its hearers ("told reporters", "told the committee"),
# and a preposition or edge word ("said on", "said late").
_REPORTED_BEFORE = re.compile(rf"\b(?:told\s+(?:the\s+)?[a-z]+|{_REPORTED})(?:\s+(?:on|in|late|early|last))?\s*$",
                              re.IGNORECASE)
_REPORTED_AFTER = re.compile(rf"\s*,?\s*(?:{_REPORTED})\b", re.IGNORECASE)


def tense_at(text: str, start: int, end: int) -> Tense:
    """The tense the expression at ``text[start:end]`` is read in: ``past`` when it stands right
    beside a reporting verb in the past (it dates the report); else that of the nearest future
    or past marker of its sentence (one after the expression counting ``AFTER_WEIGHT`` times as
    far); ``present`` when the nearest is a reporting verb or there is none."""
    left, right = sentence_bounds(text, start, end)
    if _REPORTED_BEFORE.search(text, max(left, start - 40), start) or _REPORTED_AFTER.match(text, end, right):
        return "past"
    best: tuple[float, Tense] | None = None
    markers: tuple[tuple[re.Pattern[str], Tense], ...] = ((_FUTURE, "future"), (_REPORTING, "present"), (_PAST, "past"))
    for pattern, tense in markers:
        for m in pattern.finditer(text, left, right):
            if start <= m.start() < end:
                continue  # the expression's own words ("last week") do not set the tense
            distance = start - m.end() if m.end() <= start else (m.start() - end) * AFTER_WEIGHT
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else "present"


def with_part(point: Point, part: str) -> Point:
    return replace(point, part=part)
