"""Crafted hostile inputs, made here (nothing large is committed): each is rejected alone with a
named reason in bounded time, the good articles of the same run are stored, and the store stays
whole."""

from __future__ import annotations

import codecs
import json
import os
import sqlite3
import time
import tracemalloc
from pathlib import Path

import pytest

from storyline import IngestSettings, Settings, Storyline
from storyline.errors import InputError
from storyline.ingest import ReadOptions
from storyline.ingest.html import check_html_limits

GOOD = ("The harbour bridge reopened on Monday after three weeks of load tests, officials said, "
        "and traffic returned to normal by the evening.")


def good(i: int) -> dict[str, object]:
    return {"id": f"good-{i}", "title": f"Bridge {i}", "text": f"{GOOD} Report number {i} of the series.",
            "published": "2024-10-28"}


def check_store(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def ingest(db: Path, paths: list, settings: IngestSettings | None = None, **options):
    with Storyline(db, Settings(ingest=settings or IngestSettings(workers=1))) as sl:
        report = sl.ingest([str(p) for p in paths], ReadOptions(**options))
    check_store(db)
    return report


def reasons(report) -> list[str]:
    return [r.reason for r in report.rejected]


def test_bad_json_records_are_rejected_alone(tmp_path, db_path):
    lines = [
        json.dumps(good(1)),
        '{"id": "lone", "text": "a lone surrogate \\ud800 in the text, and more words to make it an article"}',
        '{"id": "big", "text": "x", "published": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"id": "deep", "text": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}",
        '{"id": "ctl", "text": "control\\u0000 characters\\u0007 in the text of this one"}',
        json.dumps(good(2)),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(db_path, [path])
    assert set(report.added) == {"good-1", "lone", "ctl", "good-2"}
    by_line = {r.origin.line: r.reason for r in report.rejected}
    assert set(by_line) == {3, 4, 5}
    assert by_line[3] == "JSON value refused (a number of over 4,300 digits)"
    assert by_line[4] == "JSON nested too deeply"
    assert "field 'text' must be a string" in by_line[5]
    warnings = [w.message for w in report.warnings]
    assert any("lone surrogate" in w and "U+FFFD" in w for w in warnings)
    assert any("control character" in w for w in warnings)
    with Storyline(db_path) as sl:
        assert "\ufffd" in sl.article("lone").text


def test_a_file_name_that_is_not_utf8(tmp_path, db_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsencode(folder) + b"/caf\xe9-" + b"\xff.txt"
    with open(name, "wb") as f:
        f.write(f" date 2024-10-28 {GOOD}".encode())
    (folder / "ok.txt").write_text(f" date 2024-10-28 {GOOD} Another one.")
    report = ingest(db_path, [folder])
    assert len(report.added) == 2 and not report.rejected
    assert any("U+FFFD" in w.message and "id" in w.message for w in report.warnings)
    json.dumps(report.as_dict()).encode("utf-8")  # the report itself can be written out


def test_feed_dates_that_are_no_dates(tmp_path, db_path):
    items = "".join(f"<item><guid>https://example.org/a/{i}</guid><title>Item {i}</title>"
                    f"<pubDate>{d}</pubDate><description>{GOOD} Number {i}.</description></item>"
                    for i, d in enumerate(["0000-00-00", "Mon, 99 Foo 2024", "Tue, 29 Oct 2024 10:00:00 GMT"]))
    path = tmp_path / "feed.rss"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>')
    report = ingest(db_path, [path])
    assert len(report.added) == 3 and not report.rejected
    assert sum("article kept without a publication date" in w.message for w in report.warnings) == 2


def test_weird_csv_rows_each_accounted_for(tmp_path, db_path):
    long = f"{GOOD} " * 80  # past the first 8 kB, where a NUL byte would mark the file binary
    rows = [
        "id,title,text",
        f'c1,One,"{long}"',
        "c2,Two,\"unclosed quote " + "x" * 50,  # runs on into the lines after it
        ",,",
        "c3,Three",  # too few fields
        "c4,Four,nul\x00byte in the text",
        f'c5,Five,"{GOOD} Five."',
    ]
    path = tmp_path / "weird.csv"
    path.write_text("\n".join(rows) + "\n")
    settings = IngestSettings(workers=1, max_record_bytes=200)
    report = ingest(db_path, [path], settings)
    # c2's open quote runs on past the record limit: rejected, and reading goes on after it
    assert report.added == []  # c1 is over 200 bytes too
    assert report.rejected[0].reason == "line is over 200 bytes (settings: ingest.max_record_bytes)"
    assert "record is over 200 bytes" in report.rejected[1].reason
    assert all(r.origin.line is not None for r in report.rejected)

    path.write_text("\n".join(rows[:2] + rows[3:]) + "\n")  # without the runaway quote
    report = ingest(tmp_path / "b.db", [path])
    assert set(report.added) == {"c1", "c4", "c5"}
    assert [(s.origin.line, s.reason) for s in report.skipped] == [(3, "empty row (every field blank)")]
    assert [(r.origin.line, r.reason) for r in report.rejected] == [(4, "row has 2 fields, the header has 3")]
    assert [(w.origin.line, w.message) for w in report.warnings] == [(5, "1 control character(s) removed from text")]
    assert report.summary().endswith("1 empty row skipped")


def test_a_csv_record_over_the_limit_costs_no_more_than_the_limit(tmp_path, db_path):
    path = tmp_path / "giant.csv"
    with open(path, "w") as f:
        f.write(f'id,text\nbefore,"{GOOD}"\nhuge,')
        f.write("y" * 30_000_000)  # one 30 MB line
        f.write(f'\nafter,"{GOOD} After."\n')
    settings = IngestSettings(workers=1, max_record_bytes=1_000_000)
    tracemalloc.start()
    started = time.monotonic()
    report = ingest(db_path, [path], settings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert set(report.added) == {"before", "after"}
    assert reasons(report) == ["line is over 1,000,000 bytes (settings: ingest.max_record_bytes)"]
    assert report.rejected[0].origin.line == 3
    assert peak < 30_000_000, f"peak {peak / 1e6:.1f} MB"
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                           (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                                           (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_boms_in_every_reader(tmp_path, db_path, bom, encoding):
    text = {
        "a.jsonl": json.dumps(good(1), ensure_ascii=False) + "\n" + json.dumps(good(2)) + "\n",
        "b.csv": f'id,text\nc-1,"{GOOD} Ünïcode."\nc-2,"{GOOD} Two."\n',
        "c.txt": f" date 2024-10-28 {GOOD} Plain.",
        "d.html": f"<html><head><title>Page</title></head><body><article><p>{GOOD} Page.</p>"
                  f"<p>{GOOD} Again, with more words in it.</p></article></body></html>",
        "e.rss": f'<?xml version="1.0" encoding="{encoding[:6]}"?><rss version="2.0"><channel><title>T</title>'
                 f"<item><guid>e-1</guid><description>{GOOD} Feed.</description></item></channel></rss>",
    }
    for name, content in text.items():
        (tmp_path / name).write_bytes(bom + content.encode(encoding))
    report = ingest(db_path, sorted(tmp_path.glob("[a-e].*")))
    assert not report.rejected, report.rejected
    assert len(report.added) == 2 + 2 + 1 + 1 + 1
    with Storyline(db_path) as sl:
        assert "Ünïcode" in sl.article("c-1").text
        assert not sl.article("c-1").text.startswith("\ufeff")


def test_html_meta_charset_is_honoured(tmp_path, db_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
            "<title>Caf\xe9</title></head><body><article>"
            f"<p>Le caf\xe9 \u2019 ferm\xe9. {GOOD}</p><p>{GOOD} Encore.</p></article></body></html>")
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("cp1252"))
    report = ingest(db_path, [path])
    assert len(report.added) == 1, report.rejected
    with Storyline(db_path) as sl:
        assert "Le café ’ fermé." in sl.article("latin").text


def test_mojibake_over_the_limit_is_rejected_before_repair(tmp_path, db_path):
    path = tmp_path / "mojibake.txt"
    path.write_text(("CafÃ© â€œquotedâ€\x9d text " * 400_000)[:6_000_000])
    assert 8_000_000 < path.stat().st_size < IngestSettings().max_file_bytes
    started = time.monotonic()
    report = ingest(db_path, [path])
    assert time.monotonic() - started < 20
    (reason,) = reasons(report)
    assert reason.startswith("article is 6,000,000 characters, over the limit of 1,000,000")


def test_html_structure_limits_before_parsing(tmp_path, db_path):
    attrs = " ".join(f'a{i}="v"' for i in range(200_000))
    (tmp_path / "attrs.html").write_text(f"<html><body><p {attrs}>x</p></body></html>")
    (tmp_path / "tags.html").write_text("<html><body>" + "<b>x</b>" * 250_000 + "</body></html>")
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 240 + f"<p>{GOOD}</p>" + "</div>" * 240
                                        + "</body></html>")
    started = time.monotonic()
    report = ingest(db_path, sorted(tmp_path.glob("*.html")))
    assert time.monotonic() - started < 30
    by_file = {Path(r.origin.location).name: r.reason for r in report.rejected}
    assert by_file["attrs.html"] == ("HTML tag with 200,000 attributes, over the limit of 1,000 "
                                     "(settings: ingest.max_html_attributes)")
    assert by_file["tags.html"] == "HTML page has over 200,000 tags (settings: ingest.max_html_elements)"
    assert by_file["deep.html"].startswith("HTML elements nest") and "ingest.max_html_depth" in by_file["deep.html"]


def test_attribute_count_is_not_fooled_by_quoted_text():
    prose = " ".join(["word"] * 5000)
    check_html_limits(f'<meta name="description" content="{prose}"><p>x</p>', "x", IngestSettings())
    with pytest.raises(InputError, match="1,001 attributes"):
        check_html_limits("<p " + " ".join(f"b{i}" for i in range(1001)) + ">", "x", IngestSettings())


def test_empty_inputs_say_so(tmp_path, db_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "header.csv").write_text("id,text\n")
    (tmp_path / "zero.csv").write_text("")
    (tmp_path / "array.json").write_text("[]")
    report = ingest(db_path, [tmp_path / "empty", tmp_path / "header.csv", tmp_path / "zero.csv",
                              tmp_path / "array.json"])
    assert reasons(report) == ["empty folder: no files to read", "no records after the header", "empty file",
                               "empty JSON array (no records)"]
