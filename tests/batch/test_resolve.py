"""The batch job's store stage (``storyline.batch.resolve.load``) without Spark: an article whose
id or URL is stored already, or met earlier in the input, is counted and not stored, and the
count says when its text is another one (as the streaming engine's report does)."""

from __future__ import annotations

import pickle
from pathlib import Path

from storyline.batch.resolve import load
from storyline.ingest.raw import RawArticle, build_article
from storyline.pipeline.runner import Runner
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings
from storyline.store import Store

CLOSED = "The harbour authority in Velmora closed the northern pier on Thursday after divers found a crack."
OPEN = "The northern pier in Velmora reopened on Monday after engineers finished their repairs to it."


def _rows(records: list[tuple[str, str, str | None]], settings: Settings, first: int = 0) -> list[tuple]:
    articles = [a for article_id, text, url in records
                for a in build_article(RawArticle(origin=SourceRef("in.jsonl"), text=text, id=article_id, url=url,
                                                  published="2024-10-10"), IngestSettings())
                if isinstance(a, Article)]
    features = Runner(settings).featurize(articles)
    return [(first + n, "in.jsonl", first + n + 1, pickle.dumps(a), pickle.dumps(f), None, None)
            for n, (a, f) in enumerate(zip(articles, features))]


def test_articles_already_present_say_whether_their_text_is_another(tmp_path):
    settings = Settings()
    with Store(tmp_path / "s.db") as store:
        rows = _rows([("a", CLOSED, "https://x.example/a"), ("a", CLOSED, None), ("a", OPEN, None),
                      ("b", OPEN, "https://x.example/a")], settings)
        loaded = load(iter(rows), store, Runner(settings), "job", 10)
        assert loaded.added == 1
        assert [(d.article_id, d.existing_id, d.reason, d.other_text) for d in loaded.duplicates] == [
            ("a", "a", "same id", False), ("a", "a", "same id", True), ("b", "a", "same URL", True)]
        # A later job meets the stored article.
        again = load(iter(_rows([("a", OPEN, None), ("c", CLOSED, "https://x.example/a")], settings, first=4)),
                     store, Runner(settings), "job2", 10)
        assert [(d.article_id, d.reason, d.other_text) for d in again.duplicates] == [
            ("a", "same id", True), ("c", "same URL", False)]
        assert store.count_articles() == 1


def test_a_resumed_job_reads_duplicates_saved_before_other_text_was_recorded():
    from storyline.batch.job import BatchReport, _restore, _saved

    report = BatchReport(Path("s.db"), Path("out"))
    _restore(report, {"added": 3, "duplicates": [["in.jsonl", 4, "a", "a", "same id"]], "rejected": []})
    _restore(report, _saved(_with_other_text(), []))
    assert [(d.origin.line, d.article_id, d.other_text) for d in report.duplicates] == [(4, "a", False),
                                                                                      (7, "b", True)]


def _with_other_text():
    from storyline.batch.job import BatchReport
    from storyline.batch.resolve import AlreadyStored

    report = BatchReport(Path("s.db"), Path("out"))
    report.duplicates.append(AlreadyStored(SourceRef("in.jsonl", 7), "b", "b", "same id", True))
    return report
