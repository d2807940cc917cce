import multiprocessing
import sqlite3
import threading
from collections import Counter

from dataclasses import replace

import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.records import Article, Passage, PassageRef, Span
from storyline.store import SCHEMA_VERSION, Store
from storyline.store.migrations import MIGRATIONS
from storyline.store.story_terms import index_term_rows


def _article(aid: str, text: str = "Body.") -> Article:
    return Article(id=aid, text=text, passages=[Passage(0, 0, len(text), text)], content_hash=f"hash-{aid}")


def test_new_store_is_wal_and_at_latest_schema(db_path):
    with Store(db_path):
        pass
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == MIGRATIONS[-1].version
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "passage_rows"} <= tables
    # the passages as other clients read them (schema 27: a view over passage_rows)
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'passages'").fetchone() == ("view",)


def test_data_survives_reopening(db_path):
    with Store(db_path) as store:
        store.add_articles([_article("a", "Hello there.")])
    with Store(db_path) as store:
        article = store.get_article("a")
        assert article.text == "Hello there." and article.passages[0].text == "Hello there."


def test_failed_batch_is_rolled_back_whole(db_path):
    with Store(db_path) as store:
        store.add_articles([_article("kept")])
        with pytest.raises(sqlite3.IntegrityError):
            store.add_articles([_article("new1"), _article("kept")])  # second one violates UNIQUE(id)
        assert store.count_articles() == 1
        assert not store.has_article("new1")


def _room_for(store: Store, pages: int) -> None:
    """Let the store's file grow by at most ``pages`` pages more: SQLite then fails a write that
    needs more with SQLITE_FULL, as it does when the disk is full."""
    used = store._conn.execute("PRAGMA page_count").fetchone()[0]
    assert store._conn.execute(f"PRAGMA max_page_count = {used + pages}").fetchone()[0] == used + pages


def _search_segments(store: Store) -> int:
    return store._conn.execute("SELECT count(DISTINCT segid) FROM article_search_idx").fetchone()[0]


def _search_index_ok(store: Store) -> bool:
    try:  # FTS5 checks its index against the content (the stored texts): raises when they differ
        store._conn.execute("INSERT INTO article_search (article_search, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_the_search_rows_of_a_transaction_are_written_together_when_it_ends(db_path):
    words = ["harbour", "tariff", "glacier", "orchard", "satellite", "quarry", "lantern", "meadow"]
    with Store(db_path) as store:
        store.add_articles([_article(f"a{n}", f"The {word} report, number {n}.") for n, word in enumerate(words)])
        # FTS5 writes what it holds pending at each statement savepoint, and an insert into articles
        # opens one: written with each article, every article's row made a segment of its own
        assert _search_segments(store) == 1
        assert _search_index_ok(store)
        for word in words:
            assert store.search().search(word).articles == 1
        with pytest.raises(sqlite3.IntegrityError):  # rolled back: nothing of it is searchable
            store.add_articles([_article("new1", "The volcano report."), _article("a0")])
        assert store.search().search("volcano").articles == 0 and _search_index_ok(store)
        store.add_articles([_article("new1", "The volcano report.")])
        assert store.search().search("volcano").articles == 1 and _search_segments(store) == 2


def test_an_article_inserted_in_a_transaction_the_caller_began_is_searchable_at_once(db_path):
    with Store(db_path) as store:
        store._conn.execute("BEGIN IMMEDIATE")
        store.insert_article(_article("raw", "The walrus report."))
        store._conn.execute("COMMIT")
        assert store.search().search("walrus").articles == 1 and _search_index_ok(store)


def test_a_full_disk_rolls_the_batch_back_and_says_so(db_path):
    from storyline.errors import StoreWriteFailed

    with Store(db_path) as store:
        store.add_articles([_article("kept", "Kept before the disk filled.")])
        _room_for(store, 2)
        big = "Words enough to need new pages of the store. " * 2_000
        with pytest.raises(StoreWriteFailed) as failed:
            store.add_articles([_article("new1", big + "1"), _article("new2", big + "2")])
        assert failed.value.full and failed.value.stored_before is None
        said = str(failed.value)
        assert said.startswith(f"{db_path}: cannot write: the disk holding it is full (database or disk is full); ")
        assert "rolled back, what the store held before it is intact; free some space and try again" in said
        assert isinstance(failed.value.__cause__, sqlite3.OperationalError)
        assert store.count_articles() == 1 and not store.has_article("new1")
        assert not store._conn.in_transaction
        # with room again, the same store takes the same batch
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        store.add_articles([_article("new1", big + "1"), _article("new2", big + "2")])
    with Store(db_path) as store:
        assert store.count_articles() == 3 and store.get_article("new2").text == big + "2"
        assert store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


class _CommitFails:
    """A connection whose COMMIT fails as SQLite's does when the disk fills while the batch's
    pages are written (the other statements run on the real connection)."""

    def __init__(self, conn: sqlite3.Connection, code: int, message: str) -> None:
        self._conn, self._code, self._message = conn, code, message

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            exc = sqlite3.OperationalError(self._message)
            exc.sqlite_errorcode = self._code
            raise exc
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


@pytest.mark.parametrize(("code", "message", "full", "why"), [
    (sqlite3.SQLITE_FULL, "database or disk is full", True, "the disk holding it is full"),
    (sqlite3.SQLITE_IOERR_WRITE, "disk I/O error", False, "the disk failed a write")])
def test_a_commit_that_fails_on_the_disk_rolls_back(db_path, code, message, full, why):
    from storyline.errors import StoreWriteFailed

    with Store(db_path) as store:
        store.add_articles([_article("kept")])
        real = store._conn
        store._conn = _CommitFails(real, code, message)
        with pytest.raises(StoreWriteFailed, match=f"cannot write: {why} \\({message}\\)") as failed:
            store.add_articles([_article("new1")])
        assert failed.value.full is full
        store._conn = real
        assert not real.in_transaction and store.count_articles() == 1
        store.add_articles([_article("new1")])  # the store goes on
        assert store.count_articles() == 2


def test_compacting_on_a_full_disk_leaves_the_store_as_it_was(db_path):
    from storyline.errors import StoreWriteFailed

    with Store(db_path) as store:
        # A transaction each: twenty segments of the search index, which compacting merges into a
        # new one before the old ones' pages are free (so it needs pages the disk has not got).
        for n in range(20):
            store.add_articles([_article(f"a{n}", f"Article {n}. " * 200)])
        _room_for(store, 0)
        with pytest.raises(StoreWriteFailed, match="the disk holding it is full"):
            store.compact()
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        assert store.count_articles() == 20
        assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        store.compact()  # with room, it compacts
        assert store.count_articles() == 20


def test_other_failures_inside_a_write_pass_through_unchanged(db_path):
    with Store(db_path) as store:
        with pytest.raises(sqlite3.OperationalError, match="no such table"), store.transaction() as conn:
            conn.execute("INSERT INTO nowhere VALUES (1)")
        assert not store._conn.in_transaction


def test_passages_come_back_with_their_verdicts_and_a_missing_first_occurrence_is_refused(db_path):
    text = "Background repeated. New line."
    recycled = Passage(0, 0, 20, text[:20], status="recycled", first_seen=PassageRef("a", 0), score=0.8123,
                       copied=Span(0, 20), first_seen_span=Span(0, 12))
    boiler = Passage(1, 21, len(text), text[21:], status="boilerplate", first_seen=PassageRef("a", 0), score=0.5)
    b = Article(id="b", text=text, passages=[recycled, boiler], content_hash="hash-b")
    with Store(db_path) as store:
        store.add_articles([_article("a", "Background repeated."), b])
        assert store.get_article("b").passages == [recycled, boiler]
        orphan = Article(id="c", text=text, passages=[replace(recycled, first_seen=PassageRef("gone", 0))],
                         content_hash="hash-c")
        with pytest.raises(StoreError, match="'gone'"):
            store.add_articles([_article("d"), orphan])
        assert store.count_articles() == 2 and not store.has_article("d")


def test_newer_schema_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this storyline supports"):
        Store(db_path)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="cannot open as a storyline database"):
        Store(path)
    assert path.read_text().startswith("these are my notes")  # untouched


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.execute("INSERT INTO invoices VALUES (1)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for create in (True, False):
        with pytest.raises(StoreError, match=r"a SQLite database of something else \(tables invoices\)"):
            Store(path, create=create)
    assert path.read_bytes() == before  # no table, no WAL mode, nothing written
    assert not path.with_name("app.db-wal").exists()


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as store:
        assert store.count_articles() == 0


def test_a_store_in_a_missing_folder_is_named(tmp_path):
    with pytest.raises(StoreError, match="the folder .*missing does not exist"):
        Store(tmp_path / "missing" / "s.db")
    assert not (tmp_path / "missing").exists()


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_a_store_from_before_url_keys_finds_its_articles_by_any_link_to_them(db_path):
    from tests.store.downgrade import undo_v21

    links = {"a": "https://WWW.Harbour.example/news/a?utm_source=rss", "b": "", "c": None, "d": "article-d"}
    with Store(db_path) as store:
        store.add_articles([_article(aid) for aid in links])
        for aid, url in links.items():
            store._conn.execute("UPDATE articles SET url = ? WHERE id = ?", (url, aid))
    conn = sqlite3.connect(db_path, isolation_level=None)
    undo_v21(conn)
    conn.close()
    with Store(db_path) as store:  # migrated: the stored URLs keyed
        assert dict(store._conn.execute("SELECT id, url_key FROM articles")) == {
            "a": "//harbour.example/news/a", "b": None, "c": None, "d": "article-d"}
        assert store.find_existing("x", "http://harbour.example/news/a#top").article_id == "a"
        assert store.find_existing("x", "article-d").article_id == "d"
        assert store.find_existing("x", "https://harbour.example/news/a?page=2") is None
        store.add_articles([Article(id="e", text="E.", passages=[], url="https://harbour.example/news/e?fbclid=1",
                                    content_hash="hash-e")])
        assert store.find_existing("x", "https://harbour.example/news/e").article_id == "e"


def test_missing_article(db_path):
    with Store(db_path) as store, pytest.raises(NotFoundError, match="no article with id 'nope'"):
        store.get_article("nope")


def test_iter_articles_in_ingest_order_across_batches(db_path):
    with Store(db_path) as store:
        store.add_articles([_article(f"a{i:03d}") for i in range(25)])
        assert [a.id for a in store.iter_articles(batch=7)] == [f"a{i:03d}" for i in range(25)]


def test_opening_waits_for_another_process_creating_the_store(tmp_path):
    """Two ingests creating one new store at once: the second waits for the first's lock instead of
    failing with 'database is locked' (CI caught this as a race between two processes)."""
    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # a fresh file in rollback mode: the lock WAL mode needs
    release = threading.Timer(0.6, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        with Store(path, lock_wait_s=30) as store:
            assert store.schema_version() == SCHEMA_VERSION
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # not left in rollback mode
        check.close()
    finally:
        release.join()
        holder.close()


def test_opening_gives_up_on_a_lock_held_too_long(tmp_path):
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="another process has held it for over"):
            Store(path, lock_wait_s=0.3)
    finally:
        holder.close()


def _open_at_once(path, barrier) -> str:
    barrier.wait()
    try:
        Store(path).close()
        return "ok"
    except StoreError as exc:
        return str(exc)


def test_processes_creating_one_new_store_at_once_all_open_it(tmp_path):
    """Several processes opening one new file at once race to set WAL mode and migrate it; SQLite
    answers some of them 'locked' at once, without waiting (deadlock avoidance), so opening retries.
    Before that retry, about 1 open in 30 failed here."""
    ctx = multiprocessing.get_context("fork")
    failures = []
    with ctx.Manager() as manager, ctx.Pool(6) as pool:
        for attempt in range(40):
            barrier = manager.Barrier(6)
            path = tmp_path / f"new-{attempt}.db"
            failures += [r for r in pool.starmap(_open_at_once, [(path, barrier)] * 6) if r != "ok"]
    assert failures == []


def _add_bands(store, n, keys=None):
    import numpy as np

    seq = store.insert_article(_article(f"a{n}", f"Body {n}."))
    store.reuse_index().add_passages(seq, {0: np.arange(16, dtype=np.int64) + 100 * n if keys is None else keys})


def _levels(conn) -> tuple[int, int, int]:
    from storyline.store.reuse_index import band_rows

    levels = [level for level, *_ in band_rows(conn)]
    return tuple(levels.count(level) for level in ("recent", "mid", "big"))


def test_recent_band_keys_move_into_the_middle_level_in_one_pass(db_path):
    """New passage band keys gather in a small table and move down once there are enough;
    lookups see every level all along."""
    import numpy as np

    with Store(db_path, recent_bands=40) as store, store.transaction():
        _add_bands(store, 0)
        _add_bands(store, 1)
        assert not store.reuse_index().settle()  # 32 rows gathered: fewer than 40
    with Store(db_path, recent_bands=40) as store:
        conn, index = store._conn, store.reuse_index()
        assert _levels(conn) == (32, 0, 0)
        assert index.passage_candidates(np.array([5, 105]), limit=16, top=10) == [(1, 0), (2, 0)]
        with store.transaction():
            _add_bands(store, 2)
            assert index.settle()  # counted from the table (32), then 16 more
        assert _levels(conn) == (0, 48, 0)  # fewer than mid_bands: the big index waits
        assert index.passage_candidates(np.array([5, 105, 205]), limit=16, top=10) == [(1, 0), (2, 0), (3, 0)]


def test_the_middle_level_moves_into_the_big_index_at_a_ratio_of_it(db_path):
    """The middle level moves down once it holds mid_bands rows and a level_ratio-th of the big
    index, whose row count is kept in meta; a key's earliest rows come from every level."""
    import numpy as np

    def keys(n):  # key 7 in every article, the rest its own
        return np.array([7] + list(range(1000 * (n + 1) + 1, 1000 * (n + 1) + 16)), dtype=np.int64)

    with Store(db_path, recent_bands=16, mid_bands=32, level_ratio=2) as store:
        conn, index = store._conn, store.reuse_index()
        seen = []
        for n in range(8):
            with store.transaction():
                _add_bands(store, n, keys(n))
                index.settle()
            seen.append(_levels(conn))
        # 16 rows an article, each batch into the middle level; it moves down at 32 rows while
        # the big index is small, and at half the big index once that is larger (96 / 2 = 48)
        assert seen == [(0, 16, 0), (0, 0, 32), (0, 16, 32), (0, 0, 64), (0, 16, 64), (0, 0, 96),
                        (0, 16, 96), (0, 32, 96)]
        assert conn.execute("SELECT value FROM meta WHERE key = 'reuse.passage_bands_rows'").fetchone() == ("96",)
    with Store(db_path, recent_bands=16, mid_bands=32, level_ratio=2) as store:  # counts read again
        conn, index = store._conn, store.reuse_index()
        with store.transaction():
            _add_bands(store, 8, keys(8))
            assert index.settle()
        assert _levels(conn) == (0, 0, 144)
        for n in (9, 10, 11):
            with store.transaction():
                _add_bands(store, n, keys(n))
                if n != 11:
                    index.settle()
        assert _levels(conn) == (16, 32, 144)
        # key 7: seqs 1-9 in the big index, 10 and 11 in the middle level, 12 recent
        assert [seq for seq, _ in index.passage_candidates(np.array([7]), limit=3, top=20)] == [1, 2, 3]
        assert [seq for seq, _ in index.passage_candidates(np.array([7]), limit=16, top=20)] == list(range(1, 13))
        assert index.passage_candidates(np.array([9001, 11001, 12001]), limit=16, top=20) == [(9, 0), (11, 0), (12, 0)]



def _look_and_add(store, n, keys, limit):
    """As the reuse stage does for an article: its keys looked up, then stored."""
    import numpy as np

    index = store.reuse_index()
    found = index.passage_candidates(np.array(keys, dtype=np.int64), limit=limit, top=50)
    seq = store.insert_article(_article(f"a{n}", f"Body {n}."))
    index.add_passages(seq, {0: np.array(keys, dtype=np.int64)})
    return found


def _rows_of(conn, key: int) -> int:
    from storyline.store.reuse_index import band_rows

    return sum(1 for _, k, _, _ in band_rows(conn) if k == key)


def test_a_band_key_holding_its_limit_is_given_no_more_rows_and_lookups_find_the_same(db_path):
    """Lookups read a key's earliest ``limit`` rows only, so later rows of a full key are not kept;
    every lookup still returns what it would if they were."""
    with Store(db_path, recent_bands=8, mid_bands=16, level_ratio=2) as store:
        conn = store._conn
        found = []
        for n in range(12):
            with store.transaction():
                found.append(_look_and_add(store, n, [7, 1000 + n], limit=4))
                store.reuse_index().settle()
        assert _rows_of(conn, 7) == 4 and _rows_of(conn, 1011) == 1
        # what each article found: the earliest (up to) four sharing key 7
        assert [[seq for seq, _ in f] for f in found] == [list(range(1, min(n, 4) + 1)) for n in range(12)]
        assert conn.execute("SELECT value FROM meta WHERE key = 'reuse.passage_postings'").fetchone() == ("4",)
        with store.transaction():
            assert [seq for seq, _ in _look_and_add(store, 12, [7], limit=2)] == [1, 2]
        # withheld at 2 now: a later lookup of 4 would miss rows, and is refused
        with store.transaction():
            _look_and_add(store, 13, [7], limit=2)
        assert conn.execute("SELECT value FROM meta WHERE key = 'reuse.passage_postings'").fetchone() == ("2",)
        with pytest.raises(StoreError, match=r"keeps the earliest 2 passages of a band key.*reuse.passage_postings"):
            _look_and_add(store, 14, [7], limit=4)


def test_a_key_found_full_in_a_rolled_back_transaction_is_not_held_back_after(db_path):
    """Rows added in a transaction that rolls back may be what filled a key: what was found full
    there is forgotten."""
    import numpy as np

    with Store(db_path) as store:
        for n in range(2):
            with store.transaction():
                _look_and_add(store, n, [7], limit=3)
        with pytest.raises(RuntimeError), store.transaction():
            _look_and_add(store, 2, [7], limit=3)
            store.reuse_index().passage_candidates(np.array([7]), limit=3, top=10)  # full, with the row above
            raise RuntimeError("rolled back")
        with store.transaction():
            seq = store.insert_article(_article("a3", "Body 3."))
            store.reuse_index().add_passages(seq, {0: np.array([7])})
        assert _rows_of(store._conn, 7) == 3
        assert store._conn.execute("SELECT value FROM meta WHERE key = 'reuse.passage_postings'").fetchone() is None

def test_a_store_from_before_sentence_keys_goes_on_and_other_settings_are_refused(db_path, seeds_dir):
    """A store whose reuse index predates sentence band keys takes the current settings (its
    passage keys are the same); one built with other signature settings is refused."""
    from storyline import Storyline
    from storyline.errors import StoreError
    from storyline.reuse.stage import ReuseStage
    from storyline.settings import ReuseSettings

    stage = ReuseStage(ReuseSettings())
    current, older = stage.version, stage.passage_version
    assert current.startswith(older) and current != older
    with Storyline(db_path) as sl:
        sl.ingest([seeds_dir / "001_5a9cac7b8d2db75a.txt"])
        sl.store._conn.execute("UPDATE meta SET value = ? WHERE key = 'reuse.algorithm'", (older,))
    with Storyline(db_path) as sl:
        report = sl.ingest([seeds_dir / "000_28c5dd749a0a6b13.txt"])
        assert report.added == ["000_28c5dd749a0a6b13"]
        assert sum(p.status == "recycled" for p in sl.article("000_28c5dd749a0a6b13").passages) >= 15
        assert sl.store._conn.execute("SELECT value FROM meta WHERE key = 'reuse.algorithm'").fetchone() == (current,)
        sl.store._conn.execute("UPDATE meta SET value = ? WHERE key = 'reuse.algorithm'",
                               (current.replace("perm=128", "perm=64"),))
    with Store(db_path) as store, store.transaction(), pytest.raises(StoreError, match="use the settings"):
        store.reuse_index().check_algorithm(current, continues=(older,))


def test_a_candidate_sharing_one_band_key_is_checked_only_when_none_shares_more(db_path):
    """A single band key in common is what chance gives (a common sentence, a frequent key); when
    another stored passage shares several keys, only those are worth checking. Where every one
    shares a single key, they are all the candidates there are. The in-memory index agrees."""
    import numpy as np

    from storyline.reuse.memory_index import MemoryReuseIndex

    rows = {1: [5, 6, 7], 2: [5, 900], 3: [6, 901], 4: [40, 41]}
    memory = MemoryReuseIndex()
    with Store(db_path) as store, store.transaction():
        sqlite = store.reuse_index()
        for seq, keys in rows.items():
            for index in (sqlite, memory):
                index.add_passages(seq, {0: np.array(keys, dtype=np.int64)})
        for index in (sqlite, memory):
            assert index.passage_candidates(np.array([5, 6, 7]), limit=16, top=10, min_shared=2) == [(1, 0)]
            assert index.passage_candidates(np.array([5, 6, 7]), limit=16, top=10) == [(1, 0), (2, 0), (3, 0)]
            assert index.passage_candidates(np.array([900, 901]), limit=16, top=10, min_shared=2) == [(2, 0), (3, 0)]
            assert index.passage_candidates(np.array([40, 999]), limit=16, top=10, min_shared=2) == [(4, 0)]


def _seeded(db_path, seeds_dir):
    from storyline import Storyline

    with Storyline(db_path) as sl:
        sl.ingest([seeds_dir])


def test_compact_gives_back_free_pages_and_keeps_every_article(db_path, seeds_dir):
    _seeded(db_path, seeds_dir)
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE junk AS SELECT randomblob(50000) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3)")
    raw.execute("DROP TABLE junk")  # pages left free, as a migration's rewritten table leaves them
    raw.commit()
    raw.close()
    with Store(db_path) as store:
        articles = [store.get_article(a.id) for a in store.iter_articles()]
        done = store.compact()
        assert done.after_bytes < done.before_bytes and done.page_size == 8192
        assert [store.get_article(a.id) for a in articles] == articles
        assert store.search().search("Sybiha").articles >= 1  # the search index, merged and copied
        store.add_articles([_article("after")])  # and it takes writes again
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)


def test_compact_copies_the_store_with_a_small_page_cache_and_puts_the_stores_back(db_path, seeds_dir, monkeypatch):
    """VACUUM gives its copy a page cache the size of the store's: it runs under
    COMPACT_CACHE_MB (as does leaving room, right after it), and the store's own size
    (ingest.cache_mb) is back afterwards, also when leaving room fails."""
    from storyline.store.sqlite import COMPACT_CACHE_MB

    _seeded(db_path, seeds_dir)
    with Store(db_path, cache_mb=64) as store:
        def cache_mb() -> int:
            return -store._conn.execute("PRAGMA cache_size").fetchone()[0] // 1024

        during: list[int] = []
        leave_room = Store._leave_room

        def watched(self):
            during.append(cache_mb())
            return leave_room(self)

        monkeypatch.setattr(Store, "_leave_room", watched)
        store.compact()
        assert during == [COMPACT_CACHE_MB] < [64] and cache_mb() == 64

        def failing(self):
            raise sqlite3.OperationalError("disk full")

        monkeypatch.setattr(Store, "_leave_room", failing)
        with pytest.raises(StoreError, match="could not leave room"):
            store.compact()
        assert cache_mb() == 64


def _band_keys(store, rows):
    with store.transaction() as conn:
        conn.executemany("INSERT INTO article_bands VALUES (?, ?)", rows)


def _pages(store):
    return store._conn.execute("PRAGMA page_count").fetchone()[0]


def test_compact_leaves_room_in_the_tables_ingest_grows_at_random_places(tmp_path, seeds_dir):
    """VACUUM packs every page full, and SQLite splits a full page for a row that falls in it: the
    band key and story term tables are written again in a stream's order, with room for the rows
    the next articles bring; ``room=False`` packs them, for a store that takes no more. Every row
    is kept, and the foreign keys are checked again after."""
    import random
    import shutil

    base = tmp_path / "base.db"
    _seeded(base, seeds_dir)
    rng = random.Random(7)
    with Store(base) as store:  # a table of ~180 pages, its keys at random
        _band_keys(store, [(rng.getrandbits(40), seq) for seq in range(10, 100_010)])
    later = [(rng.getrandbits(40), seq) for seq in range(100_010, 100_160)]
    seen = {}
    for room in (True, False):
        db = tmp_path / f"{room}.db"
        shutil.copy(base, db)
        with Store(db) as store:
            tables = "SELECT key, article_seq FROM article_bands ORDER BY 1, 2", \
                "SELECT term, story_seq FROM story_terms ORDER BY 1, 2"
            # every row as lookups see them, the recent levels' included
            rows = [sorted((k, seq) for keys, seqs in store.reuse_index().stored_article_rows()
                           for k, seq in zip(keys.tolist(), seqs.tolist())), index_term_rows(store._conn)]
            assert rows[1]  # the seeds' stories have terms
            store.compact(room=room)
            # the recent levels moved into the indexes
            assert [store._conn.execute(sql).fetchall() for sql in tables] == rows
            assert [store._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("article_bands_log", "story_terms_dirty")] == [0, 0]
            assert store._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
            compacted = _pages(store)
            _band_keys(store, later)  # 150 rows: a few pages' worth, if they fit where they fall
            seen[room] = compacted, _pages(store) - compacted
            assert store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (roomy, roomy_grew), (packed, packed_grew) = seen[True], seen[False]
    assert roomy > packed  # the room
    assert packed_grew >= 20 and roomy_grew * 5 < packed_grew, seen  # packed: a page for every few rows (38 to 1)


def test_compact_refuses_to_leave_a_store_half_done_when_leaving_room_fails(db_path, seeds_dir, monkeypatch):
    """Room is left in a transaction of its own, after VACUUM: a failure there leaves the tables
    packed, every row kept, the store in WAL mode, and says so."""
    _seeded(db_path, seeds_dir)
    with Store(db_path) as store:
        rows = index_term_rows(store._conn)  # after compaction, all in story_terms
        monkeypatch.setattr("storyline.store.sqlite.ROOMY_TABLES",
                            (("story_terms", "story_seq, term"), ("article_bands", "no_such_column")))
        with pytest.raises(StoreError, match="compacted, but could not leave room"):
            store.compact()
        assert store._conn.execute("SELECT term, story_seq FROM story_terms ORDER BY 1, 2").fetchall() == rows
        assert store._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert store._conn.execute("SELECT name FROM sqlite_temp_schema").fetchall() == []
        store.add_articles([_article("after")])
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_compact_interrupted_leaves_the_store_in_wal_mode(db_path, seeds_dir, monkeypatch):
    """Whatever stops it (here Ctrl-C before VACUUM, or while room is left), the store goes back
    to WAL mode, so readers and a writer can share it again."""
    from storyline.store.reuse_index import SqliteReuseIndex

    _seeded(db_path, seeds_dir)

    def interrupted(self, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(SqliteReuseIndex, "cap_postings", interrupted)
    with Store(db_path) as store:
        with pytest.raises(KeyboardInterrupt):
            store.compact()
        assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    monkeypatch.undo()
    monkeypatch.setattr(Store, "_leave_room", interrupted)
    with Store(db_path) as store:
        with pytest.raises(KeyboardInterrupt):
            store.compact()
        assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert store.count_articles() == 2


def test_compact_gives_an_old_store_8_kib_pages(tmp_path):
    import shutil
    from pathlib import Path

    db = tmp_path / "old.db"
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "stores" / "v26.db", db)
    with Store(db) as store:
        before = [store.get_article(a.id) for a in store.iter_articles()]
        assert store.compact().page_size == 8192
        assert [store.get_article(a.id) for a in before] == before


def test_compact_refuses_a_store_another_connection_has_open(db_path, seeds_dir):
    _seeded(db_path, seeds_dir)
    segments = sqlite3.connect(db_path).execute("SELECT count(*) FROM article_search_data").fetchone()
    with Store(db_path) as store, Store(db_path) as other:
        size = db_path.stat().st_size
        with pytest.raises(StoreError, match="another process has the store open"):
            store.compact()
        assert other._conn.execute("SELECT count(*) FROM article_search_data").fetchone() == segments
        assert other.count_articles() == 2
        store.add_articles([_article("still-writable")])
        assert db_path.stat().st_size >= size
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_big_transaction_leaves_no_big_wal_file_behind_while_the_store_stays_open(db_path, monkeypatch):
    import random

    from storyline.store import sqlite as store_sqlite

    # a small store's scale: a checkpoint every 32 pages, the file cut back to 512 KiB at a reset
    monkeypatch.setattr(store_sqlite, "WAL_CHECKPOINT_PAGES", 32)
    monkeypatch.setattr(store_sqlite, "WAL_LIMIT_BYTES", 512 * 1024)
    wal = db_path.with_name(db_path.name + "-wal")
    words = random.Random(7)
    with Store(db_path) as store:
        # ~4 MB of text no compressor shrinks much, in one transaction: the WAL must hold it whole
        store.add_articles([_article(f"big-{i}", " ".join(f"w{words.getrandbits(40):x}" for _ in range(4000)))
                            for i in range(60)])
        assert wal.stat().st_size > 2 * 1024 * 1024
        for i in range(40):  # small transactions after it: checkpoints, then a reset of the WAL
            store.add_articles([_article(f"small-{i}")])
        assert wal.stat().st_size <= 512 * 1024
        assert store.count_articles() == 100


def test_compact_drops_the_band_key_rows_past_those_a_lookup_reads(db_path):
    """Rows a key was given past the limit the store keeps (a batch job before its lookups from
    memory withheld them) are dropped by compact, the middle level's too (merged first), escaped rows (a passage
    past the 255th) included; lookups find what they found, and the levels' counts stay true."""
    import numpy as np

    from storyline.store.reuse_index import POSTINGS_KEY, band_rows

    keys = {0: np.array([5, 6, 7], dtype=np.int64), 300: np.array([9, 5], dtype=np.int64)}
    asked = [np.array([5, 6, 7, 9], dtype=np.int64), np.array([9], dtype=np.int64)]
    with Store(db_path, recent_bands=20, mid_bands=40, level_ratio=2) as store:
        with store.transaction():
            index = store.reuse_index()
            for n in range(30):  # no lookups: every row is written
                index.add_passages(store.insert_article(_article(f"a{n}")), keys)
                index.settle()
            index.passages_candidates(asked, 4, 10)  # finds the keys full ...
            index.add_passages(store.insert_article(_article("last")), keys)  # ... and withholds
        conn = store._conn
        assert conn.execute("SELECT value FROM meta WHERE key = ?", (POSTINGS_KEY,)).fetchone() == ("4",)
        before = index.passages_candidates(asked, 4, 10)
        rows = band_rows(conn)
        assert {level for level, *_ in rows} >= {"mid", "big"}
        done = store.compact()
        after = store.reuse_index()
        assert after.passages_candidates(asked, 4, 10) == before
        left = band_rows(conn)
        assert done.band_rows_dropped == len(rows) - len(left) > 0
        # the middle level merged into the big one (see the test below), then each key cut to 4
        assert "mid" not in {level for level, *_ in left}
        held = Counter(k for lv, k, _, _ in left if lv == "big")
        assert held and max(held.values()) <= 4
        assert [int(conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])
                for key in ("reuse.passage_bands_rows", "reuse.passage_bands_mid_rows")] == [sum(held.values()), 0]
        assert store.compact().band_rows_dropped == 0  # nothing more the second time


def test_compact_merges_the_middle_band_key_level_into_the_big_one(db_path):
    """Dropping rows shrinks the big level under ten times the middle one, and the next move would
    merge them in whatever ingest came next: compact merges them itself, lookups unchanged, and
    the next move starts a middle level again."""
    import numpy as np

    from storyline.store.reuse_index import band_rows

    keys = {0: np.array([5, 6, 7], dtype=np.int64), 1: np.array([8], dtype=np.int64)}
    asked = [np.array([5, 6, 7, 8, 9], dtype=np.int64)]
    with Store(db_path, recent_bands=8, mid_bands=1000, level_ratio=2) as store:
        with store.transaction():
            index = store.reuse_index()
            for n in range(13):
                index.add_passages(store.insert_article(_article(f"a{n}")), keys)
                index.settle()
        rows = band_rows(store._conn)
        assert {level for level, *_ in rows} == {"mid", "recent"}  # mid_bands: never merged by a move
        before = index.passages_candidates(asked, 100, 10)
        store.compact()
        after = band_rows(store._conn)
        assert {level for level, *_ in after} == {"big", "recent"}
        assert sorted(r[1:] for r in after) == sorted(r[1:] for r in rows)  # every row kept
        assert store.reuse_index().passages_candidates(asked, 100, 10) == before
        with store.transaction():
            for n in range(3):
                store.reuse_index().add_passages(store.insert_article(_article(f"b{n}")), keys)
                store.reuse_index().settle()
        assert {level for level, *_ in band_rows(store._conn)} >= {"big", "mid"}


def test_compact_keeps_every_band_key_row_of_a_store_that_withheld_none(db_path):
    import numpy as np

    from storyline.store.reuse_index import band_rows

    with Store(db_path, recent_bands=6, mid_bands=10, level_ratio=2) as store:
        with store.transaction():
            for n in range(20):
                store.reuse_index().add_passages(store.insert_article(_article(f"a{n}")),
                                                 {0: np.array([5, 6], dtype=np.int64)})
                store.reuse_index().settle()
        rows = band_rows(store._conn)
        assert store.compact().band_rows_dropped == 0
        # every row still there (the middle level's now in the big one)
        assert sorted(r[1:] for r in band_rows(store._conn)) == sorted(r[1:] for r in rows)


def test_a_store_opened_from_settings_keeps_its_recent_levels_as_they_say(tmp_path, seeds_dir):
    """What the engine and the batch job open: the recent levels' sizes come from the settings
    (the batch job left them at their defaults before)."""
    from storyline import Storyline
    from storyline.settings import ReuseSettings, Settings, StorySettings

    held = {}
    for name, settings in (("defaults", Settings()),
                           ("at once", Settings(reuse=ReuseSettings(recent_article_bands=1),
                                                stories=StorySettings(recent_terms=1)))):
        with Storyline(tmp_path / f"{name}.db", settings=settings) as sl:
            sl.ingest([seeds_dir])
        with Store.from_settings(settings.with_db(tmp_path / f"{name}.db"), create=False) as store:
            held[name] = [store._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("article_bands_log", "story_terms_dirty")]
            assert index_term_rows(store._conn)  # found through either level
    assert all(held["defaults"]) and held["at once"] == [0, 0], held
