import csv
import io
import json

import pytest

from storyline.export import CSV_COLUMNS, story_records, write_export

ARTICLE_FIELDS = {"id", "title", "source", "url", "published", "story_id", "duplicate_of", "similarity", "passages"}
PASSAGE_FIELDS = {"index", "text", "status", "first_seen", "score", "copied"}


def _export(sl, fmt):
    buffer = io.StringIO()
    count = write_export(sl.articles(), [], fmt, buffer)
    return count, buffer.getvalue()


def test_json_follows_the_contract(sl, seeds_dir):
    sl.ingest([seeds_dir])
    count, text = _export(sl, "json")
    data = json.loads(text)
    assert count == 2 and set(data) == {"articles", "stories"}
    for article in data["articles"]:
        assert set(article) == ARTICLE_FIELDS
        for n, passage in enumerate(article["passages"]):
            assert set(passage) == PASSAGE_FIELDS and passage["index"] == n
            assert passage["status"] in ("new", "recycled", "boilerplate")
            if passage["status"] == "recycled":  # the copied characters, in it and in its first occurrence
                assert 0 <= passage["copied"]["start"] < passage["copied"]["end"] <= len(passage["text"])
                assert set(passage["first_seen"]) == {"article_id", "index", "start", "end"}
                assert 0 <= passage["first_seen"]["start"] < passage["first_seen"]["end"]
            elif passage["status"] == "new":
                assert passage["copied"] is None and passage["first_seen"] is None
    later = next(a for a in data["articles"] if a["id"] == "001_5a9cac7b8d2db75a")
    assert later["published"] == "2024-10-28" and len(later["passages"]) == 21
    assert later["passages"][0]["text"].startswith("The fact that Russia is forced")


def test_stories_carry_their_timeline(sl, seeds_dir):
    sl.ingest([seeds_dir])
    (story,) = list(story_records(sl.queries))
    assert set(story) == {"id", "title", "article_ids", "timeline", "statements", "contradictions"}
    timeline = story["timeline"]
    assert [e["date"] for e in timeline] == ["2024-10", "2024-10-15", "2024-10-17", "2024-10-25",
                                             "2024-10-27/2024-10-28", "2024-11-01"]
    assert timeline[0] == {"date": "2024-10", "qualifier": "early", "text": timeline[0]["text"],
                           "article_ids": ["000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"]}
    assert all(set(e) == {"date", "text", "article_ids"} for e in timeline[1:])  # qualifier only when set
    buffer = io.StringIO()
    write_export(sl.queries.articles(), story_records(sl.queries), "json", buffer)
    assert json.loads(buffer.getvalue())["stories"][0]["timeline"] == timeline


def test_empty_store_exports_valid_json(sl):
    count, text = _export(sl, "json")
    assert count == 0 and json.loads(text) == {"articles": [], "stories": []}


def test_jsonl_one_article_per_line(sl, seeds_dir):
    sl.ingest([seeds_dir])
    _, text = _export(sl, "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["type"] for line in lines] == ["article", "article"]
    assert set(lines[0]) == ARTICLE_FIELDS | {"type"}


def test_csv_one_row_per_passage_round_trips(sl, seeds_dir):
    sl.ingest([seeds_dir])
    _, text = _export(sl, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 18 + 21
    first = sl.article("000_28c5dd749a0a6b13")
    exported = [r["passage_text"] for r in rows if r["article_id"] == first.id]
    assert exported == [p.text for p in first.passages]


def test_unknown_format(sl):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        write_export(sl.articles(), [], "xml", io.StringIO())  # type: ignore[arg-type]


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(sl, tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps({"id": "=cmd", "title": '=HYPERLINK("http://evil.example","x")',
                                "text": "@SUM(1+1) opens the body.\n\n+1 555 0100 is a number.\n\n- a bullet\n\nA plain one."})
                    + "\n")
    sl.ingest([path])
    rows = list(csv.DictReader(io.StringIO(_export(sl, "csv")[1])))
    assert {r["article_id"] for r in rows} == {"'=cmd"}
    assert {r["title"] for r in rows} == {"'=HYPERLINK(\"http://evil.example\",\"x\")"}
    assert [r["passage_text"] for r in rows] == ["'@SUM(1+1) opens the body.", "'+1 555 0100 is a number.",
                                                 "'- a bullet", "A plain one."]
    raw = io.StringIO()
    write_export(sl.articles(), [], "csv", raw, raw_csv=True)
    assert [r["passage_text"] for r in csv.DictReader(io.StringIO(raw.getvalue()))][0] == "@SUM(1+1) opens the body."
