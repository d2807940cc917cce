"""Temporal expressions (TimeML TIMEX3) in English news text, normalised against a reference date.

A small grammar of regular expressions finds candidate expressions; overlapping candidates
are resolved longest first; each survivor is then normalised in text order, so anaphoric
expressions ("the next day", "a year earlier") are anchored on the last date the text
named. Year-less dates take the year their sentence's tense points to: news is
past-anchored ("On October 17" in an article of 2024-10-28 is 2024-10-17) unless the
sentence speaks of the future ("will be ready as early as November 1" is 2024-11-01).

Types and values follow TimeML: DATE (``2024-10-17``, ``2024-10``, ``2024-W43``,
``2024-Q3``, ``PRESENT_REF``), TIME (``2024-10-17T15:00``, ``2024-10-17TMO``), DURATION
(``P3D``, ``PT2H``, ``PXY``) and SET (``P1D`` for "daily", ``XXXX-WXX-1`` for "every
Monday"); a range such as "October 27-28" is one DATE whose value is the ISO interval
``2024-10-27/2024-10-28``; ``mod`` carries "early" (START), "late" (END), "mid" (MID),
"about" (APPROX), "more than" (MORE_THAN) and their kin.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ...errors import BudgetExceeded
from ...records import pickled_by_fields
from ..words import has_cjk
from . import lexicon as lx
from ..function_words import mostly_other_language
from .calendar import (
    Grain,
    Point,
    Tense,
    MOVING_HOLIDAYS,
    anchor_holiday,
    anchor_season,
    anchor_weekday,
    anchor_year,
    moving_holiday,
    shift,
    tense_at,
)
from .cjk import tag_cjk
from .month_names import OTHER_LANGUAGE_CHARS, tag_month_names
from .named_days import tag_named_days
from .titles import in_titles, title_spans

_WORDS = re.compile(r"[^\W\d_]+")  # letters only: a text's words, for its language

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")


@pickled_by_fields
@dataclass(slots=True, frozen=True)
class Timex:
    """One temporal expression: ``text[start:end]`` of the tagged text, its TimeML type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"start": self.start, "end": self.end, "text": self.text, "type": self.type,
                                  "value": self.value}
        if self.mod:
            out["mod"] = self.mod
        return out


# --- the grammar's pieces -----------------------------------------------------------------

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b)"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d,]\d)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
POD = r"(?:morning|afternoon|evening|night)"
# A time zone after a clock time belongs to it ("10:30 a.m. EST", "3 p.m. local time").
ZONE = r"(?:\s+(?:[ECMP][SD]T|GMT|UTC|BST|CET|local\s+time)\b)"
NUM = rf"(?:\d+(?:\.\d+)?|{lx.NUMBER_WORD})"
VAGUE = r"(?:several|a\s+few|few|many|some|a\s+couple\s+of|couple\s+of|numerous|a\s+number\s+of)"
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century)"
UNITS = r"(?:seconds|minutes|hours|days|nights|weeks|months|quarters|years|decades|centuries)"
# A year named relative to the reference, after a part of it: "the first half of this year",
# "the third quarter of last year". TimeML tags the whole phrase as one DATE, as it does
# "the third quarter of 1984"; cut in two, each half carries only part of the value.
OF_REL_YEAR = r"\s+of\s+(?P<ofrel>this|last|next|the(?:\s+(?:current|previous|following))?)\s+year\b"
# The same after a day or a month, without "of": "March 3 last year", "July next year".
REL_YEAR = r"\s+(?P<yrel>this|last|next)\s+year\b"

# "this past spring", "this coming Sunday": "this" before "past" or "coming" belongs to the phrase.
THIS_PAST = r"(?:this\s+(?=(?:past|coming)\b))?"

# Modifiers before an expression; the TimeML guidelines put them inside the TIMEX3.
# "the" before "early", "late" and "mid" belongs to the phrase ("the late 1970s", "the early
# summer"), as it does before the bare expression ("the 1970s"); "around" a date is APPROX.
_POINT_MODS = [
    (r"the\s+(?:very\s+)?(?:end|close)\s+of", "END"), (r"the\s+(?:beginning|start)\s+of", "START"),
    (r"the\s+middle\s+of", "MID"), (r"(?:the\s+)?early", "START"), (r"earlier", "START"), (r"(?:the\s+)?late", "END"),
    (r"later", "END"), (r"(?:the\s+)?mid-?", "MID"),
    (r"post-", "AFTER"), (r"pre-", "BEFORE"), (r"around", "APPROX"), (r"roughly", "APPROX"),
    (r"approximately", "APPROX"),
]
# "over" is "more than" only after a preposition ("for over a year"); after a verb or a noun it
# is the preposition itself ("evolved over several years", "spread over three years").
_OVER = "".join(rf"(?<=\b{p}\s)" if i == 0 else rf"|(?<=\b{p}\s)"
                for i, p in enumerate(("for", "in", "of", "to", "than", "after", "within", "since", "from")))
_DURATION_MODS = [
    (r"more\s+than", "MORE_THAN"), (rf"(?:{_OVER})over", "MORE_THAN"), (r"less\s+than", "LESS_THAN"),
    (r"at\s+least", "EQUAL_OR_MORE"), (r"no\s+more\s+than", "EQUAL_OR_LESS"), (r"up\s+to", "EQUAL_OR_LESS"),
    (r"nearly", "EQUAL_OR_LESS"), (r"almost", "LESS_THAN"), (r"about", "APPROX"), (r"around", "APPROX"),
    (r"roughly", "APPROX"), (r"approximately", "APPROX"), (r"some", "APPROX"),
]
_POINT_MOD_RE = re.compile(r"(?:" + "|".join(f"(?P<m{i}>\\b{p})" for i, (p, _) in enumerate(_POINT_MODS))
                           + r")[\s]*$", re.IGNORECASE)
_DURATION_MOD_RE = re.compile(r"(?:" + "|".join(f"(?P<m{i}>\\b{p})" for i, (p, _) in enumerate(_DURATION_MODS))
                              + r")\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Context:
    """What normalisation needs besides the match: the text, the reference date, the last anchor."""

    text: str
    reference: dt.date | None
    anchor: Point | None = None
    # The tense of the sentence a part was cut from ("9 a.m. on Tuesday" in "will vote at 9 a.m.
    # on Tuesday"): the part alone has no verb to read one from.
    fixed_tense: Tense | None = None
    _tenses: dict[tuple[int, int], Tense] = field(default_factory=dict)

    def tense(self, start: int, end: int) -> Tense:
        if self.fixed_tense is not None:
            return self.fixed_tense
        key = (start, end)
        if key not in self._tenses:
            self._tenses[key] = tense_at(self.text, start, end)
        return self._tenses[key]


@dataclass(slots=True, frozen=True)
class Norm:
    """A normalised expression: type, value, and the point it names (for anchoring what follows)."""

    type: str
    value: str
    point: Point | None = None
    mod: str | None = None


Builder = Callable[[re.Match[str], Context], Norm | None]


@dataclass(slots=True, frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Builder
    check: Callable[[re.Match[str], str], bool] | None = None


_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Lower-case words a rule's expressions always contain: a window without any of them skips
# the rule (a speed-up only; the equality with a full scan is tested).
_NEEDS: dict[str, tuple[str, ...]] = {
    "month_day": _MONTH_WORDS, "day_month": _MONTH_WORDS, "month_year": _MONTH_WORDS, "month": _MONTH_WORDS,
    "week_of": _MONTH_WORDS, "part_of_date": ("morning of", "afternoon of", "evening of", "night of"), "weekday": _WEEKDAY_WORDS, "iso": ("-",), "numeric": ("/",),
    "decade": ("0s", "0's", "0’s"), "season": ("spring", "summer", "fall", "autumn", "winter"),
    "holiday": ("christmas", "thanksgiving", "new year", "independence", "halloween", "valentine", "veterans",
                "boxing", "may day", "easter", "pentecost", "whit", "ascension", "luther", "mlk", "president",
                "mother", "memorial", "father", "labor", "columbus", *_WEEKDAY_WORDS),  # "Good Friday", …
    "ago": ("ago", "earlier", "before", "after", "from now", "hence"),
    "year_earlier": ("year-", "year "), "quarter": ("quarter",), "half": ("half",),
    "this_year_earlier": ("earlier", "later"), "that_year": ("earlier", "later"),
    "clock": ("m",), "clock_day": ("noon", "midday", "midnight", "m"), "noon": ("noon", "midday", "midnight"),
    "weekend": ("weekend",), "year_end": ("end", "close", "beginning", "start", "middle"), "decade_words": ("ties",), "century": ("century",),
    "fiscal_year": ("year",), "period": ("period",), "spelled_year": ("nineteen", "eighteen", "twenty", "thousand"),
    "relative_day": ("day", "morning", "afternoon", "evening", "night"),
    "part_of_day_alone": ("morning", "afternoon", "evening", "night"),
    "frequency": ("once", "twice", "thrice", "times"), "fraction": ("half", "quarter"),
    "set": ("daily", "nightly", "weekly", "monthly", "annually", "yearly", "hourly", "every", "each", "per ",
            "days", "day night", "day morning", "day evening", "day afternoon"),
}


def _month(word: str) -> int:
    return lx.MONTHS[word.lower().rstrip(".")]


def _day(word: str) -> int:
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def _capitalised(m: re.Match[str], group: str) -> bool:
    word = m.group(group)
    return word is None or word[0].isupper()


def _point_day(year: int | None, month: int, day: int) -> Point | None:
    if year is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    elif not 1 <= day <= 31:
        return None
    return Point("day", year, month, day)


_YEAR_STEP = {"this": 0, "the": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1}


def _relative_year(m: re.Match[str], ctx: Context) -> int | None:
    """The year of an "of this year" / "last year" part of the match, or None without one."""
    rel = m.groupdict().get("ofrel") or m.groupdict().get("yrel")
    if rel is None or ctx.reference is None:
        return None
    return ctx.reference.year + _YEAR_STEP[re.sub(r"\s+", " ", rel.lower())]


def _ref_point(ctx: Context, grain: str = "day") -> Point | None:
    return Point.of(ctx.reference, grain) if ctx.reference else None  # type: ignore[arg-type]


# --- absolute dates ------------------------------------------------------------------------

def _build_month_day(m: re.Match[str], ctx: Context) -> Norm | None:
    month = _month(m.group("month"))
    day = _day(m.group("day"))
    year = int(m.group("year")) if m.group("year") else _relative_year(m, ctx)
    if year is None:
        year = anchor_year(month, day, ctx.reference, ctx.tense(m.start(), m.end()))
    start = _point_day(year, month, day)
    if start is None:
        return None
    day2 = m.group("day2") or m.groupdict().get("day2b")
    if day2:
        month2 = _month(m.group("month2")) if m.group("month2") else month
        year2 = year + (1 if year is not None and month2 < month else 0) if year is not None else None
        end = _point_day(year2, month2, _day(day2))
        if end is None or (year is not None and end.date() <= start.date()):
            return None
        return Norm("DATE", f"{start.value()}/{end.value()}", start)
    return Norm("DATE", start.value(), start)


def _build_day_month(m: re.Match[str], ctx: Context) -> Norm | None:
    return _build_month_day(m, ctx)


def _build_month_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """"June 1997", "June last year", "January nineteen ninety-seven"."""
    if m.group("year"):
        year: int | None = int(m.group("year"))
    elif m.group("spelled"):
        words = m.group("spelled").lower().replace("-", " ").split()
        century, rest = lx.number_value(words[0]), lx.number_value(" ".join(words[1:]))
        if century is None or rest is None:
            return None
        year = int(century) * 100 + int(rest)
    else:
        step = {"this": 0, "last": -1, "next": 1}[m.group("yrel").lower()]
        year = ctx.reference.year + step if ctx.reference else None
    point = Point("month", year, _month(m.group("month")))
    return Norm("DATE", point.value(), point)


def _build_month(m: re.Match[str], ctx: Context) -> Norm | None:
    month = _month(m.group("month"))
    rel = (m.group("rel") or "").lower()
    year: int | None
    if rel and ctx.reference:
        ref = ctx.reference
        if rel in ("last", "past", "previous"):
            year = ref.year if month < ref.month else ref.year - 1
        elif rel in ("next", "coming"):
            year = ref.year if month > ref.month else ref.year + 1
        elif rel == "this":
            year = ref.year
        else:
            year = anchor_year(month, None, ref, ctx.tense(m.start(), m.end()))
    else:
        year = anchor_year(month, None, ctx.reference, ctx.tense(m.start(), m.end()))
    point = Point("month", year, month)
    return Norm("DATE", point.value(), point)


def _check_month_alone(m: re.Match[str], text: str) -> bool:
    word = m.group("month")
    if not word[0].isupper():
        return False
    if word in ("May", "March") and not m.group("rel"):
        # "May" and "March" are a modal and a verb as often as months: a month needs a
        # preposition before it ("in May", "since March").
        before = text[max(0, m.start() - 12):m.start()].lower()
        return bool(re.search(r"\b(?:in|since|until|till|by|of|from|through|during|before|after|early|late|mid-?)\s*$",
                              before))
    return True


def _build_year(m: re.Match[str], ctx: Context) -> Norm | None:
    year = int(m.group("year"))
    point = Point("year", year)
    return Norm("DATE", point.value(), point)


def _check_year(m: re.Match[str], text: str) -> bool:
    before = text[max(0, m.start() - 2):m.start()]
    after = text[m.end():m.end() + 12]
    if re.search(r"[$£€#\d.,:/]$", before) or (before.endswith("-") and not re.search(
            r"\b(?:mid|pre|post)-$", text[max(0, m.start() - 5):m.start()], re.IGNORECASE)) or re.match(r"\s*(?:%|percent|[.,:/-]?\d)", after):
        return False
    # A count, not a year: "1500 troops", "2000 people" — unless a preposition of time says
    # otherwise ("the post-1959 politics", "in 1990 sales rose").
    if re.search(r"\b(?:in|since|by|until|till|from|through|of|to|during|before|after|early|late|mid|post|pre|"
                 r"fiscal|year|summer|spring|autumn|fall|winter)[\s-]*$", text[max(0, m.start() - 12):m.start()],
                 re.IGNORECASE):
        return True
    return not re.match(r"\s+(?:[a-z]+s|people|men|women|feet|miles|tons|pounds)\b", after)


def _build_decade(m: re.Match[str], ctx: Context) -> Norm | None:
    digits = m.group("decade")
    if len(digits) == 2:
        century = "19" if int(digits) > 20 else "20"
        digits = century + digits
    point = Point("decade", int(digits))
    return Norm("DATE", point.value(), point)


def _build_iso(m: re.Match[str], ctx: Context) -> Norm | None:
    point = _point_day(int(m.group("y")), int(m.group("mo")), int(m.group("d")))
    return Norm("DATE", point.value(), point) if point else None


def _build_numeric(m: re.Match[str], ctx: Context) -> Norm | None:
    year = int(m.group("y"))
    if year < 100:
        year += 1900 if year > 50 else 2000
    point = _point_day(year, int(m.group("mo")), int(m.group("d")))
    return Norm("DATE", point.value(), point) if point else None


def _build_season(m: re.Match[str], ctx: Context) -> Norm | None:
    season = lx.SEASONS[m.group("season").lower()]
    rel = (m.group("rel") or "").lower()
    if m.group("year"):
        year: int | None = int(m.group("year"))
    elif ctx.reference is None:
        year = None
    else:
        relative = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}.get(rel)
        year = anchor_season(season, ctx.reference, ctx.tense(m.start(), m.end()), relative)
    point = Point("season", year, season=season)
    return Norm("DATE", point.value(), point)


# Holidays by name: a fixed day, or one that moves from year to year (Easter and the days
# counted from it, the n-th weekday of a month, the days after Thanksgiving). Apostrophes either way.
_HOLIDAYS = lx.alternation(list(lx.FIXED_HOLIDAYS) + sorted(MOVING_HOLIDAYS)).replace("'", "['’]")
# A holiday's name in another name: the Good Friday Agreement, Easter Island, the Easter Rising.
_NOT_THE_DAY = r"(?:Agreement|Accords?|Island|Islanders?|Rising|Road|Parade|Bunny|[Ee]ggs?)\b"


def _build_holiday(m: re.Match[str], ctx: Context) -> Norm | None:
    name = re.sub(r"\s+", " ", m.group("holiday").lower()).replace("’", "'")
    year = int(m.group("year")) if m.group("year") else None
    if name in MOVING_HOLIDAYS:
        if year is not None:
            if not 1583 <= year <= 9999:  # the Gregorian computus, and a year the calendar holds
                return None
            day = moving_holiday(name, year)
        elif ctx.reference is not None:
            day = anchor_holiday(name, ctx.reference, ctx.tense(m.start(), m.end()))
        else:
            return None
        point = _point_day(day.year, day.month, day.day)
        return Norm("DATE", point.value(), point) if point else None
    month, date = lx.FIXED_HOLIDAYS[name]
    if year is None:
        year = anchor_year(month, date, ctx.reference, ctx.tense(m.start(), m.end()))
    point = _point_day(year, month, date)
    return Norm("DATE", point.value(), point) if point else None


# --- relative dates ------------------------------------------------------------------------

_DEICTIC = {
    "today": ("DATE", 0), "yesterday": ("DATE", -1), "tomorrow": ("DATE", 1), "tonight": ("TIME", 0),
}
_REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF", "right now": "PRESENT_REF", "at present": "PRESENT_REF",
         "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "the present": "PRESENT_REF",
         "recently": "PAST_REF", "lately": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF",
         "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
         "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "recent years": "PAST_REF",
         "soon": "FUTURE_REF"}


def _check_deictic(m: re.Match[str], text: str) -> bool:
    word = m.group("word").lower()
    after = text[m.end():m.end() + 12]
    if word in ("now", "the future") and re.match(r"\s+of\b", after):
        return False  # "the future of the peoples": a noun, not a time
    if word == "soon":
        # "as soon as", "soon after": a conjunction and a preposition, not a time of their own
        return not re.match(r"\s+(?:as|after|before|afterwards?|thereafter)\b", after, re.IGNORECASE) \
            and not re.search(r"\bas\s+$", text[max(0, m.start() - 4):m.start()], re.IGNORECASE)
    return True


def _build_deictic(m: re.Match[str], ctx: Context) -> Norm | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    pod = (m.group("pod") or "").lower()
    if word in _REFS:
        return Norm("DATE", _REFS[word])
    if word == "overnight":
        # The night before the report: "shares fell on overnight losses in New York".
        if ctx.reference is None:
            return Norm("TIME", "XXXX-XX-XXTNI")
        night = Point.of(ctx.reference - dt.timedelta(days=1), "day")
        return Norm("TIME", night.value() + "TNI", night)
    kind, offset = _DEICTIC[word]
    if ctx.reference is None:
        return Norm(kind, "XXXX-XX-XX" + ("TNI" if word == "tonight" else ""))
    point = Point.of(ctx.reference + dt.timedelta(days=offset), "day")
    if word == "tonight":
        return Norm("TIME", point.value() + "TNI", point)
    if pod:
        return Norm("TIME", point.value() + "T" + lx.PARTS_OF_DAY[pod], point)
    return Norm("DATE", point.value(), point)


def _build_part_of_day(m: re.Match[str], ctx: Context) -> Norm | None:
    rel = m.group("rel").lower()
    pod = lx.PARTS_OF_DAY[m.group("pod").lower()]
    if ctx.reference is None:
        return Norm("TIME", "XXXX-XX-XXT" + pod)
    offset = -1 if rel == "last" and pod == "NI" else {"yesterday": -1, "tomorrow": 1}.get(rel, 0)
    if rel == "last" and pod != "NI":
        offset = -1
    point = Point.of(ctx.reference + dt.timedelta(days=offset), "day")
    return Norm("TIME", point.value() + "T" + pod, point)


_REL_STEP = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1,
             "following": 1, "same": 0, "latest": -1, "recent": -1, "that": 0}


def _build_relative_unit(m: re.Match[str], ctx: Context) -> Norm | None:
    rel = m.group("rel").lower()
    unit = m.group("unit").lower()
    step = _REL_STEP[rel]
    anaphoric = rel in ("previous", "following", "same", "that")
    base: dt.date | None
    if anaphoric and ctx.anchor is not None and ctx.anchor.year is not None:
        base = ctx.anchor.date()
    else:
        base = ctx.reference
    grain = "weekend" if unit == "weekend" else unit
    if base is None:
        return Norm("DATE", {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                             "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}[unit])
    if unit == "quarter" and rel in ("latest", "recent", "past", "last", "previous") and not anaphoric:
        step = -1
    point = Point.of(shift(base, step, unit), grain)  # type: ignore[arg-type]
    return Norm("DATE", point.value(), point)


def _build_relative_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the next day", "the previous day", "that day", "the day before": from the last anchor."""
    phrase = re.sub(r"\s+", " ", m.group(0).lower())
    step = 1 if re.search(r"next|following|after", phrase) else -1 if re.search(r"previous|before", phrase) else 0
    if m.group("deictic"):
        # "the day before yesterday" is one day, counted from the reference, not two expressions.
        if ctx.reference is None:
            return Norm("DATE", "XXXX-XX-XX")
        point = Point.of(ctx.reference + dt.timedelta(days=2 * step), "day")
        return Norm("DATE", point.value(), point)
    base = ctx.anchor.date() if ctx.anchor and ctx.anchor.year is not None and ctx.anchor.grain == "day" else ctx.reference
    if base is None:
        return Norm("DATE", "XXXX-XX-XX")
    point = Point.of(base + dt.timedelta(days=step), "day")
    pod = m.group("pod") or m.group("pod2")
    if pod:
        return Norm("TIME", point.value() + "T" + lx.PARTS_OF_DAY[pod.lower()], point)
    return Norm("DATE", point.value(), point)


def _build_part_of_day_alone(m: re.Match[str], ctx: Context) -> Norm | None:
    pod = lx.PARTS_OF_DAY[m.group("pod").lower()]
    mod = {"early": "START", "late": "END"}.get((m.group("edge") or "").lower().rstrip("-"),
                                                "MID" if m.group("edge") else None)
    word = (m.group("day") or "").lower()
    day: Point | None
    if word and ctx.reference is not None:
        if word in lx.WEEKDAYS:
            date = anchor_weekday(lx.WEEKDAYS[word], ctx.reference, ctx.tense(m.start(), m.end()))
        else:
            date = ctx.reference + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])
        day = Point.of(date, "day")
    elif ctx.anchor is not None and ctx.anchor.grain == "day" and ctx.anchor.year is not None:
        day = Point.of(ctx.anchor.date(), "day")
    else:
        day = _ref_point(ctx)
    value = (day.value() if day is not None else "XXXX-XX-XX") + "T" + pod
    return Norm("TIME", value, day, mod=mod)


def _build_that_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """"later that year", "earlier that day": the anchor's period, with START/END."""
    unit = m.group("unit").lower()
    mod = "START" if m.group("side").lower() == "earlier" else "END"
    if unit in lx.PARTS_OF_DAY:  # "later that night": the part of the day the text is on, no mod
        base_day = ctx.anchor if ctx.anchor is not None and ctx.anchor.grain == "day" and ctx.anchor.year else \
            _ref_point(ctx)
        day = base_day.value()[:10] if base_day is not None else "XXXX-XX-XX"
        return Norm("TIME", day + "T" + lx.PARTS_OF_DAY[unit], base_day, mod=mod)
    anchor = ctx.anchor if ctx.anchor is not None and ctx.anchor.year is not None else None
    base = anchor.date() if anchor is not None else ctx.reference
    if base is None:
        return Norm("DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], mod=mod)
    point = Point.of(base, unit)  # type: ignore[arg-type]
    return Norm("DATE", point.value(), point, mod=mod)


def _build_weekday(m: re.Match[str], ctx: Context) -> Norm | None:
    weekday = lx.WEEKDAYS[m.group("weekday").lower()]
    rel = (m.group("rel") or "").lower()
    pod = (m.group("pod") or "").lower()
    if ctx.reference is None:
        return Norm("TIME" if pod else "DATE", f"XXXX-WXX-{weekday}" + ("T" + lx.PARTS_OF_DAY[pod] if pod else ""))
    ref = ctx.reference
    if rel == "previous" and ctx.anchor is not None and ctx.anchor.grain == "day" and ctx.anchor.year is not None:
        date = anchor_weekday(weekday, ctx.anchor.date() - dt.timedelta(days=1), "past")
    elif rel == "following" and ctx.anchor is not None and ctx.anchor.grain == "day" and ctx.anchor.year is not None:
        date = anchor_weekday(weekday, ctx.anchor.date() + dt.timedelta(days=1), "future")
    elif rel in ("last", "previous", "past"):
        date = anchor_weekday(weekday, ref - dt.timedelta(days=1), "past")
    elif rel in ("next", "following", "coming"):
        date = anchor_weekday(weekday, ref + dt.timedelta(days=1), "future")
    else:
        date = anchor_weekday(weekday, ref, ctx.tense(m.start(), m.end()))
    point = Point.of(date, "day")
    if pod:
        return Norm("TIME", point.value() + "T" + lx.PARTS_OF_DAY[pod], point)
    return Norm("DATE", point.value(), point)


def _unit_of(word: str) -> str:
    w = word.lower().rstrip("s")
    return "century" if w == "centurie" else w


# The grain of "<n> <unit> ago" (and earlier, later …) for each unit of UNIT: its own, the day
# for units shorter than a day, the week for a fortnight.
_AGO_GRAIN: dict[str, Grain] = {"second": "day", "minute": "day", "hour": "day", "day": "day", "night": "day",
                                "week": "week", "fortnight": "week", "month": "month", "quarter": "quarter",
                                "year": "year", "decade": "decade", "century": "century"}


def _build_ago(m: re.Match[str], ctx: Context) -> Norm | None:
    """"two days ago", "a year earlier", "three weeks later": a date at the unit's grain."""
    unit = _unit_of(m.group("unit"))
    direction = m.group("dir").lower()
    amount = lx.number_value(m.group("num")) if m.group("num") else None
    sign = -1 if direction in ("ago", "earlier", "before", "previously") else 1
    if amount is None or amount != int(amount):
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    deictic = direction in ("ago", "from now", "hence")
    anchor = ctx.anchor
    if deictic and anchor is not None and anchor.grain in ("quarter", "half") and unit == "year" \
            and ctx.reference is not None:
        # Earnings news: "a year ago" is the same quarter a year before the one reported.
        point = Point.of(shift(shift(ctx.reference, -1, "quarter") if anchor.grain == "quarter" else ctx.reference,
                               -int(amount), "year"), anchor.grain)
        return Norm("DATE", point.value(), point)
    if deictic:
        anchor = None
    if anchor is not None and anchor.year is not None:
        base, grain = anchor.date(), anchor.grain
        if grain in ("quarter", "half") and unit == "year":
            point = Point.of(shift(base, sign * int(amount), unit), grain)
            return Norm("DATE", point.value(), point)
        if grain == "day" and unit in ("day", "week", "month", "year"):
            point = Point.of(shift(base, sign * int(amount), unit),
                             "day" if unit in ("day", "week") else "month" if unit == "month" else "year")
            return Norm("DATE", point.value(), point)
    if ctx.reference is None:
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    grain = _AGO_GRAIN[unit]
    point = Point.of(shift(ctx.reference, sign * int(amount), "day" if grain == "day" and unit != "day" else unit),
                     grain)
    return Norm("DATE", point.value(), point)



def _build_year_earlier(m: re.Match[str], ctx: Context) -> Norm | None:
    """"year-earlier", "the year-ago quarter": one year before the last anchor, at its grain."""
    anchor = ctx.anchor if ctx.anchor and ctx.anchor.year is not None else _ref_point(ctx, "year")
    if anchor is None:
        return Norm("DATE", "XXXX")
    grain = anchor.grain if anchor.grain in ("quarter", "half", "month", "year") else "year"
    if m.group("what") and "quarter" in m.group("what").lower():
        grain = "quarter"
    point = Point.of(shift(anchor.date(), -1, "year"), grain)
    return Norm("DATE", point.value(), point)


def _build_quarter(m: re.Match[str], ctx: Context) -> Norm | None:
    which = (m.group("which") or "").lower().replace("-", " ")
    year = int(m.group("year") or m.group("qyear") or 0) or _relative_year(m, ctx)
    qrel = (m.group("qrel") or "").lower().replace("-", " ")
    if qrel and which in lx.ORDINALS and ctx.reference is not None:
        year = ctx.reference.year + {"this": 0, "next": 1}.get(qrel.split()[0], -1)
    elif qrel and not which:
        which = "year ago"
    if which in lx.ORDINALS or which == "final":
        quarter = 4 if which == "final" else lx.ORDINALS[which]
        if quarter > 4:
            return None
        if year is None and ctx.reference is not None:
            # Quarters are reporting periods: this year's, unless it has not begun yet and the
            # sentence is not about the future ("fourth-quarter profit fell", said in January, is
            # last year's; "third-quarter profit" in November is this year's).
            ref = ctx.reference
            year = ref.year
            if dt.date(year, 3 * (quarter - 1) + 1, 1) > ref and ctx.tense(m.start(), m.end()) != "future":
                year -= 1
        point = Point("quarter", year, 3 * (quarter - 1) + 1, quarter=quarter)
        return Norm("DATE", point.value(), point)
    if ctx.reference is None:
        return Norm("DATE", "XXXX-QX")
    ref = ctx.reference
    ended = re.match(rf"\s+(?:ended|ending)\s+(?P<month>{MONTH})", ctx.text[m.end():m.end() + 20])
    if ended and which in ("", "latest", "fiscal", "current", "same"):
        # "the quarter ended Sept. 30": the quarter holding that month.
        month = _month(ended.group("month"))
        year = year or anchor_year(month, None, ref, "past")
        point = Point("quarter", year, month, quarter=(month - 1) // 3 + 1)
        return Norm("DATE", point.value(), point)
    anchored = ctx.anchor if ctx.anchor is not None and ctx.anchor.grain == "quarter" and ctx.anchor.year else None
    if year is not None and not which:
        base = anchored.date() if anchored else shift(ref, -1, "quarter")
        point = Point.of(dt.date(year, base.month, 1), "quarter")
        return Norm("DATE", point.value(), point)
    if which in ("year earlier", "year ago"):
        base = shift(shift(ref, -1, "quarter"), -1, "year")
    elif which in ("current", "this", "fiscal"):
        base = ref
    elif which in ("next", "coming"):
        base = shift(ref, 1, "quarter")
    elif not which and anchored is not None:  # "the quarter" of a text about one
        base = anchored.date()
    else:  # "the quarter", "the latest quarter", "last quarter": the latest one reported
        base = shift(ref, -1, "quarter")
    point = Point.of(base, "quarter")
    return Norm("DATE", point.value(), point)


def _build_half(m: re.Match[str], ctx: Context) -> Norm | None:
    half = 1 if m.group("which").lower() == "first" else 2  # "second", "last"
    year = int(m.group("year")) if m.group("year") else _relative_year(m, ctx)
    if year is None and ctx.reference is not None:
        year = anchor_year(6 * half, None, ctx.reference, ctx.tense(m.start(), m.end()))
    point = Point("half", year, 6 * (half - 1) + 1, half=half)
    return Norm("DATE", point.value(), point)


def _build_this_year_earlier(m: re.Match[str], ctx: Context) -> Norm | None:
    """"earlier this year", "later this month": the period, with START/END."""
    unit = m.group("unit").lower()
    mod = "START" if m.group("side").lower() == "earlier" else "END"
    if ctx.reference is None:
        return Norm("DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], mod=mod)
    point = Point.of(ctx.reference, unit)  # type: ignore[arg-type]
    return Norm("DATE", point.value(), point, mod=mod)


def _build_weekend(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the weekend": the one before the reference in past sentences, the next one otherwise."""
    if ctx.reference is None:
        return Norm("DATE", "XXXX-WXX-WE")
    saturday = anchor_weekday(6, ctx.reference, ctx.tense(m.start(), m.end()))
    point = Point.of(saturday, "weekend")
    return Norm("DATE", point.value(), point)


def _build_week_of(m: re.Match[str], ctx: Context) -> Norm | None:
    year = int(m.group("year")) if m.group("year") else anchor_year(
        _month(m.group("month")), _day(m.group("day")), ctx.reference, ctx.tense(m.start(), m.end()))
    point = _point_day(year, _month(m.group("month")), _day(m.group("day")))
    if point is None:
        return None
    week = Point("week", point.year, point.month, point.day)
    return Norm("DATE", week.value(), week)


def _build_decade_words(m: re.Match[str], ctx: Context) -> Norm | None:
    decade = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
              "eighties": 8, "nineties": 9}[m.group("word").lower()]
    point = Point("decade", 1900 + 10 * decade)
    return Norm("DATE", point.value(), point)


def _build_century(m: re.Match[str], ctx: Context) -> Norm | None:
    ordinal = int(m.group("ordinal"))
    if not 1 <= ordinal <= 21:
        return None
    point = Point("century", (ordinal - 1) * 100)
    return Norm("DATE", point.value(), point)


def _check_fiscal_year(m: re.Match[str], text: str) -> bool:
    # "the year" alone is too often not a date ("player of the year"); it is one after a
    # preposition of time, or when qualified ("the full year", "the fiscal year ended …").
    if m.group("which") or m.group("ended"):
        return True
    before = text[max(0, m.start() - 12):m.start()].lower()
    return bool(re.search(r"\b(?:for|during|throughout)\s*$", before))


def _build_fiscal_year(m: re.Match[str], ctx: Context) -> Norm | None:
    which = (m.group("which") or "").lower()
    if m.group("ended") and which in ("", "fiscal", "full"):
        return Norm("DURATION", "P1Y")
    if ctx.reference is None:
        return Norm("DATE", "XXXX")
    step = -1 if which in ("latest", "last", "previous", "past", "year-earlier", "year-ago") else 0
    if which in ("same", "comparable", "corresponding") and ctx.anchor is not None and ctx.anchor.year is not None:
        point = Point("year", ctx.anchor.year)
    else:
        point = Point("year", ctx.reference.year + step)
    return Norm("DATE", point.value(), point)


def _build_period(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the latest period", "the year-earlier period": reporting periods, a quarter unless the
    text anchored another grain."""
    which = m.group("which").lower()
    if ctx.reference is None:
        return Norm("DATE", "XXXX-QX")
    grain = ctx.anchor.grain if ctx.anchor is not None and ctx.anchor.grain in ("quarter", "half", "year") else "quarter"
    base = ctx.anchor.date() if ctx.anchor is not None and ctx.anchor.grain == grain and ctx.anchor.year else \
        shift(ctx.reference, -1, grain if grain != "year" else "year")
    if which in ("year-earlier", "year-ago", "comparable", "corresponding") or m.group("before"):
        # "the same period last year" is one phrase in TimeML: the period, a year back.
        base = shift(base, -1, "year")
    elif which.isdigit():
        base = dt.date(int(which), base.month, 1)
    point = Point.of(base, grain)
    return Norm("DATE", point.value(), point)


_EDGES = {"end": "END", "close": "END", "beginning": "START", "start": "START", "middle": "MID"}


def _build_year_end(m: re.Match[str], ctx: Context) -> Norm | None:
    """"year-end", "the end of 2023", "the end of the month", "the beginning of the week": the
    period the text is in (the reference's), or the year named, with START/MID/END."""
    mod = _EDGES[(m.group("edge") or "end").lower()]
    unit = (m.group("unit") or "year").lower()
    if m.group("year"):
        point: Point | None = Point("year", int(m.group("year")))
    else:
        point = _ref_point(ctx, unit)
    if point is None:
        return Norm("DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], mod=mod)
    return Norm("DATE", point.value(), point, mod=mod)


def _build_vague_units(m: re.Match[str], ctx: Context) -> Norm | None:
    """"the coming weeks", "recent months", "the days ahead": a duration of unknown length."""
    return Norm("DURATION", _duration_value(None, _unit_of(m.group("unit") or m.group("unit_"))))


def _build_spelled_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """"nineteen ninety-six", "two thousand": years as broadcast transcripts write them."""
    words = m.group("spelled").lower().replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = lx.number_value(" ".join(words[2:]).removeprefix("and ").strip()) if len(words) > 2 else 0
        year = 2000 + int(rest or 0)
    else:
        century = lx.number_value(words[0])
        rest = lx.number_value(" ".join(words[1:]))
        if century is None or rest is None:
            return None
        year = int(century) * 100 + int(rest)
    point = Point("year", year)
    return Norm("DATE", point.value(), point)


# --- times ---------------------------------------------------------------------------------

def _build_clock(m: re.Match[str], ctx: Context) -> Norm | None:
    hour = int(m.group("hour"))
    minute = int(m.group("minute") or 0)
    meridiem = (m.groupdict().get("ampm") or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    base = ctx.anchor if ctx.anchor is not None and ctx.anchor.grain == "day" else _ref_point(ctx)
    day = base.value() if base is not None else "XXXX-XX-XX"
    return Norm("TIME", f"{day}T{hour:02d}:{minute:02d}", base)


def _build_clock_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """"10 p.m. Wednesday", "noon Thursday", "5 p.m. EST Nov. 9": a clock time on a named day."""
    day = m.group("day_expr")
    inner = _tag(day, ctx.reference, tense=ctx.tense(m.start(), m.end()))
    if len(inner) != 1 or inner[0].type not in ("DATE", "TIME") or not re.fullmatch(r"[\dX]{4}-\d\d-\d\d", inner[0].value[:10]):
        return None
    clock = m.group("clock").lower()
    if clock in ("noon", "midday"):
        hhmm = "12:00"
    elif clock == "midnight":
        hhmm = "24:00"
    else:
        c = re.match(r"(\d{1,2})(?::(\d\d))?\s*([ap])", clock)
        if c is None:
            return None
        hour = int(c.group(1)) % 12 + (12 if c.group(3) == "p" else 0)
        hhmm = f"{hour:02d}:{c.group(2) or '00'}"
    date = inner[0].value[:10]
    point = Point("day", int(date[:4]), int(date[5:7]), int(date[8:10])) if date[0].isdigit() else None
    return Norm("TIME", f"{date}T{hhmm}", point)


def _build_part_of_date(m: re.Match[str], ctx: Context) -> Norm | None:
    inner = _tag(m.group("day_expr"), ctx.reference, tense=ctx.tense(m.start(), m.end()))
    if len(inner) != 1 or not re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", inner[0].value):
        return None
    date = inner[0].value
    point = Point("day", int(date[:4]), int(date[5:7]), int(date[8:10])) if date[0].isdigit() else None
    return Norm("TIME", f"{date}T{lx.PARTS_OF_DAY[m.group('pod').lower()]}", point)


def _build_noon(m: re.Match[str], ctx: Context) -> Norm | None:
    base = ctx.anchor if ctx.anchor is not None and ctx.anchor.grain == "day" else _ref_point(ctx)
    day = base.value() if base is not None else "XXXX-XX-XX"
    return Norm("TIME", day + ("T12:00" if m.group(0).lower() in ("noon", "midday") else "T24:00"), base)


# --- durations and sets --------------------------------------------------------------------

def _duration_value(amount: float | None, unit: str) -> str:
    letter, is_time = lx.UNITS[unit]
    if unit == "weekend":
        return "P2D"
    if unit == "fortnight":
        return "P2W" if amount is None else f"P{int(amount) * 2}W"
    if letter in ("DE", "CE"):
        letter = letter[0] if letter == "CE" else "E"
    if amount is None:
        number = "X"
    elif amount == int(amount):
        number = str(int(amount))
    else:
        number = f"{amount:g}"
    return ("PT" if is_time else "P") + number + letter


_AMOUNT_BEFORE = re.compile(r"(?:\d[\d,.]*%?|\$\s?\d[\d,.]*(?:\s+(?:million|billion))?)\s+(?:[a-z]+\s+){0,2}$",
                            re.IGNORECASE)


def _build_duration(m: re.Match[str], ctx: Context) -> Norm | None:
    unit = _unit_of(m.group("unit"))
    num = m.group("num")
    if num.lower() in ("a", "an") and _AMOUNT_BEFORE.search(ctx.text[max(0, m.start() - 40):m.start()]):
        # "$5 a year", "700 seats a week": a rate of an amount, not a time (TimeBank leaves it
        # untagged); "twice a week", a frequency of an event, is a SET (the rule "frequency").
        return None
    amount = lx.number_value(num) if num else None
    if num and amount is None and not re.fullmatch(VAGUE, num, re.IGNORECASE):
        return None
    if m.group("num2") or m.group("num3"):
        # "two to three weeks", "a year or two": a length known only within bounds.
        return Norm("DURATION", _duration_value(None, unit))
    if m.group("so") or m.group("more"):
        # "a week or so", "ten years or more": the modifier after the expression, inside it.
        return Norm("DURATION", _duration_value(amount, unit), mod="APPROX" if m.group("so") else "EQUAL_OR_MORE")
    if (m.group("frac") or m.group("frac2")) and amount is not None and amount == int(amount):
        return Norm("DURATION", _and_a_half(int(amount), unit))
    return Norm("DURATION", _duration_value(amount, unit))


# Half of each unit in the next smaller one, as TimeML writes "2 1/2 years" (P2Y6M).
_HALVES = {"year": "6M", "month": "15D", "day": "T12H", "hour": "30M", "minute": "30S"}


def _and_a_half(whole: int, unit: str) -> str:
    """"2 1/2 years" is P2Y6M, "an hour and a half" PT1H30M; other units keep a decimal (P2.5W)."""
    if unit not in _HALVES:
        return _duration_value(whole + 0.5, unit)
    value = _duration_value(whole, unit)
    return value + _HALVES[unit].removeprefix("T") if "T" in value or not _HALVES[unit].startswith("T") \
        else value + _HALVES[unit]


# Each unit in the next smaller one, so "half a century" is P50Y and "three quarters of an hour" PT45M.
_SMALLER = {"century": (100, "year"), "decade": (10, "year"), "year": (12, "month"), "month": (30, "day"),
            "day": (24, "hour"), "hour": (60, "minute"), "minute": (60, "second")}


def _build_fraction(m: re.Match[str], ctx: Context) -> Norm | None:
    """"half a century", "a quarter-century", "half an hour ago": a share of a unit, written in
    the next smaller unit as TimeML does; with "ago", the date that far back at that grain."""
    part = m.group("part").lower()
    share = 0.25 if "quarter" in part and "three" not in part else 0.75 if "three" in part else 0.5
    unit = m.group("unit").lower()
    per, smaller = _SMALLER[unit]
    amount = share * per
    if amount != int(amount):
        return None
    if m.group("ago") is None:
        return Norm("DURATION", _duration_value(int(amount), smaller))
    if ctx.reference is None:
        return Norm("DATE", "PAST_REF")
    if smaller in ("hour", "minute", "second"):
        point = Point.of(ctx.reference, "day")  # "half an hour ago" is the day of the report
    else:
        point = Point.of(shift(ctx.reference, -int(amount), smaller), _AGO_GRAIN[smaller])
    return Norm("DATE", point.value(), point)


def _build_frequency(m: re.Match[str], ctx: Context) -> Norm | None:
    """"twice a week", "three times a year": a SET, the frequency inside the expression."""
    return Norm("SET", _duration_value(1, _unit_of(m.group("unit"))) if m.group("unit").lower() != "quarter" else "P1Q")


def _build_bare_units(m: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("DURATION", _duration_value(None, _unit_of(m.group("unit"))))


_SET_WORDS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
              "yearly": "P1Y", "hourly": "PT1H", "quarterly": "P3M"}


def _check_set(m: re.Match[str], text: str) -> bool:
    if m.group("wdays"):
        return m.group("wdays")[0].isupper()
    word = m.group("word")
    if word is None:
        return True
    # "the Communist Party daily Granma": a newspaper, not a frequency.
    if re.match(r"\s+[A-Z]", text[m.end():m.end() + 3]):
        return False
    # "10,000 units annually", "rise 8.5% annually": the rate of an amount, not a time, as
    # "$5 a year" is not (the rule "duration").
    return word.lower() not in ("annually", "yearly", "monthly", "weekly", "daily") or \
        not _AMOUNT_BEFORE.search(text[max(0, m.start() - 40):m.start()])


def _build_set(m: re.Match[str], ctx: Context) -> Norm | None:
    if m.group("wdays"):
        # "on Mondays", "Tuesday nights": a plural weekday recurs every week.
        pod = m.group("wpod") or m.group("wpods")
        return Norm("SET", f"XXXX-WXX-{lx.WEEKDAYS[m.group('wdays').lower()]}"
                    + ("T" + lx.PARTS_OF_DAY[pod.lower()] if pod else ""))
    word = m.group("word")
    if word:
        return Norm("SET", _SET_WORDS[word.lower()])
    if m.group("unit"):
        # "every three months" is P3M, "every other week" P2W: the period between occurrences.
        amount = 2 if m.group("other") else lx.number_value(m.group("num"))
        if amount is None or amount != int(amount):
            return None
        return Norm("SET", _duration_value(amount, _unit_of(m.group("unit"))))
    what = m.group("what").lower()
    if what in lx.WEEKDAYS:
        return Norm("SET", f"XXXX-WXX-{lx.WEEKDAYS[what]}")
    if what in lx.MONTHS:
        return Norm("SET", f"XXXX-{lx.MONTHS[what]:02d}")
    unit = _unit_of(what)
    if unit in lx.PARTS_OF_DAY:
        return Norm("SET", "XXXX-XX-XXT" + lx.PARTS_OF_DAY[unit])
    return Norm("SET", _duration_value(1, unit) if unit != "quarter" else "P1Q")


# A quarter or half that is a share of something, not of a year: "a quarter of the voters",
# "three-quarters of its food", "a quarter-century" (a span of 25 years, the rule "quarter_century").
_FRACTION_AFTER = re.compile(rf"""-?century|\s+of\s+(?!(?:an?\s+|the\s+|this\s+|last\s+|next\s+|fiscal\s+)?
    (?:{UNIT}s?|{YEAR}|fiscal)\b)""", re.IGNORECASE | re.VERBOSE)
# "a second" is an ordinal before a noun ("a second term", "a second-place finish"); it is a
# length of time before a signal word or at the end of a phrase ("wait a second", "a second or two").
_SECOND_AS_TIME = re.compile(r"\s*(?:[^\w\s-]|$)|\s+(?:or|and|ago|later|earlier|before|after|longer|too|of|to|in|for|"
                             r"when|as|that|then|the)\b", re.IGNORECASE)
# "the third straight quarter" counts quarters in a row; it names none ("four consecutive years"
# is a duration, found by the rule "duration").
_IN_A_ROW_BEFORE = re.compile(r"\b(?:straight|consecutive|successive)\s+$", re.IGNORECASE)


def _check_duration(m: re.Match[str], text: str) -> bool:
    num = m.group("num").lower()
    unit = _unit_of(m.group("unit"))
    after = text[m.end():m.end() + 8]
    if num in ("a", "an", "one") and unit == "day" and re.match(r"\s+(?:after|before)", after):
        return False
    if re.match(r"[\s-]+old\b", text[m.end():m.end() + 6]) or m.group(0).lower().endswith("old"):
        return False
    if unit == "second" and m.group("unit").lower() == "second" and not _SECOND_AS_TIME.match(text, m.end()):
        return False
    if unit == "quarter":
        # A share, not a time: "three-quarters" written as one word, or "a quarter of the vote".
        if re.search(r"\w-quarters?$", m.group(0), re.IGNORECASE) and not m.group(0).lower().startswith("the"):
            return False
        if _FRACTION_AFTER.match(text, m.end()):
            return False
        if num in ("some", "many") and not re.match(r"\s+of\b", after):
            return False  # "criticism in some quarters": places, not periods
    return True


# --- the grammar -----------------------------------------------------------------------------

def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags | re.VERBOSE)


RULES: tuple[Rule, ...] = (
    # A weekday before the date is part of it ("Saturday, April 25"): one DATE, the date's value.
    Rule("month_day", _rx(rf"""\b(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<month>{MONTH})\s+(?P<day>{DAY})
        (?:\s*(?:-|–|—)\s*(?:(?P<month2>{MONTH})\s+)?(?P<day2>{DAY})|\s+(?:and|to|through|until)\s+(?P<day2b>{DAY})(?!\s*{MONTH}))?
        (?:,?\s+(?P<year>{YEAR})|{REL_YEAR})?(?!\s*%)"""), _build_month_day,
         lambda m, t: _capitalised(m, "month") and _capitalised(m, "wd") and (not m.group("day2b") or bool(
             re.search(r"\b(?:between|from)\s+$", t[max(0, m.start() - 9):m.start()], re.IGNORECASE)))),
    Rule("day_month", _rx(rf"""\b(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?(?P<day>{DAY})(?:\s*(?:-|–)\s*(?P<day2>{DAY}))?\s+(?:of\s+)?
        (?P<month>{MONTH})(?P<month2>)(?:,?\s+(?P<year>{YEAR})|{REL_YEAR})?"""), _build_day_month,
         lambda m, t: _capitalised(m, "month") and _capitalised(m, "wd")),
    Rule("month_year", _rx(rf"""\b(?P<month>{MONTH}),?\s+(?:of\s+)?(?:(?P<year>{YEAR})\b|(?P<yrel>this|last|next)\s+year\b|
        (?P<spelled>(?:nineteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|
        three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|
        nineteen))\b)"""), _build_month_year,
         lambda m, t: _capitalised(m, "month")),
    Rule("month", _rx(rf"\b(?:{THIS_PAST}(?P<rel>last|next|this|past|coming)\s+)?(?P<month>{_MONTH_FULL})\b(?!\s+\d)"),
         _build_month, _check_month_alone),
    Rule("iso", _rx(r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\b"), _build_iso),
    Rule("numeric", _rx(r"\b(?P<mo>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>\d{4}|\d{2})\b"),
         _build_numeric),
    Rule("year", _rx(rf"\b(?:(?:fiscal|FY)(?:\s+year)?\s*|(?P<the_year>the\s+year\s+))?(?P<year>{YEAR})\b(?!'?s\b)"),
         _build_year, lambda m, t: bool(m.group("the_year")) or _check_year(m, t)),
    Rule("decade", _rx(r"\b(?:the\s+)?(?:'|’)?(?P<decade>(?:1[5-9]|20)\d0|\d0)(?:'|’)?s\b"), _build_decade),
    Rule("season", _rx(rf"""\b(?:(?:{THIS_PAST}(?P<rel>last|this|next|past|previous|coming)|the)\s+)?(?P<season>{SEASON})
        (?:\s+(?:of\s+)?(?P<year>{YEAR}))?\b"""), _build_season,
         lambda m, t: bool(m.group("rel") or m.group("year")
                           or re.search(r"\b(?:in|this|last|next|by|during|until|since|over|early|late)\s+(?:the\s+)?$",
                                        t[max(0, m.start() - 12):m.start()], re.IGNORECASE))),
    Rule("holiday", _rx(rf"""\b(?P<holiday>{_HOLIDAYS})(?!\s+{_NOT_THE_DAY})
        (?:\s+(?P<year>{YEAR}))?\b"""), _build_holiday, lambda m, t: m.group("holiday")[0].isupper()),
    Rule("deictic", _rx(rf"""\b(?P<word>today|yesterday|tomorrow|tonight|right\s+now|now|currently|nowadays|
        these\s+days|at\s+present|recently|lately|formerly|recent\s+years|current|the\s+past|the\s+(?:near\s+)?future|
        the\s+(?:near|short)\s+term|soon|overnight)(?:\s+(?P<pod>{POD}))?\b(?!-)"""), _build_deictic, _check_deictic),
    Rule("part_of_day", _rx(rf"\b(?P<rel>this|last|yesterday|tomorrow)\s+(?P<pod>{POD})\b"), _build_part_of_day),
    Rule("relative_unit", _rx(rf"""\b(?:the\s+|{THIS_PAST})?(?P<rel>last|past|previous|this|current|next|coming|following|same|
        latest|recent|that(?=\s+(?:week|weekend|month|year|quarter)\b))\s+(?P<unit>week|weekend|month|year|quarter|decade|century)\b(?!\s*-)(?!s)(?P<so>\s+or\s+so\b)?"""),
         _build_relative_unit),
    Rule("relative_day", _rx(rf"""\b(?:the\s+(?:next|following|previous|same)\s+(?:day|(?P<pod>{POD}))|
        that\s+(?:same\s+)?(?:day|(?P<pod2>{POD}))|
        the\s+day\s+(?:before|after)(?P<deictic>\s+(?:yesterday|tomorrow))?)\b"""), _build_relative_day),
    # A part of the day without a day word: "in the morning", "by mid-afternoon", "late evening
    # Friday"; the day is the one the text is on. After a preposition only: "the night the plane
    # fell" and "late-night television" are not times.
    Rule("part_of_day_alone", _rx(rf"""\b(?:(?:the\s+)?(?P<edge>early|late|mid-?)\s*|the\s+)(?P<pod>morning|afternoon|evening|night)\b
        (?:,?\s+(?P<day>yesterday|today|tomorrow|{WEEKDAY}))?(?![\w-]|\s+(?:of|before|after|when|that|which|in\s+which)\b)"""),
         _build_part_of_day_alone,
         lambda m, t: bool(re.search(r"\b(?:in|during|by|until|till|through|throughout|since|from|at|into|on)\s+$",
                                     t[max(0, m.start() - 12):m.start()], re.IGNORECASE))),
    Rule("that_year", _rx(rf"\b(?P<side>earlier|later)\s+that\s+(?P<unit>year|month|week|day|{POD})\b"), _build_that_year),
    Rule("weekday", _rx(rf"\b(?:(?:the\s+|{THIS_PAST})?(?P<rel>last|next|this|previous|following|past|coming)\s+)?(?P<weekday>{WEEKDAY})(?:\s+(?P<pod>{POD}))?\b"),
         _build_weekday, lambda m, t: m.group("weekday")[0].isupper()),
    # "three days later" is no date of its own in TimeML: "later" is a signal, and "three days"
    # a DURATION (the rule "duration"); "ago" belongs to its expression.
    Rule("ago", _rx(rf"""\b(?:(?P<num>{NUM}|{VAGUE})[\s-]+)?(?P<unit>{UNIT}s?)(?P<so>\s+or\s+so)?\s+
        (?P<dir>ago|earlier|before|after|from\s+now|hence)\b"""), _build_ago,
         lambda m, t: (bool(m.group("num")) or m.group("dir").lower() in ("ago",))
         # "twenty years after the revolution": the preposition makes it a duration.
         and not (m.group("dir").lower() in ("before", "after") and re.match(r"\s*\w", t[m.end():m.end() + 3]))),
    Rule("year_earlier", _rx(r"""\b(?:the\s+)?year[-\s](?:earlier|ago)(?P<what>\s+(?:period|quarter|level|month|
        results|figures))?\b"""), _build_year_earlier,
         lambda m, t: bool(re.match(r"\w", t[m.end():m.end() + 2].strip() or ".")) or bool(m.group("what"))
         or "-" in m.group(0)),
    Rule("quarter", _rx(rf"""\b(?:the\s+(?!\w+-quarter))?(?:comparable\s+)?(?:(?:(?P<qyear>{YEAR})|(?P<qrel>year[-\s]ago|
        year[-\s]earlier|this\s+year's|last\s+year's|next\s+year's))\s+)?(?:fiscal\s+)?(?:(?P<which>first|second|third|fourth|1st|2nd|3rd|4th|final|current|
        latest|last|past|recent|this|next|coming|year[-\s]earlier|year[-\s]ago|fiscal)[\s-]+)?(?:fiscal[\s-]+)?
        quarter(?:\s+of\s+(?:fiscal\s+)?(?P<year>{YEAR})|{OF_REL_YEAR})?\b(?!s)"""), _build_quarter,
         lambda m, t: not _FRACTION_AFTER.match(t, m.end())
         and not _IN_A_ROW_BEFORE.search(t, max(0, m.start() - 14), m.start())),
    Rule("half", _rx(rf"\b(?:the\s+)?(?P<which>first|second|last)[\s-]+half(?:\s+of\s+(?P<year>{YEAR})|{OF_REL_YEAR})?\b"),
         _build_half),
    Rule("this_year_earlier", _rx(r"\b(?P<side>earlier|later)\s+(?:this|in\s+the)\s+(?P<unit>week|month|year)\b"),
         _build_this_year_earlier),
    Rule("clock", _rx(rf"\b(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am\b|pm\b){ZONE}?"),
         _build_clock),
    Rule("clock_day", _rx(rf"""\b(?P<clock>(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?:a\.m\.?|p\.m\.?)|noon|midday|midnight)
        {ZONE}?,?\s+(?:on\s+)?
        (?P<day_expr>{WEEKDAY}(?:,?\s+{MONTH}\s+{DAY})?|{MONTH}\s+{DAY}(?:,?\s+{YEAR})?|today|yesterday|tomorrow)\b"""),
         _build_clock_day),
    # "the night of Aug. 3", "the morning of Friday": the part of that day, one TIME.
    Rule("part_of_date", _rx(rf"""\bthe\s+(?P<pod>{POD})\s+of\s+(?P<day_expr>(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?|
        (?:{WEEKDAY},?\s+)?{DAY}\s+{MONTH}(?:,?\s+{YEAR})?|{WEEKDAY})\b"""), _build_part_of_date),
    Rule("week_of", _rx(rf"\bthe\s+week\s+of\s+(?P<month>{MONTH})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?"),
         _build_week_of, lambda m, t: _capitalised(m, "month")),
    Rule("weekend", _rx(r"\bthe\s+weekend\b"), _build_weekend),
    Rule("year_end", _rx(rf"""\b(?:(?:the\s+)?year[-\s]end|year's\s+end|the\s+(?:very\s+)?(?P<edge>end|close|beginning|start|middle)
        \s+of\s+(?:the\s+(?P<unit>year|month|week)|(?P<year>{YEAR})))\b"""),
         _build_year_end),
    Rule("vague_units", _rx(r"""\b(?:the\s+)?(?:coming|recent|past|next|last|previous|ensuing)\s+
        (?P<unit>days|weeks|months|years|decades)(?:\s+(?:and|or)\s+(?:days|weeks|months|years|decades))?\b|\bthe\s+(?P<unit_>days|weeks|months|years)\s+ahead\b"""),
         _build_vague_units),
    Rule("decade_words", _rx(r"\bthe\s+(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"),
         _build_decade_words),
    Rule("century", _rx(r"\b(?:the\s+)?(?P<ordinal>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b"), _build_century),
    Rule("fiscal_year", _rx(r"""\b(?:the\s+)?(?:(?P<which>full|current|latest|last|previous|past|same|fiscal|
        year-earlier|year-ago|comparable|corresponding)\s+)?(?:fiscal\s+)?year\b(?:(?=(?P<ended>\s+(?:ended|ending)))|)"""),
         _build_fiscal_year, _check_fiscal_year),
    Rule("period", _rx(rf"""\b(?:the\s+)?(?P<which>latest|same|year-earlier|year-ago|comparable|corresponding|{YEAR})\s+period\b
        (?P<before>\s+(?:of\s+)?(?:last|the\s+previous)\s+year\b|\s+a\s+year\s+(?:ago|earlier)\b)?"""),
         _build_period),
    Rule("spelled_year", _rx(r"""\b(?:the\s+year\s+)?(?P<spelled>(?:nineteen|eighteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|
        sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|
        fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|two\s+thousand(?:\s+and\s+\w+|\s+(?:one|two|three|four|five|
        six|seven|eight|nine|ten))?)\b"""), _build_spelled_year,
         lambda m, t: not re.match(r"\s+(?:percent|per\s+cent|people|dollars|years|months|days|men|women|troops|"
                                   r"soldiers|votes|miles|pounds|tons|feet)\b", t[m.end():m.end() + 14])),
    Rule("noon", _rx(r"\b(?:noon|midday|midnight)\b"), _build_noon),
    # "the" belongs to a duration that is a noun phrase ("the past three years", "the nine
    # months"), not to one that qualifies a noun ("the two-week crisis", "the 30-day rate").
    Rule("duration", _rx(rf"""\b(?:the\s+(?:(?:past|last|next|coming|previous|following|first|final|latest|
        initial|full|entire|whole)\s+|(?=(?:{NUM}|{VAGUE})(?:\s+more)?\s+{UNITS}\b)))?(?P<num>{NUM}|{VAGUE})
        (?:\s+(?:or|to)\s+(?P<num2>{NUM}))?(?P<frac>\s+1/2|\s+and\s+a\s+half)?
        (?:\s+(?:more|consecutive|straight|successive))?[\s-]+(?P<unit>{UNIT}s?)\b(?P<frac2>\s+and\s+a\s+half\b)?
        (?:\s+or\s+(?:(?P<so>so)|(?P<more>more)|(?P<num3>two|three|four)))?
        (?:[\s-]+(?:long|old))?(?!\s+(?:ago|earlier|from\s+now|hence))"""), _build_duration,
         _check_duration),
    # "within weeks or months": two vague lengths joined are one expression, the first unit's.
    Rule("bare_units", _rx(rf"\b(?P<unit>{UNITS})(?:\s+(?:or|and)\s+{UNITS})?\b(?!\s+(?:ago|of|earlier|later))"),
         _build_bare_units,
         lambda m, t: bool(re.search(r"\b(?:for|within|over|in|after|took|takes|lasted|last)\s+$",
                                     t[max(0, m.start() - 8):m.start()], re.IGNORECASE))),
    Rule("fraction", _rx(r"""\b(?P<part>(?:a|one)[\s-]+quarter|three[\s-]+quarters|(?:a|one)[\s-]+half|half)
        (?:\s+of\s+an?\s+|\s+an?\s+|[\s-]+)(?P<unit>century|decade|year|month|day|hour|minute)\b
        (?P<ago>\s+ago\b)?"""), _build_fraction),
    Rule("frequency", _rx(rf"""\b(?P<times>once|twice|thrice|(?:{NUM}|several|many)\s+times)\s+(?:a|an|per|each|every)\s+
        (?P<unit>{UNIT})\b"""), _build_frequency),
    Rule("set", _rx(rf"""\b(?:(?P<word>daily|nightly|weekly|monthly|annually|yearly|hourly)|
        (?:every|each|per)\s+(?P<what>day|week|month|quarter|year|morning|evening|night|{WEEKDAY}|{_MONTH_FULL})|
        every\s+(?:(?P<other>other)|(?P<num>{NUM}))\s+(?P<unit>{UNIT}s?)|
        (?P<wdays>{WEEKDAY})(?:s(?:\s+(?P<wpod>{POD})s?)?|\s+(?P<wpods>{POD})s))\b"""),
         _build_set,
         # "the Communist Party daily Granma": a newspaper, not a frequency.
         _check_set),
)


# Every rule's expression contains one of these words; rules run only in windows around them,
# which spares scanning whole articles ~40 times (most sentences name no time at all).
_TRIGGER_WORDS = frozenset(
    list(lx.MONTHS) + [w + s for w in lx.WEEKDAYS if len(w) > 4 for s in ("", "s")] + list(lx.SEASONS) + list(lx.PARTS_OF_DAY)
    + [u for unit in lx.UNITS for u in (unit, unit + "s")] + [
        "centuries", "half", "daily", "nightly", "weekly", "monthly", "annually", "yearly", "hourly", "quarterly",
        "today", "yesterday", "tomorrow", "now", "current", "currently", "nowadays", "present", "recently", "lately",
        "formerly", "recent", "past", "soon", "overnight", "future", "term", "noon", "midday", "midnight", "period", "christmas",
        "thanksgiving", "easter", "pentecost", "whitsunday", "halloween", "valentine", "independence", "veterans", "boxing", "nineteen", "eighteen",
        "thousand", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"])
_CASED_TRIGGERS = frozenset({"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"})
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# A number is a trigger when it is a year, a decade, part of a written date or a clock time.
_NUMBER_TRIGGER = re.compile(r"(?:1[5-9]|20)\d\d|\d*0['’]?s\b|\d{1,4}[-/]\d|\d{1,2}(?::\d\d)?\s*[ap]\.?m\b",
                             re.IGNORECASE)
_WINDOW = 70  # characters on each side of a trigger: longer than any expression's reach from its trigger word


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token[0].isdigit():
            if not _NUMBER_TRIGGER.match(text, m.start()):
                continue
        elif token.lower() not in _TRIGGER_WORDS and token not in _CASED_TRIGGERS:
            continue
        start = text.rfind(" ", 0, max(0, m.start() - _WINDOW)) + 1
        end = text.find(" ", min(len(text), m.end() + _WINDOW))
        end = len(text) if end < 0 else end
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _candidates(text: str, deadline: float | None = None) -> list[tuple[int, int, int, re.Match[str]]]:
    found = []
    for n, (start, end) in enumerate(_windows(text)):
        if deadline is not None and n % 64 == 0 and time.monotonic() > deadline:
            raise BudgetExceeded(f"dates: over the time budget after {start:,} of {len(text):,} characters")
        window = text[start:end].lower()
        # Windows merge where triggers are close, so a long text of dates is one window: the
        # budget is checked rule by rule there.
        watch = deadline if deadline is not None and end - start > 4096 else None
        for priority, rule in enumerate(RULES):
            if watch is not None and time.monotonic() > watch:
                raise BudgetExceeded(f"dates: over the time budget after {start:,} of {len(text):,} characters")
            needs = _NEEDS.get(rule.name)
            if needs and not any(word in window for word in needs):
                continue
            for m in rule.pattern.finditer(text, start, end):
                if m.end() <= m.start():
                    continue
                if rule.check is not None and not rule.check(m, text):
                    continue
                found.append((m.start(), m.end(), priority, m))
    return found


def _select(found: list[tuple[int, int, int, re.Match[str]]]) -> list[tuple[int, int, int, re.Match[str]]]:
    """Non-overlapping candidates, longest first; at equal length the earlier rule."""
    chosen: list[tuple[int, int, int, re.Match[str]]] = []
    # The spans taken so far never overlap, so they are ordered by start and by end alike and
    # only the two neighbours of a candidate can overlap it: a bisection, not a scan of every
    # span (which made a long text without sentence breaks quadratic).
    starts: list[int] = []
    ends: list[int] = []
    for cand in sorted(found, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        i = bisect.bisect_right(starts, cand[0])
        if (i > 0 and ends[i - 1] > cand[0]) or (i < len(starts) and starts[i] < cand[1]):
            continue
        chosen.append(cand)
        starts.insert(i, cand[0])
        ends.insert(i, cand[1])
    return sorted(chosen, key=lambda c: c[0])


# A date left open at one end is one expression whose mod says which ("until 2005 or later",
# "for 1990 and beyond": ON_OR_AFTER); "or after" and "or before" only where no noun follows
# them ("1994 or after the vote" is a second preposition).
_OPEN_BOUND = re.compile(r"""\s+(?:or\s+(?:later|after(?=\s*(?:[^\w\s]|$)))(?!\s+than)|and\s+(?:beyond|after(?=\s*(?:[^\w\s]|$)))|
    (?P<before>or\s+(?:earlier|before(?=\s*(?:[^\w\s]|$)))(?!\s+than)))\b""", re.IGNORECASE | re.VERBOSE)


def _extend_modifier(text: str, start: int, norm: Norm, counted: bool = False) -> tuple[int, str | None]:
    """Pull a modifier just before the expression ("early", "the end of", "more than") into it.
    A ``counted`` date ("two years ago") takes the modifiers of its count ("nearly two years ago")."""
    window = text[max(0, start - 24):start]
    if norm.type == "SET":
        return start, None
    # PRESENT_REF and its kin are points ("up to now" is not "up to" a length), not durations.
    if counted or norm.type == "DURATION" or re.match(r"P[\dXT]", norm.value):
        m = _DURATION_MOD_RE.search(window)
        if m and text[start:start + 4].lower() == "the " and m.group(0).strip().lower() == "over":
            return start, None  # "over the past 20 years": "over" is the preposition here
        mods = _DURATION_MODS
    else:
        m = _POINT_MOD_RE.search(window)
        mods = _POINT_MODS
    if not m:
        return start, None
    # "as early as November 1" is a bound, not the early part of November.
    if re.search(r"\bas\s+\w+\s*$", window[:m.start()]) or window[m.start():].strip().lower() in ("early", "late") \
            and re.search(r"\bas\s*$", window[:m.start()]):
        return start, None
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return max(0, start - 24) + m.start(), mods[int(name[1:])][1]


# Expressions relative to the reference date or to the anchor itself do not move the anchor:
# "a year earlier … the year-earlier period" both mean the year before the same report.
_NOT_ANCHORS = frozenset({"deictic", "relative_unit", "this_year_earlier", "clock", "noon", "ago", "year_earlier",
                          "fiscal_year", "period", "relative_day", "that_year"})


def tag(text: str, reference: dt.date | None = None, budget_s: float | None = None) -> list[Timex]:
    """Every temporal expression of ``text``, in order, normalised against ``reference``
    (the article's publication date; without it, year-less values keep ``XXXX``). With
    ``budget_s``, raises :class:`~storyline.errors.BudgetExceeded` once finding them has taken
    longer than that (the tagger is linear, but a megabyte still takes seconds). Chinese and
    Japanese dates (2024年10月28日, 昨天, 上周五, :mod:`.cjk`), and in German, French, Spanish,
    Italian, Portuguese and Dutch dates with a month's name or in numbers ("28. Oktober 2024",
    "1er mars", "28.10.2024", :mod:`.month_names`) and the days, weekdays, weeks, months and years named
    from the reference ("gestern", "lundi dernier", "hace tres días", :mod:`.named_days`) are found too."""
    began = time.monotonic()
    titles = title_spans(text)  # "the Sunday Times", "Bild am Sonntag": names, no dates
    found = _tag(text, reference, budget_s, skip=titles)
    # The English expressions are in order and never overlap, so those a date overlaps are a run
    # found by bisection. A longer date that holds them whole replaces them ("21 octobre 2024"
    # holds the year "2024" the English rules read); one that overlaps any otherwise, or reads no
    # more than they do ("28 September 2024"), is left out.
    starts, ends = [t.start for t in found], [t.end for t in found]
    more: list[Timex] = []
    replaced: set[int] = set()
    others = [tag_month_names(text, reference), tag_named_days(text, reference)]
    if has_cjk(text):
        others.append(tag_cjk(text, reference))
    if titles:
        others = [(d for d in dates if not in_titles(titles, d[0], d[1])) for dates in others]
    # Among themselves, the longest of those that start first is kept ("Mittwoch, dem 10. Juni" over "10. Juni").
    # One that reads exactly an English one's span replaces it where the text is mostly in another
    # language: it is that language's reading ("02/01/2020", 2 January); in English text the English
    # rules' reading stays ("5 April", its year by the sentence's tense).
    kept_end = -1
    foreign: bool | None = None
    for start, end, kind, value in sorted((date for dates in others for date in dates), key=lambda d: (d[0], -d[1])):
        if start < kept_end:
            continue
        first, last = bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)
        same = last - first == 1 and starts[first] == start and ends[first] == end
        if same and foreign is None:
            foreign = mostly_other_language(_WORDS.findall(text.lower(), 0, OTHER_LANGUAGE_CHARS))
        if same and foreign or all(start <= starts[k] and ends[k] <= end for k in range(first, last)) \
                and end - start > sum(ends[k] - starts[k] for k in range(first, last)):
            replaced.update(range(first, last))
            more.append(Timex(start, end, text[start:end], kind, value))
            kept_end = end
    if budget_s is not None and time.monotonic() - began > budget_s:
        raise BudgetExceeded(f"dates: over the time budget in {len(text):,} characters")
    if not more:
        return found
    return sorted([t for k, t in enumerate(found) if k not in replaced] + more, key=lambda t: t.start)


def _tag(text: str, reference: dt.date | None, budget_s: float | None = None, tense: Tense | None = None,
         skip: list[tuple[int, int]] | None = None) -> list[Timex]:
    """The English rules' expressions; none inside ``skip`` (names, see :mod:`.titles`), which
    then anchors nothing either."""
    ctx = Context(text, reference, fixed_tense=tense)
    out: list[Timex] = []
    deadline = time.monotonic() + budget_s if budget_s is not None else None
    for start, end, priority, m in _select(_candidates(text, deadline)):
        if skip and in_titles(skip, start, end):
            continue
        try:
            norm = RULES[priority].build(m, ctx)
        except (ValueError, OverflowError):
            # An offset that leaves the calendar ("2024 years earlier" from 2000: year -24) names
            # no date a timeline can hold; every rule's arithmetic meets it, so it is caught once here.
            norm = None
        if norm is None:
            continue
        mod = norm.mod
        if mod is None and (m.groupdict().get("so") or "couple" in (m.groupdict().get("num") or "").lower()):
            mod = "APPROX"  # "a week or so ago", "the next year or so", "a couple of years"
        if mod is None:
            new_start, mod = _extend_modifier(text, start, norm, counted=RULES[priority].name == "ago")
            if out and new_start < out[-1].end:
                new_start, mod = start, None
            start = new_start
        if norm.type == "DATE":
            bound = _OPEN_BOUND.match(text, end)
            if bound:
                end = bound.end()
                mod = mod or ("ON_OR_BEFORE" if bound.group("before") else "ON_OR_AFTER")
        out.append(Timex(start, end, text[start:end], norm.type, norm.value, mod))
        if norm.point is not None and norm.point.year is not None and norm.type in ("DATE", "TIME") \
                and RULES[priority].name not in _NOT_ANCHORS:
            ctx.anchor = norm.point
    return out
