"""Boilerplate: promotion lines, calls to subscribe, bylines, credits — not news.

Two signals mark a passage boilerplate: its form (the patterns below, which hold
across outlets), or its recurrence in articles unrelated to each other (decided
by the reuse stage, which sees the matches).
"""

from __future__ import annotations

import re

_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"^(watch|read|see|listen)( more| also)?\s*:",
    r"^(subscribe|sign up|follow us|join us|download our app|get the latest)\b",
    r"^(advertisement|sponsored( content)?|related( articles| stories)?|most read|share this( article)?)\.?$",
    r"^(photo|image|video|illustration)( credit)?s?\s*:",
    r"(all rights reserved|©\s*\d{4}|copyright \d{4})",
    r"^(click here|tap here)\b",
)]
# A trailing all-caps VIDEO/PHOTO marks a promo ("… escalation". VIDEO); "caught on video." is news.
_MEDIA_TAIL = re.compile(r"(\b(VIDEO|PHOTOS?|GALLERY|INFOGRAPHIC)|\[(?i:video|photos?)\]|\((?i:video|photos?)\))\.?$")
# Names are capitalised: the case of "By" alone is ignored ("By the way, ..." is no byline).
_BYLINE = re.compile(r"^(?i:by) [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}(,| (?i:and|for) |$)")
_MAX_WORDS = 40
_MAX_BYLINE_WORDS = 8


def looks_like_boilerplate(text: str) -> bool:
    """True for short passages of a known promotional or credit form."""
    stripped = text.strip()
    words = len(stripped.split())
    if words > _MAX_WORDS:
        return False
    if words <= _MAX_BYLINE_WORDS and _BYLINE.search(stripped):
        return True
    if _MEDIA_TAIL.search(stripped):
        return True
    return any(p.search(stripped) for p in _PATTERNS)
