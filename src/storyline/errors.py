"""Named exceptions, so callers can handle each failure and the CLI can say what went wrong."""

from __future__ import annotations


def sqlite_primary_code(exc: BaseException) -> int:
    """SQLite's primary result code of ``exc`` (its extended code's low byte; 0 when it has none):
    the store and the CLI tell a full disk, a damaged page or a read-only file from it."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""


class SettingsError(StorylineError, ValueError):
    """A setting has an impossible value."""


class InputError(StorylineError):
    """An input (file, URL, record) cannot be read; ``location`` and ``line`` say where."""

    def __init__(self, location: str, reason: str, line: int | None = None) -> None:
        self.location = location
        self.reason = reason
        self.line = line
        where = f"{location}:{line}" if line is not None else location
        super().__init__(f"{where}: {reason}")


class FetchError(InputError):
    """A URL could not be fetched (unreachable, timed out, too large, HTTP error)."""


class StoreError(StorylineError):
    """The store cannot be opened or migrated."""


class NoStoreError(StoreError):
    """Reading a store that does not exist (a mistyped path would otherwise create an empty one)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"no store at {path}; create one with `storyline ingest`")


class StoreWriteFailed(StoreError):
    """A write to the store failed for want of disk (``full``) or on a disk error: it was rolled
    back whole, and what the store held before it is intact."""

    def __init__(self, path: object, reason: str, full: bool, stored_before: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.full = full
        self.stored_before = stored_before  # the articles an ingest stored before the failed batch
        what = "the disk holding it is full" if full else "the disk failed a write"
        before = ("" if stored_before is None else "; this ingest stored nothing before it" if not stored_before
                  else f"; this ingest stored {stored_before:,} article{'' if stored_before == 1 else 's'} before "
                       "it (run it again and those are skipped)")
        fix = "free some space and try again" if full else "check the disk and try again"
        super().__init__(f"{path}: cannot write: {what} ({reason}); what was being written was rolled back, "
                         f"what the store held before it is intact{before}; {fix}")

    def after(self, stored_before: int) -> StoreWriteFailed:
        """The same failure, saying how many articles the ingest stored before it."""
        return StoreWriteFailed(self.path, self.reason, self.full, stored_before)


class StoreReadOnly(StoreError):
    """A write to a store that can only be read from here (``reason``: a read-only file system, a
    file or folder this user may not write). Nothing was written; reading it works."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: the store can only be read from here ({reason}), and this needs to write to "
                         "it; nothing was written. Copy it to a folder you can write (with its -wal file, if "
                         "there is one) and use the copy")


class QueryError(StorylineError, ValueError):
    """A search or a listing was asked for something it cannot answer (no words to search for,
    an unknown sort order, a day that is not a date)."""


class NotFoundError(StorylineError, KeyError):
    """No record with this id in the store."""

    def __init__(self, kind: str, key: str, near: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.key = key
        self.near = near  # ids that start as ``key`` does (a shortened id, as a reader copies one)
        super().__init__(str(self))

    def __str__(self) -> str:  # KeyError would quote the whole message
        said = f"no {self.kind} with id {self.key!r}"
        if self.near:
            said += f"; did you mean {' or '.join(self.near)}?"
        return said


class BudgetExceeded(StorylineError):
    """A step took longer on one input than its time budget allows (the input is rejected, not waited on)."""
