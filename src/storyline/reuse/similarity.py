"""Content similarity of two whole articles: do they tell the same story?

Cosine of log-weighted bags of content-word keys (the transliteration-tolerant keys
of :mod:`storyline.reuse.passages`). On the SemEval-2022 task 8 en–en pairs it
separates "same story" (Overall ≤ 1.5) from "different" (≥ 3.5) with AUC 0.96; the
stories stage builds on it with time and entities.
"""

from __future__ import annotations

import math
from collections import Counter

from .passages import passage_keys


def key_vector(text: str) -> dict[str, float]:
    counts = Counter(passage_keys(text).keys)
    return {k: 1.0 + math.log(v) for k, v in counts.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def content_similarity(a: str, b: str) -> float:
    """0..1: how much two texts talk about the same named things, in the same proportions."""
    return cosine(key_vector(a), key_vector(b))
