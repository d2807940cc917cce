"""URL ingest against servers on 127.0.0.1 only: content, unreachable hosts, hangs, over-size bodies.

The servers are on loopback, so these fetches allow private addresses (``LOCAL``); what is refused
without it is in ``test_fetch_guard.py``."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline import IngestSettings, Settings, Storyline
from storyline.errors import FetchError
from storyline.ingest.fetch import fetch

pytestmark = pytest.mark.network
LOCAL = IngestSettings(allow_private_urls=True)


@pytest.fixture(scope="module")
def server(request):
    from tests.conftest import FIXTURES

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):
            if self.path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 16384 + b"</p>")
                return
            if self.path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(200):  # never finishes within the deadline, but never idles long
                    self.wfile.write(b"<p>" + b"x" * 70000 + b"</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            if self.path in ("/archive.jsonl.gz", "/bomb.jsonl.gz"):
                import gzip

                records = (b'{"id": "u1", "text": "Served compressed, as archives are."}\n' if self.path[1] == "a"
                           else b'{"id": "u2", "text": "' + b"x" * 3_000_000 + b'"}\n')
                data = gzip.compress(records)
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            name = {"/feed": "feed.rss", "/atom": "feed.atom", "/page": "page.html"}.get(self.path)
            if name is None:
                self.send_error(404, "Not Found")
                return
            data = (FIXTURES / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html" if name.endswith("html") else "application/rss+xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda request, address: None  # the client hanging up early is the point
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def sl(db_path):
    with Storyline(db_path, Settings(ingest=LOCAL)) as engine:
        yield engine


def test_feed_and_page_by_url(sl, server):
    report = sl.ingest([f"{server}/feed", f"{server}/atom", f"{server}/page"])
    assert report.ok, report.rejected
    assert len(report.added) == 3 + 2 + 1
    page = next(a for a in sl.articles() if a.title and a.title.startswith("Halvek Harbor Bridge load tests completed"))
    assert len(page.passages) == 6


def test_a_body_served_compressed_is_read_decompressed_within_the_fetch_limit(db_path, server):
    with Storyline(db_path, Settings(ingest=IngestSettings(allow_private_urls=True, max_fetch_bytes=1_000_000))) as sl:
        report = sl.ingest([f"{server}/archive.jsonl.gz", f"{server}/bomb.jsonl.gz"])
        assert report.added == ["u1"]
        (rejected,) = report.rejected
        assert rejected.origin.location.endswith("/bomb.jsonl.gz") and rejected.reason.startswith(
            "the body decompresses to over 1 MB, the limit of one fetched body (settings: ingest.max_fetch_bytes)")


def test_http_error(sl, server):
    (rejection,) = sl.ingest([f"{server}/missing"]).rejected
    assert rejection.reason == "HTTP 404 Not Found" and rejection.origin.location.endswith("/missing")


def test_unreachable_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there now: connection refused.
    with pytest.raises(FetchError, match="^.*: could not fetch"):
        fetch(f"http://127.0.0.1:{port}/feed", IngestSettings(fetch_timeout_s=2, allow_private_urls=True))


def test_silent_server_times_out_without_hanging(db_path):
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/feed"
        started = time.monotonic()
        with Storyline(db_path, Settings(ingest=IngestSettings(fetch_timeout_s=0.5, allow_private_urls=True))) as engine:
            report = engine.ingest([url])
        elapsed = time.monotonic() - started
    (rejection,) = report.rejected
    # the same words as a refused connection: an answer must not tell open ports from closed ones
    assert rejection.reason == "could not fetch (no connection, or no answer in time)"
    assert elapsed < 5


def test_slow_drip_is_cut_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.5 s|over the limit"):
        fetch(f"{server}/drip", IngestSettings(fetch_timeout_s=0.5, max_fetch_bytes=100_000_000,
                                                     allow_private_urls=True))
    assert time.monotonic() - started < 5


def test_body_over_the_limit(server):
    with pytest.raises(FetchError, match="over the limit of 100,000 bytes"):
        fetch(f"{server}/big", IngestSettings(max_fetch_bytes=100_000, allow_private_urls=True))


def test_only_http_urls():
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch("file:///etc/passwd", IngestSettings())
