"""How long ranking an article's candidates takes: the packed sort of ``top_postings_many``
against the column sort it replaced, on the inputs a stream really gives late in its run.

    python benchmarks/candidate_ranking.py --articles 10000 --tail 300

Streams the ``stream.py`` corpus through one process (no featurize workers, a commit per 50)
and records, for the last ``--tail`` articles, the band key rows each passage lookup ranks
(``SqliteReuseIndex.passages_candidates`` calls ``top_postings_many`` once an article). Then
times both ways over those inputs, ``--repeat`` times each (the least kept), after checking
that they rank every input alike. Prints one JSON line: ``{"articles", "tail", "inputs", "rows",
"passages", "packed_us", "columns_us", "same"}``: ``inputs`` the lookups recorded (one an article
with band keys), the times in microseconds a lookup, ``rows`` and ``passages`` the mean a lookup.
Exits 1 when the two ways rank an input differently. Run it as a script.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from storyline import Storyline
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings
from storyline.store import reuse_index

Inputs = tuple[np.ndarray, np.ndarray, list[int], int, int]


def record(n: int, tail: int, seed: int) -> list[Inputs]:
    """The ranking's inputs over the last ``tail`` of ``n`` articles streamed into a new store."""
    settings = IngestSettings(batch_size=50, workers=1)
    articles = [a for i, item in enumerate(corpus.generate(n, seed=seed))
                for a in build_article(RawArticle(origin=SourceRef("stream"), text=item.text, id=item.id,
                                                  published=corpus.published(i, 1000)), settings)
                if isinstance(a, Article)]
    recorded: list[Inputs] = []
    real = reuse_index.top_postings_many

    def kept(postings: np.ndarray, lens: np.ndarray, sizes: list[int], top: int,
             min_shared: int = 1) -> list[list[tuple[int, int]]]:
        recorded.append((postings.copy(), lens.copy(), list(sizes), top, min_shared))
        return real(postings, lens, sizes, top, min_shared)

    with tempfile.TemporaryDirectory(prefix="storyline-ranking-") as tmp, \
            Storyline(Path(tmp) / "ranking.db", Settings(ingest=settings)) as sl:
        sl.ingest_articles(articles[:n - tail])
        reuse_index.top_postings_many = kept  # this benchmark's own instrument
        try:
            sl.ingest_articles(articles[n - tail:])
        finally:
            reuse_index.top_postings_many = real
    return recorded


def by_columns(postings: np.ndarray, lens: np.ndarray, sizes: list[int], top: int,
               min_shared: int) -> list[list[tuple[int, int]]]:
    """The column sort, as ``top_postings_many`` did it for every input before."""
    if not postings.size or top < 1:
        return [[] for _ in sizes]
    owners = np.repeat(np.repeat(np.arange(len(sizes), dtype=np.int64), sizes), lens)
    return reuse_index._top_postings_by_columns(postings, owners, len(sizes), top, min_shared)


def timed(rank: Callable[..., object], inputs: list[Inputs], repeat: int) -> float:
    """The least over ``repeat`` runs of ranking every input, in µs an input."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for args in inputs:
            rank(*args)
        best = min(best, time.perf_counter() - started)
    return best * 1e6 / len(inputs)


def run(n: int, tail: int, seed: int, repeat: int) -> dict:
    inputs = record(n, tail, seed)
    same = all(reuse_index.top_postings_many(*args) == by_columns(*args) for args in inputs)
    return {"articles": n, "tail": tail, "inputs": len(inputs),
            "rows": round(float(np.mean([args[0].size for args in inputs])), 1),
            "passages": round(float(np.mean([len(args[2]) for args in inputs])), 1),
            "packed_us": round(timed(reuse_index.top_postings_many, inputs, repeat), 1),
            "columns_us": round(timed(by_columns, inputs, repeat), 1), "same": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="stream length")
    parser.add_argument("--tail", type=int, default=300, help="articles at the end whose lookups are recorded")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each way (the least is kept)")
    args = parser.parse_args(argv)
    if args.tail < 1 or args.articles <= args.tail or args.repeat < 1:
        parser.error("--tail and --repeat must be at least 1, --articles more than --tail")
    result = corpus.run_and_print(lambda: run(args.articles, args.tail, args.seed, args.repeat), True)
    if result is None:
        return 2
    return 0 if result["same"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
