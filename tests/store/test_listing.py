"""Browsing queries over a real store: pages of stories in three orders, a story's articles with their new
share, articles per day, the store's figures."""

from __future__ import annotations

import pytest

from storyline import Storyline
from storyline.errors import QueryError
from storyline.records import Article


def _ingest(sl: Storyline, records: list[dict]) -> None:
    report = sl.ingest_records(records, "test")
    assert report.ok, report.rejected


def test_new_share_counts_characters_of_new_passages(sl: Storyline):
    block = "The ministry said the bridge over the river would reopen to traffic in the spring of next year."
    _ingest(sl, [{"id": "a", "published": "2024-01-01", "text": f"Engineers inspected the piers on Monday.\n\n{block}"},
                 {"id": "b", "published": "2024-01-02", "text": f"Crews began repairs to the deck on Tuesday.\n\n{block}"}])
    listing = sl.store.listing()
    a, b = listing.article_row("a"), listing.article_row("b")
    assert a.new_share == 1.0 and a.recycled_chars == 0
    assert b.recycled_chars == len(block) and b.new_chars == len("Crews began repairs to the deck on Tuesday.")
    assert b.new_share == round(b.new_chars / (b.new_chars + len(block)), 4)
    assert listing.article_row("missing") is None


def test_stories_page_filters_and_counts(sl: Storyline):
    _ingest(sl, [
        {"id": "x0", "title": "Comet Alpha seen", "published": "2024-03-01",
         "text": "Astronomers in Chile photographed a faint comet through the new telescope."},
        {"id": "x1", "title": "Bravo wins chess final", "published": "2024-03-02",
         "text": "The grandmaster sacrificed a rook and won the championship game in Madrid."},
        {"id": "x2", "title": "Wheat prices fall", "published": "2024-03-03",
         "text": "Farmers in Kansas sold grain below cost after a record harvest flooded markets."}])
    listing = sl.store.listing()
    total, rows = listing.stories(limit=2)
    assert total == len(sl.stories()) == 3 and len(rows) == 2
    assert [r.id for r in rows] + [r.id for r in listing.stories(offset=2, limit=2)[1]] == \
        [s.id for s in reversed(sl.stories())]  # most recently updated first, each once
    total, rows = listing.stories(text="CHESS final")
    assert total == 1 and rows[0].title == "Bravo wins chess final" and rows[0].articles == 1
    assert listing.stories(since="2024-03-04")[0] == 0
    assert listing.stories(until="2024-02-28")[0] == 0
    assert listing.stories(text="%")[0] == 0  # a literal percent sign, not a wildcard


def test_titles_of_many_articles_in_one_call(sl: Storyline):
    sl.ingest_articles([])
    _ingest(sl, [{"id": f"n{i}", "title": f"T{i}", "text": f"Story number {i} about item {i * 7919}."}
                 for i in range(3)])
    assert sl.store.listing().titles(["n0", "n2", "zz"]) == {"n0": ("T0", None, None), "n2": ("T2", None, None)}
    assert isinstance(sl.article("n0"), Article)


def test_stories_sort_by_size_and_creation(sl: Storyline):
    block = "The ministry said the bridge over the Vell river would reopen to traffic in the spring of next year."
    _ingest(sl, [
        {"id": "b0", "title": "Vell bridge shut", "published": "2024-03-01", "text": f"Engineers shut the Vell bridge.\n\n{block}"},
        {"id": "c0", "title": "Comet Alpha seen", "published": "2024-03-05",
         "text": "Astronomers in Chile photographed a faint comet through the new telescope."},
        {"id": "b1", "title": "Vell bridge repairs", "published": "2024-03-02", "text": f"Crews began work on the Vell bridge.\n\n{block}"}])
    listing = sl.store.listing()
    bridge, comet = sl.article("b0").story_id, sl.article("c0").story_id
    assert bridge == sl.article("b1").story_id != comet
    assert [r.id for r in listing.stories(sort="size")[1]] == [bridge, comet]  # two articles, one
    assert [r.id for r in listing.stories(sort="created")[1]] == [comet, bridge]  # began 5 March vs 1 March
    with pytest.raises(QueryError, match="unknown sort 'big'.*updated, size, created"):
        listing.stories(sort="big")
    assert listing.story_days([bridge, comet, "nope"]) == {
        bridge: [("2024-03-01", 1), ("2024-03-02", 1)], comet: [("2024-03-05", 1)], "nope": []}


COMET = ("Astronomers at the observatory in northern Chile photographed a faint comet through the new telescope "
         "on Tuesday night, and said it would pass closest to the sun in late April before heading back out to the "
         "far reaches of the solar system for another eleven thousand years of its long and lonely orbit.")


def test_stats_count_the_store(sl: Storyline):
    block = "The ministry said the bridge over the Vell river would reopen to traffic in the spring of next year."
    _ingest(sl, [
        {"id": "b0", "source": "Vell Times", "published": "2024-03-01", "text": f"Engineers shut the bridge.\n\n{block}"},
        {"id": "b1", "source": "Vell Times", "published": "2024-03-02", "text": f"Crews began work on it.\n\n{block}"},
        {"id": "b2", "source": "River Post", "text": f"Engineers shut the bridge.\n\n{block}"},  # a copy of b0
        {"id": "c0", "text": COMET},
        {"id": "c1", "source": "Sky Desk", "published": "2024-03-02",  # a near-copy of c0: one word changed
         "text": COMET.replace("Tuesday", "Wednesday")}])
    stats = sl.queries.stats()
    assert sl.article("c1").duplicate_of == "c0" and sl.article("c1").similarity < 1
    assert (stats.articles, stats.copies, stats.exact_copies) == (5, 2, 1)
    assert (stats.sources, stats.unnamed, stats.undated) == (3, 1, 2)
    assert stats.stories == len(sl.stories())
    assert (stats.first_published, stats.last_published) == ("2024-03-01", "2024-03-02")
    # b1's and b2's block, b2's lead (a copy of b0's) and the near-copy c1's one paragraph
    recycled = 2 * len(block) + len("Engineers shut the bridge.") + len(COMET.replace("Tuesday", "Wednesday"))
    assert stats.recycled_chars == recycled and stats.recycled_share == round(recycled / stats.chars, 4)
    assert abs(stats.new_share + stats.recycled_share + stats.as_dict()["boilerplate_share"] - 1) < 1e-3
    assert stats.store_bytes >= sl.store.path.stat().st_size > 0
