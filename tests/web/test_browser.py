"""A person's path through the web UI, in a real Chromium against a real ``storyline serve``."""

from __future__ import annotations

import re

import pytest

from tests.web.test_api import EARLIER, LATER

pytestmark = pytest.mark.network


def test_a_reader_follows_the_seeds_story_to_the_recycled_paragraphs(page, served, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served + "/")
    page.screenshot(path=str(screenshot_dir / "stories.png"), full_page=True)
    story_link = page.locator("a.story-title")
    assert story_link.count() == 1
    story_link.click()

    # the story: both articles, and the timeline on its axis
    page.wait_for_selector("section.timeline")
    assert page.locator(".axis .mark").count() == 6
    events = page.locator("ol.events li.event time").all_inner_texts()
    assert events[:3] == ["early 2024-10", "2024-10-15", "2024-10-17"]
    assert page.locator(".story-articles li.article-row").count() == 2
    assert page.locator(".conflict").count() >= 2
    assert any(t.startswith("Andriy Sybiha also Sibiga") for t in page.locator(".speaker h3").all_inner_texts())
    page.screenshot(path=str(screenshot_dir / "story.png"), full_page=True)

    # the later article: its recycled paragraphs dimmed, each linking to the earlier one
    page.locator(f'.story-articles a.article-title[href="/articles/{LATER}"]').click()
    page.wait_for_selector(".passage.recycled")
    recycled = page.locator(".passage.recycled")
    assert recycled.count() == 15
    new_color = page.locator(".passage.new p").first.evaluate("e => getComputedStyle(e).color")
    old_color = recycled.first.locator("p").evaluate("e => getComputedStyle(e).color")
    assert new_color != old_color  # dimmed
    boilerplate = page.locator("details.passage.boilerplate")
    assert boilerplate.count() == 1 and boilerplate.get_attribute("open") is None  # collapsed
    assert re.fullmatch(r"\d+% new", page.locator(".newness strong").inner_text())
    page.screenshot(path=str(screenshot_dir / "article.png"), full_page=True)

    link = recycled.nth(2).locator("a.provenance")
    target = link.get_attribute("href")
    assert target.startswith(f"/articles/{EARLIER}#p")
    link.click()
    page.wait_for_url(re.compile(rf"/articles/{EARLIER}#p\d+$"))
    anchor = target.split("#")[1]
    original = page.locator(f"#{anchor}")
    assert original.get_attribute("class") == "passage new"  # first seen here, so new here
    assert original.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"  # :target
    page.screenshot(path=str(screenshot_dir / "earlier-article.png"), full_page=True)


def test_the_story_reads_on_a_phone(page, served, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served + "/")
    page.locator("a.story-title").click()
    page.wait_for_selector("section.timeline")
    # nothing wider than the screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    pair = page.locator(".conflict .pair").first
    columns = pair.evaluate("e => getComputedStyle(e).gridTemplateColumns").split()
    assert len(columns) == 1  # the two sides of a conflict stack on a phone
    page.screenshot(path=str(screenshot_dir / "story-phone.png"), full_page=True)
