"""The shingle-hashing and MinHash kernel: a pure function over a batch of texts, in NumPy.

Tokenising and hashing words one by one in Python is ~95% of a classic MinHash
pipeline. Here the whole batch is one byte array: word boundaries, per-word
polynomial hashes, k-word shingles and the permutations are all array operations,
so the cost per article is a few vectorised passes instead of a Python loop per
word. The Spark job calls the very same functions inside its partitions.

Algorithm (``ALGORITHM``, recorded with every stored signature):

* text → UTF-8; a byte is part of a word when it is an ASCII letter or digit or
  belongs to a non-ASCII character, except the general-punctuation block and the
  superscripts after it (U+2000–U+207F: dashes, curly quotes; every character whose UTF-8
  starts E2 80 or E2 81) and Latin-1 punctuation (U+00A0–U+00BF:
  no-break space, guillemets); ASCII letters are folded to lower case byte-wise
  (non-ASCII letters keep their case: ``str.lower`` would cost more than all the rest);
* word hash = Σ byte·P^(i−start) over the word's bytes (mod 2^64), computed for all
  words at once as a prefix-weighted sum times P^(−start) (mixed at the shingle step);
* shingle hash of words w_i..w_{i+k−1} = splitmix64(Σ hash(w_{i+j})·C_j); a text of
  fewer than k words is one shingle of all its words;
* signature: one-permutation hashing. A shingle hash x falls in bin
  ``(x >> 32)·m >> 32`` with value ``x & 0xFFFFFFFF``; each bin keeps its minimum,
  and empty bins are filled by optimal densification (Shrivastava, ICML 2017), so
  that P[sig_a[j] == sig_b[j]] = Jaccard(a, b) with one hash per shingle instead
  of m.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import SettingsError

ALGORITHM = "storyline-oph-1"

_P = np.uint64(0x100000001B3)  # FNV prime: odd, large, well mixed
_SHINGLE_CONSTANTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                               0x27D4EB2F165667C5, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
                               0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53], dtype=np.uint64)
_EMPTY = np.iinfo(np.uint32).max


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise on uint64 (wrapping arithmetic is intended)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)  # a new array, worked on in place from here
    shifted = x >> np.uint64(30)
    x ^= shifted
    x *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(x, np.uint64(27), out=shifted)
    x ^= shifted
    x *= np.uint64(0x94D049BB133111EB)
    np.right_shift(x, np.uint64(31), out=shifted)
    x ^= shifted
    return x


@lru_cache(maxsize=None)
def _mixed_seed(seed: int) -> np.uint64:
    return np.uint64(splitmix64(np.array([seed], dtype=np.uint64))[0])


# Byte → the value hashed: lower-cased for ASCII letters, itself for digits and non-ASCII
# bytes, 0 (not part of a word) for everything else.
_BYTE_VALUE = np.zeros(256, dtype=np.uint8)
_BYTE_VALUE[list(b"0123456789abcdefghijklmnopqrstuvwxyz")] = list(b"0123456789abcdefghijklmnopqrstuvwxyz")
_BYTE_VALUE[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")] = list(b"abcdefghijklmnopqrstuvwxyz")
_BYTE_VALUE[0x80:] = np.arange(0x80, 0x100)
_P_INV = pow(int(_P), -1, 1 << 64)
_MAX_CHUNK_CHARS = 1 << 18
_TABLE_SIZE = 1 << 20  # covers a chunk of 2^18 characters of up to 4 UTF-8 bytes each


def _tables_for(size: int) -> tuple[np.ndarray, np.ndarray]:
    # One cached pair of 8 MB tables serves every chunk; only a single huge text needs more.
    return _power_tables(_TABLE_SIZE) if size <= _TABLE_SIZE else _power_tables.__wrapped__(size)


@lru_cache(maxsize=1)
def _power_tables(size: int) -> tuple[np.ndarray, np.ndarray]:
    """P^i and P^-i (mod 2^64) for i < size, built by doubling; constants, hence cached."""
    pw = np.ones(size, dtype=np.uint64)
    inv = np.ones(size, dtype=np.uint64)
    step = 1
    while step < size:
        n = min(step, size - step)
        pw[step:step + n] = pw[:n] * np.uint64(pow(int(_P), step, 1 << 64))
        inv[step:step + n] = inv[:n] * np.uint64(pow(_P_INV, step, 1 << 64))
        step *= 2
    return pw, inv


# The same mapping for ``bytes.translate``, several times faster than indexing an array with the bytes.
_BYTE_TABLE = _BYTE_VALUE.tobytes()


def _byte_values(data: bytes) -> np.ndarray:
    values = np.frombuffer(data.translate(_BYTE_TABLE), dtype=np.uint8)
    e2, c2 = b"\xe2" in data, b"\xc2" in data
    if not (e2 or c2):
        return values
    values = values.copy()  # writable
    buf = np.frombuffer(data, dtype=np.uint8)
    # U+2000–U+207F is E2 80 xx / E2 81 xx; U+00A0–U+00BF is C2 A0–BF.
    if e2:
        lead = np.flatnonzero(buf[:-2] == 0xE2)
        lead = lead[(buf[lead + 1] == 0x80) | (buf[lead + 1] == 0x81)]
        for shift in range(3):
            values[lead + shift] = 0
    if c2:
        lead = np.flatnonzero(buf[:-1] == 0xC2)
        lead = lead[(buf[lead + 1] >= 0xA0) & (buf[lead + 1] <= 0xBF)]
        values[lead] = 0
        values[lead + 1] = 0
    return values


def _chunks(texts: list[str]) -> list[tuple[int, list[str]]]:
    """Consecutive groups of texts of at most 2^18 characters, with the index of their first text."""
    groups: list[tuple[int, list[str]]] = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        if i > start and size + len(text) > _MAX_CHUNK_CHARS:
            groups.append((start, texts[start:i]))
            start, size = i, 0
        size += len(text) + 1
    groups.append((start, texts[start:]))
    return groups


def word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word of every text, and the index of the text each word came from."""
    hashes, counts = _words(texts)
    return hashes, np.repeat(np.arange(len(texts)), counts)


def _words(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word of every text, in text order, and how many words each text has."""
    groups = _chunks(texts)
    if len(groups) == 1:
        return _word_hashes_chunk(texts)
    done = [_word_hashes_chunk(group) for _, group in groups]
    return np.concatenate([h for h, _ in done]), np.concatenate([c for _, c in done])


def _word_hashes_chunk(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    # Each text encoded alone, so their ends are known from their lengths; NUL separates them
    # (not a word byte, so words never span two texts, even when a text holds NUL itself).
    encoded = [t.encode("utf-8", errors="replace") for t in texts]
    data = b"\x00".join(encoded)
    if len(data) < 3:
        data += b" " * (3 - len(data))
    values = _byte_values(data)
    is_word = values != 0
    starts = np.flatnonzero(is_word[1:] > is_word[:-1]) + 1
    if is_word[0]:
        starts = np.concatenate(([0], starts))
    if starts.size == 0:
        return np.empty(0, np.uint64), np.zeros(len(texts), np.int64)
    pw, inv = _tables_for(values.size)
    # Non-word bytes are 0, so each word's sum up to the next word's start is P^start · its hash.
    weighted = np.multiply(values, pw[:values.size], dtype=np.uint64)
    hashes = np.add.reduceat(weighted, starts)
    hashes *= inv[starts]
    # Each text's words: those starting before the end of its bytes.
    if len(encoded) == 1:
        return hashes, np.array([starts.size], np.int64)
    bounds = np.searchsorted(starts, np.cumsum([len(e) + 1 for e in encoded]))
    return hashes, np.diff(bounds, prepend=0)


@dataclass(frozen=True, slots=True)
class MinHasher:
    """MinHash signatures of texts over k-word shingles (one-permutation hashing).

    Args:
        num_perm: signature length (number of bins).
        shingle: words per shingle (k).
        seed: signatures are comparable only with the same seed.
    """

    num_perm: int = 128
    shingle: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.num_perm <= 4096:
            raise SettingsError(f"num_perm must be between 1 and 4096, got {self.num_perm}")
        if not 1 <= self.shingle <= len(_SHINGLE_CONSTANTS):
            raise SettingsError(f"shingle must be between 1 and {len(_SHINGLE_CONSTANTS)} words, got {self.shingle}")

    @property
    def version(self) -> str:
        """Identifies signatures that can be compared with each other."""
        return f"{ALGORITHM};k={self.shingle};perm={self.num_perm};seed={self.seed}"

    def shingle_hashes(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(shingle hashes, text index of each), in text order; repeats within a text kept."""
        words, counts = _words(texts)
        n = len(texts)
        if words.size == 0:
            return words, np.empty(0, np.int64)
        k, seed = self.shingle, _mixed_seed(self.seed)
        if k == 1:
            return splitmix64(words ^ seed), np.repeat(np.arange(n), counts)
        per_text = np.maximum(counts - (k - 1), 0)
        m = words.size - k + 1
        if m > 0:
            combined = words[:m] * _SHINGLE_CONSTANTS[0]
            for j in range(1, k):
                combined += words[j:j + m] * _SHINGLE_CONSTANTS[j]
            if per_text.sum() < m:
                # Windows starting in a text's last k−1 words run into the next text.
                keep = np.ones(m, dtype=bool)
                ends = np.cumsum(counts)
                for back in range(1, k):
                    cut = ends - back
                    keep[cut[(cut >= 0) & (cut < m)]] = False
                combined = combined[keep]
            combined ^= seed
            shingles = splitmix64(combined)
        else:
            shingles = np.empty(0, np.uint64)
        owners = np.repeat(np.arange(n), per_text)
        # Texts shorter than k words get one shingle of all their words.
        short = np.flatnonzero((counts > 0) & (counts < k))
        if short.size:
            ends = np.cumsum(counts)
            extra = np.zeros(short.size, dtype=np.uint64)
            for n_short, t in enumerate(short):
                members = words[ends[t] - counts[t]:ends[t]]
                extra[n_short] = np.sum(members * _SHINGLE_CONSTANTS[:members.size], dtype=np.uint64)
            shingles = np.concatenate((shingles, splitmix64(extra ^ seed)))
            owners = np.concatenate((owners, short))
            order = np.argsort(owners, kind="stable")
            shingles, owners = shingles[order], owners[order]
        return shingles, owners

    def shingle_sets(self, texts: list[str]) -> list[np.ndarray]:
        """The set (sorted unique array) of shingle hashes of each text: exact Jaccard needs these."""
        shingles, owners = self.shingle_hashes(texts)
        bounds = np.searchsorted(owners, np.arange(len(texts) + 1))
        return [sorted_unique(shingles[bounds[i]:bounds[i + 1]]) for i in range(len(texts))]

    def signatures(self, texts: list[str]) -> np.ndarray:
        """A ``(len(texts), num_perm)`` uint32 matrix; a text without words is all ``0xFFFFFFFF``."""
        shingles, owners = self.shingle_hashes(texts)
        return self.signatures_from_shingles(shingles, owners, len(texts))

    def signatures_from_shingles(self, shingles: np.ndarray, owners: np.ndarray, n_texts: int) -> np.ndarray:
        m = self.num_perm
        flat = np.full(n_texts * m, _EMPTY, dtype=np.uint32)
        if shingles.size:
            bins = (((shingles >> np.uint64(32)) * np.uint64(m)) >> np.uint64(32)).astype(np.int64)
            values = (shingles & np.uint64(0xFFFFFFFF)).astype(np.uint32)
            # The all-ones value marks an empty bin; a real hash of that value is nudged by one.
            np.minimum(values, np.uint32(_EMPTY - 1), out=values)
            np.minimum.at(flat, owners * m + bins, values)
        sig = flat.reshape(n_texts, m)
        _densify(sig)
        return sig


def _densify(sig: np.ndarray) -> None:
    """Optimal densification: an empty bin j takes the value of bin h(j, t) for the first
    attempt t that lands on a filled bin; the sequence h(j, ·) is the same for every text."""
    m = sig.shape[1]
    filled = sig != _EMPTY
    has_any = filled.any(axis=1)
    rows, cols = np.nonzero(~filled & has_any[:, None])
    attempt = 0
    while rows.size:
        attempt += 1
        key = cols.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(attempt)
        probe = ((splitmix64(key) >> np.uint64(32)) * np.uint64(m) >> np.uint64(32)).astype(np.int64)
        donated = filled[rows, probe]
        sig[rows[donated], cols[donated]] = sig[rows[donated], probe[donated]]
        rows, cols = rows[~donated], cols[~donated]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: NumPy 2's hash-based unique is several times slower on uint64."""
    if values.size < 2:
        return values.copy()
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    if a.size == 0 and b.size == 0:
        return 0.0
    if a.size > b.size:
        a, b = b, a
    inter = 0
    if a.size:
        # Where each of the smaller set's hashes would go in the larger: there when equal.
        at = np.searchsorted(b, a)
        np.minimum(at, b.size - 1, out=at)
        inter = int(np.count_nonzero(b[at] == a))
    return inter / (a.size + b.size - inter)


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The MinHash estimate: the fraction of equal signature positions. A signature kept narrower
    (the store keeps each value's low 16 bits) is compared with the other's values cut as it was."""
    if sig_a.dtype.itemsize != sig_b.dtype.itemsize:
        narrow = sig_a.dtype if sig_a.dtype.itemsize < sig_b.dtype.itemsize else sig_b.dtype
        sig_a, sig_b = sig_a.astype(narrow), sig_b.astype(narrow)
    return float(np.mean(sig_a == sig_b))
