"""Temporal expressions scored as TempEval-3 scores them (UzZaman et al., 2013).

A predicted TIMEX3 matches a gold one *strictly* when the spans are equal and *relaxed*
when they overlap (one to one). Value F1 counts relaxed matches whose normalised value is
equal, over all predictions (precision) and all gold expressions (recall); type accuracy
is the share of relaxed matches of the right type. The DCT is the reference date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from ..text.temporal.timex import Timex
from .timeml import TimeMLDocument, read_timeml_dir


class SpanLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def value(self) -> str: ...


@dataclass(slots=True)
class _Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0


@dataclass(slots=True, frozen=True)
class TimexScores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    relaxed_precision: float
    relaxed_recall: float
    relaxed_f1: float
    value_precision: float
    value_recall: float
    value_f1: float
    type_accuracy: float
    documents: int
    gold: int
    predicted: int

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(slots=True, frozen=True)
class TimexError:
    """One disagreement, for reading what the tagger gets wrong."""

    document: str
    kind: str  # "missed", "spurious", "span", "value", "type"
    gold: Timex | None
    predicted: dict | None
    context: str


@dataclass(slots=True)
class TimexResult:
    scores: TimexScores
    errors: list[TimexError] = field(default_factory=list)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _align(gold: Sequence[Timex], predicted: Sequence[SpanLike]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, exact matches first, then largest overlap."""
    pairs: list[tuple[int, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                exact = g.start == p.start and g.end == p.end
                pairs.append((0 if exact else 1, -overlap, i * len(predicted) + j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, _, key in sorted(pairs):
        i, j = divmod(key, len(predicted))
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matched.append((i, j))
    return matched


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return (text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]).replace("\n", " ")


def score_documents(documents: Iterable[TimeMLDocument],
                    tagger: Callable[[TimeMLDocument], Sequence[SpanLike]]) -> TimexResult:
    """Score ``tagger`` (a document → its predicted expressions) over ``documents``."""
    counts = _Counts()
    errors: list[TimexError] = []
    n_docs = 0
    for doc in documents:
        n_docs += 1
        predicted = list(tagger(doc))
        gold = list(doc.timexes)
        counts.gold += len(gold)
        counts.predicted += len(predicted)
        matched = _align(gold, predicted)
        for i, j in matched:
            g, p = gold[i], predicted[j]
            record = {"start": p.start, "end": p.end, "text": doc.text[p.start:p.end], "type": p.type,
                      "value": p.value}
            counts.relaxed += 1
            if (g.start, g.end) == (p.start, p.end):
                counts.strict += 1
            else:
                errors.append(TimexError(doc.name, "span", g, record, _context(doc.text, g.start, g.end)))
            if g.value == p.value:
                counts.value += 1
            else:
                errors.append(TimexError(doc.name, "value", g, record, _context(doc.text, g.start, g.end)))
            if g.type == p.type:
                counts.type += 1
            else:
                errors.append(TimexError(doc.name, "type", g, record, _context(doc.text, g.start, g.end)))
        hit_g = {i for i, _ in matched}
        hit_p = {j for _, j in matched}
        for i, g in enumerate(gold):
            if i not in hit_g:
                errors.append(TimexError(doc.name, "missed", g, None, _context(doc.text, g.start, g.end)))
        for j, p in enumerate(predicted):
            if j not in hit_p:
                record = {"start": p.start, "end": p.end, "text": doc.text[p.start:p.end], "type": p.type,
                          "value": p.value}
                errors.append(TimexError(doc.name, "spurious", None, record, _context(doc.text, p.start, p.end)))
    sp, sr = _ratio(counts.strict, counts.predicted), _ratio(counts.strict, counts.gold)
    rp, rr = _ratio(counts.relaxed, counts.predicted), _ratio(counts.relaxed, counts.gold)
    vp, vr = _ratio(counts.value, counts.predicted), _ratio(counts.value, counts.gold)
    scores = TimexScores(sp, sr, _f1(sp, sr), rp, rr, _f1(rp, rr), vp, vr, _f1(vp, vr),
                         _ratio(counts.type, counts.relaxed), n_docs, counts.gold, counts.predicted)
    return TimexResult(scores, errors)


def evaluate_timex(path: str | Path) -> TimexResult:
    """storyline's tagger over every ``.tml`` file under ``path``, each against its DCT."""
    from ..text.temporal.timex import tag

    return score_documents(read_timeml_dir(path), lambda doc: tag(doc.text, doc.dct))
