"""The featurize stage's rows: in the order the articles came, a failed article's row where the
article was, and written range-partitioned by ingest order so the store stage reads them as they are."""

from __future__ import annotations

import pickle
import random

import pytest

from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import BatchSettings, IngestSettings, Settings, TimelineSettings

pd = pytest.importorskip("pandas")

TEXTS = ["Dockers in the port of Velmora walked out on Monday after talks over pay broke down on Sunday night.",
         "Heavy rain closed the valley road between Orsk and Telmin on Tuesday; crews expect to clear it within a day.",
         "The council of Brask voted on Wednesday to rebuild the old bridge over the Lanne before next winter.",
         "Farmers near Ostrel said on Thursday that the late frost had cost them half of this year's apple harvest."]


def _articles(n: int, long_at: int | None = None) -> list[Article]:
    out = []
    for i in range(n):
        text = (" ".join(f"On March {1 + k % 28}, 2024 the council met again and voted" for k in range(3000))
                if i == long_at else f"{TEXTS[i % len(TEXTS)]} Report number {i}.")
        (article,) = [a for a in build_article(RawArticle(SourceRef("in.jsonl", i + 1), text=text, id=f"a{i}",
                                                          published="2024-03-30"), IngestSettings())
                      if isinstance(a, Article)]
        out.append(article)
    return out


def _frame(articles: list[Article], orders: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"order": orders, "location": "in.jsonl", "line": [o + 1 for o in orders],
                         "article": [pickle.dumps(a) for a in articles]})


def test_a_failed_articles_row_stays_where_the_article_was():
    from storyline.batch.features import featurize_frames

    articles = _articles(6, long_at=2)  # over the dates budget: rejected with the reason
    settings = Settings(timeline=TimelineSettings(budget_s=0.05))
    (out,) = list(featurize_frames(iter([_frame(articles, [10, 11, 12, 13, 14, 15])]), settings))
    assert list(out["order"]) == [10, 11, 12, 13, 14, 15]
    assert out["failure"][2].startswith("article 'a2' could not be analysed (BudgetExceeded")
    assert out["features"][2] is None and all(out["features"][k] is not None for k in (0, 1, 3, 4, 5))
    assert [pickle.loads(blob).id for k, blob in enumerate(out["article"]) if k != 2] == ["a0", "a1", "a3", "a4", "a5"]


def test_passages_are_written_only_for_a_job_that_checks_pairs_on_the_executors():
    from storyline.batch.features import featurize_frames

    articles = _articles(3)
    (without,) = list(featurize_frames(iter([_frame(articles, [0, 1, 2])]), Settings()))
    (with_pairs,) = list(featurize_frames(iter([_frame(articles, [0, 1, 2])]),
                                          Settings(batch=BatchSettings(pair_checks=20))))
    assert all(p is None for p in without["passages"])
    assert all(len(p) == len(a.passages) for p, a in zip(with_pairs["passages"], articles))
    assert list(without["passage_keys"].map(list)) == list(with_pairs["passage_keys"].map(list))


def test_featurized_rows_are_written_in_ingest_order_whatever_the_read_partitions(spark, tmp_path):
    from storyline.batch.features import featurize_frame
    from storyline.batch.ordered import read_ordered

    articles = _articles(40)
    rows = [(o, "article", "in.jsonl", o + 1, pickle.dumps(a)) for o, a in enumerate(articles)]
    random.Random(3).shuffle(rows)
    read = spark.createDataFrame(rows, "order long, kind string, location string, line int, article binary")
    for partitions in (1, 3):
        folder = tmp_path / f"p{partitions}"
        featurize_frame(read.repartition(4), Settings(), partitions).write.parquet(str(folder))
        assert len(list(folder.glob("*.parquet"))) >= partitions
        got = list(read_ordered(folder, ("order", "article")))  # refused if any file were out of order
        assert [o for o, _ in got] == list(range(40))
        assert [pickle.loads(blob).id for _, blob in got] == [a.id for a in articles]
