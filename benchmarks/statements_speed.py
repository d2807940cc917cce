"""Paragraphs per second of the attribution extractor (parse, rules, confidence), with and without the boundary model.

    python benchmarks/statements_speed.py ../shared/data/polnear/train --texts 200 --json
    python benchmarks/statements_speed.py ../shared/data/polnear/train --texts 200 --json --embeddings

Reads the first ``--texts`` texts of a PolNeAR part (only the texts, never the annotations)
and times the extractor over them twice, one run each: with the rules' span edges (no edge
options computed: the extractor as it was before the boundary model) and with the shipped
boundary model (``attribution.extract_many``'s default). The spaCy model is
loaded, and warmed on one text, before either run. With ``--embeddings`` (the extra), a third
run re-draws the edges with the encoder (``encoder_edges``: each text's paragraphs encoded by
all-MiniLM-L6-v2 on one torch thread, as ``storyline eval statements --embeddings`` runs it),
the encoder loaded and warmed first. Prints one JSON line with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from storyline.statements import attribution as at
from storyline.statements.boundaries import default_boundaries
from storyline.statements.confidence import default_model
from storyline.statements.nlp import load_nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", type=Path, help="a PolNeAR part (the folder holding text/)")
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--embeddings", action="store_true", help="also time the encoder's edge model")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.part / "text").glob("*.txt"))[:args.texts]]
    paragraphs = sum(len(at._paragraphs(t)) for t in texts)
    nlp = load_nlp()
    list(at.extract_many(texts[:1], nlp))
    out: dict = {"texts": len(texts), "paragraphs": paragraphs}
    runs: list[tuple[str, object]] = [("rules", None), ("redrawn", default_boundaries())]
    if args.embeddings:
        from storyline.statements.encoder_edges import encoder_boundaries

        encoder = encoder_boundaries()
        list(at.extract_many(texts[:1], nlp, boundaries=encoder))
        runs.append(("encoder", encoder))
    for name, model in runs:
        started = time.perf_counter()
        found = sum(len(a) for a in at.scored_many(texts, nlp, 64, default_model(), model))
        seconds = time.perf_counter() - started
        out[f"{name}_per_s"] = round(paragraphs / seconds, 1)
        out[f"{name}_attributions"] = found
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:24} {v}")


if __name__ == "__main__":
    main()
