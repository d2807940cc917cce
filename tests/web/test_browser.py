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
    page.wait_for_selector("details.timeline")
    assert page.locator(".axis .mark").count() == 5  # one per sentence
    events = page.locator("ol.events li.event time").all_inner_texts()
    assert events[:3] == ["early October 2024", "15 Oct 2024", "17 Oct 2024"]
    assert page.locator(".story-articles li.article-row").count() == 2
    assert page.locator(".conflict").count() >= 2
    if page.locator("details.statements").get_attribute("open") is None:  # many speakers: folded, one click away
        page.locator("#statements-h").click()
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
    page.wait_for_selector("details.timeline")
    # nothing wider than the screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    pair = page.locator(".conflict .pair").first
    columns = pair.evaluate("e => getComputedStyle(e).gridTemplateColumns").split()
    assert len(columns) == 1  # the two sides of a conflict stack on a phone
    page.screenshot(path=str(screenshot_dir / "story-phone.png"), full_page=True)


def test_search_shows_the_matched_words_highlighted(page, served, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served + "/")
    page.fill("header input[name=q]", "Buryat battalion")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("p.summary").inner_text() == "2 articles in 1 story"
    marks = page.locator("p.snippet mark")
    assert marks.count() >= 2 and set(marks.all_inner_texts()) <= {"Buryat", "battalion"}
    assert marks.first.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(screenshot_dir / "search.png"), full_page=True)
    page.select_option("select[name=sort]", "size")  # the filters are a form: change one, search again
    page.fill("form.filters input[name=since]", "2024-10-29")
    page.locator("form.filters button").click()
    page.wait_for_selector("p.summary")
    assert page.locator("p.summary").inner_text() == "0 articles in 0 stories"
    assert "since=2024-10-29" in page.url and "sort=size" in page.url


def test_the_story_opens_with_its_summary_and_a_labelled_timeline(page, served, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served + "/")
    page.locator("a.story-title").click()
    page.wait_for_selector("section.summary")
    summary = page.locator("section.summary")
    assert summary.bounding_box()["y"] < page.locator("#articles-h").bounding_box()["y"] < \
        page.locator("#timeline-h").bounding_box()["y"]
    facts = summary.locator(".headline-facts").inner_text()
    assert facts.startswith("28 Oct 2024 · 2 articles from 2 independent sources") and "conflicting claims" in facts
    assert summary.locator(".latest li").count() == 2
    assert page.locator(".axis .tick-label").all_inner_texts() == ["1 Oct", "7 Oct", "13 Oct", "19 Oct", "25 Oct",
                                                                    "31 Oct"]
    labels = page.locator(".axis .tick-label")  # the labels sit under the line, left to right, inside the axis
    xs = [labels.nth(i).bounding_box()["x"] for i in range(labels.count())]
    assert xs == sorted(xs)
    texts = page.locator("ol.events li.event .what").all_inner_texts()
    assert len(texts) == len(set(texts)) == 5  # one entry per sentence
    assert "(also dated 27–28 Oct 2024)" in page.locator("ol.events").inner_text()
    link = page.locator("ol.events li.event .where a").first
    assert re.search(r", 28 Oct 2024$", link.inner_text())  # named by its article and day, not "1"
    # conflicts: one reason per group, said once
    denial = page.locator(".conflict.denial")
    assert denial.locator(".group-reason").count() == 1 and denial.locator(".claim .reason").count() == 0
    # sections fold away
    page.locator("#timeline-h").click()
    assert not page.locator("ol.events").is_visible()
    page.locator("#timeline-h").click()
    assert page.locator("ol.events").is_visible()
    page.screenshot(path=str(screenshot_dir / "story-summary.png"), full_page=True)


def test_a_big_story_pages_its_articles_and_draws_who_copied_whom(page, served_syndicated, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_syndicated + "/")
    page.locator("a.story-title").first.click()
    page.wait_for_selector("section.summary")
    rows = page.locator(".story-articles li.article-row")
    assert rows.count() == 20 and page.locator(".articles-pager .muted").inner_text() == "1–20 of 26"
    assert page.locator("#articles-h").bounding_box()["y"] < 900 * 1.5  # near the top, not after everything
    page.locator(".articles-pager a[rel=next]").click()
    page.wait_for_selector(".articles-pager")
    assert rows.count() == 6 and page.locator(".articles-pager .muted").inner_text() == "21–26 of 26"
    assert page.locator(".story-articles ol.articles").get_attribute("start") == "21"
    page.locator(".articles-pager a[rel=prev]").click()
    page.wait_for_selector(".articles-pager")
    assert rows.count() == 20
    page.screenshot(path=str(screenshot_dir / "story-big.png"), full_page=True)

    page.locator("a.provenance-link").click()
    page.wait_for_selector("svg.provenance")
    svg = page.locator("svg.provenance")
    assert svg.locator("circle.node").count() == 26 and svg.locator("circle.node.copy").count() == 22
    assert svg.locator("path.edge.copy").count() == 22  # each copy from the first article
    assert svg.bounding_box()["width"] > 600
    assert page.locator("tr.edge-row.copy").count() == 22
    assert "Outlet A" in page.locator("table.outlets").inner_text()
    page.screenshot(path=str(screenshot_dir / "provenance.png"), full_page=True)
    svg.locator("a").first.click()  # each article in the drawing links to its page
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator("h1").count() == 1


def test_new_pages_read_on_a_phone(page, served, served_syndicated, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    sid = page.request.get(served_syndicated + "/api/stories").json()["stories"][0]["id"]
    for name, url in (("search-phone", served + "/search?q=Buryat"),
                      ("provenance-phone", f"{served_syndicated}/stories/{sid}/provenance"),
                      ("story-big-phone", f"{served_syndicated}/stories/{sid}")):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
