"""Resolve and store, on the driver: the featurized articles in ingest order through the
streaming engine's own writer (:meth:`storyline.pipeline.Runner.write`), a transaction per
``batch.write_batch`` articles.

Every decision that depends on what came before (the near-duplicate original, each passage's
verdict and ``first_seen``, the story an article joins, its events) is the runner's, against
the store, exactly as streaming makes it; the job saves it the featurize work and, into an
empty store, the band key lookups (:mod:`.reuse_index`: answered from memory, with the store's
answers), most passage pair checks (:mod:`.pairs`: made on the executors by the same check) and
the near-duplicate lookups (:mod:`.near_duplicates`: every article's verdict found on the
executors by the same rule).
The store is a normal storyline store: the CLI and the web UI read it and streaming ingest
continues it.

Resuming: the ingest order of the last article stored is written in the same transaction as
the article (``meta``, keyed by the job), so a job stopped at any point goes on after the last
committed batch, neither losing nor repeating one.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..pipeline.collector import fewer_collections
from ..pipeline.ports import EventSink, Existing, ReuseIndex, SeenInRun, StatementSink, StoryIndex
from ..pipeline.runner import Features, Runner
from ..records import Article, Rejection, SourceRef
from ..store import Store
from .postings import KeyPostings
from .reuse_index import BatchReuseIndex, Checks, Lookups

RESUME_KEY = "batch.resume."
# With each batch of a job whose lookups are answered from memory: the store's last article seq
# then. Still the last when the job is resumed, the store holds the job's articles alone, and its
# postings can be made again from it (storyline.batch.reuse_index.refill).
ALONE_KEY = "batch.alone."


@dataclass(slots=True, frozen=True)
class AlreadyStored:
    """An input article not stored because its id (or URL) is in the store or earlier in the input."""

    origin: SourceRef
    article_id: str
    existing_id: str
    reason: str
    other_text: bool = False  # its text is not the stored one's (see ``Existing.other_text``)


@dataclass(slots=True)
class Loaded:
    added: int = 0
    copies: int = 0  # of the added, copies of a stored text
    duplicates: list[AlreadyStored] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    resumed_after: int | None = None
    lookups: Lookups = field(default_factory=Lookups)
    checks: Checks = field(default_factory=Checks)
    originals: Checks = field(default_factory=Checks)  # near-duplicate verdicts: the executors', or looked up


def stored_through(store: Store, key: str) -> int | None:
    """The ingest order of the last article of the job ``key`` (:data:`RESUME_KEY` and the job)
    committed to ``store``; None before its first batch."""
    with store.transaction() as conn:  # the store's one way to its connection
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else None


def written_alone(store: Store, key: str) -> bool:
    """Whether every article ``store`` holds was stored by the job ``key`` (:data:`RESUME_KEY`
    and the job), with its lookups answered from memory throughout."""
    with store.transaction() as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_alone_key(key),)).fetchone()
        return row is not None and int(row[0]) == _last_seq(conn)


def _alone_key(key: str) -> str:
    return ALONE_KEY + key.removeprefix(RESUME_KEY)


def _last_seq(conn: Any) -> int:
    # seq is the rowid: another writer's article comes after the job's last
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])


class _ResumableSink:
    """The store as the runner's sink, recording the job's progress inside each write
    transaction; with ``postings``, its reuse index answers band key lookups from them while
    the store holds only what this sink wrote into it."""

    def __init__(self, store: Store, key: str, postings: tuple[KeyPostings, KeyPostings] | None = None,
                 copies: dict[int, tuple[str, float]] | None = None) -> None:
        self.store = store
        self.key = key
        self.last_order: int | None = None
        self._index = BatchReuseIndex(store.reuse_index(), postings, copies)
        self._written = False

    @property
    def lookups(self) -> Lookups:
        return self._index.lookups

    @property
    def checks(self) -> Checks:
        return self._index.checks

    @property
    def originals(self) -> Checks:
        return self._index.originals

    def expect(self, article_id: str, order: int, pairs: list[bytes] | None) -> None:
        self._index.expect(article_id, order, pairs)

    def forget(self) -> None:
        self._index.forget()

    @contextmanager
    def transaction(self) -> Iterator[object]:
        try:
            with self.store.transaction() as conn:
                yield conn
                if self.last_order is not None:
                    upsert = ("INSERT INTO meta (key, value) VALUES (?, ?)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    conn.execute(upsert, (self.key, str(self.last_order)))
                    alone = _alone_key(self.key)
                    if self._index.from_memory:
                        conn.execute(upsert, (alone, str(_last_seq(conn))))
                    else:
                        conn.execute("DELETE FROM meta WHERE key = ?", (alone,))
        except BaseException:
            self._index.give_up()  # it holds rows of the transaction rolled back
            raise
        self._written = True

    def resumed_after(self) -> int | None:
        return stored_through(self.store, self.key)

    def changed_elsewhere(self) -> bool:
        """Asked inside each write transaction. The store says so before this sink's first
        commit too: then it is checked still empty."""
        changed = self.store.changed_elsewhere()
        if changed and (self._written or self.store.count_articles()):
            self._index.give_up()
        return changed

    def find_existing(self, article_id: str, url: str | None) -> Existing | None:
        return self.store.find_existing(article_id, url)

    def original_of(self, content_hash: str) -> str | None:
        return self.store.original_of(content_hash)

    def insert_article(self, article: Article) -> int:
        return self.store.insert_article(article)

    def reuse_index(self) -> ReuseIndex:
        return self._index

    def story_index(self) -> StoryIndex:
        return self.store.story_index()

    def timeline_index(self) -> EventSink:
        return self.store.timeline_index()

    def statement_index(self) -> StatementSink:
        return self.store.statement_index()


# order, location, line, article, features, failure, the records of its pairs checked on the executors
FeatureRow = tuple[int, str, "int | None", "bytes | None", "bytes | None", "str | None", "list[bytes] | None"]


def load(rows: Iterable[FeatureRow], store: Store, runner: Runner, job: str, write_batch: int,
         on_batch: Callable[[int], None] | None = None,
         postings: tuple[KeyPostings, KeyPostings] | None = None,
         copies: dict[int, tuple[str, float]] | None = None) -> Loaded:
    """Store the featurized rows (``order, location, line, article, features, failure, pairs``),
    which come in ingest order, as the streaming engine stores articles: an article whose id or URL is
    already stored (or met earlier in the input) is counted, not stored again; the same text under
    another id is stored as a copy. ``postings`` (the passage and the article band keys the
    job's articles share, for a store that holds none yet): band key lookups answered from them;
    ``pairs`` (:mod:`.pairs`): the verdicts of an article's pairs checked on the executors;
    ``copies`` (:mod:`.near_duplicates`, for a store that holds none yet): every copy among the
    rows, by ingest order, with its original and similarity, which resolve takes instead of
    looking each article up."""
    with fewer_collections():
        return _load(rows, store, runner, job, write_batch, on_batch, postings, copies)


def _load(rows: Iterable[FeatureRow], store: Store, runner: Runner, job: str, write_batch: int,
          on_batch: Callable[[int], None] | None, postings: tuple[KeyPostings, KeyPostings] | None,
          copies: dict[int, tuple[str, float]] | None) -> Loaded:
    sink = _ResumableSink(store, RESUME_KEY + job, postings, copies)
    done = Loaded(resumed_after=sink.resumed_after())
    seen = SeenInRun()
    articles: list[Article] = []
    features: list[Features] = []
    last = -1

    def flush() -> None:
        sink.last_order = last
        try:
            result = runner.write(sink, articles, features)
        finally:
            sink.forget()
        done.added += len(result.stored)
        done.copies += sum(s.copy_of is not None for s in result.stored)
        done.duplicates.extend(AlreadyStored(a.origin or SourceRef(a.id), a.id, e.article_id, e.reason,
                                             e.other_text(a.content_hash))
                               for a, e in result.duplicates)
        if on_batch is not None:
            on_batch(done.added)
        articles.clear()
        features.clear()

    for order, location, line, article_blob, feature_blob, failure, pairs in rows:
        if done.resumed_after is not None and order <= done.resumed_after:
            continue  # stored by the run this one resumes
        if article_blob is None or feature_blob is None:
            done.rejected.append(Rejection(SourceRef(location, line), failure or "could not be analysed"))
            continue
        article: Article = pickle.loads(article_blob)
        existing = store.find_existing(article.id, article.url) or seen.existing(article)
        if existing is not None:
            done.duplicates.append(AlreadyStored(article.origin or SourceRef(location, line), article.id,
                                                 existing.article_id, existing.reason,
                                                 existing.other_text(article.content_hash)))
            continue
        seen.add(article)
        articles.append(article)
        features.append(pickle.loads(feature_blob))
        sink.expect(article.id, order, pairs)
        last = order
        if len(articles) >= write_batch:
            flush()
    if articles:
        flush()
    done.lookups = sink.lookups
    done.checks = sink.checks
    done.originals = sink.originals
    return done
