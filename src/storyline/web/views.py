"""What each page shows, as plain data: the HTML page renders it and its JSON twin returns it.

Built from the read side only (:class:`~storyline.queries.Queries`), so the HTTP layer holds no
logic of its own and the web UI never shows anything the API does not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import NotFoundError
from ..export import article_record, statement_record
from ..queries import Queries, SearchFilters
from ..text.temporal.dates import date_bounds
from ..text.temporal.human import human_date, human_day, human_span


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
    for group in groups.values():  # what the group is about, said once (each pair's reason repeats the pivot)
        n = len(group["against"])
        group["summary"] = (f"{_CONFLICT_WORDS.get(group['kind'], group['kind'])}: "
                            f"{n} {'claim conflicts' if n == 1 else 'claims conflict'} with this one")
    return list(groups.values())


_CONFLICT_WORDS = {"denial": "a denial against confirmations",
                   "unconfirmed": "“not yet confirmed” against a later confirmation",
                   "figures": "differing figures for the same quantity",
                   "contradiction": "a thing found against no record of it"}


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


def _one_entry_per_sentence(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A sentence dated twice (an event and its range, two readings of one expression) is one
    entry, at its first (earliest) date; the other dates are kept as ``also``."""
    seen: dict[str, dict[str, Any]] = {}
    out = []
    for entry in timeline:
        first = seen.get(entry["text"])
        if first is None:
            seen[entry["text"]] = entry
            out.append(entry)
            continue
        also = {"date": entry["date"], "when": human_date(entry["date"], entry.get("qualifier"))}
        if entry.get("qualifier"):
            also["qualifier"] = entry["qualifier"]
        first.setdefault("also", []).append(also)
        first["article_ids"] = list(dict.fromkeys([*first["article_ids"], *entry["article_ids"]]))
    return out


_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)


def _ticks(start: str | None, end: str | None, most: int = 7) -> list[dict[str, Any]]:
    """Labelled ticks for the time axis from ``start`` to ``end`` (ISO days): days on a short
    axis, the first of each month (or of each year) on a long one, at most ``most``."""
    if not start or not end:
        return []
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    span = (b - a).days or 1
    marks: list[date] = []
    if span <= 45:
        step = max(1, -(-span // (most - 1)))
        marks = [a + timedelta(days=i) for i in range(0, span + 1, step)]
        label = "%-d %b"
    elif span <= 3 * 365:
        month = date(a.year, a.month, 1)
        while month <= b:
            if month >= a:
                marks.append(month)
            if (month.year, month.month) == (date.max.year, 12):
                break  # no month follows December 9999 (a year a text names can be that late)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        label = "%b %Y"
        if len(marks) > most:
            marks = marks[::-(-len(marks) // most)]
    else:
        # The first of January every few years, a round step giving at most ``most``: a story's
        # dates can span centuries (a year a text names), and walking the months of such an axis
        # took most of a story page's time (7,000 ticks on the 100k stream's biggest story).
        first = a.year + (0 if (a.month, a.day) == (1, 1) else 1)
        step = next((s for s in _YEAR_STEPS if (b.year - first) // s + 1 <= most), _YEAR_STEPS[-1])
        marks = [date(y, 1, 1) for y in range(-(-first // step) * step, b.year + 1, step)]
        label = "%Y"
    return [{"position": round((m - a).days / span, 4), "label": m.strftime(label)} for m in marks]


def _clip(text: str, most: int) -> str:
    """``text`` cut at a word boundary to at most ``most`` characters, "…" where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _article_names(articles: list[dict[str, Any]]) -> dict[str, str]:
    """How a link names each of the story's articles: its outlet and day ("Ukrinform, 28 Oct 2024");
    without an outlet, the start of its title (or text) and day."""
    return {a["id"]: f"{a['source'] or _clip(a['title'] or a['lead'] or a['id'], 36)}, {human_day(a['published'])}"
            for a in articles}


def _latest(q: Queries, articles: list[dict[str, Any]], count: int = 3) -> list[dict[str, Any]]:
    """What the latest articles added: each with its new share and its first new paragraph."""
    out = []
    latest = articles[-count:][::-1]
    found_by_id = {row["id"]: q.article(row["id"]) for row in latest}
    novelties = q.novelties(list(found_by_id.values()))
    for row in latest:
        novelty = novelties[row["id"]]
        found = found_by_id[row["id"]]
        new = [p.text for p, n in zip(found.passages, novelty.passages) if n.status == "new"]
        first = new[0] if new else ""
        out.append({"id": row["id"], "title": row["title"], "source": row["source"],
                    "published": row["published"], "new_share": row["new_share"], "new_passages": len(new),
                    "added": _clip(first, 240)})
    return out


def story_view(q: Queries, story_id: str) -> dict[str, Any]:
    """A story at a glance: a summary first (its span in words, articles, independent sources,
    what the latest articles added, how many claims conflict), its timeline on a labelled axis
    (each sentence once, dates in words), statements by speaker, the conflicts gathered, the
    merges and splits (dated by the publication of the article that caused them), and its
    articles in order with how much of each is new (statements as :func:`statements_view` has
    them). Raises :class:`NotFoundError`."""
    found = q.story(story_id)
    row = q.story_row(found.id)
    if row is None:  # the story was merged away between the two reads
        raise NotFoundError("story", story_id)
    articles = [a.as_dict() for a in q.story_articles(found.id)]
    timeline = _one_entry_per_sentence([entry.as_dict() for entry in q.timeline(found.id)])
    for entry in timeline:
        entry["when"] = human_date(entry["date"], entry.get("qualifier"))
    axis_start, axis_end = _axis(timeline)
    summary = row.as_dict()
    summary["article_count"] = summary.pop("articles")  # "articles" is the list below
    statements = statements_view(q, found.id)
    log = [h for h in q.history(found.id) if h.get("event") not in ("created", "joined")]
    published = q.titles(sorted({h["article_id"] for h in log}))
    for h in log:
        h["published"] = published.get(h["article_id"], (None, None, None))[2]
    first_day, last_day = (row.first_published or "")[:10], (row.last_published or "")[:10]
    try:
        days = (date.fromisoformat(last_day) - date.fromisoformat(first_day)).days + 1
    except ValueError:
        days = None
    return {
        **summary,
        "requested_id": story_id,
        "span": human_span(row.first_published, row.last_published),
        "days": days,
        "latest": _latest(q, articles),
        "timeline": timeline,
        "axis": {"start": axis_start, "end": axis_end, "ticks": _ticks(axis_start, axis_end)},
        **statements,
        "log": log,
        "article_names": _article_names(articles),
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


def api_docs_view(schema: dict[str, Any]) -> dict[str, Any]:
    """The HTTP API from its OpenAPI schema, as a page lists it: each route's method, path,
    summary, parameters (where, type or choices, default, description) and body, for the
    offline docs page (no script, nothing fetched from elsewhere)."""
    routes = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                spec = p.get("schema", {})
                options = spec.get("anyOf", [spec])
                kinds = [o.get("format") or o.get("type") for o in options if o.get("type") != "null"]
                choices = next((o["enum"] for o in options if "enum" in o), None)
                params.append({"name": p["name"], "in": p["in"], "required": p.get("required", False),
                               "type": " or ".join(k for k in kinds if k) or "string", "choices": choices,
                               "default": spec.get("default"), "description": p.get("description") or
                               spec.get("description") or ""})
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "parameters": params, "body": "requestBody" in op,
                           "example": path if method == "get" and "{" not in path else None})
    return {"title": schema.get("info", {}).get("title", ""), "version": schema.get("info", {}).get("version", ""),
            "description": schema.get("info", {}).get("description", ""), "routes": routes}
