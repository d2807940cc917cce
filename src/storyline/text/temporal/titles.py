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

_TITLES = re.compile(
    rf"\b[Tt]he\s+(?:Sun|Satur|Mon|Tues|Wednes|Thurs|Fri)day\s+(?:{_PAPER_WORDS})\b(?!\s+[A-Z])"
    r"|\b(?:Mail|Independent)\s+on\s+Sunday\b"
    r"|\b(?:Bild|Welt|NZZ|Blick)\s+am\s+Sonntag\b"
    r"|\bSaturday\s+Night\s+Live\b"
    r"|\b(?:Mon|Thurs|Sun)day\s+Night\s+(?:Football|Baseball|Raw)\b"
    r"|\bFriday\s+Night\s+Lights\b"
    r"|\bCBS\s+Sunday\s+Morning\b"
    r"|\bSaturday\s+Evening\s+Post\b"
    # events and accords named for their day
    r"|\bGood\s+Friday\s+(?:Agreement|Accords?)\b|\bBloody\s+Sunday\b")

# A cheap test before the search: most texts name none of these days.
_ANY_DAY = re.compile(r"(?:Sun|Satur|Mon|Tues|Wednes|Thurs|Fri)day|Sonntag")


def title_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each whole name of ``text`` that holds a weekday, in order."""
    if not _ANY_DAY.search(text):
        return []
    return [m.span() for m in _TITLES.finditer(text)]


def in_titles(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the characters ``start:end`` lie inside one of ``spans`` (from :func:`title_spans`)."""
    return any(s <= start and end <= e for s, e in spans)


__all__ = ["in_titles", "title_spans"]
