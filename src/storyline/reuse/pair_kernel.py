"""The reuse stage's pair check compiled with numba, when it is installed: the verdict and the
score :meth:`storyline.reuse.stage.ReuseStage._match` gives (the whole-passage similarity of
:mod:`storyline.text.passages`, the best-contained sentence of :mod:`.sentences`), computed from
arrays instead of Python sets.

Late in a stream the writer checks ~110 passage pairs an article, and most of a check was
making and intersecting small sets: the stored passage's key and key-bigram sets (made again
for each passage warmed from the cache's cold tier) and, for a partial copy, each sentence's.
Here a passage is the hashes of its keys (Python's ``hash`` of each key string, so of one
process only: the arrays are never pickled or stored), a sentence a range of them, and a check
sorts and merges small arrays in one compiled call. Every score is the float the set code makes:
the same integer counts, divided and summed in the same order (no ``fastmath``). Two distinct
keys, or key pairs, share a hash once in ~2^64, which would count one more shared key in a
score; ``tests/reuse/test_pair_kernel.py`` checks the two against each other, and the stream
benchmark's stores come out identical (``benchmarks/same_store.py``).

The copied characters of a recycled passage and of its first occurrence (what
:func:`~storyline.reuse.sentences.match_sentences` gives the stage's ``_copied``) come from the
same arrays (:meth:`PairKernel.copied`), not from sets made for the purpose and left on the
cached passage: late in a 10,000-article stream that halved the CPU of locating copies (0.62 ->
0.31 ms an article), and a 12,000-article stream's writer peaked 40-54 MB lower (README,
"Candidates ranked as one number, spans from the compiled arrays").

Used where numba is installed (``pip install 'storyline[fast]'``) unless ``reuse.compiled_checks``
is ``False`` (~130 MB more resident for numba and LLVM, for 4-9% of the writer's CPU; README,
"Pair checks compiled"); otherwise this module is never imported and the stage scores with the
sets. numba compiles the functions when the stage first asks for them (~3 s, :meth:`PairKernel.compile`)
and keeps the machine code in ``__pycache__`` (or its user cache) for the next process.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import cast

import numpy as np

from ..errors import StorylineError
from ..records import Span
from ..text.passages import KeysOfText, PassageKeys, key_hashes
from .ports import StoredPassage
from .sentences import SentenceKeys

try:
    from numba import njit
except ImportError as exc:  # pragma: no cover - the stage checks for numba before importing this
    raise StorylineError("compiled pair checks need numba: pip install 'storyline[fast]'") from exc

_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xBF58476D1CE4E5B9)
_K3 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


@njit(cache=True, nogil=True)
def _pair_hash(a: np.uint64, b: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """One hash of two adjacent keys' hashes: a multiply-add, then splitmix64's finaliser."""
    z = a * _K1 + b
    z = (z ^ (z >> _S30)) * _K2
    z = (z ^ (z >> _S27)) * _K3
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def _distinct(values: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """``values`` sorted, each once, in place (numba's ``np.unique`` goes through lists)."""
    n = values.size
    for i in range(1, n):  # insertion sort: a passage has tens of keys
        v = values[i]
        j = i - 1
        while j >= 0 and values[j] > v:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = v
    m = 0
    for i in range(n):
        if m == 0 or values[i] != values[m - 1]:
            values[m] = values[i]
            m += 1
    return values[:m]


@njit(cache=True, nogil=True)
def _sets(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """The key set and the key-bigram set of a run of keys, as sorted arrays."""
    n = hashes.size
    pairs = np.empty(max(n - 1, 0), dtype=np.uint64)
    for i in range(n - 1):
        pairs[i] = _pair_hash(hashes[i], hashes[i + 1])
    return _distinct(hashes.copy()), _distinct(pairs)


@njit(cache=True, nogil=True)
def _shared(a: np.ndarray, b: np.ndarray) -> int:  # pragma: no cover - compiled
    """How many values two sorted arrays of distinct values share."""
    i = j = n = 0
    while i < a.size and j < b.size:
        if a[i] < b[j]:
            i += 1
        elif a[i] > b[j]:
            j += 1
        else:
            n += 1
            i += 1
            j += 1
    return n


@njit(cache=True, nogil=True)
def _containment(uni: np.ndarray, bigrams: int, shared_bigrams: int, whole_uni: np.ndarray) -> float:  # pragma: no cover
    """sentences.containment's float, for a part of ``uni`` keys (not none) and ``bigrams`` key
    bigrams, ``shared_bigrams`` of them in the whole."""
    unigrams = _shared(uni, whole_uni) / uni.size
    return unigrams if bigrams == 0 else 0.5 * unigrams + 0.5 * shared_bigrams / bigrams


@njit(cache=True, nogil=True)
def _best(parts: np.ndarray, bounds: np.ndarray, own_keys: int, own_uni: np.ndarray, own_bi: np.ndarray,
          whole_uni: np.ndarray, whole_bi: np.ndarray, min_keys: int, min_bigrams: int,
          floor: float) -> float:  # pragma: no cover - compiled
    # sentences._best, expression by expression; sentence i is parts[bounds[2i]:bounds[2i + 1]]
    best = 0.0
    count = bounds.size // 2
    if count > 1 and own_keys >= min_keys and _shared(own_bi, whole_bi) >= min_bigrams:
        if own_uni.size:
            best = _containment(own_uni, own_bi.size, _shared(own_bi, whole_bi), whole_uni)
    for s in range(count):
        start, end = bounds[2 * s], bounds[2 * s + 1]
        if end - start < min_keys:
            continue
        uni, bi = _sets(parts[start:end])
        shared = _shared(bi, whole_bi) if bi.size else 0
        if shared < min_bigrams or uni.size == 0:
            continue
        if bi.size and 0.5 + 0.5 * shared / bi.size < floor:
            continue
        score = _containment(uni, bi.size, shared, whole_uni)
        if score > best:
            best = score
    return best


@njit(cache=True, nogil=True)
def _similarity(a_size: int, a_uni: np.ndarray, a_bi: np.ndarray, b_size: int, b_uni: np.ndarray,
                b_bi: np.ndarray) -> tuple[float, int]:  # pragma: no cover - compiled
    """passages.similarity_and_shared_bigrams of two passages of ``a_size`` and ``b_size`` keys."""
    common = _shared(a_bi, b_bi)
    if a_size == 0 or b_size == 0:
        return 0.0, common
    unigrams = 2 * _shared(a_uni, b_uni) / (a_uni.size + b_uni.size) if a_uni.size and b_uni.size else 0.0
    whole = unigrams if a_size < 2 or b_size < 2 else 0.5 * unigrams + 0.5 * (2 * common / (a_bi.size + b_bi.size))
    return whole, common


@njit(cache=True, nogil=True)
def _whole(a_keys: np.ndarray, b_keys: np.ndarray) -> tuple[float, int]:  # pragma: no cover - compiled
    """_check's whole-passage similarity and the key bigrams the two share, without sentences."""
    a_uni, a_bi = _sets(a_keys)
    b_uni, b_bi = _sets(b_keys)
    return _similarity(a_keys.size, a_uni, a_bi, b_keys.size, b_uni, b_bi)


@njit(cache=True, nogil=True)
def _check(a_keys: np.ndarray, a_parts: np.ndarray, a_bounds: np.ndarray, b_keys: np.ndarray,
           b_parts: np.ndarray, b_bounds: np.ndarray, recycled: float, min_shared: int, min_keys: int,
           partial: float) -> tuple[float, int]:  # pragma: no cover - compiled
    """ReuseStage._match past its short-passage test: (score, 1) for a whole copy, (score, 2)
    for a partial one, (0.0, 0) for neither."""
    a_uni, a_bi = _sets(a_keys)
    b_uni, b_bi = _sets(b_keys)
    whole, common = _similarity(a_keys.size, a_uni, a_bi, b_keys.size, b_uni, b_bi)
    if whole >= recycled:
        return whole, 1
    if common < min_shared:
        return 0.0, 0
    score = max(_best(a_parts, a_bounds, a_keys.size, a_uni, a_bi, b_uni, b_bi, min_keys, min_shared, partial),
                _best(b_parts, b_bounds, b_keys.size, b_uni, b_bi, a_uni, a_bi, min_keys, min_shared, partial))
    return (score, 2) if score >= partial else (0.0, 0)


@njit(cache=True, nogil=True)
def _hull(parts: np.ndarray, bounds: np.ndarray, starts: np.ndarray, ends: np.ndarray, whole_uni: np.ndarray,
          whole_bi: np.ndarray, threshold: float) -> tuple[int, int]:  # pragma: no cover - compiled
    """sentences._contained's span: the first start and the last end of the sentences (with
    keys) contained in the other passage at ``threshold``; (-1, -1) when none is."""
    start = end = -1
    for s in range(bounds.size // 2):
        first, last = bounds[2 * s], bounds[2 * s + 1]
        if last == first:
            continue
        uni, bi = _sets(parts[first:last])
        if _containment(uni, bi.size, _shared(bi, whole_bi), whole_uni) >= threshold:
            if start < 0:
                start = starts[s]
            end = ends[s]
    return start, end


@njit(cache=True, nogil=True)
def _copied(a_keys: np.ndarray, a_parts: np.ndarray, a_bounds: np.ndarray, a_starts: np.ndarray,
            a_ends: np.ndarray, b_keys: np.ndarray, b_parts: np.ndarray, b_bounds: np.ndarray,
            b_starts: np.ndarray, b_ends: np.ndarray, threshold: float) -> tuple[int, int, int, int]:  # pragma: no cover
    """sentences.match_sentences' spans: of a's sentences in b, then of b's in a."""
    a_uni, a_bi = _sets(a_keys)
    b_uni, b_bi = _sets(b_keys)
    a_start, a_end = _hull(a_parts, a_bounds, a_starts, a_ends, b_uni, b_bi, threshold)
    b_start, b_end = _hull(b_parts, b_bounds, b_starts, b_ends, a_uni, a_bi, threshold)
    return a_start, a_end, b_start, b_end


@dataclass(slots=True, frozen=True)
class Prepared:
    """A passage as the compiled check reads it: its keys' hashes, and its sentences as ranges
    of ``parts`` (``bounds``: start, end, start, end, ...). ``made_from`` is the sentences (or
    runs) it was made with: a passage's keys are prepared once for them."""

    made_from: object
    keys: np.ndarray
    parts: np.ndarray
    bounds: np.ndarray


def _char_spans(prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Where each sentence a passage was prepared with lies in its text: its sentences'
    (:class:`SentenceKeys`) or runs' (start, end, ...) first two fields."""
    made_from = cast(tuple[SentenceKeys | tuple[int, ...], ...], prepared.made_from)
    flat = [v for item in made_from for v in ((item.start, item.end) if isinstance(item, SentenceKeys) else item[:2])]
    both = np.array(flat, dtype=np.int64)
    return both[0::2], both[1::2]


class PairKernel:
    """The compiled check with the reuse settings it scores by."""

    def __init__(self, recycled: float, min_fuzzy_keys: int, min_shared_bigrams: int, min_sentence_keys: int,
                 partial: float) -> None:
        self.recycled = float(recycled)
        self.min_fuzzy_keys = min_fuzzy_keys
        self.min_shared_bigrams = min_shared_bigrams
        self.min_sentence_keys = min_sentence_keys
        self.partial = float(partial)

    def compile(self) -> None:
        """Compile the check and the copied spans now (numba does it at a first call; later
        processes load them from its cache), on one made-up pair of the types every real pair has."""
        keys = key_hashes(("a", "b", "c"))
        bounds = np.array([0, 3], dtype=np.int64)
        _check(keys, keys, bounds, keys, keys, bounds, self.recycled, self.min_shared_bigrams,
               self.min_sentence_keys, self.partial)
        _whole(keys, keys)
        made = Prepared((SentenceKeys(0, 5, PassageKeys(("a", "b", "c"), 3)),), keys, keys, bounds)
        self.copied(made, made, self.partial)

    def passage(self, keys: PassageKeys, sentences: tuple[SentenceKeys, ...]) -> Prepared:
        """A passage with its sentences' own keys (a new article's, from featurize)."""
        held = keys.prepared
        if isinstance(held, Prepared) and held.made_from is sentences:
            return held
        if sentences:
            # The passage's keys and its sentences' hashed in one call (~14 passages an article).
            sizes = [len(s.keys.keys) for s in sentences]
            every = key_hashes(tuple(chain(keys.keys, *(s.keys.keys for s in sentences))))
            hashes, parts = every[:len(keys.keys)], every[len(keys.keys):]
            ends = np.cumsum(sizes)
            bounds = np.empty(2 * len(sentences), dtype=np.int64)
            bounds[1::2] = ends
            bounds[0::2] = ends - sizes
        else:
            hashes = key_hashes(keys.keys)
            parts, bounds = hashes, np.empty(0, dtype=np.int64)
        keys.prepared = prepared = Prepared(sentences, hashes, parts, bounds)
        return prepared

    def stored(self, stored: StoredPassage) -> Prepared | None:
        """A stored passage: its sentences as runs of its own keys when an index kept them so,
        else its sentences' keys when known; ``None`` when neither is (the set code then makes
        them from its text)."""
        keys = stored.keys
        held = keys.prepared
        runs = stored.sentence_runs
        if runs is not None:
            if isinstance(held, Prepared) and held.made_from is runs:
                return held
            # (a passage the cache's cold tier held by its keys' hashes: they are not hashed again)
            hashes = keys.hashes if isinstance(keys, KeysOfText) else key_hashes(keys.keys)
            bounds = np.fromiter((i for run in runs for i in run[2:4]), dtype=np.int64, count=2 * len(runs))
            keys.prepared = prepared = Prepared(runs, hashes, hashes, bounds)
            return prepared
        if stored.known_sentences is not None:
            return self.passage(keys, stored.known_sentences)
        return None

    def copied(self, a: Prepared, b: Prepared, threshold: float) -> tuple[Span | None, Span | None]:
        """The copied characters of each passage, as :func:`~storyline.reuse.sentences.match_sentences`
        gives them (``span_a``, ``span_b``): the hull of its sentences contained in the other at
        ``threshold``, ``None`` where none is. Each passage's sentences are those it was prepared
        with, whose characters its ``made_from`` says."""
        a_starts, a_ends = _char_spans(a)
        b_starts, b_ends = _char_spans(b)
        a_start, a_end, b_start, b_end = _copied(a.keys, a.parts, a.bounds, a_starts, a_ends, b.keys, b.parts,
                                                 b.bounds, b_starts, b_ends, float(threshold))
        return (Span(a_start, a_end) if a_start >= 0 else None), (Span(b_start, b_end) if b_start >= 0 else None)

    def whole(self, a: PassageKeys, prepared_a: Prepared, b: PassageKeys,
              b_hashes: np.ndarray) -> tuple[bool, tuple[float, bool] | None]:
        """Whether the whole passages decide :meth:`match` (a short passage, a whole copy, or too
        few key bigrams shared for a part to be one), and what it gives then; ``b`` as its keys'
        hashes alone, its sentences not needed: a passage read back from the store has none
        made, and keying them costs more than its keys (README, "A term's latest stories kept;
        passages read back checked compiled")."""
        count_a, count_b = prepared_a.keys.size, b_hashes.size
        if count_a < self.min_fuzzy_keys or count_b < self.min_fuzzy_keys:
            return True, ((1.0, False) if count_a == count_b and a.keys == b.keys else None)
        score, common = _whole(prepared_a.keys, b_hashes)
        if score >= self.recycled:
            return True, (score, False)
        if common < self.min_shared_bigrams:
            return True, None
        return False, None

    def match(self, a: PassageKeys, prepared_a: Prepared, b: PassageKeys,
              prepared_b: Prepared) -> tuple[float, bool] | None:
        """What ``ReuseStage._match`` gives for the two passages (see the module's docstring)."""
        # The key counts from the arrays: a stored passage's key strings may not be made yet.
        count_a, count_b = prepared_a.keys.size, prepared_b.keys.size
        if count_a < self.min_fuzzy_keys or count_b < self.min_fuzzy_keys:
            return (1.0, False) if count_a == count_b and a.keys == b.keys else None
        score, kind = _check(prepared_a.keys, prepared_a.parts, prepared_a.bounds, prepared_b.keys,
                             prepared_b.parts, prepared_b.bounds, self.recycled, self.min_shared_bigrams,
                             self.min_sentence_keys, self.partial)
        return None if kind == 0 else (score, kind == 2)


__all__ = ["PairKernel", "Prepared", "key_hashes"]
