"""The passage index's memo of band key rows gives what the store holds."""

import sqlite3
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.records import Article, Passage, PassageRef
from storyline.reuse.sentences import sentence_keys
from storyline.text.passages import passage_keys
from storyline.store import Store
from storyline.errors import StoreError
from storyline.store.reuse_index import (
    SqliteReuseIndex,
    _key_blob,
    _append_rows,
    _Postings,
    _recent_list,
    band_rows,
    grouped,
    grouped_arrays,
    memo_list,
    memo_rows,
    _head_bytes,
    pack_log,
    pack_postings,
    unpack_log,
    unpack_postings,
)


def _article(n: int) -> Article:
    text = f"Body {n}."
    return Article(id=f"a{n}", text=text, passages=[Passage(0, 0, len(text), text)], content_hash=f"hash-{n}")


def _fresh(store: Store) -> SqliteReuseIndex:
    """An index over the same connection that has looked nothing up and keeps no filter of keys:
    every lookup reads SQLite for every key."""
    return SqliteReuseIndex(store._conn, filter_limit=0)


# An article: each passage's band keys, drawn from a small range so that keys are shared and
# some fill their limit.
_passages = st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=12), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=st.lists(_passages, min_size=1, max_size=25), memo=st.integers(1, 64),
       limit=st.sampled_from([2, 4, 16]), rolled_back=st.sets(st.integers(0, 24)),
       recent=st.sampled_from([4, 16, 200_000]), key_filter=st.sampled_from([0, 6, 50_000_000]))
def test_lookups_through_the_memo_find_what_the_store_gives(tmp_path_factory, articles, memo, limit, rolled_back,
                                                            recent, key_filter):
    """As the reuse stage uses it (each passage looked up, then the article's rows stored and
    moved down a level when enough gathered, some transactions rolled back), the index with its
    memo and its filter of keys returns, ranked, what an index reading only SQLite returns,
    however small its memo, and whether its filter outgrows its limit (6 keys) or not."""
    path = tmp_path_factory.mktemp("memo") / "store.db"
    with Store(path, band_key_cache=memo, recent_bands=recent, mid_bands=8, key_filter=key_filter) as store:
        for n, passages in enumerate(articles):
            try:
                with store.transaction():
                    index = store.reuse_index()
                    for keys in passages:
                        wanted = np.array(keys, dtype=np.int64)
                        found = index.passage_candidates(wanted, limit=limit, top=5, min_shared=2)
                        assert found == _fresh(store).passage_candidates(wanted, limit=limit, top=5, min_shared=2)
                    seq = store.insert_article(_article(n))
                    index.add_passages(seq, {i: np.array(keys, dtype=np.int64) for i, keys in enumerate(passages)})
                    index.settle()
                    if n in rolled_back:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                pass


def test_rows_another_writer_stored_are_read_again(db_path):
    """A key's rows read before another connection stored more are read again after it."""
    keys = np.array([7], dtype=np.int64)
    with Store(db_path) as first, Store(db_path) as second:
        for n, store in enumerate([first, first, second]):
            with store.transaction():
                store.reuse_index().passage_candidates(keys, limit=16, top=10)
                store.reuse_index().add_passages(store.insert_article(_article(n)), {0: keys})
        with first.transaction():
            assert [seq for seq, _ in first.reuse_index().passage_candidates(keys, limit=16, top=10)] == [1, 2, 3]


def test_rows_another_writer_moved_down_a_level_are_found(db_path):
    """The filter of keys held in the lower levels is made again when another connection moved
    rows into them: a key it never saw is read, not answered "held nowhere"."""
    with Store(db_path, recent_bands=2) as first, Store(db_path, recent_bands=2) as second:
        with first.transaction():  # the first writer's filter is made, of no key
            assert first.reuse_index().passage_candidates(np.array([7]), limit=16, top=10) == []
        with second.transaction():
            index = second.reuse_index()
            index.add_passages(second.insert_article(_article(0)), {0: np.array([7, 8, 9])})
            assert index.settle()  # into the middle level, by the other writer
        assert second._conn.execute("SELECT count(*) FROM passage_bands_log").fetchone() == (0,)
        with first.transaction():
            assert first.reuse_index().passage_candidates(np.array([7, 9]), limit=16, top=10) == [(1, 0)]


def test_a_rolled_back_move_leaves_the_filter_right(db_path):
    """A move rolled back with its transaction: the keys it brought are held nowhere again, and
    keys moved later are found."""
    with Store(db_path, recent_bands=2) as store:
        index = store.reuse_index()
        with store.transaction():
            index.passage_candidates(np.array([1]), limit=16, top=10)
        with pytest.raises(RuntimeError), store.transaction():
            index.add_passages(store.insert_article(_article(0)), {0: np.array([7, 8, 9])})
            assert index.settle()
            raise RuntimeError("rolled back")
        with store.transaction():
            assert index.passage_candidates(np.array([7]), limit=16, top=10) == []
            index.add_passages(store.insert_article(_article(1)), {0: np.array([8, 10])})
            assert index.settle()
        with store.transaction():
            assert index.passage_candidates(np.array([8, 10]), limit=16, top=10) == \
                _fresh(store).passage_candidates(np.array([8, 10]), limit=16, top=10) != []


def test_the_memo_holds_at_most_its_limit_and_keeps_keys_met_again():
    memo = _Postings(4)
    for key in range(3):
        memo.put(key, memo_rows([key]))
    assert memo.get(0) == memo_rows([0])  # met again: into the younger generation
    for key in range(3, 10):
        memo.put(key, memo_rows([key]))
        assert len(memo) <= 4
    assert memo.get(9) == memo_rows([9]) and memo.get(1) is None
    memo.add_many([9, 9], [10 << 32 | 3, 11], limit=2)  # the second past the limit: no lookup reads it
    assert memo_list(memo.get(9)) == [9, 10 << 32 | 3]


@pytest.mark.parametrize("value", [0, -1])
def test_the_memo_size_is_a_positive_setting(value):
    from storyline.errors import SettingsError
    from storyline.settings import ReuseSettings

    with pytest.raises(SettingsError, match="reuse.cache_band_keys"):
        ReuseSettings(cache_band_keys=value)


def test_keys_that_agree_in_their_low_40_bits_are_one_key(db_path):
    """The store keeps a passage band key by its low 40 bits: two keys that agree there find each
    other's passages (candidates the stage verifies), in article order, and a lookup of either
    gives the same."""
    low = 0x12_3456_789A
    a, b = low | 1 << 40, low | 7 << 50  # differ above bit 40
    with Store(db_path, recent_bands=3) as store:
        for n, key in enumerate([a, b, a]):
            with store.transaction():
                seq = store.insert_article(_article(n))
                store.reuse_index().add_passages(seq, {0: np.array([key, 99 + n], dtype=np.int64)})
                store.reuse_index().settle()
        for key in (a, b, low, -((1 << 64) - low)):  # the last: the same low bits, negative as int64
            assert _fresh(store).passage_candidates(np.array([key]), limit=16, top=10) == [(1, 0), (2, 0), (3, 0)]
        assert store._conn.execute("SELECT DISTINCT typeof(key), length(key) FROM passage_postings_mid").fetchall() \
            == [("blob", 5)]


def test_migration_18_merges_the_rows_of_keys_that_become_one(db_path):
    from tests.store.downgrade import undo_v18
    from storyline.store.reuse_index import band_rows, pack_postings

    with Store(db_path):
        pass
    import sqlite3

    conn = sqlite3.connect(db_path, isolation_level=None)
    undo_v18(conn)
    low = 0x0A_0000_0001
    conn.executemany("INSERT INTO passage_postings_mid (key, postings) VALUES (?, ?)", [
        (low | 1 << 40, pack_postings([(1, 0), (4, 2), (300, 1)])),
        (low - (1 << 63), pack_postings([(2, 5), (4, 2), (1 << 25, 3)])),  # (4, 2) in both; an escaped row
        (5, pack_postings([(9, 9)]))])
    conn.executemany("INSERT INTO passage_bands_recent (key, article_seq, idx) VALUES (?, ?, ?)",
                     [(low | 3 << 41, 400, 0), (low, 400, 0), (6, 401, 1)])
    conn.close()
    with Store(db_path) as store:
        assert sorted(band_rows(store._conn)) == sorted(
            [("mid", low, 1, 0), ("mid", low, 2, 5), ("mid", low, 4, 2), ("mid", low, 300, 1),
             ("mid", low, 1 << 25, 3), ("mid", 5, 9, 9), ("recent", low, 400, 0), ("recent", 6, 401, 1)])
        assert _fresh(store).passage_candidates(np.array([low]), limit=16, top=10) == \
            [(1, 0), (2, 5), (4, 2), (300, 1), (400, 0), (1 << 25, 3)]


def _ranked_as_before(shared, top, min_shared):
    """The ranking as first written (count and posting as one integer each, the earliest largest),
    with the rule for passages none of which shares ``min_shared`` keys: those sharing the most."""
    import heapq

    low = (1 << 64) - 1
    ranked = heapq.nlargest(top, [(count << 64) | (low - packed) for packed, count in shared.items()])
    if not ranked:
        return []
    most = ranked[0] >> 64
    return [((low - (item & low)) >> 32, (low - (item & low)) & 0xFFFFFFFF) for item in ranked
            if (item >> 64) >= min(min_shared, most)]


@given(shared=st.dictionaries(st.tuples(st.integers(0, 50), st.integers(0, 3)), st.integers(1, 6), max_size=60),
       top=st.integers(0, 12), min_shared=st.integers(1, 4))
def test_the_top_postings_are_the_most_shared_then_the_earliest(shared, top, min_shared):
    from collections import Counter

    from storyline.store.reuse_index import top_postings_many

    counts = Counter({seq << 32 | idx: count for (seq, idx), count in shared.items()})
    # one passage, each posting given by as many keys as it shares, a key each
    postings = np.array([packed for packed, count in counts.items() for _ in range(count)], dtype=np.int64)
    lens = np.ones(postings.size, dtype=np.int64)
    assert top_postings_many(postings, lens, [postings.size], top, min_shared) == \
        [_ranked_as_before(counts, top, min_shared)]


_rows = st.lists(st.tuples(st.integers(0, (1 << 40) - 1) | st.integers(0, 6), st.integers(1, 1 << 25) | st.integers(1, 9),
                           st.integers(0, 300) | st.integers(0, 3)), max_size=60, unique=True)


@settings(max_examples=200, deadline=None)
@given(rows=_rows)
def test_rows_grouped_from_arrays_are_grouped_as_rows_in_key_order(rows):
    """The recent level's move packs each key's rows as the row-by-row grouping does, escaped
    rows (a passage past the 255th, an article past 2**24) included."""
    keys = np.array([k for k, _, _ in rows], dtype=np.uint64)
    seqs = np.array([s for _, s, _ in rows], dtype=np.int64)
    indexes = np.array([i for _, _, i in rows], dtype=np.uint32)
    expected = list(grouped(sorted((_key_blob(k), s, i) for k, s, i in rows)))
    distinct, grouped_rows = grouped_arrays(keys, seqs, indexes)
    assert list(grouped_rows) == expected
    assert distinct.tolist() == sorted({k for k, _, _ in rows})


def test_rows_grouped_from_arrays_are_bytearrays_stored_as_the_same_blobs():
    """bytearray: bound by sqlite3 without its adapter lookup, stored as the bytes would be."""
    keys = np.array([(1 << 40) - 1, 5, 5, 1 << 33], dtype=np.uint64)
    seqs, indexes = np.array([3, 1, 2, 7], dtype=np.int64), np.array([0, 4, 1, 254], dtype=np.uint32)
    rows = list(grouped_arrays(keys, seqs, indexes)[1])
    assert all(type(key) is bytearray and type(postings) is bytearray for key, postings in rows)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (key BLOB PRIMARY KEY, postings BLOB)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    stored = conn.execute("SELECT key, postings, typeof(key), typeof(postings) FROM t ORDER BY key").fetchall()
    assert stored == [(bytes(k), bytes(p), "blob", "blob") for k, p in rows]
    assert [k for k, *_ in stored] == [_key_blob(5), _key_blob(1 << 33), _key_blob((1 << 40) - 1)]


@given(rows=st.lists(st.tuples(st.integers(0, (1 << 40) - 1), st.integers(0, (1 << 32) - 1)), max_size=40))
def test_a_recent_level_row_unpacks_to_what_was_packed(rows):
    keys, indexes = unpack_log(pack_log([k for k, _ in rows], [i for _, i in rows]))
    assert list(zip(keys.tolist(), indexes.tolist())) == rows


_POSTING = st.tuples(st.one_of(st.integers(0, (1 << 24) - 1), st.integers(0, (1 << 32) - 2)),
                     st.one_of(st.integers(0, 254), st.integers(0, (1 << 32) - 1)))


@given(rows=st.lists(_POSTING, max_size=60), limit=st.integers(1, 20), extra=st.integers(0, 24))
def test_a_key_s_first_rows_unpack_from_its_blob_cut_after_their_bytes(rows, limit, extra):
    """A lookup reads a blob's first :func:`_head_bytes` (SQL's substr) and unpacks that many
    rows: the blob's first rows, escaped ones (an article past 2**24, a passage past the 255th)
    included, wherever the cut falls after them."""
    blob = pack_postings(rows)
    whole = unpack_postings(blob)
    assert whole == [seq << 32 | idx for seq, idx in rows]
    cut = blob[:_head_bytes(limit) + 4 * extra]
    assert unpack_postings(cut, limit) == whole[:limit]


def test_a_damaged_recent_level_row_is_a_clear_error():
    with pytest.raises(StoreError, match="recent band keys row is damaged"):
        unpack_log(pack_log([1, 2], [0, 1])[:-1])


def test_the_recent_level_is_one_row_an_article_and_lookups_read_it_after_a_reopen(db_path):
    """Rows added in one session are found by a lookup of the next (read back from the table),
    before and after they move down a level."""
    keys = {0: np.array([5, 6, 7], dtype=np.int64), 1: np.array([7, 8], dtype=np.int64)}
    with Store(db_path, recent_bands=100) as store, store.transaction():
        for n in range(3):
            store.reuse_index().add_passages(store.insert_article(_article(n)), keys)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM passage_bands_log").fetchone() == (3,)
    assert len(band_rows(conn)) == 3 * 5  # key 7 in both passages: a row each
    conn.close()
    expected = [(1, 0), (1, 1), (2, 0), (2, 1), (3, 0)]  # key 7's rows, then the earliest first
    moved = []
    for recent_bands in (100, 10, 10):  # then moved to the middle level (settle, as the runner asks)
        with Store(db_path, recent_bands=recent_bands) as store, store.transaction():
            index = store.reuse_index()
            assert index.passage_candidates(np.array([7], dtype=np.int64), limit=16, top=5) == expected
            moved.append(index.settle())
    assert moved == [False, True, False]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM passage_bands_log").fetchone() == (0,)
    assert sorted(band_rows(conn)) == sorted(("mid", k, seq, idx) for seq in (1, 2, 3)
                                             for idx, ks in keys.items() for k in ks.tolist())
    conn.close()


def test_a_reopened_store_s_filter_is_made_from_its_stored_keys(db_path):
    """A writer that opens a store with keys in its lower levels reads them, a chunk at a time,
    into its filter before its first lookup: every stored key is found."""
    with Store(db_path, recent_bands=2) as store, store.transaction():
        index = store.reuse_index()
        for n in range(3):
            index.add_passages(store.insert_article(_article(n)), {0: np.array([10 * n + 1, 10 * n + 2, 7])})
            index.settle()
    with Store(db_path, recent_bands=2) as store, store.transaction():
        index = store.reuse_index()
        chunks = list(index._stored_keys(chunk=2))
        assert all(len(c) <= 2 for c in chunks) and sum(map(len, chunks)) == 7  # 1, 2, 7, 11, 12, 21, 22
        for key in (1, 7, 12, 22):
            assert index.passage_candidates(np.array([key]), limit=16, top=10) == \
                _fresh(store).passage_candidates(np.array([key]), limit=16, top=10) != []
        assert index._filter is not None and index._filter.count == 7


@given(st.lists(st.lists(st.integers(0, 9), max_size=20), max_size=5))
def test_the_recent_level_in_memory_holds_each_key_s_rows_in_order(articles):
    """A key's one row is kept as an int, more as a list: read back, the rows are those added."""
    recent, expected = {}, {}
    for seq, keys in enumerate(articles):
        postings = [seq << 32 | i for i in range(len(keys))]
        _append_rows(recent, keys, postings)
        for key, posting in zip(keys, postings):
            expected.setdefault(key, []).append(posting)
    assert {key: _recent_list(rows) for key, rows in recent.items()} == expected


def test_a_large_store_s_filter_waits_until_reads_would_have_paid_for_it(db_path):
    """Reading every stored key costs about what reading a sixteenth as many keys one lookup at
    a time does: a writer that has looked up fewer goes without the filter (and finds every key)."""
    with Store(db_path, recent_bands=2) as store, store.transaction():
        index = store.reuse_index()
        for n in range(20):
            index.add_passages(store.insert_article(_article(n)), {0: np.array([100 * n + k for k in range(8)])})
            index.settle()
    with Store(db_path, recent_bands=2) as store, store.transaction():
        index = store.reuse_index()
        assert index._key_filter() is None  # no key read yet
        assert index._mid_rows() + index._big_rows() == 160
        for n in range(10):  # ten keys read one at a time: 16 * 10 = 160 rows' worth
            assert index.passage_candidates(np.array([100 * n + 3]), limit=16, top=10) == [(n + 1, 0)]
            assert index._filter is None
        assert index.passage_candidates(np.array([1903, 5555]), limit=16, top=10) == [(20, 0)]
        assert index._filter is not None and index._filter.count == 160  # made for this lookup


@given(passages=st.lists(st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=16), max_size=8),
                         max_size=6),
       top=st.integers(0, 12), min_shared=st.integers(1, 4))
def test_an_articles_passages_rank_at_once_as_each_alone(passages, top, min_shared):
    from collections import Counter
    from itertools import chain

    from storyline.store.reuse_index import memo_list, memo_rows, top_postings_many

    # each passage: its keys, each key: its postings (seq << 32 | idx), as the memo holds them
    rows = [memo_rows([seq << 32 | idx for seq, idx in key]) for keys in passages for key in keys]
    sizes = [len(keys) for keys in passages]
    alone, at = [], 0
    for size in sizes:
        alone.append(_ranked_as_before(Counter(chain.from_iterable(map(memo_list, rows[at:at + size]))), top, min_shared))
        at += size
    lens = np.array([len(r) // 8 for r in rows], dtype=np.int64)
    assert top_postings_many(np.frombuffer(b"".join(rows), dtype="<i8"), lens, sizes, top, min_shared) == alone


def test_a_passage_s_root_not_held_is_read_from_its_row_alone(sl, seeds_dir):
    """A writer that holds no passage reads a candidate's first occurrence and status from its
    row (the text is read and keyed only when the stage checks it): the same as the passage read
    whole gives, and nothing is cached by asking."""
    sl.ingest(sorted(seeds_dir.iterdir()))
    store = sl.store
    rows = store._conn.execute("SELECT article_seq, idx FROM passage_rows ORDER BY article_seq, idx").fetchall()
    assert len(rows) > 20
    asked = SqliteReuseIndex(store._conn)
    whole = SqliteReuseIndex(store._conn)
    roots = set()
    for seq, idx in rows:
        root, status, root_seq = asked.passage_root(seq, idx)
        stored = whole.passage(seq, idx)
        assert (root, status, root_seq) == (stored.root, stored.status, stored.root_seq)
        roots.add(root == PassageRef(stored.article_id, idx))
    assert roots == {True, False}  # both first occurrences and copies were asked
    assert len(asked._passages) == 0
    with pytest.raises(StoreError, match="missing passage"):
        asked.passage_root(10_000, 0)


def test_a_passage_read_back_has_its_sentences_as_runs_of_its_keys(sl, seeds_dir):
    """Keyed once as it is read: its keys are the text's, and its sentences (the spans ingest
    found) are runs of them, the keys sentence_keys would give each, without keying it again."""
    sl.ingest(sorted(seeds_dir.iterdir()))
    store = sl.store
    rows = store._conn.execute("SELECT article_seq, idx FROM passage_rows ORDER BY article_seq, idx").fetchall()
    index = SqliteReuseIndex(store._conn)
    with_runs = 0
    for seq, idx in rows:
        stored = index.passage(seq, idx)
        assert stored.keys == passage_keys(stored.text)
        if stored.spans:
            assert stored.sentence_runs is not None and len(stored.sentence_runs) == len(stored.spans)
            assert stored.sentences == sentence_keys(stored.text, stored.spans)
            with_runs += 1
    assert with_runs > 20


def test_every_stored_row_is_read_back_level_by_level_in_article_order(db_path):
    """What a resumed batch job makes its postings from: the rows of all three levels (a passage
    past the 255th of its article escaped in the packed ones), each key's in article order."""
    keys = {0: np.array([5, 6, 7], dtype=np.int64), 300: np.array([7, 8], dtype=np.int64)}
    with Store(db_path, recent_bands=10, mid_bands=10, level_ratio=2, recent_article_bands=5) as store, \
            store.transaction():
        index = store.reuse_index()
        seqs = []
        for n in range(7):
            seqs.append(store.insert_article(_article(n)))
            index.add_passages(seqs[-1], keys)
            index.add_article(seqs[-1], np.zeros(4, dtype=np.uint32), np.array([n % 2, 9], dtype=np.int64))
            index.settle()
        levels = Counter(level for level, *_ in band_rows(store._conn))
        assert levels["recent"] and levels["mid"] + levels["big"]
        for chunk in (1, 2, 1000):
            parts = list(index.stored_passage_rows(chunk))
            got = [(k, s, i) for ks, ss, ix in parts for k, s, i in zip(ks.tolist(), ss.tolist(), ix.tolist())]
            assert sorted(got) == sorted((k, s, i) for _, k, s, i in band_rows(store._conn))
            for key in (5, 7, 8):  # each key's rows in article order, then passage order
                mine = [(s, i) for k, s, i in got if k == key]
                assert mine == sorted(mine)
        # article band keys: moved into their index after the third and the sixth article
        assert store._conn.execute("SELECT count(*) FROM article_bands").fetchone() == (12,)
        assert store._conn.execute("SELECT article_seq FROM article_bands_log").fetchall() == [(seqs[-1],)]
        for chunk in (1, 3, 1000):
            articles = [(k, s) for ks, ss in index.stored_article_rows(chunk) for k, s in zip(ks.tolist(), ss.tolist())]
            assert sorted(articles) == sorted((k, seq) for n, seq in enumerate(seqs) for k in (n % 2, 9))
            for key in (0, 1, 9):  # each key's rows in article order, the recent level's last
                mine = [s for k, s in articles if k == key]
                assert mine == sorted(mine)


# -- article band keys: the recent level and the index (schema 29) --------------------------------

def _plain_candidates(stored: list[list[int]], query: list[int], limit: int) -> list[int]:
    """What one table of (key, article) rows gives: each key's earliest ``limit`` articles,
    counted, the most shared first (the first met first among equals)."""
    hits: Counter[int] = Counter()
    for key in query:
        hits.update([seq for seq, keys in enumerate(stored, start=1) if key in keys][:limit])
    return [seq for seq, _ in hits.most_common(limit)]


_article_keys = st.lists(st.integers(-3, 12), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.lists(_article_keys, min_size=1, max_size=20), query=_article_keys, limit=st.integers(1, 4),
       recent=st.sampled_from([1, 5, 12, 160_000]), rolled_back=st.sets(st.integers(0, 19)),
       reopen=st.sets(st.integers(0, 19)))
def test_article_candidates_over_both_levels_are_those_of_one_table(tmp_path_factory, stored, query, limit, recent,
                                                                     rolled_back, reopen):
    """Articles stored a transaction each, their band keys moved into the index whenever
    ``recent`` rows have gathered (some transactions rolled back, the store sometimes opened
    again): each lookup gives what one table of every row gives."""
    path = tmp_path_factory.mktemp("articles") / "store.db"
    kept: list[list[int]] = []
    store = Store(path, recent_article_bands=recent)
    try:
        for n, keys in enumerate(stored):
            if n in reopen:
                store.close()
                store = Store(path, recent_article_bands=recent)
            index = store.reuse_index()
            try:
                with store.transaction():
                    seq = store.insert_article(_article(n))
                    index.add_article(seq, np.zeros(4, dtype=np.uint32), np.array(keys, dtype=np.int64))
                    index.settle()
                    if n in rolled_back:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                continue
            kept.append(keys)
            seqs = {s: i for i, (s,) in enumerate(store._conn.execute("SELECT seq FROM articles ORDER BY seq"), 1)}
            with store.transaction():
                found = [seqs[c.seq] for c in index.article_candidates(np.array(query, dtype=np.int64), limit)]
            assert found == _plain_candidates(kept, query, limit)
        rows = store._conn.execute("SELECT count(*) FROM article_bands").fetchone()[0]
        log = sum(len(blob) // 8 for (blob,) in store._conn.execute("SELECT keys FROM article_bands_log"))
        assert rows + log == sum(len(set(keys)) for keys in kept)
        assert log < recent  # moved once they reached it
    finally:
        store.close()


def test_new_article_band_keys_go_into_the_log_and_move_in_key_order(db_path):
    with Store(db_path, recent_article_bands=6) as store, store.transaction():
        index = store.reuse_index()
        a = store.insert_article(_article(0))
        index.add_article(a, np.zeros(4, dtype=np.uint32), np.array([9, 3, 9, 5], dtype=np.int64))
        assert store._conn.execute("SELECT article_seq, keys FROM article_bands_log").fetchall() == \
            [(a, np.array([9, 3, 5], dtype="<i8").tobytes())]  # each key once, as given
        assert not index.settle()  # 3 rows: fewer than 6
        b = store.insert_article(_article(1))
        index.add_article(b, np.zeros(4, dtype=np.uint32), np.array([5, 1, 2], dtype=np.int64))
        assert index.settle()
        assert store._conn.execute("SELECT count(*) FROM article_bands_log").fetchone() == (0,)
        assert store._conn.execute("SELECT key, article_seq FROM article_bands").fetchall() == \
            [(1, b), (2, b), (3, a), (5, a), (5, b), (9, a)]
        assert [c.seq for c in index.article_candidates(np.array([5, 9, 1]), 10)] == [a, b]


def test_article_band_keys_another_writer_added_are_found(db_path):
    with Store(db_path) as first, Store(db_path) as second:
        with first.transaction():  # the first writer reads the recent level (empty)
            assert first.reuse_index().article_candidates(np.array([7]), 10) == []
        with second.transaction():
            seq = second.insert_article(_article(0))
            second.reuse_index().add_article(seq, np.zeros(4, dtype=np.uint32), np.array([7, 8], dtype=np.int64))
        with first.transaction():
            assert [c.seq for c in first.reuse_index().article_candidates(np.array([7]), 10)] == [seq]


def test_a_damaged_recent_article_band_row_is_named(db_path):
    with Store(db_path) as store:
        with store.transaction():
            seq = store.insert_article(_article(0))
            store._conn.execute("INSERT INTO article_bands_log (article_seq, keys) VALUES (?, ?)", (seq, b"\x01\x02\x03"))
        with pytest.raises(StoreError, match=f"article #{seq} are damaged \\(3 bytes"), store.transaction():
            store.reuse_index().article_candidates(np.array([1]), 10)


@settings(max_examples=300, deadline=None)
@given(passages=st.lists(st.lists(st.lists(st.tuples(st.integers(0, 40) | st.integers(0, (1 << 31) - 1),
                                                     st.integers(0, 3) | st.integers(0, (1 << 32) - 1)),
                                           max_size=12), max_size=8), max_size=6),
       top=st.integers(0, 12), min_shared=st.integers(1, 4))
def test_rows_packed_as_one_number_rank_as_rows_sorted_by_columns(passages, top, min_shared):
    """The packed ranking gives what sorting the rows by their columns gives, both for rows whose
    fields fit in an int64 and for those that do not (large seqs and passage indexes: then the
    columns are sorted, which this shows is taken)."""
    from storyline.store import reuse_index
    from storyline.store.reuse_index import memo_rows, top_postings_many

    rows = [memo_rows([seq << 32 | idx for seq, idx in key]) for keys in passages for key in keys]
    sizes = [len(keys) for keys in passages]
    lens = np.array([len(r) // 8 for r in rows], dtype=np.int64)
    postings = np.frombuffer(b"".join(rows), dtype="<i8")
    owners = np.repeat(np.repeat(np.arange(len(sizes), dtype=np.int64), sizes), lens)
    by_columns = reuse_index._top_postings_by_columns(postings, owners, len(sizes), top, min_shared) \
        if postings.size and top >= 1 else [[] for _ in sizes]
    assert top_postings_many(postings, lens, sizes, top, min_shared) == by_columns


def test_rows_too_wide_to_pack_are_sorted_by_columns(monkeypatch):
    from storyline.store import reuse_index

    taken = []
    real = reuse_index._top_postings_by_columns
    monkeypatch.setattr(reuse_index, "_top_postings_by_columns",
                        lambda *args: taken.append(args) or real(*args))
    narrow = np.array([5 << 32 | 1, 5 << 32 | 1, 7 << 32 | 2], dtype=np.int64)
    assert reuse_index.top_postings_many(narrow, np.array([2, 1]), [2], 5) == [[(5, 1), (7, 2)]]
    assert not taken
    wide = np.array([(1 << 30) << 32 | (1 << 31), (1 << 30) << 32 | (1 << 31), 3 << 32], dtype=np.int64)
    assert reuse_index.top_postings_many(wide, np.array([2, 1]), [2], 5) == [[((1 << 30), 1 << 31), (3, 0)]]
    assert len(taken) == 1
