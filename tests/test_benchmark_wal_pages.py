"""benchmarks/wal_pages.py: the pages a commit writes, read from the WAL's frame headers and named
by the table or index that holds them."""

from __future__ import annotations

import json
import sqlite3
import struct
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus  # noqa: E402
import wal_pages  # noqa: E402


@given(st.lists(st.integers(1, 2**32 - 1), max_size=30), st.sampled_from([512, 1024, 4096]), st.integers(0, 100))
def test_frame_pages_reads_each_whole_frames_page_number(pages, page_size, torn):
    header = b"\x37\x7f\x06\x82" + bytes(28)
    frames = b"".join(struct.pack(">I", p) + bytes(20) + bytes(page_size) for p in pages)
    # a frame cut short at the end (a write in progress) is not read
    assert wal_pages.frame_pages(header + frames + bytes(min(torn, page_size)), page_size) == pages


def test_pages_are_named_by_what_holds_them_and_counted_a_batch():
    owner = {2: "articles", 3: "articles", 5: "story_terms"}
    named = wal_pages.by_name([2, 3, 2, 5, 9, 2], owner, batches=2)
    assert named == {"articles": (2.0, 1.0), "story_terms": (0.5, 0.5), "(new or free)": (0.5, 0.5)}
    assert list(named)[0] == "articles"  # the most frames first


def test_a_real_wal_names_the_index_a_commit_wrote_to(tmp_path):
    db = tmp_path / "w.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
    conn.execute("CREATE TABLE other (x INTEGER)")
    conn.commit()
    start = (db.parent / "w.db-wal").stat().st_size
    with conn:
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(f"{i:08d}", bytes(300)) for i in range(200)])
    wal = (db.parent / "w.db-wal").read_bytes()
    pages = wal_pages.frame_pages(wal, 4096, start)
    assert len(pages) == (len(wal) - start) // (24 + 4096)
    owner = dict(conn.execute("SELECT pageno, name FROM dbstat"))
    named = wal_pages.by_name(pages, owner, batches=1)
    assert "t" in named and "other" not in named
    conn.close()


@pytest.mark.skipif(not corpus.DEFAULT_SOURCE.is_dir(), reason=f"{corpus.DEFAULT_SOURCE} not present")
def test_a_stream_into_a_kept_store_reports_the_pages_it_wrote(tmp_path, capsys):
    import stream

    kept = tmp_path / "kept.db"
    stream.run(60, seed=1, batch=10, workers=1, keep=kept)
    before = kept.read_bytes()
    assert wal_pages.main(["--into", str(kept), "--articles", "30", "--batch", "10", "--batches", "2",
                           "--workers", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["batches"] == 2 and result["frames_a_batch"] > 0
    assert {"articles", "article_bands_log"} <= set(result["by_name"])
    assert sum(frames for frames, _ in result["by_name"].values()) == pytest.approx(result["frames_a_batch"], abs=0.1)
    assert kept.read_bytes() == before  # streamed into a copy
