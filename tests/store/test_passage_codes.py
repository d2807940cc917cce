"""A passage's status and score as ``passage_rows`` holds them (schema 27)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.store.passage_codes import STATUSES, pack_score, status_code, status_of, unpack_score


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_a_score_rounded_as_the_reuse_stage_rounds_it_comes_back_the_same_float(score):
    rounded = round(score, 4)
    assert unpack_score(pack_score(rounded)) == rounded
    assert isinstance(pack_score(rounded), int)


def test_no_score_stays_none():
    assert pack_score(None) is None and unpack_score(None) is None


@pytest.mark.parametrize("status", STATUSES)
def test_statuses_round_trip(status):
    assert status_of(status_code(status)) == status


def test_an_unknown_status_or_code_names_itself():
    with pytest.raises(StoreError, match="'copied'"):
        status_code("copied")
    with pytest.raises(StoreError, match="7"):
        status_of(7)
