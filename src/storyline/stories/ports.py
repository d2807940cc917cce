"""What the story clusterer asks of storage: its state (stories, document frequencies, the
assignment log), read and saved through this narrow port; the SQLite store implements it."""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


@dataclass(slots=True)
class StoryState:
    """A live story as the clusterer keeps it: its centroid (the mean of its members' vectors,
    kept to the heaviest terms) and the dates it spans."""

    seq: int
    id: str
    title: str
    first_published: str | None
    last_published: str | None
    articles: int
    centroid: dict[str, float]
    dense: np.ndarray | None = None  # mean of member embeddings, when the embeddings extra is used
    # the terms it is found by, as stored (a save writes only the difference); None: not read yet
    terms: tuple[str, ...] | None = None
    _norm: float | None = field(default=None, repr=False, compare=False)

    @property
    def norm(self) -> float:
        """The centroid's length, computed once per centroid (cosines divide by it for every candidate)."""
        if self._norm is None:
            self._norm = math.sqrt(sum(v * v for v in self.centroid.values()))
        return self._norm

    def set_centroid(self, centroid: dict[str, float]) -> None:
        self.centroid = float32_weights(centroid)
        self._norm = None


def float32_weights(weights: dict[str, float]) -> dict[str, float]:
    """The weights rounded to float32, as the store keeps them: what the clusterer holds in memory
    then equals what it would read back, so a result never depends on what was cached."""
    return dict(zip(weights, array("f", weights.values()).tolist()))


@dataclass(slots=True)
class Member:
    """One stored article of a story as a split check sees it: its vector as it joined."""

    id: str
    seq: int
    published: str | None
    vector: dict[str, float]
    dense: np.ndarray | None = None


class StoryIndex(Protocol):
    """The clusterer's storage. Writes happen inside the caller's transaction."""

    def documents(self) -> int: ...
    def set_documents(self, count: int) -> None: ...
    def document_frequencies(self, terms: list[str]) -> dict[str, int]: ...
    def count_terms(self, counts: dict[str, int], words: dict[str, str]) -> None: ...
    def term_words(self, terms: list[str]) -> dict[str, str]: ...
    def candidate_seqs(self, terms: list[str], limit: int, top: int, recent: int = 0) -> list[int]: ...
    def state(self, seq: int) -> StoryState: ...
    def states(self, seqs: list[int]) -> dict[int, StoryState]: ...
    def last_published(self, seqs: list[int]) -> dict[int, str | None]: ...
    def create(self, story_id: str, title: str, published: str | None) -> StoryState: ...
    def save(self, state: StoryState, index_terms: list[str]) -> None: ...
    def merge(self, into: StoryState, absorbed: StoryState, index_terms: list[str]) -> int: ...
    def save_vector(self, article_id: str, vector: dict[str, float], dense: np.ndarray | None) -> None: ...
    def members(self, story_id: str) -> list[Member]: ...
    def article_heading(self, article_id: str) -> tuple[str | None, str]: ...
    def split_story_id(self, candidates: list[str]) -> tuple[str, int | None]: ...
    def revive(self, seq: int) -> StoryState: ...
    def move(self, article_ids: list[str], story_id: str) -> int: ...
    def published_span(self, story_id: str) -> tuple[str | None, str | None]: ...
    def log(self, story_id: str, article_id: str, event: str, score: float | None, detail: dict) -> None: ...
