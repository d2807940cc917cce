"""Passage precision/recall of the reuse stage against exact gold (the planted set).

A *positive* is a passage whose gold names a first occurrence. A passage is
*predicted* recycled when its status is ``"recycled"``; ``"boilerplate"`` counts as
not recycled (a recycled background paragraph called boilerplate is a miss).

    storyline eval passages ../shared/data/polnear/dev/text --level both --part both

Each level (easy, hard) and part (tune: seeds 0–9, report: seeds 10–19; see
:mod:`storyline.eval.protocol`) is scored over its seeds' sets together: each seed's set is
ingested into its own fresh store and the counts are summed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..engine import Storyline
from ..ingest.raw import RawArticle, build_article
from ..records import Article, SourceRef, Span
from ..settings import Settings
from .planted import (
    Key,
    Level,
    PlantedSet,
    PlantedSetError,
    build_planted_set,
    copied_spans,
)
from .protocol import Part, planted_seeds

Prediction = tuple[str, Key | None]  # (status, first_seen)


@dataclass(slots=True)
class PassageScores:
    """Scores of recycled-passage detection.

    Ratios whose denominator is empty are 1.0 (nothing to get wrong): precision with
    no passage predicted recycled, recall with no positives, first-seen accuracy with
    no true positives.

    Attributes:
        precision, recall, f1: of status ``"recycled"`` against gold positives.
        first_seen_accuracy: of true positives, the fraction whose ``first_seen`` is the
            gold first occurrence.
        tp, fp, fn: counts behind precision and recall.
        first_seen_correct: true positives pointing at the gold first occurrence.
        positives, passages: gold positives, and passages scored.
        span_overlap, first_seen_span_overlap: of true positives pointing at a right first
            occurrence, the mean overlap (intersection over union of characters) of the
            reported copied span with the true one, in the passage and in that first occurrence
            (the true span runs from the first to the last block sentence the two share).
        spans_scored: the true positives those means are over.
    """

    precision: float
    recall: float
    f1: float
    first_seen_accuracy: float
    tp: int
    fp: int
    fn: int
    first_seen_correct: int
    positives: int
    passages: int
    span_overlap: float = 1.0
    first_seen_span_overlap: float = 1.0
    spans_scored: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _from_counts(tp: int, fp: int, fn: int, correct: int, passages: int) -> PassageScores:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PassageScores(precision=precision, recall=recall, f1=f1, first_seen_accuracy=_ratio(correct, tp),
                         tp=tp, fp=fp, fn=fn, first_seen_correct=correct, positives=tp + fn, passages=passages)


def combine_scores(scores: list[PassageScores]) -> PassageScores:
    """The scores of several sets taken together (counts summed, ratios recomputed)."""
    total = _from_counts(sum(s.tp for s in scores), sum(s.fp for s in scores), sum(s.fn for s in scores),
                         sum(s.first_seen_correct for s in scores), sum(s.passages for s in scores))
    n = sum(s.spans_scored for s in scores)
    return replace(total, spans_scored=n,
                   span_overlap=sum(s.span_overlap * s.spans_scored for s in scores) / n if n else 1.0,
                   first_seen_span_overlap=(sum(s.first_seen_span_overlap * s.spans_scored for s in scores) / n
                                            if n else 1.0))


SpanPrediction = tuple[Key, Span | None, Span | None]  # (first_seen, copied span, first_seen span)


def _overlap(predicted: Span | None, true: tuple[int, int]) -> float:
    if predicted is None:
        return 0.0
    inter = max(0, min(predicted.end, true[1]) - max(predicted.start, true[0]))
    union = max(predicted.end, true[1]) - min(predicted.start, true[0])
    return inter / union if union else 1.0


def score_spans(scores: PassageScores, predicted: Mapping[Key, SpanPrediction], planted: PlantedSet) -> PassageScores:
    """``scores`` with the span overlaps of the true positives in ``predicted`` that point at a
    right first occurrence (a passage sharing block sentences with them)."""
    overlaps = []
    for key, (first_seen, copied, first_seen_span) in predicted.items():
        if planted.gold.get(key) is None or first_seen not in planted.accepted.get(key, ()):
            continue
        true = copied_spans(planted, key, first_seen)
        if true is not None:
            overlaps.append((_overlap(copied, true[0]), _overlap(first_seen_span, true[1])))
    if not overlaps:
        return scores
    return replace(scores, spans_scored=len(overlaps), span_overlap=sum(a for a, _ in overlaps) / len(overlaps),
                   first_seen_span_overlap=sum(b for _, b in overlaps) / len(overlaps))


def score_passages(predicted: Mapping[Key, Prediction], gold: Mapping[Key, Key | None],
                   accepted: Mapping[Key, frozenset[Key]] | None = None) -> PassageScores:
    """Score predictions ``(article_id, index) → (status, first_seen or None)`` against gold.

    A true positive's ``first_seen`` is right when it is the gold one or, where ``accepted``
    lists others for that passage (a merged or partial copy), any of those.

    Both must cover the same passages: a passage in one and not the other is a
    bookkeeping error, and raises :class:`PlantedSetError` rather than being scored.
    """
    missing, extra = set(gold) - set(predicted), set(predicted) - set(gold)
    if missing or extra:
        raise PlantedSetError(f"predictions and gold cover different passages: {len(missing)} without a prediction "
                              f"(e.g. {sorted(missing)[:3]}), {len(extra)} not in gold (e.g. {sorted(extra)[:3]})")
    tp = fp = fn = correct = 0
    for key, truth in gold.items():
        status, first_seen = predicted[key]
        if status == "recycled":
            if truth is None:
                fp += 1
            else:
                tp += 1
                if first_seen is not None:
                    seen = tuple(first_seen)
                    correct += seen == truth or (accepted is not None and seen in accepted.get(key, ()))
        elif truth is not None:
            fn += 1
    return _from_counts(tp, fp, fn, correct, len(gold))


def _build_articles(planted: PlantedSet, settings: Settings) -> list[Article]:
    out = []
    for article_id, published, text in planted.articles:
        raw = RawArticle(origin=SourceRef("planted"), text=text, id=article_id, published=published)
        items = list(build_article(raw, settings.ingest))
        if not isinstance(items[-1], Article) or len(items) != 1:
            raise PlantedSetError(f"planted article {article_id} did not build cleanly: {[str(i) for i in items]}")
        out.append(items[-1])
    return out


def _error_record(kind: str, key: Key, article: Article, planted: PlantedSet, texts: dict[Key, str]) -> dict:
    passage = article.passages[key[1]]
    predicted = (passage.first_seen.article_id, passage.first_seen.index) if passage.first_seen else None
    truth = planted.gold[key]
    return {
        "kind": kind,
        "passage": list(key),
        "status": passage.status,
        "score": passage.score,
        "text": passage.text,
        "edits": list(planted.edits.get(key, ())),
        "gold_first_seen": list(truth) if truth else None,
        "gold_text": texts.get(truth) if truth else None,
        "predicted_first_seen": list(predicted) if predicted else None,
        "predicted_text": texts.get(predicted) if predicted else None,
    }


def evaluate_passages(polnear_text_dir: Path, settings: Settings | None = None, *, stories: int = 40,
                      seed: int = 0, level: Level = "easy") -> tuple[PassageScores, list[dict]]:
    """Build the planted set, ingest it into a fresh temporary store, score the passages.

    Returns the scores and one record per error, for debugging the matcher: ``kind`` is
    ``"fp"`` (called recycled, gold new), ``"fn"`` (gold recycled, not called so) or
    ``"first_seen"`` (called recycled, pointing at the wrong first occurrence); each
    holds the passage, its planted edits, and the gold and predicted source texts.
    """
    settings = settings or Settings()
    planted = build_planted_set(Path(polnear_text_dir), stories=stories, seed=seed, level=level)
    articles = _build_articles(planted, settings)
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp, \
            Storyline(Path(tmp) / "planted.db", settings) as sl:
        report = sl.ingest_articles(articles)
        if len(report.added) != len(articles):
            raise PlantedSetError(f"only {len(report.added)} of {len(articles)} planted articles were stored: "
                                  f"{report.summary()}; {[str(d) for d in report.duplicates[:3]]}")
        stored = {a.id: sl.article(a.id) for a in articles}
    predicted: dict[Key, Prediction] = {}
    texts: dict[Key, str] = {}
    for article in stored.values():
        for p in article.passages:
            first = (p.first_seen.article_id, p.first_seen.index) if p.first_seen else None
            predicted[(article.id, p.index)] = (p.status, first)
            texts[(article.id, p.index)] = p.text
    spans: dict[Key, SpanPrediction] = {
        (article.id, p.index): ((p.first_seen.article_id, p.first_seen.index), p.copied, p.first_seen_span)
        for article in stored.values() for p in article.passages if p.status == "recycled" and p.first_seen}
    scores = score_spans(score_passages(predicted, planted.gold, planted.accepted), spans, planted)
    errors = []
    for article_id, _, _ in planted.articles:
        article = stored[article_id]
        for p in article.passages:
            key = (article_id, p.index)
            status, first = predicted[key]
            truth = planted.gold[key]
            if status == "recycled" and truth is None:
                errors.append(_error_record("fp", key, article, planted, texts))
            elif status != "recycled" and truth is not None:
                errors.append(_error_record("fn", key, article, planted, texts))
            elif status == "recycled" and first != truth and first not in planted.accepted.get(key, ()):
                errors.append(_error_record("first_seen", key, article, planted, texts))
    for record in errors:
        record["seed"], record["level"] = seed, level
    return scores, errors


def evaluate_passage_part(polnear_text_dir: Path, part: Part, level: Level, settings: Settings | None = None, *,
                          stories: int = 40, seeds: int | None = None) -> tuple[PassageScores, list[dict]]:
    """One protocol part of one level: every seed of the part (or its first ``seeds``), scored together."""
    results = [evaluate_passages(polnear_text_dir, settings, stories=stories, seed=seed, level=level)
               for seed in planted_seeds(part, seeds)]
    return combine_scores([scores for scores, _ in results]), [e for _, errors in results for e in errors]


__all__ = ["PassageScores", "combine_scores", "evaluate_passage_part", "evaluate_passages", "score_passages",
           "score_spans"]
