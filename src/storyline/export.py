"""The export contract (DESIGN.md, "Export") as JSON, JSONL or CSV, streamed so memory stays flat."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .records import Article, Passage, Statement, Story

if TYPE_CHECKING:
    from .queries import Queries

ExportFormat = Literal["json", "jsonl", "csv"]
EXPORT_FORMATS: tuple[str, ...] = ("json", "jsonl", "csv")

CSV_COLUMNS = ("article_id", "title", "source", "url", "published", "story_id", "duplicate_of",
               "similarity", "passage_index", "passage_text", "status", "first_seen_article_id",
               "first_seen_index", "score", "copied_start", "copied_end", "first_seen_start", "first_seen_end")


def article_record(article: Article) -> dict[str, Any]:
    """One article as the export contract has it."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "similarity": article.similarity,
        "passages": [
            {
                "index": p.index,
                "text": p.text,
                "status": p.status,
                "first_seen": _first_seen(p),
                "score": p.score,
                "copied": {"start": p.copied.start, "end": p.copied.end} if p.copied else None,
            }
            for p in article.passages
        ],
    }


def _first_seen(p: Passage) -> dict[str, Any] | None:
    """Where a passage was first seen, and (``start``, ``end``) the characters of that passage it copies."""
    if p.first_seen is None:
        return None
    out: dict[str, Any] = {"article_id": p.first_seen.article_id, "index": p.first_seen.index}
    if p.first_seen_span is not None:
        out.update(start=p.first_seen_span.start, end=p.first_seen_span.end)
    return out


def story_summary(queries: Queries, story: Story) -> dict[str, Any]:
    """A story's headline figures: articles, independent sources, first and last dates."""
    return queries.story_summary(story)


def statement_record(statement: Statement) -> dict[str, Any]:
    return {"id": statement.id, "speaker": statement.speaker, "speaker_aliases": list(statement.speaker_aliases),
            "text": statement.text, "date": statement.date, "article_ids": list(statement.article_ids)}


def story_records(queries: Queries) -> Iterator[dict[str, Any]]:
    """Stories as the export contract has them, one at a time. Statements are those of the
    articles analysed so far (reading never runs the parser): call the engine's
    ``analyse_statements()`` first for all of them, as ``storyline export`` does."""
    for s in queries.stories():
        statements, contradictions = queries.statements(s.id)
        yield {"id": s.id, "title": s.title, "article_ids": s.article_ids,
               "timeline": [entry.as_dict() for entry in queries.timeline(s.id)],
               "statements": [statement_record(st) for st in statements],
               "contradictions": [c.as_dict() for c in contradictions]}


def write_export(articles: Iterable[Article], stories: Iterable[dict[str, Any]], fmt: ExportFormat,
                 out: TextIO, *, raw_csv: bool = False) -> int:
    """Write the export to ``out``; returns the number of articles written.

    ``json`` is the contract's single object; ``jsonl`` is one object per line, each
    with ``"type": "article"`` or ``"story"``; ``csv`` is one row per passage (article
    fields repeated), since passages do not fit a flat row otherwise. Articles come from
    anyone's feed, and a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
    as a formula (``=HYPERLINK(...)`` in a title): in CSV such a text cell gets a leading
    ``'``, which a spreadsheet shows as text and does not display, unless ``raw_csv``.
    """
    if fmt == "json":
        return _write_json(articles, stories, out)
    if fmt == "jsonl":
        count = 0
        for article in articles:
            out.write(json.dumps({"type": "article", **article_record(article)}, ensure_ascii=False) + "\n")
            count += 1
        for story in stories:
            out.write(json.dumps({"type": "story", **story}, ensure_ascii=False) + "\n")
        return count
    if fmt == "csv":
        return _write_csv(articles, out, guard=not raw_csv)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _write_json(articles: Iterable[Article], stories: Iterable[dict[str, Any]], out: TextIO) -> int:
    # Written piece by piece: json.dump of the whole export would hold every article in memory.
    out.write('{"articles": [')
    count = 0
    for article in articles:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(article_record(article), ensure_ascii=False))
        count += 1
    out.write('\n],\n"stories": [')
    for n, story in enumerate(stories):
        out.write(",\n  " if n else "\n  ")
        out.write(json.dumps(story, ensure_ascii=False))
    out.write("\n]}\n")
    return count


# What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, with a leading ``'``; anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value


def _write_csv(articles: Iterable[Article], out: TextIO, guard: bool = True) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for article in articles:
        for p in article.passages:
            row = [
                article.id, article.title, article.source, article.url, article.published,
                article.story_id, article.duplicate_of, article.similarity, p.index, p.text, p.status,
                p.first_seen.article_id if p.first_seen else None,
                p.first_seen.index if p.first_seen else None, p.score,
                *((p.copied.start, p.copied.end) if p.copied else (None, None)),
                *((p.first_seen_span.start, p.first_seen_span.end) if p.first_seen_span else (None, None)),
            ]
            writer.writerow([spreadsheet_safe(v) for v in row] if guard else row)
        count += 1
    return count
