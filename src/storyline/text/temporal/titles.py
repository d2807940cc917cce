"""Names of newspapers, programmes and events that hold a weekday, which name no date.

News cites its sources by name, and many papers are named for the day they come out: "the
Sunday Times reported", "he told the Mail on Sunday", "Bild am Sonntag berichtete". Read as
weekdays they put the last Sunday on a story's timeline. Only forms that are names whatever the
sentence are listed: the weekday after "the" and before a newspaper's word ("the Sunday
Telegraph", not "on Sunday Telegraph Hill"; not followed by another capitalised word, "the
Sunday World Cup final"), a paper "on Sunday" whose first word is one no date follows in its
capitalised form ("Mail", "Independent"), the German papers "am Sonntag" whose first word is
one, a few programmes ("Saturday Night Live"), and events and accords named for their day
("the Good Friday Agreement", "Bloody Sunday"). A place "on Sunday" ("in Scotland on Sunday")
stays a date even where a paper of that name exists.
"""

from __future__ import annotations

import re

_PAPER_WORDS = (r"Times|Telegraph|Mirror|Express|People|Post|Business\s+Post|Herald(?:\s+Sun)?|Mail|Sport|World"
                r"|Independent|Tribune|Age|Star(?:-Times)?|Nation|Guardian|Standard|Observer|Sun|Argus|Mercury"
                r"|Tasmanian|Territorian|Review|Magazine|Edition")

_ENGLISH_DAYS = ("Sunday", "Saturday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# Each name as (the words before its day, its days, the words after): each part is matched where
# a day stands, never searched for through the text (a pattern of them all, tried at every
# position, cost ~40 µs a kB of PolNeAR's texts, a twentieth of the whole tagger's time).
_NAMES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (r"\b[Tt]he\s+", _ENGLISH_DAYS, rf"\s+(?:{_PAPER_WORDS})\b(?!\s+[A-Z])"),
    (r"\b(?:Mail|Independent)\s+on\s+", ("Sunday",), ""),
    (r"\b(?:Bild|Welt|NZZ|Blick)\s+am\s+", ("Sonntag",), ""),
    ("", ("Saturday",), r"\s+Night\s+Live\b"),
    ("", ("Monday", "Thursday", "Sunday"), r"\s+Night\s+(?:Football|Baseball|Raw)\b"),
    ("", ("Friday",), r"\s+Night\s+Lights\b"),
    (r"\bCBS\s+", ("Sunday",), r"\s+Morning\b"),
    ("", ("Saturday",), r"\s+Evening\s+Post\b"),
    # events and accords named for their day
    (r"\bGood\s+", ("Friday",), r"\s+(?:Agreement|Accords?)\b"),
    (r"\bBloody\s+", ("Sunday",), ""),
)
# by day: (the words before it, ending where it starts; the words after it, from where it ends)
_BY_DAY: dict[str, list[tuple[re.Pattern[str] | None, re.Pattern[str] | None]]] = {}
for _before, _days, _after in _NAMES:
    for _day in _days:
        _BY_DAY.setdefault(_day, []).append((re.compile(f"(?:{_before})\\Z") if _before else None,
                                             re.compile(_after) if _after else None))
# (the lookahead lets the scan skip to a day's first letter: half the time of the bare alternation)
_ANY_DAY = re.compile(r"(?=[" + "".join(sorted({d[0] for d in _BY_DAY})) + r"])\b(?:" + "|".join(_BY_DAY) + r")\b")
_BEFORE = 30  # characters before a day that hold the words of any name before it


def title_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each whole name of ``text`` that holds a weekday, in order, none
    overlapping another (the first kept)."""
    out: list[tuple[int, int]] = []
    for day in _ANY_DAY.finditer(text):
        for before, after in _BY_DAY[day.group()]:
            start, end = day.span()
            if before is not None:
                # from a word's start, so that ``\b`` and "[Tt]he" read the words as they are
                found = before.search(text, text.rfind(" ", 0, max(0, start - _BEFORE)) + 1, start)
                if found is None:
                    continue
                start = found.start()
            if after is not None:
                matched = after.match(text, end)
                if matched is None:
                    continue
                end = matched.end()
            if not out or out[-1][1] <= start:
                out.append((start, end))
            break
    return out


def in_titles(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the characters ``start:end`` lie inside one of ``spans`` (from :func:`title_spans`)."""
    return any(s <= start and end <= e for s, e in spans)


__all__ = ["in_titles", "title_spans"]
