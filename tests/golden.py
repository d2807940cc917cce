"""Golden-file comparison: the expected output lives in tests/golden/, rewritten only on request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(name: str, actual: Any, update: bool) -> None:
    """Compare ``actual`` with ``tests/golden/<name>.json``; ``--update-golden`` rewrites it."""
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if update or not path.exists():
        if not update:
            raise AssertionError(f"{path} does not exist; run pytest --update-golden to create it")
        path.write_text(rendered, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"output differs from {path}; if the change is intended, run pytest --update-golden"
