"""Small charts drawn on the server as inline SVG: no script, no CDN, no build step.

Each function takes plain numbers and returns markup built from numbers and escaped text only,
so a page can include it as is.
"""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil
from urllib.parse import quote

from markupsafe import Markup, escape


def day_buckets(days: list[tuple[str, int]], most: int = 60) -> tuple[list[int], int, date | None]:
    """Articles per day as at most ``most`` bars from the first day to the last (a bar a day,
    or a bar per ``step`` days when the span is longer): ``(counts, step, first day)``."""
    parsed = []
    for day, count in days:
        try:
            parsed.append((date.fromisoformat(day[:10]), count))
        except ValueError:
            continue  # a published value the calendar cannot read is left off the chart
    if not parsed:
        return [], 1, None
    first = min(d for d, _ in parsed)
    span = (max(d for d, _ in parsed) - first).days + 1
    step = max(1, ceil(span / most))
    counts = [0] * ceil(span / step)
    for d, count in parsed:
        counts[(d - first).days // step] += count
    return counts, step, first


def sparkline(days: list[tuple[str, int]], width: int = 120, height: int = 22) -> Markup:
    """Articles per day of a story as a row of bars (see :func:`day_buckets`), with a title that
    says it in words. Empty markup when no article is dated."""
    counts, step, first = day_buckets(days)
    if not counts or first is None:
        return Markup("")
    peak = max(counts)
    bar = width / len(counts)
    rects = []
    for i, count in enumerate(counts):
        if count:
            h = max(1.5, (height - 2) * count / peak)
            rects.append(f'<rect x="{i * bar:.2f}" y="{height - h:.2f}" width="{max(bar - 0.5, 0.8):.2f}" '
                         f'height="{h:.2f}"/>')
    total = sum(counts)
    busiest = counts.index(peak)
    start = first + timedelta(days=busiest * step)
    when = start.isoformat() if step == 1 else f"the {step} days from {start.isoformat()}"
    unit = "day" if step == 1 else f"{step} days"
    label = escape(f"{total} article{'' if total == 1 else 's'} over {len(counts) * step} days "
                   f"(a bar per {unit}); most on {when}: {peak}")
    return Markup(f'<svg class="spark" role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}" preserveAspectRatio="none"><title>{label}</title>'
                  + "".join(rects) + "</svg>")


_LANE = 34  # px between outlets' lanes
_LEFT = 180  # room for the outlets' names
_WIDTH = 900
_MOST_LANES = 12
_MOST_ARTICLES = 150


def _lanes(articles: list[dict]) -> tuple[dict[str, int], list[str]]:
    """Each article's lane: its outlet's, outlets in order of their first article; beyond
    ``_MOST_LANES`` the rest share a last lane, "other outlets"."""
    outlets: list[str] = []
    for a in articles:
        name = a["source"] or f"(no source: {a['id']})"
        if name not in outlets:
            outlets.append(name)
    names = outlets[:_MOST_LANES - 1] + ["other outlets"] if len(outlets) > _MOST_LANES else outlets
    lane = {}
    for a in articles:
        name = a["source"] or f"(no source: {a['id']})"
        lane[a["id"]] = names.index(name) if name in names else len(names) - 1
    return lane, names


def provenance_graph(view: dict) -> Markup:
    """Who copied whom, drawn: a lane per outlet, articles placed by publication time, a curve
    from where recycled text was first seen to each article that recycled it (thicker for more
    passages, dashed for a copy of the whole text); each article links to its page. ``view``
    is a story's provenance as its JSON twin has it. Big stories keep the ``_MOST_ARTICLES``
    articles most involved in recycling (the caption says so)."""
    articles = view["articles"]
    edges = view["edges"]
    if not articles:
        return Markup("")
    weight: dict[str, int] = {}
    for e in edges:
        for end in (e["article"], e["first_seen"]):
            weight[end] = weight.get(end, 0) + e["passages"]
    if len(articles) > _MOST_ARTICLES:
        kept = {a["id"] for a in sorted(articles, key=lambda a: -weight.get(a["id"], 0))[:_MOST_ARTICLES]}
        articles = [a for a in articles if a["id"] in kept]
        edges = [e for e in edges if e["article"] in kept and e["first_seen"] in kept]
    lane, names = _lanes(articles)
    moments = {a["id"]: day for a in articles if (day := _day(a["published"])) is not None}
    first = min(moments.values(), default=None)
    last = max(moments.values(), default=None)
    span = max(((last - first).days if first and last else 0), 1)
    undated_x = _WIDTH - 20
    right = _WIDTH - 60 if len(moments) < len(articles) else _WIDTH - 20
    height = _LANE * len(names) + 46
    place: dict[str, tuple[float, float]] = {}
    taken: dict[tuple[int, int], int] = {}
    for a in articles:
        day = moments.get(a["id"])
        x = undated_x if day is None or first is None else _LEFT + (right - _LEFT) * (day - first).days / span
        y = 20 + _LANE * lane[a["id"]]
        nudge = taken.get((lane[a["id"]], round(x)), 0)  # articles of one outlet on one day side by side
        taken[(lane[a["id"]], round(x))] = nudge + 1
        place[a["id"]] = (x + 7 * nudge if x + 7 * nudge <= _WIDTH - 6 else x - 7 * nudge, y)
    most = max((e["passages"] for e in edges), default=1)
    parts = [(f'<svg class="provenance" role="img" viewBox="0 0 {_WIDTH} {height}" width="100%" '
              f'preserveAspectRatio="xMinYMin meet" aria-labelledby="provenance-title">'),
             f'<title id="provenance-title">{escape(_caption(view, len(articles), len(edges)))}</title>']
    for i, name in enumerate(names):
        y = 20 + _LANE * i
        label = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f'<line class="lane" x1="{_LEFT - 8}" y1="{y}" x2="{_WIDTH - 4}" y2="{y}"/>'
                     f'<text class="outlet" x="{_LEFT - 12}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
    axis_y = height - 18
    if first is not None and last is not None:
        parts.append(f'<text class="tick" x="{_LEFT}" y="{axis_y + 12}">{first.isoformat()}</text>')
        if last != first:
            parts.append(f'<text class="tick" x="{right}" y="{axis_y + 12}" text-anchor="end">{last.isoformat()}</text>')
    if len(moments) < len(articles):
        parts.append(f'<text class="tick" x="{undated_x}" y="{axis_y + 12}" text-anchor="middle">undated</text>')
    for e in edges:
        (x1, y1), (x2, y2) = place[e["first_seen"]], place[e["article"]]
        bend = -18 if y1 == y2 else 0
        stroke = 1 + 4 * e["passages"] / most
        dash = ' stroke-dasharray="5 3"' if e["copy"] else ""
        parts.append(f'<path class="edge{" copy" if e["copy"] else ""}" d="M{x1:.1f},{y1:.1f} '
                     f'Q{(x1 + x2) / 2:.1f},{(y1 + y2) / 2 + bend:.1f} {x2:.1f},{y2:.1f}" '
                     f'stroke-width="{stroke:.1f}"{dash}><title>'
                     f'{escape(_edge_words(e))}</title></path>')
    for a in articles:
        cx, cy = place[a["id"]]
        kind = "member" if a["in_story"] else "outside"
        if a["duplicate_of"]:
            kind += " copy"
        words = f"{a['title'] or a['id']} — {a['source'] or 'no source'}, {a['published'] or 'undated'}"
        parts.append(f'<a href="/articles/{quote(a["id"], safe="")}"><circle class="node {kind}" cx="{cx:.1f}" '
                     f'cy="{cy:.1f}" r="5.5"><title>{escape(words)}</title></circle></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _caption(view: dict, shown: int, edges: int) -> str:
    total = len(view["articles"])
    of = f" ({shown} of {total} articles shown: those most involved)" if shown < total else ""
    return (f"Who copied whom: {edges} links between {shown} articles in {len({a['source'] for a in view['articles']})} "
            f"outlets{of}; a line runs from where recycled text was first seen to the article that recycled it")


def _edge_words(edge: dict) -> str:
    what = "a copy of" if edge["copy"] else f"{edge['passages']} passage{'s' if edge['passages'] != 1 else ''} from"
    return f"{edge['article']}: {what} {edge['first_seen']}" + (f", {lag_words(edge['lag_s'])}" if edge["lag_s"] is not None else "")


def lag_words(seconds: float) -> str:
    """A time lag in words: ``3 days later``, ``5 hours later``, ``the same time``, ``2 days earlier``."""
    later = seconds >= 0
    s = abs(seconds)
    if s < 60:
        return "at the same time"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if s >= size:
            n = round(s / size)
            return f"{n} {unit}{'' if n == 1 else 's'} {'later' if later else 'earlier'}"
    return "at the same time"
