"""A Spark stage of the job says how far it is while it runs (its tasks done), from Spark's
status tracker, on a thread; a progress callback that raises stops the job as it would anywhere."""

from __future__ import annotations

import re
import time

import pytest

from storyline.batch.progress import StoreProgress, duration, stage_progress, still_running, tasks_line


def test_the_line_names_each_running_spark_stage_with_its_tasks():
    assert tasks_line([(7, 64, 12, 2)]) == "Spark stage 7: 12 of 64 tasks done, 2 running"
    assert tasks_line([(9, 4, 0, 0), (3, 1200, 1000, 0)]) == \
        "Spark stage 3: 1,000 of 1,200 tasks done; Spark stage 9: 0 of 4 tasks done"


def _slow_job(spark, tasks: int, seconds: float) -> int:
    return spark.sparkContext.parallelize(range(tasks), tasks).map(lambda x: (time.sleep(seconds), x)[1]).count()


def test_a_running_stage_says_its_tasks_done_as_they_change(spark):
    said: list[tuple[str, str]] = []
    with stage_progress(spark, "featurize", lambda stage, message: said.append((stage, message)), every=0.05):
        assert _slow_job(spark, 8, 0.25) == 8
    assert said and all(stage == "featurize" for stage, _ in said)
    done = []
    for _, message in said:
        found = re.fullmatch(r"Spark stage \d+: (\d+) of 8 tasks done(, \d+ running)?", message)
        assert found, message
        done.append(int(found.group(1)))
    assert done == sorted(done) and len(set(said)) == len(said)  # said when changed, never twice the same
    assert len(said) >= 2  # 8 tasks on two cores: four rounds of a quarter second


def test_nothing_is_said_when_turned_off_or_after_the_stage(spark):
    said: list[tuple[str, str]] = []
    with stage_progress(spark, "keys", lambda stage, message: said.append((stage, message)), every=0):
        _slow_job(spark, 4, 0.1)
    assert said == []
    with stage_progress(spark, "keys", lambda stage, message: said.append((stage, message)), every=0.05):
        pass
    _slow_job(spark, 4, 0.1)
    assert said == []


def test_a_callback_that_raises_is_raised_when_the_stage_ends(spark):
    def stop(stage: str, message: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with stage_progress(spark, "read", stop, every=0.05):
            _slow_job(spark, 4, 0.25)


def test_a_long_call_says_it_is_still_running_until_it_returns():
    said: list[tuple[str, str]] = []
    with still_running("compact", lambda stage, message: said.append((stage, message)), 0.1, "compacting"):
        time.sleep(1.8)
    # every 0.1 s, when the seconds shown changed (0 s at 0.1, not again until 1 s from 0.5 on, ...)
    assert said[0] == ("compact", "compacting, 0 s so far") and {stage for stage, _ in said} == {"compact"}
    seconds = [int(re.fullmatch(r"compacting, (\d) s so far", message)[1]) for _, message in said]
    assert seconds == sorted(set(seconds)) and len(seconds) >= 2
    count = len(said)
    time.sleep(0.5)
    assert len(said) == count  # nothing after it returned
    with still_running("compact", lambda stage, message: said.append((stage, message)), 0, "compacting"):
        time.sleep(0.15)
    assert len(said) == count  # 0: never


def test_a_callback_that_raises_while_a_long_call_runs_is_raised_when_it_returns():
    def stop(stage: str, message: str) -> None:
        raise KeyboardInterrupt

    finished = []
    with pytest.raises(KeyboardInterrupt):
        with still_running("compact", stop, 0.05, "compacting"):
            time.sleep(0.2)
            finished.append(True)
    assert finished == [True]  # the call itself was not cut short


def test_durations_read_as_hours_minutes_or_seconds():
    assert [duration(s) for s in (0, 40.4, 59.6, 60, 719, 3600, 11_520, -3)] == \
        ["0 s", "40 s", "1 min", "1 min", "11 min", "1 h 0 min", "3 h 12 min", "0 s"]


def test_the_store_stage_says_what_an_article_cost_lately_and_how_long_the_rest_will_take():
    now = [100.0]
    progress = StoreProgress(held=1_000, read=1_000_000, clock=lambda: now[0])
    now[0] += 6.0  # 500 articles in 6 s: 12 ms each, 998,500 to go
    assert progress.line(500) == ("500 articles stored (1,500 of the 1,000,000 read; 12.0 ms an article"
                                  " over the last 500, about 3 h 19 min to go)")
    now[0] += 2.5  # the rate is the last batch's alone
    assert progress.line(1_000) == ("1,000 articles stored (2,000 of the 1,000,000 read; 5.0 ms an article"
                                    " over the last 500, about 1 h 23 min to go)")
    done = StoreProgress(held=0, read=300, clock=lambda: now[0])
    now[0] += 1.0
    assert done.line(300) == "300 articles stored (300 of the 300 read; 3.3 ms an article over the last 300)"
    assert done.line(300) == "300 articles stored (300 of the 300 read)"  # no batch since
