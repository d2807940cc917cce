"""The report parts CI gates, how each is measured, and the script that records their floors.

The tests in ``tests/eval/`` measure each gate with the functions below and fail when a
figure is under its floor in ``floors.json``. To record floors after an improvement (a
floor goes ``--margin`` under the measured figure; raising is always allowed)::

    PYTHONPATH=src python tests/eval/eval_gate.py --write

Lowering a floor needs ``--lower-floor`` as well, and the commit must say why. Without
``--write`` the script prints each figure beside its floor and exits non-zero if one fails.
Only report parts are gated (see ``storyline.eval.protocol``); the passage gates run the first
``PASSAGE_SEEDS`` report seeds to keep CI short (the command runs all ten).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from storyline.eval.gate import below_floor, load_floors, record_floors
from storyline.eval.polnear import StatementScores

FLOORS = Path(__file__).resolve().parent / "floors.json"
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "data"
PASSAGE_SEEDS = 2
PASSAGE_FIGURES = ("precision", "recall", "first_seen_accuracy", "span_overlap", "first_seen_span_overlap")


def measure_passages(data: Path, level: str) -> dict[str, float]:
    from storyline.eval.passages import evaluate_passage_part

    scores, _ = evaluate_passage_part(data / "polnear" / "dev" / "text", "report", level,  # type: ignore[arg-type]
                                      seeds=PASSAGE_SEEDS)
    return {name: getattr(scores, name) for name in PASSAGE_FIGURES}


def measure_clusters(data: Path, embeddings: bool = False) -> dict[str, float]:
    """The core install's figure, or with ``embeddings`` the embeddings extra's (the stories
    stage's dense vectors; the extra must be installed, as CI installs it)."""
    from storyline.eval.clusters import evaluate_clusters
    from storyline.settings import Settings, StorySettings

    (path,) = sorted((data / "uci-news").glob("*.csv"))
    settings = Settings(stories=StorySettings(embeddings=True)) if embeddings else None
    return {"bcubed_f1": evaluate_clusters(path, settings, part="report").bcubed_f1}


def measure_timex(data: Path) -> dict[str, float]:
    from storyline.eval.timex import evaluate_timex

    s = evaluate_timex(data / "tempeval3" / "TBAQ-cleaned" / "AQUAINT").scores
    return {"strict_f1": s.strict_f1, "relaxed_f1": s.relaxed_f1, "value_f1": s.value_f1}


def measure_statements(data: Path) -> dict[str, float]:
    from storyline.eval.polnear import evaluate_statements

    return statement_figures(evaluate_statements(data / "polnear" / "dev").scores)


def statement_figures(s: StatementScores) -> dict[str, float]:
    return {"content_overlap_f1": s.scores["content"]["overlap"].f1,
            "source_overlap_f1": s.scores["source"]["overlap"].f1,
            "cue_overlap_f1": s.scores["cue"]["overlap"].f1, "content_half_f1": s.scores["content"]["half"].f1,
            "content_exact_f1": s.scores["content"]["exact"].f1, "source_exact_f1": s.scores["source"]["exact"].f1}


def measure_headlines(data: Path) -> dict[str, float]:
    from storyline.eval.headlines import evaluate_headlines

    scores, _ = evaluate_headlines(data / "uci-news" / "uci-news-2014-03-10.csv", ("report",))["report"]
    return {"precision": scores.precision, "recall": scores.recall, "exact_precision": scores.exact_precision}


CONFLICTS_GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "conflicts" / "polnear.json"
CONFLICT_FIGURES = ("claim_precision", "claim_recall", "conflict_precision", "conflict_recall")


def measure_conflicts(data: Path) -> dict[str, float]:
    from storyline.eval.conflicts import evaluate_conflicts

    scores, _ = evaluate_conflicts(CONFLICTS_GOLD, ("report",), root=data / "polnear")["report"]
    return {name: getattr(scores, name) for name in CONFLICT_FIGURES}


GATES: dict[str, Callable[[Path], dict[str, float]]] = {
    "passages/easy/report": lambda data: measure_passages(data, "easy"),
    "passages/hard/report": lambda data: measure_passages(data, "hard"),
    "clusters/report": measure_clusters,
    "clusters/embeddings/report": lambda data: measure_clusters(data, embeddings=True),
    "timex/report": measure_timex,
    "statements/report": measure_statements,
    "headlines/report": measure_headlines,
    "conflicts/report": measure_conflicts,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gates", nargs="*", help=f"gates to measure (default all: {', '.join(GATES)})")
    parser.add_argument("--write", action="store_true", help="record floors under the measured figures")
    parser.add_argument("--lower-floor", action="store_true", help="allow --write to lower a floor")
    parser.add_argument("--margin", type=float, default=0.01, help="how far under the measured figure (0.01)")
    args = parser.parse_args(argv)
    unknown = [g for g in args.gates if g not in GATES]
    if unknown:
        parser.error(f"unknown gates {unknown}; known: {', '.join(GATES)}")
    measured = {gate: GATES[gate](SHARED_DATA) for gate in (args.gates or GATES)}
    if args.write:
        record_floors(FLOORS, measured, margin=args.margin, lower=args.lower_floor)
    floors = load_floors(FLOORS)
    failed = False
    for gate, figures in measured.items():
        for name, value in figures.items():
            print(f"{gate:24} {name:20} {value:.4f}  floor {floors.get(gate, {}).get(name, float('nan')):.3f}")
        failures = below_floor(floors, gate, figures)
        failed |= bool(failures)
        for line in failures:
            print("FAIL", line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
