"""When a story's articles no longer hold together: the group that should leave it.

A story grows one article at a time, each joining the centroid of everything before it,
so it can drift into two groups that each matched the centroid but not each other (a
bridge article merged two stories, or the news moved on). Here the members' own vectors
(as they joined) are split in two by 2-means, seeded with the founding article and the
article least like it. The smaller group leaves when it is coherent (each of its articles
would join it) and apart (its centroid and the rest's score below the split threshold);
otherwise the story stays whole. 2-means rather than connected components of the
article graph: an article that bridged two stories links both groups, so the graph would
keep them one. One group per check, so the work stays bounded; a later check can take
another.

Pure: members in, a plan out; the story stage applies it to the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ports import Member

_REASON_TERMS = 8


@dataclass(slots=True, frozen=True)
class SplitPlan:
    """A group that leaves its story, and why: the parts' centroids score ``score``."""

    moved: tuple[Member, ...]  # in ingest order: moved[0] founds the new story
    kept: tuple[Member, ...]
    score: float
    moved_centroid: dict[str, float]  # mean of the moved vectors
    moved_dense: np.ndarray | None
    kept_centroid: dict[str, float]  # mean of the kept vectors (those the check saw)
    kept_dense: np.ndarray | None
    moved_terms: tuple[str, ...]
    kept_terms: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class PairScorer:
    """Scores as the story stage does: TF-IDF cosine, blended with embeddings when every vector has one."""

    dense_weight: float | None = None

    def cross(self, a: np.ndarray, dense_a: list[np.ndarray | None], b: np.ndarray,
              dense_b: list[np.ndarray | None]) -> np.ndarray:
        """Scores of every row of ``a`` against every row of ``b``."""
        scores = _unit(a) @ _unit(b).T
        embedded = dense_a + dense_b
        if self.dense_weight is not None and embedded and all(d is not None for d in embedded):
            da = _unit(np.vstack([d for d in dense_a if d is not None]).astype(np.float64))
            db = _unit(np.vstack([d for d in dense_b if d is not None]).astype(np.float64))
            scores = (1 - self.dense_weight) * scores + self.dense_weight * (da @ db.T)
        return scores

    def pair(self, a: np.ndarray, b: np.ndarray, dense_a: np.ndarray | None, dense_b: np.ndarray | None) -> float:
        return float(self.cross(a[None, :], [dense_a], b[None, :], [dense_b])[0, 0])

    def sparse_pair(self, a: dict[str, float], b: dict[str, float], dense_a: np.ndarray | None,
                    dense_b: np.ndarray | None) -> float:
        """The same score for two {term: weight} vectors."""
        terms = sorted(a.keys() | b.keys())
        rows = np.array([[a.get(t, 0.0) for t in terms], [b.get(t, 0.0) for t in terms]])
        return self.pair(rows[0], rows[1], dense_a, dense_b)


def find_split(members: list[Member], founder_id: str | None, join: float, split: float, min_articles: int,
               scorer: PairScorer) -> SplitPlan | None:
    """The group of ``members`` (in ingest order) that should leave their story, or ``None``."""
    n = len(members)
    if split <= 0 or n < 2 * min_articles:
        return None
    vocabulary = sorted({t for m in members for t in m.vector})
    column = {t: i for i, t in enumerate(vocabulary)}
    rows = np.zeros((n, len(vocabulary)))
    for i, m in enumerate(members):
        for t, w in m.vector.items():
            rows[i, column[t]] = w
    dense = [m.dense for m in members]
    founder = next((i for i, m in enumerate(members) if m.id == founder_id), 0)
    group = _two_means(rows, dense, founder, scorer)
    if group is None:
        return None
    # The smaller group leaves (the founder's group on a tie stays): the fewest articles change story.
    if int(group.sum()) * 2 > n:
        group = ~group
    moved = [i for i in range(n) if group[i]]
    kept = [i for i in range(n) if not group[i]]
    if len(moved) < min_articles or len(kept) < min_articles:
        return None
    moved_mean, kept_mean = rows[moved].mean(axis=0), rows[kept].mean(axis=0)
    moved_dense = _mean_dense([dense[i] for i in moved])
    kept_dense = _mean_dense([dense[i] for i in kept])
    score = scorer.pair(moved_mean, kept_mean, moved_dense, kept_dense)
    if score >= split:
        return None
    # Coherent: every article that leaves would join the group it leaves with.
    to_group = scorer.cross(moved_mean[None, :], [moved_dense], rows[moved], [dense[i] for i in moved])[0]
    if float(to_group.min()) < join:
        return None
    return SplitPlan(
        moved=tuple(members[i] for i in moved), kept=tuple(members[i] for i in kept), score=score,
        moved_centroid=_as_dict(moved_mean, vocabulary), moved_dense=moved_dense,
        kept_centroid=_as_dict(kept_mean, vocabulary), kept_dense=kept_dense,
        moved_terms=_heaviest(moved_mean, vocabulary), kept_terms=_heaviest(kept_mean, vocabulary))


def _two_means(rows: np.ndarray, dense: list[np.ndarray | None], founder: int, scorer: PairScorer,
               rounds: int = 5) -> np.ndarray | None:
    """Two groups by 2-means from the founder and the article least like it: True for the group
    without the founder (the one that would leave); None when it is empty."""
    far = int(np.argmin(scorer.cross(rows[[founder]], [dense[founder]], rows, dense)[0]))  # earliest on ties
    if far == founder:
        return None
    centres, centre_dense = rows[[founder, far]], [dense[founder], dense[far]]
    other = np.zeros(len(rows), dtype=bool)
    for _ in range(rounds):
        scores = scorer.cross(centres, centre_dense, rows, dense)
        assigned = scores[1] > scores[0]
        assigned[founder] = False
        settled = (assigned == other).all()
        other = assigned
        if settled or not other.any():
            break
        centres = np.vstack([rows[~other].mean(axis=0), rows[other].mean(axis=0)])
        centre_dense = [_mean_dense([d for d, o in zip(dense, other) if not o]),
                        _mean_dense([d for d, o in zip(dense, other) if o])]
    return other if other.any() else None


def is_due(articles: int, merged: bool, min_articles: int, max_articles: int) -> bool:
    """Whether a story of ``articles`` is checked now: after a merge, and as it reaches 6, 8, 12,
    16, 24, 32, ... articles (2^k and 3·2^k: about 1.5× apart, so the quadratic check costs a
    bounded amount per article), while it has at most ``max_articles``."""
    if articles > max_articles or articles < 2 * min_articles:
        return False
    if merged:
        return True
    base = articles // 3 if articles % 3 == 0 else articles
    return base & (base - 1) == 0


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


def _mean_dense(vectors: list[np.ndarray | None]) -> np.ndarray | None:
    present = [v for v in vectors if v is not None]
    if not vectors or len(present) < len(vectors):
        return None
    return np.mean(np.vstack(present), axis=0).astype(np.float32)


def _as_dict(row: np.ndarray, vocabulary: list[str]) -> dict[str, float]:
    return {vocabulary[i]: float(row[i]) for i in np.flatnonzero(row)}


def _heaviest(row: np.ndarray, vocabulary: list[str]) -> tuple[str, ...]:
    # Ties broken by the term, so the logged reason does not depend on hash order.
    order = sorted(np.flatnonzero(row).tolist(), key=lambda i: (-row[i], vocabulary[i]))
    return tuple(vocabulary[i] for i in order[:_REASON_TERMS])
