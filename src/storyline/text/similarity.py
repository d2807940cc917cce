"""Content similarity of two whole articles: do they tell the same story?

Cosine of sublinear-TF × IDF bags of content terms: the words in lower case, English stop words
and the other languages' function words dropped (:mod:`.function_words`; SemEval-2022 task 8's
report pairs, all languages: 0.5115 → 0.5486), each cut to its first :data:`TERM_PREFIX`
letters (:func:`term`), so that the forms of a word count as one ("Ukraine", "Ukrainian"; "Präsident", "Präsidenten"; "президент",
"президента"). That is truncation stemming, which needs no language's rules and serves
languages that inflect much as well as English. On SemEval-2022 task 8's report pairs
(``storyline eval pairs ... --part report``) it raised the Pearson correlation from 0.4862 to
0.5115 (English 0.6704 → 0.6943, German 0.4180 → 0.4805, Russian 0.6826 → 0.7537); the length
was chosen on the tune parts (see the README, ``storyline eval clusters``).
IDF comes from a :class:`TermWeights` fitted on whatever collection is at hand (the
store, an evaluation file); without one every word weighs the same. On the
SemEval-2022 task 8 en–en pairs it separates "same story" (Overall ≤ 1.5) from
"different" (≥ 3.5) with AUC 0.96; the stories stage builds on it with time and entities.
Texts in two languages are compared by their names and numbers alone (:func:`name_terms`):
SemEval's report pairs, all languages, 0.5486 → 0.6113.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .function_words import OTHER_LANGUAGES
from .language import different_languages, language_of
from .passages import STOP_WORDS
from .words import has_cjk, words


# The stories stage keeps terms in the store (document frequencies, centroids, article vectors,
# the term -> story index): a change here is a migration that converts them (see v23's).
TERM_PREFIX = 6


# English stop words and the function words of the other languages read (:mod:`.function_words`).
# A change here is a migration too: the stories stage keeps terms (see v25's).
CONTENT_STOP_WORDS = STOP_WORDS | OTHER_LANGUAGES


def content_words(text: str) -> list[str]:
    """The text's words (:func:`storyline.text.words.words`) in lower case, stop words and other
    languages' function words dropped."""
    return [w for w in words(text.lower()) if w not in CONTENT_STOP_WORDS]


def term(word: str) -> str:
    """A content word's term: its first :data:`TERM_PREFIX` characters where it is made of
    letters only (a number, or a word with digits, is kept whole: "2024" is no "2025")."""
    return word[:TERM_PREFIX] if len(word) > TERM_PREFIX and word.isalpha() else word


def content_terms(text: str) -> list[str]:
    """The terms (:func:`term`) of the text's content words, in order."""
    return [term(w) for w in content_words(text)]


@dataclass(slots=True)
class TermWeights:
    """Document frequencies of a collection, for IDF weighting."""

    documents: int = 0
    df: Counter[str] = field(default_factory=Counter)

    @classmethod
    def fit(cls, texts: Iterable[str]) -> TermWeights:
        weights = cls()
        for text in texts:
            weights.add(text)
        return weights

    def add(self, text: str) -> None:
        self.documents += 1
        self.df.update(set(content_terms(text)))

    def idf(self, word: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(word, 0) + 1)) + 1.0


def term_vector(text: str, weights: TermWeights | None = None) -> dict[str, float]:
    counts = Counter(content_terms(text))
    if weights is None:
        return {w: 1.0 + math.log(c) for w, c in counts.items()}
    return {w: (1.0 + math.log(c)) * weights.idf(w) for w, c in counts.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def content_similarity(a: str, b: str, weights: TermWeights | None = None,
                       languages: tuple[str | None, str | None] | None = None) -> float:
    """0..1: how much two texts talk about the same things, in the same proportions. Two texts
    in different languages (:func:`~storyline.text.language.language_of`) share few words but
    names and numbers, so they are compared over those alone: the terms that are a name or a
    number in either text (:func:`name_terms`), wherever the other writes them ("Virus" in a
    German text, "virus" in an English one). Over all their words, a German and an English
    report of one event scored 0.13 on average on SemEval-2022 task 8's tune pairs, below two
    unrelated German articles (0.15). ``languages``: the texts' languages when the caller has
    guessed them already."""
    vector_a, vector_b = term_vector(a, weights), term_vector(b, weights)
    if different_languages(*(languages or (language_of(a), language_of(b)))):
        shared = set(name_terms(a)) | set(name_terms(b))
        vector_a = {t: w for t, w in vector_a.items() if t in shared}
        vector_b = {t: w for t, w in vector_b.items() if t in shared}
    return cosine(vector_a, vector_b)


_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# What ends a sentence before a word: its first word is capitalised whatever it is.
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:;\"“”«»„(]|\n)\W*$")


def name_terms(text: str) -> list[str]:
    """The terms of the words any language writes alike: numbers (each run of digits, so "2020年"
    is "2020"), and words written with a capital that do not begin a sentence (names: "Merkel",
    "Kyiv", "NATO"), in lower case, function words left out."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        digits = _DIGITS.findall(token)
        if digits:
            out.extend(digits)
            continue
        if not token[0].isupper() or has_cjk(token):
            continue
        if _SENTENCE_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue
        word = token.lower()
        if word not in CONTENT_STOP_WORDS:
            out.append(term(word))
    return out

