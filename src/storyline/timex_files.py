"""Temporal expressions of a text file, as ``storyline timex`` reports them.

The reference date is the one given, else the seed-format prefix (`` date YYYY-MM-DD ``);
the prefix itself is not part of the article and is not tagged, yet offsets count from
the first character of the file, so ``text[start:end]`` of the file is the expression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .ingest.decode import read_text_file
from .ingest.plain import split_date_prefix
from .text.temporal.timex import Timex, tag


@dataclass(slots=True, frozen=True)
class TaggedFile:
    path: str
    reference: dt.date | None
    timexes: list[Timex]


def parse_reference(value: str, location: str = "--date") -> dt.date:
    """``YYYY-MM-DD`` → a date; anything else is an :class:`InputError` naming ``location``."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(location, f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def tag_text(text: str, reference: dt.date | None = None) -> tuple[dt.date | None, list[Timex]]:
    """Tag ``text``; a seed-format date prefix supplies the reference unless one is given."""
    published, body = split_date_prefix(text)
    if reference is None and published is not None:
        reference = parse_reference(published, "the date prefix")
    offset = len(text) - len(body)
    found = tag(body, reference)
    if offset:
        found = [Timex(t.start + offset, t.end + offset, t.text, t.type, t.value, t.mod) for t in found]
    return reference, found


def tag_file(path: str | Path, reference: dt.date | None = None, encoding: str = "utf-8") -> TaggedFile:
    reference, found = tag_text(read_text_file(path, encoding), reference)
    return TaggedFile(str(path), reference, found)
