"""benchmarks/compare_stores.py, which says whether a change left every stored result the same:
it must never call two stores the same when one lacks a table, or when nothing was compared."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import compare_stores  # noqa: E402


def _store(path: Path, rows: list[tuple], extra: str | None = None) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (id TEXT, ingested_at TEXT)")
    conn.executemany("INSERT INTO articles VALUES (?, ?)", rows)
    if extra is not None:
        conn.execute(f"CREATE TABLE {extra} (x)")
    conn.commit()
    conn.close()
    return path


def test_the_same_rows_at_other_wall_clock_times_are_the_same(tmp_path, capsys):
    a = _store(tmp_path / "a.db", [("x", "2026-01-01"), ("y", "2026-01-02")])
    b = _store(tmp_path / "b.db", [("y", "2026-03-03"), ("x", "2026-03-04")])
    assert compare_stores.main([str(a), str(b)]) == 0
    assert "the same" in capsys.readouterr().out


def test_a_row_that_differs_is_reported(tmp_path, capsys):
    a = _store(tmp_path / "a.db", [("x", "t")])
    b = _store(tmp_path / "b.db", [("z", "t")])
    assert compare_stores.main([str(a), str(b)]) == 1
    assert "differ: articles" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["first", "second"])
def test_a_table_in_one_store_only_differs(tmp_path, capsys, which):
    a = _store(tmp_path / "a.db", [("x", "t")], extra="stories" if which == "first" else None)
    b = _store(tmp_path / "b.db", [("x", "t")], extra="stories" if which == "second" else None)
    assert compare_stores.main([str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "differ: stories" in out and "stories" in out.splitlines()[-2]


def test_an_empty_file_is_not_the_same_as_a_store_and_a_missing_one_is_refused(tmp_path, capsys):
    a = _store(tmp_path / "a.db", [("x", "t")])
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert compare_stores.main([str(a), str(empty)]) == 1
    assert "differ: articles" in capsys.readouterr().out
    assert compare_stores.main([str(empty), str(empty)]) == 1  # nothing to compare is no verdict
    assert "nothing compared" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        compare_stores.main([str(a), str(tmp_path / "none.db")])
    assert "none.db: no such store" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_no_database_is_an_error(tmp_path, capsys):
    a = _store(tmp_path / "a.db", [("x", "t")])
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all, just some words to fill a page\n" * 40, encoding="utf-8")
    assert compare_stores.main([str(a), str(junk)]) == 2
    assert "error:" in capsys.readouterr().err
