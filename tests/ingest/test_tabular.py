import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest import ReadOptions, parse_map
from storyline.ingest.fields import FIELDS, FieldResolver
from storyline.ingest.tabular import read_jsonl
from storyline.records import Rejection
from storyline.settings import IngestSettings


def test_jsonl_fixture(sl, fixtures):
    report = sl.ingest([fixtures / "articles.jsonl"])
    assert report.ok and len(report.added) == 4
    by_id = {a.id: a for a in sl.articles()}
    assert by_id["hc-2025-03-01-bridge-closed"].published == "2025-03-01"
    assert by_id["hc-2025-03-03-extra-ferries"].published == "2025-03-03T07:15:00Z"
    assert by_id["lp-2025-03-04-repair-crews"].published == "2025-03-04T11:00:00Z"  # epoch ms
    assert [len(by_id[i].passages) for i in sorted(by_id)] == [3, 2, 3, 4]
    loads = by_id["lp-2025-03-09-load-tests"]
    assert loads.source == "Lindmark Post" and loads.url.startswith("https://lindmark-post.example/")
    assert "café" in loads.text


def test_malformed_lines_are_rejected_one_by_one(sl, fixtures):
    report = sl.ingest([fixtures / "articles_bad.jsonl"])
    assert sorted(report.added) == ["lp-2025-03-05-pier-five", "lp-2025-03-06-union-protest"]
    reasons = {r.origin.line: r.reason for r in report.rejected}
    assert set(reasons) == {2, 3, 4}
    assert reasons[2].startswith("malformed JSON")
    assert reasons[3] == "expected a JSON object, got list"
    assert reasons[4].startswith("record has no text")
    assert all(r.origin.location.endswith("articles_bad.jsonl") for r in report.rejected)


def test_jsonl_invalid_utf8_line_names_the_line(sl, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "Fine."}\n{"id": "b", "text": "Bad \xff byte."}\n{"id": "c", "text": "Also fine."}\n')
    report = sl.ingest([path])
    assert report.added == ["a", "c"]
    (rejection,) = report.rejected
    assert rejection.origin.line == 2 and "invalid UTF-8" in rejection.reason and "ff" in rejection.reason


def test_json_array_and_list_bodies(sl, tmp_path):
    path = tmp_path / "array.json"
    path.write_text(json.dumps([{"id": "x", "body": ["First para.", "Second para."], "date": "2024-01-02"},
                                {"id": "y", "text": "Only one."}]))
    report = sl.ingest([path])
    assert report.added == ["x", "y"]
    assert [p.text for p in sl.article("x").passages] == ["First para.", "Second para."]
    assert sl.article("x").published == "2024-01-02"


def test_jsonl_whose_first_record_is_an_array_rejects_that_line_alone(sl, tmp_path):
    # A file starting with "[" is not always one JSON array: here the first line is a bad record.
    path = tmp_path / "first_bad.jsonl"
    path.write_text('[1, 2]\n{"id": "a", "text": "First article."}\n{"id": "b", "text": "Second."}\n')
    report = sl.ingest([path])
    assert report.added == ["a", "b"]
    (rejection,) = report.rejected
    assert rejection.origin.line == 1 and rejection.reason == "expected a JSON object, got list"


def test_json_array_over_many_lines(sl, tmp_path):
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps([{"id": "x", "text": "One."}, {"id": "y", "text": "Two."}], indent=2) + "\n")
    assert sl.ingest([path]).added == ["x", "y"]


def _read(data: bytes) -> list:
    return list(read_jsonl(io.BufferedReader(io.BytesIO(data)), "x.jsonl", FieldResolver({}), IngestSettings()))


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                     max_leaves=6)


@given(st.lists(_JSON, min_size=2, max_size=6))
def test_json_lines_are_read_one_record_a_line_whatever_the_first_is(values):
    results = _read("".join(json.dumps(v) + "\n" for v in values).encode())
    assert [r.origin.line for r in results] == list(range(1, len(values) + 1))
    for value, result in zip(values, results):
        if not isinstance(value, dict):
            assert isinstance(result, Rejection) and result.reason.startswith("expected a JSON object")


@given(st.lists(st.fixed_dictionaries({"text": st.text(min_size=1, max_size=20).filter(str.strip)}), min_size=1,
                max_size=5), st.sampled_from([None, 0, 2]))
def test_a_json_array_is_read_as_its_elements_however_it_is_laid_out(records, indent):
    results = _read(json.dumps(records, indent=indent).encode())
    assert [r.origin.line for r in results] == list(range(1, len(records) + 1))
    assert not any(isinstance(r, Rejection) for r in results)


def test_missing_id_gets_stable_content_hash(sl, tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_text('{"text": "Some body text."}\n')
    (first,) = sl.ingest([path]).added
    assert first.startswith("h") and len(first) == 17
    assert sl.ingest([path]).duplicates[0].existing_id == first


def test_a_field_holding_an_object_or_a_list_is_left_out_with_a_warning(sl, tmp_path):
    path = tmp_path / "shapes.jsonl"
    path.write_text('{"id": "j1", "text": "The pier reopened on Monday.", "title": ["Pier", "reopens"]}\n'
                    '{"id": {"n": 2}, "text": "The ferry runs again.", "source": {"name": "' + "x" * 80 + '"}}\n'
                    '{"id": 3, "text": "Numbers are values.", "url": "https://x.example/3"}\n')
    report = sl.ingest([path])
    assert len(report.added) == 3 and report.rejected == []
    assert [(w.origin.line, w.message) for w in report.warnings] == [
        (1, 'field \'title\' is a list (["Pier", "reopens"]), not a single value: left out'),
        (2, 'field \'id\' is an object ({"n": 2}), not a single value: left out'),
        (2, 'field \'source\' is an object ({"name": "' + "x" * 49 + '…), not a single value: left out')]
    assert sl.article("j1").title is None and sl.article("3").url == "https://x.example/3"


def test_records_without_id_but_with_a_url_are_told_apart_by_it(sl, tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_text('{"text": "Some body text.", "url": "https://a.example/1", "source": "A"}\n'
                    '{"text": "Some body text.", "url": "https://b.example/9", "source": "B"}\n')
    report = sl.ingest([path])
    first, second = report.added
    assert first != second and report.copies == {second: first}
    assert sl.article(second).source == "B"
    assert [d.reason for d in sl.ingest([path]).duplicates] == ["same id", "same id"]


def test_extra_keys_are_kept_as_metadata(sl, tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text('{"id": "m", "text": "Body.", "story": "s1", "tags": ["a", "b"]}\n')
    sl.ingest([path])
    assert sl.article("m").metadata == {"story": "s1", "tags": '["a", "b"]'}


def test_over_long_record_is_rejected_and_the_next_still_ingests(tmp_path, db_path):
    from storyline import IngestSettings, Settings, Storyline

    path = tmp_path / "long.jsonl"
    path.write_text('{"id": "big", "text": "' + "x" * 5000 + '"}\n{"id": "ok", "text": "Small."}\n')
    with Storyline(db_path, Settings(ingest=IngestSettings(max_record_bytes=1000))) as engine:
        report = engine.ingest([path])
    assert report.added == ["ok"]
    assert report.rejected[0].origin.line == 1 and "over 1,000 bytes" in report.rejected[0].reason


def test_uci_csv_ingests_as_is(sl, data_dir):
    (csv_path,) = sorted((data_dir / "uci-news").glob("*.csv"))
    report = sl.ingest([csv_path])
    assert report.ok and not report.warnings
    # Identical headlines from different outlets are syndication: every row is kept, a copy
    # names the first outlet's row as its original.
    assert len(report.added) == 2485 and report.duplicates == []
    assert len(report.copies) == 10
    thebull, recorder = sl.article("467"), sl.article("115")
    assert (thebull.duplicate_of, thebull.similarity) == ("115", 1.0) and recorder.duplicate_of is None
    assert (thebull.source, recorder.source) == ("TheBull.com.au", "Business Recorder")
    assert thebull.url.startswith("http://www.thebull.com.au/") and thebull.published > recorder.published
    first = sl.article("1")
    assert first.title == "Fed official says weak data caused by weather, should not slow taper"
    assert first.source == "Los Angeles Times"
    assert first.published == "2014-03-10T16:52:50.698Z"
    assert first.metadata["STORY"] == "ddUyU0VZz0BRneMioxUPQVP6sIxvM"
    assert [p.text for p in first.passages] == [first.title]


def test_csv_with_map(sl, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("KEY,HEAD,COPY,WHEN,WHO\n"
                    'k1,A headline,"Para one.\n\nPara two.",1741165200000,Some Paper\n')
    options = ReadOptions(mapping=parse_map("id=KEY,title=HEAD,text=COPY,published=WHEN,source=WHO"))
    report = sl.ingest([path], options)
    assert report.added == ["k1"]
    article = sl.article("k1")
    assert (article.title, article.source, article.published) == ("A headline", "Some Paper", "2025-03-05T09:00:00Z")
    assert [p.text for p in article.passages] == ["Para one.", "Para two."]


def test_csv_with_a_repeated_text_column_is_rejected_until_one_is_chosen(sl, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("id,Text,text\nr1,The first column's body.,The second column's body.\n")
    (rejection,) = sl.ingest([path]).rejected
    assert rejection.origin.line == 1 and "column 'Text' appears more than once" in rejection.reason
    assert "--map text=COLUMN" in rejection.reason and "the second is 'text (2)'" in rejection.reason
    assert sl.ingest([path], ReadOptions(mapping=parse_map("text=text (2)"))).added == ["r1"]
    article = sl.article("r1")
    assert article.text == "The second column's body." and article.metadata == {"Text": "The first column's body."}


def test_repeated_csv_columns_are_all_kept(sl, tmp_path):
    path = tmp_path / "tags.csv"
    path.write_text("id,text,tag,Tag,TAG\nr2,A body.,a,b,c\n")
    assert sl.ingest([path]).added == ["r2"]
    assert sl.article("r2").metadata == {"tag": "a", "Tag (2)": "b", "TAG (3)": "c"}


def test_custom_csv_fixture(sl, fixtures):
    report = sl.ingest([fixtures / "custom.csv"],
                       ReadOptions(mapping=parse_map("title=HEADLINE,text=BODY,published=TIMESTAMP,"
                                                     "source=PUBLISHER,url=LINK")))
    assert report.ok and len(report.added) == 3
    assert sorted(len(a.passages) for a in sl.articles()) == [2, 2, 3]


def test_csv_without_text_column_is_rejected_whole(sl, tmp_path):
    path = tmp_path / "notext.csv"
    path.write_text("ID,NAME\n1,foo\n")
    report = sl.ingest([path])
    (rejection,) = report.rejected
    assert rejection.origin.line == 1
    assert "no text column" in rejection.reason and "ID, NAME" in rejection.reason
    assert not report.added


def test_csv_map_to_missing_column_is_named(sl, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,text\nT,Body.\n")
    report = sl.ingest([path], ReadOptions(mapping={"published": "TIMESTAMP"}))
    assert "--map published=TIMESTAMP: no column 'TIMESTAMP'" in report.rejected[0].reason


def test_csv_row_with_wrong_field_count(sl, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,text\na,Fine.\nb,Too,many\nc,Fine too.\n")
    report = sl.ingest([path])
    assert report.added == ["a", "c"]
    assert report.rejected[0].origin.line == 3 and "3 fields, the header has 2" in report.rejected[0].reason


def test_a_quote_left_open_is_named_as_the_likely_cause(sl, tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('id,text,published\na,Fine.,2024-01-01\nb,"Never closed,2024-01-02\nc,Swallowed,2024-01-03\n')
    report = sl.ingest([path])
    assert report.added == ["a"]
    (rejected,) = report.rejected
    assert rejected.origin.line == 3 and rejected.reason == (
        'row has 2 fields, the header has 3; it runs over lines 3-4, so a quoted field in it was likely not '
        'closed (a missing or stray ")')
    # A field quoted over two lines, as CSV allows, is one record and no error.
    path.write_text('id,text\nd,"Two\nlines."\n')
    assert sl.ingest([path]).added == ["d"]


def test_tsv(sl, tmp_path):
    path = tmp_path / "a.tsv"
    path.write_text("id\ttext\nt1\tTab separated, with a comma.\n")
    assert sl.ingest([path]).added == ["t1"]
    assert sl.article("t1").text == "Tab separated, with a comma."


def test_parse_map_errors():
    with pytest.raises(ValueError, match="unknown field 'headline'"):
        parse_map("headline=X")
    with pytest.raises(ValueError, match="must look like field=COLUMN"):
        parse_map("title")


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(alphabet="ABCDEFGHIJ_", min_size=1, max_size=8)))
def test_parse_map_round_trip(mapping):
    spec = ",".join(f"{k}={v}" for k, v in mapping.items())
    assert parse_map(spec) == mapping
