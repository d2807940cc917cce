"""benchmarks/candidate_ranking.py: the ranking's inputs recorded from a real stream, ranked alike
both ways, and timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import candidate_ranking  # noqa: E402
import corpus  # noqa: E402


def test_the_last_articles_lookups_are_recorded_and_ranked_alike_both_ways():
    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    result = candidate_ranking.run(160, 40, seed=3, repeat=1)
    assert result["same"] is True
    # one lookup an article with band keys: the last 40 articles', no earlier one's
    assert 30 <= result["inputs"] <= 40
    assert result["rows"] > 0 and result["passages"] > 1
    assert result["packed_us"] > 0 and result["columns_us"] > 0


def test_a_ranking_that_differs_is_reported(monkeypatch):
    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    monkeypatch.setattr(candidate_ranking, "by_columns", lambda *args: [["not", "the", "same"]])
    assert candidate_ranking.run(120, 20, seed=3, repeat=1)["same"] is False
