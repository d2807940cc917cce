"""The filter of band keys held in the reuse index's lower levels: never "held nowhere" for a key
it was given, rarely "maybe" for one it was not."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from storyline.store.key_filter import KeyFilter
from storyline.store.reuse_index import KEY_MASK, _key_array, _key_blob

_keys = st.lists(st.integers(0, KEY_MASK), max_size=300)


@given(batches=st.lists(_keys, max_size=6), capacity=st.integers(1, 64))
def test_every_key_added_may_be_held_however_the_filter_grew(batches, capacity):
    held = KeyFilter(limit=10_000, capacity=capacity)  # small blooms: the chain grows
    for batch in batches:
        assert held.add(np.array(batch, dtype=np.uint64))
    assert all(held.may_hold(k) for batch in batches for k in batch)


def test_keys_never_added_are_mostly_said_to_be_held_nowhere():
    rng = np.random.default_rng(0)
    held = KeyFilter(limit=1_000_000, capacity=50_000)
    assert held.add(rng.integers(0, KEY_MASK, 200_000, dtype=np.uint64))  # the chain: 50k, 100k, 200k
    others = rng.integers(0, KEY_MASK, 100_000, dtype=np.uint64).tolist()
    assert sum(map(held.may_hold, others)) < 0.05 * len(others)
    assert held.nbytes < 200_000 * 2 * 10 // 8 * 2


@given(added=_keys, asked=_keys)
def test_in_bulk_and_one_at_a_time_it_answers_alike(added, asked):
    held = KeyFilter(limit=10_000, capacity=16)
    held.add(np.array(added, dtype=np.uint64))
    for bloom in held._blooms:
        assert bloom.may_hold_many(np.array(asked, dtype=np.uint64)).tolist() == [bloom.may_hold(k) for k in asked]
    # the chain as a whole, from a list of ints as a lookup asks (an empty one too)
    assert held.may_hold_many(asked).tolist() == [held.may_hold(k) for k in asked]
    assert all(held.may_hold_many(added).tolist())


def test_past_its_limit_it_says_so():
    held = KeyFilter(limit=100, capacity=10)
    assert held.add(np.arange(100, dtype=np.uint64))
    assert held.add(np.arange(50, dtype=np.uint64))  # held already: no more keys counted
    assert not held.add(np.arange(100, 101, dtype=np.uint64))


@given(st.lists(st.integers(0, KEY_MASK), min_size=1, max_size=50))
def test_stored_key_blobs_read_back_as_the_keys(keys):
    assert _key_array([_key_blob(k) for k in keys]).tolist() == keys
