"""Fetching a feed or page by URL: bounded in time and size, every failure a :class:`FetchError`."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import FetchError
from ..settings import IngestSettings

_CHUNK = 65536


@dataclass(slots=True, frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


def fetch(url: str, settings: IngestSettings) -> Fetched:
    """GET ``url``; ``fetch_timeout_s`` bounds the whole transfer, not just each read."""
    if not is_url(url):
        raise FetchError(url, "only http:// and https:// URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent,
                                                   "Accept": "application/rss+xml, application/atom+xml, "
                                                             "text/html, application/xml;q=0.9, */*;q=0.5"})
    deadline = time.monotonic() + settings.fetch_timeout_s
    try:
        with urllib.request.urlopen(request, timeout=settings.fetch_timeout_s) as response:
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
                           content_type=response.headers.get_content_type())
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(url, f"timed out after {settings.fetch_timeout_s:g} s") from exc
        raise FetchError(url, f"unreachable ({reason})") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise FetchError(url, f"timed out after {settings.fetch_timeout_s:g} s") from exc
    except (ConnectionError, OSError) as exc:
        raise FetchError(url, f"connection failed ({exc})") from exc
