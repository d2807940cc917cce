"""Dates written with a month's name in German, French, Spanish, Italian, Portuguese, Dutch,
Russian, Polish, Turkish and Arabic, and day-first dates in numbers with points, normalised
against a reference date (TimeML values).

The English rules (:mod:`.timex`) read "October 28, 2024" and "28 October 2024"; news in these
languages writes the same date "28. Oktober 2024", "28 octobre 2024", "1er mars", "28 de octubre
de 2024", "28 ottobre 2024", "28 de outubro de 2024", "28 oktober 2024", "28 октября 2024 года",
"28 października 2024 r.", "28 Ekim 2024", "28 أكتوبر 2024" (or "28 تشرين الأول", as the Levant
names its months), "28.10.2024". What this finds:

- a day and a month's name, with a year after it (``2024-10-28``) or without one (the date
  nearest the reference, as news speaks of the days around its own; ``XXXX-10-28`` without one);
  Russian and Polish write the month's name after a day in the genitive ("октября", "października");
- a month's name and a year (``Oktober 2024``, ``octubre de 2024``, "в октябре 2024 года", "w
  październiku 2024": ``2024-10``);
- a date in numbers with points, day first, as these languages write it (``28.10.2024``); English
  never writes a date so (its "10/28/2024" is :mod:`.timex`'s); with slashes or dashes where
  only the day can come first ("28/10/2024", "3-3-2020"), in any language.

Arabic-Indic and Persian digits (٢٨ ١٠ ٢٠٢٤) are read as digits. Only a month's name next to a
number is read: "Mai", "mars" or "marzo" alone name no date (a word of another language may be
spelt so), and only German and Turkish write their months capitalised ("2 Mars rovers" is no
date). The days named from the reference are :mod:`.named_days`'s. English expressions are
:mod:`.timex`'s; where the two overlap the caller keeps the English one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..function_words import mostly_other_language
from .calendar import day_or_none, nearest_day

# A month's names, a line a month: German, French, Spanish, Italian, Portuguese and Dutch; then
# Russian (the genitive after a day, the prepositional after "в", the nominative), Polish (the
# same three cases), Turkish, and Arabic: the names Egypt and the Gulf write (with and without
# hamza), then the Levant's (two of them are two words: كانون الثاني, تشرين الأول).
_MONTH_NAMES = ((
        "januar jänner janvier enero gennaio janeiro januari",
        "februar février fevrier febrero febbraio fevereiro februari",
        "märz maerz mars marzo março marco maart",
        "april avril abril aprile",
        "mai mayo maggio maio mei",
        "juni juin junio giugno junho",
        "juli juillet julio luglio julho",
        "august août aout agosto augustus",
        "september septembre septiembre setiembre settembre setembro",
        "oktober octobre octubre ottobre outubro",
        "november novembre noviembre novembro",
        "dezember december décembre decembre diciembre dicembre dezembro"), (
        "января январе январь stycznia styczniu styczeń ocak يناير كانون_الثاني",
        "февраля феврале февраль lutego lutym luty şubat subat فبراير شباط",
        "марта марте март marca marcu marzec mart مارس آذار اذار",
        "апреля апреле апрель kwietnia kwietniu kwiecień nisan أبريل إبريل ابريل نيسان",
        "мая мае май maja maju maj mayıs mayis مايو أيار ايار",
        "июня июне июнь czerwca czerwcu czerwiec haziran يونيو يونية حزيران",
        "июля июле июль lipca lipcu lipiec temmuz يوليو يولية تموز",
        "августа августе август sierpnia sierpniu sierpień ağustos agustos أغسطس اغسطس آب",
        "сентября сентябре сентябрь września wrześniu wrzesień eylül eylul سبتمبر أيلول ايلول",
        "октября октябре октябрь października październiku październik ekim أكتوبر اكتوبر تشرين_الأول تشرين_الاول",
        "ноября ноябре ноябрь listopada listopadzie listopad kasım kasim نوفمبر تشرين_الثاني",
        "декабря декабре декабрь grudnia grudniu grudzień aralık aralik ديسمبر كانون_الأول كانون_الاول"))
_MONTHS: dict[str, int] = {name.replace("_", " "): number for table in _MONTH_NAMES
                           for number, names in enumerate(table, start=1) for name in names.split()}
# The months German and Turkish write capitalised (the other languages here write them in lower case).
_CAPITALISED = frozenset("januar jänner februar märz maerz april mai juni juli august september oktober november "
                         "dezember ocak şubat subat mart nisan mayıs mayis haziran temmuz ağustos agustos eylül "
                         "eylul ekim kasım kasim aralık aralik".split())
# Arabic-Indic and Persian digits as ASCII ones, the same length: offsets into the text are kept.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_OTHER_DIGIT = re.compile("[٠-٩۰-۹]")
_WORD = re.compile(r"[^\W\d_]+")
# How much of a text's beginning tells its language, for an ambiguous date in numbers.
OTHER_LANGUAGE_CHARS = 2000
# Names English shares (April, August, September, November, December) are here too, for the forms English
# does not write ("5. November"); where the English rules read the same words, theirs are kept.
# A month's name is looked up in _MONTHS once a number is found next to a word: scanning for the
# names themselves (an alternation of 60, case aside) cost ~150 µs a kB of English text.
# The patterns begin with a digit, which the regex engine looks for fast; what may not come
# before the number (a letter, a digit, a point: "v2", "1.5") is checked after a match.
_DAY_WORD = re.compile(r"(?P<d>\d\d?)(?:\.|er|º|°)?\s+(?:de\s+)?"
                       r"(?P<m>[^\W\d_]{3,12}(?:\s+(?:الأول|الاول|الثاني))?)\b")
_YEAR_AFTER = re.compile(r",?\s+(?:de\s+|del\s+)?(?P<y>(?:1[5-9]|20)\d\d)\b")
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d\b")
# Day, month and year in numbers: with points ("28.10.2024", which English never writes), or with
# slashes or dashes where only a day can come first ("28/10/2024", "3-3-2020"). "02/01/2020" is
# 2 January in Paris and 1 February in New York: it is read day first in text mostly in another
# language (:func:`~storyline.text.function_words.mostly_other_language`), and left to the English
# rules otherwise.
_NUMERIC = re.compile(r"(?P<d>\d\d?)(?P<sep>[./-])(?P<m>\d\d?)(?P=sep)(?P<y>(?:1[5-9]|20)\d\d)(?!\d|(?P=sep)\d)")
_WORD_BEFORE = re.compile(r"(?<![\w.])(?P<m>(?:(?:كانون|تشرين)\s+)?[^\W\d_]{3,12})\s+(?:de\s+|del\s+)?\Z")


def _glued(text: str, start: int) -> bool:
    """Whether the number at ``start`` is the end of a word or of a longer number."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._")


def tag_month_names(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, type, value)`` of each date this module finds in ``text``: days with their
    month's name first, then dates in numbers, then months with a year where no day took them."""
    if not text.isascii() and _OTHER_DIGIT.search(text):
        text = text.translate(_DIGITS)
    taken = bytearray(len(text))
    for m in _DAY_WORD.finditer(text):
        month = _MONTHS.get(m["m"].lower())
        if month is None or _glued(text, m.start()):
            continue
        day, end = int(m["d"]), m.end()
        year = _YEAR_AFTER.match(text, end)
        if year:
            date = day_or_none(int(year["y"]), month, day)
            value, end = (date.isoformat(), year.end()) if date else (None, end)
        elif day_or_none(2000, month, day) is None:  # 2000: a leap year
            value = None
        elif m["m"][0].isupper() and m["m"].lower() not in _CAPITALISED:
            value = None  # "2 Mars" is not in March: French writes "2 mars"
        else:
            near = nearest_day(reference, month, day) if reference is not None else None
            value = near.isoformat() if near else f"XXXX-{month:02d}-{day:02d}"
        if value is not None:
            taken[m.start():end] = b"\x01" * (end - m.start())
            yield m.start(), end, "DATE", value
    other: bool | None = None  # whether the text is mostly in another language, found when asked
    for m in _NUMERIC.finditer(text):
        day, month = int(m["d"]), int(m["m"])
        if m["sep"] != "." and day <= 12 and day != month:
            if other is None:
                other = mostly_other_language(_WORD.findall(text.lower(), 0, OTHER_LANGUAGE_CHARS))
            if not other:
                continue  # either could be the month, and English writes the month first
        date = day_or_none(int(m["y"]), month, day)
        if date is not None and not _glued(text, m.start()):
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            yield m.start(), m.end(), "DATE", date.isoformat()
    for y in _YEAR.finditer(text):
        if _glued(text, y.start()):
            continue
        before = _WORD_BEFORE.search(text, max(0, y.start() - 24), y.start())
        month = _MONTHS.get(before["m"].lower()) if before else None
        if before is not None and month is not None and taken.find(1, before.start(), y.end()) < 0:
            yield before.start(), y.end(), "DATE", f"{int(y.group()):04d}-{month:02d}"
