"""Disjoint sets: the earliest member is the root; join_alike is single-link over text similarity."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.text.groups import DisjointSets
from storyline.text.passages import passage_keys, passage_similarity

TEXTS = ["Russia was training ten thousand North Korean soldiers for the war",
         "Russia was training 10,000 North Korean soldiers for the war in Ukraine",
         "the information about DPRK soldiers sent to the front was not true",
         "the Pentagon confirmed that DPRK troops had arrived in Russia",
         "troops had arrived in Russia, the Pentagon confirmed"]


def test_the_root_is_the_smallest_member_whatever_the_order_of_joins():
    sets = DisjointSets(5)
    sets.union(4, 3)
    sets.union(3, 1)
    assert sets.find(4) == sets.find(3) == 1
    assert sets.groups() == {0: [0], 1: [1, 3, 4], 2: [2]}
    assert sets.groups([4, 2]) == {1: [4], 2: [2]}


def _naive(n: int, joined: list[tuple[int, int]], members: list[int], texts: list[str], threshold: float):
    sets = DisjointSets(n)
    for i, j in joined:
        sets.union(i, j)
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            if passage_similarity(passage_keys(texts[x]), passage_keys(texts[y])) >= threshold:
                sets.union(members[x], members[y])
    return sets.groups()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(range(len(TEXTS))), min_size=1, max_size=14),
       st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=6),
       st.sampled_from([0.3, 0.5, 0.8]))
def test_join_alike_groups_as_comparing_every_pair_would(text_ids, joined, threshold):
    n = len(text_ids)
    joined = [(i % n, j % n) for i, j in joined]
    texts = [TEXTS[t] for t in text_ids]
    sets = DisjointSets(n)
    for i, j in joined:
        sets.union(i, j)
    sets.join_alike(list(range(n)), texts, threshold)
    assert sets.groups() == _naive(n, joined, list(range(n)), texts, threshold)
