"""The garbage collector's pace while articles are written.

Featurized articles arrive as pickles (from the featurize workers, or Spark) and unpickling one
makes thousands of small objects (passage keys, their sets and bigrams) that live for a write
batch. With Python's default first threshold (700 allocations), collections walked them over
and over: in the batch job's store stage 2.6 ms an article of ~10 went to unpickling, 0.9 with
the threshold below (``python benchmarks/batch_store.py --articles 3000``). The threshold is
the process's, so it is raised only while ingest runs and put back after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


__all__ = ["THRESHOLD", "fewer_collections"]
