"""The batch job's ``store`` stage (the driver's part) without Spark, where its time goes: band
key lookups answered from memory (as the job does into an empty store) against the same
lookups asked of the store (as streaming ingest, or a job into a store that held articles).

    python benchmarks/batch_store.py --articles 3000

The stream benchmark's corpus (``benchmarks/corpus.py``) is featurized in this process and
pickled as the featurize stage leaves it; the keys two articles share are counted here as Spark
counts them (:func:`storyline.batch.postings.shared_keys`); then each mode runs the job's own
loader (:func:`storyline.batch.resolve.load`) into a fresh store, a transaction per
``--write-batch`` articles. Prints one JSON line: for each mode, wall and CPU milliseconds an
article and CPU milliseconds an article in each part (parts nest: ``reuse.resolve`` holds the
lookups, ``passage``, ``verify`` and ``near_duplicate``, the article-level lookup and check that
the batch job's ``near_duplicates`` stage saves the driver), and both stores' verdicts compared.
Run it as a script.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

import storyline.batch.resolve as resolve_module
from storyline.batch.features import band_keys
from storyline.batch.postings import KeyPostings
from storyline.store.reuse_index import KEY_MASK
from storyline.batch.resolve import load
from storyline.ingest.raw import RawArticle, build_article
from storyline.pipeline.runner import Features, Runner
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings
from storyline.store import Store


class _Clock:
    """CPU time of wrapped callables, by name."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()

    def timed(self, real: Callable[..., Any], key: str) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                self.spent[key] += time.process_time() - started
        return run

    def wrap(self, obj: object, name: str, key: str) -> None:
        setattr(obj, name, self.timed(getattr(obj, name), key))


class _TimedPickle:
    def __init__(self, clock: _Clock) -> None:
        self.loads = clock.timed(pickle.loads, "unpickle")


def _shared(features: list[Features], column: int, cap: int) -> KeyPostings:
    rows: Counter[int] = Counter()
    holders: dict[int, set[int]] = defaultdict(set)
    for n, f in enumerate(features):
        keys = band_keys(f)[column]
        if column == 0:  # passage keys as the store keeps them, as the job's Spark stage counts them
            keys = keys.astype(np.int64) & np.int64(KEY_MASK)
        for key in keys.tolist():
            rows[key] += 1
            holders[key].add(n)
    keys = np.array([k for k in rows if len(holders[k]) > 1], dtype=np.int64)
    return KeyPostings(keys, np.array([rows[k] for k in keys.tolist()], dtype=np.int64), cap)


def _verdicts(store: Store) -> list[tuple]:
    conn = store._conn  # this benchmark's own reading of the two stores it compares
    return conn.execute("SELECT a.id, a.duplicate_of, a.similarity, a.story_id, p.idx, p.status, p.first_seen_article,"
                        " p.first_seen_index, p.score FROM articles a JOIN passages p ON p.article_seq = a.seq"
                        " ORDER BY a.seq, p.idx").fetchall()


def run(n: int, seed: int, per_day: int, write_batch: int) -> dict:
    settings = Settings()
    ingest = IngestSettings()
    articles = [a for i, item in enumerate(corpus.generate(n, seed=seed))
                for a in build_article(RawArticle(origin=SourceRef("bench"), text=item.text, id=item.id,
                                                  published=corpus.published(i, per_day)), ingest)
                if isinstance(a, Article)]
    features = Runner(settings).featurize(articles)
    rows = [(i, "bench", i, pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL),
             pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL), None, None) for i, (a, f) in enumerate(zip(articles, features))]
    out: dict[str, Any] = {"articles": len(articles), "write_batch": write_batch}
    verdicts = {}
    for mode in ("memory", "store"):
        postings = (_shared(features, 0, settings.reuse.passage_postings),
                    _shared(features, 1, settings.reuse.max_candidates)) if mode == "memory" else None
        clock = _Clock()
        runner = Runner(settings)
        for obj, name, key in [(runner.reuse, "resolve", "reuse.resolve"), (runner.reuse, "_match_stored", "verify"),
                               (runner.reuse, "find_duplicate", "near_duplicate"),
                               (runner.reuse, "index", "reuse.index"), (runner.stories, "resolve", "stories.resolve"),
                               (runner.stories, "flush", "stories.flush"), (runner.timeline, "resolve", "timeline.resolve")]:
            clock.wrap(obj, name, key)
        real_resolve = runner.reuse.resolve

        def resolve(article: Article, feats: Any, index: Any, real: Callable[..., Any] = real_resolve,
                    clock: _Clock = clock) -> Any:
            for name, key in (("passages_candidates", "lookups"), ("article_candidates", "lookups"),
                              ("passage", "passage"), ("passage_root", "passage")):
                if not hasattr(index, f"_timed_{name}"):
                    setattr(index, f"_timed_{name}", True)
                    clock.wrap(index, name, key)
            return real(article, feats, index)
        runner.reuse.resolve = resolve  # type: ignore[method-assign]
        resolve_module.pickle = _TimedPickle(clock)  # type: ignore[assignment]
        with tempfile.TemporaryDirectory(prefix="storyline-batch-store-") as tmp, Store(Path(tmp) / "s.db") as store:
            clock.wrap(store, "insert_article", "insert_article")
            wall, cpu = time.perf_counter(), time.process_time()
            loaded = load(iter(rows), store, runner, f"bench-{mode}", write_batch, None, postings)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            verdicts[mode] = _verdicts(store)
        resolve_module.pickle = pickle  # type: ignore[assignment]
        out[mode] = {"wall_ms": round(wall * 1000 / len(articles), 2), "cpu_ms": round(cpu * 1000 / len(articles), 2),
                     "lookups": {"memory": loaded.lookups.memory, "store": loaded.lookups.store},
                     "parts_ms": {k: round(v * 1000 / len(articles), 2) for k, v in clock.spent.most_common()}}
    out["same_verdicts"] = verdicts["memory"] == verdicts["store"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--write-batch", type=int, default=500, help="articles a store transaction (batch.write_batch)")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.write_batch < 1:
        parser.error("--articles and --write-batch must be at least 1")
    result = corpus.run_and_print(lambda: run(args.articles, args.seed, args.per_day, args.write_batch), True)
    return 0 if result is not None else 2


if __name__ == "__main__":
    raise SystemExit(main())
