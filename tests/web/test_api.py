"""The HTTP JSON API over a real SQLite store holding the seeds."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline import Storyline
from tests.conftest import FIXTURES, ROOT
from tests.web.conftest import TOKEN

LATER = "001_5a9cac7b8d2db75a"
EARLIER = "000_28c5dd749a0a6b13"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _story_id(client) -> str:
    return client.get("/api/stories").json()["stories"][0]["id"]


def test_stories_are_listed_with_their_figures(client):
    body = client.get("/api/stories").json()
    assert body["total"] == 1 and body["offset"] == 0 and body["limit"] == 50
    (story,) = body["stories"]
    assert story["articles"] == 2 and story["sources"] == 2
    assert story["first_published"] == story["last_published"] == "2024-10-28"
    assert story["title"].startswith("Ukraine's Foreign Minister Andriy Sybiha") and story["updated"]


def test_stories_filter_by_title_text_and_dates(client):
    assert client.get("/api/stories", params={"q": "sybiha"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "100%_"}).json()["total"] == 0  # literal, not wildcards
    assert client.get("/api/stories", params={"since": "2024-10-28", "until": "2024-10-28"}).json()["total"] == 1
    assert client.get("/api/stories", params={"since": "2024-10-29"}).json()["total"] == 0
    assert client.get("/api/stories", params={"until": "2024-10-27"}).json()["total"] == 0


def test_bad_parameters_are_json_errors_with_a_reason(client):
    r = client.get("/api/stories", params={"since": "yesterday"})
    assert r.status_code == 422 and r.json()["status"] == 422 and "since" in r.json()["detail"]
    r = client.get("/api/stories", params={"limit": 10_000})
    assert r.status_code == 422 and "at most 200" in r.json()["detail"]
    r = client.get("/api/stories", params={"offset": -1})
    assert r.status_code == 422


def test_unknown_ids_are_404_in_json(client):
    for path in ("/api/stories/nope", "/api/articles/nope", "/api/stories/nope/timeline"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.json() == {"status": 404, "error": "Not Found", "detail": r.json()["detail"]}
        assert "nope" in r.json()["detail"]


def test_story_has_timeline_statements_conflicts_and_articles(client):
    story = client.get(f"/api/stories/{_story_id(client)}").json()
    assert [a["id"] for a in story["articles"]] == [EARLIER, LATER]
    assert story["article_count"] == 2 and story["statements_pending"] == 0
    # one entry per sentence: the sentence dated 25 October and 27-28 October is one entry
    dates = [e["date"] for e in story["timeline"]]
    assert dates == ["2024-10", "2024-10-15", "2024-10-17", "2024-10-25", "2024-11-01"]
    assert story["timeline"][3]["also"] == [{"date": "2024-10-27/2024-10-28", "when": "27–28 Oct 2024"}]
    assert [e["when"] for e in story["timeline"]] == ["early October 2024", "15 Oct 2024", "17 Oct 2024",
                                                      "25 Oct 2024", "1 Nov 2024"]
    assert {k: v for k, v in story["axis"].items() if k != "ticks"} == {"start": "2024-10-01", "end": "2024-11-02"}
    assert [t["label"] for t in story["axis"]["ticks"]] == ["1 Oct", "7 Oct", "13 Oct", "19 Oct", "25 Oct", "31 Oct"]
    assert story["span"] == "28 Oct 2024" and story["days"] == 1
    assert [a["id"] for a in story["latest"]] == [LATER, EARLIER]  # the latest first
    assert story["latest"][0]["added"].startswith("The fact that Russia is forced to rely on soldiers")
    positions = [e["position"] for e in story["timeline"]]
    assert positions == sorted(positions) and positions[0] == 0.0 and 0 < positions[-1] < 1
    speakers = {s["name"]: s["aliases"] for s in story["speakers"]}
    assert "Sibiga" in speakers["Andriy Sybiha"] and "Jonkuk Hwang" in speakers["Jongkook Hwang"]
    kinds = {c["kind"] for c in story["contradictions"]}
    assert {"denial", "unconfirmed"} <= kinds
    for c in story["contradictions"]:  # each conflict carries both statements, for side-by-side display
        assert [s["id"] for s in c["statements"]] == c["statement_ids"] and c["reason"]
    # one denial against several confirmations is one group around the denial
    groups = story["conflict_groups"]
    denial = next(g for g in groups if g["kind"] == "denial")
    assert denial["statement"]["speaker"] == "Andrii Kovalenko" and len(denial["against"]) >= 3
    assert sum(len(g["against"]) for g in groups) == len(story["contradictions"])


def test_timeline_and_statements_have_routes_of_their_own(client):
    sid = _story_id(client)
    timeline = client.get(f"/api/stories/{sid}/timeline").json()  # every dated event, as the export has them
    shown = client.get(f"/api/stories/{sid}").json()["timeline"]  # the page's: each sentence once
    unfolded = [{k: v for k, v in e.items() if k not in ("position", "width", "when", "also")} for e in shown]
    unfolded += [{"date": a["date"], "text": e["text"], "article_ids": e["article_ids"]}
                 for e in shown for a in e.get("also", [])]
    assert sorted(timeline, key=str) == sorted(unfolded, key=str)
    statements = client.get(f"/api/stories/{sid}/statements").json()
    assert set(statements) == {"statements", "speakers", "contradictions", "conflict_groups", "statements_pending"}
    assert any(s["speaker"] == "Kyrylo Budanov" for s in statements["statements"])


def test_article_marks_recycled_passages_with_where_they_were_first_seen(client):
    article = client.get(f"/api/articles/{LATER}").json()
    assert article["counts"]["recycled"] == 15 and article["counts"]["new"] >= 3
    recycled = [p for p in article["passages"] if p["status"] == "recycled"]
    assert all(p["first_seen"]["article_id"] == EARLIER and p["first_seen"]["published"] == "2024-10-28"
               for p in recycled)
    # first seen in this very story (first_seen also names the characters of that passage copied)
    assert all(p["in_story"] == {k: v for k, v in p["first_seen"].items() if k not in ("start", "end")}
               for p in recycled)
    assert all(p["first_seen"]["start"] < p["first_seen"]["end"] and p["copied"]["start"] < p["copied"]["end"]
               for p in recycled)
    assert article["counts"]["recycled_in_story"] == 15 and article["counts"]["recycled_elsewhere"] == 0
    assert 0 < article["new_share"] < 0.5
    assert abs(article["new_share"] + article["recycled_share"] + article["boilerplate_share"] - 1) < 0.01
    assert client.get(f"/api/articles/{EARLIER}").json()["new_share"] > 0.9


def test_search_finds_articles_grouped_by_story_with_marked_snippets(client):
    body = client.get("/api/search", params={"q": "Buryat"}).json()
    assert (body["articles"], body["total"]) == (2, 1) and body["next_offset"] is None
    (group,) = body["groups"]
    assert group["matches"] == 2 and group["story"]["articles"] == 2
    assert {h["id"] for h in group["hits"]} == {EARLIER, LATER}
    for hit in group["hits"]:
        assert {hit["snippet"][a:b] for a, b in hit["highlights"]} == {"Buryat"}
    assert client.get("/api/search", params={"q": '"Netherlands Defense Academy"'}).json()["articles"] == 1
    day = {"q": "Buryat", "since": "2024-10-28", "until": "2024-10-28"}  # both seeds' day
    assert client.get("/api/search", params=day).json()["articles"] == 2
    assert client.get("/api/search", params={"q": "Buryat", "since": "2024-10-29"}).json()["articles"] == 0
    assert client.get("/api/search", params={"q": "Buryat", "until": "2024-10-27"}).json()["articles"] == 0
    assert client.get("/api/search", params={"q": "Buryat", "per_story": 1}).json()["groups"][0]["matches"] == 2
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    r = client.get("/api/search", params={"q": "Buryat", "sort": "best"})
    assert r.status_code == 422 and "sort" in r.json()["detail"]
    r = client.get("/api/search", params={"q": "?!"})
    assert r.status_code == 400 and "nothing to search for" in r.json()["detail"]


def test_the_web_and_the_library_offer_the_same_sort_orders():
    from typing import get_args

    from storyline.queries import SEARCH_SORTS, STORY_SORTS
    from storyline.web.api import SearchSort, StorySort

    assert get_args(StorySort) == STORY_SORTS and get_args(SearchSort) == SEARCH_SORTS


def test_stories_sort_and_carry_their_articles_per_day(client):
    body = client.get("/api/stories", params={"sort": "size"}).json()
    (story,) = body["stories"]
    assert story["per_day"] == [["2024-10-28", 2]]
    assert client.get("/api/stories", params={"sort": "biggest"}).status_code == 422


def test_the_openapi_schema_is_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/articles"]


ARTICLE = {"id": "api-1", "title": "Kyiv says talks resume", "published": "2024-10-29",
           "text": "Ukrainian officials said on Tuesday that talks would resume next week.\n\n"
                   "The foreign ministry confirmed the date in a statement."}


def test_a_story_is_assembled_once_per_version_across_requests(tmp_path):
    """Each request opens a store of its own; the app's view cache outlives them, and an
    article joining the story (over HTTP here) is seen by the next request."""
    from fastapi.testclient import TestClient

    from storyline.web import create_app
    from tests.web.conftest import web_settings

    examples = sorted((ROOT / "examples").glob("*.txt"))
    db = tmp_path / "bridge.db"
    with Storyline(db) as sl:
        assert sl.ingest(examples[:3]).ok
    with TestClient(create_app(web_settings(db, token=TOKEN))) as client:
        sid = _story_id(client)
        cache = client.app.state.view_cache
        first = client.get(f"/api/stories/{sid}").json()
        hits, misses = cache.hits, cache.misses
        assert client.get(f"/api/stories/{sid}").json() == first
        assert client.get(f"/stories/{sid}").status_code == 200
        # timeline, statements and the story's copies (its latest articles' novelty), twice
        assert (cache.hits - hits, cache.misses - misses) == (6, 0)
        _, _, published, text = examples[3].read_text(encoding="utf-8").split(" ", 3)  # " date YYYY-MM-DD text"
        record = {"id": examples[3].stem, "text": text, "published": published}
        assert client.post("/api/articles", json={"articles": [record]}, headers=AUTH).json()["added"] == [record["id"]]
        after = client.get(f"/api/stories/{sid}").json()
        assert after["article_count"] == 4 and after["statements_pending"] == 4
        assert cache.misses - misses == 3  # a new version: put together again
        assert any(record["id"] in entry["article_ids"] for entry in after["timeline"])


def test_ingest_needs_the_token(client):
    r = client.post("/api/articles", json={"articles": [ARTICLE]})
    assert r.status_code == 401 and "Bearer" in r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/articles", json={"articles": [ARTICLE]}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert client.get("/api/search", params={"q": "talks would resume"}).json()["total"] == 0


def test_ingest_stores_articles_once_and_reports_each(client):
    bad = 42  # not an object
    r = client.post("/api/articles", json={"articles": [ARTICLE, bad]}, headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    assert body["added"] == ["api-1"]
    assert body["rejected"][0]["origin"] == "POST /api/articles:2"
    again = client.post("/api/articles", json={"articles": [ARTICLE]}, headers=AUTH).json()
    assert again["added"] == [] and again["duplicates"][0]["existing_id"] == "api-1"  # idempotent
    assert again["duplicates"][0]["other_text"] is False
    updated = client.post("/api/articles", json={"articles": [{**ARTICLE, "text": "Talks were called off."}]},
                          headers=AUTH).json()
    assert updated["added"] == [] and updated["duplicates"][0]["other_text"] is True
    found = client.get("/api/articles/api-1").json()
    assert found["title"] == "Kyiv says talks resume" and found["story_id"]


def test_ingest_rejects_bodies_it_cannot_read(client):
    r = client.post("/api/articles", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["detail"]
    r = client.post("/api/articles", json={"articles": "x"}, headers=AUTH)
    assert r.status_code == 400
    r = client.post("/api/articles", json={"url": "file:///etc/passwd"}, headers=AUTH)
    assert r.status_code == 400 and "http" in r.json()["detail"]
    r = client.post("/api/articles", json={"url": "https://x", "articles": []}, headers=AUTH)
    assert r.status_code == 400


def test_request_bodies_are_bounded(client):
    limit = client.app.state.settings.web.max_body_bytes
    big = json.dumps({"articles": [{"text": "x" * (limit + 10)}]}).encode()
    r = client.post("/api/articles", content=big, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and "web.max_body_bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: the limit holds while reading
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    r = client.post("/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_without_a_token_ingest_is_off(seeded_db, tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    from storyline.web import create_app
    from tests.web.conftest import web_settings

    db = tmp_path / "s.db"
    shutil.copy(seeded_db, db)
    with TestClient(create_app(web_settings(db))) as c:
        r = c.post("/api/articles", json={"articles": [ARTICLE]}, headers=AUTH)
        assert r.status_code == 403 and "--token" in r.json()["detail"]
    with Storyline(db) as sl:
        assert not sl.queries.has_article("api-1")


@pytest.fixture
def local_client(seeded_db, tmp_path):
    """An app whose URL ingest may reach loopback (the test's feed server is there)."""
    import shutil

    from fastapi.testclient import TestClient

    from storyline.settings import IngestSettings
    from storyline.web import create_app
    from tests.web.conftest import web_settings

    db = tmp_path / "s.db"
    shutil.copy(seeded_db, db)
    with TestClient(create_app(web_settings(db, IngestSettings(allow_private_urls=True), token=TOKEN))) as c:
        yield c


@pytest.mark.network
def test_ingest_a_feed_by_url(local_client):
    client = local_client
    feed = (FIXTURES / "feed.rss").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/feed"
        body = client.post("/api/articles", json={"url": url}, headers=AUTH).json()
        assert len(body["added"]) == 3 and body["rejected"] == []
        again = client.post("/api/articles", json={"url": url}, headers=AUTH).json()
        assert again["added"] == [] and len(again["duplicates"]) == 3
    finally:
        httpd.shutdown()


def test_a_full_disk_is_507_and_the_store_takes_the_articles_once_it_has_room(client, monkeypatch):
    """The server's disk, not the request: 507 Insufficient Storage with the reason; nothing of
    the request is stored, and the same request succeeds once there is room."""
    import storyline.web.api as api

    class OnAFullDisk(api.Storyline):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            conn = self.store._conn  # SQLite fails any write that grows the file, as on a full disk
            conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")

    long = {**ARTICLE, "id": "api-long", "text": "Talks would resume on Monday, the ministry said. " * 2_000}
    monkeypatch.setattr(api, "Storyline", OnAFullDisk)
    r = client.post("/api/articles", json={"articles": [long]}, headers=AUTH)
    assert r.status_code == 507, r.text
    assert "cannot write: the disk holding it is full" in r.json()["detail"]
    assert "this ingest stored nothing before it" in r.json()["detail"]
    assert client.get("/api/articles/api-long").status_code == 404
    monkeypatch.undo()
    assert client.post("/api/articles", json={"articles": [long]}, headers=AUTH).json()["added"] == ["api-long"]
