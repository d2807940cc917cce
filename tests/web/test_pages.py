"""The server-rendered pages: what they show, their JSON twins, escaping, errors as pages."""

from __future__ import annotations

import re

from tests.web.conftest import TOKEN
from tests.web.test_api import EARLIER, LATER

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_story_list_links_each_story_and_its_json_twin(client):
    html = client.get("/").text
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    assert f'href="/stories/{sid}"' in html
    assert "2 articles" in html and "2 independent sources" in html
    assert 'href="/api/stories"' in html  # the JSON twin
    assert 'name="viewport"' in html  # phones get a mobile layout


def test_story_page_draws_the_timeline_statements_conflicts_and_articles(client):
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    html = client.get(f"/stories/{sid}").text
    assert html.count('class="mark') == 5  # one mark per sentence on the axis
    assert '<time class="when" datetime="2024-10" title="2024-10">early October 2024</time>' in html
    assert "(also dated 27–28 Oct 2024)" in html
    assert re.findall(r'<span class="tick-label">([^<]*)</span>', html) == ["1 Oct", "7 Oct", "13 Oct", "19 Oct",
                                                                           "25 Oct", "31 Oct"]
    # the summary comes first, and the articles before the timeline
    assert html.index('class="summary"') < html.index('id="articles-h"') < html.index('id="timeline-h"')
    assert "What the latest articles added" in html
    assert "Andriy Sybiha" in html and "also Sibiga" in html
    assert 'class="conflict denial"' in html and 'class="conflict unconfirmed"' in html
    assert html.index(f'href="/articles/{EARLIER}"') < html.rindex(f'href="/articles/{LATER}"')
    assert f'href="/api/stories/{sid}"' in html


def test_article_page_dims_recycled_passages_and_links_their_first_sighting(client):
    html = client.get(f"/articles/{LATER}").text
    assert len(re.findall(r'class="passage recycled"', html)) == 15
    assert html.count(f'href="/articles/{EARLIER}#p') == 15
    assert '<details class="passage boilerplate"' in html  # collapsed
    assert re.search(r"<strong>\d+% new</strong>", html)


def test_article_text_is_escaped(client):
    hostile = {"id": "x<y", "title": "<script>alert('t')</script>", "published": "2024-10-29",
               "url": "javascript:alert(1)",
               "text": "Officials said <script>alert('x')</script> was posted.\n\n<img src=x onerror=alert(2)> too."}
    assert client.post("/api/articles", json={"articles": [hostile]}, headers=AUTH).json()["added"] == ["x<y"]
    html = client.get("/articles/x%3Cy").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "javascript:" not in html  # a URL that is not a web address is not a link
    listing = client.get("/search", params={"q": "posted"}).text
    assert "<script>alert" not in listing and 'href="/articles/x%3Cy"' in listing


def test_errors_are_pages_for_people_and_json_for_programs(client):
    r = client.get("/stories/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no story with id &#39;nope&#39;" in r.text
    r = client.get("/api/stories/nope")
    assert r.status_code == 404 and r.headers["content-type"] == "application/json"


def test_the_story_list_pages_through_many_stories(client):
    # six unrelated articles make six stories; two per page
    topics = ["volcano erupts in Iceland", "chess final in Madrid", "wheat prices fall in Kansas",
              "new comet seen from Chile", "marathon record in Berlin", "bridge opens in Lisbon"]
    articles = [{"id": f"t{i}", "title": t.capitalize(), "published": f"2024-11-0{i + 1}",
                 "text": f"Reporters said the {t} today. " + " ".join(t.split()) * 3} for i, t in enumerate(topics)]
    assert len(client.post("/api/articles", json={"articles": articles}, headers=AUTH).json()["added"]) == 6
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert first["total"] == 7 and first["next_offset"] == 2 and first["previous_offset"] is None
    html = client.get("/", params={"limit": 2, "offset": 2}).text
    assert 'rel="next" href="?offset=4&amp;limit=2"' in html and 'rel="prev" href="?offset=0&amp;limit=2"' in html


def test_a_passage_recycled_from_another_story_says_so(client):
    shared = ("The port authority said the harbour bridge carries forty thousand vehicles a day and was "
              "last rebuilt in 1987 after a storm damaged its northern span.")
    articles = [
        {"id": "bridge-1", "title": "Harbour bridge closes for repairs", "published": "2024-12-01",
         "text": "Engineers closed the harbour bridge on Sunday to replace corroded cables on the main span.\n\n"
                 + shared},
        {"id": "ferry-1", "title": "Ferry strike halts crossings", "published": "2024-12-02",
         "text": "Ferry crews walked out over pay on Monday, stranding commuters at both terminals of the bay "
                 "and forcing the city to lay on extra buses through the tunnel.\n\n" + shared}]
    assert len(client.post("/api/articles", json={"articles": articles}, headers=AUTH).json()["added"]) == 2
    ferry = client.get("/api/articles/ferry-1").json()
    bridge = client.get("/api/articles/bridge-1").json()
    assert ferry["story_id"] != bridge["story_id"]
    (copy,) = [p for p in ferry["passages"] if p["status"] == "recycled"]
    assert copy["first_seen"]["article_id"] == "bridge-1" and copy["in_story"] is None
    assert ferry["counts"]["recycled_elsewhere"] == 1
    html = client.get("/articles/ferry-1").text
    assert "not earlier in this story; first seen in Harbour bridge closes for repairs" in html
    assert "(1 from other stories)" in html


def test_story_page_names_each_copy_and_the_outlet_that_had_it_first(tmp_path):
    from fastapi.testclient import TestClient

    from storyline import Storyline
    from storyline.web import create_app
    from tests.web.conftest import web_settings

    text = ("Wall Street stocks dipped on Monday after weak trade data from China and tension over Ukraine "
            "weighed on investors, with the S&P 500 index down 0.2 percent by midday.")
    db = tmp_path / "wire.db"
    with Storyline(db) as sl:
        report = sl.ingest_records([
            {"id": "115", "source": "Business Recorder", "url": "https://brecorder.example/115",
             "published": "2014-03-10T17:21:21Z", "title": "US stocks dip", "text": text},
            {"id": "467", "source": "TheBull", "url": "https://thebull.example/467",
             "published": "2014-03-10T19:55:00Z", "title": "US stocks dip", "text": text}])
    assert report.copies == {"467": "115"}
    with TestClient(create_app(web_settings(db))) as client:
        (story,) = client.get("/api/stories").json()["stories"]
        assert (story["articles"], story["sources"], story["outlets"]) == (2, 1, 2)
        view = client.get(f"/api/stories/{story['id']}").json()
        assert [(a["id"], a["duplicate_of"], a["original_source"]) for a in view["articles"]] == [
            ("115", None, None), ("467", "115", "Business Recorder")]
        html = client.get(f"/stories/{story['id']}").text
        page = client.get("/articles/467").text
        assert client.get("/api/articles/467").json()["original_source"] == "Business Recorder"
    assert re.search(r'copy of <a href="/articles/115">115</a> \(Business Recorder\)', page)
    assert "1 independent source" in html and "2 outlets carrying it" in html
    assert re.search(r'copy of <a href="/articles/115">115</a> \(Business Recorder\)', html)


def test_search_page_groups_by_story_and_marks_the_words(client):
    html = client.get("/search", params={"q": "Buryat soldiers"}).text
    assert "2 articles in 1 story" in html
    assert html.count('<li class="hit">') == 2 and html.count('class="group"') == 1
    assert "<mark>soldiers</mark>" in html  # the snippet holds the best stretch: one word or both
    assert client.get("/search", params={"q": "Buryat"}).text.count("<mark>Buryat</mark>") >= 2
    assert 'href="/api/search?q=Buryat+soldiers"' in html  # the JSON twin
    one = client.get("/search", params={"q": "Buryat", "per_story": 1, "since": "2024-10-28", "sort": "size"}).text
    assert 'name="since" value="2024-10-28"' in one and '<option value="size" selected>' in one
    assert "No article holds these words" in client.get("/search", params={"q": "zeppelin"}).text


def test_search_pages_keep_their_filters_and_order(client):
    topics = ["volcano erupts in Iceland", "chess final in Madrid", "wheat prices fall in Kansas"]
    articles = [{"id": f"t{i}", "title": t.capitalize(), "published": f"2024-11-0{i + 1}", "source": "Wire",
                 "text": f"Reporters said the {t} today, near the harbour. " + f"{t} " * 3} for i, t in enumerate(topics)]
    assert len(client.post("/api/articles", json={"articles": articles}, headers=AUTH).json()["added"]) == 3
    html = client.get("/search", params={"q": "harbour", "source": "wire", "sort": "created", "limit": 1}).text
    assert "3 articles in 3 stories" in html
    assert 'rel="next" href="?q=harbour&amp;source=wire&amp;sort=created&amp;offset=1&amp;limit=1"' in html
    assert "Wheat prices fall" in html  # latest begun first: 3 November


def test_story_list_sorts_and_draws_articles_per_day(client):
    later = {"id": "later", "title": "Buryat soldiers seen again", "published": "2024-11-05",
             "text": client.get(f"/api/articles/{LATER}").json()["passages"][3]["text"] + " Reported again."}
    assert client.post("/api/articles", json={"articles": [later]}, headers=AUTH).json()["added"] == ["later"]
    html = client.get("/", params={"sort": "size"}).text
    assert '<option value="size" selected>' in html and "most articles first" in html
    (spark,) = re.findall(r'<svg class="spark"[^>]*>.*?</svg>', html, re.DOTALL)
    assert 'aria-label="3 articles over 9 days (a bar per day); most on 2024-10-28: 2"' in spark
    assert spark.count("<rect") == 2


def test_provenance_page_draws_who_copied_whom(client):
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    story = client.get(f"/stories/{sid}").text
    assert f'href="/stories/{sid}/provenance"' in story
    twin = client.get(f"/api/stories/{sid}/provenance").json()
    assert twin["id"] == sid and [(e["article"], e["first_seen"], e["passages"]) for e in twin["edges"]] == \
        [(LATER, EARLIER, 15)]
    shares = {o["outlet"]: o["recycled_share"] for o in twin["outlets"]}  # the seeds name no outlet
    assert shares[f"(no source: {EARLIER})"] == 0 and 0.5 < shares[f"(no source: {LATER})"] < 1
    html = client.get(f"/stories/{sid}/provenance").text
    (svg,) = re.findall(r'<svg class="provenance".*?</svg>', html, re.DOTALL)
    assert svg.count('<circle class="node member"') == 2 and svg.count('<path class="edge"') == 1
    assert f'href="/articles/{EARLIER}"' in svg and f'href="/articles/{LATER}"' in svg
    assert "15 passages from" in svg
    assert html.count('<tr class="edge-row">') == 1 and "15 passages" in html
    assert f'href="/api/stories/{sid}/provenance"' in html  # the JSON twin
    assert client.get("/stories/nope/provenance").status_code == 404


def test_provenance_marks_copies(client):
    text = client.get(f"/api/articles/{EARLIER}").json()
    record = {"id": "syndicated", "source": "Another Outlet", "published": "2024-10-29",
              "text": "\n\n".join(p["text"] for p in text["passages"])}
    assert client.post("/api/articles", json={"articles": [record]}, headers=AUTH).json()["copies"] == \
        [{"id": "syndicated", "duplicate_of": EARLIER}]
    sid = client.get(f"/api/articles/{EARLIER}").json()["story_id"]
    twin = client.get(f"/api/stories/{sid}/provenance").json()
    (copy,) = [e for e in twin["edges"] if e["article"] == "syndicated"]
    assert copy["copy"] and copy["first_seen"] == EARLIER and copy["lag_s"] == 86400
    html = client.get(f"/stories/{sid}/provenance").text
    assert '<tr class="edge-row copy">' in html and "the whole text" in html and "1 day later" in html
    assert 'class="node member copy"' in html and 'stroke-dasharray="5 3"' in html
    assert {o["outlet"]: o["copies"] for o in twin["outlets"]}["Another Outlet"] == 1


def test_a_form_sent_with_empty_fields_is_no_filter_and_a_bad_day_a_clear_error(client):
    assert client.get("/", params={"q": "", "since": "", "until": "", "sort": "size"}).status_code == 200
    r = client.get("/search", params={"q": "Buryat", "since": "", "until": "", "source": ""})
    assert r.status_code == 200 and "2 articles in 1 story" in r.text
    r = client.get("/", params={"since": "2024-13-01"})
    assert r.status_code == 422 and "since: &#39;2024-13-01&#39; is not a day (YYYY-MM-DD)" in r.text
    assert client.get("/search", params={"q": "x", "until": "March"}).status_code == 422


def test_the_api_docs_page_works_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    schema = client.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html
    assert "<code>sort</code>" in html and "relevance | updated | size | created" in html
    assert '<a href="/api/stories">Try it: /api/stories</a>' in html
    # nothing fetched from elsewhere: no script at all, styles and links only from this server
    assert "<script" not in html.lower()
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    assert 'href="/docs"' in client.get("/").text  # every page links to it


def test_a_chinese_word_is_found_and_marked_inside_its_run(client):
    from tests.web.test_api import AUTH

    record = {"id": "zh-strike", "title": "港口工人罢工进入第二周", "published": "2024-10-29",
              "text": "港口工人周一开始罢工，要求提高工资。工会表示，罢工将持续到港务局提出新的方案。"}
    assert client.post("/api/articles", json={"articles": [record]}, headers=AUTH).json()["added"] == ["zh-strike"]
    html = client.get("/search", params={"q": "罢工"}).text
    assert "港口工人<mark>罢工</mark>进入第二周" in html  # the title as written, the word marked
    assert "开始<mark>罢工</mark>，要求提高工资" in html
