"""Plain-text articles in the seed format: an optional `` date YYYY-MM-DD `` prefix, then the body."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import SourceRef
from .raw import RawArticle

# The prefix may sit on its own first line or run straight into the first paragraph.
_DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ \t]+|[ \t]*\r?\n)")


def split_date_prefix(text: str) -> tuple[str | None, str]:
    """``(" date 2024-10-28 Body…")`` → ``("2024-10-28", "Body…")``; no prefix → ``(None, text)``."""
    match = _DATE_PREFIX.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


def read_plain(text: str, origin: SourceRef, article_id: str | None) -> Iterator[RawArticle]:
    """One article per file; its id is the file name without extension (a hash for stdin)."""
    published, body = split_date_prefix(text)
    yield RawArticle(origin=origin, text=body, id=article_id, published=published)
