"""Fit the attribution confidence model (storyline/statements/confidence.json) on PolNeAR's train part.

    python benchmarks/train_attribution_model.py ../shared/data/polnear/train
    python benchmarks/train_attribution_model.py ../shared/data/polnear/train --cache /tmp/polnear-train.parsed

Every candidate the rules propose (the generic rule included) is labelled by the train
annotations: kept when some annotator's attribution has content overlapping its content and,
where the candidate names a speaker, a source overlapping that speaker. A logistic model over the
candidates' features (``attribution._features``) is fitted; its threshold is the one that
maximises the mean of the source and content overlap F1 on held-out folds (5 folds by document),
and the final weights are fitted on all of train. Deterministic: the same train part and
storyline give the same file, byte for byte. Dev and test are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from storyline.eval.polnear import (
    _intersection,
    _merge,
    as_predicted,
    parsed_paragraphs,
    read_polnear,
    score,
)
from storyline.statements import attribution as at
from storyline.statements.confidence import fit

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "statements" / "confidence.json"
FOLDS = 5
L2 = 4.0
MIN_COUNT = 3  # features seen fewer times are left out


def _label(document, predicted) -> int:
    """1 when some annotator's attribution matches the candidate's content (and its speaker, if any)."""
    content = _merge(predicted.content)
    for relations in document.attributions.values():
        for r in relations:
            if not r.content or _intersection(_merge(r.content), content) <= 0:
                continue
            if predicted.source is None or r.source and _intersection(_merge(r.source), _merge(predicted.source)) > 0:
                return 1
    return 0


def _objective(documents, candidates, probabilities, threshold: float) -> tuple[float, dict]:
    kept = [[as_predicted(s.attribution) for s, p in zip(cands, probs) if p >= threshold]
            for cands, probs in zip(candidates, probabilities)]
    scores = score(documents, kept).scores
    figures = {k: round(scores[k]["overlap"].f1, 4) for k in ("source", "cue", "content")}
    figures["content_half"] = round(scores["content"]["half"].f1, 4)
    return (figures["source"] + figures["content"]) / 2, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR's train part (the folder holding text/ and attributions/)")
    parser.add_argument("--cache", type=Path, help="keep the parses here between runs")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--l2", type=float, default=L2)
    args = parser.parse_args()
    if args.train.resolve().name != "train":
        sys.exit("fit on PolNeAR's train part only: dev and test are for evaluation")

    documents = read_polnear(args.train)
    parsed = parsed_paragraphs(documents, args.cache)
    candidates = [at._from_docs(d.text, p, None) for d, p in zip(documents, parsed)]
    labels = [[_label(d, as_predicted(s.attribution)) for s in cands] for d, cands in zip(documents, candidates)]
    print(f"{len(documents)} texts, {sum(map(len, candidates))} candidates, "
          f"{sum(map(sum, labels))} matching an annotation", file=sys.stderr)

    # held-out probabilities: each fold's texts scored by a model fitted on the others
    held: list[list[float]] = [[] for _ in documents]
    for fold in range(FOLDS):
        train = [i for i in range(len(documents)) if i % FOLDS != fold]
        model = fit([s.features for i in train for s in candidates[i]], [y for i in train for y in labels[i]],
                    l2=args.l2, min_count=MIN_COUNT)
        for i in range(fold, len(documents), FOLDS):
            held[i] = [model.probability(s.features) for s in candidates[i]]
    rows = [_objective(documents, candidates, held, t / 100) + (t / 100,) for t in range(20, 72, 4)]
    for _, row_figures, t in rows:
        print(f"  threshold {t:.2f}: held-out {row_figures}", file=sys.stderr)
    _, figures, threshold = max(rows, key=lambda r: r[0])
    print(f"threshold {threshold}: held-out {figures}", file=sys.stderr)

    model = fit([s.features for c in candidates for s in c], [y for ls in labels for y in ls], l2=args.l2,
                min_count=MIN_COUNT)
    model.threshold = threshold
    # weights that move no decision are left out of the shipped file
    model.weights = {f: round(w, 3) for f, w in model.weights.items() if abs(w) >= 0.005}
    model.meta = {"fitted_on": "PolNeAR train", "texts": len(documents),
                  "candidates": sum(map(len, candidates)), "positives": sum(map(sum, labels)),
                  "l2": args.l2, "min_count": MIN_COUNT, "held_out_overlap_f1": figures,
                  "by": "benchmarks/train_attribution_model.py"}
    args.out.write_text(json.dumps(model.as_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"out": str(args.out), "threshold": threshold, "features": len(model.weights), **figures}))


if __name__ == "__main__":
    main()
