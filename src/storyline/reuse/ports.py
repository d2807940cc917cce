"""What the reuse stage asks of storage: the narrow port a store (or an in-memory index) implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..records import Article, PassageRef, Span
from ..text.passages import PassageKeys, SentenceRun, passage_keys
from .sentences import SentenceKeys, sentence_keys, sentences_of_runs


@dataclass(slots=True, frozen=True)
class StoredArticle:
    """A stored article as near-duplicate detection sees it."""

    seq: int
    id: str
    duplicate_of: str | None
    text: str
    root_seq: int  # seq of the original it copies (its own seq when it is an original)

    @property
    def root(self) -> str:
        return self.duplicate_of or self.id


@dataclass(slots=True)
class StoredPassage:
    """A stored passage as provenance sees it. Treated as a value: only the memo of its
    sentences' keys is ever set after it is made."""

    article_seq: int
    article_id: str
    index: int
    text: str
    status: str
    root: PassageRef  # where this content was first seen: itself, or its own first_seen
    root_seq: int
    keys: PassageKeys  # its transliteration-tolerant keys (computed once, as it is read)
    known_sentences: tuple[SentenceKeys, ...] | None = None  # see ``sentences``
    spans: tuple[Span, ...] = ()  # its sentences as stored (relative to it); () when not known
    # Its sentences as runs of ``keys`` (start, end, first key, last key + 1, words), when an
    # index kept them so (see ``storyline.store.passage_cache``): ``sentences`` are then made
    # from the keys without keying the text again.
    sentence_runs: tuple[tuple[int, int, int, int, int], ...] | None = None

    @property
    def sentences(self) -> tuple[SentenceKeys, ...]:
        """Its sentences' keys: from featurize for an article just stored, else made the first
        time a partial match asks (most passages read back only ever match or miss whole), and
        kept as long as an index keeps the passage."""
        if self.known_sentences is None:
            runs = self.sentence_runs
            if runs is not None:
                self.known_sentences = sentences_of_runs(self.keys.keys, runs)
            else:
                self.known_sentences = sentence_keys(self.text, self.spans)
        return self.known_sentences


def stored_passage(article_seq: int, article_id: str, index: int, text: str, status: str,
                   first_seen: PassageRef | None, first_seen_seq: int | None,
                   keys: PassageKeys | None = None,
                   sentences: tuple[SentenceKeys, ...] | None = None,
                   spans: tuple[Span, ...] = (),
                   runs: tuple[SentenceRun, ...] | None = None) -> StoredPassage:
    """A stored passage, its root being its own first_seen when it has one, else itself
    (``keys``, ``sentences``: its keys and its sentences' when already computed; else the keys
    are computed here, the sentences' when first asked for, from ``runs`` (where ``spans`` lie
    in ``keys``: :func:`~storyline.text.passages.keys_and_runs`) or else ``spans`` when given)."""
    keys = keys if keys is not None else passage_keys(text)
    if first_seen is not None and first_seen_seq is not None:
        return StoredPassage(article_seq, article_id, index, text, status, first_seen, first_seen_seq, keys, sentences,
                             spans, runs)
    return StoredPassage(article_seq, article_id, index, text, status, PassageRef(article_id, index), article_seq, keys,
                         sentences, spans, runs)


@dataclass(slots=True, frozen=True)
class CheckedPair:
    """A passage checked against a stored one before resolve asked (the batch job checks its
    candidate pairs on the executors, with the stage's own :meth:`~storyline.reuse.stage.ReuseStage.check_keyed`):
    ``match`` is what the stage's check gives, ``(score, partial)`` or ``None``; ``spans``, the
    copied characters of each (this passage's, then the stored one's), when they match."""

    match: tuple[float, bool] | None
    spans: tuple[Span, Span] | None = None


class ReuseIndex(Protocol):
    """Signatures and LSH band keys of stored articles and passages, in ingest order.

    ``storyline.store.reuse_index.SqliteReuseIndex`` keeps them in the store,
    ``storyline.reuse.memory_index.MemoryReuseIndex`` in memory."""

    def check_algorithm(self, version: str, continues: Sequence[str] = ()) -> None: ...
    def remember(self, seq: int, article: Article, keys: Sequence[PassageKeys] = (),
                 sentences: Sequence[tuple[SentenceKeys, ...]] = ()) -> None: ...
    def add_article(self, seq: int, signature: np.ndarray, keys: np.ndarray) -> None: ...
    def article_candidates(self, keys: np.ndarray, limit: int) -> list[StoredArticle]: ...
    def signatures(self, seqs: list[int]) -> dict[int, np.ndarray]: ...
    def add_passages(self, seq: int, keys_by_index: dict[int, np.ndarray]) -> None: ...
    def passage_candidates(self, keys: np.ndarray, limit: int, top: int,
                           min_shared: int = 1) -> list[tuple[int, int]]: ...
    def passages_candidates(self, keys: Sequence[np.ndarray], limit: int, top: int,
                            min_shared: int = 1) -> list[list[tuple[int, int]]]:
        """:meth:`passage_candidates` of each of an article's passages (their band keys, in
        order), asked at once: an article's passages never find each other."""
        ...

    def settle(self) -> bool: ...
    def refresh(self) -> None: ...
    def passage(self, seq: int, index: int) -> StoredPassage: ...
    def passage_root(self, seq: int, index: int) -> tuple[PassageRef, str, int]:
        """A stored passage's root, status and root's seq (:class:`StoredPassage`): what the
        stage needs to decide whether to check it, without it being made ready to check."""
        ...

    def checked(self, article_id: str, index: int, stored: StoredPassage) -> CheckedPair | None:
        """Passage ``index`` of the article being resolved against ``stored``, when that pair was
        checked beforehand; ``None``: the stage checks it."""
        ...

    def original(self, article_id: str) -> tuple[str | None, float | None] | None:
        """The near-duplicate verdict of the article being resolved (its original and the
        similarity, or ``(None, None)``: not a copy), when it was found beforehand; ``None``:
        the stage finds it."""
        ...
