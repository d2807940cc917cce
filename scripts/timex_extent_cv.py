#!/usr/bin/env python
"""Would a learned extent adjuster help the date tagger? Document-level cross-validation on TimeBank.

Run from the repository root (TimeBank is the tune part of TBAQ; AQUAINT is never read here):

    PYTHONPATH=src python scripts/timex_extent_cv.py ../shared/data/tempeval3/TBAQ-cleaned/TimeBank

The adjuster considers, for each expression the tagger finds, four one-token edits: drop its
first or last token, or take in the token just before or after it. An edit is keyed by the
token (its lower-cased word, or its class: article, determiner, modifier, preposition,
post-position, number, punctuation, other word), the side, and the expression's type. Fitting
keeps the edits that turn more predicted spans into a gold span than they spoil, by at least
MIN_GAIN and with a share of successes of at least MIN_SHARE, on the training documents.
TimeBank's documents are dealt into five folds (seed 18); each fold is scored with the edits
fitted on the other four. Strict F1 is TempEval-3's, over all predicted and gold expressions.
"""

from __future__ import annotations

import bisect
import random
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass

from storyline.eval.timeml import read_timeml_dir
from storyline.eval.timex import _align
from storyline.text.temporal.timex import tag

SEED = 18
FOLDS = 5
_TOKEN = re.compile(r"[\w'’.-]+|[^\w\s]")
_CLASS_WORDS = {
    "ART": "the a an",
    "DET": "this that these those its his their her our each every",
    "MOD": "early late mid about around nearly almost over some more less least right just roughly approximately",
    "PREP": "in on at for by since until within during from to of through throughout",
    "POST": "ago ahead later earlier before after",
}
_CLASSES = {word: name for name, words in _CLASS_WORDS.items() for word in words.split()}


def word_class(word: str) -> str:
    if word in _CLASSES:
        return _CLASSES[word]
    return "PUNCT" if not word[0].isalnum() else "NUM" if word[0].isdigit() else "WORD"


@dataclass(slots=True)
class Item:
    gold: tuple[int, int] | None  # the span of the gold expression it overlaps, if any
    span: tuple[int, int]
    edits: dict[tuple[str, str, str], tuple[int, int]]  # (edit, token key, type) -> the span after it


@dataclass(slots=True)
class Doc:
    name: str
    gold: int
    predicted: int
    items: list[Item]


def prepare(path: str, key) -> list[Doc]:
    out = []
    for doc in read_timeml_dir(path):
        predicted = tag(doc.text, doc.dct)
        tokens = [(m.start(), m.end(), key(m.group().lower())) for m in _TOKEN.finditer(doc.text)]
        starts = [t[0] for t in tokens]
        matched = {j: i for i, j in _align(doc.timexes, predicted)}
        items = []
        for j, p in enumerate(predicted):
            g = doc.timexes[matched[j]] if j in matched else None
            i0, i1 = bisect.bisect_left(starts, p.start), bisect.bisect_left(starts, p.end)
            inside = tokens[i0:i1]
            edits = {}
            if len(inside) > 1:
                edits[("drop_first", inside[0][2], p.type)] = (inside[1][0], p.end)
                edits[("drop_last", inside[-1][2], p.type)] = (p.start, inside[-2][1])
            if i0 > 0 and not doc.text[tokens[i0 - 1][1]:p.start].strip():
                edits[("take_before", tokens[i0 - 1][2], p.type)] = (tokens[i0 - 1][0], p.end)
            if i1 < len(tokens) and not doc.text[p.end:tokens[i1][0]].strip():
                edits[("take_after", tokens[i1][2], p.type)] = (p.start, tokens[i1][1])
            items.append(Item((g.start, g.end) if g else None, (p.start, p.end), edits))
        out.append(Doc(doc.name, len(doc.timexes), len(predicted), items))
    return out


def fit(docs: list[Doc], min_gain: int, min_share: float) -> dict:
    good: Counter = Counter()
    bad: Counter = Counter()
    for doc in docs:
        for item in doc.items:
            if item.gold is None:
                continue
            for edit, span in item.edits.items():
                good[edit] += span == item.gold and item.span != item.gold
                bad[edit] += span != item.gold and item.span == item.gold
    return {e: good[e] - bad[e] for e in good
            if good[e] - bad[e] >= min_gain and good[e] / (good[e] + bad[e]) >= min_share}


def adjusted(model: dict, item: Item) -> tuple[int, int]:
    start, end = item.span
    best: dict[str, tuple] = {}
    for edit in item.edits:
        side = "left" if edit[0] in ("drop_first", "take_before") else "right"
        if edit in model and (side not in best or model[edit] > model[best[side]]):
            best[side] = edit
    if "left" in best:
        start = item.edits[best["left"]][0]
    if "right" in best:
        end = item.edits[best["right"]][1]
    return start, end


def strict_f1(docs: list[Doc], model: dict) -> float:
    gold = sum(d.gold for d in docs)
    predicted = sum(d.predicted for d in docs)
    strict = sum(adjusted(model, item) == item.gold for d in docs for item in d.items if item.gold)
    p, r = strict / predicted, strict / gold
    return 2 * p * r / (p + r) if p + r else 0.0


def main(path: str) -> None:
    for label, key in (("words", str), ("word classes", word_class)):
        docs = prepare(path, key)
        names = sorted(d.name for d in docs)
        random.Random(SEED).shuffle(names)
        fold = {n: i % FOLDS for i, n in enumerate(names)}
        print(f"{label}: all of TimeBank, no edits: strict F1 {strict_f1(docs, {}):.4f}")
        for min_gain in (1, 2, 3):
            for min_share in (0.5, 0.8):
                held_out = []
                for f in range(FOLDS):
                    model = fit([d for d in docs if fold[d.name] != f], min_gain, min_share)
                    test = [d for d in docs if fold[d.name] == f]
                    held_out.append((strict_f1(test, {}), strict_f1(test, model)))
                base = statistics.mean(a for a, _ in held_out)
                adj = statistics.mean(b for _, b in held_out)
                kept = len(fit(docs, min_gain, min_share))
                print(f"  gain >= {min_gain}, share >= {min_share}: held-out strict F1 {base:.4f} -> {adj:.4f}"
                      f" ({kept} edits when fitted on all of TimeBank)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tempeval3/TBAQ-cleaned/TimeBank")
