"""How far a Spark stage of the job is: its tasks done, said every few seconds while it runs.

A job's Spark stages (read, featurize, keys, ...) run as Spark jobs the driver waits on; at a
million articles featurize alone takes an hour on two cores, with nothing to say between its
first line and its last. Spark's own console bar is off (it would interleave with the job's
lines), so :func:`stage_progress` asks Spark's status tracker instead, on a thread, and says
the tasks done of each Spark stage running when they changed since it last said.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Progress = Callable[[str, str], None]


def tasks_line(stages: list[tuple[int, int, int, int]]) -> str:
    """``(stage id, tasks, done, running)`` of each Spark stage running -> one progress line."""
    return "; ".join(f"Spark stage {stage}: {done:,} of {tasks:,} tasks done" + (f", {running:,} running" if running else "")
                     for stage, tasks, done, running in sorted(stages))


@contextmanager
def stage_progress(spark: SparkSession, stage: str, say: Progress, every: float) -> Iterator[None]:
    """While the body runs, say ``stage``'s tasks done every ``every`` seconds (when they
    changed; 0: never). The callback runs on the watching thread; what it raises is raised here
    when the body ends, and stops the watching."""
    tracker = spark.sparkContext.statusTracker() if every > 0 else None

    def line() -> str:
        if tracker is None:
            return ""
        running = []
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info is not None and info.numTasks:
                running.append((stage_id, info.numTasks, info.numCompletedTasks, info.numActiveTasks))
        return tasks_line(running) if running else ""

    with _saying(stage, say, every, line):
        yield


@contextmanager
def still_running(stage: str, say: Progress, every: float, what: str) -> Iterator[None]:
    """While the body runs, say ``what`` and how long it has run every ``every`` seconds (0:
    never; said when the time shown changed): for one long call that cannot say how far it is
    (SQLite's VACUUM, minutes at a million articles). As in :func:`stage_progress`, what the
    callback raises is raised here when the body ends."""
    began = time.monotonic()
    with _saying(stage, say, every, lambda: f"{what}, {duration(time.monotonic() - began)} so far"):
        yield


@contextmanager
def _saying(stage: str, say: Progress, every: float, line: Callable[[], str]) -> Iterator[None]:
    """While the body runs, on a thread, ``line()`` every ``every`` seconds (0: never), said
    when it is not empty and not the line said last; what ``say`` raises (a progress callback may
    stop a job) stops the thread and is raised here when the body ends."""
    if every <= 0:
        yield
        return
    stop = threading.Event()
    failed: list[BaseException] = []

    def watch() -> None:
        last = ""
        while not stop.wait(every):
            now = line()
            if now and now != last:
                try:
                    say(stage, now)
                except BaseException as exc:  # the caller's to see
                    failed.append(exc)
                    return
                last = now

    thread = threading.Thread(target=watch, name=f"storyline {stage} progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    if failed:
        raise failed[0]


def duration(seconds: float) -> str:
    """``3 h 12 min``, ``12 min``, ``40 s``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours} h {rest // 60} min"
    return f"{rest // 60} min" if rest >= 60 else f"{rest} s"


class StoreProgress:
    """The store stage's line after each batch: how many it stored, how many of the articles read
    are stored, what an article cost lately and about how long the rest will take (the stage
    runs hours at a million articles on one core). ``held``: the job's articles stored when the
    stage began (by a run of it that was stopped); ``read``: the articles the job read."""

    def __init__(self, held: int, read: int, clock: Callable[[], float] = time.perf_counter) -> None:
        self.held, self.read, self._clock = held, read, clock
        self._last_added, self._last_at = 0, clock()

    def line(self, added: int) -> str:
        now = self._clock()
        batch, seconds = added - self._last_added, now - self._last_at
        self._last_added, self._last_at = added, now
        held = self.held + added
        out = f"{added:,} articles stored ({held:,} of the {self.read:,} read"
        if batch > 0:
            left = max(0, self.read - held)
            out += f"; {seconds * 1000 / batch:.1f} ms an article over the last {batch:,}"
            if left:
                out += f", about {duration(left * seconds / batch)} to go"
        return out + ")"
