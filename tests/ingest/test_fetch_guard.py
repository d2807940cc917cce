"""URL fetches refuse non-public addresses (after DNS resolution, on every redirect) unless
``allow_private_urls``; their errors do not tell an open port from a closed one."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline import IngestSettings
from storyline.errors import FetchError
from storyline.ingest import fetch as fetch_module
from storyline.ingest.fetch import fetch, public_address

pytestmark = pytest.mark.network
FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>g</guid>'
        b"<description>Some text of the item.</description></item></channel></rss>")


@pytest.fixture(scope="module")
def servers():
    """Two loopback servers: ``/feed`` answers; ``/to?url=…`` redirects there."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/to?url="):
                self.send_response(302)
                self.send_header("Location", self.path.split("=", 1)[1])
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

    started = []
    for host in ("127.0.0.1", "127.0.0.2"):
        httpd = ThreadingHTTPServer((host, 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
    yield [f"http://{h.server_address[0]}:{h.server_address[1]}" for h in started]
    for httpd in started:
        httpd.shutdown()


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("127.1.2.3", False), ("10.0.0.1", False), ("172.16.0.1", False),
    ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("224.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("fe80::1", False), ("fc00::1", False),
    ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.1.1.1", False), ("::", False),
])
def test_public_addresses(address, public):
    assert public_address(address) is public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0x7f000001", "[::1]", "127.1"])
def test_loopback_in_any_spelling_is_refused(servers, host):
    port = servers[0].rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="refused: .* non-public address .*--allow-private-urls"):
        fetch(f"http://{host}:{port}/feed", IngestSettings())


def test_allowed_when_asked(servers):
    fetched = fetch(f"{servers[0]}/feed", IngestSettings(allow_private_urls=True))
    assert fetched.data == FEED and fetched.charset == "utf-8"


def test_every_redirect_hop_is_checked(servers, monkeypatch):
    first, second = servers
    # Only the first server counts as public here: the redirect to the second must be refused.
    monkeypatch.setattr(fetch_module, "public_address", lambda address: address == "127.0.0.1")
    assert fetch(f"{first}/feed", IngestSettings()).data == FEED
    with pytest.raises(FetchError, match="refused: 127.0.0.2 resolves to a non-public address"):
        fetch(f"{first}/to?url={second}/feed", IngestSettings())


def test_errors_do_not_tell_open_ports_from_closed_ones():
    local = IngestSettings(allow_private_urls=True, fetch_timeout_s=0.5)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    with socket.socket() as silent:  # listens, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        messages = set()
        for port in (closed_port, silent.getsockname()[1]):
            with pytest.raises(FetchError) as info:
                fetch(f"http://127.0.0.1:{port}/", local)
            messages.add(info.value.reason)
    assert messages == {"could not fetch (no connection, or no answer in time)"}
