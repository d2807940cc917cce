"""Near-duplicate articles found on the executors: every article's original and similarity, as
the streaming engine's reuse stage gives them, computed with DataFrame operations.

Streaming decides one article at a time (:meth:`storyline.reuse.stage.ReuseStage.find_duplicate`):
of the stored articles its band key lookup returns, those whose exact shingle Jaccard with it
reaches ``reuse.near_duplicate`` qualify, and its original is the earliest *root* among them (a
stored article's root is its own original, or itself); the similarity is the best Jaccard among
the qualifying copies of that root. Then, at the write, an article whose text equals a stored
one's (the same ``content_hash``) gets that one's root, with similarity 1.0. Into an empty
store, each part of that is a function of the input:

1. **Which articles are stored** (:func:`stored_rows`): those featurized, less those whose id
   or URL an earlier *stored* article has ("already present"). Whether the earlier one was
   stored depends in turn on the articles before it, so this is a fixpoint, found by iterating
   ``S -> {a : no b in S before a shares a's id or URL}`` from all the articles: the iterates
   alternate below and above the answer, closing in on it, and two of the same size are it.
   Only articles that share an id or a URL with another take part (usually two rounds).
2. **The candidates** (:func:`candidate_pairs`): a lookup reads, for each of the article's band
   keys in band order, the key's earliest ``reuse.max_candidates`` stored articles before it,
   and keeps the ``reuse.max_candidates`` met most often, ties in the order first met (the band
   position, then the ingest order): a window over each key's rows and one over each article's.
3. **The verdicts** (:func:`verified_pairs`): each candidate pair scored on the executors by the
   stage's own :meth:`~storyline.reuse.stage.ReuseStage.near_duplicate_score` over the two
   articles' featurized shingles (streaming shingles the stored article's text again: the same
   set, as the stored text is the text featurized).
4. **The originals** (:func:`originals`). With an edge from each article to the earlier articles
   it qualifies against (for a copy of a stored text, one edge: to the first stored article
   with that text), an article without edges is an original, and by induction an article's root
   is the earliest original *reachable* from it, not the earliest article of its connected
   component (a copy of one original can be joined to an earlier original through a third
   article that qualifies against both). It is found in rounds of DataFrame operations:
   connected components first, by alternating large-star and small-star steps (Kiveris et al.,
   "Connected Components in MapReduce and Beyond", 2014: O(log² n) rounds), whose least member
   bounds every root in the component from below; then each article keeps the earliest original
   found so far and a frontier of articles still to follow, and each round replaces every
   frontier article by that article's own frontier (pointer jumping: the paths followed double
   in length a round), until no frontier is left. An article is settled when its frontier is
   empty or its earliest original found is its component's least member (nothing reachable is
   earlier), which settles most articles before the first round. Every round is cut from its
   lineage (``localCheckpoint``), so a plan stays a round long.

The result (:data:`ORIGINS_SCHEMA`: each copy's ingest order, id, original and similarity) is
the ``near_duplicates`` table, and the store stage takes it as the reuse stage's verdicts
(:meth:`storyline.batch.reuse_index.BatchReuseIndex.original`) instead of looking up each article.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..reuse.stage import ReuseStage
from ..settings import Settings

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

ORIGINS_SCHEMA = "order long, article_id string, duplicate_of string, similarity double"
_SCORED_SCHEMA = "order long, stored_order long, score double"
_BROADCAST_ROWS = 4_000_000  # articles in candidate pairs sent to every task (8 bytes each)


@dataclass(slots=True)
class Rounds:
    """The rounds each fixpoint took: ``stored`` (which articles are stored), ``components``
    (large-star and small-star pairs) and ``originals`` (pointer-jumping rounds)."""

    stored: int = 0
    components: int = 0
    originals: int = 0
    candidates: int = 0  # candidate pairs verified
    edges: int = 0  # qualifying pairs, copies of a stored text included
    settled_early: int = 0  # articles with edges settled before the first pointer-jumping round
    # wall seconds of each part: stored, pairs (candidates and verdicts), roots (components within)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"stored": self.stored, "components": self.components, "originals": self.originals,
                "candidates": self.candidates, "edges": self.edges, "settled_early": self.settled_early,
                "seconds": self.seconds}

    def lap(self, part: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[part] = round(now - started, 2)
        return now


def _cut(frame: DataFrame) -> DataFrame:
    """``frame`` computed and cut from its lineage: a fixpoint's plan stays one round long."""
    return frame.localCheckpoint(eager=True)


# -- 1. which articles are stored ---------------------------------------------------------

def stored_rows(features: DataFrame, rounds: Rounds) -> DataFrame:
    """The featurized rows (``order, id, url, content_hash, article_bands``) of the articles a
    job into an empty store stores (see the module's docstring)."""
    from pyspark.sql import functions as F

    rows = (features.where(F.col("id").isNotNull())  # not a failure (whose features blob is not read here)
            .select("order", "id", F.when(F.col("url") != "", F.col("url")).alias("url"), "content_hash",
                    "article_bands"))
    ids = rows.groupBy("id").agg(F.count("*").alias("n")).where("n > 1").select("id")
    urls = rows.where(F.col("url").isNotNull()).groupBy("url").agg(F.count("*").alias("n")).where("n > 1").select("url")
    shared = (rows.join(ids.withColumn("by_id", F.lit(True)), "id", "left")
              .join(urls.withColumn("by_url", F.lit(True)), "url", "left"))
    suspects = _cut(shared.where("by_id OR by_url").select("order", "id", "url"))
    current = suspects
    size = suspects.count()
    kept = suspects
    while size:
        rounds.stored += 1
        first_id = current.groupBy("id").agg(F.min("order").alias("first_id"))
        first_url = current.where(F.col("url").isNotNull()).groupBy("url").agg(F.min("order").alias("first_url"))
        kept = (suspects.join(first_id, "id", "left").join(first_url, "url", "left")
                .where("(first_id IS NULL OR first_id >= order) AND (first_url IS NULL OR first_url >= order)")
                .select("order", "id", "url"))
        kept = _cut(kept)
        # The iterates alternate, each inside or around the one before: equal sizes, equal sets.
        kept_size = kept.count()
        if kept_size == size:
            break
        current, size = kept, kept_size
    return (shared.where("by_id IS NULL AND by_url IS NULL")
            .unionByName(shared.join(kept.select("order"), "order", "left_semi"))
            .select("order", "id", "url", "content_hash", "article_bands"))


# -- 2. candidates ------------------------------------------------------------------------

def candidate_pairs(stored: DataFrame, limit: int) -> DataFrame:
    """``(order, stored_order, rank)``: each stored article with the stored articles its lookup
    returns (``reuse.max_candidates`` = ``limit``; see the module's docstring), ``rank`` 1 the first."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    bands = stored.select("order", F.posexplode("article_bands").alias("j", "key"))
    # a key's rows: each article once (the store keeps a key once an article)
    rows = bands.select("key", "order").distinct()
    held = rows.groupBy("key").agg(F.count("*").alias("n")).where("n > 1").select("key")
    earliest = (rows.join(held, "key", "left_semi")
                .select("key", F.col("order").alias("stored_order"),
                        F.row_number().over(Window.partitionBy("key").orderBy("order")).alias("rank"))
                .where(F.col("rank") <= limit).drop("rank"))
    met = (bands.join(earliest, "key").where(F.col("stored_order") < F.col("order"))
           .groupBy("order", "stored_order").agg(F.count("*").alias("shared"), F.min("j").alias("first")))
    ranked = Window.partitionBy("order").orderBy(F.desc("shared"), "first", "stored_order")
    return (met.select("order", "stored_order", F.row_number().over(ranked).alias("rank"))
            .where(F.col("rank") <= limit).select("order", "stored_order", "rank"))


# -- 3. verdicts --------------------------------------------------------------------------

def shingle_frames(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Featurized rows (``order, features``) in, each article's shingle set out (as bytes)."""
    import pandas as pd

    for frame in frames:
        yield pd.DataFrame({"order": frame["order"],
                            "shingles": [pickle.loads(blob).reuse.shingles.tobytes() for blob in frame["features"]]})


def score_frames(frames: Iterator[pd.DataFrame], settings: Settings) -> Iterator[pd.DataFrame]:
    """Candidate pairs with both articles' shingles in; out, those that qualify, with their
    Jaccard to four places (as ``find_duplicate`` rounds it: the best of the rounded is the
    rounded best)."""
    import pandas as pd

    stage = ReuseStage(settings.reuse)
    for frame in frames:
        out = []
        for order, stored_order, mine, theirs in zip(frame["order"].tolist(), frame["stored_order"].tolist(),
                                                     frame["shingles"], frame["stored_shingles"]):
            score = stage.near_duplicate_score(np.frombuffer(mine, dtype=np.uint64),
                                               np.frombuffer(theirs, dtype=np.uint64))
            if score is not None:
                out.append((order, stored_order, round(score, 4)))
        yield pd.DataFrame(out, columns=["order", "stored_order", "score"]).astype(
            {"order": "int64", "stored_order": "int64", "score": "float64"})


def verified_pairs(features: DataFrame, pairs: DataFrame, settings: Settings, rounds: Rounds) -> DataFrame:
    """The candidate ``pairs`` that qualify, with their similarity (:data:`_SCORED_SCHEMA`)."""
    from pyspark.sql import functions as F

    pairs = _cut(pairs.select("order", "stored_order"))
    rounds.candidates = pairs.count()
    ends = _cut(pairs.select("order").union(pairs.select(F.col("stored_order").alias("order"))).distinct())
    # Sent to every task when it is small, so the features (their blobs) are scanned, not shuffled.
    if ends.count() <= _BROADCAST_ROWS:
        ends = F.broadcast(ends)
    shingles = (features.join(ends, "order", "left_semi").select("order", "features")
                .mapInPandas(shingle_frames, "order long, shingles binary"))
    theirs = shingles.select(F.col("order").alias("stored_order"), F.col("shingles").alias("stored_shingles"))
    return (pairs.join(shingles, "order").join(theirs, "stored_order")
            .select("order", "stored_order", "shingles", "stored_shingles")
            .mapInPandas(lambda frames: score_frames(frames, settings), _SCORED_SCHEMA))


def copy_edges(stored: DataFrame, scored: DataFrame) -> DataFrame:
    """``(order, stored_order, score, exact)``: the qualifying pairs, except that an article
    whose text a stored one has points at the first article with that text alone (score 1.0),
    as the writer gives such an article that one's original whatever its lookup found."""
    from pyspark.sql import functions as F

    first = stored.groupBy("content_hash").agg(F.min("order").alias("stored_order"))
    exact = (stored.select("order", "content_hash").join(first, "content_hash")
             .where(F.col("stored_order") < F.col("order"))
             .select("order", "stored_order", F.lit(1.0).alias("score"), F.lit(True).alias("exact")))
    near = (scored.join(exact.select("order"), "order", "left_anti")
            .select("order", "stored_order", "score", F.lit(False).alias("exact")))
    return near.unionByName(exact)


# -- 4. originals ---------------------------------------------------------------------------

def components(edges: DataFrame, rounds: Rounds) -> DataFrame:
    """``(node, least)``: every article of ``edges`` (``a > b`` pairs) with the least article of
    its connected component, by alternating large-star and small-star steps until the graph is
    a star around each component's least member."""
    from pyspark.sql import functions as F

    current = _cut(edges.select("a", "b").distinct())
    size = current.count()
    while True:
        rounds.components += 1
        # large star: each node's larger neighbours attach to its least neighbour (or itself)
        both = current.unionByName(current.select(F.col("b").alias("a"), F.col("a").alias("b")))
        least = both.groupBy("a").agg(F.least(F.min("b"), F.col("a")).alias("m"))
        large = both.where(F.col("b") > F.col("a")).join(least, "a").select(F.col("b").alias("a"),
                                                                             F.col("m").alias("b")).distinct()
        # small star: each node and its smaller neighbours attach to the least of them
        least = large.groupBy("a").agg(F.min("b").alias("m"))
        joined = large.join(least, "a")
        small = (joined.where(F.col("b") != F.col("m")).select(F.col("b").alias("a"), F.col("m").alias("b"))
                 .unionByName(joined.select("a", F.col("m").alias("b"))).distinct())
        small = _cut(small)
        small_size = small.count()
        if small_size == size and small.exceptAll(current).isEmpty():
            break
        current, size = small, small_size
    # a star: every edge joins a node to its component's least member
    return current.select(F.col("a").alias("node"), F.col("b").alias("least")).unionByName(
        current.select(F.col("b").alias("node"), F.col("b").alias("least"))).distinct()


def originals(edges: DataFrame, rounds: Rounds) -> DataFrame:
    """``(order, root)``: every article with edges (``order, stored_order``) with the earliest
    original reachable from it (see the module's docstring)."""
    from pyspark.sql import functions as F

    pairs = edges.select(F.col("order").alias("a"), F.col("stored_order").alias("b")).distinct()
    started = time.perf_counter()
    least = components(pairs, rounds)
    rounds.lap("components", started)
    sources = pairs.select(F.col("a").alias("node")).distinct()
    marked = pairs.join(sources.select(F.col("node").alias("b"), F.lit(True).alias("copy")), "b", "left")
    best = marked.where(F.col("copy").isNull()).groupBy("a").agg(F.min("b").alias("best"))
    frontier = marked.where(F.col("copy").isNotNull()).select("a", F.col("b").alias("x"))
    nodes = _settle(sources.join(best.withColumnRenamed("a", "node"), "node", "left").join(least, "node"), frontier)
    frontier = _cut(frontier.join(nodes.where("NOT settled").select(F.col("node").alias("a")), "a", "left_semi"))
    rounds.settled_early = nodes.where("settled").count()
    while not frontier.isEmpty():
        rounds.originals += 1
        # what each frontier article found so far, and its own frontier in place of it
        reached = frontier.join(nodes.select(F.col("node").alias("x"), F.col("best").alias("got"), "settled"), "x")
        found = reached.groupBy("a").agg(F.min("got").alias("got"))
        onward = (reached.where("NOT settled").select("a", "x")
                  .join(frontier.select(F.col("a").alias("x"), F.col("x").alias("y")), "x")
                  .select("a", F.col("y").alias("x")).distinct())
        nodes = _settle(nodes.join(found.withColumnRenamed("a", "node"), "node", "left")
                        .select("node", F.least("best", "got").alias("best"), "least"), onward)
        frontier = _cut(onward.join(nodes.where("NOT settled").select(F.col("node").alias("a")), "a", "left_semi"))
    return nodes.select(F.col("node").alias("order"), F.col("best").alias("root"))


def _settle(nodes: DataFrame, frontier: DataFrame) -> DataFrame:
    """``nodes`` (``node, best, least``) marked settled: no frontier left, or the earliest
    original found is the least of the component (nothing reachable is earlier)."""
    from pyspark.sql import functions as F

    open_ = frontier.select(F.col("a").alias("node")).distinct().withColumn("open", F.lit(True))
    return _cut(nodes.join(open_, "node", "left")
                .select("node", "best", "least",
                        (F.col("open").isNull() | F.col("best").eqNullSafe(F.col("least"))).alias("settled")))


def near_duplicates(features: DataFrame, settings: Settings) -> tuple[DataFrame, Rounds]:
    """Every copy among the featurized articles of a job into an empty store, with its
    original and similarity as streaming ingest gives them (:data:`ORIGINS_SCHEMA`), and the
    rounds each fixpoint took."""
    from pyspark.sql import functions as F

    rounds = Rounds()
    started = time.perf_counter()
    stored = _cut(stored_rows(features, rounds))
    started = rounds.lap("stored", started)
    scored = verified_pairs(features, candidate_pairs(stored, settings.reuse.max_candidates), settings, rounds)
    edges = _cut(copy_edges(stored, scored))
    rounds.edges = edges.count()
    started = rounds.lap("pairs", started)
    roots = _cut(originals(edges, rounds))
    rounds.lap("roots", started)
    # the similarity: the best among the qualifying copies of the root (a root's own root is itself)
    their_root = roots.select(F.col("order").alias("stored_order"), F.col("root").alias("their_root"))
    similarity = (edges.join(roots, "order").join(their_root, "stored_order", "left")
                  .where(F.coalesce("their_root", "stored_order") == F.col("root"))
                  .groupBy("order").agg(F.max("score").alias("similarity")))
    ids = stored.select("order", "id")
    return (roots.join(similarity, "order")
            .join(ids, "order")
            .join(ids.select(F.col("order").alias("root"), F.col("id").alias("duplicate_of")), "root")
            .select("order", F.col("id").alias("article_id"), "duplicate_of", "similarity")), rounds
