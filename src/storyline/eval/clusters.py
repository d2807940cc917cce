"""Story clustering of a labelled stream: BCubed precision/recall/F1, pairwise F1 and ARI.

The stream (the UCI news CSV as is, with its ``STORY`` column, or JSONL with a ``story``
field) is ingested in publication order into a fresh temporary store; each article's
story is compared with the gold one. An input that ingest counts as a duplicate of a
stored article (same content) is scored with that article's story.
"""

from __future__ import annotations

import math
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..engine import Storyline
from .protocol import Part, split_days
from ..errors import InputError
from ..ingest import ReadOptions, expand, read_input
from ..ingest.sources import Input
from ..records import Article, Rejection
from ..settings import Settings

_GOLD_KEYS = ("STORY", "story", "story_id", "cluster")


@dataclass(slots=True, frozen=True)
class ClusterScores:
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    ari: float
    articles: int
    gold_stories: int
    predicted_stories: int

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(predicted: Sequence[str], gold: Sequence[str]) -> ClusterScores:
    """BCubed (Amigó et al. 2009), pairwise precision/recall/F1 and the adjusted Rand index."""
    if len(predicted) != len(gold) or not gold:
        raise ValueError("predicted and gold must be equally long and not empty")
    n = len(gold)
    joint = Counter(zip(predicted, gold))
    by_pred = Counter(predicted)
    by_gold = Counter(gold)
    precision = sum(c * c / by_pred[p] for (p, _), c in joint.items()) / n
    recall = sum(c * c / by_gold[g] for (_, g), c in joint.items()) / n

    def pairs(x: int) -> int:
        return x * (x - 1) // 2

    same_both = sum(pairs(c) for c in joint.values())
    same_pred = sum(pairs(c) for c in by_pred.values())
    same_gold = sum(pairs(c) for c in by_gold.values())
    pw_p = same_both / same_pred if same_pred else 1.0
    pw_r = same_both / same_gold if same_gold else 1.0
    expected = same_pred * same_gold / pairs(n) if n > 1 else 0.0
    maximum = (same_pred + same_gold) / 2
    ari = (same_both - expected) / (maximum - expected) if maximum != expected else 1.0
    return ClusterScores(precision, recall, _f1(precision, recall), pw_p, pw_r, _f1(pw_p, pw_r), ari,
                         n, len(by_gold), len(by_pred))


def _gold(article: Article) -> str | None:
    return next((article.metadata[k] for k in _GOLD_KEYS if article.metadata.get(k)), None)


def load_stream(path: Path, settings: Settings) -> list[Article]:
    """The labelled articles in publication order (undated ones last, in file order)."""
    articles: list[Article] = []
    for item in expand([path]):
        if isinstance(item, Rejection):
            raise InputError(str(item.origin), item.reason)
        if not isinstance(item, Input):
            continue
        for read in read_input(item, settings.ingest, ReadOptions()):
            if isinstance(read, Rejection):
                raise InputError(str(read.origin), read.reason)
            if isinstance(read, Article):
                if _gold(read) is None:
                    raise InputError(str(read.origin), f"no gold story: expected a field {' or '.join(_GOLD_KEYS)}")
                articles.append(read)
    if not articles:
        raise InputError(str(path), "no labelled articles")
    return sorted(articles, key=lambda a: (a.published is None, a.published or ""))


def evaluate_clusters(path: Path, settings: Settings | None = None, part: Part | None = None) -> ClusterScores:
    """Ingest the stream (or one protocol part of it: the first day to tune on, the later days
    to report) into a fresh store and score its stories against the gold ones."""
    settings = settings or Settings()
    articles = load_stream(Path(path), settings)
    if part is not None:
        articles = split_days(articles)[part]
        if not articles:
            raise InputError(str(path), f"the {part} part is empty: the stream covers a single day")
    gold: dict[str, str] = {}
    for a in articles:
        label = _gold(a)
        if label is not None:  # always: load_stream keeps only articles with a gold story
            gold[a.id] = label
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp, \
            Storyline(Path(tmp) / "clusters.db", settings) as sl:
        report = sl.ingest_articles(articles)
        story_of = {a.id: a.story_id for a in sl.articles()}
        for dup in report.duplicates:
            story_of.setdefault(dup.article_id, story_of.get(dup.existing_id))
    assigned: list[tuple[str, str]] = []  # (article id, story id), in stream order
    for a in articles:
        story = story_of.get(a.id)
        if story is not None:
            assigned.append((a.id, story))
    missing = len(articles) - len(assigned)
    if missing:
        raise InputError(str(path), f"{missing} articles got no story (ids repeated in the file?)")
    return score_clusters([story for _, story in assigned], [gold[i] for i, _ in assigned])


__all__ = ["ClusterScores", "evaluate_clusters", "load_stream", "score_clusters"]
