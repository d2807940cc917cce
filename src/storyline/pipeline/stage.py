"""The shape every stage has (DESIGN.md, "Stage shape").

``featurize`` is pure and batch: articles in, one picklable feature record per article out,
no store touched; everything expensive (hashing, keys, tagging, parsing, embedding) is here,
so it runs before the write transaction, in a process pool, or in Spark's ``mapPartitions``.
``resolve`` settles one article, in ingest order, against what was stored before it, asking
only its narrow port; it returns a result record and never changes the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from ..records import Article

F = TypeVar("F")  # one article's features
P_contra = TypeVar("P_contra", contravariant=True)  # the port resolve asks
R_co = TypeVar("R_co", covariant=True)  # the result record


class Stage(Protocol[F, P_contra, R_co]):
    """``Stage[features, port, result]``; the runner declares each stage as one, so the type
    checker holds every stage to this shape."""

    def featurize(self, articles: Sequence[Article]) -> list[F]: ...

    def resolve(self, article: Article, features: F, index: P_contra) -> R_co: ...
