"""Score floors: the lowest figure each report part may show before CI fails.

The floors live in one checked-in JSON file (``tests/eval/floors.json``)::

    {"timex/report": {"strict_f1": 0.84, "value_f1": 0.76}, ...}

Each key names a set, a level where there is one, and the part; each figure is a score
of that part's ``as_dict()``. :func:`below_floor` lists the figures under their floor (the
tests fail on any). :func:`record_floors` writes new floors: raising one is always allowed,
lowering one only with ``lower=True`` (the ``--lower-floor`` flag of
``tests/eval/eval_gate.py``), so a regression cannot be waved through by re-recording.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

from ..errors import StorylineError

Floors = dict[str, dict[str, float]]


class FloorError(StorylineError, ValueError):
    """The floors file is malformed, or a write would lower a floor without being allowed to."""


def load_floors(path: Path) -> Floors:
    """The floors in ``path``; raises :class:`FloorError` naming what is wrong in it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FloorError(f"cannot read the floors file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise FloorError(f"{path}: expected an object of gates, got {type(data).__name__}")
    floors: Floors = {}
    for gate, figures in data.items():
        if not isinstance(figures, dict):
            raise FloorError(f"{path}: gate {gate!r} is not an object of figures")
        for name, value in figures.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise FloorError(f"{path}: {gate}.{name} = {value!r} is not a score between 0 and 1")
        floors[gate] = {name: float(value) for name, value in figures.items()}
    return floors


def below_floor(floors: Floors, gate: str, scores: Mapping[str, object]) -> list[str]:
    """One line per figure of ``gate`` under its floor (or missing from ``scores``); empty when all pass."""
    if gate not in floors:
        raise FloorError(f"no floors recorded for {gate!r}; known gates: {', '.join(sorted(floors))}")
    failures = []
    for name, floor in sorted(floors[gate].items()):
        value = scores.get(name)
        if not isinstance(value, (int, float)):
            failures.append(f"{gate}.{name}: no such score (have {', '.join(sorted(scores))})")
        elif value < floor:
            failures.append(f"{gate}.{name} = {value:.4f} fell below its floor {floor:.4f}")
    return failures


def floor_for(measured: float, margin: float) -> float:
    """A floor ``margin`` under a measured figure, rounded down to 3 decimals (never above it)."""
    return max(0.0, math.floor((measured - margin) * 1000 + 1e-9) / 1000)


def record_floors(path: Path, measured: Mapping[str, Mapping[str, float]], *, margin: float = 0.01,
                  lower: bool = False) -> Floors:
    """Write floors ``margin`` under ``measured`` (gate → figure → score) into ``path``; return them.

    Only the measured figures change. A new floor lower than the recorded one raises
    :class:`FloorError` unless ``lower`` is true, and nothing is written.
    """
    floors = load_floors(path) if Path(path).exists() else {}
    lowered = []
    for gate, figures in measured.items():
        current = floors.setdefault(gate, {})
        for name, value in figures.items():
            new = floor_for(value, margin)
            if name in current and new < current[name]:
                if not lower:
                    lowered.append(f"{gate}.{name}: {current[name]:.3f} -> {new:.3f}")
                    continue
            if name not in current or new != current[name]:
                current[name] = new
    if lowered:
        raise FloorError("refusing to lower floors without --lower-floor (say why in the commit): "
                         + "; ".join(lowered))
    Path(path).write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return floors


__all__ = ["FloorError", "Floors", "below_floor", "floor_for", "load_floors", "record_floors"]
