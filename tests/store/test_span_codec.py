"""Packed sentence spans round-trip (property tests), old JSON rows still read, damage is an error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.records import Span
from storyline.store.migrations import _spans_v1
from storyline.store.span_codec import pack_spans, unpack_spans

offsets = st.integers(0, 10**7)
spans = st.lists(st.tuples(offsets, offsets), max_size=40)


@given(spans)
def test_spans_round_trip_in_any_order(original):
    assert unpack_spans(pack_spans(original)) == tuple(Span(a, b) for a, b in original)


@given(spans)
def test_migration_17_packs_as_the_codec_does(original):
    assert _spans_v1([list(s) for s in original]) == pack_spans(original)


@given(spans)
def test_json_as_schemas_before_17_stored_it_is_read(original):
    assert unpack_spans(json.dumps([list(s) for s in original])) == tuple(Span(a, b) for a, b in original)


def test_packing_is_compact():
    sentences = [(0, 61), (62, 231), (232, 285)]
    assert len(pack_spans(sentences)) == 1 + 6 + 1  # 169 takes two bytes: JSON took 32
    assert unpack_spans(pack_spans([])) == ()


@pytest.mark.parametrize("damaged", [b"", b"\x02\x00\x00", b"\x01\x00", b"\x01\x00\x80"])
def test_damage_is_an_error(damaged):
    with pytest.raises(StoreError):
        unpack_spans(damaged)


def test_a_store_writes_them_packed_and_reads_them_back(tmp_path):
    import sqlite3

    from storyline import Storyline

    text = "The ferry left at six. It came back at nine.\n\nCommuters waited an hour."
    with Storyline(tmp_path / "s.db") as sl:
        assert sl.ingest_records([{"id": "a", "text": text}], "t").ok
        passages = sl.article("a").passages
    assert [[(s.start, s.end) for s in p.sentences] for p in passages] == [[(0, 22), (23, 44)], [(0, 25)]]
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("SELECT DISTINCT typeof(sentences) FROM passages").fetchall() == [("blob",)]
    conn.close()
