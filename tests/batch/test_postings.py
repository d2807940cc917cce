"""Band key lookups from memory (the batch job's store stage) give the store's answers: the same
candidates in the same order, whatever is left out of the index, across the store's three levels
of band keys; and a writer that is not the job sends every lookup back to the store."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.batch.postings import KeyPostings
from storyline.batch.reuse_index import BatchReuseIndex
from storyline.records import Article, Passage
from storyline.store import Store
from storyline.store.reuse_index import KEY_MASK


def _article(aid: str, passages: int) -> Article:
    texts = [f"Passage {n} of {aid}." for n in range(passages)]
    text = "\n\n".join(texts)
    spans, start = [], 0
    for n, t in enumerate(texts):
        spans.append(Passage(n, start, start + len(t), t))
        start += len(t) + 2
    return Article(id=aid, text=text, passages=spans, content_hash=f"hash-{aid}")


def _shared(per_article: list[list[np.ndarray]], cap: int, narrow: bool = False) -> KeyPostings:
    """What Spark's group by key finds: keys of two articles or more, with their rows (passage
    keys ``narrow``ed to their low 40 bits first, as the store keeps them)."""
    rows: dict[int, int] = defaultdict(int)
    articles: dict[int, set[int]] = defaultdict(set)
    for n, passages in enumerate(per_article):
        for keys in passages:
            for key in np.unique(keys & KEY_MASK if narrow else keys).tolist():
                rows[key] += 1
                articles[key].add(n)
    keys = np.array([k for k in rows if len(articles[k]) > 1], dtype=np.int64)
    return KeyPostings(keys, np.array([rows[k] for k in keys.tolist()], dtype=np.int64), cap)


# Passage keys: a few low parts, each with high bits that differ (keys the store holds as one).
_keys = st.lists(st.tuples(st.integers(0, 24), st.integers(-2, 2)), min_size=1, max_size=8).map(
    lambda ks: np.array([low + (high << 40) for low, high in ks], dtype=np.int64))
_article_plan = st.tuples(st.lists(st.tuples(_keys, st.booleans()), min_size=1, max_size=4),
                          st.lists(st.integers(0, 12), min_size=1, max_size=4))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(_article_plan, min_size=2, max_size=25), top=st.integers(1, 6), min_shared=st.integers(1, 3),
       cap=st.integers(1, 5))
def test_lookups_from_memory_are_the_stores(tmp_path_factory, plan, top, min_shared, cap):
    db = Path(tmp_path_factory.mktemp("postings")) / "s.db"
    passages = _shared([[keys for keys, _ in passages] for passages, _ in plan], cap, narrow=True)
    articles = _shared([[np.array(keys, dtype=np.int64)] for _, keys in plan], cap)
    with Store(db, recent_bands=6, mid_bands=10, level_ratio=2) as store, store.transaction():
        exact = store.reuse_index()
        index = BatchReuseIndex(exact, (passages, articles))
        for n, (planned, article_keys) in enumerate(plan):
            ak = np.array(article_keys, dtype=np.int64)
            assert [a.seq for a in index.article_candidates(ak, cap)] == \
                [a.seq for a in exact.article_candidates(ak, cap)]
            for keys, _ in planned:
                assert index.passage_candidates(keys, cap, top, min_shared) == \
                    exact.passage_candidates(keys, cap, top, min_shared)
            seq = store.insert_article(_article(f"a{n}", len(planned)))
            index.add_article(seq, np.zeros(4, dtype=np.uint32), ak)
            # a passage planned as left out is not indexed, as a near-exact copy is not
            index.add_passages(seq, {i: keys for i, (keys, kept) in enumerate(planned) if kept})
            index.settle()
        assert index.lookups.store == 0 and index.lookups.memory > 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(_article_plan, min_size=2, max_size=25), cap=st.integers(1, 5))
def test_a_store_written_with_lookups_from_memory_holds_the_rows_of_one_written_with_the_stores(tmp_path_factory,
                                                                                              plan, cap):
    """A key a lookup finds holding its ``cap`` rows is given no more by the article that looked
    it up, whether memory or the store answered: both stores end with the same band key rows
    (in whichever level) and the same limit recorded."""
    from storyline.store.reuse_index import POSTINGS_KEY, band_rows

    passages = _shared([[keys for keys, _ in passages] for passages, _ in plan], cap, narrow=True)
    articles = _shared([[np.array(keys, dtype=np.int64)] for _, keys in plan], cap)
    written = []
    for memory in (True, False):
        db = Path(tmp_path_factory.mktemp("withheld")) / "s.db"
        with Store(db, recent_bands=6, mid_bands=10, level_ratio=2) as store, store.transaction():
            exact = store.reuse_index()
            index = BatchReuseIndex(exact, (passages, articles)) if memory else exact
            for n, (planned, _) in enumerate(plan):
                index.passages_candidates([keys for keys, _ in planned], cap, 3)
                seq = store.insert_article(_article(f"a{n}", len(planned)))
                index.add_passages(seq, {i: keys for i, (keys, kept) in enumerate(planned) if kept})
                index.settle()
            kept = store._conn.execute("SELECT value FROM meta WHERE key = ?", (POSTINGS_KEY,)).fetchone()
            written.append((sorted((k, seq, idx) for _, k, seq, idx in band_rows(store._conn)), kept))
    assert written[0] == written[1]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(_article_plan, min_size=2, max_size=25), cap=st.integers(1, 5), chunk=st.integers(1, 7))
def test_postings_made_again_from_the_store_are_those_filled_while_writing_it(tmp_path_factory, plan, cap, chunk):
    """A stopped job resumed on the store it wrote makes its postings again from the store's
    rows (all three levels, a few keys or articles at a time): every key holds what it held."""
    from storyline.batch.reuse_index import refill

    db = Path(tmp_path_factory.mktemp("refill")) / "s.db"

    def shared() -> tuple[KeyPostings, KeyPostings]:
        return (_shared([[keys for keys, _ in passages] for passages, _ in plan], cap, narrow=True),
                _shared([[np.array(keys, dtype=np.int64)] for _, keys in plan], cap))

    written = shared()
    with Store(db, recent_bands=6, mid_bands=10, level_ratio=2) as store, store.transaction():
        index = BatchReuseIndex(store.reuse_index(), written)
        for n, (planned, article_keys) in enumerate(plan):
            seq = store.insert_article(_article(f"a{n}", len(planned)))
            index.add_article(seq, np.zeros(4, dtype=np.uint32), np.array(article_keys, dtype=np.int64))
            index.add_passages(seq, {i: keys for i, (keys, kept) in enumerate(planned) if kept})
            index.settle()
    again = shared()
    with Store(db, recent_bands=6, mid_bands=10, level_ratio=2) as store, store.transaction():
        exact = store.reuse_index()
        real = exact.stored_passage_rows
        exact.stored_passage_rows = lambda: real(chunk)  # type: ignore[method-assign]
        refill(again, exact)
    for before, after in zip(written, again):
        for key in before.keys.tolist():
            assert after.rows(np.array([key])).tolist() == before.rows(np.array([key])).tolist()


@settings(max_examples=60, deadline=None)
@given(adds=st.lists(st.tuples(st.integers(0, 5), st.lists(st.integers(0, 9), unique=True, max_size=6)), max_size=20),
       cap=st.integers(1, 4), cut=st.integers(0, 20))
def test_rows_extended_at_once_are_rows_added_one_by_one(adds, cap, cut):
    keys = np.arange(0, 10, 2, dtype=np.int64)  # the odd keys are not held
    one_by_one, at_once = KeyPostings(keys, np.full(5, 9), cap), KeyPostings(keys, np.full(5, 9), cap)
    for seq, (idx, ks) in enumerate(adds):
        one_by_one.add(seq, idx, np.array(ks, dtype=np.int64))
    from storyline.batch.postings import packed

    flat = [(k, int(packed(np.array([seq]), idx)[0])) for seq, (idx, ks) in enumerate(adds) for k in ks]
    for part in (flat[:cut], flat[cut:]):  # in two calls: the second goes on after the first
        at_once.extend(np.array([k for k, _ in part], dtype=np.int64), np.array([r for _, r in part], dtype=np.int64))
    for key in range(10):
        assert at_once.rows(np.array([key])).tolist() == one_by_one.rows(np.array([key])).tolist()


def test_after_another_writer_the_store_answers(tmp_path):
    keys = np.array([1, 2, 3], dtype=np.int64)
    with Store(tmp_path / "s.db") as store, store.transaction():
        exact = store.reuse_index()
        none = np.empty(0, dtype=np.int64)
        index = BatchReuseIndex(exact, (KeyPostings(none, none, 16), KeyPostings(none, none, 50)))
        seq = store.insert_article(_article("a", 1))
        exact.add_passages(seq, {0: keys})  # as another writer would: the postings never heard of it
        assert index.passage_candidates(keys, 16, 10) == []
        index.give_up()
        assert index.passage_candidates(keys, 16, 10) == [(seq, 0)]
        assert index.passage_candidates(keys, 8, 10) == [(seq, 0)]
        assert (index.lookups.memory, index.lookups.store) == (1, 2)


def test_a_rolled_back_transaction_sends_lookups_to_the_store(tmp_path):
    """Rows added in a transaction that rolled back are not in the store: memory no longer
    knows what the store holds, so the store answers from then on."""
    from storyline.batch.resolve import _ResumableSink

    none = np.empty(0, dtype=np.int64)
    keys = np.array([1, 2, 3], dtype=np.int64)
    with Store(tmp_path / "s.db") as store:
        sink = _ResumableSink(store, "batch.resume.test", (KeyPostings(keys, np.full(3, 2), 16),
                                                            KeyPostings(none, none, 50)))
        index = sink.reuse_index()
        try:
            with sink.transaction():
                assert not sink.changed_elsewhere() or store.count_articles() == 0
                seq = store.insert_article(_article("a", 1))
                index.add_passages(seq, {0: keys})
                assert index.passage_candidates(keys, 16, 10) == [(seq, 0)]
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        with sink.transaction():
            assert index.passage_candidates(keys, 16, 10) == []
        assert (sink.lookups.memory, sink.lookups.store) == (1, 1)


def test_shared_keys_read_back_as_the_store_keeps_them(tmp_path):
    """A job's folder of shared keys (whole keys, as one written before keys were narrowed) reads
    back narrowed: keys the store holds as one are one, with their rows added up."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from storyline.batch.postings import read_shared

    low = 0x12_3456_789A
    pq.write_table(pa.table({"key": pa.array([low | 1 << 40, low - (1 << 62), 5], pa.int64()),
                             "rows": pa.array([2, 3, 4], pa.int64())}), tmp_path / "part.parquet")
    postings = read_shared(tmp_path, cap=16, narrow=True)
    assert postings.keys.tolist() == [5, low]
    postings.add(1, 0, np.array([low]))
    postings.add(2, 0, np.array([5]))
    assert postings.rows(np.array([low, 5])).tolist() == [1 << 24, 2 << 24]
    assert read_shared(tmp_path, cap=16).keys.tolist() == sorted([low | 1 << 40, low - (1 << 62), 5])


_INT64 = st.integers(-(1 << 63), (1 << 63) - 1)


@settings(max_examples=200, deadline=None)
@given(keys=st.one_of(st.lists(_INT64, unique=True, max_size=300),
                      st.lists(st.integers(0, KEY_MASK), unique=True, max_size=300),  # passage keys: 40 bits
                      st.lists(st.integers(-50, 50), unique=True, max_size=60)),
       queries=st.lists(_INT64, max_size=40), bits=st.integers(1, 20))
def test_sorted_keys_find_where_searchsorted_does(keys, queries, bits):
    from storyline.batch.postings import SortedKeys

    held = np.array(sorted(keys), dtype=np.int64)
    # the keys themselves, their neighbours and any others
    asked = np.array([*keys, *(k + 1 for k in keys if k < (1 << 63) - 1), *(k - 1 for k in keys if k > -(1 << 63)),
                      *queries], dtype=np.int64)
    found = SortedKeys(held, bits).find(asked)
    expected = np.searchsorted(held, asked)
    # where the key is held the position is searchsorted's; elsewhere no held key is found there
    there = np.isin(asked, held)
    assert found[there].tolist() == expected[there].tolist()
    clipped = np.minimum(found[~there], max(len(held) - 1, 0))
    assert not len(held) or not np.any(held[clipped] == asked[~there])


@settings(max_examples=60, deadline=None)
@given(adds=st.lists(st.tuples(st.integers(0, 5), st.lists(st.integers(0, 9), unique=True, max_size=6)), max_size=20),
       asked=st.lists(st.lists(st.integers(0, 11), max_size=6), max_size=5), cap=st.integers(1, 4))
def test_the_rows_of_several_key_sets_at_once_are_each_sets_rows(adds, asked, cap):
    keys = np.arange(0, 10, 2, dtype=np.int64)  # the odd keys, 10 and 11 are not held
    postings = KeyPostings(keys, np.full(5, 9), cap)
    for seq, (idx, ks) in enumerate(adds):
        postings.add(seq, idx, np.array(ks, dtype=np.int64))
    sets = [np.array(a, dtype=np.int64) for a in asked]
    assert [r.tolist() for r in postings.rows_of_each(sets)] == [postings.rows(s).tolist() for s in sets]
