"""Reads one :class:`Input` in its format and yields Articles, Rejections and warnings in order."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..errors import InputError
from ..records import Rejection, SourceRef
from ..settings import IngestSettings
from .decode import decode
from .feeds import read_feed
from .fetch import fetch
from .fields import FieldResolver
from .html import read_html_page
from .plain import read_plain
from .raw import RawArticle, ReadItem, build_article
from .sources import Format, Input, sniff
from .tabular import read_csv, read_jsonl


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """How to read inputs: a forced format (else from the extension or content) and a field map."""

    format: Format | None = None
    mapping: dict[str, str] = field(default_factory=dict)


def read_input(item: Input, settings: IngestSettings, options: ReadOptions) -> Iterator[ReadItem]:
    """Everything one input yields; an unreadable input is one Rejection, never an exception."""
    try:
        yield from _built(_read_raw(item, settings, options), settings)
    except OSError as exc:
        yield Rejection(SourceRef(item.location), f"cannot read ({exc.strerror or exc})")


def read_records(records: Iterable[object], location: str, settings: IngestSettings,
                 options: ReadOptions | None = None) -> Iterator[ReadItem]:
    """Articles from JSON records already decoded (the HTTP API's request body), each checked
    as a line of a JSONL file would be: record *n* is reported as line *n* of ``location``."""
    options = options or ReadOptions()
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records]
    if not lines:  # nothing sent is nothing to read, not an empty file
        return
    data = b"\n".join(lines)
    stream = io.BufferedReader(io.BytesIO(data))
    yield from _built(read_jsonl(stream, location, FieldResolver(options.mapping), settings), settings)


def _built(raws: Iterable[RawArticle | Rejection], settings: IngestSettings) -> Iterator[ReadItem]:
    """Raw articles built into Articles; a reader's error ends the input as one Rejection."""
    try:
        for raw in raws:
            if isinstance(raw, RawArticle):
                yield from build_article(raw, settings)
            else:
                yield raw
    except InputError as exc:
        yield Rejection(SourceRef(exc.location, exc.line), exc.reason)


def _read_raw(item: Input, settings: IngestSettings, options: ReadOptions) -> Iterator[RawArticle | Rejection]:
    resolver = FieldResolver(options.mapping)
    if item.kind == "url":
        fetched = fetch(item.location, settings)
        fmt = options.format or sniff(fetched.data[:4096])
        yield from _read_bytes(fetched.data, fmt, item.location, None, fetched.url, resolver, settings)
        return
    stream = _open(item)
    try:
        head = stream.peek(4096)[:4096]
        fmt = options.format or item.format_hint or sniff(head)
        if fmt == "jsonl":
            yield from read_jsonl(stream, item.location, resolver, settings)
        elif fmt in ("csv", "tsv"):
            yield from read_csv(stream, item.location, resolver, settings, delimiter="\t" if fmt == "tsv" else None)
        else:
            data = stream.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise InputError(item.location, _too_big(data, stream, settings.max_file_bytes))
            article_id = item.path.stem if item.kind == "file" else None
            yield from _read_bytes(data, fmt, item.location, article_id, None, resolver, settings)
    finally:
        if item.kind == "file":
            stream.close()


def _too_big(data: bytes, stream: BinaryIO, limit: int) -> str:
    try:
        size = f"{stream.seek(0, io.SEEK_END) / 1e6:.1f} MB"
    except OSError:
        size = f"over {len(data) / 1e6:.1f} MB"
    return (f"file is {size}, over the limit of {limit / 1e6:g} MB for one article, page or feed "
            "(settings: ingest.max_file_bytes)")


def _open(item: Input) -> io.BufferedReader:
    if item.kind == "stdin":
        buffer = sys.stdin.buffer
        return buffer if isinstance(buffer, io.BufferedReader) else io.BufferedReader(buffer)  # type: ignore[arg-type]
    return open(item.location, "rb")  # noqa: SIM115 - closed by the caller


def _read_bytes(data: bytes, fmt: Format, location: str, article_id: str | None, url: str | None,
                resolver: FieldResolver, settings: IngestSettings) -> Iterator[RawArticle | Rejection]:
    if fmt == "feed":
        if not data.strip():
            raise InputError(location, "empty file")
        yield from read_feed(data, location)
    elif fmt == "html":
        yield from read_html_page(decode(data, location, settings.encoding), SourceRef(location), url, article_id,
                                  settings.min_page_words)
    elif fmt == "text":
        yield from read_plain(decode(data, location, settings.encoding), SourceRef(location), article_id)
    elif fmt == "jsonl":
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), location, resolver, settings)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(io.BufferedReader(io.BytesIO(data)), location, resolver, settings,
                            delimiter="\t" if fmt == "tsv" else None)
    else:  # pragma: no cover - Format is a closed set
        raise InputError(location, f"unknown format {fmt!r}")
