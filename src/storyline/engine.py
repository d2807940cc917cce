"""The streaming engine: wires the stages for one article at a time and writes the store.

This is the Python API the CLI, the HTTP API and the web UI sit on::

    from storyline import Storyline
    with Storyline("news.db") as sl:
        report = sl.ingest(["feeds/", "extra.jsonl"])
        print(report.summary())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import StoreReadOnly, StoreWriteFailed
from .ingest import Input, RawItem, ReadOptions, ReadItem, Skipped, expand, read_raw_input, read_raw_records
from .pipeline import Runner
from .pipeline.collector import fewer_collections
from .pipeline.ports import SeenInRun
from .queries import Queries
from .records import Article, Contradiction, IngestWarning, Rejection, SourceRef, Statement, Story, TimelineEntry
from .settings import Settings
from .store import Store
from .store.compact_room import Shortfall, compact_shortfalls
from .store.sqlite import Compacted
from .stories.novelty import ArticleNovelty


@dataclass(slots=True, frozen=True)
class Duplicate:
    """An input article that was already stored (or came twice in this run): the same id, or
    the same URL. The same text under another id is not one of these but a copy (stored)."""

    origin: SourceRef | None
    article_id: str
    existing_id: str
    reason: str  # "same id" or "same URL"
    # its text is not the stored one's (an outlet's update, or two articles given one id): it
    # is not stored either, and the report says so even when it lists no duplicates
    other_text: bool = False

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        said = (f"{self.article_id} is already stored" if self.reason == "same id"
                else f"{self.article_id} has the same URL as {self.existing_id}")
        if self.other_text:
            said += (", with another text (the stored one is kept; give this one an id and URL of its own "
                     "to store both)")
        return where + said


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: every input accounted for, with reasons."""

    added: list[str] = field(default_factory=list)
    # of the added, those whose text equals an earlier article's: article id -> its original
    copies: dict[str, str] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when any input was rejected (the CLI exits non-zero)."""
        return not self.rejected

    def as_dict(self) -> dict[str, list]:
        """The report as JSON (``storyline ingest --json``, ``POST /api/articles``)."""
        return {
            "added": list(self.added),
            "copies": [{"id": article_id, "duplicate_of": original} for article_id, original in self.copies.items()],
            "duplicates": [{"origin": str(d.origin) if d.origin else None, "id": d.article_id,
                            "existing_id": d.existing_id, "reason": d.reason, "other_text": d.other_text}
                           for d in self.duplicates],
            "rejected": [{"origin": str(r.origin), "reason": r.reason} for r in self.rejected],
            "warnings": [{"origin": str(w.origin), "message": w.message} for w in self.warnings],
            "skipped": [{"origin": str(s.origin), "reason": s.reason} for s in self.skipped],
        }

    def summary(self) -> str:
        text = f"{len(self.added)} added"
        if copies := len(self.copies):
            text += f" ({copies} cop{'y' if copies == 1 else 'ies'} of stored text)"
        text += f", {len(self.duplicates)} already present"
        if other := sum(d.other_text for d in self.duplicates):
            text += f" ({other} with another text)"
        text += f", {len(self.rejected)} rejected, {len(self.warnings)} warnings"
        files = sum(1 for s in self.skipped if s.origin.line is None)
        if files:
            text += f", {files} file{'' if files == 1 else 's'} skipped (not an article format)"
        if rows := len(self.skipped) - files:
            text += f", {rows} empty row{'' if rows == 1 else 's'} skipped"
        return text


class ProgressHook:
    """Receives ingest progress; the default does nothing. The CLI draws a progress bar with it."""

    def start(self, total_inputs: int) -> None: ...

    def input_started(self, location: str) -> None: ...

    def article_done(self) -> None: ...

    def input_done(self) -> None: ...

    def batch_written(self, article_ids: list[str]) -> None:
        """A batch was committed: these articles are stored now."""


class Storyline:
    """A storyline store and the stages that fill it."""

    def __init__(self, db_path: str | Path | None = None, settings: Settings | None = None,
                 upgrade: bool = True, create: bool = True) -> None:
        """Open (or create) the store. Opening migrates an older schema (fast, DDL and packing)
        unless ``upgrade`` is false, when an older store is refused with a :class:`StoreError`
        naming ``storyline migrate``; it never runs the backfill (:meth:`backfill`). With
        ``create`` false a store that does not exist is refused (:class:`NoStoreError`)."""
        self.settings = settings or Settings()
        if db_path is not None:
            self.settings = self.settings.with_db(db_path)
        s = self.settings
        self.store = Store.from_settings(s, upgrade=upgrade, create=create)
        self.runner = Runner(s, workers=s.ingest.workers)
        self.queries = Queries(self.store, self.settings)

    @property
    def read_only(self) -> str | None:
        """Why the store can only be read from here (a read-only file system, a file or folder this
        user may not write), or ``None`` when it can be written. Reading works either way; ingest,
        compaction and storing statements raise :class:`~storyline.errors.StoreReadOnly`."""
        return self.store.read_only

    def compact_shortfalls(self) -> list[Shortfall]:
        """The disks with less free space than compacting this store may write to them (see
        :mod:`storyline.store.compact_room`): worth saying before :meth:`compact` starts."""
        return compact_shortfalls(self.store.path, self.store.file_bytes())

    def compact(self, room: bool = True) -> Compacted:
        """Give back the store's unused pages (see :meth:`Store.compact`; ``room=False`` packs the
        tables ingest grows at random places full too); needs the store alone."""
        return self.store.compact(room)

    def pending_backfill(self) -> int:
        """Articles stored before the timeline existed (schema < 4) whose events were never looked for."""
        return self.store.timeline_index().count_pending()

    def backfill(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Find the events of articles stored before the timeline existed, once, in ingest order (so
        recycled passages find their originals' events), a batch per transaction; tagging happens
        outside the transaction. ``storyline migrate`` and ingest run it. Returns how many."""
        index = self.store.timeline_index()
        total = index.count_pending()
        done = 0
        while pending := index.pending(self.settings.ingest.batch_size):
            articles = [self.store.get_article(article_id) for article_id in pending]
            timeline = self.runner.timeline
            dates = timeline.featurize(articles)
            with self.store.transaction():
                for article, features in zip(articles, dates):
                    seq = index.pending_seq(article.id)
                    if seq is not None:  # another writer may have done it meanwhile
                        index.save(seq, timeline.resolve(article, features, index))
            done += len(articles)
            if progress is not None:
                progress(done, total)
        return done

    def close(self) -> None:
        self.runner.close()
        self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ------------------------------------------------------------
    def ingest(self, specs: Iterable[str | Path], options: ReadOptions | None = None,
               progress: ProgressHook | None = None) -> IngestReport:
        """Read files, folders, globs, URLs or ``-``; store new articles; account for everything else.

        Idempotent: an article whose id (or URL) is already stored is reported as already
        present and not written again. The same text under another id is stored as a copy
        (``duplicate_of`` its original, similarity 1.0), with its own source, URL and date. Each batch of articles is one transaction, so a
        failure never leaves half an article or loses what was stored before.
        """
        options = options or ReadOptions()
        progress = progress or ProgressHook()
        report = IngestReport()
        inputs: list[Input] = []
        for item in expand(specs):
            if isinstance(item, Input):
                inputs.append(item)
            elif isinstance(item, Rejection):
                report.rejected.append(item)
            else:
                report.skipped.append(item)
        progress.start(len(inputs))

        def items() -> Iterator[RawItem]:
            for source in inputs:
                progress.input_started(source.location)
                yield from read_raw_input(source, self.settings.ingest, options)
                progress.input_done()

        # One stream over all inputs, so a folder of one-article files is still stored in batches.
        self._ingest_items(items(), report, progress)
        return report

    def ingest_articles(self, articles: Iterable[Article], progress: ProgressHook | None = None) -> IngestReport:
        """Store already-built articles (from the Python API or the HTTP API) with the same checks."""
        report = IngestReport()
        self._ingest_items(articles, report, progress or ProgressHook())
        return report

    def ingest_records(self, records: Iterable[object], location: str = "request",
                       progress: ProgressHook | None = None) -> IngestReport:
        """Store articles given as JSON objects (the HTTP API's body) with the checks and the
        report a JSONL file gets: a record that is not an article is rejected at its position."""
        report = IngestReport()
        self._ingest_items(read_raw_records(records, location), report, progress or ProgressHook())
        return report

    def _ingest_items(self, items: Iterable[RawItem | ReadItem], report: IngestReport,
                      progress: ProgressHook) -> None:
        if self.store.read_only is not None:  # before reading a line of the inputs
            raise StoreReadOnly(self.store.path, self.store.read_only)
        if self.pending_backfill():
            self.backfill()  # events of articles stored before the timeline existed, before new ones
        with fewer_collections():
            # Raw articles are built in the featurize workers once they run (Runner.build_all).
            self._write_batches(self._batches(self.runner.build_all(items), report, progress), report, progress)

    def _write_batches(self, batches: Iterator[list[Article]], report: IngestReport, progress: ProgressHook) -> None:
        for done in self.runner.featurize_all(batches):
            report.rejected.extend(Rejection(a.origin or SourceRef(a.id), reason) for a, reason in done.failed)
            if not done.articles:
                continue
            try:
                result = self.runner.write(self.store, done.articles, done.features)
            except StoreWriteFailed as exc:
                raise exc.after(len(report.added)) from exc.__cause__
            except KeyboardInterrupt:
                # Interrupted just as the batch committed (the signal is raised once COMMIT returns):
                # what the store holds of it was stored, and is reported as such.
                kept = [a.id for a in done.articles if self.store.has_article(a.id)]
                if kept:
                    report.added.extend(kept)
                    progress.batch_written(kept)
                raise
            added = [s.article_id for s in result.stored]
            report.added.extend(added)
            report.copies.update((s.article_id, s.copy_of) for s in result.stored if s.copy_of is not None)
            progress.batch_written(added)
            report.duplicates.extend(Duplicate(a.origin, a.id, e.article_id, e.reason, e.other_text(a.content_hash))
                                     for a, e in result.duplicates)

    def _batches(self, items: Iterable[Article | Rejection | IngestWarning | Skipped], report: IngestReport,
                 progress: ProgressHook) -> Iterator[list[Article]]:
        """New articles in batches of ``ingest.batch_size``: rejections, warnings and articles
        already stored (or met earlier in this run: same id or URL) go to the report instead."""
        batch: list[Article] = []
        seen = SeenInRun()
        for item in items:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            if isinstance(item, IngestWarning):
                report.warnings.append(item)
                continue
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            progress.article_done()
            existing = self.store.find_existing(item.id, item.url) or seen.existing(item)
            if existing is None:
                batch.append(item)
                seen.add(item)
                if len(batch) >= self.settings.ingest.batch_size:
                    yield batch
                    batch = []
                continue
            report.duplicates.append(Duplicate(item.origin, item.id, existing.article_id, existing.reason,
                                               existing.other_text(item.content_hash)))
        if batch:
            yield batch

    # -- reads -------------------------------------------------------------
    def article(self, article_id: str) -> Article:
        """One stored article; raises :class:`~storyline.errors.NotFoundError`."""
        return self.queries.article(article_id)

    def novelty(self, article: str | Article) -> ArticleNovelty:
        """The article's passages read against its story as it is now: new, recycled (carried
        by an earlier article of the story, or seen before only in other stories) or
        boilerplate; see :mod:`storyline.stories.novelty`. Raises
        :class:`~storyline.errors.NotFoundError`."""
        return self.queries.novelty(article)

    def articles(self) -> Iterator[Article]:
        """Every stored article, in ingest order."""
        return self.queries.articles()

    def stories(self) -> list[Story]:
        """Every story, in order of creation."""
        return self.queries.stories()

    def story(self, story_id: str) -> Story:
        """One story; raises :class:`~storyline.errors.NotFoundError`."""
        return self.queries.story(story_id)

    def timeline(self, story_id: str) -> list[TimelineEntry]:
        """The story's dated events, ordered by date, each once with every article that reports it.

        Put together from the stored events of the story's articles as they are now, so it
        follows merges; a merged story's id gives the timeline of the story that absorbed it.
        Raises :class:`~storyline.errors.NotFoundError`.
        """
        return self.queries.timeline(story_id)

    def analyse_statements(self, article_ids: Sequence[str] | None = None,
                           progress: Callable[[int, int], None] | None = None) -> int:
        """Find and store the statements of articles not analysed yet: those of ``article_ids``,
        or every one. In ingest order, so a recycled passage finds its original's statements.
        The parse runs outside any transaction; each chunk's statements are written in one
        short transaction. ``progress(done, total)`` is called after each chunk.
        Returns how many articles were analysed. Loads the spaCy model when there is work."""
        index = self.store.statement_index()
        pending = index.pending(article_ids)
        if pending and self.store.read_only is not None:  # before the parser's minutes, not after
            raise StoreReadOnly(self.store.path, self.store.read_only)
        size = self.settings.statements.chunk
        written = 0
        for start in range(0, len(pending), size):
            articles = [self.store.get_article(article_id) for article_id in pending[start:start + size]]
            written += self.runner.analyse(self.store, articles)
            if progress is not None:
                progress(min(start + size, len(pending)), len(pending))
        return written

    def statements(self, story_id: str, analyse: bool = True) -> tuple[list[Statement], list[Contradiction]]:
        """The story's claims, ordered by date, each once with every article that reports it and
        its speaker's aliases; and the pairs of claims that conflict, each with a reason.

        Articles of the story not analysed yet are analysed first (and stored); with
        ``analyse=False`` they are left out instead (a web page must not wait for the parser:
        :meth:`pending_statements` says how many are missing). Raises
        :class:`~storyline.errors.NotFoundError`; :class:`~storyline.statements.ModelError`
        when the spaCy model is not installed.
        """
        found = self.queries.story(story_id)
        if analyse:
            self.analyse_statements(found.article_ids)
        return self.queries.statements(found.id)

    def pending_statements(self, story_id: str) -> int:
        """How many of the story's articles have not been analysed for statements yet."""
        return self.queries.pending_statements(story_id)
