"""Takes batches of articles through the stages: every ``featurize`` first (pure, outside any
transaction, optionally in a process pool), then one short write transaction per batch in
which each article, in order, is resolved by each stage against what was stored before it and
written (the reuse verdicts, the story assignment, the events), before the next is resolved.

The stages keep order-dependent state in memory (the story clusterer's); when a transaction
rolls back, or another writer committed since this one last wrote, that state is dropped and
read again from the store, so it never disagrees with what is stored.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..ingest import RawArticle, RawItem, ReadItem, build_one
from ..records import Article
from ..reuse.stage import ArticleFeatures, ReuseStage
from ..settings import IngestSettings, Settings
from ..statements.extract import Found
from ..statements.stage import StatementStage
from ..stories.stage import Assignment, StoryFeatures, StoryStage
from ..text.temporal.timex import Timex
from ..timeline.stage import TimelineStage
from .ports import (
    Event,
    EventIndex,
    Existing,
    ReuseIndex,
    ReuseResult,
    Sink,
    StatementIndex,
    StoryIndex,
)
from .stage import Stage

if TYPE_CHECKING:
    def _every_stage_has_the_stage_shape(reuse: ReuseStage, stories: StoryStage, timeline: TimelineStage,
                                         statements: StatementStage) -> None:
        """Only read by the type checker (mypy runs in the tests): each stage is a Stage."""
        _r: Stage[ArticleFeatures, ReuseIndex, ReuseResult] = reuse
        _s: Stage[StoryFeatures, StoryIndex, Assignment] = stories
        _t: Stage[list[Timex], EventIndex, list[Event]] = timeline
        _c: Stage[list[Found], StatementIndex, list[Found]] = statements


@dataclass(slots=True)
class Features:
    """One article's features from every ingest stage: picklable, so a worker process can make them."""

    reuse: ArticleFeatures
    stories: StoryFeatures
    timeline: list[Timex]


@dataclass(slots=True, frozen=True)
class Stored:
    """An article the runner stored: its ingest order and the story it joined."""

    article_id: str
    seq: int
    assignment: Assignment
    copy_of: str | None = None  # the original, when its text equals a stored article's


@dataclass(slots=True)
class BatchResult:
    stored: list[Stored] = field(default_factory=list)
    # articles another writer stored between the read-time check and this transaction
    duplicates: list[tuple[Article, Existing]] = field(default_factory=list)


def featurize(reuse: ReuseStage, stories: StoryStage, timeline: TimelineStage,
              articles: Sequence[Article]) -> list[Features]:
    """Every ingest stage's ``featurize`` over one batch (pure: no store is touched)."""
    return [Features(r, s, t) for r, s, t in zip(reuse.featurize(articles), stories.featurize(articles),
                                                 timeline.featurize(articles))]


@dataclass(slots=True)
class Featurized:
    """One batch after featurize: the articles that went through, their features, and those
    that failed with the reason (one article's failure does not fail its batch)."""

    articles: list[Article]
    features: list[Features]
    failed: list[tuple[Article, str]] = field(default_factory=list)


def featurize_isolated(run: Callable[[list[Article]], list[Features]], articles: list[Article]) -> Featurized:
    """``run`` (every stage's featurize) over the batch; if it fails, over each article alone,
    so the failure is pinned on the article that caused it and the rest of the batch goes on."""
    try:
        return Featurized(articles, run(articles))
    except Exception:  # noqa: BLE001 - any failure is retried article by article below
        pass
    out = Featurized([], [])
    for article in articles:
        try:
            (features,) = run([article])
        except Exception as exc:  # noqa: BLE001 - reported as this article's rejection
            out.failed.append((article, f"article {article.id!r} could not be analysed "
                                        f"({type(exc).__name__}: {exc})"[:500]))
            continue
        out.articles.append(article)
        out.features.append(features)
    return out


# A worker process builds its own stages once (the settings travel, the stages do not).
_WORKER: tuple[ReuseStage, StoryStage, TimelineStage] | None = None
_INGEST: IngestSettings | None = None


@contextmanager
def _interrupts_left_to_this_process() -> Iterator[None]:
    """Processes started inside ignore SIGINT from their first instruction (an ignored signal
    stays ignored across exec, and Python then installs no handler of its own): Ctrl-C reaches
    a terminal's whole process group, and a worker still importing printed its own
    KeyboardInterrupt traceback. This process handles it, rolling back its batch and shutting
    the pool down. (Only the main thread may set a handler: elsewhere, as under the web server,
    no terminal sends one.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _init_worker(settings: Settings) -> None:
    global _WORKER, _INGEST
    _WORKER = (ReuseStage(settings.reuse), StoryStage(settings.stories), TimelineStage(settings.timeline))
    _INGEST = settings.ingest
    # A worker whose ingest died (kill -9, the OOM killer) would wait for work forever: it leaves with it.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="storyline-parent-watch", daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent process is gone
    os._exit(1)


def _worker_ready() -> bool:
    """Answered by a worker once it has started (its interpreter up, storyline imported, the
    initializer run)."""
    return _WORKER is not None


def _featurize_in_worker(articles: list[Article]) -> tuple[list[Features], list[tuple[int, str]]]:
    """A batch's features, and where in the batch those that failed are, with the reason: the
    articles do not travel back, the writer has them (unpickling them again cost it ~0.2 ms an
    article of the stream benchmark's)."""
    if _WORKER is None:
        raise RuntimeError("featurize worker used before its initializer ran")
    stages = _WORKER
    done = featurize_isolated(lambda batch: featurize(*stages, batch), articles)
    if not done.failed:
        return done.features, []
    at = {id(article): i for i, article in enumerate(articles)}
    return done.features, [(at[id(article)], reason) for article, reason in done.failed]


def _build_in_worker(raws: list[RawArticle]) -> list[list[ReadItem]]:
    """Each raw article's read items (:func:`storyline.ingest.build_one`), in order."""
    if _INGEST is None:
        raise RuntimeError("build worker used before its initializer ran")
    settings = _INGEST
    return [build_one(raw, settings) for raw in raws]


def _rejoin(articles: list[Article], features: list[Features], failed: list[tuple[int, str]]) -> Featurized:
    """The writer's side of :func:`_featurize_in_worker`: its batch, split as the worker found it."""
    if not failed:
        return Featurized(articles, features)
    out = {i for i, _ in failed}
    return Featurized([a for i, a in enumerate(articles) if i not in out], features,
                      [(articles[i], reason) for i, reason in failed])


@dataclass(slots=True)
class _Chunk:
    """Read items on their way through :meth:`Runner.build_all`: ``entries`` in order, and each
    raw article's built items, made here (a list) or in a worker (a future)."""

    entries: list[RawItem | ReadItem]
    built: list[list[ReadItem]] | Future[list[list[ReadItem]]]

    def ready(self) -> bool:
        return not isinstance(self.built, Future) or self.built.done()

    def items(self) -> Iterator[ReadItem]:
        built = iter(self.built.result() if isinstance(self.built, Future) else self.built)
        for entry in self.entries:
            if isinstance(entry, RawArticle):
                yield from next(built)
            else:
                yield entry


class Runner:
    """The stages of one engine, with their in-memory state; see the module's docstring."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings = settings
        self.reuse = ReuseStage(settings.reuse)
        self.stories = StoryStage(settings.stories)
        self.timeline = TimelineStage(settings.timeline)
        self.statements = StatementStage(settings.statements)
        self.workers = workers
        self._pool: Executor | None = None
        self._started: list[Future[bool]] = []  # one a worker: done once a worker has started

    # -- build ----------------------------------------------------------------
    def build_all(self, items: Iterable[RawItem | ReadItem]) -> Iterator[ReadItem]:
        """Every raw article built into its read items (:func:`storyline.ingest.build_one`:
        normalised, split into passages and sentences, identified; or rejected), everything
        else passed on, in the order given.

        Once a featurize worker has started (see :meth:`featurize_all`), the raw articles are
        built there, ``ingest.batch_size`` at a time and at most ``workers`` chunks ahead of the
        caller: building is ~0.5 ms of CPU an article on the stream benchmark's corpus, ~5% of
        what the writing process spends on one, and a built article costs it ~0.07 ms to take
        back. Until then, and with no workers, they are built here. Built here or there, the
        items are the same (building is pure)."""
        size = max(self.settings.ingest.batch_size, 1)
        pending: deque[_Chunk] = deque()
        entries: list[RawItem | ReadItem] = []
        raws: list[RawArticle] = []
        for item in items:
            entries.append(item)
            if isinstance(item, RawArticle):
                raws.append(item)
            if len(entries) >= size:
                pending.append(self._chunk(entries, raws))
                entries, raws = [], []
                # A chunk built here is handed on at once; those in the workers wait for the window.
                while pending and (len(pending) > self.workers or pending[0].ready()):
                    yield from pending.popleft().items()
        if entries:
            pending.append(self._chunk(entries, raws))
        while pending:
            yield from pending.popleft().items()

    def _chunk(self, entries: list[RawItem | ReadItem], raws: list[RawArticle]) -> _Chunk:
        if not raws:
            return _Chunk(entries, [])
        if self._pool is not None and any(started.done() for started in self._started):
            return _Chunk(entries, self._pool.submit(_build_in_worker, raws))
        settings = self.settings.ingest
        return _Chunk(entries, [build_one(raw, settings) for raw in raws])

    # -- featurize ----------------------------------------------------------------
    def featurize(self, articles: Sequence[Article]) -> list[Features]:
        return featurize(self.reuse, self.stories, self.timeline, articles)

    def featurize_all(self, batches: Iterator[list[Article]]) -> Iterator[Featurized]:
        """Features of each batch, in order (an article whose featurize fails is set apart with
        the reason, see :func:`featurize_isolated`). With ``workers`` > 1 the next batches are
        featurized in worker processes while the caller writes the current one (at most
        ``workers`` ahead).

        A worker takes ~1.5 s of CPU to start (a new interpreter importing storyline), more
        than featurizing a batch or two here: until the workers are started, an ingest's first
        two batches are featurized here, the workers start when a third comes, and until one
        has started, batches are featurized here rather than waited for (the next one is handed
        to the workers meanwhile). Features are the same wherever they are made (featurize is
        pure)."""
        first = next(batches, None)
        if first is None:
            return
        source = itertools.chain([first], batches)
        if self.workers <= 1 or self.settings.stories.embeddings:
            # The embedding model would load once per worker, and it batches well in one process.
            for batch in source:
                yield featurize_isolated(self.featurize, batch)
            return
        if self._pool is None:
            for batch in itertools.islice(source, 2):
                yield featurize_isolated(self.featurize, batch)
            third = next(source, None)
            if third is None:
                return
            source = itertools.chain([third], source)
        pool = self._start_pool()
        pending: list[tuple[list[Article], Future[tuple[list[Features], list[tuple[int, str]]]]]] = []
        for batch in source:
            if not pending and not any(started.done() for started in self._started):
                ahead = next(source, None)
                if ahead is not None:
                    pending.append((ahead, pool.submit(_featurize_in_worker, ahead)))
                yield featurize_isolated(self.featurize, batch)
                continue
            pending.append((batch, pool.submit(_featurize_in_worker, batch)))
            if len(pending) > self.workers:
                sent, future = pending.pop(0)
                yield _rejoin(sent, *future.result())
        for sent, future in pending:
            yield _rejoin(sent, *future.result())

    def start_workers(self, wait_started: bool = False) -> None:
        """Start the featurize worker processes now (with ``workers`` > 1) rather than at an
        ingest's third batch; with ``wait_started``, return once one has started, so that every
        next batch is featurized there."""
        if self.workers <= 1:
            return
        self._start_pool()
        if wait_started:
            wait(self._started, return_when=FIRST_COMPLETED)

    def _start_pool(self) -> Executor:
        if self._pool is None:
            # spawn, not fork: the engine may run beside threads (the web server's analyser).
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(self.settings,))
            # One each: the pool starts a process for each call waiting while none is idle.
            with _interrupts_left_to_this_process():
                self._started = [self._pool.submit(_worker_ready) for _ in range(self.workers)]
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._started = []

    # -- resolve and write ----------------------------------------------------------
    def write(self, sink: Sink, articles: Sequence[Article], features: Sequence[Features]) -> BatchResult:
        """Resolve and store one batch in one transaction (all of it or, on failure, none)."""
        result = BatchResult()
        try:
            with sink.transaction():
                changed = sink.changed_elsewhere()
                if changed:
                    self.reset()
                reuse_index = sink.reuse_index()
                if changed:
                    reuse_index.refresh()
                reuse_index.check_algorithm(self.reuse.version, continues=(self.reuse.passage_version,))
                story_index = sink.story_index()
                event_index = sink.timeline_index()
                for article, feats in zip(articles, features):
                    # Checked again here: another writer may have stored it since it was read.
                    existing = sink.find_existing(article.id, article.url)
                    if existing is not None:
                        result.duplicates.append((article, existing))
                        continue
                    reused = self.reuse.resolve(article, feats.reuse, reuse_index)
                    # The same text under another id is kept as a copy (syndication is evidence);
                    # its original is fixed by the text, whatever the candidate search returned.
                    original = sink.original_of(article.content_hash)
                    if original is not None:
                        reused = replace(reused, duplicate_of=original, similarity=1.0)
                    marked = reused.marked(article)
                    assignment = self.stories.resolve(marked, feats.stories, story_index)
                    marked.story_id = assignment.story_id  # marked is the runner's own copy
                    seq = sink.insert_article(marked)
                    self.reuse.index(seq, feats.reuse, reuse_index, reused)
                    reuse_index.remember(seq, marked, feats.reuse.passages, feats.reuse.sentences)
                    # After the insert, so a later article of this batch finds these events for its copies.
                    event_index.save(seq, self.timeline.resolve(marked, feats.timeline, event_index))
                    result.stored.append(Stored(article.id, seq, assignment, original))
                self.stories.flush(story_index)
                reuse_index.settle()
        except BaseException:
            self.reset()  # what the stages learnt in the rolled-back transaction is not in the store
            raise
        return result

    def reset(self) -> None:
        self.stories.reset()

    # -- statements (on demand) -------------------------------------------------------
    def analyse(self, sink: Sink, articles: Sequence[Article]) -> int:
        """Parse stored articles (outside any transaction: the parse is the slow part), then link
        and store their statements in one short transaction, in ingest order. An article another
        writer analysed meanwhile is not written twice. Returns how many were stored."""
        found = self.statements.featurize(articles)
        return self.save_statements(sink, articles, found)

    def save_statements(self, sink: Sink, articles: Sequence[Article], found: Sequence[list[Found]]) -> int:
        written = 0
        with sink.transaction():
            index = sink.statement_index()
            for article, feats in zip(articles, found):
                seq = index.pending_seq(article.id)
                if seq is None:
                    continue
                index.save(seq, self.statements.resolve(article, feats, index))
                written += 1
        return written
