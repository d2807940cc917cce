"""Reading JSON records already decoded (the HTTP API's body) as a JSONL file would be read."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest import RawArticle, build_items, read_raw_records, read_records
from storyline.records import Article, IngestWarning, Rejection, SourceRef
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


def test_raw_records_built_later_are_what_read_records_gives():
    records = [{"id": "a", "text": "One paragraph.\n\nAnother one.", "published": "2024-10-28"}, 7,
               {"id": "c", "text": "Dated badly.", "published": "the day after"}, {"text": ""}]
    raws = list(read_raw_records(records, "here"))
    assert [type(r).__name__ for r in raws] == ["RawArticle", "Rejection", "RawArticle", "Rejection"]
    assert list(build_items(raws, IngestSettings())) == list(read_records(records, "here", IngestSettings()))


def test_a_record_whose_building_fails_is_rejected_alone_after_its_warnings(monkeypatch):
    import storyline.ingest.reader as reader

    real = reader.build_article

    def failing(raw, settings):
        if raw.id == "b":
            yield IngestWarning(raw.origin, "seen first")
            raise RuntimeError("boom")
        yield from real(raw, settings)

    monkeypatch.setattr(reader, "build_article", failing)
    raws = [RawArticle(SourceRef("x", n), text=f"Paragraph {n} of text.", id=i) for n, i in enumerate("abc", 1)]
    items = list(build_items(raws, IngestSettings()))
    assert [type(i).__name__ for i in items] == ["Article", "IngestWarning", "Rejection", "Article"]
    assert items[2] == Rejection(SourceRef("x", 2), "could not be read (RuntimeError: boom)")


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


def _read(path, settings=None):
    from storyline.ingest import ReadOptions, read_input
    from storyline.ingest.sources import Input

    return list(read_input(Input("file", str(path)), settings or IngestSettings(), ReadOptions()))


def _jsonl(records) -> bytes:
    import json

    return "".join(json.dumps(r) + "\n" for r in records).encode()


_RECORD = {"id": st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8),
           "text": st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=200)}


_COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@settings(max_examples=40, deadline=None)
@given(records=st.lists(st.fixed_dictionaries(_RECORD), max_size=12), suffix=st.sampled_from(sorted(_COMPRESSORS)))
def test_a_compressed_file_reads_as_the_file_it_holds(tmp_path_factory, records, suffix):
    folder = tmp_path_factory.mktemp("packed")
    plain, packed = folder / "a.jsonl", folder / f"a.jsonl{suffix}"
    plain.write_bytes(_jsonl(records))
    packed.write_bytes(_COMPRESSORS[suffix](plain.read_bytes()))

    def shown(items):
        return [(type(i).__name__, i.origin.line, getattr(i, "id", None), getattr(i, "text", None),
                 getattr(i, "reason", None) or getattr(i, "message", None)) for i in items]

    # the same items, named by the file they came from
    assert shown(_read(packed)) == shown(_read(plain))


def test_compressed_files_by_name_in_folders_and_cut_short(tmp_path, seeds_dir):
    from storyline.ingest.sources import Input, expand

    seed = seeds_dir / "000_28c5dd749a0a6b13.txt"
    (tmp_path / "000_28c5dd749a0a6b13.txt.gz").write_bytes(gzip.compress(seed.read_bytes()))
    (tmp_path / "news.jsonl.gz").write_bytes(gzip.compress(_jsonl([{"id": "n1", "text": "The pier reopened."}])))
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"no known extension inside"))
    found = list(expand([tmp_path]))
    assert [Path(i.location).name for i in found if isinstance(i, Input)] == [
        "000_28c5dd749a0a6b13.txt.gz", "news.jsonl.gz"]
    (article,) = _read(tmp_path / "000_28c5dd749a0a6b13.txt.gz")
    assert article.id == "000_28c5dd749a0a6b13" and article.published == "2024-10-28"
    assert article.text.startswith("Ukraine's Foreign Minister Andriy Sybiha")
    # a file that starts as gzip does is decompressed whatever its name
    (tmp_path / "misnamed.jsonl").write_bytes((tmp_path / "news.jsonl.gz").read_bytes())
    assert [a.id for a in _read(tmp_path / "misnamed.jsonl")] == ["n1"]
    # cut short: the records before the cut are read, then the input ends with one rejection
    big = _jsonl([{"id": f"b{n}", "text": f"Record {n} of a long archive about the harbour."} for n in range(3000)])
    packed = gzip.compress(big)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[:len(packed) // 2])
    items = _read(tmp_path / "cut.jsonl.gz")
    assert all(isinstance(i, Article) for i in items[:-1]) and len(items) > 100
    assert isinstance(items[-1], Rejection) and items[-1].reason.startswith("the gzip data is damaged or cut short (")
    # bzip2 and xz, named so or not, cut short too
    (tmp_path / "more.csv.bz2").write_bytes(bz2.compress(b"id,text\nc1,The ferry runs again.\n"))
    (tmp_path / "more.txt.xz").write_bytes(lzma.compress(seed.read_bytes()))
    assert [a.id for a in _read(tmp_path / "more.csv.bz2")] == ["c1"]
    assert [a.id for a in _read(tmp_path / "more.txt.xz")] == ["more"]
    for name, compress, kind in (("cut.jsonl.bz2", bz2.compress, "bzip2"), ("cut.jsonl.xz", lzma.compress, "xz")):
        packed = compress(big)
        (tmp_path / name).write_bytes(packed[:len(packed) // 2])
        *read, rejected = _read(tmp_path / name)
        assert all(isinstance(i, Article) for i in read)
        assert rejected.reason.startswith(f"the {kind} data is damaged or cut short (")
    (tmp_path / "junk.jsonl").write_bytes(b"BZh9 this is no bzip2 stream at all")
    (rejected,) = _read(tmp_path / "junk.jsonl")
    assert rejected.reason.startswith("the bzip2 data is damaged or cut short (")


def test_a_gzip_file_over_the_limit_is_refused_without_decompressing_all_of_it(tmp_path):
    path = tmp_path / "huge.txt.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(64):  # 64 MB of text in ~64 kB
            handle.write(b"harbour " * (1 << 17))
    (rejected,) = _read(path, IngestSettings(max_file_bytes=1_000_000))
    assert isinstance(rejected, Rejection) and rejected.reason.startswith("file is over 1.0 MB, over the limit")


def test_gzip_from_standard_input(monkeypatch):
    import io
    import sys

    from storyline.ingest import ReadOptions, read_input
    from storyline.ingest.sources import Input

    data = gzip.compress(_jsonl([{"id": "s1", "text": "Piped in, compressed."}]))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    (article,) = read_input(Input("stdin", "<stdin>"), IngestSettings(), ReadOptions())
    assert isinstance(article, Article) and article.id == "s1"
