"""The web UI on a big story: how long its pages take to build and serve.

    python benchmarks/web.py --articles 1000 --json

builds a store holding one story of ``--articles`` articles (the seeds' earlier article
rewritten: every copy keeps most of the 15-paragraph background block, reordered and partly
reworded, under three new lead paragraphs of its own, one day apart in turns), reads every
article for statements, then times requests to the running app (FastAPI's TestClient: the
whole HTTP stack without a socket) and prints one JSON line ``{"articles", "story_articles",
"story_page_first_ms", "story_page_ms", "story_api_first_ms", "story_api_ms", "article_page_ms",
"stories_page_ms", "statements", "timeline"}``. A story's assembled views are cached per story
version: ``*_first_ms`` is the first request of a freshly started app (nothing cached), the
others are medians of the ``--repeat`` requests after it. Needs ``../shared/seeds``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from storyline import Storyline
from storyline.settings import Settings, WebSettings
from storyline.web import create_app

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PEOPLE = ["Olena Petrenko", "Mark Haller", "Ines Duarte", "Tomasz Nowak", "Aiko Tanaka", "Samuel Osei"]
PLACES = ["Kharkiv", "Sumy", "Kursk", "Zaporizhzhia", "Odesa", "Dnipro"]


def _articles(n: int, seed: int) -> list[dict]:
    text = (SEEDS / "000_28c5dd749a0a6b13.txt").read_text(encoding="utf-8")
    body = text.split(" ", 2)[2] if text.startswith(" date ") else text
    background = [p for p in body.split("\n") if p.strip()][-15:]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = 1 + (i % 28)
        who, where = rng.choice(PEOPLE), rng.choice(PLACES)
        lead = [(f"{who} said on November {day} that North Korean units had been seen near {where}, "
                 f"the {i}th such report this month."),
                f"According to {who}, about {1000 + 37 * i} soldiers were moved by rail, and more would follow.",
                f"Officials in {where} have not yet confirmed the report number {i}."]
        block = rng.sample(background, 12)
        out.append({"id": f"web-{i:05d}", "title": f"{who}: North Korean troops near {where} ({i})",
                    "published": f"2024-11-{day:02d}", "source": f"outlet{i % 40}", "text": "\n\n".join(lead + block)})
    return out


def _first_ms(settings: Settings, path: str) -> float:
    """The first request of a freshly started app: nothing cached yet."""
    with TestClient(create_app(settings)) as client:
        t = time.perf_counter()
        r = client.get(path)
        elapsed = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return round(elapsed, 1)


def _median_ms(client: TestClient, path: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return round(statistics.median(times), 1)


def run(n: int, seed: int, repeat: int, keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="storyline-web-") as tmp:
        db = keep or Path(tmp) / "web.db"
        with Storyline(db) as sl:
            if not sl.queries.count_articles():  # --db: a store built by an earlier run is reused
                report = sl.ingest_records(_articles(n, seed), "benchmark")
                assert report.ok, report.rejected[:3]
                sl.analyse_statements()
            biggest = max(sl.stories(), key=lambda s: len(s.article_ids))
        # TestClient sends Host: testserver, which the allow-list (web.allowed_hosts) refuses by default
        settings = Settings(db_path=db, web=WebSettings(analyse=False, allowed_hosts=("testserver",)))
        story_page_first = _first_ms(settings, f"/stories/{biggest.id}")
        story_api_first = _first_ms(settings, f"/api/stories/{biggest.id}")
        with TestClient(create_app(settings)) as client:
            story = client.get(f"/api/stories/{biggest.id}").json()
            return {
                "articles": sl_count(db),
                "story_articles": len(biggest.article_ids),
                "story_page_first_ms": story_page_first,
                "story_page_ms": _median_ms(client, f"/stories/{biggest.id}", repeat),
                "story_api_first_ms": story_api_first,
                "story_api_ms": _median_ms(client, f"/api/stories/{biggest.id}", repeat),
                "article_page_ms": _median_ms(client, f"/articles/{biggest.article_ids[-1]}", repeat),
                "stories_page_ms": _median_ms(client, "/", repeat),
                "statements": len(story["statements"]),
                "timeline": len(story["timeline"]),
            }


def sl_count(db: Path) -> int:
    with Storyline(db) as sl:
        return sl.queries.count_articles()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--db", type=Path, help="build the store here, or reuse it when it exists "
                                                "(building reads every article for statements: minutes)")
    args = parser.parse_args()
    if not SEEDS.exists():
        sys.exit(f"error: {SEEDS} not found (the benchmark rewrites the seeds' background block)")
    result = run(args.articles, args.seed, args.repeat, args.db)
    print(json.dumps(result) if args.json else "\n".join(f"{k:>19}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
