"""Passage similarity that survives rewording and re-transliteration, and rejects shared topic.

A passage becomes a sequence of *keys*: its content words (stop words dropped),
each reduced to a consonant skeleton in which the letters that transliterations
of one name disagree on are merged (Sybiha/Sibiga → ``sbh``, Jongkook/Jonkuk →
``jnk``). Two passages score the mean of the Dice overlap of their key sets (the
same things are named) and of their key bigrams (named in the same order, which a
passage that merely shares the topic does not do).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..records import Span
from ..settings import CACHE_WORD_KEYS
from .words import words

_VOWELS_ETC = re.compile(r"[aeiouyhw]")
_REPEATS = re.compile(r"(.)\1+")
# g/h (Ukrainian г), k/c/q/x, s/z/j-as-zh, v/f: the letters transliterations swap.
_MERGE = str.maketrans("gqcxzjv", "hkkksjf")

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according reported
stated added adds noted wrote writes announced claimed explained recalled
""".split())


@lru_cache(maxsize=CACHE_WORD_KEYS)  # a process-wide memo, bounded in settings (see there)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key of one lower-case word; digits are kept as they are."""
    if word.isdigit():
        return word
    word = word.replace("ng", "n").replace("kh", "h").replace("ph", "f").translate(_MERGE)
    # Merge first, then drop vowels and h: Sibiga → sibiha → sb, like Sybiha → sb.
    return _REPEATS.sub(r"\1", word[0] + _VOWELS_ETC.sub("", word[1:]))


class PassageKeys:
    """The matching view of one passage: its keys in order, and their sets for scoring.

    The sets are made when first asked for, not with the keys: an article's features carry
    keys for each passage and each of its sentences (~80 an article), and the process that
    unpickles them (the writer, ahead of its transaction) scores only those a candidate meets,
    mostly whole passages and few sentences. Not a dataclass, so the two sets can be filled in
    later; treat an instance as immutable (equality and hashing are over ``keys`` and ``words``,
    of which the sets are functions)."""

    __slots__ = ("keys", "words", "_unigrams", "_bigrams", "prepared")

    keys: tuple[str, ...]
    words: int  # all words, stop words included

    def __init__(self, keys: tuple[str, ...], words: int) -> None:
        self.keys = keys
        self.words = words
        self._unigrams: frozenset[str] | None = None
        self._bigrams: frozenset[str] | None = None
        # What the compiled pair check (storyline.reuse.pair_kernel) made of these keys, kept with
        # them as the sets are; of this process only, so never pickled (see ``__reduce__``).
        self.prepared: object | None = None

    @classmethod
    def of(cls, keys: tuple[str, ...], words: int) -> PassageKeys:
        """The constructor, by the name pickles made before the sets were lazy call it (the batch
        job resumes from features it pickled)."""
        return cls(keys, words)

    @property
    def unigrams(self) -> frozenset[str]:
        if self._unigrams is None:
            self._unigrams = frozenset(self.keys)
        return self._unigrams

    @property
    def bigrams(self) -> frozenset[str]:
        """"key key" strings: a key has no space in it."""
        if self._bigrams is None:
            # Strings, not pairs: a string is no work for the garbage collector, and the ~60
            # pairs a passage made (its sentences' too) were most of what a long stream's
            # collections walked (each cached passage pushed out is replaced by new ones).
            keys = self.keys
            self._bigrams = frozenset(map(" ".join, zip(keys, keys[1:])))
        return self._bigrams

    def __reduce__(self) -> tuple[type[PassageKeys], tuple[tuple[str, ...], int]]:
        # Through the constructor, without the sets (nor ``prepared``): the stream's writer unpickles ~80 of these
        # an article, and a slotted class's default unpickling looks its slots up each time.
        return PassageKeys, (self.keys, self.words)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PassageKeys):
            return NotImplemented
        return self.keys == other.keys and self.words == other.words

    def __hash__(self) -> int:
        return hash((self.keys, self.words))

    def __repr__(self) -> str:
        return f"PassageKeys(keys={self.keys!r}, words={self.words!r})"

    @property
    def text(self) -> str:
        """The keys as one string, for the MinHash kernel (one key = one word)."""
        return " ".join(self.keys)


def passage_keys(text: str) -> PassageKeys:
    tokens = words(text.lower())
    return PassageKeys(tuple([skeleton(t) for t in tokens if t not in STOP_WORDS]), len(tokens))


def key_hashes(keys: tuple[str, ...]) -> np.ndarray:
    """The keys' hashes as uint64 (Python's ``hash``: of this process only), as the compiled pair
    check (``storyline.reuse.pair_kernel``) reads a passage."""
    return np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys)).view(np.uint64)


_KEYS_SLOT = PassageKeys.__dict__["keys"]  # the base class's slot, which KeysOfText fills late


class KeysOfText(PassageKeys):
    """A passage's keys held as ``hashes`` (what the compiled pair check reads of them,
    :func:`key_hashes`: of this process only), their strings made from
    ``text`` by :func:`passage_keys` when first asked for. Once the compiled check runs, the reuse
    index's cold tier keeps passages' key hashes instead of their keys: one warmed for a check is
    then neither hashed again nor, unless the set code or a short passage's equality asks, keyed
    again."""

    __slots__ = ("_text", "hashes")

    def __init__(self, text: str, words: int, hashes: np.ndarray) -> None:  # noqa: D107 - the base's fields, but keys
        self._text = text
        self.words = words
        self._unigrams = None
        self._bigrams = None
        self.prepared = None
        self.hashes = hashes

    @property
    def keys(self) -> tuple[str, ...]:
        try:
            return _KEYS_SLOT.__get__(self, PassageKeys)
        except AttributeError:
            keys = passage_keys(self._text).keys
            _KEYS_SLOT.__set__(self, keys)
            return keys

    @keys.setter
    def keys(self, value: tuple[str, ...]) -> None:
        _KEYS_SLOT.__set__(self, value)

    @property
    def keyed(self) -> bool:
        """Whether the strings were made (the tests ask)."""
        try:
            _KEYS_SLOT.__get__(self, PassageKeys)
        except AttributeError:
            return False
        return True


class KeyMemo:
    """:func:`passage_keys` of the ``size`` texts keyed most recently (0: none kept), for a
    stage that keys the same texts again and again (a recycled paragraph in every copy, the
    first occurrence each copy is compared with). Each stage owns its memo, sized in its
    settings, so no process holds a cache nobody can see or bound (a passage's entry is ~4 kB,
    by a deep count over the passages of 2,000 articles of the stream benchmark)."""

    __slots__ = ("size", "_keys")

    def __init__(self, size: int) -> None:
        self.size = size
        self._keys: Callable[[str], PassageKeys] = lru_cache(maxsize=size)(passage_keys) if size else passage_keys

    def __call__(self, text: str) -> PassageKeys:
        return self._keys(text)

    def __len__(self) -> int:
        """How many texts' keys are held."""
        info = getattr(self._keys, "cache_info", None)
        return info().currsize if info is not None else 0

    def __reduce__(self) -> tuple[type[KeyMemo], tuple[int]]:
        return KeyMemo, (self.size,)  # a Spark task or worker process starts with an empty memo


def spans_passage_keys(text: str, spans: Sequence[Span]) -> list[PassageKeys]:
    """:func:`passage_keys` of each span of ``text`` (its sentences, say), the text lower-cased
    once and never split or copied."""
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ") moves the offsets
        return [passage_keys(text[s.start:s.end]) for s in spans]
    out = []
    for s in spans:
        tokens = words(low, s.start, s.end)
        out.append(PassageKeys(tuple([skeleton(t) for t in tokens if t not in STOP_WORDS]), len(tokens)))
    return out


SentenceRun = tuple[int, int, int, int, int]  # a span's start, end, first key, last key + 1, words


def keys_and_runs(text: str, spans: Sequence[Span]) -> tuple[PassageKeys, tuple[SentenceRun, ...] | None]:
    """:func:`passage_keys` of ``text`` and, from the same keying, where each of ``spans`` (its
    sentences, in order) has its keys in them: ``(start, end, first key, last key + 1, words)``,
    the keys and word count :func:`spans_passage_keys` gives the span. A passage read back from
    the store is keyed once this way instead of once whole and once a sentence at a time. The
    runs are ``None`` where the spans' keys are not runs of the passage's: no spans, spans out of
    order or overlapping, a span boundary inside a word, or a letter whose lower case is longer."""
    low = text.lower()
    if not spans or len(low) != len(text):
        return passage_keys(text), None
    keys: list[str] = []
    runs: list[SentenceRun] = []
    count = at = 0
    for span in spans:
        start, end = span.start, span.end
        if start < at or end < start or end > len(low) or _cuts_word(low, start) or _cuts_word(low, end):
            return passage_keys(text), None
        count += _key_into(keys, low, at, start)  # words between two sentences are the passage's only
        first = len(keys)
        words_in = _key_into(keys, low, start, end)
        runs.append((start, end, first, len(keys), words_in))
        count += words_in
        at = end
    count += _key_into(keys, low, at, len(low))
    return PassageKeys(tuple(keys), count), tuple(runs)


def _key_into(keys: list[str], low: str, start: int, end: int) -> int:
    """The keys of ``low[start:end]`` added to ``keys``; how many words it holds."""
    if start >= end or low[start:end].isspace():  # most often the space between two sentences
        return 0
    tokens = words(low, start, end)
    keys.extend([skeleton(t) for t in tokens if t not in STOP_WORDS])
    return len(tokens)


def _cuts_word(low: str, at: int) -> bool:
    """Whether position ``at`` of ``low`` is inside a word: a word character on each side, as
    :func:`~storyline.text.words.words` takes them (``[^\\W_]``, which is ``str.isalnum``)."""
    return 0 < at < len(low) and low[at - 1].isalnum() and low[at].isalnum()


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def passage_similarity(a: PassageKeys, b: PassageKeys) -> float:
    """0..1; recycled copies of one paragraph score ≳ 0.6, passages on one topic ≲ 0.4."""
    return similarity_and_shared_bigrams(a, b)[0]


def similarity_and_shared_bigrams(a: PassageKeys, b: PassageKeys) -> tuple[float, int]:
    """:func:`passage_similarity` and how many key bigrams the two share, the intersection taken
    once (the reuse stage bounds its sentence scoring by that count)."""
    shared = len(a.bigrams & b.bigrams)
    if not a.keys or not b.keys:
        return 0.0, shared
    unigrams = _dice(a.unigrams, b.unigrams)
    if len(a.keys) < 2 or len(b.keys) < 2:
        return unigrams, shared
    return 0.5 * unigrams + 0.5 * (2 * shared / (len(a.bigrams) + len(b.bigrams))), shared
