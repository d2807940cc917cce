"""SemEval-2022 task 8 ("same story?" similarity of article pairs): Pearson per language pair.

The gold ``Overall`` runs from 1 (same story) to 4 (unrelated); a similarity s in 0..1 is
turned into a predicted Overall of 4 − 3·s, so the Pearson correlation has the task's sign.
IDF is fitted on the texts measured (unsupervised, no labels used): a part's own texts when a
part is asked for (:func:`storyline.eval.protocol.pair_part`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..text.similarity import TermWeights, content_similarity
from .protocol import Part, pair_part
from ..text import normalise_text

_COLUMNS = ("pair_id", "lang1", "lang2", "text1", "text2", "Overall")


@dataclass(slots=True, frozen=True)
class Pair:
    pair_id: str
    lang1: str
    lang2: str
    text1: str
    text2: str
    overall: float

    @property
    def languages(self) -> str:
        return f"{self.lang1}-{self.lang2}"


@dataclass(slots=True, frozen=True)
class PairScores:
    """Pearson of predicted against gold Overall, per language pair (en-en first) and overall."""

    by_language: dict[str, tuple[int, float]]  # "en-en" → (pairs, pearson)
    overall: tuple[int, float]

    def as_dict(self) -> dict:
        return {"pearson": {lang: {"pairs": n, "pearson": round(r, 4)} for lang, (n, r) in self.by_language.items()},
                "all": {"pairs": self.overall[0], "pearson": round(self.overall[1], 4)}}


def load_pairs(path: Path) -> list[Pair]:
    """The SemEval CSV (a file, or a folder holding ``training_set.csv``); texts are normalised,
    which also repairs the mis-encoded rows."""
    if path.is_dir():
        path = path / "training_set.csv"
    if not path.is_file():
        raise InputError(str(path), "no such file (expected the SemEval-2022 task 8 CSV)")
    pairs: list[Pair] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(str(path), f"missing columns: {', '.join(missing)}", line=1)
        for row in reader:
            try:
                overall = float(row["Overall"])
            except (TypeError, ValueError):
                raise InputError(str(path), f"Overall {row['Overall']!r} is not a number",
                                 line=reader.line_num) from None
            pairs.append(Pair(row["pair_id"], row["lang1"], row["lang2"], normalise_text(row["text1"] or ""),
                              normalise_text(row["text2"] or ""), overall))
    if not pairs:
        raise InputError(str(path), "no pairs in the file")
    return pairs


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def pair_similarities(pairs: list[Pair]) -> list[float]:
    """storyline's story similarity of each pair (IDF from all texts of the set)."""
    weights = TermWeights.fit(t for p in pairs for t in (p.text1, p.text2))
    return [content_similarity(p.text1, p.text2, weights) for p in pairs]


def embedding_similarities(pairs: list[Pair]) -> list[float]:
    """Cosine of all-MiniLM-L6-v2 document embeddings (needs the ``embeddings`` extra)."""
    from ..embeddings import load_embedder

    embedder = load_embedder()
    first = embedder.encode_documents([p.text1 for p in pairs])
    second = embedder.encode_documents([p.text2 for p in pairs])
    return [float(x) for x in (first * second).sum(axis=1)]


def score_pairs(pairs: list[Pair], similarities: list[float]) -> PairScores:
    predicted = [4.0 - 3.0 * s for s in similarities]
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        groups.setdefault(p.languages, []).append(i)
    order = sorted(groups, key=lambda lang: (lang != "en-en", -len(groups[lang]), lang))
    by_language = {lang: (len(groups[lang]), pearson([predicted[i] for i in groups[lang]],
                                                     [pairs[i].overall for i in groups[lang]])) for lang in order}
    return PairScores(by_language, (len(pairs), pearson(predicted, [p.overall for p in pairs])))


def evaluate_pairs(path: Path, similarity: Callable[[list[Pair]], list[float]] = pair_similarities,
                   part: Part | None = None) -> tuple[PairScores, list[Pair], list[float]]:
    """The pairs of ``path`` (of one ``part``, or all) scored with ``similarity``."""
    pairs = load_pairs(Path(path))
    if part is not None:
        pairs = [p for p in pairs if pair_part(p.pair_id) == part]
    similarities = similarity(pairs)
    return score_pairs(pairs, similarities), pairs, similarities
