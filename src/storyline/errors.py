"""Named exceptions, so callers can handle each failure and the CLI can say what went wrong."""

from __future__ import annotations


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
