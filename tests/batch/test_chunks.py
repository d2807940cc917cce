"""Featurize's chunks: cut by count of articles whatever their orders, made once a job."""

from __future__ import annotations

import json

import pytest

from storyline.batch.chunks import chunk_bounds, chunk_starts

pytest.importorskip("pyarrow")


def test_chunks_hold_as_many_articles_whatever_the_orders(spark, tmp_path):
    # Two inputs' items: the input in the high 32 bits of the order; rejections among them.
    orders = [(1 << 32) | n for n in range(7)] + [(5 << 32) | n for n in range(7)]
    rows = [(o, "rejected" if o % 4 == 1 else "article") for o in orders]
    read = spark.createDataFrame(rows, "order long, kind string")
    articles = [o for o, kind in rows if kind == "article"]
    starts = chunk_starts(spark, read, 3, tmp_path)
    assert starts == articles[::3]
    held = [[o for o in articles if o >= low and (high is None or o < high)]
            for low, high in (chunk_bounds(starts, k) for k in range(len(starts)))]
    assert len(articles) == 10 and [len(h) for h in held] == [3, 3, 3, 1] and sum(held, []) == articles
    assert json.loads((tmp_path / "chunks.json").read_text())["starts"] == starts
    # Kept: the same starts without asking Spark again (another size makes them again).
    assert chunk_starts(spark, spark.createDataFrame([], "order long, kind string"), 3, tmp_path) == starts
    assert chunk_starts(spark, read, 5, tmp_path) == articles[::5]


def test_no_articles_no_chunks(spark, tmp_path):
    read = spark.createDataFrame([(1, "rejected")], "order long, kind string")
    assert chunk_starts(spark, read, 10, tmp_path) == []
