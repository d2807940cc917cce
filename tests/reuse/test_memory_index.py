"""The in-memory index's article band postings: a key held by one article is kept as its seq,
by several as a list; the candidates are those the plain lists give."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.records import Article
from storyline.reuse.memory_index import MemoryReuseIndex

KEYS = st.lists(st.integers(-3, 12), min_size=1, max_size=6)


def _lists_candidates(postings: dict[int, list[int]], keys: list[int], limit: int) -> list[int]:
    hits: Counter[int] = Counter()
    for key in keys:
        for seq in postings.get(key, [])[:limit]:
            hits[seq] += 1
    return [seq for seq, _ in hits.most_common(limit)]


@settings(max_examples=200, deadline=None)
@given(st.lists(KEYS, min_size=1, max_size=25), KEYS, st.integers(0, 4))
def test_article_candidates_are_those_of_plain_lists(stored, query, limit):
    index = MemoryReuseIndex()
    postings: dict[int, list[int]] = {}
    for seq, keys in enumerate(stored, start=1):
        index.remember(seq, Article(id=f"a{seq}", text=f"text {seq}", passages=[]))
        index.add_article(seq, np.zeros(4, np.uint32), np.array(keys, dtype=np.int64))
        for key in keys:
            postings.setdefault(key, []).append(seq)
    found = index.article_candidates(np.array(query, dtype=np.int64), limit)
    assert [c.seq for c in found] == _lists_candidates(postings, query, limit)
    assert all(c.text == f"text {c.seq}" and c.root_seq == c.seq for c in found)
