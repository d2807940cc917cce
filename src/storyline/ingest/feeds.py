"""RSS and Atom feeds: one article per entry, parsed only after an XML-bomb check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import feedparser
import lxml.etree
from defusedxml import DefusedXmlException

from ..errors import InputError
from ..records import Rejection, SourceRef
from ..settings import IngestSettings
from .dates import invalid_day
from .decode import bom_encoding
from .html import check_html_limits, fragment_to_blocks
from .page_title import headline
from .raw import RawArticle


def check_safe_xml(data: bytes, location: str) -> None:
    """Refuse what is not well-formed XML, and any entity or external reference (XML bombs)."""
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(location, f"refused: the XML declares entities or external references "
                                   f"(possible XML bomb: {type(exc).__name__})") from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(location, f"not an RSS/Atom feed: the file is not well-formed XML ({exc})", line=line) from exc


# The encoding in an XML declaration, for a feed transcoded to UTF-8 before parsing.
_XML_ENCODING = re.compile(rb"""\A(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _as_utf8(data: bytes, location: str) -> bytes:
    """A feed with a UTF-16/32 byte-order mark as UTF-8 (the XML parser knows no UTF-32), its
    declaration saying so; other feeds as they are (the parser reads their declaration)."""
    encoding = bom_encoding(data)
    if encoding is None or encoding == "utf-8-sig":
        return data
    try:
        text = data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(location, f"invalid {encoding} at byte {exc.start}") from None
    return _XML_ENCODING.sub(rb"\1", text, count=1)


def read_feed(data: bytes, location: str, settings: IngestSettings | None = None) -> Iterator[RawArticle | Rejection]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed; entry numbers stand in for line numbers."""
    settings = settings or IngestSettings()
    data = _as_utf8(data, location)
    check_safe_xml(data, location)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version:
        raise InputError(location, "not an RSS/Atom feed: well-formed XML, but no <rss>, <rdf:RDF> or <feed> root")
    title = parsed.feed.get("title")
    feed_title = str(title) if title else None
    if not parsed.entries:
        raise InputError(location, f"the feed ({version}) has no entries")
    for number, entry in enumerate(parsed.entries, start=1):
        origin = SourceRef(f"{location} entry", number)
        item: RawArticle | Rejection
        try:
            item = _entry_article(entry, origin, feed_title, settings)
        except InputError as exc:
            item = Rejection(origin, exc.reason)
        except (ValueError, TypeError, AttributeError, RecursionError, lxml.etree.LxmlError) as exc:
            # one odd entry (a field of an unexpected shape, HTML the parser gives up on) is
            # rejected alone; the feed's other entries still ingest
            item = Rejection(origin, f"feed entry cannot be read ({type(exc).__name__}: {str(exc)[:200]})")
        yield item


def _entry_article(entry: feedparser.FeedParserDict, origin: SourceRef, feed_title: str | None,
                   settings: IngestSettings) -> RawArticle | Rejection:
    body = _entry_body(entry)
    if not body:
        return Rejection(origin, "feed entry has no content or summary")
    check_html_limits(body, origin.location, settings)
    source = entry.get("source")
    source_title = source.get("title") if isinstance(source, dict) else None
    source_link = source.get("href") if isinstance(source, dict) else None
    # An aggregator's entry names the outlet in its title too ("Headline - Outlet", with
    # <source url="https://outlet.example">Outlet</source>): the headline is the title without it.
    title = headline(_entry_title(entry), None, [source_title, feed_title], _host(source_link))
    return RawArticle(
        origin=origin,
        blocks=fragment_to_blocks(body),
        id=entry.get("id") or entry.get("link"),
        title=title,
        source=source_title or feed_title,
        url=entry.get("link"),
        published=_entry_date(entry),
    )


def _host(link: object) -> str | None:
    try:
        return urlsplit(link).hostname if isinstance(link, str) else None
    except ValueError:  # "http://[not an address": the outlet is still named by the source's title
        return None


def _entry_title(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's title as text: an HTML title (Atom's type="html", RSS's escaped markup, which
    feedparser marks so) loses its tags, as the body does ("<b>Bold</b> title" is "Bold title")."""
    title = entry.get("title")
    if not title or "<" not in title:
        return title
    detail = entry.get("title_detail") or {}
    if detail.get("type") not in ("text/html", "application/xhtml+xml"):
        return title  # plain text that holds a "<" ("5 < 6", a title quoting a tag)
    return " ".join(" ".join(fragment_to_blocks(title)).split()) or None


def _entry_body(entry: feedparser.FeedParserDict) -> str:
    """The fullest text an entry offers: content:encoded / Atom content over the summary."""
    candidates = [c.get("value", "") for c in entry.get("content", [])]
    candidates.append(entry.get("summary", ""))
    return max(candidates, key=len).strip()


def _entry_date(entry: feedparser.FeedParserDict) -> object:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        parsed = entry.get(f"{key}_parsed")
        if parsed is not None and isinstance(raw, str) and invalid_day(raw) is not None:
            return raw  # the raw text gets the warning: feedparser rolls "30 Feb" over into March
        if parsed is not None:
            # feedparser already read the many date dialects of feeds and gives UTC
            # (a time.struct_time).
            year, month, day, hour, minute, second = parsed[:6]
            try:
                return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
            except ValueError:  # "0000-00-00" reads as the year -1: the raw text gets the warning
                return raw or f"{year:04d}-{month:02d}-{day:02d}"
        if raw:
            return raw
    return None
