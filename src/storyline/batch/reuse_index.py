"""The reuse index the batch job's store stage resolves against: the store's own index for
everything written and read back (signatures, band keys, passages), with band key lookups
answered from memory (:mod:`.postings`) instead of from the store's tables.

The answers are the store's: the postings hold, for every key two of the job's articles share,
exactly the rows a lookup reads from the store (its earliest ``cap``, among the rows written),
and they are ranked as the store ranks them. That holds while this job alone writes the store
and it started empty; once another writer has committed (:meth:`give_up`), or for a lookup
with another limit than the postings were made for, the store answers, and :attr:`lookups`
counts each.

It also answers, for the article being resolved, the passage pairs the executors checked
(:mod:`.pairs`): the loader hands it each article's verdicts with its ingest order
(:meth:`BatchReuseIndex.expect`) before the article's batch is written, and it maps each stored
article of the job to its ingest order as the article is stored. A pair they did not check is
checked by the stage, on the driver; :attr:`checks` counts both.

And it answers each article's near-duplicate verdict, where the executors found every article's
(:mod:`.near_duplicates`, into an empty store): the copies among the expected articles, by
ingest order; an expected article not among them is not a copy. Once it gives up, the stage
looks each article up again (:attr:`originals` counts both).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..pipeline.ports import CheckedPair, SentenceKeys, StoredArticle, StoredPassage
from ..records import Article, PassageRef
from ..store.reuse_index import KEY_MASK, SqliteReuseIndex
from ..text.passages import PassageKeys
from .pairs import Verdicts
from .postings import KeyPostings, packed, ranked, split


@dataclass(slots=True)
class Lookups:
    """Band key lookups of the store stage: answered from memory, or by the store."""

    memory: int = 0
    store: int = 0


@dataclass(slots=True)
class Checks:
    """Passage pair checks of the store stage: answered with the executors' verdicts, or left to
    the stage on the driver."""

    executors: int = 0
    driver: int = 0


def _narrow(keys: np.ndarray) -> np.ndarray:
    """Passage band keys as the store keeps them (:func:`storyline.store.reuse_index.store_key`)."""
    return np.asarray(keys, dtype=np.int64) & np.int64(KEY_MASK)


_NONE = KeyPostings(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), 0)


def refill(postings: tuple[KeyPostings, KeyPostings], store: SqliteReuseIndex) -> int:
    """The passage and the article ``postings`` of a job resumed on a store it alone wrote, filled
    with the rows that store holds for their keys, as the job's earlier run filled them while it
    wrote them (each key's earliest, in article order); the rows read."""
    passages, articles = postings
    read = 0
    for keys, seqs, indexes in store.stored_passage_rows():
        passages.extend(keys, packed(seqs, indexes))
        read += len(keys)
    for keys, seqs in store.stored_article_rows():
        articles.extend(keys, packed(seqs))
        read += len(keys)
    return read


class BatchReuseIndex:
    """See the module's docstring. ``postings`` hold the job's shared passage and article band
    keys (their caps: ``reuse.passage_postings``, ``reuse.max_candidates``); without them, the
    store answers every lookup (a job into a store that held articles)."""

    def __init__(self, store: SqliteReuseIndex, postings: tuple[KeyPostings, KeyPostings] | None,
                 copies: dict[int, tuple[str, float]] | None = None) -> None:
        self._store = store
        self._copies = copies  # ingest order → original and similarity, of every copy of the job
        self._passages, self._articles = postings or (_NONE, _NONE)
        self._exact = postings is None
        self.lookups = Lookups()
        self.checks = Checks()
        self.originals = Checks()
        self._expected: dict[str, tuple[int, list[bytes]]] = {}  # article id → its order, its pairs' records
        self._checked: dict[str, Verdicts] = {}  # made from those when first asked
        self._order_of: dict[int, int] | None = {}  # seq → ingest order, of the job's stored articles

    @property
    def from_memory(self) -> bool:
        """Whether band key lookups are answered from the postings (not given up)."""
        return not self._exact

    def give_up(self) -> None:
        """Another writer changed the store, or a transaction rolled back: what memory holds may
        not be what it holds (a rolled-back article's seq goes to the next one stored)."""
        self._exact = True
        self._order_of = None

    # -- pairs checked on the executors ------------------------------------------------
    def expect(self, article_id: str, order: int, records: list[bytes] | None) -> None:
        """The article ``article_id``, at ``order`` in the input, is to be resolved, with the
        verdicts of its pairs checked on the executors."""
        self._expected[article_id] = (order, records or [])

    def forget(self) -> None:
        """The expected articles were written (or not): their verdicts are not asked for again."""
        self._expected.clear()
        self._checked.clear()

    def checked(self, article_id: str, index: int, stored: StoredPassage) -> CheckedPair | None:
        order = None if self._order_of is None else self._order_of.get(stored.article_seq)
        pairs = self._checked.get(article_id)
        if pairs is None and article_id in self._expected:
            pairs = self._checked[article_id] = Verdicts(self._expected[article_id][1])
        found = None if order is None or pairs is None else pairs.get(index, order, stored.index)
        if found is None:
            self.checks.driver += 1
        else:
            self.checks.executors += 1
        return found

    def original(self, article_id: str) -> tuple[str | None, float | None] | None:
        expected = self._expected.get(article_id)
        if self._copies is None or expected is None or self._order_of is None:  # gave up
            self.originals.driver += 1
            return None
        self.originals.executors += 1
        return self._copies.get(expected[0], (None, None))

    # -- written through to the store ---------------------------------------------
    def check_algorithm(self, version: str, continues: Sequence[str] = ()) -> None:
        self._store.check_algorithm(version, continues)

    def remember(self, seq: int, article: Article, keys: Sequence[PassageKeys] = (),
                 sentences: Sequence[tuple[SentenceKeys, ...]] = ()) -> None:
        self._store.remember(seq, article, keys, sentences)
        expected = self._expected.get(article.id)
        if expected is not None and self._order_of is not None:
            self._order_of[seq] = expected[0]

    def add_article(self, seq: int, signature: np.ndarray, keys: np.ndarray) -> None:
        self._store.add_article(seq, signature, keys)
        self._articles.add(seq, 0, np.unique(keys))

    def add_passages(self, seq: int, keys_by_index: dict[int, np.ndarray]) -> None:
        self._store.add_passages(seq, keys_by_index)
        if not keys_by_index:
            return
        indexes = sorted(keys_by_index)  # a key's rows of one article, by index, as the store orders them
        keys = [np.unique(_narrow(keys_by_index[idx])) for idx in indexes]
        self._passages.extend(np.concatenate(keys), packed(seq, np.repeat(indexes, [len(k) for k in keys])))

    def settle(self) -> bool:
        return self._store.settle()

    def refresh(self) -> None:
        self._store.refresh()

    def signatures(self, seqs: list[int]) -> dict[int, np.ndarray]:
        return self._store.signatures(seqs)

    def passage(self, seq: int, index: int) -> StoredPassage:
        return self._store.passage(seq, index)

    def passage_root(self, seq: int, index: int) -> tuple[PassageRef, str, int]:
        return self._store.passage_root(seq, index)

    # -- band key lookups ------------------------------------------------------------
    def article_candidates(self, keys: np.ndarray, limit: int) -> list[StoredArticle]:
        if self._exact or limit != self._articles.cap:
            self.lookups.store += 1
            return self._store.article_candidates(keys, limit)
        self.lookups.memory += 1
        # counted in the store's order (key by key, each key's earliest first): ties keep it
        hits = Counter(split(row)[0] for row in self._articles.rows(keys).tolist())
        return self._store.stored_articles([seq for seq, _ in hits.most_common(limit)])

    def passages_candidates(self, keys: Sequence[np.ndarray], limit: int, top: int,
                            min_shared: int = 1) -> list[list[tuple[int, int]]]:
        if self._exact or limit != self._passages.cap:
            self.lookups.store += len(keys)
            return self._store.passages_candidates(keys, limit, top, min_shared)
        self.lookups.memory += len(keys)
        narrow = [_narrow(k) for k in keys]
        found = self._passages.rows_of_each(narrow)
        self._withhold_full(narrow, limit)
        return [ranked(rows, top, min_shared) for rows in found]

    def passage_candidates(self, keys: np.ndarray, limit: int, top: int, min_shared: int = 1) -> list[tuple[int, int]]:
        if self._exact or limit != self._passages.cap:
            self.lookups.store += 1
            return self._store.passage_candidates(keys, limit, top, min_shared)
        self.lookups.memory += 1
        narrow = _narrow(keys)
        found = self._passages.rows(narrow)
        self._withhold_full([narrow], limit)
        return ranked(found, top, min_shared)

    def _withhold_full(self, narrow: list[np.ndarray], limit: int) -> None:
        """The keys looked up that hold their ``limit`` rows get no more from this article, as a
        lookup in the store has it (rows after those are read by no lookup: a store the job
        wrote without this held keys of 42,123 rows, read whole by a stream going on with it)."""
        if narrow:
            full = self._passages.full(np.concatenate(narrow))
            if full.size:
                self._store.withhold(full.tolist(), limit)
