"""Reads one :class:`Input` in its format and yields Articles, Rejections and warnings in order."""

from __future__ import annotations

import codecs
import io
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from ..errors import InputError
from ..records import Rejection, Skipped, SourceRef
from ..settings import IngestSettings
from .compressed import decompressing, inner_stem
from .decode import bom_encoding, declared_charset, decode, meta_charset
from .feeds import read_feed
from .fetch import fetch
from .fields import FieldResolver
from .html import check_html_limits, read_html_page
from .plain import read_plain
from .raw import RawArticle, RawItem, ReadItem, build_article, printable
from .sources import PARQUET_MAGIC, Format, Input, sniff
from .tabular import json_record, read_csv, read_jsonl

log = logging.getLogger("storyline.ingest")


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """How to read inputs: a forced format (else from the extension or content) and a field map."""

    format: Format | None = None
    mapping: dict[str, str] = field(default_factory=dict)


def read_input(item: Input, settings: IngestSettings, options: ReadOptions) -> Iterator[ReadItem]:
    """Everything one input yields; an unreadable input is one Rejection, never an exception."""
    yield from build_items(read_raw_input(item, settings, options), settings)


def read_raw_input(item: Input, settings: IngestSettings, options: ReadOptions) -> Iterator[RawItem]:
    """What :func:`read_input` yields, with each article as the reader found it (a
    :class:`RawArticle`, for :func:`build_items` or :func:`build_one` to build, here or in
    another process); an unreadable input is one Rejection, never an exception."""
    yield from _guarded(_read_raw(item, settings, options), item.name)


def read_records(records: Iterable[object], location: str, settings: IngestSettings,
                 options: ReadOptions | None = None, first: int = 1) -> Iterator[ReadItem]:
    """Articles from JSON records already decoded (the HTTP API's request body, the rows of a
    Parquet file), each checked as a line of a JSONL file would be: record *n* is reported as
    line *n* of ``location``, counting from ``first``."""
    yield from build_items(read_raw_records(records, location, options, first), settings)


def read_raw_records(records: Iterable[object], location: str, options: ReadOptions | None = None,
                     first: int = 1) -> Iterator[RawItem]:
    """What :func:`read_records` yields, with each article as a :class:`RawArticle` (see
    :func:`read_raw_input`)."""
    resolver = FieldResolver((options or ReadOptions()).mapping)
    raws = (json_record(record, SourceRef(location, number), resolver)
            for number, record in enumerate(records, start=first))
    yield from _guarded(raws, location)


def _guarded(raws: Iterable[RawItem], location: str) -> Iterator[RawItem]:
    """A reader's error ends its input as one Rejection (what was read stays read)."""
    try:
        yield from raws
    except InputError as exc:
        yield Rejection(SourceRef(printable(exc.location), exc.line), exc.reason)
    except OSError as exc:
        yield Rejection(SourceRef(location), f"cannot read ({exc.strerror or exc})")
    except Exception as exc:  # the boundary of one input: its failure must not end the run
        log.exception("reading %s failed", location)
        yield Rejection(SourceRef(location), f"could not be read ({_failure(exc)}); "
                                             "the rest of this input was not read")


def build_items(items: Iterable[RawItem | ReadItem], settings: IngestSettings) -> Iterator[ReadItem]:
    """Each raw article built (:func:`build_one`), everything else passed on, in order."""
    for item in items:
        if isinstance(item, RawArticle):
            yield from build_one(item, settings)
        else:
            yield item


def build_one(raw: RawArticle, settings: IngestSettings) -> list[ReadItem]:
    """The article of one raw article with its warnings, or its Rejection: a record that fails
    in any way is rejected alone and the input goes on."""
    built: list[ReadItem] = []
    try:
        built.extend(build_article(raw, settings))  # the warnings before a failure are kept
    except Exception as exc:  # the boundary of one record: the others still ingest
        log.exception("building the article of %s failed", raw.origin)
        built.append(Rejection(raw.origin, f"could not be read ({_failure(exc)})"))
    return built


def _failure(exc: BaseException) -> str:
    message = str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"{type(exc).__name__}: {message[:200]}" if message else type(exc).__name__


def _read_raw(item: Input, settings: IngestSettings,
              options: ReadOptions) -> Iterator[RawArticle | Rejection | Skipped]:
    resolver = FieldResolver(options.mapping)
    location = item.name
    if item.kind == "url":
        fetched = fetch(item.location, settings)
        data = _decompressed_body(fetched.data, location, settings.max_fetch_bytes)
        fmt = options.format or sniff(data[:4096])
        yield from _read_bytes(data, fmt, location, None, fetched.url, resolver, settings,
                               declared_charset(fetched.charset))
        return
    raw = _open(item)
    # A compressed input is read as it decompresses (the limits below count its text).
    decompressed = decompressing(raw, location)
    stream = decompressed if decompressed is not None else raw
    sized = raw if decompressed is None else None  # what _too_big may seek to tell the size
    try:
        head = stream.peek(4096)[:4096]
        if item.is_parquet or (options.format is None and item.format_hint is None and head.startswith(PARQUET_MAGIC)):
            raise InputError(location, "a Parquet file: `storyline batch` reads Parquet (ingest reads text, JSONL, "
                                       "CSV, feeds and pages)")
        fmt = options.format or item.format_hint or sniff(head)
        if fmt in ("jsonl", "csv", "tsv") and _wide_encoding(head, settings.encoding):
            # UTF-16/32 cannot be cut into lines at b"\n": such a file is read whole (bounded) as UTF-8.
            data = stream.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise InputError(location, _too_big(data, sized, settings.max_file_bytes))
            yield from _read_bytes(data, fmt, location, None, None, resolver, settings)
        elif fmt == "jsonl":
            yield from read_jsonl(stream, location, resolver, settings)
        elif fmt in ("csv", "tsv"):
            yield from read_csv(stream, location, resolver, settings, delimiter="\t" if fmt == "tsv" else None)
        else:
            data = stream.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise InputError(location, _too_big(data, sized, settings.max_file_bytes))
            article_id = inner_stem(item.path) if item.kind == "file" else None
            yield from _read_bytes(data, fmt, location, article_id, None, resolver, settings)
    finally:
        if decompressed is not None:
            decompressed.close()  # the decompressor; the file under it is closed next (stdin is never closed)
        if item.kind == "file":
            raw.close()


def _decompressed_body(data: bytes, location: str, limit: int) -> bytes:
    """A fetched body that is compressed (an archive's "dump.jsonl.gz"; the fetch asks for no
    transfer encoding, but a server may send one anyway): decompressed, to at most ``limit`` bytes
    as the body itself was."""
    stream = decompressing(io.BufferedReader(io.BytesIO(data)), location)
    if stream is None:
        return data
    with stream:
        out = stream.read(limit + 1)
    if len(out) > limit:
        raise InputError(location, f"the body decompresses to over {limit / 1e6:g} MB, the limit of one "
                                   "fetched body (settings: ingest.max_fetch_bytes)")
    return out


def _wide_encoding(head: bytes, encoding: str) -> bool:
    name = bom_encoding(head) or codecs.lookup(encoding).name
    return name.startswith(("utf-16", "utf-32"))


def _as_utf8(data: bytes, location: str, settings: IngestSettings) -> tuple[bytes, IngestSettings]:
    """A UTF-16/32 record file as UTF-8, for the line-based readers."""
    encoding = bom_encoding(data) or settings.encoding
    if not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return data, settings
    text = decode(data, location, encoding)
    return text.encode("utf-8", errors="surrogatepass"), replace(settings, encoding="utf-8")


def _too_big(data: bytes, stream: BinaryIO | None, limit: int) -> str:
    """``stream``: the file, to tell its size (None for a compressed one: finding the size of
    what it holds would mean decompressing all of it)."""
    size = f"over {len(data) / 1e6:.1f} MB"
    if stream is not None:
        try:
            size = f"{stream.seek(0, io.SEEK_END) / 1e6:.1f} MB"
        except OSError:  # standard input
            pass
    return (f"file is {size}, over the limit of {limit / 1e6:g} MB for one article, page or feed "
            "(settings: ingest.max_file_bytes)")


def _open(item: Input) -> io.BufferedReader:
    if item.kind == "stdin":
        buffer = sys.stdin.buffer
        return buffer if isinstance(buffer, io.BufferedReader) else io.BufferedReader(buffer)  # type: ignore[arg-type]
    return open(item.location, "rb")  # noqa: SIM115 - closed by the caller


def _read_bytes(data: bytes, fmt: Format, location: str, article_id: str | None, url: str | None,
                resolver: FieldResolver, settings: IngestSettings,
                declared: str | None = None) -> Iterator[RawArticle | Rejection | Skipped]:
    if fmt in ("jsonl", "csv", "tsv"):
        data, settings = _as_utf8(data, location, settings)
    if fmt == "feed":
        if not data.strip():
            raise InputError(location, "empty file")
        yield from read_feed(data, location, settings)
    elif fmt == "html":
        html = decode(data, location, settings.encoding, declared=declared or meta_charset(data))
        check_html_limits(html, location, settings)
        yield from read_html_page(html, SourceRef(location), url, article_id, settings.min_page_words,
                                  settings.max_html_depth)
    elif fmt == "text":
        yield from read_plain(decode(data, location, settings.encoding), SourceRef(location), article_id)
    elif fmt == "jsonl":
        yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), location, resolver, settings)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(io.BufferedReader(io.BytesIO(data)), location, resolver, settings,
                            delimiter="\t" if fmt == "tsv" else None)
    else:  # pragma: no cover - Format is a closed set
        raise InputError(location, f"unknown format {fmt!r}")
