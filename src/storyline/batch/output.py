"""The job's Parquet tables, in the export's shape (DESIGN.md, "Export"), read from the store
the driver wrote: ``articles``, ``passages`` (status, ``first_seen``, score), ``stories`` (their
article ids) and ``timeline`` (a story's dated events); with statements, ``statements`` (a
story's claims: speaker and aliases, text, date, the articles reporting it) and
``contradictions`` (pairs of claims that conflict, with the reason). Written a chunk at a time,
so memory stays flat; each table is written aside and renamed when complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..queries import Queries

if TYPE_CHECKING:
    import pyarrow as pa

TABLES = ("articles", "passages", "stories", "timeline")
STATEMENT_TABLES = ("statements", "contradictions")
_CHUNK = 5_000


def _schemas() -> dict[str, pa.Schema]:
    import pyarrow as pa

    ids = pa.list_(pa.string())
    return {
        "articles": pa.schema([("id", pa.string()), ("title", pa.string()), ("source", pa.string()),
                               ("url", pa.string()), ("published", pa.string()), ("story_id", pa.string()),
                               ("duplicate_of", pa.string()), ("similarity", pa.float64())]),
        "passages": pa.schema([("article_id", pa.string()), ("index", pa.int32()), ("text", pa.string()),
                               ("status", pa.string()), ("first_seen_article_id", pa.string()),
                               ("first_seen_index", pa.int32()), ("score", pa.float64()),
                               ("copied_start", pa.int32()), ("copied_end", pa.int32()),
                               ("first_seen_start", pa.int32()), ("first_seen_end", pa.int32())]),
        "stories": pa.schema([("id", pa.string()), ("title", pa.string()), ("article_ids", ids)]),
        "timeline": pa.schema([("story_id", pa.string()), ("date", pa.string()), ("qualifier", pa.string()),
                               ("text", pa.string()), ("article_ids", ids)]),
        "statements": pa.schema([("story_id", pa.string()), ("id", pa.string()), ("speaker", pa.string()),
                                 ("speaker_aliases", ids), ("text", pa.string()), ("date", pa.string()),
                                 ("article_ids", ids)]),
        "contradictions": pa.schema([("story_id", pa.string()), ("statement_ids", ids), ("reason", pa.string()),
                                     ("kind", pa.string())]),
    }


def _article_rows(queries: Queries) -> Iterator[tuple[str, dict[str, Any]]]:
    for a in queries.articles():
        yield "articles", {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "published": a.published,
                           "story_id": a.story_id, "duplicate_of": a.duplicate_of, "similarity": a.similarity}
        for p in a.passages:
            yield "passages", {"article_id": a.id, "index": p.index, "text": p.text, "status": p.status,
                               "first_seen_article_id": p.first_seen.article_id if p.first_seen else None,
                               "first_seen_index": p.first_seen.index if p.first_seen else None,
                               "score": p.score,
                               "copied_start": p.copied.start if p.copied else None,
                               "copied_end": p.copied.end if p.copied else None,
                               "first_seen_start": p.first_seen_span.start if p.first_seen_span else None,
                               "first_seen_end": p.first_seen_span.end if p.first_seen_span else None}


def _story_rows(queries: Queries, statements: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    for s in queries.stories():
        yield "stories", {"id": s.id, "title": s.title, "article_ids": list(s.article_ids)}
        for entry in queries.timeline(s.id):
            yield "timeline", {"story_id": s.id, "date": entry.date, "qualifier": entry.qualifier,
                               "text": entry.text, "article_ids": list(entry.article_ids)}
        if statements:
            claims, contradictions = queries.statements(s.id)
            for claim in claims:  # the export's statement fields (storyline.export.statement_record)
                yield "statements", {"story_id": s.id, "id": claim.id, "speaker": claim.speaker,
                                     "speaker_aliases": list(claim.speaker_aliases), "text": claim.text,
                                     "date": claim.date, "article_ids": list(claim.article_ids)}
            for c in contradictions:
                yield "contradictions", {"story_id": s.id, **c.as_dict()}


def write_tables(queries: Queries, out: Path, statements: bool = False) -> dict[str, int]:
    """Write ``out/<table>.parquet`` for every table (the statement tables too with
    ``statements``); returns the rows of each."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = TABLES + (STATEMENT_TABLES if statements else ())
    schemas = _schemas()
    out.mkdir(parents=True, exist_ok=True)
    parts = {name: out / f"{name}.parquet.part" for name in tables}
    writers = {name: pq.ParquetWriter(parts[name], schemas[name]) for name in tables}
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    counts = dict.fromkeys(tables, 0)

    def flush(name: str) -> None:
        if pending[name]:
            writers[name].write_table(pa.Table.from_pylist(pending[name], schemas[name]))
            counts[name] += len(pending[name])
            pending[name].clear()

    try:
        for rows in (_article_rows(queries), _story_rows(queries, statements)):
            for name, row in rows:
                pending[name].append(row)
                if len(pending[name]) >= _CHUNK:
                    flush(name)
        for name in tables:
            flush(name)
    finally:
        for writer in writers.values():
            writer.close()
    for name in tables:
        parts[name].replace(out / f"{name}.parquet")
    return counts
