"""The split check on its own: which group leaves a story, and when a story is checked."""

import numpy as np
import pytest

from storyline.stories.split import PairScorer, find_split, is_due
from storyline.stories.ports import Member

SPARSE = PairScorer()


def _members(*vectors: dict[str, float]) -> list[Member]:
    return [Member(f"m{i}", i + 1, f"2025-03-0{1 + i % 9}", v) for i, v in enumerate(vectors)]


BRIDGE = {"harbour": 0.6, "bridge": 0.6, "crack": 0.5}
FERRY = {"ferry": 0.6, "terminal": 0.6, "queues": 0.5}


def test_two_groups_apart_split_and_the_smaller_leaves_with_its_reason():
    members = _members(BRIDGE, {**BRIDGE, "pier": 0.3}, {**BRIDGE, "engineers": 0.3}, {**BRIDGE, "lanes": 0.2},
                       FERRY, {**FERRY, "commuters": 0.3}, {**FERRY, "sailings": 0.3})
    plan = find_split(members, "m0", join=0.15, split=0.15, min_articles=3, scorer=SPARSE)
    assert plan is not None
    assert [m.id for m in plan.moved] == ["m4", "m5", "m6"] and [m.id for m in plan.kept] == ["m0", "m1", "m2", "m3"]
    assert plan.score == pytest.approx(0.0)
    assert set(plan.moved_terms[:3]) == {"ferry", "terminal", "queues"}
    assert set(plan.kept_terms[:3]) == {"harbour", "bridge", "crack"}


def test_the_founders_group_stays_on_a_tie_and_leaves_when_smaller():
    tie = _members(FERRY, FERRY, FERRY, BRIDGE, BRIDGE, BRIDGE)
    plan = find_split(tie, "m0", 0.15, 0.15, 3, SPARSE)
    assert [m.id for m in plan.moved] == ["m3", "m4", "m5"]
    smaller = _members(FERRY, FERRY, FERRY, BRIDGE, BRIDGE, BRIDGE, BRIDGE)
    plan = find_split(smaller, "m0", 0.15, 0.15, 3, SPARSE)
    assert [m.id for m in plan.moved] == ["m0", "m1", "m2"]  # fewest articles change story


def test_a_story_that_holds_together_does_not_split():
    members = _members(BRIDGE, {**BRIDGE, "pier": 0.4}, {"harbour": 0.5, "bridge": 0.5, "pier": 0.5},
                       {"bridge": 0.6, "pier": 0.4, "engineers": 0.5}, {"harbour": 0.4, "crack": 0.6, "lanes": 0.3},
                       {"bridge": 0.5, "crack": 0.5, "repairs": 0.4}, {"pier": 0.6, "crack": 0.4, "repairs": 0.3})
    assert find_split(members, "m0", 0.15, 0.15, 3, SPARSE) is None


def test_parts_closer_than_the_split_threshold_stay_together():
    members = _members(BRIDGE, BRIDGE, BRIDGE, {**FERRY, "bridge": 0.5}, {**FERRY, "bridge": 0.5},
                       {**FERRY, "bridge": 0.5})
    plan = find_split(members, "m0", 0.15, 0.6, 3, SPARSE)
    assert plan is not None and 0.15 < plan.score < 0.6
    assert find_split(members, "m0", 0.15, plan.score, 3, SPARSE) is None  # the same parts, a lower threshold


def test_too_few_articles_or_a_lone_drifter_do_not_split():
    assert find_split(_members(BRIDGE, BRIDGE, FERRY, FERRY), "m0", 0.15, 0.15, 3, SPARSE) is None
    lone = _members(BRIDGE, BRIDGE, BRIDGE, BRIDGE, BRIDGE, FERRY)
    assert find_split(lone, "m0", 0.15, 0.15, 3, SPARSE) is None
    assert find_split(lone, "m0", 0.15, 0.15, 1, SPARSE).moved[0].id == "m5"


def test_an_incoherent_group_does_not_leave():
    # The three that differ from the founder's group differ from each other too: no story of their own.
    members = _members(BRIDGE, BRIDGE, BRIDGE, {"ferry": 1.0}, {"election": 1.0}, {"recount": 1.0})
    assert find_split(members, "m0", 0.4, 0.15, 3, SPARSE) is None


def test_split_zero_turns_it_off():
    assert find_split(_members(BRIDGE, BRIDGE, BRIDGE, FERRY, FERRY, FERRY), "m0", 0.15, 0.0, 3, SPARSE) is None


def test_embeddings_blend_into_the_scores():
    same = np.ones(4, dtype=np.float32)
    members = [Member(m.id, m.seq, m.published, m.vector, same)
               for m in _members(BRIDGE, BRIDGE, BRIDGE, FERRY, FERRY, FERRY)]
    # Sparse vectors apart, embeddings identical: at weight 0.85 the parts score 0.85.
    assert find_split(members, "m0", 0.15, 0.5, 3, PairScorer(0.85)) is None
    assert find_split(members, "m0", 0.15, 0.5, 3, PairScorer(None)) is not None


@pytest.mark.parametrize(("articles", "due"), [(5, False), (6, True), (7, False), (8, True), (9, False),
                                               (12, True), (16, True), (18, False), (24, True), (96, True),
                                               (100, False), (384, False)])
def test_checked_at_sizes_about_one_and_a_half_apart(articles, due):
    assert is_due(articles, merged=False, min_articles=3, max_articles=256) is due


def test_checked_after_every_merge_within_the_bounds():
    assert is_due(7, merged=True, min_articles=3, max_articles=256)
    assert not is_due(5, merged=True, min_articles=3, max_articles=256)
    assert not is_due(300, merged=True, min_articles=3, max_articles=256)
