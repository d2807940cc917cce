"""A story's log row as ``story_events`` holds it (schema 28).

``story_log`` took ~190 bytes an article on the stream benchmark's stores, half of it text that
other tables already hold: the time as 25 characters of ISO 8601, the story by its 13-character
id (and again, with the time, in its index), the event as a word, and ``{"shared_terms": [...]}``
around the terms. A row now holds the story's seq, the time in whole seconds, the event as a
small integer and the shared terms joined by tabs; the rest of the detail stays JSON.

* ``at``: whole seconds since 1970 (UTC) where the ISO text is exactly what
  :func:`at_text` gives back (``2026-12-04T16:48:58+00:00``); any other text is kept as written.
* ``terms``: the detail's ``shared_terms`` when it is its last key and every term is a string
  with no tab, quote, backslash or control character (so ``story_log``, the view, can write
  them back as JSON with SQL alone): joined by tabs, ``''`` for none. ``NULL``: the detail
  keeps them, or has none.
* ``detail``: the rest of the detail as compact JSON; ``NULL`` for nothing more.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from ..errors import StoreError

#: The events a story's log records, by their stored code (the index).
EVENTS = ("created", "joined", "merged", "absorbed", "split", "split_off", "moved")
EVENT_CODES = {name: code for code, name in enumerate(EVENTS)}

_TERMS_KEY = "shared_terms"
# What a term may not hold to be kept apart from the JSON: the tab that joins them, and what
# JSON would escape (the view writes them back between quotes as they are).
_UNSAFE = re.compile(r'[\x00-\x1f"\\\x7f]')


def event_code(event: str) -> int:
    try:
        return EVENT_CODES[event]
    except KeyError:
        raise StoreError(f"unknown story event {event!r}; one of {', '.join(EVENTS)}") from None


def event_name(code: int) -> str:
    if not 0 <= code < len(EVENTS):
        raise StoreError(f"a story event's stored code {code} is not one of 0-{len(EVENTS) - 1}")
    return EVENTS[code]


def at_value(text: str) -> int | str:
    """An ISO 8601 time as stored: whole seconds where that writes back to the same text."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    seconds = int(moment.timestamp())
    return seconds if at_text(seconds) == text else text


def at_text(value: int | str) -> str:
    """A stored time as ISO 8601 (UTC, to the second), as the log was written before schema 28."""
    if isinstance(value, str):
        return value
    return datetime.fromtimestamp(value, timezone.utc).isoformat(timespec="seconds")


def now_value() -> int:
    return int(datetime.now(timezone.utc).timestamp())


def pack_detail(detail: dict[str, Any]) -> tuple[str | None, str | None]:
    """A detail dict -> (``terms``, ``detail``) as stored."""
    terms: str | None = None
    rest = detail
    if detail and list(detail)[-1] == _TERMS_KEY:
        shared = detail[_TERMS_KEY]
        if isinstance(shared, list) and all(isinstance(t, str) and not _UNSAFE.search(t) and t for t in shared):
            terms = "\t".join(shared)
            rest = {k: v for k, v in detail.items() if k != _TERMS_KEY}
    return terms, (json.dumps(rest, ensure_ascii=False, separators=(",", ":")) if rest else None)


def unpack_detail(terms: str | None, detail: str | None) -> dict[str, Any]:
    """(``terms``, ``detail``) as stored -> the detail dict it was packed from."""
    out: Any = {}
    if detail:
        try:
            out = json.loads(detail)
        except ValueError as exc:
            raise StoreError(f"a story event's detail is not JSON ({exc}): {detail[:80]!r}") from exc
        if not isinstance(out, dict):
            raise StoreError(f"a story event's detail is not a JSON object: {detail[:80]!r}")
    if terms is not None:
        out[_TERMS_KEY] = terms.split("\t") if terms else []
    return out
