"""Reading JSON records already decoded (the HTTP API's body) as a JSONL file would be read."""

from __future__ import annotations

from storyline.ingest import read_records
from storyline.records import Article, IngestWarning, Rejection
from storyline.settings import IngestSettings


def test_records_become_articles_and_bad_ones_rejections_at_their_position():
    records = [{"id": "a", "title": "T", "text": "One paragraph.\n\nAnother one.", "published": "2024-10-28"},
               "not an object",
               {"id": "c", "text": "Dated badly.", "published": "the day after"},
               {"text": ""}]
    items = list(read_records(records, "POST /api/articles", IngestSettings()))
    articles = [i for i in items if isinstance(i, Article)]
    rejected = {i.origin.line: i.reason for i in items if isinstance(i, Rejection)}
    warned = {i.origin.line: i.message for i in items if isinstance(i, IngestWarning)}
    assert [a.id for a in articles] == ["a", "c"] and len(articles[0].passages) == 2
    assert articles[0].origin.location == "POST /api/articles" and articles[0].origin.line == 1
    assert articles[1].published is None and "the day after" in warned[3]  # kept, undated, with a warning
    assert set(rejected) == {2, 4}
    assert "JSON object" in rejected[2] and "empty" in rejected[4]


def test_no_records_is_nothing():
    assert list(read_records([], "x", IngestSettings())) == []


def test_numbering_can_start_where_a_split_of_a_file_starts():
    items = list(read_records([{"text": ""}], "part-0.parquet", IngestSettings(), first=41))
    assert [(i.origin.line, type(i).__name__) for i in items] == [(41, "Rejection")]


def test_a_parquet_file_is_refused_by_ingest_with_the_command_that_reads_it(tmp_path):
    from storyline.ingest import ReadOptions, read_input
    from storyline.ingest.sources import Input, expand

    named = tmp_path / "news.parquet"
    named.write_bytes(b"PAR1\x15\x04 columns")
    unnamed = tmp_path / "news.bin"
    unnamed.write_bytes(named.read_bytes())
    (tmp_path / "_SUCCESS").write_bytes(b"")  # a dataset folder's marker: not an input, not reported
    assert [i.location for i in expand([tmp_path]) if isinstance(i, Input)] == [str(named)]
    assert [str(s.origin.location) for s in expand([tmp_path]) if not isinstance(s, Input)] == [str(unnamed)]
    for path in (named, unnamed):
        (item,) = read_input(Input("file", str(path)), IngestSettings(), ReadOptions())
        assert isinstance(item, Rejection) and "`storyline batch` reads Parquet" in item.reason
