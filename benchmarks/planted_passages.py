"""Recycled passages on the planted sets: storyline's reuse stage against a MinHash-LSH baseline.

Hand-run, not part of the test suite::

    . .venv/bin/activate
    python benchmarks/planted_passages.py ../shared/data/polnear/dev/text --level both --part report

Builds the planted sets of ``storyline eval passages`` (the same levels, parts and seeds, see
``storyline.eval.protocol``) and streams each set's passages, in ingest order, through

- **storyline**: the reuse stage alone with its in-memory index (``featurize`` per set,
  then ``resolve``/``index``/``remember`` per article, as the pipeline calls them), with no
  store, stories or timeline, so the time is the passage matching's;
- **datasketch**: MinHash (128 permutations) of each passage's word 3-grams (lower case,
  ``\\w+`` words) and ``MinHashLSH(threshold=0.3)``: a passage is recycled when the LSH
  returns any passage of an earlier article, and its ``first_seen`` is the earliest returned.

Both see the passages storyline's ingest made (``build_article``, untimed) and are scored by
``score_passages`` against the same gold. Speed is passages per second of that loop, one
process, one core. Prints a table, or one JSON line with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from storyline.eval.passages import PassageScores, _build_articles, combine_scores, score_passages
from storyline.eval.planted import LEVELS, Key, PlantedSet, build_planted_set
from storyline.eval.protocol import parts, planted_seeds
from storyline.records import Article
from storyline.settings import Settings

THRESHOLD = 0.3
NUM_PERM = 128
_WORDS = re.compile(r"\w+")
Predictions = dict[Key, tuple[str, Key | None]]


def shingles_of(text: str) -> list[bytes]:
    """Word 3-grams as a datasketch user writes them: lower case, ``\\w+`` words, unique."""
    words = _WORDS.findall(text.lower())
    if len(words) < 3:
        return [" ".join(words).encode()] if words else []
    return list(dict.fromkeys(" ".join(words[k:k + 3]).encode() for k in range(len(words) - 2)))


def run_storyline(articles: list[Article], settings: Settings) -> Predictions:
    from storyline.reuse.memory_index import MemoryReuseIndex
    from storyline.reuse.stage import ReuseStage

    stage = ReuseStage(settings.reuse)
    index = MemoryReuseIndex()
    index.check_algorithm(stage.version)
    seq_of: dict[str, int] = {}
    predicted: Predictions = {}
    for seq, (article, features) in enumerate(zip(articles, stage.featurize(articles)), start=1):
        result = stage.resolve(article, features, index)
        marked = result.marked(article)
        stage.index(seq, features, index, result)
        index.remember(seq, marked, features.passages)
        seq_of[article.id] = seq
        for p in marked.passages:
            first = (p.first_seen.article_id, p.first_seen.index) if p.first_seen else None
            predicted[(article.id, p.index)] = (p.status, first)
    return predicted


def run_datasketch(articles: list[Article], settings: Settings) -> Predictions:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    order: dict[Key, int] = {}
    predicted: Predictions = {}
    for article in articles:
        sketches = []
        for p in article.passages:
            key = (article.id, p.index)
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch(shingles_of(p.text))
            found = [k for k in lsh.query(m) if k[0] != article.id]
            first = min(found, key=order.__getitem__) if found else None
            predicted[key] = ("recycled" if first else "new", first)
            sketches.append((key, m))
        for key, m in sketches:  # after the article: its own passages are not its sources
            order[key] = len(order)
            lsh.insert(key, m)
    return predicted


SYSTEMS: dict[str, Callable[[list[Article], Settings], Predictions]] = {
    "storyline": run_storyline, "datasketch": run_datasketch}


def measure(text_dir: Path, level: str, part: str, seeds: int | None, stories: int) -> dict:
    settings = Settings()
    sets: list[tuple[PlantedSet, list[Article]]] = []
    for seed in planted_seeds(part, seeds):  # type: ignore[arg-type]
        planted = build_planted_set(text_dir, stories=stories, seed=seed, level=level)  # type: ignore[arg-type]
        sets.append((planted, _build_articles(planted, settings)))
    passages = sum(len(a.passages) for _, articles in sets for a in articles)
    out: dict = {"level": level, "part": part, "seeds": list(planted_seeds(part, seeds)),  # type: ignore[arg-type]
                 "passages": passages}
    for name, run in SYSTEMS.items():
        scores: list[PassageScores] = []
        seconds = 0.0
        for planted, articles in sets:
            start = time.perf_counter()
            predicted = run(articles, settings)
            seconds += time.perf_counter() - start
            scores.append(score_passages(predicted, planted.gold, planted.accepted))
        total = combine_scores(scores)
        out[name] = {"precision": round(total.precision, 4), "recall": round(total.recall, 4),
                     "f1": round(total.f1, 4), "first_seen_accuracy": round(total.first_seen_accuracy, 4),
                     "tp": total.tp, "fp": total.fp, "fn": total.fn, "passages_per_s": round(passages / seconds)}
    out["speed_ratio"] = round(out["storyline"]["passages_per_s"] / out["datasketch"]["passages_per_s"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="PolNeAR texts, e.g. ../shared/data/polnear/dev/text")
    parser.add_argument("--level", default="both", choices=[*LEVELS, "both"])
    parser.add_argument("--part", default="report", choices=["tune", "report", "both"])
    parser.add_argument("--seeds", type=int, default=None, help="only the first N seeds of each part")
    parser.add_argument("--stories", type=int, default=40, help="stories per set (default 40)")
    parser.add_argument("--json", action="store_true", help="one JSON line per level and part")
    args = parser.parse_args(argv)
    levels = LEVELS if args.level == "both" else (args.level,)
    for level in levels:
        for part in parts(args.part):
            r = measure(args.path, level, part, args.seeds, args.stories)
            if args.json:
                print(json.dumps(r))
                continue
            print(f"{level} level, {part} part, seeds {r['seeds'][0]}-{r['seeds'][-1]}: {r['passages']:,} passages")
            for name in SYSTEMS:
                s = r[name]
                print(f"  {name:10} P {s['precision']:.4f}  R {s['recall']:.4f}  F1 {s['f1']:.4f}  "
                      f"first_seen {s['first_seen_accuracy']:.4f}  {s['passages_per_s']:>7,} passages/s")
            print(f"  storyline / datasketch speed: {r['speed_ratio']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
