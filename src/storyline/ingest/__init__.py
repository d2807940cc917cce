"""Ingest: every input format to normalised, dated, identified :class:`~storyline.records.Article` records."""

from .dates import DateParseError, parse_published
from .fields import parse_map
from .raw import RawArticle, ReadItem, build_article
from .reader import ReadOptions, read_input, read_records
from .sources import FORMATS, Input, Skipped, expand, sniff

__all__ = [
    "FORMATS",
    "DateParseError",
    "Input",
    "RawArticle",
    "Skipped",
    "ReadItem",
    "ReadOptions",
    "build_article",
    "expand",
    "parse_map",
    "parse_published",
    "read_input",
    "read_records",
    "sniff",
]
