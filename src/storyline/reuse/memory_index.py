"""An in-memory :class:`~storyline.reuse.stage.ReuseIndex`: for comparing files without a store,
for benchmarks, and for the batch job's partitions. Same answers as the SQLite index."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from ..errors import StoreError
from ..records import Article, PassageRef
from ..text.passages import PassageKeys, keys_and_runs
from .ports import CheckedPair, StoredArticle, StoredPassage, stored_passage
from .sentences import SentenceKeys


class MemoryReuseIndex:
    def __init__(self) -> None:
        self._version: str | None = None
        self._articles: dict[int, Article] = {}
        self._seq_by_id: dict[str, int] = {}
        self._signatures: dict[int, np.ndarray] = {}
        # band key → the seq of the one article holding it, or a list once several do: most keys
        # are held by one article, and a list for each would be ~16 more objects an article for
        # the garbage collector to walk (a full collection over 10,000 articles' took 0.3 s)
        self._article_bands: dict[int, int | list[int]] = {}
        self._passage_bands: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._passages: dict[tuple[int, int], StoredPassage] = {}

    def check_algorithm(self, version: str, continues: Sequence[str] = ()) -> None:
        if self._version is None or self._version in continues:
            self._version = version
        elif self._version != version:
            raise StoreError(f"index built with {self._version!r}, asked for {version!r}")

    def remember(self, seq: int, article: Article, keys: Sequence[PassageKeys] = (),
                 sentences: Sequence[tuple[SentenceKeys, ...]] = ()) -> None:
        """The in-memory index keeps the articles themselves (the SQLite one reads the store)."""
        self._articles[seq] = article
        self._seq_by_id[article.id] = seq

    def add_article(self, seq: int, signature: np.ndarray, keys: np.ndarray) -> None:
        self._signatures[seq] = signature
        bands = self._article_bands
        for key in keys.tolist():
            held = bands.get(key)
            if held is None:
                bands[key] = seq
            elif isinstance(held, int):
                bands[key] = [held, seq]
            else:
                held.append(seq)

    def article_candidates(self, keys: np.ndarray, limit: int) -> list[StoredArticle]:
        bands = self._article_bands
        found = [held for held in map(bands.get, keys.tolist()) if held is not None]
        if not found or limit < 1:
            return []
        hits: Counter[int] = Counter()
        for held in found:
            if isinstance(held, int):
                hits[held] += 1
            else:
                for seq in held[:limit]:
                    hits[seq] += 1
        out = []
        for seq, _ in hits.most_common(limit):
            a = self._articles[seq]
            root_seq = self._seq_by_id.get(a.duplicate_of, seq) if a.duplicate_of else seq
            out.append(StoredArticle(seq, a.id, a.duplicate_of, a.text, root_seq))
        return out

    def signatures(self, seqs: list[int]) -> dict[int, np.ndarray]:
        return {s: self._signatures[s] for s in seqs if s in self._signatures}

    def add_passages(self, seq: int, keys_by_index: dict[int, np.ndarray]) -> None:
        for idx, keys in keys_by_index.items():
            for key in keys.tolist():
                self._passage_bands[key].append((seq, idx))

    def passage_candidates(self, keys: np.ndarray, limit: int, top: int, min_shared: int = 1) -> list[tuple[int, int]]:
        hits: Counter[tuple[int, int]] = Counter()
        for key in keys.tolist():
            for pair in self._passage_bands.get(key, ())[:limit]:
                hits[pair] += 1
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:top]
        least = min(min_shared, ranked[0][1]) if ranked else min_shared
        return [pair for pair, shared in ranked if shared >= least]

    def passages_candidates(self, keys: Sequence[np.ndarray], limit: int, top: int,
                            min_shared: int = 1) -> list[list[tuple[int, int]]]:
        return [self.passage_candidates(k, limit, top, min_shared) for k in keys]

    def settle(self) -> bool:
        """Nothing to settle: the lists are the index."""
        return False

    def refresh(self) -> None:
        """Nothing is read from elsewhere."""

    def checked(self, article_id: str, index: int, stored: StoredPassage) -> CheckedPair | None:
        """Nothing is checked beforehand: the stage checks every pair."""
        return None

    def original(self, article_id: str) -> tuple[str | None, float | None] | None:
        """Nothing is found beforehand: the stage finds every near-duplicate."""
        return None

    def passage_root(self, seq: int, index: int) -> tuple[PassageRef, str, int]:
        stored = self.passage(seq, index)
        return stored.root, stored.status, stored.root_seq

    def passage(self, seq: int, index: int) -> StoredPassage:
        stored = self._passages.get((seq, index))
        if stored is None:
            article = self._articles[seq]
            p = article.passages[index]
            root_seq = self._seq_by_id.get(p.first_seen.article_id, seq) if p.first_seen is not None else None
            # kept, as the articles are: keyed once, its sentences runs of its keys
            keys, runs = keys_and_runs(p.text, p.sentences)
            stored = self._passages[seq, index] = stored_passage(seq, article.id, index, p.text, p.status,
                                                                 p.first_seen, root_seq, keys, spans=p.sentences,
                                                                 runs=runs)
        return stored
