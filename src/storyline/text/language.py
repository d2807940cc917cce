"""Which language a text is written in, roughly: enough to tell that two texts are not in the
same one.

The writing system decides first (Han or kana, Arabic, Cyrillic, Greek, Hebrew, Devanagari,
Thai, Hangul: the script of most of the letters), then, for texts in Latin letters, the function
words (:mod:`.function_words`, and English's stop words): the language whose function words the
first :data:`SAMPLE_WORDS` words hold most (a word several languages share counted a part for
each, so that the words one language alone writes tell Spanish from Portuguese), if it holds at
least :data:`MIN_HITS` of them and clearly more than the runner-up. Otherwise ``None``: a
headline of six words, or a text the lists do not tell apart, is not guessed at. Cyrillic is read as Russian and Han as Chinese (the
languages of the function-word lists), which is all the callers need: two texts in different
scripts are in different languages.
"""

from __future__ import annotations

import re

from .function_words import FUNCTION_WORDS
from .passages import STOP_WORDS
from .words import words

# The first words of a text that are counted (a kilobyte or two of news): enough for the function
# words to speak, and a cost that does not grow with the text.
SAMPLE_WORDS = 300
# Function words the winning language must hold, and how many times the runner-up's count.
MIN_HITS = 4
MARGIN = 1.5

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(f"[{chars}]")) for name, chars in (
    ("zh", "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
    ("ko", "\uac00-\ud7af"),
    ("ar", "\u0600-\u06ff\u0750-\u077f"),
    ("ru", "\u0400-\u04ff"),
    ("el", "\u0370-\u03ff"),
    ("he", "\u0590-\u05ff"),
    ("hi", "\u0900-\u097f"),
    ("th", "\u0e00-\u0e7f"),
))
_LETTER = re.compile(r"[^\W\d_]")


def _function_word_languages() -> dict[str, tuple[str, ...]]:
    """Each function word with the languages it belongs to. English stop words that are also
    another language's function word ("in", "so", "an", "also") count for neither: they do not
    tell the languages apart."""
    out: dict[str, tuple[str, ...]] = {}
    for language, listed in FUNCTION_WORDS.items():
        for word in listed - STOP_WORDS:
            out[word] = (*out.get(word, ()), language)
    for word in STOP_WORDS - frozenset().union(*FUNCTION_WORDS.values()):
        out[word] = ("en",)
    return out


_LANGUAGES_OF = _function_word_languages()
# Characters read: ~300 words of news (a cost that does not grow with the text).
_SAMPLE_CHARS = 2500


def language_of(text: str) -> str | None:
    """A two-letter code for the language of ``text`` ("en", "de", "zh", ...), or ``None`` when
    it cannot be told (see the module's docstring)."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.isascii():
        letters = len(_LETTER.findall(sample))
        if not letters:
            return None
        for name, pattern in _SCRIPTS:
            if 2 * len(pattern.findall(sample)) > letters:
                return name
    hits: dict[str, float] = {}
    for word in words(sample.lower())[:SAMPLE_WORDS]:
        # A word several languages share ("de", "la", "que") is split among them, so the words
        # only one language writes decide between close languages (Spanish and Portuguese).
        languages = _LANGUAGES_OF.get(word, ())
        for language in languages:
            hits[language] = hits.get(language, 0.0) + 1 / len(languages)
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:2]
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    if len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


def different_languages(a: str | None, b: str | None) -> bool:
    """Whether two guesses of :func:`language_of` name two languages (``None`` names none)."""
    return a is not None and b is not None and a != b


__all__ = ["different_languages", "language_of"]
