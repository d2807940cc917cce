"""Count, on PolNeAR's train part, the words that carry a content on to its sentence's end.

    python benchmarks/polnear_boundaries.py ../shared/data/polnear/train
    python benchmarks/polnear_boundaries.py ../shared/data/polnear/train --json

The extractor runs over the part with ``attribution.RUN_ON_WORDS`` emptied for this run only
(the table is what chooses those words, so it is counted without them). For every content
that follows its cue in one piece, the word right after it is looked up and two things are
counted against the first annotator's content spans: whether the content as drawn matches one
exactly, and whether the content carried on to its sentence's end would. A word earns its
place in ``RUN_ON_WORDS`` when carrying on gains at least ``--min-gain`` (3) exact matches.
Deterministic; dev and test are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from storyline.eval.polnear import _intersection, _merge, read_polnear
from storyline.statements import attribution as at


def tally(path: Path) -> dict[str, Counter]:
    documents = read_polnear(path)
    at.RUN_ON_WORDS = frozenset()  # this run only: the table is counted without the words it chooses
    table: dict[str, Counter] = defaultdict(Counter)
    for document, found in zip(documents, at.extract_many([d.text for d in documents])):
        gold = [_merge(g) for g in document.annotations[min(document.annotations)]["content"]]
        text = document.text
        for a in found:
            if len(a.content_parts) > 1 or a.cue.end > a.content.start:
                continue
            m = at._RUN_ON.match(text, a.content.end)
            if m is None:
                continue
            drawn = ((a.content.start, a.content.end),)
            best = max(gold, key=lambda g: _intersection(g, drawn), default=None)
            if best is None or _intersection(best, drawn) == 0:
                continue
            at.RUN_ON_WORDS = frozenset({m.group(1).lower()})
            carried = ((a.content.start, at._run_on(text, a.content.start, a.content.end)),)
            at.RUN_ON_WORDS = frozenset()
            counts = table[m.group(1).lower()]
            counts["contents"] += 1
            counts["exact_as_drawn"] += best == drawn
            counts["exact_carried_on"] += best == carried
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", type=Path, help="PolNeAR's train part (the folder holding text/ and attributions/)")
    parser.add_argument("--min-gain", type=int, default=3, help="exact matches a word must gain (3)")
    parser.add_argument("--json", action="store_true", help="print the table as one JSON line")
    args = parser.parse_args()
    if args.part.name != "train":
        sys.exit("count on PolNeAR's train part only (dev is the report part)")
    table = tally(args.part)
    gains = {w: c["exact_carried_on"] - c["exact_as_drawn"] for w, c in table.items()}
    chosen = sorted((w for w, g in gains.items() if g >= args.min_gain), key=lambda w: -gains[w])
    if args.json:
        print(json.dumps({"words": chosen, "table": {w: dict(table[w]) for w in chosen}}))
        return
    for w in chosen:
        c = table[w]
        print(f"{w:10} {c['contents']:5} contents  exact {c['exact_as_drawn']:4} as drawn, "
              f"{c['exact_carried_on']:4} carried on (+{gains[w]})")
    print(f"RUN_ON_WORDS = {set(chosen)}")


if __name__ == "__main__":
    main()
