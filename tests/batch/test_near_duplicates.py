"""Near-duplicates on the executors: each fixpoint against the rule it computes, run the way
streaming runs it (one article at a time, in ingest order), on hand-made and random inputs."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from storyline.batch.near_duplicates import (
    Rounds,
    candidate_pairs,
    components,
    originals,
    stored_rows,
)
from storyline.records import Article, Passage
from storyline.store import Store


def _edges(spark, pairs: list[tuple[int, int]]):
    return spark.createDataFrame([(a, b) for a, b in pairs], "order long, stored_order long")


def _in_order_roots(pairs: list[tuple[int, int]]) -> dict[int, int]:
    """Streaming's rule: an article's root is the earliest root among the articles it qualifies
    against (an article without any is its own root)."""
    out: dict[int, list[int]] = {}
    for a, b in pairs:
        out.setdefault(a, []).append(b)
    root: dict[int, int] = {}
    for node in sorted({n for pair in pairs for n in pair}):
        root[node] = min((root[b] for b in out.get(node, [])), default=node)
    return {a: root[a] for a in out}


def _random_dag(rng: random.Random, nodes: int, edges: int) -> list[tuple[int, int]]:
    pairs = set()
    while len(pairs) < edges:
        a, b = rng.sample(range(nodes), 2)
        pairs.add((max(a, b), min(a, b)))
    return sorted(pairs)


def test_an_original_is_the_earliest_reachable_not_the_component_least(spark):
    # 5 copies 2 (an original); 3 qualifies against both 1 and 2: 1, 2, 3 and 5 are one component,
    # but 5's root is 2, as streaming finds it (1 is not reachable from 5)
    pairs = [(3, 1), (3, 2), (5, 2), (7, 5), (9, 7), (11, 9), (12, 11)]
    rounds = Rounds()
    got = {r["order"]: r["root"] for r in originals(_edges(spark, pairs), rounds).collect()}
    assert got == _in_order_roots(pairs) == {3: 1, 5: 2, 7: 2, 9: 2, 11: 2, 12: 2}
    assert rounds.components >= 1 and rounds.originals >= 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_originals_follow_the_in_order_rule_on_random_graphs(spark, seed):
    rng = random.Random(seed)
    nodes = rng.choice([30, 60, 120])
    # chains of copies of copies: each article qualifies against one or two just before it
    pairs = sorted({(a, a - rng.randint(1, 3)) for a in range(3, nodes) if rng.random() < 0.8}
                   | set(_random_dag(rng, nodes, nodes // 3)))
    rounds = Rounds()
    got = {r["order"]: r["root"] for r in originals(_edges(spark, pairs), rounds).collect()}
    assert got == _in_order_roots(pairs)
    # pointer jumping: paths double a round, so long chains take a few rounds, not their length
    assert rounds.originals <= 8


def test_components_are_the_connected_components(spark):
    rng = random.Random(7)
    pairs = _random_dag(rng, 200, 150)
    parent = list(range(200))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in pairs:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    frame = spark.createDataFrame(pairs, "a long, b long")
    got = {r["node"]: r["least"] for r in components(frame, Rounds()).collect()}
    nodes = {n for pair in pairs for n in pair}
    least = {}
    for n in sorted(nodes):
        least.setdefault(find(n), n)
    assert got == {n: least[find(n)] for n in nodes}


def _in_order_stored(rows: list[tuple[int, str, str | None]]) -> list[int]:
    """The store stage's rule: an article is already present when a stored one has its id or URL."""
    ids: set[str] = set()
    urls: set[str] = set()
    kept = []
    for order, id_, url in sorted(rows):
        if id_ in ids or (url and url in urls):
            continue
        kept.append(order)
        ids.add(id_)
        if url:
            urls.add(url)
    return kept


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_stored_articles_are_those_ingest_stores(spark, seed):
    rng = random.Random(seed)
    if seed == 0:
        # b is dropped (a has its URL), so c, with b's id, is stored
        rows = [(0, "a", "u1"), (1, "b", "u1"), (2, "b", "u2"), (3, "d", None), (4, "d", ""), (5, "e", "u2")]
    else:
        rows = [(n, f"id{rng.randint(0, 12)}", rng.choice([None, "", *[f"u{k}" for k in range(10)]]))
                for n in range(40)]
    frame = spark.createDataFrame([(o, i, u, "h", [1], b"x") for o, i, u in rows],
                                  "order long, id string, url string, content_hash string, "
                                  "article_bands array<long>, features binary")
    rounds = Rounds()
    got = sorted(r["order"] for r in stored_rows(frame, rounds).collect())
    assert got == _in_order_stored(rows)
    if seed == 0:
        assert got == [0, 2, 3]


def _article(aid: str) -> Article:
    text = f"The text of {aid}."
    return Article(id=aid, text=text, passages=[Passage(0, 0, len(text), text)], content_hash=f"hash-{aid}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidates_are_the_stores_lookups(spark, tmp_path: Path, seed):
    """Each article's candidates, in rank order, are what a lookup in the store returns before
    the article is stored: each band key's earliest ``limit`` articles, the most shared first,
    ties in the order first met (band position, then ingest order)."""
    rng = random.Random(seed)
    # few keys, so that keys are shared widely, counts tie and keys fill their limit
    plan = [[rng.randint(0, 11) for _ in range(rng.randint(1, 6))] for _ in range(40)]
    frame = spark.createDataFrame([(n, keys) for n, keys in enumerate(plan)], "order long, article_bands array<long>")
    for limit in (1, 2, 4):
        found: dict[int, list[tuple[int, int]]] = {}
        for row in candidate_pairs(frame, limit).collect():
            found.setdefault(row["order"], []).append((row["rank"], row["stored_order"]))
        with Store(tmp_path / f"s{limit}.db") as store, store.transaction():
            index = store.reuse_index()
            order_of: dict[int, int] = {}
            for n, keys in enumerate(plan):
                bands = np.array(keys, dtype=np.int64)
                expected = [order_of[a.seq] for a in index.article_candidates(bands, limit)]
                assert [stored for _, stored in sorted(found.get(n, []))] == expected, (limit, n)
                seq = store.insert_article(_article(f"a{n}"))
                order_of[seq] = n
                index.add_article(seq, np.zeros(4, dtype=np.uint32), bands)
