"""The shape every stage has (DESIGN.md, "Stage shape").

``featurize`` is pure and batch: articles in, one picklable feature record per article out,
no store touched; everything expensive (hashing, keys, tagging, parsing, embedding) is here,
so it runs before the write transaction, in a process pool, or in Spark's ``mapPartitions``.
``resolve`` settles one article, in ingest order, against what was stored before it, asking
only its narrow port; it returns a result record and never changes the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from ..records import Article

F = TypeVar("F")
R = TypeVar("R", covariant=True)


class Stage(Protocol[R]):
    def featurize(self, articles: Sequence[Article]) -> list[Any]: ...

    def resolve(self, article: Article, features: Any, index: Any) -> R: ...
