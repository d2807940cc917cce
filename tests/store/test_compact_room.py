"""The room a compaction may need, asked of the real disks before it starts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from storyline.store import compact_room
from storyline.store.compact_room import compact_shortfalls, sqlite_temp_folder


def test_sqlite_s_temporary_folder_is_looked_for_in_its_own_order(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert sqlite_temp_folder({"SQLITE_TMPDIR": str(first), "TMPDIR": str(second)}) == first
    assert sqlite_temp_folder({"SQLITE_TMPDIR": str(tmp_path / "missing"), "TMPDIR": str(second)}) == second
    fallback = next(Path(p) for p in ("/var/tmp", "/usr/tmp", "/tmp")
                    if os.path.isdir(p) and os.access(p, os.W_OK | os.X_OK))
    assert sqlite_temp_folder({}) == fallback
    assert sqlite_temp_folder({"TMPDIR": str(tmp_path / "missing")}) == fallback


def test_one_disk_is_asked_for_twice_the_store(tmp_path, monkeypatch):
    store = tmp_path / "s.db"
    store.write_bytes(b"x" * 1000)
    environ = {"SQLITE_TMPDIR": str(tmp_path)}
    assert compact_shortfalls(store, 1000, environ) == []  # this disk has far more than 2 kB free
    real = shutil.disk_usage
    monkeypatch.setattr(compact_room.shutil, "disk_usage", lambda path: real(path)._replace(free=1500))
    (short,) = compact_shortfalls(store, 1000, environ)
    assert (short.folder, short.free, short.needed) == (tmp_path.resolve(), 1500, 2000)
    assert "copy" in short.what and "journal" in short.what


def test_two_disks_are_each_asked_for_the_store_once(tmp_path, monkeypatch):
    """The store's folder holds the journal, SQLite's temporary folder the copy."""
    other = Path("/dev/shm")
    if not (other.is_dir() and os.access(other, os.W_OK | os.X_OK)) or \
            other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no writable folder on another disk here")
    store = tmp_path / "s.db"
    store.write_bytes(b"x" * 1000)
    environ = {"SQLITE_TMPDIR": str(other)}
    assert compact_shortfalls(store, 1000, environ) == []
    real = shutil.disk_usage
    monkeypatch.setattr(compact_room.shutil, "disk_usage", lambda path: real(path)._replace(free=999))
    shorts = compact_shortfalls(store, 1000, environ)
    assert [(s.folder, s.needed) for s in shorts] == [(tmp_path.resolve(), 1000), (other.resolve(), 1000)]
    assert "journal" in shorts[0].what and "temporary" in shorts[1].what
