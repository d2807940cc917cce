"""The open server: markup in every field shows as text on every page, ids of any characters
are reachable from the links that point at them, the Host header is checked, every response
carries the security headers, bounds give 422, hostile bodies give 4xx (never 500), and URL
ingest cannot reach loopback."""

from __future__ import annotations

import re
import threading
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from storyline import Storyline
from storyline.web import create_app
from tests.web.conftest import TOKEN, web_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>",
       "</title><script>alert(2)</script>", "{{ 7*7 }}<iframe src=javascript:alert(3)>"]
HOSTILE_IDS = ["https://example.org/news/2024/10/28/story?id=1&x=2#top", "a/../../etc/passwd", "100% sure",
               "quote\"and'apos", "ünïcödé/日本語", "<script>alert('id')</script>", "semi;colon,comma+plus"]
BODY = ("Officials confirmed on Monday that the harbour bridge will reopen after three weeks of load "
        "tests, and traffic engineers said the work went to plan. ")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    records = []
    for i, article_id in enumerate(HOSTILE_IDS):
        payload = XSS[i % len(XSS)]
        records.append({"id": article_id, "title": f"Bridge {payload} {i}", "source": payload,
                        # each its own URL: the same URL twice is one article
                        "url": f"javascript:alert(document.cookie)//{i}" if i % 2 else f"https://example.org/{i}",
                        "published": "2024-10-28", "text": f"{BODY}{payload}\n\n{BODY} Paragraph {i}, {payload}."})
    with Storyline(db) as sl:
        report = sl.ingest_records(records)
    assert sorted(report.added) == sorted(HOSTILE_IDS), report.rejected
    return db


@pytest.fixture(scope="module")
def app_client(hostile_db: Path):
    with TestClient(create_app(web_settings(hostile_db, token=TOKEN))) as c:
        yield c


def _pages(client: TestClient) -> dict[str, str]:
    pages = {"/": client.get("/").text, "/search": client.get("/search", params={"q": "<script>"}).text}
    for story in client.get("/api/stories").json()["stories"]:
        pages[f"/stories/{story['id']}"] = client.get(f"/stories/{quote(story['id'], safe='')}").text
        pages[f"/stories/{story['id']}/provenance"] = client.get(f"/stories/{quote(story['id'], safe='')}/provenance").text
    for article_id in HOSTILE_IDS:
        r = client.get(f"/articles/{quote(article_id, safe='')}")
        assert r.status_code == 200, (article_id, r.status_code)
        pages[article_id] = r.text
    return pages


def test_markup_in_every_field_shows_as_text_on_every_page(app_client):
    for where, html in _pages(app_client).items():
        lowered = html.lower()
        assert "<script" not in lowered and "<img" not in lowered, where
        # the only SVG: the charts the server draws (articles per day, who copied whom)
        assert all(tag.startswith(('<svg class="spark" role="img"', '<svg class="provenance" role="img"'))
                   for tag in re.findall(r"<svg[^>]*>", lowered)), where
        # an event handler only inside a tag counts (escaped text may be cut short: "onerror=aler…")
        assert "<iframe" not in lowered and not re.search(r"<[^>]*\bonerror=", lowered), where
        assert 'href="javascript:' not in lowered, where
    article = app_client.get(f"/articles/{quote(HOSTILE_IDS[0], safe='')}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # shown, escaped


def test_ids_of_any_characters_are_reachable_from_their_links(app_client):
    html = app_client.get("/search", params={"q": "bridge", "limit": 50}).text
    for more in re.findall(r'<a class="more" href="([^"]+)"', html):  # a story's other matching articles
        html += app_client.get("/search" + unescape(more)).text
    links = sorted({unescape(h) for h in re.findall(r'href="(/articles/[^"#]+)"', html)})
    assert len(links) == len(HOSTILE_IDS)
    seen = set()
    for link in links:
        r = app_client.get(link)
        assert r.status_code == 200, link
        twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', r.text).group(1)
        body = app_client.get(unescape(twin)).json()
        seen.add(body["id"])
    assert seen == set(HOSTILE_IDS)


@pytest.mark.parametrize("host, status", [("evil.example", 400), ("evil.example:8000", 400), ("localhost:8000", 200),
                                          ("127.0.0.1", 200), ("[::1]:8000", 200), ("", 400)])
def test_host_allow_list(app_client, host, status):
    r = app_client.get("/api/stories", headers={"Host": host})
    assert r.status_code == status
    if status == 400:
        assert "web.allowed_hosts" in r.json()["detail"]


def test_host_allow_list_is_configurable(hostile_db):
    with TestClient(create_app(web_settings(hostile_db, allowed_hosts=("news.example",))),
                    base_url="http://news.example") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "localhost"}).status_code == 400
    with TestClient(create_app(web_settings(hostile_db, allowed_hosts=("*",)))) as c:
        assert c.get("/", headers={"Host": "anything.example"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/stories", "/static/style.css", "/articles/no-such", "/openapi.json",
                                  "/api/search?q=x&offset=-1"])
def test_security_headers_on_every_response(app_client, path):
    r = app_client.get(path)
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none' covers scripts


@pytest.mark.parametrize("path", ["/", "/api/stories", "/api/search?q=bridge", "/search?q=bridge"])
@pytest.mark.parametrize("offset", [2**63, 2**64, 10**30, 1_000_000_001])
def test_offsets_are_bounded(app_client, path, offset):
    sep = "&" if "?" in path else "?"
    r = app_client.get(f"{path}{sep}offset={offset}")
    assert r.status_code == 422 and "web.max_offset" in r.text
    assert app_client.get(f"{path}{sep}limit={2**64}").status_code == 422


@pytest.fixture
def writer(hostile_db: Path, tmp_path: Path):
    import shutil

    db = tmp_path / "w.db"
    shutil.copy(hostile_db, db)
    with TestClient(create_app(web_settings(db, token=TOKEN))) as c:
        yield c


@pytest.mark.parametrize("body, reason", [
    (b'{"articles": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"articles": [{"text": "x", "published": ' + b"9" * 5000 + b"}]}", "JSON value refused"),
    (b'{"articles": [{"text": "\xff\xfe"}]}', "not JSON"),
    (b'{"articles": "nope"}', "must be a list"),
    (b'{"url": 42}', "http:// or https://"),
])
def test_malformed_bodies_are_client_errors(writer, body, reason):
    r = writer.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400 and reason in r.json()["detail"]


def test_records_that_cannot_be_stored_are_422_with_every_reason(writer):
    r = writer.post("/api/articles", json={"articles": [42, {"title": ""}, {"text": ["a", 1]}]}, headers=AUTH)
    assert r.status_code == 422
    body = r.json()
    assert [x["origin"] for x in body["rejected"]] == [f"POST /api/articles:{i}" for i in (1, 2, 3)]
    assert "expected a JSON object" in body["detail"] and "record has no text" in body["detail"]


def test_lone_surrogates_in_a_body_are_replaced_not_a_crash(writer):
    body = b'{"articles": [{"id": "sur\\ud800rogate", "title": "T\\udfff", "text": "' + BODY.encode() + b'\\ud83d"}]}'
    r = writer.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["added"] == ["sur\ufffdrogate"] and "lone surrogate" in r.json()["warnings"][0]["message"]
    assert writer.get(f"/articles/{quote('sur' + chr(0xfffd) + 'rogate', safe='')}").status_code == 200


@pytest.mark.network
def test_url_ingest_cannot_reach_loopback(writer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>internal</title><item><guid>i</guid>'
                    b"<description>An internal secret report from the admin service.</description></item>"
                    b"</channel></rss>")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    try:
        for url in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/", f"http://2130706433:{port}/",
                    f"http://[::ffff:127.0.0.1]:{port}/"):
            r = writer.post("/api/articles", json={"url": url}, headers=AUTH)
            assert r.status_code == 422 and "refused" in r.json()["detail"], url
        r = writer.post("/api/articles", json={"url": "http://127.0.0.1:1/"}, headers=AUTH)
        assert "refused" in r.json()["detail"] and "Connection refused" not in r.text  # not a port scan
    finally:
        httpd.shutdown()
    assert writer.get("/api/search", params={"q": "internal secret"}).json()["total"] == 0
