"""Two articles side by side, without a store: same story? which passages are recycled?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .ingest import ReadOptions, expand, read_input
from .ingest.sources import Input
from .records import Article, Rejection
from .text.language import different_languages, language_of
from .text.similarity import content_similarity
from .reuse.stage import PassageMatch, ReuseStage
from .settings import Settings


@dataclass(slots=True, frozen=True)
class Comparison:
    a: str
    b: str
    same_story: bool
    story_similarity: float
    recycled: list[PassageMatch]
    # Each text's language as guessed (None: not told); when they differ, the story similarity
    # is over names and numbers alone (storyline.text.similarity.content_similarity).
    languages: tuple[str | None, str | None] = (None, None)

    @property
    def across_languages(self) -> bool:
        return different_languages(*self.languages)

    def as_dict(self) -> dict[str, Any]:
        """The ``storyline compare --json`` contract."""
        return {"same_story": self.same_story, "story_similarity": round(self.story_similarity, 4),
                "languages": list(self.languages),
                "recycled": [{"a": m.a, "b": m.b, "score": m.score} for m in self.recycled]}


def read_one(path: str | Path, settings: Settings, options: ReadOptions | None = None) -> Article:
    """The single article in a file; an error says why when there is none or more than one."""
    items = list(expand([path]))
    inputs = [i for i in items if isinstance(i, Input)]
    if len(inputs) != 1:
        reason = next((str(i.reason) for i in items if isinstance(i, Rejection)), "not a single file")
        raise InputError(str(path), reason)
    articles: list[Article] = []
    for item in read_input(inputs[0], settings.ingest, options or ReadOptions()):
        if isinstance(item, Rejection):
            raise InputError(str(item.origin), item.reason)
        if isinstance(item, Article):
            articles.append(item)
    if len(articles) != 1:
        raise InputError(str(path), f"expected one article, found {len(articles)}")
    return articles[0]


def compare_articles(a: Article, b: Article, settings: Settings) -> Comparison:
    languages = (language_of(a.text), language_of(b.text))
    similarity = content_similarity(a.text, b.text, languages=languages)
    recycled = ReuseStage(settings.reuse).compare_passages(a, b)
    return Comparison(a.id, b.id, similarity >= settings.reuse.same_story, similarity, recycled, languages)


def compare_files(path_a: str | Path, path_b: str | Path, settings: Settings | None = None,
                  options: ReadOptions | None = None) -> Comparison:
    settings = settings or Settings()
    return compare_articles(read_one(path_a, settings, options), read_one(path_b, settings, options), settings)
