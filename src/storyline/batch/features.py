"""Featurize: every ingest stage's ``featurize`` (reuse keys and signatures, story words, date
tags) over the articles, in Spark partitions with ``mapInPandas``: the streaming engine's own
functions (:func:`storyline.pipeline.runner.featurize`), with its per-article failure isolation
(:func:`~storyline.pipeline.runner.featurize_isolated`), so an article whose featurize fails is
a rejection with the reason and its partition goes on.

Articles and features cross Spark as pickles: the driver unpickles them in ingest order and
hands them to the same writer the streaming engine uses. Each article's band keys also go out as
columns (``passage_keys``: each passage's once, ``passage_key_index`` the passage each is of;
``article_keys``), for Spark to find the keys articles share
(:func:`storyline.batch.postings.shared_keys`) and the candidate passage pairs
(:mod:`storyline.batch.pairs`), and so does each passage with band keys as what a pair check reads
of it (``passages``: its text's length, its keys and its sentences' keys, see
:func:`storyline.batch.pairs.passage_blob`).
What the near-duplicate stage (:mod:`storyline.batch.near_duplicates`) reads goes out as columns
too: the article's ``id``, ``url`` (its key, :func:`storyline.text.urls.url_key`, as the store
compares URLs) and ``content_hash`` (which decide, as they do at ingest,
whether it is stored and whether it is a copy of a text stored before) and its article band
keys in band order (``article_bands``: a lookup counts shared keys in that order).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ..pipeline.runner import Features, featurize, featurize_isolated
from ..records import Article
from ..reuse.sentences import SentenceKeys
from ..reuse.stage import ReuseStage
from ..settings import Settings
from ..stories.stage import StoryStage
from ..text.urls import url_key
from ..timeline.stage import TimelineStage
from .pairs import passage_blob

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

# What a featurized row holds and how it is made, as a number: a job's work folder records it (see
# storyline.batch.job), so a job resumed by a storyline whose featurize gives other rows is refused
# instead of mixing them. Made one more at each such change (tests/batch/test_features_version.py
# fails until it is): 2, URLs as their keys and Han and kana read as character pairs; 3, story
# terms a word's first six letters (text.similarity.term), with the words they were cut from; 4, the
# days, weekdays, weeks and counts ago of German, French, Spanish, Italian, Portuguese, Dutch,
# Russian, Polish, Turkish and Arabic (text.temporal.named_days), the last four's months' names and
# day-first dates in numbers ("28.10.2024", text.temporal.month_names) among the timeline's dates,
# and story terms without those languages' function words (text.function_words); 5, holidays
# whose date moves (Easter and the days from it, Labor Day, Black Friday, …) among the timeline's
# dates, and no dates inside names that hold a weekday ("the Sunday Times", text.temporal.titles);
# 6, year-less dates read in the past beside irregular past forms ("spoke", "died") and beside a
# reporting verb in the past ("said on March 3 that …", text.temporal.calendar.tense_at), and
# "that year", "that month", "that week", "that quarter" as the period of the last date named,
# and no quarter in "the third straight quarter"; 7, the rows written range-partitioned by ingest
# order and sorted within (the store stage reads them as they are), and ``passages`` only for a
# job that checks pairs on the executors; 8, each passage's boilerplate form (``ArticleFeatures.
# boilerplate_form``: the pattern test, moved out of the store stage's resolve); 9, the rows
# written a chunk of ingest order at a time, each chunk a folder (storyline.batch.chunks); 10, a
# passage for the pair checks without its text, its sentences as runs of its keys
# (storyline.batch.pairs.passage_blob).
FEATURES_VERSION = 10

FEATURE_SCHEMA = ("order long, location string, line int, article binary, features binary, failure string,"
                  " passage_keys array<long>, article_keys array<long>, passage_key_index array<int>,"
                  " passages array<binary>, id string, url string, content_hash string, article_bands array<long>")
KEY_COLUMNS = ("passage_keys", "article_keys", "passage_key_index", "passages", "id", "url", "content_hash",
               "article_bands")


def band_keys(features: Features) -> tuple[np.ndarray, np.ndarray]:
    """The article's passage band keys (each passage's once, as the store holds them: one row a
    key and passage) and its article band keys (once)."""
    per_passage = [np.unique(keys) for keys in features.reuse.passage_bands.values()]
    passages = np.concatenate(per_passage) if per_passage else np.empty(0, dtype=np.int64)
    return passages, np.unique(features.reuse.bands)


def passage_key_index(features: Features) -> np.ndarray:
    """The passage index of each of :func:`band_keys`' passage keys."""
    counts = [len(np.unique(keys)) for keys in features.reuse.passage_bands.values()]
    return np.repeat(np.fromiter(features.reuse.passage_bands, dtype=np.int32, count=len(counts)), counts)


def passage_blobs(article: Article, features: Features) -> list[bytes | None]:
    """What a pair check reads of each passage of ``article``, by index; ``None`` for a passage
    without band keys (it is never a candidate, nor has any)."""
    reuse = features.reuse
    sentences: list[tuple[SentenceKeys, ...] | None] = list(reuse.sentences) or [None] * len(article.passages)
    return [passage_blob(p.text, keys, sents) if p.index in reuse.passage_bands else None
            for p, keys, sents in zip(article.passages, reuse.passages, sentences)]


def featurize_frames(frames: Iterator[pd.DataFrame], settings: Settings) -> Iterator[pd.DataFrame]:
    """One partition: Arrow batches of read rows in, the same rows with their features out, in
    the order they came (a failed article's row where the article was)."""
    import pandas as pd

    with_passages = settings.batch.pair_checks > 0  # read by the pairs stage alone

    # Built once per partition: stages are cheap to build and hold no state featurize reads.
    stages = (ReuseStage(settings.reuse), StoryStage(settings.stories), TimelineStage(settings.timeline))
    for frame in frames:
        articles: list[Article] = [pickle.loads(blob) for blob in frame["article"]]
        # A missing line number arrives as NaN (pandas has no null int by default).
        rows = {id(a): (int(order), loc, None if pd.isna(line) else int(line)) for a, order, loc, line in
                zip(articles, frame["order"], frame["location"], frame["line"])}
        done = featurize_isolated(lambda batch: featurize(*stages, batch), articles)
        out: list[tuple] = []
        for article, feats in zip(done.articles, done.features):
            out.append((*rows[id(article)], pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL),
                        pickle.dumps(feats, protocol=pickle.HIGHEST_PROTOCOL), None, *band_keys(feats),
                        passage_key_index(feats), passage_blobs(article, feats) if with_passages else None,
                        article.id, url_key(article.url) if article.url else None,
                        article.content_hash, feats.reuse.bands))
        for article, reason in done.failed:
            out.append((*rows[id(article)], None, None, reason, *[None] * len(KEY_COLUMNS)))
        out.sort(key=lambda row: row[0])  # the failed came last
        result = pd.DataFrame(out, columns=["order", "location", "line", "article", "features", "failure",
                                            *KEY_COLUMNS])
        result["line"] = result["line"].astype("Int32")
        yield result


def featurize_frame(articles: DataFrame, settings: Settings, partitions: int) -> DataFrame:
    """The read articles (``kind = 'article'`` rows) with their features (:data:`FEATURE_SCHEMA`),
    range-partitioned by ``order`` and sorted within, so that written out they are what the store
    stage reads in ingest order (:func:`storyline.batch.ordered.read_ordered`) with no sorted copy
    of them made: a copy is as large as the features (~20 kB an article on the stream benchmark's
    corpus) and costs a shuffle of them all."""
    rows = articles.where("kind = 'article'").select("order", "location", "line", "article")
    return rows.repartitionByRange(max(1, partitions), "order").sortWithinPartitions("order") \
        .mapInPandas(lambda frames: featurize_frames(frames, settings), FEATURE_SCHEMA)
