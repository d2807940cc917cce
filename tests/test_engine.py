"""The engine's promises: idempotent ingest, every input accounted for, and nothing stored ever lost."""

import io
import sys

import pytest

from storyline import IngestSettings, Settings, Storyline
from storyline.ingest import ReadOptions


def _snapshot(engine: Storyline) -> list[tuple]:
    return [(a.id, a.text, a.published, tuple(p.text for p in a.passages)) for a in engine.articles()]


def test_same_article_twice_is_one_article(sl, seeds_dir):
    first = sl.ingest([seeds_dir])
    second = sl.ingest([seeds_dir, seeds_dir / "000_28c5dd749a0a6b13.txt"])
    assert len(first.added) == 2
    assert second.added == [] and len(second.duplicates) == 3
    assert {d.reason for d in second.duplicates} == {"same id"}
    assert sl.store.count_articles() == 2


def test_same_content_under_another_id_is_kept_as_a_copy(sl, seeds_dir, tmp_path):
    sl.ingest([seeds_dir])
    copy = tmp_path / "copy.txt"
    original = (seeds_dir / "000_28c5dd749a0a6b13.txt").read_text()
    prefix = " date 2024-10-28 "
    assert original.startswith(prefix)
    copy.write_text(prefix + original[len(prefix):].upper().replace("\n\n", "\n\n\n"))
    report = sl.ingest([copy])
    assert report.added == ["copy"] and report.duplicates == []
    assert report.copies == {"copy": "000_28c5dd749a0a6b13"}
    assert report.summary().startswith("1 added (1 copy of stored text), 0 already present")
    stored = sl.article("copy")
    assert (stored.duplicate_of, stored.similarity) == ("000_28c5dd749a0a6b13", 1.0)
    assert {p.status for p in stored.passages} <= {"recycled", "boilerplate"}
    assert stored.story_id == sl.article("000_28c5dd749a0a6b13").story_id
    assert sl.store.count_articles() == 3


def test_syndicated_rows_are_two_articles_in_one_story(sl, tmp_path):
    """As in the UCI stream: the same text from two outlets, each with its own URL and date."""
    text = ("Wall Street stocks dipped on Monday after weak trade data from China and tension over Ukraine "
            "weighed on investors, with the S&P 500 index down 0.2 percent by midday.")
    path = tmp_path / "wire.csv"
    path.write_text("ID,TITLE,TEXT,URL,PUBLISHER,TIMESTAMP\n"
                    f'115,US stocks dip,"{text}",https://brecorder.example/115,Business Recorder,1394472081818\n'
                    f'467,US stocks dip,"{text}",https://thebull.example/467,TheBull,1394481300434\n'
                    f'200,Other desk,"{text} Analysts expect more.",https://other.example/200,Other Desk,1394490000000\n')
    report = sl.ingest([path])
    assert report.added == ["115", "467", "200"] and report.duplicates == []
    assert report.summary().startswith("3 added (1 copy of stored text), 0 already present")
    assert report.as_dict()["copies"] == [{"id": "467", "duplicate_of": "115"}]
    bull, recorder = sl.article("467"), sl.article("115")
    assert recorder.duplicate_of is None
    assert (bull.duplicate_of, bull.similarity) == ("115", 1.0)
    assert (bull.source, bull.url, bull.published) == ("TheBull", "https://thebull.example/467", "2014-03-10T19:55:00.434Z")
    assert bull.passages[0].status == "recycled" and bull.passages[0].first_seen.article_id == "115"
    (story,) = sl.stories()
    assert sorted(story.article_ids) == ["115", "200", "467"]
    summary = sl.queries.story_summary(story)
    # 200 is a near-duplicate too (a sentence added): one independent source, three outlets.
    assert (summary["articles"], summary["sources"], summary["outlets"]) == (3, 1, 3)
    row = sl.store.listing().story_row(story.id)
    assert (row.sources, row.outlets) == (1, 3)
    copy = next(a for a in sl.store.listing().story_articles(story.id) if a.id == "467")
    assert (copy.duplicate_of, copy.original_source) == ("115", "Business Recorder")
    # Ingested again, each row is already present (same id), not a new copy.
    again = sl.ingest([path])
    assert again.added == [] and [d.reason for d in again.duplicates] == ["same id"] * 3


def test_duplicates_within_one_run(sl, tmp_path):
    path = tmp_path / "twice.jsonl"
    path.write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Other."}\n{"id": "b", "text": "one."}\n'
                    '{"id": "c", "text": "Three.", "url": "https://x.example/1"}\n'
                    '{"id": "d", "text": "Four.", "url": "https://x.example/1"}\n')
    report = sl.ingest([path])
    assert report.added == ["a", "b", "c"] and report.copies == {"b": "a"}
    assert [(d.article_id, d.existing_id, d.reason) for d in report.duplicates] == [
        ("a", "a", "same id"), ("d", "c", "same URL")]
    assert "d has the same URL as c" in str(report.duplicates[1])
    assert (sl.article("b").duplicate_of, sl.article("b").similarity) == ("a", 1.0)
    # "a" came again with another text, "d" under c's URL with another: neither is stored, and
    # the report says their texts differ (an outlet's update is not silently dropped).
    assert [d.other_text for d in report.duplicates] == [True, True]
    assert str(report.duplicates[0]).endswith("a is already stored, with another text (the stored one is kept; "
                                              "give this one an id and URL of its own to store both)")
    assert sl.article("a").text == "One."
    assert "5 already present" not in report.summary() and "2 already present (2 with another text)" in report.summary()


def test_one_article_linked_two_ways_is_one_article(sl, tmp_path):
    # A feed links its entries with tracking parameters; the page itself, or another feed, without.
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "The bridge is closed.", "url": "https://x.example/a?utm_source=rss&utm_medium=feed"}\n'
                    '{"text": "The bridge is closed.", "url": "https://x.example/a#comments"}\n')
    report = sl.ingest([feed])
    assert len(report.added) == 1 and [d.reason for d in report.duplicates] == ["same URL"]
    (article,) = sl.articles()
    assert article.url == "https://x.example/a?utm_source=rss&utm_medium=feed"  # kept as written
    page = tmp_path / "page.jsonl"
    page.write_text('{"text": "The bridge is closed, the mayor said.", "url": "http://www.x.example/a"}\n'
                    '{"text": "The bridge is closed.", "url": "https://x.example/a?id=2"}\n')
    again = sl.ingest([page])
    assert [(d.reason, d.existing_id, d.other_text) for d in again.duplicates] == [
        ("same URL", article.id, True)]
    assert len(again.added) == 1 and again.copies == {again.added[0]: article.id}


def test_an_id_or_url_stored_with_another_text_is_reported_as_such(sl, tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text('{"id": "a", "text": "The bridge is closed.", "url": "https://x.example/a"}\n')
    sl.ingest([first])
    later = tmp_path / "later.jsonl"
    later.write_text('{"id": "a", "text": "The bridge is closed."}\n'  # the same again
                     '{"id": "a", "text": "The bridge is open again."}\n'  # updated under its id
                     '{"id": "b", "text": "The bridge is open again.", "url": "https://x.example/a"}\n'
                     '{"id": "c", "text": "The bridge is closed.", "url": "https://x.example/a"}\n')
    report = sl.ingest([later])
    assert report.added == []
    assert [(d.article_id, d.reason, d.other_text) for d in report.duplicates] == [
        ("a", "same id", False), ("a", "same id", True), ("b", "same URL", True), ("c", "same URL", False)]
    assert report.summary().startswith("0 added, 4 already present (2 with another text), ")
    assert [d["other_text"] for d in report.as_dict()["duplicates"]] == [False, True, True, False]
    assert sl.article("a").text == "The bridge is closed." and sl.store.count_articles() == 1


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image), not text"),
    "latin1.txt": ("Caf\u00e9 au lait".encode("latin-1"), "invalid UTF-8 (byte e9"),
    "broken.jsonl": (b'{"id": "x", "text": "unterminated\n', "malformed JSON"),
    "nocolumns.csv": (b"ID,NAME\n1,foo\n", "no text column"),
    "notxml.rss": (b"just prose, no markup at all", "not an RSS/Atom feed"),
    "bomb.xml": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                 b"<rss version='2.0'><channel><item><title>&lol2;</title></item></channel></rss>",
                 "possible XML bomb"),
    "nothing.html": (b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
                     "no article text found in the HTML page"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_and_the_store_is_intact(sl, seeds_dir, tmp_path, name):
    sl.ingest([seeds_dir])
    before = _snapshot(sl)
    data, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    report = sl.ingest([path])
    assert not report.ok and not report.added
    assert len(report.rejected) == 1
    rejection = report.rejected[0]
    assert rejection.origin.location == str(path)
    assert reason in rejection.reason
    assert _snapshot(sl) == before


def test_fifty_megabyte_article_is_rejected_with_the_limit(sl, seeds_dir, tmp_path):
    sl.ingest([seeds_dir])
    before = _snapshot(sl)
    huge = tmp_path / "huge.txt"
    paragraph = ("All work and no play makes a very long article. " * 40 + "\n\n").encode()
    with open(huge, "wb") as handle:
        while handle.tell() < 50_000_000:
            handle.write(paragraph * 100)
    huge_record = tmp_path / "huge.jsonl"
    huge_record.write_bytes(b'{"id": "huge", "text": "' + b"word " * 10_000_000 + b'"}\n{"id": "ok", "text": "Fine."}\n')
    report = sl.ingest([huge, huge_record])
    reasons = [r.reason for r in report.rejected]
    assert reasons[0].startswith("file is 50.") and "over the limit of 10 MB" in reasons[0]
    assert "over 10,000,000 bytes" in reasons[1] and report.rejected[1].origin.line == 1
    assert report.added == ["ok"]
    assert _snapshot(sl)[:2] == before


def test_article_over_the_character_limit(tmp_path, db_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 300)
    with Storyline(db_path, Settings(ingest=IngestSettings(max_article_chars=1000))) as engine:
        (rejection,) = engine.ingest([path]).rejected
    # checked on the text as read (1,500 characters), before normalising it
    assert rejection.reason.startswith("article is 1,500 characters, over the limit of 1,000")


def test_unparseable_date_keeps_the_article_with_a_warning(sl, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "d1", "text": "Body.", "published": "the day after tomorrow"}\n')
    report = sl.ingest([path])
    assert report.ok and report.added == ["d1"]
    (warning,) = report.warnings
    assert warning.origin.line == 1 and "cannot read 'the day after tomorrow' as a date" in warning.message
    assert sl.article("d1").published is None


def test_missing_paths_and_empty_globs(sl, tmp_path):
    report = sl.ingest([tmp_path / "absent.txt", str(tmp_path / "*.nothing")])
    assert [r.reason for r in report.rejected] == ["no such file or directory", "no files match this pattern"]


def test_folder_skips_unknown_extensions_with_a_warning(sl, tmp_path):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / "a.txt").write_text("An article.")
    (folder / "notes.md").write_text("# Not an article")
    (folder / ".hidden.txt").write_text("Hidden.")
    (folder / ".git" / "x.txt").write_text("Hidden too.")
    report = sl.ingest([folder])
    assert report.added == ["a"] and not report.warnings
    assert [s.origin.location for s in report.skipped] == [str(folder / "notes.md")]
    assert report.summary().endswith("1 file skipped (not an article format)")


def test_glob(sl, seeds_dir):
    report = sl.ingest([str(seeds_dir / "00*.txt")])
    assert len(report.added) == 2


def test_stdin_is_sniffed(sl, monkeypatch):
    data = b'{"id": "s1", "text": "From a pipe."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    report = sl.ingest(["-"])
    assert report.added == ["s1"]


def test_stdin_plain_text_gets_a_content_id(sl, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(b" date 2024-01-02 Piped body."))))
    (added,) = sl.ingest(["-"]).added
    assert added.startswith("h") and sl.article(added).published == "2024-01-02"


def test_forced_format(sl, tmp_path):
    path = tmp_path / "feed.dat"
    path.write_text('{"id": "j", "text": "JSON in a .dat file."}\n')
    assert sl.ingest([path], ReadOptions(format="jsonl")).added == ["j"]


def test_a_failing_batch_keeps_earlier_batches(tmp_path, db_path, monkeypatch):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"id": "a{i}", "text": "Article number {i} about item {i * 7}."}}\n' for i in range(10)))
    with Storyline(db_path, Settings(ingest=IngestSettings(batch_size=4))) as engine:
        real = engine.store.insert_article
        inserted = []

        def flaky(article):
            inserted.append(article.id)
            if len(inserted) == 6:  # the second article of the second batch
                raise RuntimeError("disk went away")
            return real(article)

        monkeypatch.setattr(engine.store, "insert_article", flaky)
        with pytest.raises(RuntimeError):
            engine.ingest([path])
        monkeypatch.undo()
        # The whole second batch rolled back, reuse index included; the first is intact.
        assert [a.id for a in engine.articles()] == ["a0", "a1", "a2", "a3"]
        assert len(engine.store.reuse_index().signatures(list(range(1, 20)))) == 4
        # Run again: the rest goes in, the first batch counts as already present.
        report = engine.ingest([path])
        assert len(report.added) == 6 and len(report.duplicates) == 4


def test_an_ingest_stopped_by_a_full_disk_says_what_it_stored_and_a_rerun_completes(tmp_path):
    """The batch the disk could not take is rolled back whole; the batches before it stay, the
    error says how many, and the same ingest run again with room skips them and stores the rest."""
    import json

    from storyline.engine import ProgressHook
    from storyline.errors import StoreWriteFailed

    source = tmp_path / "feed.jsonl"
    words = "The harbour board met again about the strike and the ferries that did not sail. " * 400
    source.write_text("".join(json.dumps({"id": f"a{n}", "text": f"Report {n}. {words}"}) + "\n" for n in range(6)),
                      encoding="utf-8")
    settings = Settings(ingest=IngestSettings(batch_size=2, workers=1))

    class FillAfterFirstBatch(ProgressHook):
        def __init__(self, engine: Storyline) -> None:
            self.engine = engine

        def batch_written(self, article_ids: list[str]) -> None:
            conn = self.engine.store._conn  # the disk fills up: the store may grow by one page more
            used = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {used + 1}")

    with Storyline(tmp_path / "s.db", settings) as sl:
        with pytest.raises(StoreWriteFailed) as failed:
            sl.ingest([source], progress=FillAfterFirstBatch(sl))
        assert failed.value.full and failed.value.stored_before == 2
        assert "this ingest stored 2 articles before it (run it again and those are skipped)" in str(failed.value)
        assert [a.id for a in sl.articles()] == ["a0", "a1"]
        sl.store._conn.execute("PRAGMA max_page_count = 1073741823")  # room again
        again = sl.ingest([source])
        assert again.added == ["a2", "a3", "a4", "a5"] and [d.article_id for d in again.duplicates] == ["a0", "a1"]
    with Storyline(tmp_path / "s.db", settings) as sl:
        assert [a.id for a in sl.articles()] == [f"a{n}" for n in range(6)]
        assert sl.store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert len({a.story_id for a in sl.articles()}) == 1  # the rolled-back batch left nothing behind


def test_an_interrupt_as_a_batch_commits_still_reports_the_batch(tmp_path, monkeypatch):
    """Ctrl-C raises once the C call running COMMIT returns: the batch is in the store, and the
    ingest's progress is told of it, so an interrupted command says exactly what it kept."""
    import json

    from storyline.engine import ProgressHook
    from storyline.pipeline.runner import Runner

    source = tmp_path / "feed.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{n}", "text": f"Report {n} on the harbour strike, day {n}."})
                              + "\n" for n in range(6)), encoding="utf-8")
    real, written = Runner.write, []

    def write_then_interrupted(self, sink, articles, features):
        result = real(self, sink, articles, features)
        written.append(len(articles))
        if len(written) == 2:
            raise KeyboardInterrupt  # as the signal arrives while COMMIT runs
        return result

    class Told(ProgressHook):
        stored: list[str] = []

        def batch_written(self, article_ids: list[str]) -> None:
            self.stored = [*self.stored, *article_ids]

    monkeypatch.setattr(Runner, "write", write_then_interrupted)
    told = Told()
    with Storyline(tmp_path / "s.db", Settings(ingest=IngestSettings(batch_size=2, workers=1))) as sl:
        with pytest.raises(KeyboardInterrupt):
            sl.ingest([source], progress=told)
        assert told.stored == ["a0", "a1", "a2", "a3"] == [a.id for a in sl.articles()]
