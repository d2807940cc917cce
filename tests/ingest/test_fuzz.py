"""Fuzzing every reader, through a real store: random bytes and structure-aware records.

For each example no exception escapes ``ingest``, every record is accounted for (added +
duplicates + rejected + skipped = the records written), every article reported added is in the
store, and the store passes ``PRAGMA integrity_check``. Examples are few and derandomised, so
CI runs the same cases in bounded time; raise ``FUZZ_EXAMPLES`` to search further by hand.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import sqlite3
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline import IngestSettings, Settings, Storyline

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
fuzz = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=20), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_names = itertools.count()

# Any character, lone surrogates included (JSON can carry them escaped).
any_text = st.text(st.characters(exclude_categories=()), max_size=200)
# What a UTF-8 file can hold without looking binary: no C0 controls but tab, CR, LF.
file_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="".join(
    chr(c) for c in range(32) if c not in (9, 10, 13))), max_size=200)
# What XML 1.0 can hold.
xml_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"), max_size=200)
words = st.lists(st.sampled_from(["the", "bridge", "reopened", "on", "Monday", "after", "load", "tests", "officials", "said", "2024", "October", "last", "week", "Kyiv", "talks", "will", "resume"]), min_size=0, max_size=60).map(" ".join)
body = st.one_of(words, any_text)
HOSTILE_DATES = ["0000-00-00", "2024-02-30", "9999-12-31T99:99", "Mon, 99 Foo 2024", "-1", "1e400", "NaN",
                 "2024-10-28", "Tue, 29 Oct 2024 10:00:00 GMT", "0000-00-00T00:00:00Z", "9" * 400]
dates = st.one_of(st.none(), st.sampled_from(HOSTILE_DATES), any_text, st.integers(min_value=-10**400, max_value=10**400), st.floats(), st.booleans())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "fuzz.db"
    with Storyline(db, Settings(ingest=IngestSettings(workers=1, batch_size=16))) as sl:
        yield sl, folder, db


def _ingest(store, suffix: str, data: bytes):
    sl, folder, db = store
    path = folder / f"in-{next(_names)}{suffix}"
    path.write_bytes(data)
    report = sl.ingest([str(path)])
    for article_id in report.added:
        assert sl.queries.has_article(article_id), article_id
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return report


def _accounted(report) -> int:
    return len(report.added) + len(report.duplicates) + len(report.rejected) + len(report.skipped)


def _readable(report) -> None:
    """Every reason and location can be written out (no lone surrogate reaches a report)."""
    json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")


record = st.fixed_dictionaries({}, optional={"id": st.one_of(any_text, st.integers(), st.none()), "title": any_text,
                                             "text": st.one_of(body, st.lists(body, max_size=4), st.integers()),
                                             "published": dates, "source": any_text, "url": any_text,
                                             "extra": st.one_of(any_text, st.dictionaries(any_text, any_text,
                                                                                           max_size=3))})
junk_line = st.one_of(
    st.binary(max_size=200).map(lambda b: bytes(c for c in b if c >= 32 or c == 9)),
    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 3000).map(lambda n: b'{"text": ' + b"9" * n + b"}"),
)


@fuzz
@given(records=st.lists(st.one_of(record.map(lambda r: json.dumps(r).encode()), junk_line), min_size=1, max_size=12))
def test_jsonl(store, records):
    lines = [json.dumps({"text": "A first record, so the file is read as lines."}).encode()] + records
    report = _ingest(store, ".jsonl", b"\n".join(lines) + b"\n")
    assert _accounted(report) == sum(1 for line in lines if line.strip())
    _readable(report)


@fuzz
@given(rows=st.lists(st.tuples(file_text, file_text, st.one_of(words, file_text), st.one_of(st.none(), file_text)),
                     min_size=1, max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]), bom=st.booleans())
def test_csv(store, rows, delimiter, bom):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "title", "text", "published"])
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    report = _ingest(store, ".csv", (b"\xef\xbb\xbf" if bom else b"") + data)
    # a record of nothing but empty fields may be written as a blank line: no record at all
    written = sum(1 for row in rows if any(row) or len(row) != 1)
    assert _accounted(report) == written, (report.rejected, report.skipped)
    _readable(report)


@fuzz
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".json", ".txt", ".html",
                                                              ".rss"]))
def test_random_bytes_in_every_format(store, data, suffix):
    report = _ingest(store, suffix, data)
    assert _accounted(report) >= 1  # the file is at least rejected with a reason
    assert all(r.reason for r in report.rejected)
    _readable(report)


entry = st.fixed_dictionaries({"title": xml_text, "description": st.one_of(words, xml_text),
                               "guid": st.one_of(xml_text, st.just("https://example.org/a/1")),
                               "pubDate": st.one_of(st.sampled_from(HOSTILE_DATES), st.integers().map(str), xml_text)})


@fuzz
@given(entries=st.lists(entry, min_size=1, max_size=8), atom=st.booleans())
def test_feeds(store, entries, atom):
    if atom:
        items = "".join(f"<entry><id>{escape(e['guid'])}</id><title>{escape(e['title'])}</title>"
                        f"<updated>{escape(e['pubDate'])}</updated><summary type=\"html\">"
                        f"{escape(e['description'])}</summary></entry>" for e in entries)
        doc = f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{items}</feed>'
    else:
        items = "".join(f"<item><guid>{escape(e['guid'])}</guid><title>{escape(e['title'])}</title>"
                        f"<pubDate>{escape(e['pubDate'])}</pubDate><description>{escape(e['description'])}"
                        "</description></item>" for e in entries)
        doc = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    report = _ingest(store, ".atom" if atom else ".rss", doc.encode("utf-8"))
    assert _accounted(report) == len(entries), report.rejected
    _readable(report)


tag = st.sampled_from(["p", "div", "article", "span", "h1", "li", "script", "table", "b", "i", "a"])


@st.composite
def html_pages(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        name = draw(tag)
        attrs = " ".join(f'{draw(st.sampled_from(["class", "id", "href", "x", "onclick"]))}="{escape(draw(file_text))}"'
                         for _ in range(draw(st.integers(0, 3))))
        parts.append(f"<{name} {attrs}>{escape(draw(st.one_of(words, file_text)))}"
                     + (f"</{name}>" if draw(st.booleans()) else ""))
    charset = draw(st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="iso-8859-1">',
                                    '<meta charset="no-such-charset">']))
    return f"<html><head>{charset}<title>{escape(draw(file_text))}</title></head><body>{''.join(parts)}</body></html>"


@fuzz
@given(page=html_pages())
def test_html(store, page):
    report = _ingest(store, ".html", page.encode("utf-8"))
    assert _accounted(report) == 1
    _readable(report)


@fuzz
@given(text=file_text, prefix=st.sampled_from(["", " date 2024-10-28 ", " date 0000-00-00 ", " date 2024-13-45\n"]))
def test_plain_text(store, text, prefix):
    report = _ingest(store, ".txt", (prefix + text).encode("utf-8"))
    assert _accounted(report) == 1
    _readable(report)


def test_the_store_is_whole_after_the_fuzzing(store):
    sl, _, db = store
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert stored == sum(1 for _ in sl.articles())
