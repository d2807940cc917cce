"""The garbage collector's pace while articles are written.

Featurized articles arrive as pickles (from the featurize workers, or Spark) and unpickling one
makes thousands of small objects (passage keys, their sets and bigrams) that live for a write
batch. With Python's default first threshold (700 allocations), collections walked them over
and over: in the batch job's store stage 2.6 ms an article of ~10 went to unpickling, 0.9 with
the threshold below (``python benchmarks/batch_store.py --articles 3000``). The threshold is
the process's, so it is raised only while ingest runs and put back after.

The first threshold was 50,000 until the sentence splitter stopped making a ctypes type per
text (``text.split``): those were the only cyclic garbage a young collection of the stream
benchmark's writer found, so raising it costs little memory there, and walking the young
objects less often costs less in all (timed with ``gc.callbacks`` over 1,000 articles of the
stream benchmark into its 100k store, four runs each: 1.20–1.34 s at 50,000, 0.78–0.88 at
200,000, ~0.4 ms an article; each collection 120–440 ms then, the same peak resident size).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = (200_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


__all__ = ["THRESHOLD", "fewer_collections"]
