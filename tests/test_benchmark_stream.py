"""The stream benchmark's clock of the writing process by stage (benchmarks/stream.py): every
millisecond between two commits goes to exactly one stage, and runs of articles that cut
through a batch get their share of it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus  # noqa: E402
import stream  # noqa: E402

STAGES = {"reuse.find", "reuse.index", "reuse.moves", "stories", "timeline", "article", "commit", "waiting"}


@given(st.integers(0, 500), st.integers(1, 40))
def test_parts_cover_the_stream_in_order_and_evenly(n, k):
    parts = stream._parts(n, k)
    assert len(parts) == min(n, k)
    assert [p[0] for p in parts[1:]] == [p[1] for p in parts[:-1]]  # consecutive, no gap
    if parts:
        assert parts[0][0] == 0 and parts[-1][1] == n
        sizes = [end - start for start, end in parts]
        assert max(sizes) - min(sizes) <= 1


class _Writer:
    def __init__(self) -> None:
        self.calls = 0

    def step(self, x: int) -> int:
        self.calls += 1
        return x + 1


def test_a_wrapped_method_still_answers_and_is_timed_on_its_instance_only():
    clock = stream._StageClock()
    timed, other = _Writer(), _Writer()
    clock.wrap(timed, "step", "reuse.find")
    assert timed.step(1) == 2 and other.step(1) == 2
    assert timed.calls == other.calls == 1
    assert clock.spent["reuse.find"] > 0.0
    assert "step" not in vars(other)  # the class is untouched


def test_commit_is_the_write_the_stages_leave_and_waiting_the_time_outside_it():
    clock = stream._StageClock()
    clock.spent.update({stream._WRITE: 0.040, "reuse.find": 0.025, "stories": 0.010})
    clock.batch_written(10, 0.050)
    clock.spent.update({stream._WRITE: 0.100, "reuse.find": 0.045, "stories": 0.030})
    clock.batch_written(10, 0.070)
    first, second = clock.batches[0][1], clock.batches[1][1]
    assert first == pytest.approx({"reuse.find": 0.025, "stories": 0.010, "commit": 0.005, "waiting": 0.010})
    assert second == pytest.approx({"reuse.find": 0.020, "stories": 0.020, "commit": 0.020, "waiting": 0.010})
    # every second between two commits is in one stage
    assert sum(first.values()) == pytest.approx(0.050) and sum(second.values()) == pytest.approx(0.070)


def test_a_run_of_articles_through_a_batch_takes_its_share():
    clock = stream._StageClock()
    clock.batches = [(50, {"reuse.find": 0.050}), (50, {"reuse.find": 0.150, "stories": 0.050})]
    assert clock.per_article_ms(0, 50) == {"reuse.find": 1.0}
    assert clock.per_article_ms(50, 100) == {"reuse.find": 3.0, "stories": 1.0}
    # half of each batch: (0.025 + 0.075) s over 50 articles; the stories' 0.025 s too
    assert clock.per_article_ms(25, 75) == {"reuse.find": 2.0, "stories": 0.5}
    assert clock.per_article_ms(100, 120) == {}


@pytest.mark.skipif(not corpus.DEFAULT_SOURCE.is_dir(), reason=f"{corpus.DEFAULT_SOURCE} not present")
def test_a_stream_reports_where_the_writer_spent_each_part_of_it():
    result = stream.run(60, seed=1, batch=10, workers=1)
    assert result["stored"] == 60
    for key in ("first_stages_ms", "last_stages_ms"):
        assert set(result[key]) == STAGES
        assert all(ms >= 0 for ms in result[key].values())
        assert result[key]["reuse.find"] > 0 and result[key]["stories"] > 0 and result[key]["article"] > 0
    parts = result["stages_ms"]
    assert [end for end, _ in parts] == [3 * i for i in range(1, 21)]
    # the parts' stages add up to the stream's time, to the rounding of the figures (three
    # places a stage) and the moments between the last commit and the end of the clock
    total_ms = sum(3 * sum(stages.values()) for _, stages in parts)
    assert total_ms == pytest.approx(result["seconds"] * 1000, abs=100)
