"""How likely a rule's candidate attribution is one a careful reader would mark.

The rules of :mod:`.attribution` propose candidates from many cues (any verb with a named or
pronoun subject among them); most reporting verbs are right nearly always ("said"), others only
in some constructions ("showed", "backed", "wants" inside someone else's statement). A logistic
model over a few categorical features of each candidate (its cue word and the rule that found
it, where its content came from, what kind of phrase its speaker is, whether it sits inside
another candidate's content, the content's length) scores them, and candidates under the
model's threshold are dropped.

The weights ship with the package (``confidence.json``); ``benchmarks/train_attribution_model.py``
fits them again, deterministically, from PolNeAR's *train* part (never dev or test).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .nlp import ModelError, shipped_json

_WEIGHTS = "confidence.json"


@dataclass(slots=True)
class ConfidenceModel:
    """A logistic model over named binary features: ``P = σ(bias + Σ weights[f])``."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def keeps(self, features: Sequence[str]) -> bool:
        return self.probability(features) >= self.threshold

    def as_dict(self) -> dict:
        return {"bias": self.bias, "threshold": self.threshold, "meta": self.meta,
                "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict, where: str = "model") -> ConfidenceModel:
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(weights, float(data["bias"]), float(data.get("threshold", 0.5)), dict(data.get("meta", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{where}: not an attribution confidence model ({exc})") from None


@lru_cache(maxsize=1)
def default_model() -> ConfidenceModel:
    """The weights shipped with storyline (``storyline/statements/confidence.json``)."""
    return ConfidenceModel.from_dict(*shipped_json(_WEIGHTS, "attribution confidence model"))


def fit(samples: Sequence[Sequence[str]], labels: Sequence[float], *, l2: float = 1.0, min_count: int = 2,
        iterations: int = 400, rate: float = 0.1) -> ConfidenceModel:
    """A logistic model fitted to ``samples`` (each a list of feature names) and 0/1 ``labels``.

    Full-batch Adam on the mean log loss plus ``l2 / n`` times the squared weights (the bias is
    not penalised); features seen fewer than ``min_count`` times are left out. Deterministic.
    """
    import numpy as np

    if len(samples) != len(labels):
        raise ValueError(f"{len(samples)} samples but {len(labels)} labels")
    if not samples:
        raise ValueError("nothing to fit")
    counts = Counter(f for s in samples for f in set(s))
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, s in enumerate(samples):
        for f in set(s):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    rows_a = np.asarray(rows, dtype=np.int64)
    cols_a = np.asarray(cols, dtype=np.int64)
    y = np.asarray(labels, dtype=np.float64)
    n, d = len(samples), len(names)
    w = np.zeros(d)
    prior = min(max(y.mean(), 1e-6), 1 - 1e-6)
    b = math.log(prior / (1 - prior))
    m = np.zeros(d + 1)
    v = np.zeros(d + 1)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        z = np.bincount(rows_a, weights=w[cols_a], minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))
        residual = (p - y) / n
        grad = np.empty(d + 1)
        grad[:d] = np.bincount(cols_a, weights=residual[rows_a], minlength=d) + 2 * l2 / n * w
        grad[d] = residual.sum()
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        step = rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
        w -= step[:d]
        b -= step[d]
    weights = {f: round(float(x), 4) for f, x in zip(names, w) if abs(x) >= 1e-4}
    return ConfidenceModel(weights, round(float(b), 4))
