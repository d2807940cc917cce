"""The runner: one article at a time or many per transaction, in one process or with worker
processes featurizing, the store ends up the same; a failed batch leaves nothing behind and
the stages' memory agrees with the store after it; another writer's commit is noticed."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline import Storyline
from storyline.export import article_record
from storyline.ingest.raw import RawArticle, build_article
from storyline.pipeline.runner import Runner
from storyline.records import Article, Rejection, SourceRef
from storyline.settings import IngestSettings, Settings
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"


def _paragraphs() -> list[str]:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} not present")
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").split(" ", 3)[-1]
        out += [p.strip() for p in text.split("\n\n") if len(p.split()) > 8]
    return out


def _stream(seed: int, n: int) -> list[Article]:
    """Articles that share recycled paragraphs, some whole copies, some on other dates."""
    rng = random.Random(seed)
    pool = _paragraphs()
    out: list[Article] = []
    texts: list[str] = []
    for i in range(n):
        if texts and rng.random() < 0.15:
            text = rng.choice(texts)  # a whole copy under another id: syndication
        else:
            text = "\n\n".join(rng.sample(pool, rng.randint(2, 6)))
        texts.append(text)
        raw = RawArticle(origin=SourceRef("gen", i), text=text, id=f"a{i:03d}",
                         published=f"2024-10-{10 + rng.randint(0, 20):02d}")
        out.extend(a for a in build_article(raw, IngestSettings()) if isinstance(a, Article))
    return out


def _snapshot(db: Path) -> tuple[list[dict], list[tuple]]:
    with Storyline(db, upgrade=False) as sl:
        articles = [article_record(a) for a in sl.articles()]
        stories = [(s.id, s.title, tuple(s.article_ids), tuple(e.as_dict()["date"] for e in sl.timeline(s.id)))
                   for s in sl.stories()]
    return articles, stories


def _ingest(db: Path, articles: list[Article], batch: int, workers: int = 1, calls: int = 1) -> None:
    settings = Settings(ingest=IngestSettings(batch_size=batch, workers=workers))
    with Storyline(db, settings) as sl:
        # Else the batches of a short stream are all featurized here while the workers start.
        sl.runner.start_workers(wait_started=True)
        size = -(-len(articles) // calls)
        for start in range(0, len(articles), size):
            assert not sl.ingest_articles(articles[start:start + size]).rejected


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), batch=st.sampled_from([2, 7, 50]), calls=st.sampled_from([1, 3]))
def test_one_at_a_time_and_in_batches_store_the_same(tmp_path_factory, seed, batch, calls):
    articles = _stream(seed, 24)
    tmp = tmp_path_factory.mktemp("runner")
    _ingest(tmp / "one.db", articles, batch=1, calls=len(articles))  # a commit and a new process state per article
    _ingest(tmp / "many.db", articles, batch=batch, calls=calls)
    assert _snapshot(tmp / "one.db") == _snapshot(tmp / "many.db")


def test_worker_processes_store_what_one_process_does(tmp_path):
    articles = _stream(7, 40)
    _ingest(tmp_path / "one.db", articles, batch=5, workers=1)
    _ingest(tmp_path / "two.db", articles, batch=5, workers=2)  # 8 batches: featurized in 2 spawned processes
    assert _snapshot(tmp_path / "one.db") == _snapshot(tmp_path / "two.db")


def test_a_failed_batch_leaves_nothing_and_the_next_one_agrees_with_the_store(tmp_path, monkeypatch):
    articles = _stream(3, 12)
    _ingest(tmp_path / "clean.db", articles, batch=4)
    db = tmp_path / "failed.db"
    with Storyline(db, Settings(ingest=IngestSettings(batch_size=4, workers=1))) as sl:
        sl.ingest_articles(articles[:4])
        timeline = sl.runner.timeline
        real = timeline.resolve

        calls = []

        def fail_on_the_second(article, features, index):  # after one article of the batch is written
            calls.append(article.id)
            if len(calls) == 2:
                raise RuntimeError("boom")
            return real(article, features, index)

        monkeypatch.setattr(timeline, "resolve", fail_on_the_second)
        with pytest.raises(RuntimeError, match="boom"):
            sl.ingest_articles(articles[4:8])
        assert [a.id for a in sl.articles()] == [a.id for a in articles[:4]]  # the whole batch rolled back
        monkeypatch.setattr(timeline, "resolve", real)
        sl.ingest_articles(articles[4:])  # the clusterer's memory of the failed batch is gone
    assert _snapshot(db) == _snapshot(tmp_path / "clean.db")


def test_another_writers_commit_is_noticed(tmp_path):
    articles = _stream(5, 16)
    _ingest(tmp_path / "clean.db", articles, batch=4)
    db = tmp_path / "shared.db"
    with Storyline(db, Settings(ingest=IngestSettings(batch_size=4, workers=1))) as first, \
            Storyline(db, Settings(ingest=IngestSettings(batch_size=4, workers=1))) as second:
        first.ingest_articles(articles[:4])
        second.ingest_articles(articles[4:8])  # first's clusterer state is stale now
        first.ingest_articles(articles[8:12])
        second.ingest_articles(articles[12:])
    assert _snapshot(db) == _snapshot(tmp_path / "clean.db")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert conn.execute("SELECT value FROM meta WHERE key = 'stories.documents'").fetchone() == (str(stored),)


def test_a_story_cache_of_two_gives_what_a_large_one_does(tmp_path):
    """States fall out of the clusterer's memory all the time here and are read back from the store;
    passages too; and new passage band keys move into the big index every batch or two."""
    from storyline.settings import ReuseSettings, StorySettings

    articles = _stream(11, 40)
    _ingest(tmp_path / "large.db", articles, batch=5)
    small = Settings(ingest=IngestSettings(batch_size=5, workers=1), reuse=ReuseSettings(cache_passages=2, recent_bands=300),
                     stories=StorySettings(cache_stories=2, cache_compact=2, cache_terms=400))
    with Storyline(tmp_path / "small.db", small) as sl:
        assert not sl.ingest_articles(articles).rejected
    assert _snapshot(tmp_path / "small.db") == _snapshot(tmp_path / "large.db")


def test_an_article_whose_featurize_fails_is_rejected_alone(tmp_path):
    """A stage that fails on one article (a bug, or input no reader foresaw) costs that article
    only: it is rejected with its id and the reason, and the rest of its batch is stored."""
    articles = _stream(3, 12)
    hashes = [a.content_hash for a in articles]
    victim = next(a for a in articles[5:] if hashes.count(a.content_hash) == 1)
    with Storyline(tmp_path / "s.db", Settings(ingest=IngestSettings(batch_size=5, workers=1))) as sl:
        real = sl.runner.timeline.featurize

        def failing(batch):
            if any(a.id == victim.id for a in batch):
                raise ValueError("a tagger bug")
            return real(batch)

        sl.runner.timeline.featurize = failing
        report = sl.ingest_articles(articles)
        stored = {a.id for a in sl.articles()}
    assert [r.reason for r in report.rejected] == [f"article {victim.id!r} could not be analysed (ValueError: a tagger bug)"]
    assert victim.id not in stored and stored == set(report.added)
    assert len(report.added) + len(report.duplicates) + 1 == len(articles)
    batch_mates = {a.id for a in articles[5 * (articles.index(victim) // 5):][:5]} - {victim.id}
    assert batch_mates & stored  # the rest of its batch went on


def test_an_article_over_the_dates_budget_is_rejected_with_the_reason(tmp_path):
    """The tagger is linear, but a long article still takes seconds: past timeline.budget_s it is
    rejected (not waited on) and its batch-mates are stored."""
    from storyline.settings import TimelineSettings

    long_text = " ".join(f"On March {1 + i % 28}, 2024 the council met again and voted" for i in range(3000))
    articles = _stream(5, 6)
    raw = RawArticle(origin=SourceRef("gen", 99), text=long_text, id="long", published="2024-03-30")
    (long_article,) = [a for a in build_article(raw, IngestSettings()) if isinstance(a, Article)]
    settings = Settings(ingest=IngestSettings(batch_size=10, workers=1), timeline=TimelineSettings(budget_s=0.05))  # the long one takes seconds, the rest milliseconds, even on a busy machine
    with Storyline(tmp_path / "s.db", settings) as sl:
        report = sl.ingest_articles(articles[:3] + [long_article] + articles[3:])
        stored = {a.id for a in sl.articles()}
    (rejected,) = report.rejected
    assert rejected.reason.startswith("article 'long' could not be analysed (BudgetExceeded: dates: over the time budget")
    assert "long" not in stored and stored == set(report.added) and len(stored) >= 3


def test_an_article_rejected_in_a_worker_process_is_the_one_reported(tmp_path):
    """Worker processes send back features and where the failures are, not the articles: the
    writer pairs them with its own batch, so the right article is rejected and its batch-mates
    are stored with their own features (the same store as one process makes of them)."""
    from storyline.settings import TimelineSettings

    long_text = " ".join(f"On March {1 + i % 28}, 2024 the council met again and voted" for i in range(3000))
    articles = _stream(5, 12)
    raw = RawArticle(origin=SourceRef("gen", 99), text=long_text, id="long", published="2024-03-30")
    (long_article,) = [a for a in build_article(raw, IngestSettings()) if isinstance(a, Article)]
    given = articles[:7] + [long_article] + articles[7:]
    reports = {}
    for workers in (1, 2):
        settings = Settings(ingest=IngestSettings(batch_size=3, workers=workers), timeline=TimelineSettings(budget_s=0.05))
        with Storyline(tmp_path / f"{workers}.db", settings) as sl:
            sl.runner.start_workers(wait_started=True)
            reports[workers] = sl.ingest_articles(given)
    (rejected,) = reports[2].rejected
    assert rejected.origin == SourceRef("gen", 99) and "BudgetExceeded" in rejected.reason
    assert reports[2].added == reports[1].added and "long" not in reports[2].added
    assert _snapshot(tmp_path / "1.db") == _snapshot(tmp_path / "2.db")


def test_batches_are_featurized_here_while_the_workers_start(tmp_path, monkeypatch):
    """A worker takes ~1.5 s to start: until the workers are started, an ingest's first two
    batches are featurized in this process, and so is the third while they start (a short
    ingest is not slower for them); the rest go to the workers once one has started; the store
    is the one a single process makes."""
    articles = _stream(11, 60)
    _ingest(tmp_path / "one.db", articles, batch=5, workers=1)
    here: list[int] = []
    featurize = Runner.featurize

    def counted(self, batch):
        here.append(len(batch))
        return featurize(self, batch)

    monkeypatch.setattr(Runner, "featurize", counted)
    settings = Settings(ingest=IngestSettings(batch_size=5, workers=2))
    with Storyline(tmp_path / "two.db", settings) as sl:
        assert not sl.ingest_articles(articles[:10]).rejected  # two batches: no workers
        assert here == [5, 5]
        # Four: two here, then the workers start; the third is featurized here while they do,
        # and the fourth, handed to them meanwhile, is theirs.
        assert not sl.ingest_articles(articles[10:30]).rejected
        assert here == [5] * 5
        sl.runner.start_workers(wait_started=True)
        before = len(here)
        assert not sl.ingest_articles(articles[30:]).rejected
        assert len(here) == before  # a worker has started: the rest went to the pool
    assert _snapshot(tmp_path / "one.db") == _snapshot(tmp_path / "two.db")


def _read_items() -> list:
    """Raw articles (one over the size limit, one with no text, one with a control character,
    one with a date that is not one) among what a reader passes on as it is."""
    from storyline.ingest import Skipped

    pool = _paragraphs()
    items: list = []
    for i in range(23):
        text = "\n\n".join(pool[i % len(pool):i % len(pool) + 3])
        items.append(RawArticle(origin=SourceRef("gen", i), text=text, id=f"r{i:02d}", published="2024-10-12"))
    items[3] = RawArticle(origin=SourceRef("gen", 3), text="word " * 1500, id="big")
    items[5] = RawArticle(origin=SourceRef("gen", 5), text=" \n\n ", id="empty")
    items[8] = RawArticle(origin=SourceRef("gen", 8), text="A bell\x07 rang twice.", id="bell", published="soon")
    items[11:11] = [Rejection(SourceRef("gen", 99), "not an article"), Skipped(SourceRef("x.bin"), "not a format")]
    (built,) = [a for a in build_article(RawArticle(SourceRef("api"), text="Built by the caller.", id="b"),
                                         IngestSettings()) if isinstance(a, Article)]
    items.insert(17, built)
    return items


@pytest.mark.parametrize("workers", [1, 2])
def test_raw_articles_are_built_in_the_workers_as_they_are_here(monkeypatch, workers):
    """Built in the worker processes once one has started, the items are those built here, in
    the order given, with what was not a raw article passed on where it was."""
    import storyline.pipeline.runner as runner_module
    from storyline.ingest import build_items

    settings = Settings(ingest=IngestSettings(batch_size=3, workers=workers, max_article_chars=5000))
    items = _read_items()
    here = list(build_items(items, settings.ingest))
    built_here: list[str | None] = []
    build_one = runner_module.build_one

    def counted(raw, ingest):
        built_here.append(raw.id)
        return build_one(raw, ingest)

    monkeypatch.setattr(runner_module, "build_one", counted)  # this process's, not the workers'
    runner = Runner(settings, workers=workers)
    try:
        runner.start_workers(wait_started=True)
        assert list(runner.build_all(items)) == here
    finally:
        runner.close()
    raws = [i.id for i in items if isinstance(i, RawArticle)]
    assert built_here == ([] if workers == 2 else raws)
    kinds = [type(i).__name__ for i in here]
    assert kinds.count("Rejection") == 3 and kinds.count("IngestWarning") == 2 and kinds.count("Skipped") == 1


def test_a_jsonl_file_ingested_with_workers_stores_and_reports_what_one_process_does(tmp_path):
    """The engine hands raw articles to ``Runner.build_all``: with the workers started, a file's
    articles are built there, and the store and the report (rejections and warnings at their
    lines, duplicates) are one process's."""
    import json

    pool = _paragraphs()
    lines = [json.dumps({"id": f"j{i}", "text": "\n\n".join(pool[i:i + 3]), "published": "2024-10-12"})
             for i in range(30)]
    lines[4] = "{not json"
    lines[9] = json.dumps({"id": "j1", "text": pool[0]})  # an id met earlier in the file
    lines[13] = json.dumps({"id": "late", "text": pool[2], "published": "whenever"})
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = {}
    for workers in (1, 2):
        settings = Settings(ingest=IngestSettings(batch_size=4, workers=workers))
        with Storyline(tmp_path / f"{workers}.db", settings) as sl:
            sl.runner.start_workers(wait_started=True)
            reports[workers] = sl.ingest([path])

    def seen(report):
        return (report.added, [(r.origin, r.reason) for r in report.rejected],
                [(w.origin, w.message) for w in report.warnings],
                [(d.origin, d.article_id, d.existing_id, d.reason) for d in report.duplicates])

    assert seen(reports[1]) == seen(reports[2])
    assert len(reports[2].added) == 28 and reports[2].rejected[0].origin.line == 5
    assert reports[2].duplicates[0].origin.line == 10 and reports[2].warnings[0].origin.line == 14
    assert _snapshot(tmp_path / "1.db") == _snapshot(tmp_path / "2.db")
