"""JSONL (or a JSON array) and CSV/TSV: one article per record, columns mapped to fields.

Both readers stream: a bad record is rejected with its line number and the rest of
the file still ingests.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from ..errors import InputError
from ..records import Rejection, SourceRef
from ..settings import IngestSettings
from .decode import check_not_binary, decode_line
from .fields import DEFAULT_ALIASES, FieldResolver
from .raw import RawArticle

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
    return RawArticle(
        origin=origin,
        text=text if isinstance(text, str) else None,
        blocks=blocks,
        id=_scalar(record.get(fields["id"])) if "id" in fields else None,
        title=_scalar(title),
        source=_scalar(record.get(fields["source"])) if "source" in fields else None,
        url=_scalar(record.get(fields["url"])) if "url" in fields else None,
        published=record.get(fields["published"]) if "published" in fields else None,
        metadata=metadata,
    )


def _scalar(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


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


def read_jsonl(stream: BinaryIO, location: str, resolver: FieldResolver,
               settings: IngestSettings) -> Iterator[RawArticle | Rejection]:
    """One JSON object per line; a file starting with ``[`` is read as one JSON array."""
    head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    check_not_binary(head, location)
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"["):
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
            record = json.loads(decode_line(line, location, number, settings.encoding))
        except InputError as exc:
            yield Rejection(origin, exc.reason)
            continue
        except json.JSONDecodeError as exc:
            yield Rejection(origin, f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _from_json(record, origin, resolver)
    if not seen_any:
        raise InputError(location, "empty file (no JSON records)")


def _from_json(record: object, origin: SourceRef, resolver: FieldResolver) -> RawArticle | Rejection:
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object, got {type(record).__name__}")
    try:
        fields = resolver.resolve(record.keys(), origin.location, strict=False)
    except InputError as exc:
        return Rejection(origin, exc.reason)
    return _record_to_raw(record, fields, origin)


def _read_json_array(stream: BinaryIO, location: str, resolver: FieldResolver,
                     settings: IngestSettings) -> Iterator[RawArticle | Rejection]:
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise InputError(location, f"JSON array file over {settings.max_file_bytes:,} bytes; "
                                   "write one record per line (JSONL) to stream it")
    try:
        records = json.loads(data.decode(settings.encoding).lstrip("\ufeff"))
    except UnicodeDecodeError as exc:
        raise InputError(location, f"invalid {settings.encoding} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(location, f"malformed JSON ({exc.msg})", line=exc.lineno) from exc
    if not isinstance(records, list):
        raise InputError(location, "expected a JSON array of article objects")
    for number, record in enumerate(records, start=1):
        # For an array the "line" is the record's position, which is what a user can find.
        yield _from_json(record, SourceRef(f"{location} record", number), resolver)


def read_csv(stream: BinaryIO, location: str, resolver: FieldResolver, settings: IngestSettings,
             delimiter: str | None = None) -> Iterator[RawArticle | Rejection]:
    """CSV or TSV with a header row; the header must name a text (or title) column."""
    head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    check_not_binary(head, location)
    if not head.strip():
        raise InputError(location, "empty file")
    encoding = "utf-8-sig" if codecs.lookup(settings.encoding).name == "utf-8" else settings.encoding
    text_stream = io.TextIOWrapper(stream, encoding=encoding, newline="")
    if delimiter is None:
        delimiter = _sniff_delimiter(head.decode(encoding, errors="replace"))
    csv.field_size_limit(max(settings.max_record_bytes, 131072))
    reader = csv.reader(text_stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(location, "empty file") from None
    except UnicodeDecodeError as exc:
        raise InputError(location, f"invalid {settings.encoding} in the header ({exc.reason})", line=1) from exc
    except csv.Error as exc:
        raise InputError(location, f"malformed CSV header ({exc})", line=1) from exc
    fields = resolver.resolve(header, location, strict=True)
    if "text" not in fields and "title" not in fields:
        raise InputError(location, f"no text column: expected one of {_TEXT_KEYS_HINT} or title, "
                                   f"found {', '.join(header)} (name it with --map text=COLUMN)", line=1)
    previous_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            yield Rejection(SourceRef(location, reader.line_num + 1),
                            f"invalid {settings.encoding} ({exc.reason}); the rest of the file was not read "
                            "(pass --encoding if the file uses another encoding)")
            return
        except csv.Error as exc:
            yield Rejection(SourceRef(location, reader.line_num),
                            f"malformed CSV ({exc}); the rest of the file was not read")
            return
        origin = SourceRef(location, previous_line + 1)
        previous_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Rejection(origin, f"row has {len(row)} fields, the header has {len(header)}")
            continue
        yield _record_to_raw(dict(zip(header, row)), fields, origin)


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","
