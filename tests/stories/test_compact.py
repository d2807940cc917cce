import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stories.compact import MARGIN, CompactStories
from storyline.stories.ports import StoryState, float32_weights
from storyline.stories.stage import _cosine

_TERMS = [f"t{i}" for i in range(40)]
_weights = st.dictionaries(st.sampled_from(_TERMS), st.floats(0.001, 1.0), max_size=25)


def _state(seq: int, centroid: dict[str, float]) -> StoryState:
    state = StoryState(seq, f"s{seq}", "title", "2024-10-01", "2024-10-01", 1, {})
    state.set_centroid(centroid)
    return state


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


@settings(max_examples=200, deadline=None)
@given(vector=_weights, centroids=st.lists(_weights, max_size=8))
def test_the_cheap_score_is_the_exact_one_to_far_below_the_margin(vector, centroids):
    vector = _unit(vector)
    compact = CompactStories(capacity=100, max_terms=1000)
    states = [_state(i + 1, c) for i, c in enumerate(centroids)]
    stories = [compact.put(s, None) for s in states]
    cheap = compact.sparse_scores(vector, stories)
    for score, state in zip(cheap.tolist(), states):
        assert abs(score - _cosine(vector, state)) < MARGIN / 1000
    # the scatter buffer is left clean for the next article
    assert not compact._buffer.any()


def test_terms_the_stories_never_had_do_not_count():
    compact = CompactStories(capacity=10, max_terms=100)
    story = compact.put(_state(1, {"ukraine": 0.8, "strike": 0.6}), None)
    (score,) = compact.sparse_scores({"ukraine": 0.6, "korea": 0.8}, [story]).tolist()
    assert score == _cosine({"ukraine": 0.6, "korea": 0.8}, _state(1, {"ukraine": 0.8, "strike": 0.6}))
    assert "korea" not in compact.vocabulary_


def test_the_least_recently_used_story_leaves_first():
    compact = CompactStories(capacity=2, max_terms=100)
    for seq in (1, 2):
        compact.put(_state(seq, {"a": 1.0}), None)
    compact.get(1)
    compact.put(_state(3, {"b": 1.0}), None)
    assert compact.get(2) is None and compact.get(1) is not None and compact.get(3) is not None


def test_a_full_vocabulary_starts_everything_over():
    compact = CompactStories(capacity=10, max_terms=3)
    compact.put(_state(1, {"a": 1.0, "b": 0.5}), None)
    assert not compact.make_room(1)
    assert compact.make_room(2)  # 4 terms > 3: the first story is forgotten
    compact.put(_state(2, {"c": 1.0, "d": 0.5}), None)
    assert compact.get(1) is None
    assert set(compact.vocabulary_) == {"c", "d"}
    (score,) = compact.sparse_scores({"c": 1.0}, [compact.get(2)]).tolist()
    assert score == _cosine({"c": 1.0}, _state(2, {"c": 1.0, "d": 0.5}))


def test_weights_are_kept_as_float32_like_the_state():
    state = _state(1, {"a": 0.1, "b": 0.3})
    compact = CompactStories(capacity=10, max_terms=100).put(state, None)
    assert compact.weights.dtype == np.float32
    assert compact.weights.tolist() == list(float32_weights({"a": 0.1, "b": 0.3}).values())
