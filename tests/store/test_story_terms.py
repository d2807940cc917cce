"""The term → story index in two levels (schema 30): story_terms as of the last move, and the
stories changed since by their terms now. Lookups give what one table kept up to date gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.store import Store
from storyline.store.story_terms import StoryTerms, index_term_rows, pack_terms

TERMS = ("pier", "bridge", "ferry", "crews", "mayor", "vote")

# One step: a story (by its number) given new index terms, or (None terms) merged into another.
_steps = st.lists(st.tuples(st.integers(0, 4), st.one_of(st.none(), st.sets(st.sampled_from(TERMS), max_size=4))),
                  min_size=1, max_size=25)


def _latest(reference: dict[int, set[str]], term: str, limit: int) -> list[int]:
    return sorted((seq for seq, terms in reference.items() if term in terms), reverse=True)[:limit]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_steps, recent=st.sampled_from([1, 2, 3, 2_000]), limit=st.integers(1, 3),
       rolled_back=st.sets(st.integers(0, 24)), reopen=st.sets(st.integers(0, 24)), cache=st.sampled_from([0, 1, 2, 100]))
def test_lookups_over_both_levels_are_those_of_one_table(tmp_path_factory, steps, recent, limit, rolled_back, reopen,
                                                         cache):
    """Stories made, given new terms and merged away a transaction at a time (some rolled back,
    the store sometimes opened again), with moves every ``recent`` changed stories and ``cache``
    terms' latest stories kept in memory throughout (looked up as deep as ``limit`` and others):
    each term's latest stories are those of the terms every story holds now."""
    path = tmp_path_factory.mktemp("terms") / "store.db"
    reference: dict[int, set[str]] = {}  # live story seq -> its terms now
    seqs: dict[int, int] = {}  # story number -> seq
    store = Store(path, recent_story_terms=recent, story_term_cache=cache)
    try:
        for n, (story, terms) in enumerate(steps):
            if n in reopen:
                store.close()
                store = Store(path, recent_story_terms=recent, story_term_cache=cache)
            index = store.story_index()
            live = [seq for seq in reference]
            after = {seq: set(t) for seq, t in reference.items()}
            try:
                with store.transaction():
                    if story not in seqs:
                        state = index.create(f"s{story}-{n}", "A story", None)
                        index.save(state, sorted(terms or ()))
                        after[state.seq] = set(terms or ())
                        made = state.seq
                    elif seqs[story] in reference and terms is not None:
                        index.save(index.state(seqs[story]), sorted(terms))
                        after[seqs[story]] = set(terms)
                    elif seqs[story] in reference and len(live) > 1:  # merged into another live story
                        into = index.state(next(seq for seq in live if seq != seqs[story]))
                        index.merge(into, index.state(seqs[story]), sorted(after[into.seq]))
                        del after[seqs[story]]
                    if n in rolled_back:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                continue
            if story not in seqs:
                seqs[story] = made
            reference = after
            with store.transaction():
                for term in TERMS:
                    # shallower and deeper than what is kept (not every time: what a shallow lookup
                    # kept is then kept through the next step's changes)
                    for deep in (limit, 1, limit + 2) if n % 2 else (limit,):
                        assert index.candidate_seqs([term], limit=deep, top=100) == _latest(reference, term, deep)
            assert index_term_rows(store._conn) == sorted((t, seq) for seq, ts in reference.items() for t in ts)
            changed = store._conn.execute("SELECT count(*) FROM story_terms_dirty").fetchone()[0]
            assert changed < recent  # brought up to date once that many had changed
    finally:
        store.close()


def test_changed_stories_are_brought_up_to_date_together(db_path):
    with Store(db_path, recent_story_terms=3) as store, store.transaction():
        index = store.story_index()
        a = index.create("sa", "A", None)
        index.save(a, ["pier", "bridge"])
        b = index.create("sb", "B", None)
        index.save(b, ["ferry"])
        conn = store._conn
        assert conn.execute("SELECT count(*) FROM story_terms").fetchone() == (0,)  # not moved yet
        index.save(a, ["pier", "crews"])  # changed again: story_terms still holds none of it
        assert conn.execute("SELECT story_seq, terms FROM story_terms_dirty ORDER BY 1").fetchall() == \
            [(a.seq, None), (b.seq, None)]
        assert index.candidate_seqs(["bridge"], 10, 10) == [] and index.candidate_seqs(["crews"], 10, 10) == [a.seq]
        c = index.create("sc", "C", None)
        index.save(c, ["pier"])  # the third changed story: moved
        assert conn.execute("SELECT count(*) FROM story_terms_dirty").fetchone() == (0,)
        assert conn.execute("SELECT term, story_seq FROM story_terms ORDER BY 1, 2").fetchall() == \
            [("crews", a.seq), ("ferry", b.seq), ("pier", a.seq), ("pier", c.seq)]
        index.save(c, ["vote"])  # changed after the move: its rows there are what it held
        assert conn.execute("SELECT story_seq, terms FROM story_terms_dirty").fetchall() == [(c.seq, pack_terms(["pier"]))]
        assert index.candidate_seqs(["pier"], 10, 10) == [a.seq] and index.candidate_seqs(["vote"], 10, 10) == [c.seq]


def test_terms_another_writer_changed_are_found(db_path):
    with Store(db_path) as first, Store(db_path) as second:
        with first.transaction():
            story = first.story_index().create("sa", "A", None)
            first.story_index().save(story, ["pier"])
        with first.transaction():  # the first writer holds its changed stories
            assert first.story_index().candidate_seqs(["pier"], 10, 10) == [story.seq]
        with second.transaction():
            index = second.story_index()
            index.save(index.state(story.seq), ["ferry"])
        with first.transaction():
            index = first.story_index()
            assert index.candidate_seqs(["pier"], 10, 10) == [] and index.candidate_seqs(["ferry"], 10, 10) == [story.seq]


def test_a_changed_story_with_damaged_terms_is_named(db_path):
    with Store(db_path) as store:
        with store.transaction():
            index = store.story_index()
            index.save(index.create("sa", "A", None), ["pier"])
            store._conn.execute("UPDATE stories SET terms = x'0102'")
        with pytest.raises(StoreError, match="a story's packed terms are damaged"), store.transaction():
            StoryTerms(store._conn).stories("pier", 10)


def _term_reads(store: Store, term: str) -> list[str]:
    """Where ``store``'s connection records each read of story_terms for ``term``."""
    reads: list[str] = []
    store._conn.set_trace_callback(lambda sql: reads.append(sql) if sql.startswith(
        f"SELECT story_seq FROM story_terms WHERE term = '{term}'") else None)
    return reads


@pytest.mark.parametrize("cache", [0, 100])
def test_a_terms_latest_stories_are_read_once_and_kept_up_to_date_across_moves(db_path, cache):
    with Store(db_path, recent_story_terms=3, story_term_cache=cache) as store, store.transaction():
        index = store.story_index()
        seqs = []
        for n in range(6):
            story = index.create(f"s{n}", "A", None)
            index.save(story, ["pier"])
            seqs.append(story.seq)
        seqs.reverse()  # the latest first, as lookups give them
        reads = _term_reads(store, "pier")
        assert index.candidate_seqs(["pier"], 2, 10) == seqs[:2]
        assert index.candidate_seqs(["pier"], 2, 10) == seqs[:2]
        assert len(reads) == (1 if cache else 2)
        index.save(index.state(seqs[0]), ["ferry"])  # drops the term
        index.save(index.state(seqs[3]), ["pier", "vote"])  # keeps it
        assert index.candidate_seqs(["pier"], 2, 10) == seqs[1:3]
        assert len(reads) == (1 if cache else 3)
        for seq in seqs[1:3]:
            index.save(index.state(seq), ["ferry"])  # past the depth read (4): read again
        assert index.candidate_seqs(["pier"], 2, 10) == seqs[3:5]
        assert len(reads) == (2 if cache else 4)
        store.story_index()  # (the same term index)
        assert store._conn.execute("SELECT count(*) FROM story_terms_dirty").fetchone() == (1,)  # moved meanwhile
        new = index.create("s6", "A", None)
        index.save(new, ["pier"])  # a new story, the latest
        assert index.candidate_seqs(["pier"], 3, 10) == [new.seq, *seqs[3:5]]
        assert len(reads) == (2 if cache else 5)
        terms = store._story_terms
        assert terms is not None
        terms.move()  # where the rows are changes, not what they say: nothing read again
        assert index.candidate_seqs(["pier"], 3, 10) == [new.seq, *seqs[3:5]]
        assert len(reads) == (2 if cache else 6)
        assert index.candidate_seqs(["ferry"], 10, 10) == seqs[:3]


def test_a_terms_kept_stories_stay_within_twice_their_depth(db_path):
    with Store(db_path, story_term_cache=10) as store, store.transaction():
        index = store.story_index()
        first = index.create("s0", "A", None)
        index.save(first, ["pier"])
        assert index.candidate_seqs(["pier"], 1, 10) == [first.seq]  # kept whole, two deep
        made = [first.seq]
        for n in range(1, 8):
            story = index.create(f"s{n}", "A", None)
            index.save(story, ["pier"])
            made.append(story.seq)
        terms = store._story_terms
        assert terms is not None
        kept, depth, whole = terms._latest["pier"]
        assert depth == 2 and len(kept) <= 4 and not whole
        assert index.candidate_seqs(["pier"], 2, 10) == made[::-1][:2]
        latest = index.state(made[-1])
        index.save(latest, ["ferry"])
        assert index.candidate_seqs(["pier"], 2, 10) == made[::-1][1:3]
        index.save(latest, ["pier"])  # back among the kept, which are not all
        assert index.candidate_seqs(["pier"], 2, 10) == made[::-1][:2]
        assert index.candidate_seqs(["pier"], 8, 10) == made[::-1]  # deeper than kept: read again


def test_kept_stories_are_dropped_when_another_writer_commits(db_path):
    with Store(db_path, recent_story_terms=1) as first, Store(db_path, recent_story_terms=1) as second:
        with first.transaction():
            index = first.story_index()
            story = index.create("sa", "A", None)
            index.save(story, ["pier"])  # moved
        with first.transaction():
            assert first.story_index().candidate_seqs(["pier"], 10, 10) == [story.seq]  # kept
        with second.transaction():
            index = second.story_index()
            index.save(index.state(story.seq), ["ferry"])  # moved by the other writer
        with first.transaction():
            index = first.story_index()
            assert index.candidate_seqs(["pier"], 10, 10) == [] and index.candidate_seqs(["ferry"], 10, 10) == [story.seq]


def test_kept_stories_are_dropped_with_a_rolled_back_transaction(db_path):
    with Store(db_path, recent_story_terms=1) as store:
        with store.transaction():
            index = store.story_index()
            story = index.create("sa", "A", None)
            index.save(story, ["pier"])
            assert index.candidate_seqs(["pier"], 10, 10) == [story.seq]
        with pytest.raises(RuntimeError), store.transaction():
            index = store.story_index()
            index.save(index.state(story.seq), ["ferry"])  # moved, then rolled back
            assert index.candidate_seqs(["ferry"], 10, 10) == [story.seq]
            assert index.candidate_seqs(["pier"], 10, 10) == []
            raise RuntimeError("rolled back")
        with store.transaction():
            index = store.story_index()
            assert index.candidate_seqs(["pier"], 10, 10) == [story.seq] and index.candidate_seqs(["ferry"], 10, 10) == []


def test_candidates_rank_the_most_shared_terms_first_then_the_latest(db_path):
    with Store(db_path) as store, store.transaction():
        index = store.story_index()
        made = {}
        for name, terms in (("a", ["pier", "ferry", "vote"]), ("b", ["pier"]), ("c", ["pier", "ferry"]),
                            ("d", ["vote"]), ("e", ["crews"])):
            story = index.create(name, name.upper(), None)
            index.save(story, terms)
            made[name] = story.seq
        ranked = index.candidate_seqs(["pier", "ferry", "vote"], limit=10, top=10)
        assert ranked == [made["a"], made["c"], made["d"], made["b"]]  # 3, 2, then 1 each: the latest first
        assert index.candidate_seqs(["pier", "ferry", "vote"], limit=10, top=2) == [made["a"], made["c"]]
        assert index.candidate_seqs(["pier"], limit=2, top=10) == [made["c"], made["b"]]  # the latest 2 a term
