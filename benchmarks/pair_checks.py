"""What a batch job's pair checks cost on the executors, the set code against the compiled check.

    python benchmarks/pair_checks.py WORK [--rounds 2] [--json]

WORK is the work folder of a job run with ``--pair-checks N --keep-work`` (``OUT/_work``): its
``features`` (every passage's text, keys and sentences' keys) and ``pairs`` (every pair the
executors checked). Each pair is checked again here, in this process, as ``check_frames`` checks
it on an executor (``ReuseStage.check_pair``): with the set code (``reuse.compiled_checks`` false)
and compiled from the first pair (what the executors do where numba is installed), alternating
``--rounds`` times, each round on passages read afresh (nothing prepared by a round before).
Printed: CPU seconds a round and microseconds a pair, and that both give the same verdicts; and
the bytes a passage takes as the pairs stage carries it (``passage_blob``: its text's length,
its keys, its sentences as runs of them) against its text, keys and sentences pickled whole (as
it was carried before), over the job's passages.

Make WORK with, say, ``python benchmarks/stream.py --articles 2000 --corpus C.jsonl`` (which keeps
its generated corpus in C.jsonl) and ``storyline batch C.jsonl --out OUT --pair-checks 20 --keep-work``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

from storyline.batch.pairs import passage_blob, unpack
from storyline.reuse.ports import CheckedPair
from storyline.reuse.stage import ReuseStage
from storyline.settings import ReuseSettings

Passage = tuple[str, object, object]


def passages(work: Path) -> dict[tuple[int, int], Passage]:
    """Every passage of the job's articles by (order, index), as an executor unpickles it."""
    import pyarrow.parquet as pq

    out: dict[tuple[int, int], Passage] = {}
    for row in pq.read_table(work / "features", columns=["order", "article", "features"]).to_pylist():
        article, features = pickle.loads(row["article"]), pickle.loads(row["features"])
        for p, keys, sents in zip(article.passages, features.reuse.passages, features.reuse.sentences):
            out[row["order"], p.index] = (p.text, keys, sents)
    return out


def pairs(work: Path) -> list[tuple[int, int, int, int]]:
    """Every pair the executors checked: (order, index, stored order, stored index)."""
    import pyarrow.parquet as pq

    return [(row["order"], index, order, stored_index) for row in pq.read_table(work / "pairs").to_pylist()
            for index, order, stored_index in unpack(row["pairs"])]


def timed(settings: ReuseSettings, work: Path, checked: list[tuple[int, int, int, int]]) -> tuple[float, list[CheckedPair]]:
    """CPU seconds to check every pair with a stage of ``settings``, and the verdicts."""
    held = passages(work)  # read afresh: no passage prepared by another round
    stage = ReuseStage(settings)
    stage.compiled  # numba imported and the check loaded before the clock starts
    start = time.process_time()
    out = [stage.check_pair(*held[order, index], *held[stored_order, stored_index])
           for order, index, stored_order, stored_index in checked]
    return time.process_time() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="a job's work folder, kept with --keep-work")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.work / "features").exists() or not (args.work / "pairs").exists():
        print(f"{args.work}: no features or pairs here; run the job with --pair-checks N --keep-work",
              file=sys.stderr)
        return 2
    checked = pairs(args.work)
    ways = {"sets": ReuseSettings(compiled_checks=False), "compiled": ReuseSettings(compiled_after=0)}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    verdicts: dict[str, list[CheckedPair]] = {}
    for _ in range(args.rounds):
        for name, settings in ways.items():
            spent, verdicts[name] = timed(settings, args.work, checked)
            seconds[name].append(round(spent, 3))
    same = verdicts["sets"] == verdicts["compiled"]
    held = passages(args.work)
    carried = sum(len(passage_blob(*passage)) for passage in held.values())
    whole = sum(len(pickle.dumps(passage, protocol=pickle.HIGHEST_PROTOCOL)) for passage in held.values())
    report = {"pairs": len(checked), "matched": sum(v.match is not None for v in verdicts["sets"]),
              "same_verdicts": same, "passages": len(held),
              "bytes_a_passage": {"carried": round(carried / max(len(held), 1), 1),
                                  "pickled_whole": round(whole / max(len(held), 1), 1)},
              "cpu_s": seconds,
              "us_a_pair": {name: [round(s / max(len(checked), 1) * 1e6, 2) for s in spent]
                            for name, spent in seconds.items()}}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['pairs']:,} pairs, {report['matched']:,} matched; the same verdicts: {same}")
        sizes = report["bytes_a_passage"]
        print(f"{len(held):,} passages: {sizes['carried']} bytes a passage as carried, "
              f"{sizes['pickled_whole']} with its text and sentences pickled whole")
        for name in ways:
            print(f"  {name:9} " + ", ".join(f"{s:.2f} s ({us:.1f} us a pair)"
                                             for s, us in zip(seconds[name], report["us_a_pair"][name])))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
