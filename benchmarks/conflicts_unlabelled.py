"""Conflicts flagged over PolNeAR articles that no conflicts-gold story uses: a precision check by eye.

    python benchmarks/conflicts_unlabelled.py ../shared/data/polnear/train --start 120 --stop 450

Takes the texts of a PolNeAR part in name order, less every article a story of
``tests/fixtures/conflicts/polnear.json`` names (so neither part of that set is read), keeps
``[start, stop)`` of them, ingests them into one fresh store (eight at a time), and prints each
conflict the stories' statements give (kind and reason, one a line), then the count of each kind.
Nothing here is labelled: read the lines and judge. A rule that floods this list with pairs no
reader would call a disagreement costs precision wherever it runs.
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
from pathlib import Path

from storyline.engine import Storyline

GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "conflicts" / "polnear.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", type=Path, help="a PolNeAR part (the folder holding text/)")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=300)
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    used = {Path(a if isinstance(a, str) else a["path"]).name for s in gold["stories"] for a in s["articles"]}
    files = [p for p in sorted((args.part / "text").glob("*.txt")) if p.name not in used][args.start:args.stop]
    kinds: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp, Storyline(Path(tmp) / "unlabelled.db") as sl:
        for k in range(0, len(files), 8):
            sl.ingest([str(p) for p in files[k:k + 8]])
        for story in sl.stories():
            for c in sl.statements(story.id)[1]:
                kinds[c.kind] += 1
                print(f"{c.kind} | {c.reason}")
    print(json.dumps({"articles": len(files), **dict(sorted(kinds.items()))}))


if __name__ == "__main__":
    main()
