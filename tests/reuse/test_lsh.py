import numpy as np
import pytest

from storyline.errors import SettingsError
from storyline.reuse.kernel import MinHasher
from storyline.reuse.lsh import band_keys, check_bands, collision_probability


def test_bands_must_divide_signature():
    assert check_bands(128, 16) == 8
    with pytest.raises(SettingsError, match=r"bands \(9\) must divide num_perm \(128\)"):
        check_bands(128, 9)


def test_equal_bands_equal_keys_and_band_index_matters():
    sig = np.zeros((2, 16), dtype=np.uint32)
    sig[1, 8:] = 5
    keys = band_keys(sig, 2)
    assert keys.dtype == np.int64 and keys[0, 0] == keys[1, 0] and keys[0, 1] != keys[1, 1]
    same_rows = np.zeros((1, 16), dtype=np.uint32)
    assert band_keys(same_rows, 2)[0, 0] != band_keys(same_rows, 2)[0, 1]


def test_collision_rate_follows_the_s_curve():
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    hasher = MinHasher(num_perm=128, shingle=1)
    hits = 0
    trials = 300
    for _ in range(trials):
        words = list(rng.choice(vocab, 60, replace=False))
        other = words[:48] + list(rng.choice(vocab, 12, replace=False))  # Jaccard ≈ 0.67
        keys = band_keys(hasher.signatures([" ".join(words), " ".join(other)]), 16)
        hits += bool(set(keys[0]) & set(keys[1]))
    expected = collision_probability(48 / 72, 16, 8)
    assert abs(hits / trials - expected) < 0.12
