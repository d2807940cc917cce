"""The words temporal expressions are made of: months, weekdays, numbers, units, seasons, holidays.

Each table maps a lower-cased word to its value; the regular expressions built from them
live here too, so the grammar in :mod:`storyline.text.temporal.timex` reads as a grammar.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

WEEKDAYS: dict[str, int] = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
    "sunday": 7, "sun": 7,
}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

# TimeML part-of-day codes.
PARTS_OF_DAY: dict[str, str] = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                                "tonight": "NI", "overnight": "NI"}

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "eleventh": 11, "twelfth": 12,
}

_UNITS_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                               "seventy": 70, "eighty": 80, "ninety": 90}

# Quantities that are not numbers: TimeML writes them as X.
VAGUE_QUANTITIES = ("several", "few", "a few", "many", "some", "couple of", "a couple of", "numerous",
                    "a number of", "recent", "the past few", "coming")

# Unit word → (TimeML duration letter, is a time unit written after "T").
# TimeML writes decades as E, centuries as C and millennia as L ("P1E" for "a decade").
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "weekend": ("WE", False), "fortnight": ("W", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False), "decade": ("DE", False),
    "century": ("CE", False),
}

# Holidays with a fixed month and day; moving ones are computed in the calendar module.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
    "halloween": (10, 31), "valentine's day": (2, 14), "veterans day": (11, 11),
    "boxing day": (12, 26), "may day": (5, 1),
}

NUMBER_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|"
               r"six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
               r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|one hundred|"
               r"a dozen|half a dozen|a half|an|a)")


def number_value(word: str) -> float | None:
    """``"twenty four"`` → 24, ``"3"`` → 3, ``"a"`` → 1, ``"1.5"`` → 1.5; None for vague or unknown words."""
    w = word.lower().replace("-", " ").replace(",", "").strip()
    if w in ("a", "an", "one"):
        return 1
    if w == "a half":
        return 0.5
    if w in ("a dozen",):
        return 12
    if w in ("a couple of", "couple of", "a couple"):
        return 2  # TimeML: "a couple of years" is P2Y, mod APPROX
    if w == "half a dozen":
        return 6
    if w in ("a hundred", "one hundred"):
        return 100
    try:
        return float(w) if "." in w else int(w)
    except ValueError:
        pass
    parts = w.split()
    if len(parts) == 1:
        return _UNITS_WORDS.get(w, _TENS_WORDS.get(w))
    if len(parts) == 2 and parts[0] in _TENS_WORDS and parts[1] in _UNITS_WORDS:
        return _TENS_WORDS[parts[0]] + _UNITS_WORDS[parts[1]]
    return None


def alternation(words: list[str] | tuple[str, ...] | dict) -> str:
    """A regular-expression alternation of ``words``, longest first so prefixes never win."""
    return "(?:" + "|".join(sorted((w.replace(".", r"\.").replace(" ", r"\s+") for w in words),
                                   key=len, reverse=True)) + ")"
