"""A store that can only be read from where it is: on a read-only file system, or owned by
another user. Reading works as ever; a write is refused before it begins, naming why; nothing
is written to the file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.errors import StoreError, StoreReadOnly
from storyline.records import Article, Passage
from storyline.store import Store

STORES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, passages=[Passage(0, 0, len(text), text)], content_hash=f"hash-{aid}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _made(folder: Path, name: str = "news.db") -> Path:
    db = folder / name
    with Store(db) as store:
        store.add_articles([_article("a", "The bridge closed on Monday."), _article("b", "Ferries ran instead.")])
    return db


def test_a_store_on_a_read_only_file_system_is_read_and_never_written(read_only_mount, seeds_dir):
    folder, view = read_only_mount
    with Storyline(folder / "news.db") as sl:
        assert sl.ingest([seeds_dir]).ok
        stories = [(s.id, s.article_ids) for s in sl.stories()]
    before = _digest(folder / "news.db")
    with Storyline(view / "news.db") as sl:
        assert sl.read_only == "it is on a read-only file system"
        assert [(s.id, s.article_ids) for s in sl.stories()] == stories
        assert len(list(sl.articles())) == 2
        assert sl.queries.search("Sybiha").total >= 1
        with pytest.raises(StoreReadOnly, match="can only be read from here .it is on a read-only file system"):
            sl.ingest_records([{"id": "new", "text": "A new article about the bridge.", "published": "2024-10-29"}])
        with pytest.raises(StoreReadOnly, match="nothing was written"):
            sl.compact()
        assert len(list(sl.articles())) == 2
    assert _digest(folder / "news.db") == before
    assert sorted(p.name for p in folder.iterdir()) == ["news.db"]  # no log or index left beside it


def test_a_write_through_the_store_is_refused_before_it_begins(read_only_mount):
    folder, view = read_only_mount
    _made(folder)
    with Store(view / "news.db") as store:
        with pytest.raises(StoreReadOnly):
            store.add_articles([_article("c", "Another day.")])
        with pytest.raises(StoreReadOnly):
            with store.transaction():
                pass
        assert store.count_articles() == 2 and store.get_article("a").text == "The bridge closed on Monday."


def test_a_write_ahead_log_not_copied_into_the_store_is_named_rather_than_ignored(read_only_mount):
    folder, view = read_only_mount
    db = _made(folder)
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the next write stays in the log
    writer.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
    writer.commit()
    # A snapshot taken while a writer had it open: the store and its log, no index
    shutil.copy(db, folder / "snapshot.db")
    shutil.copy(folder / "news.db-wal", folder / "snapshot.db-wal")
    writer.close()
    with pytest.raises(StoreError, match=r"its write-ahead log snapshot.db-wal holds writes not yet copied into it"
                                         r".*copy snapshot.db and snapshot.db-wal together"):
        Store(view / "snapshot.db", upgrade=False, create=False)
    (folder / "snapshot.db-wal").unlink()
    with Store(view / "snapshot.db", upgrade=False, create=False) as store:  # the snapshot without its log
        assert store.read_only is not None and store.count_articles() == 2


def test_an_older_store_that_cannot_be_upgraded_where_it_is_says_how(read_only_mount):
    folder, view = read_only_mount
    shutil.copy(STORES / "v1.db", folder / "old.db")
    for upgrade in (True, False):
        with pytest.raises(StoreError, match=r"at schema version 1, .* cannot be upgraded where it is "
                                             r"\(it is on a read-only file system\): copy it .*storyline migrate"):
            Store(view / "old.db", upgrade=upgrade, create=False)


def test_a_new_store_in_a_read_only_folder_is_refused_naming_the_folder(read_only_mount):
    _, view = read_only_mount
    with pytest.raises(StoreError, match="cannot create the store: the folder is on a read-only file system"):
        Store(view / "new.db")
    assert not (view / "new.db").exists()


def test_another_user_reads_a_store_once_sqlite_can_keep_its_index_beside_it(as_another_user):
    folder, run = as_another_user
    db = _made(folder)
    db.chmod(0o644)
    # The folder only root may write, and no writer running: SQLite cannot make the -shm file a
    # WAL store is read through, and opening it as immutable would be unsafe (root may write).
    said = run("stats", "--db", str(db))
    assert said.returncode == 2, said.stderr
    assert "cannot open the store for reading (this user may not write the file)" in said.stderr
    assert "news.db-shm" in said.stderr and "Traceback" not in said.stderr
    folder.chmod(0o777)
    said = run("stats", "--db", str(db))
    assert said.returncode == 0, said.stderr
    assert "articles  2" in said.stdout
    before = _digest(db)
    new = folder / "new.jsonl"
    new.write_text('{"id": "c", "text": "Another day of ferries.", "published": "2024-10-29"}\n', encoding="utf-8")
    said = run("ingest", str(new), "--db", str(db))
    assert said.returncode == 2
    assert "the store can only be read from here (this user may not write the file)" in said.stderr
    assert _digest(db) == before
