"""Packed term weights round-trip (property tests), and damage is an error, never garbage."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.store.codec import pack_weights, unpack_weights
from storyline.store.migrations import _pack_v1, _weights_v2
from storyline.stories.ports import float32_weights

terms = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20)
weights = st.dictionaries(terms, st.floats(-1e6, 1e6, allow_nan=False, width=32), max_size=300)


@given(weights)
def test_weights_round_trip_as_float32(original):
    assert unpack_weights(pack_weights(original)) == original  # width=32: the values are float32 already


@given(st.dictionaries(terms, st.floats(-10, 10, allow_nan=False), max_size=50))
def test_the_clusterer_keeps_what_the_store_gives_back(original):
    rounded = float32_weights(original)
    assert unpack_weights(pack_weights(original)) == rounded
    assert list(rounded) == list(original)  # order kept: ties in a ranking keep text order


def test_packing_is_compact():
    centroid = {f"term{i}": 1 / (i + 1) for i in range(300)}
    assert len(pack_weights(centroid)) < 300 * 4 + 1200  # JSON took ~9,000 bytes


def test_a_nul_in_a_term_is_refused():
    with pytest.raises(StoreError, match="NUL"):
        pack_weights({"a\x00b": 1.0})


@settings(max_examples=200)
@given(weights, st.data())
def test_damage_is_an_error_or_a_faithful_read(original, data):
    blob = bytearray(pack_weights(original))
    cut = data.draw(st.integers(0, max(0, len(blob) - 1)))
    damaged = bytes(blob[:cut])
    try:
        got = unpack_weights(damaged)
    except StoreError:
        return
    assert got == original  # only a cut that loses nothing may read


def test_values_are_little_endian_float32():
    blob = pack_weights({"x": 0.5})
    assert blob.endswith(array("f", [0.5]).tobytes()) and blob[:4] == (1).to_bytes(4, "little")


# Rounded weights repeat (article vectors keep 4 decimals): their float32 bytes compress.
rounded = st.dictionaries(terms, st.integers(0, 40).map(lambda n: n / 100), min_size=1, max_size=300)


@given(rounded)
def test_weights_that_compress_are_packed_as_version_2_and_round_trip(original):
    from storyline.stories.ports import float32_weights

    blob = pack_weights(original)
    assert unpack_weights(blob) == float32_weights(original)
    version_2 = bool(int.from_bytes(blob[:4], "little") >> 31)
    assert version_2 == (len(blob) < len(_pack_v1(original)))  # whichever is shorter


@given(st.one_of(weights, rounded))
def test_migration_19_packs_as_the_codec_does(original):
    old = _pack_v1(original)  # version 1, as stores before schema 19 hold it
    assert (_weights_v2(old) or old) == pack_weights(original)
    assert unpack_weights(old) == unpack_weights(pack_weights(original))


def test_a_damaged_version_2_blob_is_an_error():
    blob = pack_weights({f"t{i}": 0.25 for i in range(50)})
    assert int.from_bytes(blob[:4], "little") >> 31
    with pytest.raises(StoreError, match="damaged"):
        unpack_weights(blob[:-3])
