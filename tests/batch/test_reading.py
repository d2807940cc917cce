"""A Parquet row's values as JSON would carry them, before the JSONL field rules see them."""

from __future__ import annotations

import datetime as dt
import decimal
import json

from hypothesis import given
from hypothesis import strategies as st

from storyline.batch.reading import json_like

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary() | st.dates() | st.datetimes()
    | st.decimals(allow_nan=False, allow_infinity=False, places=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10)


def test_dates_times_decimals_and_bytes_become_json_values():
    row = {"published": dt.datetime(2024, 10, 28, 6, 30), "day": dt.date(2024, 10, 28),
           "score": decimal.Decimal("0.25"), "raw": b"\x00\xff", "tags": ("a", dt.date(2024, 1, 1))}
    assert json_like(row) == {"published": "2024-10-28T06:30:00", "day": "2024-10-28", "score": 0.25,
                              "raw": "AP8=", "tags": ["a", "2024-01-01"]}


@given(_values)
def test_any_parquet_value_becomes_something_json_writes(value):
    json.dumps(json_like(value))


def test_a_task_reads_a_gzip_file_as_the_file_it_holds(tmp_path):
    import gzip

    from storyline.batch.reading import ITEM_BITS, read_rows
    from storyline.ingest import ReadOptions
    from storyline.settings import IngestSettings

    lines = b'{"id": "g1", "text": "The pier reopened."}\n{"id": "g2"}\n'
    (tmp_path / "a.jsonl").write_bytes(lines)
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(lines))
    rows = {name: [(order & ((1 << ITEM_BITS) - 1), kind, line, reason)
                   for order, kind, _, line, reason, _ in read_rows([(0, str(tmp_path / name))], IngestSettings(),
                                                                   ReadOptions())]
            for name in ("a.jsonl", "a.jsonl.gz")}
    assert rows["a.jsonl.gz"] == rows["a.jsonl"] and [r[1] for r in rows["a.jsonl"]] == ["article", "rejected"]
