"""The story log's row codec (schema 28): details, times and events back as they were given."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.store.migrations import MIGRATIONS
from storyline.store.story_events import (EVENTS, at_text, at_value, event_code, event_name, pack_detail,
                                          unpack_detail)

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                     max_leaves=8)
_details = st.dictionaries(st.text(max_size=8), _json, max_size=4).flatmap(
    lambda d: st.one_of(st.just(d), st.lists(st.text(), max_size=8).map(lambda t: {**d, "shared_terms": t})))


@given(_details)
def test_a_detail_comes_back_as_it_was_given(detail):
    terms, rest = pack_detail(detail)
    back = unpack_detail(terms, rest)
    assert back == detail
    assert list(back) == list(detail)  # the keys in their order too
    assert rest is None or isinstance(json.loads(rest), dict)


@given(_details)
def test_the_view_writes_the_detail_back_as_json(detail):
    """``story_log``, the view, puts the terms back into the JSON with SQL alone: what it gives
    parses to the detail (a migrated store and a store's new rows read alike by other clients)."""
    conn = sqlite3.connect(":memory:")
    for migration in MIGRATIONS:
        migration.apply(conn)
    conn.execute("INSERT INTO stories (seq, id, title, articles, centroid) VALUES (1, 's1', 'A story', 1, '')")
    terms, rest = pack_detail(detail)
    conn.execute("INSERT INTO story_events (story_seq, article_id, at, event, score, terms, detail)"
                 " VALUES (1, 'a1', 0, 1, NULL, ?, ?)", (terms, rest))
    (text,) = conn.execute("SELECT detail FROM story_log").fetchone()
    assert (json.loads(text) if text is not None else {}) == detail
    conn.close()


def test_shared_terms_a_json_array_could_not_take_back_stay_in_the_json():
    for terms in (["a\tb"], ['say "no"'], ["back\\slash"], ["line\nbreak"], [""], ["ok", 3]):
        packed = pack_detail({"shared_terms": terms})
        assert packed[0] is None and json.loads(packed[1]) == {"shared_terms": terms}
    assert pack_detail({"shared_terms": ["a"], "from": "s1"}) == (None, '{"shared_terms":["a"],"from":"s1"}')
    assert pack_detail({"from": "s1", "shared_terms": ["a", "é"]}) == ("a\té", '{"from":"s1"}')
    assert pack_detail({"shared_terms": []}) == ("", None)
    assert pack_detail({}) == (None, None)
    assert unpack_detail("", None) == {"shared_terms": []} and unpack_detail(None, None) == {}


@given(st.integers(min_value=0, max_value=4_102_444_800))  # 1970 to 2100
def test_a_time_in_seconds_round_trips(seconds):
    text = at_text(seconds)
    assert text.endswith("+00:00") and at_value(text) == seconds


@pytest.mark.parametrize("text", ["2025-03-05T08:30:00Z", "2025-03-05T08:30:00.250000+00:00",
                                  "2025-03-05T10:30:00+02:00", "2025-03-05T10:30:00", "yesterday", ""])
def test_a_time_storyline_did_not_write_is_kept_as_written(text):
    assert at_value(text) == text and at_text(text) == text


def test_events_by_code_and_an_unknown_one_said():
    assert [event_name(event_code(e)) for e in EVENTS] == list(EVENTS)
    with pytest.raises(StoreError, match="unknown story event 'renamed'"):
        event_code("renamed")
    with pytest.raises(StoreError, match="code 9"):
        event_name(9)


@pytest.mark.parametrize("detail", ["not json", "[1, 2]"])
def test_a_detail_that_is_not_a_json_object_is_said(detail):
    with pytest.raises(StoreError, match="not (JSON|a JSON object)"):
        unpack_detail(None, detail)
