"""Sentence-level views of a passage: how partial copies are found, scored and located.

Recycled copy is rarely a whole paragraph kept whole: editors trim a paragraph to its first
or last half, split one in two, merge two, add a sentence of their own. Scored as whole
passages, such a copy and its source overlap by half or less, which a paragraph merely on the
same topic can also do. Their *sentences* still match: a copied sentence is nearly contained
in the passage it came from (its content-word keys, and the order of them), which a sentence
on the same topic is not. So a passage is also scored by its best-contained sentence (in
either direction), and the sentences that are contained give the copied span in both
passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Span
from ..text import sentences
from ..text.passages import PassageKeys, SentenceRun, passage_keys, spans_passage_keys


@dataclass(slots=True, frozen=True)
class SentenceKeys:
    """One sentence of a passage: its character span in the passage, and its keys."""

    start: int
    end: int
    keys: PassageKeys

    def __reduce__(self) -> tuple[type[SentenceKeys], tuple[int, int, PassageKeys]]:
        return SentenceKeys, (self.start, self.end, self.keys)  # as PassageKeys does, see there


def sentence_keys(text: str, spans: Sequence[Span] = ()) -> tuple[SentenceKeys, ...]:
    """The sentences of a passage with their keys (made once a passage: featurize makes them for
    a new article's, an index keeps them with each stored passage it holds). ``spans``: the
    sentences ingest found (``Passage.sentences``, stored with the passage), else the splitter
    is run again, which costs more than the keys themselves. A passage the splitter finds no
    sentence in is one sentence."""
    spans = spans or sentences(text) or ()
    out = tuple(SentenceKeys(s.start, s.end, keys) for s, keys in zip(spans, spans_passage_keys(text, spans)))
    return out or (SentenceKeys(0, len(text), passage_keys(text)),)


def sentences_of_runs(keys: tuple[str, ...], runs: Sequence[SentenceRun]) -> tuple[SentenceKeys, ...]:
    """Sentences given as runs of their passage's ``keys`` (start, end, first key, last key + 1,
    words: :func:`~storyline.text.passages.keys_and_runs`) with their own keys."""
    return tuple(SentenceKeys(start, end, PassageKeys(keys[first:last], words)) for start, end, first, last, words in runs)


def containment(part: PassageKeys, whole: PassageKeys) -> float:
    """How much of ``part`` is in ``whole``: the mean of the shares of ``part``'s keys and key
    bigrams found in ``whole`` (0..1; a copied sentence ≳ 0.7, one on the same topic ≲ 0.4)."""
    if not part.unigrams:
        return 0.0
    unigrams = len(part.unigrams & whole.unigrams) / len(part.unigrams)
    if not part.bigrams:
        return unigrams
    return 0.5 * unigrams + 0.5 * len(part.bigrams & whole.bigrams) / len(part.bigrams)


@dataclass(slots=True, frozen=True)
class SentenceMatch:
    """The best-contained sentence of either passage in the other (``score``), and the copied
    span of each: the hull of its sentences contained in the other at ``span_threshold``
    (``None`` when none is)."""

    score: float
    span_a: tuple[int, int] | None
    span_b: tuple[int, int] | None


def _contained(parts: tuple[SentenceKeys, ...], own: PassageKeys, whole: PassageKeys, min_keys: int,
               min_bigrams: int, span_threshold: float) -> tuple[float, tuple[int, int] | None]:
    best = 0.0
    whole_unigrams, whole_bigrams = whole.unigrams, whole.bigrams
    if len(parts) > 1 and len(own.keys) >= min_keys and len(own.bigrams & whole_bigrams) >= min_bigrams:
        best = containment(own, whole)
    start = end = -1
    for s in parts:
        # containment() inlined, each intersection taken once: this loop runs for every
        # sentence of both passages of every candidate pair that is not a whole copy.
        k = s.keys
        unigrams, bigrams = k.unigrams, k.bigrams
        shared = len(bigrams & whole_bigrams) if bigrams else 0
        if not unigrams:
            score = 0.0
        elif bigrams:
            score = 0.5 * (len(unigrams & whole_unigrams) / len(unigrams)) + 0.5 * shared / len(bigrams)
        else:
            score = len(unigrams & whole_unigrams) / len(unigrams)
        if shared >= min_bigrams and len(k.keys) >= min_keys and score > best:
            best = score
        if score >= span_threshold and k.keys:
            start = s.start if start < 0 else start
            end = s.end
    return best, ((start, end) if start >= 0 else None)


def _best(parts: tuple[SentenceKeys, ...], own: PassageKeys, whole: PassageKeys, min_keys: int, min_bigrams: int,
          floor: float) -> float:
    """:func:`_contained`'s score alone when it reaches ``floor``, else a value below it: a
    sentence that cannot count, or cannot reach both ``floor`` and the best so far, is skipped
    before its unigrams are intersected (a score is at most 0.5 + half its bigram share)."""
    best = 0.0
    whole_unigrams, whole_bigrams = whole.unigrams, whole.bigrams
    if len(parts) > 1 and len(own.keys) >= min_keys and len(own.bigrams & whole_bigrams) >= min_bigrams:
        best = containment(own, whole)
    for s in parts:
        k = s.keys
        if len(k.keys) < min_keys:
            continue
        unigrams, bigrams = k.unigrams, k.bigrams
        shared = len(bigrams & whole_bigrams) if bigrams else 0
        if shared < min_bigrams or not unigrams:
            continue
        if bigrams:
            if 0.5 + 0.5 * shared / len(bigrams) < floor:
                continue
            # the same expression as _contained's, so the same float
            score = 0.5 * (len(unigrams & whole_unigrams) / len(unigrams)) + 0.5 * shared / len(bigrams)
        else:
            score = len(unigrams & whole_unigrams) / len(unigrams)
        if score > best:
            best = score
    return best


def best_contained(keys_a: PassageKeys, keys_b: PassageKeys, sentences_a: tuple[SentenceKeys, ...],
                   sentences_b: tuple[SentenceKeys, ...], *, min_keys: int, min_bigrams: int, floor: float) -> float:
    """:func:`match_sentences`'s ``score`` when it reaches ``floor``, else a value below
    ``floor``: what deciding a partial copy needs (the spans are asked only of the copy's
    first occurrence). Most candidate pairs are checked by this alone."""
    return max(_best(sentences_a, keys_a, keys_b, min_keys, min_bigrams, floor),
               _best(sentences_b, keys_b, keys_a, min_keys, min_bigrams, floor))


def match_sentences(text_a: str, keys_a: PassageKeys, text_b: str, keys_b: PassageKeys, *,
                    min_keys: int, min_bigrams: int, span_threshold: float,
                    sentences_a: tuple[SentenceKeys, ...] | None = None,
                    sentences_b: tuple[SentenceKeys, ...] | None = None) -> SentenceMatch:
    """Sentences of ``a`` in ``b`` and of ``b`` in ``a``. Only sentences of at least
    ``min_keys`` content words count towards the score (a short sentence is contained in
    many passages by chance); every sentence counts towards the spans. ``sentences_a`` and
    ``sentences_b``: :func:`sentence_keys` of the texts when already computed (featurize does
    it for every passage, outside the write transaction)."""
    sentences_a = sentences_a if sentences_a is not None else sentence_keys(text_a)
    sentences_b = sentences_b if sentences_b is not None else sentence_keys(text_b)
    score_a, span_a = _contained(sentences_a, keys_a, keys_b, min_keys, min_bigrams, span_threshold)
    score_b, span_b = _contained(sentences_b, keys_b, keys_a, min_keys, min_bigrams, span_threshold)
    return SentenceMatch(max(score_a, score_b), span_a, span_b)


__all__ = ["SentenceKeys", "SentenceMatch", "best_contained", "containment", "match_sentences", "sentence_keys",
           "sentences_of_runs"]
