"""How ``passage_rows`` (schema 27) holds a passage's status and score: the status as a small
integer, the score in ten-thousandths (the reuse stage rounds scores to four places). The
``passages`` view gives both back as they were written before (words, and a REAL)."""

from __future__ import annotations

from ..errors import StoreError
from ..records import PassageStatus

STATUSES: tuple[PassageStatus, ...] = ("new", "recycled", "boilerplate")
_CODES: dict[str, int] = {status: code for code, status in enumerate(STATUSES)}


def status_code(status: str) -> int:
    """Raises :class:`StoreError` for a status the store does not know."""
    try:
        return _CODES[status]
    except KeyError:
        raise StoreError(f"unknown passage status {status!r}: {', '.join(STATUSES)}") from None


def status_of(code: int) -> PassageStatus:
    try:
        return STATUSES[code]
    except (IndexError, TypeError):
        raise StoreError(f"passage_rows.status {code!r} is none of 0, 1, 2") from None


def pack_score(score: float | None) -> int | None:
    return None if score is None else round(score * 10000)


def unpack_score(stored: int | None) -> float | None:
    # 5114 / 10000 is the double nearest 0.5114, as round(score, 4) gave it
    return None if stored is None else stored / 10000
