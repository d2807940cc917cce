"""Small charts drawn on the server as inline SVG: no script, no CDN, no build step.

Each function takes plain numbers and returns markup built from numbers and escaped text only,
so a page can include it as is.
"""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil

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
