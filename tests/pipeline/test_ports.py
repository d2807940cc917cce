"""What the pipeline's small records decide: an article met again in one run, and whether its text is another."""

from __future__ import annotations

from storyline.pipeline.ports import Existing, SeenInRun
from storyline.records import Article


def _article(article_id: str, content_hash: str, url: str | None = None) -> Article:
    return Article(id=article_id, text="t", passages=[], url=url, content_hash=content_hash)


def test_an_article_met_again_in_a_run_is_already_present_by_id_then_by_url():
    seen = SeenInRun()
    assert seen.existing(_article("a", "h1", "https://x.example/a")) is None
    seen.add(_article("a", "h1", "https://x.example/a"))
    seen.add(_article("b", "h2"))
    assert seen.existing(_article("a", "h9")) == Existing("a", "same id", "h1")
    assert seen.existing(_article("c", "h1", "https://x.example/a")) == Existing("a", "same URL", "h1")
    assert seen.existing(_article("c", "h1")) is None and seen.existing(_article("d", "h3", "https://y")) is None


def test_another_text_is_told_only_when_both_hashes_are_known():
    stored = Existing("a", "same id", "h1")
    assert not stored.other_text("h1") and stored.other_text("h2")
    assert not Existing("a", "same id").other_text("h2") and not stored.other_text("")


def test_one_article_linked_two_ways_is_met_again_by_its_urls_key():
    seen = SeenInRun()
    seen.add(_article("a", "h1", "https://x.example/a"))
    tracked = _article("b", "h1", "http://www.X.example/a?utm_source=rss#top")
    assert seen.existing(tracked) == Existing("a", "same URL", "h1")
    assert seen.existing(_article("c", "h1", "https://x.example/a?page=2")) is None
