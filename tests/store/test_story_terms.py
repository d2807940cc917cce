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
       rolled_back=st.sets(st.integers(0, 24)), reopen=st.sets(st.integers(0, 24)))
def test_lookups_over_both_levels_are_those_of_one_table(tmp_path_factory, steps, recent, limit, rolled_back, reopen):
    """Stories made, given new terms and merged away a transaction at a time (some rolled back,
    the store sometimes opened again), with moves every ``recent`` changed stories: each term's
    latest stories are those of the terms every story holds now."""
    path = tmp_path_factory.mktemp("terms") / "store.db"
    reference: dict[int, set[str]] = {}  # live story seq -> its terms now
    seqs: dict[int, int] = {}  # story number -> seq
    store = Store(path, recent_story_terms=recent)
    try:
        for n, (story, terms) in enumerate(steps):
            if n in reopen:
                store.close()
                store = Store(path, recent_story_terms=recent)
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
                    assert index.candidate_seqs([term], limit=limit, top=100) == _latest(reference, term, limit)
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
