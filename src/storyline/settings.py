"""One typed settings object with documented defaults, passed explicitly to every stage."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import SettingsError

DEFAULT_DB = Path("storyline.db")


@dataclass(slots=True, frozen=True)
class IngestSettings:
    """Limits and defaults of ingest.

    Attributes:
        max_article_chars: an article whose normalised text is longer is rejected. News
            articles are rarely over 100k characters; 1M leaves room for transcripts while
            keeping one bad input from filling memory or the store.
        max_file_bytes: a single-article file (plain text, HTML page) larger than this is
            rejected before it is read.
        max_record_bytes: one JSONL line or CSV record larger than this is rejected.
        fetch_timeout_s: connect and read timeout for URLs (feeds, pages).
        max_fetch_bytes: a URL whose body is larger than this is rejected.
        encoding: how files are decoded; invalid bytes are an error, never silently replaced.
        batch_size: articles written per store transaction.
        min_page_words: an HTML page is an article only if its main text has a paragraph
            of at least this many words; otherwise the extractor found only navigation.
        user_agent: sent when fetching URLs.
    """

    max_article_chars: int = 1_000_000
    max_file_bytes: int = 10_000_000
    max_record_bytes: int = 10_000_000
    fetch_timeout_s: float = 10.0
    max_fetch_bytes: int = 20_000_000
    encoding: str = "utf-8"
    batch_size: int = 500
    min_page_words: int = 10
    user_agent: str = "storyline/0.1 (+https://pypi.org/project/storyline/)"

    def __post_init__(self) -> None:
        for name in ("max_article_chars", "max_file_bytes", "max_record_bytes", "max_fetch_bytes", "batch_size",
                     "min_page_words"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"ingest.{name} must be a positive number, got {getattr(self, name)!r}")
        if self.fetch_timeout_s <= 0:
            raise SettingsError(f"ingest.fetch_timeout_s must be > 0 seconds, got {self.fetch_timeout_s!r}")


@dataclass(slots=True, frozen=True)
class Settings:
    """Everything tunable in storyline, with documented defaults.

    Attributes:
        db_path: the SQLite store.
        ingest: see :class:`IngestSettings`.
    """

    db_path: Path = DEFAULT_DB
    ingest: IngestSettings = field(default_factory=IngestSettings)

    def with_db(self, db_path: str | Path) -> Settings:
        """A copy pointing at another store (settings are frozen, so callers never share mutations)."""
        return replace(self, db_path=Path(db_path))
