"""JSONL (or a JSON array) and CSV/TSV: one article per record, columns mapped to fields.

Both readers stream: a bad record is rejected with its line number and the rest of
the file still ingests.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from ..errors import InputError
from ..records import Rejection, Skipped, SourceRef
from ..settings import IngestSettings
from .decode import check_not_binary, decode_line
from .fields import DEFAULT_ALIASES, FieldResolver
from .raw import RawArticle, printable

_TEXT_KEYS_HINT = ", ".join(DEFAULT_ALIASES["text"])


def _record_to_raw(record: Mapping[str, object], fields: dict[str, str], origin: SourceRef) -> RawArticle | Rejection:
    used = set(fields.values())
    text = record.get(fields["text"]) if "text" in fields else None
    title = record.get(fields["title"]) if "title" in fields else None
    blocks: list[str] | None = None
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        blocks, text = text, None
    elif text is not None and not isinstance(text, str):
        return Rejection(origin, f"field {fields['text']!r} must be a string or a list of strings, "
                                 f"not {type(text).__name__}")
    if not (blocks or (isinstance(text, str) and text.strip())):
        if isinstance(title, str) and title.strip():
            # Headline-only records (e.g. the UCI news aggregator) are still articles.
            text = title
        else:
            return Rejection(origin, f"record has no text: expected a non-empty {_TEXT_KEYS_HINT} "
                                     "or title field (or name the column with --map text=COLUMN)")
    metadata = {
        str(k): (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
        for k, v in record.items()
        if k not in used and k is not None and v is not None
    }
    notes: list[str] = []
    scalars = {name: _scalar(record.get(fields[name]), fields[name], notes) if name in fields else None
               for name in ("id", "title", "source", "url")}
    return RawArticle(
        origin=origin,
        text=text if isinstance(text, str) else None,
        blocks=blocks,
        id=scalars["id"],
        title=scalars["title"],
        source=scalars["source"],
        url=scalars["url"],
        published=record.get(fields["published"]) if "published" in fields else None,
        metadata=metadata,
        notes=tuple(notes),
    )


def _scalar(value: object, column: str, notes: list[str]) -> str | None:
    """A field's value as text; an object or a list is left out, with a note saying so (an id
    left out is made from the text, as for a record with none)."""
    if isinstance(value, (dict, list)):
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        notes.append(f"field {column!r} is {'an object' if isinstance(value, dict) else 'a list'} ({shown}), "
                     f"not a single value: left out")
        return None
    return None if value is None else str(value)


def _readlines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; ``None`` for a line over ``limit`` bytes (skipped whole)."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _is_json_array(head: bytes) -> bool:
    """Whether a file whose first bytes are ``head`` is one JSON array (not JSON lines): it
    starts with ``[``, and its first line is not a whole JSON value followed by more lines. A
    JSONL file whose first record is an array (a bad record, rejected alone) is still JSON lines."""
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if not start.startswith(b"["):
        return False
    first, newline, rest = start.partition(b"\n")
    if not newline or not rest.strip():
        return True  # one line (or more than the head holds): an array written on one line
    try:
        json.loads(first)
    except (ValueError, RecursionError):  # an array spread over lines (its first line "[" or "[{...},")
        return True
    return False


def read_jsonl(stream: BinaryIO, location: str, resolver: FieldResolver,
               settings: IngestSettings) -> Iterator[RawArticle | Rejection]:
    """One JSON object per line; a file that is one JSON array (see :func:`_is_json_array`) is
    read as its elements."""
    head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    check_not_binary(head, location)
    if _is_json_array(head):
        yield from _read_json_array(stream, location, resolver, settings)
        return
    seen_any = False
    for number, line in _readlines(stream, settings.max_record_bytes):
        origin = SourceRef(location, number)
        if line is None:
            seen_any = True
            yield Rejection(origin, f"record is over {settings.max_record_bytes:,} bytes "
                                    "(settings: ingest.max_record_bytes)")
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        seen_any = True
        try:
            record = parse_json(decode_line(line, location, number, settings.encoding))
        except InputError as exc:
            yield Rejection(origin, exc.reason)
            continue
        yield json_record(record, origin, resolver)
    if not seen_any:
        raise InputError(location, "empty file (no JSON records)")


def parse_json(text: str | bytes, location: str = "", line: int | None = None) -> object:
    """One JSON document; every way it can fail is an :class:`InputError` with a reason (a number
    of thousands of digits and nesting thousands deep are refused by the parser itself)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(location, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                         if line is None else f"malformed JSON: {exc.msg} (column {exc.colno})",
                         line=line if line is not None else exc.lineno) from None
    except RecursionError:
        raise InputError(location, "JSON nested too deeply", line=line) from None
    except UnicodeDecodeError as exc:
        raise InputError(location, f"JSON is not valid UTF-8 ({exc.reason} at byte {exc.start})", line=line) from None
    except ValueError as exc:  # Python refuses to read integers of more than 4,300 digits
        reason = "a number of over 4,300 digits" if "digits" in str(exc) else str(exc)[:200]
        raise InputError(location, f"JSON value refused ({reason})", line=line) from None


def json_record(record: object, origin: SourceRef, resolver: FieldResolver) -> RawArticle | Rejection:
    """One JSON object (a JSONL line, an element of a JSON array, a record sent to the HTTP API)
    as a raw article, or the reason it is not one."""
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object, got {type(record).__name__}")
    if not all(isinstance(k, str) for k in record):  # only from the Python API: JSON keys are strings
        return Rejection(origin, "every key of a record must be a string")
    try:
        fields = resolver.resolve(record.keys(), origin.location, strict=False)
    except InputError as exc:
        return Rejection(origin, exc.reason)
    try:
        return _record_to_raw(record, fields, origin)
    except (ValueError, TypeError, RecursionError) as exc:  # a value no JSON writer can write back
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        return Rejection(origin, f"record has a value that cannot be stored ({reason})")


def _read_json_array(stream: BinaryIO, location: str, resolver: FieldResolver,
                     settings: IngestSettings) -> Iterator[RawArticle | Rejection]:
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise InputError(location, f"JSON array file over {settings.max_file_bytes:,} bytes; "
                                   "write one record per line (JSONL) to stream it")
    try:
        text = data.decode(settings.encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(location, f"invalid {settings.encoding} at byte {exc.start}") from exc
    records = parse_json(text, location)
    if not isinstance(records, list):
        raise InputError(location, "expected a JSON array of article objects")
    if not records:
        raise InputError(location, "empty JSON array (no records)")
    for number, record in enumerate(records, start=1):
        # For an array the "line" is the record's position, which is what a user can find.
        yield json_record(record, SourceRef(f"{location} record", number), resolver)


class _BadLine(Exception):
    """A line the CSV reader must not see (over the size limit, or not in the file's encoding)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


class _Lines:
    """The physical lines of a CSV file, decoded one by one for :func:`csv.reader`, each read no
    further than ``limit`` bytes: a file of one giant line costs no more memory than the limit.

    A line over the limit, or one that does not decode, raises :class:`_BadLine` out of the CSV
    reader; the record it belonged to is rejected and reading goes on with the next line.
    ``record_bytes`` counts the bytes of the record being read (a quoted field may span lines).
    """

    def __init__(self, stream: BinaryIO, encoding: str, limit: int) -> None:
        self.stream = stream
        self.encoding = encoding
        self.limit = limit
        self.number = 0
        self.record_bytes = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line, a bounded chunk at a time
                rest = self.stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            raise _BadLine(self.number, f"line is over {self.limit:,} bytes (settings: ingest.max_record_bytes)")
        self.record_bytes += len(line)
        if self.record_bytes > self.limit:
            raise _BadLine(self.number, f"record is over {self.limit:,} bytes (settings: ingest.max_record_bytes); "
                                        "an unclosed quote makes a record run on")
        if self.number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            return line.decode(self.encoding)
        except UnicodeDecodeError as exc:
            raise _BadLine(self.number, f"invalid {self.encoding} (byte {line[exc.start:exc.end].hex(' ')} at byte "
                                        f"{exc.start} of the line); pass --encoding if the file uses another "
                                        "encoding") from None


def read_csv(stream: BinaryIO, location: str, resolver: FieldResolver, settings: IngestSettings,
             delimiter: str | None = None) -> Iterator[RawArticle | Rejection | Skipped]:
    """CSV or TSV with a header row; the header must name a text (or title) column. Every record
    after it is an article, a Rejection with its line, or (an empty row) Skipped."""
    head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    check_not_binary(head, location)
    if not head.strip():
        raise InputError(location, "empty file")
    encoding = settings.encoding
    if delimiter is None:
        delimiter = _sniff_delimiter(head.removeprefix(codecs.BOM_UTF8).decode(encoding, errors="replace"))
    # A process-wide setting of the csv module: fields are bounded by the record limit.
    csv.field_size_limit(settings.max_record_bytes)
    lines = _Lines(stream, encoding, settings.max_record_bytes)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(location, "empty file") from None
    except _BadLine as exc:
        raise InputError(location, f"unreadable header: {exc.reason}", line=1) from None
    except csv.Error as exc:
        raise InputError(location, f"malformed CSV header ({exc})", line=1) from exc
    header, repeated = _unique_columns([printable(h) for h in header])
    fields = resolver.resolve(header, location, strict=True)
    for field, column in fields.items():
        if column.strip().lower() in repeated:
            second = next(h for h in header if h.strip().lower() == f"{column.strip().lower()} (2)")
            raise InputError(location, f"column {column!r} appears more than once in the header, so which one "
                                       f"holds the {field} is not clear: rename one, or choose with "
                                       f"--map {field}=COLUMN (the second is {second!r})", line=1)
    if "text" not in fields and "title" not in fields:
        shown = ", ".join(h[:40] for h in header[:20]) + (", …" if len(header) > 20 else "")
        raise InputError(location, f"no text column: expected one of {_TEXT_KEYS_HINT} or title, "
                                   f"found {shown} (name it with --map text=COLUMN)", line=1)
    records = 0
    while True:
        first_line = lines.number + 1
        lines.record_bytes = 0
        try:
            row = next(reader)
        except StopIteration:
            break
        except _BadLine as exc:
            records += 1
            yield Rejection(SourceRef(location, first_line), exc.reason)
            continue
        except csv.Error as exc:
            records += 1
            yield Rejection(SourceRef(location, first_line), f"malformed CSV ({exc})")
            continue
        if not row:
            continue  # a blank line is no record
        records += 1
        origin = SourceRef(location, first_line)
        if not any(cell.strip() for cell in row):
            yield Skipped(origin, "empty row (every field blank)")
            continue
        if len(row) != len(header):
            reason = f"row has {len(row)} fields, the header has {len(header)}"
            if lines.number > first_line:  # the record ran over lines: a quote opened in it and not closed where meant
                reason += (f"; it runs over lines {first_line}-{lines.number}, so a quoted field in it was likely "
                           f"not closed (a missing or stray \")")
            yield Rejection(origin, reason)
            continue
        try:
            yield _record_to_raw(dict(zip(header, row)), fields, origin)
        except ValueError as exc:
            yield Rejection(origin, f"record cannot be read ({str(exc)[:200]})")
    if not records:
        raise InputError(location, "no records after the header")


def _unique_columns(header: list[str]) -> tuple[list[str], set[str]]:
    """The header with a repeated column name (the same letters in any case) numbered from its
    second time ("tag", "tag (2)"), so that no column's values overwrite another's; and the
    repeated names, lower-cased."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        key = name.strip().lower()
        seen[key] = seen.get(key, 0) + 1
        out.append(name if seen[key] == 1 else f"{name.strip()} ({seen[key]})")
    return out, {key for key, count in seen.items() if count > 1}


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","
