"""Candidate stories in a compact form, for a first, cheap score of every candidate.

An article is compared with up to ``stories.candidate_stories`` stories. Reading each one's
centroid as a dict (unpacking it from the store, then a cosine over dict keys) cost more than
everything else the clusterer does once the stories outnumber what fits in memory as dicts
(~30 kB each). Here each story is two arrays (term ids and float32 weights, ~2.4 kB for 300
terms), and the article's vector is scattered once into a buffer indexed by term id, so a
candidate's dot product is one gather. Only the candidates whose cheap score comes close to
the join threshold are scored again exactly (:func:`storyline.stories.stage._cosine`, an
``fsum`` over the shared terms), so every decision is the one the exact score makes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np

from .ports import StoryState

# How far below the threshold a cheap score still gets an exact one. The cheap score sums the
# same float64 products in another order: it differs from the exact one by ~1e-15, not 1e-9.
MARGIN = 1e-9


@dataclass(slots=True, frozen=True)
class CompactStory:
    """One story as the first score needs it."""

    seq: int
    ids: np.ndarray       # int32 term ids
    weights: np.ndarray   # float32: the centroid's values as kept (exact in float64 too)
    norm: float
    last_day: date | None
    dense: np.ndarray | None


class CompactStories:
    """The most recently used ``capacity`` stories in compact form, with the term vocabulary
    their ids come from (at most ``max_terms`` terms; past that everything starts over)."""

    def __init__(self, capacity: int, max_terms: int) -> None:
        self.capacity = capacity
        self.max_terms = max_terms
        self.clear()

    def clear(self) -> None:
        self.vocabulary_: dict[str, int] = {}
        self.stories_: OrderedDict[int, CompactStory] = OrderedDict()
        self._buffer = np.zeros(1024, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.stories_)

    def get(self, seq: int) -> CompactStory | None:
        found = self.stories_.get(seq)
        if found is not None:
            self.stories_.move_to_end(seq)
        return found

    def drop(self, seq: int) -> None:
        self.stories_.pop(seq, None)

    def make_room(self, terms: int) -> bool:
        """Start over if ``terms`` new terms might not fit in the vocabulary; call it before
        :meth:`put`, never between taking stories and scoring them (their ids would be stale).
        Returns whether it started over."""
        if len(self.vocabulary_) + terms <= self.max_terms:
            return False
        self.clear()
        return True

    def put(self, state: StoryState, last_day: date | None) -> CompactStory:
        """Store (or replace) the compact form of ``state`` (see :meth:`make_room`)."""
        vocabulary = self.vocabulary_
        ids = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in state.centroid),
                          dtype=np.int32, count=len(state.centroid))
        weights = np.fromiter(state.centroid.values(), dtype=np.float32, count=len(state.centroid))
        compact = CompactStory(state.seq, ids, weights, state.norm, last_day, state.dense)
        self.stories_[state.seq] = compact
        self.stories_.move_to_end(state.seq)
        if len(self.stories_) > self.capacity:
            self.stories_.popitem(last=False)
        return compact

    def sparse_scores(self, vector: dict[str, float], stories: list[CompactStory]) -> np.ndarray:
        """The cosine of the unit ``vector`` with each story's centroid (to ~1e-15)."""
        if not stories:
            return np.zeros(0)
        vocabulary = self.vocabulary_
        if self._buffer.size < len(vocabulary):
            self._buffer = np.zeros(max(len(vocabulary), 2 * self._buffer.size), dtype=np.float64)
        known = [(vocabulary[t], w) for t, w in vector.items() if t in vocabulary]
        ids = np.fromiter((i for i, _ in known), dtype=np.int64, count=len(known))
        buffer = self._buffer
        buffer[ids] = np.fromiter((w for _, w in known), dtype=np.float64, count=len(known))
        try:
            all_ids = np.concatenate([s.ids for s in stories])
            # float32 weights widen exactly: each product is the one the exact score makes
            products = buffer[all_ids] * np.concatenate([s.weights for s in stories]).astype(np.float64)
            sizes = np.fromiter((s.ids.size for s in stories), dtype=np.int64, count=len(stories))
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
            sums = np.zeros(len(stories))
            nonempty = sizes > 0
            if products.size:
                sums[nonempty] = np.add.reduceat(products, starts[nonempty])
        finally:
            buffer[ids] = 0.0  # the buffer is all zeros between calls
        norms = np.fromiter((s.norm for s in stories), dtype=np.float64, count=len(stories))
        return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
