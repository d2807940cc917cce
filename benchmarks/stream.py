"""The whole streaming pipeline into a fresh store: articles/s, per-article latency, store size.

    python benchmarks/stream.py --articles 5000 --json

prints one JSON line ``{"articles", "per_s", "p50_ms", "p99_ms", "store_mb", ...}``. Each
article goes through ingest (normalisation, paragraphs, sentences, id, date) and every
stage, and is committed to a new SQLite store, ``--batch`` articles per transaction
(1 = true streaming: each article stored before the next arrives). ``first_p50_ms`` and
``last_p50_ms`` are the median latencies of the first and last tenth of the stream:
equal figures mean the per-article cost does not grow with the store.

The corpus is ``benchmarks/corpus.py``'s (PolNeAR sentences, planted copies and recycled
blocks); it needs ``../shared/data/polnear/train/text``. Run it as a script, not with -m.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (benchmarks/corpus.py, next to this file)

from storyline import Storyline  # noqa: E402
from storyline.ingest.raw import RawArticle, build_article  # noqa: E402
from storyline.records import Article, SourceRef  # noqa: E402
from storyline.settings import IngestSettings  # noqa: E402


def run(n: int, seed: int, batch: int) -> dict:
    generated = corpus.generate(n, seed=seed)
    ingest_settings = IngestSettings()
    latencies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="storyline-stream-") as tmp:
        db = Path(tmp) / "stream.db"
        with Storyline(db) as sl:
            started = time.perf_counter()
            for lo in range(0, n, batch):
                t = time.perf_counter()
                articles = []
                for item in generated[lo:lo + batch]:
                    raw = RawArticle(origin=SourceRef("stream"), text=item.text, id=item.id, published="2024-10-28")
                    articles.extend(a for a in build_article(raw, ingest_settings) if isinstance(a, Article))
                sl.ingest_articles(articles)
                elapsed = (time.perf_counter() - t) * 1000
                latencies.extend([elapsed / max(len(articles), 1)] * len(articles))
            seconds = time.perf_counter() - started
        store_mb = sum(p.stat().st_size for p in Path(tmp).glob("stream.db*")) / 1e6
    tenth = max(len(latencies) // 10, 1)
    ordered = sorted(latencies)
    return {
        "articles": n,
        "batch": batch,
        "per_s": round(n / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "first_p50_ms": round(statistics.median(latencies[:tenth]), 2),
        "last_p50_ms": round(statistics.median(latencies[-tenth:]), 2),
        "store_mb": round(store_mb, 1),
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="stream length")
    parser.add_argument("--batch", type=int, default=1, help="articles per transaction (1 = one at a time)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.batch < 1:
        parser.error("--articles and --batch must be at least 1")
    try:
        result = run(args.articles, args.seed, args.batch)
    except corpus.CorpusSourceMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>14}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
