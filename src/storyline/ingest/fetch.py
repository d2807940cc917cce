"""Fetching a feed or page by URL: bounded in time and size, every failure a :class:`FetchError`.

A URL may come from whoever can reach the HTTP API, so unless ``ingest.allow_private_urls``
a fetch never connects to a loopback, private, link-local, multicast or reserved address: the
check runs on the addresses the host name resolves to, at connection time (so a name that
resolves differently a second later gains nothing), and again for every redirect. Failures to
connect all read alike, so error messages do not tell which internal ports are open.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import FetchError
from ..settings import IngestSettings

_CHUNK = 65536


@dataclass(slots=True, frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str
    charset: str | None = None  # as the Content-Type header declares it


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


class _Refused(OSError):
    """A connection the fetch must not make: the host resolves to a non-public address."""


def public_address(address: str) -> bool:
    """Whether ``address`` (an IP literal) is a public unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _guarded_connection(address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
                        source_address: tuple[str, int] | None = None) -> socket.socket:
    """``socket.create_connection`` that resolves the host once, refuses it when any of its
    addresses is not public, and connects to the very addresses it checked."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise _Refused(f"cannot resolve {host}") from exc
    blocked = sorted({str(info[4][0]) for info in infos if not public_address(str(info[4][0]))})
    if blocked:
        raise _Refused(f"{host} resolves to a non-public address ({', '.join(blocked[:3])}); "
                       "storyline does not fetch from loopback, private, link-local or multicast "
                       "addresses (--allow-private-urls, settings: ingest.allow_private_urls)")
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"cannot connect to {host}")


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTP, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPS, req)


def _opener(settings: IngestSettings) -> urllib.request.OpenerDirector:
    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = settings.max_redirects

    # No proxy from the environment: the address check must see the host actually connected to.
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({}), Redirects()]
    if not settings.allow_private_urls:
        handlers += [_GuardedHTTPHandler(), _GuardedHTTPSHandler()]
    return urllib.request.build_opener(*handlers)


def fetch(url: str, settings: IngestSettings) -> Fetched:
    """GET ``url``; ``fetch_timeout_s`` bounds the whole transfer, not just each read."""
    if not is_url(url):
        raise FetchError(url, "only http:// and https:// URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent,
                                                   "Accept": "application/rss+xml, application/atom+xml, "
                                                             "text/html, application/xml;q=0.9, */*;q=0.5"})
    deadline = time.monotonic() + settings.fetch_timeout_s
    unreachable = "could not fetch (no connection, or no answer in time)"
    try:
        with _opener(settings).open(request, timeout=settings.fetch_timeout_s) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > settings.max_fetch_bytes:
                raise FetchError(url, f"response is {int(declared):,} bytes, over the limit of "
                                      f"{settings.max_fetch_bytes:,} (settings: ingest.max_fetch_bytes)")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > settings.max_fetch_bytes:
                    raise FetchError(url, f"response is over the limit of {settings.max_fetch_bytes:,} bytes "
                                          "(settings: ingest.max_fetch_bytes)")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {settings.fetch_timeout_s:g} s (still downloading)")
                chunks.append(chunk)
            return Fetched(url=response.geturl(), data=b"".join(chunks),
                           content_type=response.headers.get_content_type(),
                           charset=response.headers.get_content_charset())
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, _Refused):
            raise FetchError(url, f"refused: {exc.reason}") from exc
        raise FetchError(url, unreachable) from exc
    except _Refused as exc:
        raise FetchError(url, f"refused: {exc}") from exc
    except (ConnectionError, OSError, http.client.HTTPException) as exc:
        # refused, reset, timed out: one message, so that answers do not map a network's ports
        raise FetchError(url, unreachable) from exc
