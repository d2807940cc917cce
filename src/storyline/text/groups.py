"""Grouping reports of one thing: disjoint sets where the earliest member stays the root.

Timeline entries, a story's claims and its speakers are all built by joining items
(events, statements, name mentions) sorted in reading order; keeping the smallest index
as the root makes a group's first report its representative, whatever order the joins
came in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .passages import passage_keys, passage_similarity


class DisjointSets:
    """Union-find over ``0..n-1``; :meth:`find` gives the smallest index of the group."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def join_alike(self, members: Sequence[int], texts: Sequence[str], threshold: float) -> None:
        """Join the ``members`` whose texts (``texts[k]`` for ``members[k]``) read alike: passage
        similarity (:func:`~storyline.text.passages.passage_similarity`) at least ``threshold``."""
        # Members already joined with the same text compare alike with everything: one stands for
        # all (a story of a thousand articles repeats its background statements verbatim).
        seen: dict[tuple[int, str], int] = {}
        for k, i in enumerate(members):
            seen.setdefault((self.find(i), texts[k]), k)
        keys = {k: passage_keys(texts[k]) for k in seen.values()}
        # Single link, incrementally: each member meets the groups formed so far and joins every
        # one that holds a member it reads like, stopping at the first such member of a group.
        groups: dict[int, list[int]] = {}  # root -> positions (in members) of the members met so far
        for k in seen.values():
            root = self.find(members[k])
            for other in list(groups):
                if other == root or other not in groups:  # joined into this one earlier in the loop
                    continue
                if any(passage_similarity(keys[k], keys[m]) >= threshold for m in groups[other]):
                    self.union(members[k], members[groups[other][0]])
                    joined = groups.pop(other) + groups.pop(root, [])
                    root = self.find(members[k])
                    groups[root] = joined
            groups.setdefault(root, []).append(k)

    def groups(self, members: Sequence[int] | None = None) -> dict[int, list[int]]:
        """Root → members in index order, over ``members`` (default: all)."""
        out: dict[int, list[int]] = defaultdict(list)
        for i in members if members is not None else range(len(self._parent)):
            out[self.find(i)].append(i)
        return out
