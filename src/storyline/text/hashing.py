"""Content hashes: exact-duplicate detection and stable ids for records that lack one."""

from __future__ import annotations

import hashlib
import re

_WS = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """A 128-bit hex digest of the text with case and whitespace differences removed.

    Two inputs with the same hash are the same article for ingest's purposes (a
    re-posted copy with different line wrapping or capitalised headline counts once).
    """
    key = _WS.sub(" ", text).strip().casefold()
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def stable_id(text: str) -> str:
    """An id derived from content, for records that come without one: the same text, the same id."""
    return "h" + content_hash(text)[:16]
