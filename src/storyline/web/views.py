"""What each page shows, as plain data: the HTML page renders it and its JSON twin returns it.

Built from the read side only (:class:`~storyline.queries.Queries`), so the HTTP layer holds no
logic of its own and the web UI never shows anything the API does not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import NotFoundError
from ..export import article_record, statement_record
from ..queries import Queries, SearchFilters
from ..text.temporal.dates import date_bounds


@dataclass(slots=True, frozen=True)
class Page:
    """A window onto a long list: which items, of how many."""

    offset: int
    limit: int

    def links(self, total: int) -> dict[str, int | None]:
        prev = max(0, self.offset - self.limit) if self.offset > 0 else None
        nxt = self.offset + self.limit if self.offset + self.limit < total else None
        return {"previous_offset": prev, "next_offset": nxt}


def stories_view(q: Queries, page: Page, text: str | None = None, since: str | None = None,
                 until: str | None = None, sort: str = "updated") -> dict[str, Any]:
    """The story list: most recently updated first (or the biggest, or the latest begun),
    filtered by title text and dates; each story with its articles per day (``per_day``)."""
    total, rows = q.story_list(text, since, until, page.offset, page.limit, sort)
    days = q.story_days([r.id for r in rows])
    return {"total": total, "offset": page.offset, "limit": page.limit, **page.links(total),
            "q": text, "since": since, "until": until, "sort": sort,
            "stories": [{**r.as_dict(), "per_day": [list(d) for d in days[r.id]]} for r in rows]}


def _axis(entries: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """Place each dated entry on a time axis (``position`` from 0 to 1, ``width`` for an
    interval); returns the axis's first and last day. Entries the calendar cannot place
    (``PRESENT_REF``, a week of an unknown year) stay off the axis."""
    spans: list[tuple[dict[str, Any], datetime, datetime]] = []
    for entry in entries:
        bounds = date_bounds(entry["date"])
        if bounds is not None:
            spans.append((entry, *bounds))
    if not spans:
        return None, None
    first = min(s for _, s, _ in spans)
    last = max(e for _, _, e in spans)
    length = (last - first).total_seconds() or 1.0
    for entry, start, end in spans:
        entry["position"] = round((start - first).total_seconds() / length, 4)
        entry["width"] = round((end - start).total_seconds() / length, 4)
    return first.date().isoformat(), last.date().isoformat()


def _group_conflicts(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conflicts gathered around the statement they share, so that one denial against five
    confirmations reads as one denial beside five statements, not five pairs: each conflict goes
    under whichever of its two statements is in more conflicts of its kind (the earlier on a tie)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for c in conflicts:
        for i in c["statement_ids"]:
            counts[(c["kind"], i)] += 1
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for c in conflicts:
        if len(c["statements"]) != 2:
            continue
        a, b = c["statements"]
        pivot, other = (b, a) if counts[(c["kind"], b["id"])] > counts[(c["kind"], a["id"])] else (a, b)
        group = groups.setdefault((c["kind"], pivot["id"]), {"kind": c["kind"], "statement": pivot, "against": []})
        group["against"].append({"statement": other, "reason": c["reason"]})
    return list(groups.values())


def statements_view(q: Queries, story_id: str) -> dict[str, Any]:
    """A story's statements from the articles analysed so far (never waiting for the parser),
    by speaker, and its conflicts, each with both statements and gathered around the one they
    share; ``statements_pending`` counts the articles not analysed yet."""
    statements, contradictions = q.statements(story_id)
    records = [statement_record(s) for s in statements]
    by_id = {r["id"]: r for r in records}
    speakers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        speakers[r["speaker"]].append(r)
    conflicts = [{**c.as_dict(), "statements": [by_id[i] for i in c.statement_ids if i in by_id]}
                 for c in contradictions]
    return {"statements": records,
            "speakers": [{"name": name, "aliases": items[0]["speaker_aliases"], "statements": items}
                         for name, items in sorted(speakers.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
            "contradictions": conflicts,
            "conflict_groups": _group_conflicts(conflicts),
            "statements_pending": q.pending_statements(story_id)}


def story_view(q: Queries, story_id: str) -> dict[str, Any]:
    """A story at a glance: its figures, timeline on an axis, statements by speaker, the
    conflicts side by side, the merges and splits, and its articles in order with how much of
    each is new (statements as :func:`statements_view` has them). Raises :class:`NotFoundError`."""
    found = q.story(story_id)
    row = q.story_row(found.id)
    if row is None:  # the story was merged away between the two reads
        raise NotFoundError("story", story_id)
    articles = [a.as_dict() for a in q.story_articles(found.id)]
    timeline = [entry.as_dict() for entry in q.timeline(found.id)]
    axis_start, axis_end = _axis(timeline)
    summary = row.as_dict()
    summary["article_count"] = summary.pop("articles")  # "articles" is the list below
    return {
        **summary,
        "requested_id": story_id,
        "timeline": timeline,
        "axis": {"start": axis_start, "end": axis_end},
        **statements_view(q, found.id),
        "log": [h for h in q.history(found.id) if h.get("event") not in ("created", "joined")],
        "articles": articles,
    }


def provenance_view(q: Queries, story_id: str) -> dict[str, Any]:
    """Who copied whom in a story: its articles (and those outside it where some of its recycled
    text was first seen), an edge from each article to each first sighting of its recycled
    passages (how many, how long after), and each outlet's recycled share. Raises :class:`NotFoundError`."""
    found = q.story(story_id)
    provenance = q.provenance(found.id)
    return {"id": found.id, "title": found.title, "requested_id": story_id, **provenance.as_dict()}


def article_view(q: Queries, article_id: str) -> dict[str, Any]:
    """An article with each passage's status and, for recycled ones, where the passage was
    first seen (with that article's title and date). Raises :class:`NotFoundError`."""
    found = q.article(article_id)
    record = article_record(found)
    row = q.article_row(found.id)
    novelty = q.novelty(found)
    for p, n in zip(record["passages"], novelty.passages):
        # recycled passages: the earlier copy in this story, or None when every earlier copy
        # is in other stories (not news, but news to a reader who follows only this story)
        p["in_story"] = {"article_id": n.in_story.article_id, "index": n.in_story.index} if n.in_story else None
    refs = [r for p in record["passages"] for r in (p["first_seen"], p["in_story"]) if r]
    headings = q.titles(sorted({r["article_id"] for r in refs}))
    for ref in refs:
        if ref["article_id"] in headings:
            title, source, published = headings[ref["article_id"]]
            ref.update({"title": title, "source": source, "published": published})
    story_title = None
    if found.story_id is not None:
        try:
            story_title = q.story(found.story_id).title
        except NotFoundError:
            story_title = None
    counts = {status: sum(1 for p in record["passages"] if p["status"] == status)
              for status in ("new", "recycled", "boilerplate")}
    counts["recycled_in_story"] = novelty.recycled_in_story
    counts["recycled_elsewhere"] = novelty.recycled_elsewhere
    lead = found.passages[0].text if found.passages else found.id
    return {**record, "story_title": story_title,
            "heading": found.title or (lead if len(lead) <= 100 else lead[:100].rsplit(" ", 1)[0] + "…"),
            "original_source": row.original_source if row else None,
            "new_share": row.new_share if row else 0.0,
            "recycled_share": round(row.recycled_chars / row.chars, 4) if row and row.chars else 0.0,
            "boilerplate_share": round(row.boilerplate_chars / row.chars, 4) if row and row.chars else 0.0,
            "counts": counts}


def search_view(q: Queries, text: str, page: Page, filters: SearchFilters | None = None,
                sort: str = "relevance", per_story: int = 3) -> dict[str, Any]:
    """Stories holding articles that match ``text``, a page of stories at a time, each with how
    many of its articles match and the best ``per_story`` with snippets (see :meth:`Queries.search`)."""
    filters = filters or SearchFilters()
    result = q.search(text, filters, sort, page.offset, page.limit, per_story)
    return {"q": text, "sort": sort, "since": filters.since, "until": filters.until, "source": filters.source,
            "story": filters.story, "per_story": per_story, "articles": result.articles, "total": result.total,
            "offset": page.offset, "limit": page.limit, **page.links(result.total),
            "groups": [g.as_dict() for g in result.groups]}
