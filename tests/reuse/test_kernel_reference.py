"""The vectorised kernel against a plain, word-by-word reading of its documented algorithm
(``storyline.reuse.kernel``'s docstring), on arbitrary text: any faster way of computing it must
give these very numbers, since stored signatures and band keys are compared across versions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.reuse.kernel import MinHasher, word_hashes

MASK = (1 << 64) - 1
P = 0x100000001B3
CONSTANTS = [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
             0x94D049BB133111EB, 0xBF58476D1CE4E5B9, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53]


def splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def reference_words(text: str) -> list[int]:
    """Word hashes read byte by byte: ASCII letters folded, digits and non-ASCII bytes kept, the
    bytes of U+2000–U+207F (E2 80/81 xx) and U+00A0–U+00BF (C2 A0–BF) not word bytes."""
    data = text.encode("utf-8", errors="replace")
    values = []
    for b in data:
        if 0x30 <= b <= 0x39 or 0x61 <= b <= 0x7A or b >= 0x80:
            values.append(b)
        elif 0x41 <= b <= 0x5A:
            values.append(b + 32)
        else:
            values.append(0)
    for i, b in enumerate(data):
        if b == 0xE2 and i + 2 < len(data) and data[i + 1] in (0x80, 0x81):
            values[i] = values[i + 1] = values[i + 2] = 0
        elif b == 0xC2 and i + 1 < len(data) and 0xA0 <= data[i + 1] <= 0xBF:
            values[i] = values[i + 1] = 0
    words, current, power = [], None, 1
    for v in values + [0]:
        if v:
            if current is None:
                current, power = 0, 1
            current = (current + v * power) & MASK
            power = (power * P) & MASK
        elif current is not None:
            words.append(current)
            current = None
    return words


def reference_shingles(text: str, k: int, seed: int) -> list[int]:
    words, mixed = reference_words(text), splitmix(seed)
    if not words:
        return []
    if k == 1:
        return [splitmix(w ^ mixed) for w in words]
    if len(words) < k:
        return [splitmix((sum(w * c for w, c in zip(words, CONSTANTS)) & MASK) ^ mixed)]
    return [splitmix((sum(words[i + j] * CONSTANTS[j] for j in range(k)) & MASK) ^ mixed)
            for i in range(len(words) - k + 1)]


def reference_signature(shingles: list[int], m: int) -> list[int]:
    empty = 0xFFFFFFFF
    sig = [empty] * m
    for x in shingles:
        b = ((x >> 32) * m) >> 32
        sig[b] = min(sig[b], min(x & 0xFFFFFFFF, empty - 1))
    if all(v == empty for v in sig):
        return sig
    out = list(sig)
    for j in range(m):
        attempt = 0
        while out[j] == empty:
            attempt += 1
            probe = ((splitmix((j * 0x9E3779B97F4A7C15 + attempt) & MASK) >> 32) * m) >> 32
            if sig[probe] != empty:
                out[j] = sig[probe]
    return out


# Letters and digits of both cases, the punctuation the rules single out (and its neighbours
# just outside those ranges), other non-ASCII letters, NUL, whitespace.
CHARS = st.sampled_from(list("abcXYZ019 .,-\t\n\x00") + ["\u2019", "\u201c", "\u2014", "\u2060", "\u206f", "\u2070",
                        "\u207f", "\u2080", "\u1fff", "\u00a0", "\u00ab", "\u00bf", "\u00c0", "\u0080", "\u009f",
                        "é", "Ä", "İ", "Ω", "ж", "北", "\U0001f600", "\ud800"])
TEXTS = st.lists(st.text(CHARS, max_size=40), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_word_hashes_are_the_documented_ones(texts):
    hashes, owners = word_hashes(texts)
    expected = [(w, i) for i, t in enumerate(texts) for w in reference_words(t)]
    assert hashes.tolist() == [w for w, _ in expected]
    assert owners.tolist() == [i for _, i in expected]


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(1, 4), st.integers(0, 3), st.sampled_from([1, 7, 64, 128]))
def test_shingles_and_signatures_are_the_documented_ones(texts, k, seed, m):
    hasher = MinHasher(m, k, seed)
    shingles, owners = hasher.shingle_hashes(texts)
    expected = [(s, i) for i, t in enumerate(texts) for s in reference_shingles(t, k, seed)]
    assert shingles.tolist() == [s for s, _ in expected]
    assert owners.tolist() == [i for _, i in expected]
    signatures = hasher.signatures(texts)
    for i, t in enumerate(texts):
        assert signatures[i].tolist() == reference_signature(reference_shingles(t, k, seed), m)
    sets = hasher.shingle_sets(texts)
    for i, t in enumerate(texts):
        assert sets[i].tolist() == sorted(set(reference_shingles(t, k, seed)))


def test_a_long_batch_crosses_chunks_unchanged():
    """Texts spanning several 2^18-character chunks hash as they do alone."""
    texts = [f"word{i} “quoted” {'é' * (i % 5)} text {i % 17} " * 900 for i in range(12)]
    hashes, owners = word_hashes(texts)
    for i, t in enumerate(texts):
        assert hashes[owners == i].tolist() == reference_words(t)
    assert np.array_equal(MinHasher().signatures(texts)[3], MinHasher().signatures([texts[3]])[0])


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(0, 60)), st.sets(st.integers(0, 60)))
def test_jaccard_is_the_share_of_shared_hashes(a, b):
    from storyline.reuse.kernel import jaccard

    arrays = [np.array(sorted(x), dtype=np.uint64) for x in (a, b)]
    assert jaccard(*arrays) == (len(a & b) / len(a | b) if a | b else 0.0)
