"""CPU time of a story's read side: assembling its claims from stored statements and finding conflicts.

    python benchmarks/conflicts_speed.py tests/fixtures/conflicts/polnear.json --root ../shared/data/polnear --json

Ingests the tune part's stories of a conflicts gold file (each into its own fresh store, as
``storyline eval conflicts`` does, the statements analysed once), then times
``assemble.story_statements`` (speakers merged, claims grouped, conflicts found) over the stored
statements of all of them taken as one story, the worst case of a long story page, ``--repeat``
times; prints the statements, claims, conflicts and the best and mean CPU seconds of one run.
Ingest and analysis are outside the timing: only the read side is measured.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from storyline.engine import Storyline
from storyline.eval.conflicts import _dated_copy, read_gold
from storyline.settings import StatementSettings
from storyline.statements.assemble import story_statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stored = []
    for story in (s for s in read_gold(args.gold, args.root) if s.part == "tune"):
        with tempfile.TemporaryDirectory() as tmp, Storyline(Path(tmp) / "c.db") as sl:
            folder = Path(tmp) / "articles"
            folder.mkdir()
            sl.ingest([str(_dated_copy(a, folder)) for a in story.articles])
            for found in sl.stories():
                sl.statements(found.id)  # analyses the articles once
                version = sl.queries.story_version(found.id)
                stored.extend(sl.queries._statements.story_statements(version.id))
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        claims, conflicts = story_statements(stored, StatementSettings().same_claim)
        times.append(time.process_time() - start)
    out = {"statements": len(stored), "claims": len(claims), "conflicts": len(conflicts),
           "best_cpu_s": round(min(times), 4), "mean_cpu_s": round(sum(times) / len(times), 4)}
    print(json.dumps(out) if args.json else "  ".join(f"{k} {v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
