"""Publication dates: ISO 8601, RFC 822 (feeds), epoch seconds or milliseconds, common written forms."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

from ..text.temporal.lexicon import MONTHS

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Epoch values at or above this are milliseconds: 1e11 seconds is the year 5138,
# while 1e11 milliseconds is 1973.
_MS_THRESHOLD = 1e11
_MIN_YEAR, _MAX_YEAR = 1800, 2200
# The longest written date is well under this; longer values are not parsed (dateutil is slow on them).
_MAX_DATE_CHARS = 100


class DateParseError(ValueError):
    """The value is not a date storyline can read; the message says why."""


def _iso(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
        suffix = "Z"
    else:
        suffix = ""
    spec = "milliseconds" if dt.microsecond else "seconds"
    return dt.isoformat(timespec=spec) + suffix


def _check_year(year: int, raw: object) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        # A feed's date arrives parsed: shown as ISO, not as Python writes a datetime.
        shown = raw.isoformat() if isinstance(raw, date) else repr(raw)
        raise DateParseError(f"date {shown} is out of range (year {year}; {_MIN_YEAR}-{_MAX_YEAR} are read)")


def _from_epoch(value: float, raw: object) -> str:
    if math.isnan(value) or math.isinf(value):
        raise DateParseError(f"epoch value {raw!r} is not a number")
    seconds = value / 1000.0 if abs(value) >= _MS_THRESHOLD else value
    try:
        dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise DateParseError(f"epoch value {raw!r} is out of range") from exc
    _check_year(dt.year, raw)
    return _iso(dt)


def parse_published(value: object) -> str | None:
    """Normalise a publication date to an ISO 8601 string, or ``None`` for an empty value.

    Date-only input stays a date (``2024-10-28``); datetimes with a zone become UTC
    with a ``Z`` suffix; naive datetimes are kept as given. Raises
    :class:`DateParseError` when the value is not empty and cannot be read.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise DateParseError(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise DateParseError("epoch value is out of range (an integer of hundreds of digits)") from None
        return _from_epoch(seconds, value)
    if isinstance(value, datetime):
        _check_year(value.year, value)
        return _iso(value)
    if isinstance(value, date):
        _check_year(value.year, value)
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if len(text) > _MAX_DATE_CHARS:
        raise DateParseError(f"a date of {len(text):,} characters is not a date")
    if _NUMBER.match(text):
        return _from_epoch(float(text), text)
    if _ISO_DATE.match(text):
        try:
            parsed_date = date.fromisoformat(text)
        except ValueError as exc:
            raise DateParseError(f"{text!r} is not a valid date ({exc})") from exc
        _check_year(parsed_date.year, value)
        return parsed_date.isoformat()
    for parse in (_parse_iso, _parse_rfc822, _parse_written):
        parsed = parse(text)
        if parsed is not None:
            _check_year(parsed.year, value)
            return _iso(parsed)
    reason = invalid_day(text)
    if reason is not None:
        raise DateParseError(f"{text!r} is not a valid date ({reason})")
    raise DateParseError(f"cannot read {text!r} as a date")


# The calendar date a timestamp spells: ISO 8601 ("2024-02-30T10:00:00Z") or RFC 822 ("Fri, 30
# Feb 2024 10:00:00 GMT"), the forms feeds and APIs write.
_ISO_DAY = re.compile(r"\A\s*(\d{4})-(\d{2})-(\d{2})")
_RFC822_DAY = re.compile(r"\b(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b",
                         re.IGNORECASE)


def invalid_day(text: str) -> str | None:
    """Why the calendar date written in ``text`` does not exist ("day is out of range for
    month"), or ``None`` when it exists or ``text`` spells none in a form read here. Parsers
    that go through a timestamp (feedparser) read "30 Feb" as 1 March instead."""
    if m := _ISO_DAY.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _RFC822_DAY.search(text):
        year, month, day = int(m[3]), MONTHS[m[2].lower()], int(m[1])
    else:
        return None
    try:
        date(year, month, day)
    except ValueError as exc:
        return str(exc)
    return None


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_written(text: str) -> datetime | None:
    # Only whole-string parses: fuzzy parsing invents dates from any stray number.
    if not any(ch.isdigit() for ch in text):
        return None
    try:
        return dateutil_parser.parse(text, fuzzy=False)
    except (ValueError, OverflowError, dateutil_parser.ParserError):
        return None
