"""Fit the span boundary model (storyline/statements/boundaries.json) on PolNeAR's train part.

    python scripts/train_boundary_model.py ../shared/data/polnear/train
    python scripts/train_boundary_model.py ../shared/data/polnear/train --cache /tmp/polnear-train.parsed

The extractor runs over train with the shipped confidence model and without a boundary model;
for every attribution it keeps, the positions each edge may take (``boundaries.edge_options``)
are collected. An edge's target is the matching edge of the annotated span that overlaps the
attribution's span most (any annotator; a discontinuous annotated span gives no target), when
that position is among the options. The documents are split once into five folds (by index);
a model fitted on four is scored on the fifth by ``eval.polnear.score`` (exact and overlap F1
of the rules' spans and of the re-drawn ones) for each ``--margin``, and the largest margin whose
sum of source and content exact F1 (mean of the five held-out folds) is within 0.001 of the
best is kept (it moves the fewest edges). The weights
shipped are fitted on all of train. Deterministic: the same train part and storyline give the
same file, byte for byte. Dev and test are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
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
from storyline.statements.boundaries import (
    BoundaryModel,
    EdgeChooser,
    EdgeOptions,
    fit,
    redraw,
)
from storyline.statements.confidence import default_model

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "statements" / "boundaries.json"
FOLDS = 5
L2 = 2.0
MIN_COUNT = 3
MARGINS = (0.0, 0.5, 1.0, 1.5)


def _best(gold: list[tuple[tuple[int, int], ...]], span: tuple[int, int]) -> tuple[int, int] | None:
    """The annotated span overlapping ``span`` most, when it is in one piece."""
    best = max(gold, key=lambda g: _intersection(g, (span,)), default=None)
    if best is None or _intersection(best, (span,)) <= 0 or len(best) != 1:
        return None
    return best[0]


def targets(document, attribution: at.Attribution, options: tuple[EdgeOptions, ...]) -> list[int | None]:
    """Per option group, the annotated edge position when it is one of the options."""
    gold = {kind: [_merge(g) for spans in document.annotations.values() for g in spans[kind]]
            for kind in ("source", "content")}
    out: list[int | None] = []
    for o in options:
        kind, _, side = o.edge.partition("-")
        mine = attribution.content if kind == "content" else attribution.speaker
        found = _best(gold[kind], (mine.start, mine.end)) if mine is not None else None
        position = None if found is None else found[0] if side == "start" else found[1]
        out.append(position if position in o.positions else None)
    return out


def redrawn(scored: at.Scored, model: BoundaryModel | None, margin: float) -> at.Attribution:
    """The attribution with its edges moved where ``model`` says (the rules' spans when None)."""
    return redrawn_by(scored, None if model is None else BoundaryModel(model.weights, margin))


def redrawn_by(scored: at.Scored, chooser: EdgeChooser | None) -> at.Attribution:
    """The attribution with its edges moved where ``chooser`` says (the rules' spans when None)."""
    a = scored.attribution
    if chooser is None or not scored.edges:
        return a
    content, speaker = a.content, a.speaker
    if len(a.content_parts) == 1:
        s, e = redraw(chooser, scored.edges, (content.start, content.end), "content")
        content = at.Span(s, e, "")
    if speaker is not None:
        s, e = redraw(chooser, scored.edges, (speaker.start, speaker.end), "source")
        speaker = at.Span(s, e, "")
    parts = (content,) if len(a.content_parts) == 1 else a.content_parts
    return replace(a, content=content, speaker=speaker, content_parts=parts)


def collect(documents, parses) -> list[list[at.Scored]]:
    model = default_model()
    return [at._from_docs(d.text, p, model, None, edges=True) for d, p in zip(documents, parses)]


def figures(documents, found: list[list[at.Scored]], model: BoundaryModel | None, margin: float) -> dict:
    preds = [[as_predicted(redrawn(s, model, margin)) for s in scored] for scored in found]
    scores = score(documents, preds).scores
    out = {f"{k}_{how}": round(scores[k][how].f1, 4) for k in ("source", "cue", "content") for how in ("exact", "overlap")}
    return out


def labelled(documents, found, indexes):
    """(document index, attribution, edge options, annotated option) of every edge of the
    documents at ``indexes`` whose annotated position is among its options."""
    for i in indexes:
        for s in found[i]:
            for o, t in zip(s.edges, targets(documents[i], s.attribution, s.edges)):
                if t is not None:
                    yield i, s, o, t


def samples(documents, found, indexes) -> tuple[list[EdgeOptions], list[int]]:
    groups, wanted = [], []
    for _, _, o, t in labelled(documents, found, indexes):
        groups.append(o)
        wanted.append(t)
    return groups, wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR's train part (the folder holding text/ and attributions/)")
    parser.add_argument("--cache", type=Path, help="keep the parses here between runs")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--folds", type=int, default=FOLDS, help="held-out folds to measure (1..5; 0 skips)")
    parser.add_argument("--margin", type=float, help="ship this margin instead of the held-out choice (one of "
                        f"{', '.join(map(str, MARGINS))})")
    args = parser.parse_args()
    if args.margin is not None and args.margin not in MARGINS:
        sys.exit(f"--margin must be one of {MARGINS}")
    if args.train.resolve().name != "train":
        sys.exit("fit on PolNeAR's train part only: dev and test are for evaluation")

    documents = read_polnear(args.train)
    found = collect(documents, parsed_paragraphs(documents, args.cache))
    groups, wanted = samples(documents, found, range(len(documents)))
    print(f"{len(documents)} texts, {sum(map(len, found))} attributions, {len(groups)} edges with a target",
          file=sys.stderr)

    held: dict[float, list[dict]] = {m: [] for m in MARGINS}
    rules: list[dict] = []
    for fold in range(min(args.folds, FOLDS)):
        fitting = [i for i in range(len(documents)) if i % FOLDS != fold]
        kept = [i for i in range(len(documents)) if i % FOLDS == fold]
        model = fit(*samples(documents, found, fitting), l2=args.l2, min_count=MIN_COUNT)
        docs_k, found_k = [documents[i] for i in kept], [found[i] for i in kept]
        rules.append(figures(docs_k, found_k, None, 0.0))
        for m in MARGINS:
            held[m].append(figures(docs_k, found_k, model, m))
        print(f"  fold {fold}: rules {rules[-1]}", file=sys.stderr)
        for m in MARGINS:
            print(f"    margin {m}: {held[m][-1]}", file=sys.stderr)

    def mean(rows: list[dict]) -> dict:
        return {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in rows[0]}

    margin, summary = 0.0, {}
    if rules:
        gain = {m: mean(held[m])["source_exact"] + mean(held[m])["content_exact"] for m in MARGINS}
        # the largest margin within a thousandth of the best: it moves the fewest edges for the same figures
        best = max(m for m in MARGINS if gain[m] >= max(gain.values()) - 0.001)
        if args.margin is not None:
            best = args.margin
        margin, summary = best, {"rules": mean(rules), "redrawn": mean(held[best])}
        print(f"held-out, mean of {len(rules)} folds: rules {summary['rules']}", file=sys.stderr)
        for m in MARGINS:
            print(f"  margin {m}: {mean(held[m])}", file=sys.stderr)

    model = fit(groups, wanted, l2=args.l2, min_count=MIN_COUNT)
    model.margin = margin if args.margin is None else args.margin
    model.weights = {f: round(w, 3) for f, w in model.weights.items() if abs(w) >= 0.005}
    model.meta = {"fitted_on": "PolNeAR train", "texts": len(documents), "edges": len(groups), "l2": args.l2,
                  "min_count": MIN_COUNT, "held_out_exact_f1": summary, "by": "scripts/train_boundary_model.py"}
    args.out.write_text(json.dumps(model.as_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"out": str(args.out), "margin": margin, "features": len(model.weights), **summary}))


if __name__ == "__main__":
    main()
