"""Ingest: every input format to normalised, dated, identified :class:`~storyline.records.Article` records."""

from .dates import DateParseError, parse_published
from .fields import parse_map
from .raw import RawArticle, RawItem, ReadItem, build_article
from .reader import (
    ReadOptions,
    build_items,
    build_one,
    read_input,
    read_raw_input,
    read_raw_records,
    read_records,
)
from .sources import FORMATS, Input, Skipped, expand, sniff

__all__ = [
    "FORMATS",
    "DateParseError",
    "Input",
    "RawArticle",
    "RawItem",
    "Skipped",
    "ReadItem",
    "ReadOptions",
    "build_article",
    "build_items",
    "build_one",
    "expand",
    "parse_map",
    "parse_published",
    "read_input",
    "read_raw_input",
    "read_raw_records",
    "read_records",
    "sniff",
]
