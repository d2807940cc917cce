"""The type check: mypy over src with the [tool.mypy] settings of pyproject.toml.

A type error anywhere in src fails this test with mypy's report. mypy keeps its cache in the
repository's .mypy_cache, so only the first run (about a minute) reads numpy, spaCy and the rest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary",
         "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mypy src (exit {result.returncode}):\n{result.stdout}{result.stderr}", pytrace=False)
