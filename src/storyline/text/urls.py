"""A URL's key: what two links to one article share, so the same article met at two links is one.

Feeds and pages link an article with tracking parameters (``?utm_source=rss``), a fragment
(``#comments``), ``http`` one day and ``https`` the next, ``www.`` or not, the host in capitals or
with its default port. Ingest keeps the URL as written (it is the link a reader follows) and asks
whether an article is already stored by this key (``articles.url_key``).

The key of an ``http(s)`` URL is ``//host[:port]/path[?query]``:

- the scheme is dropped (an article served over both is one article);
- the host is lower-cased, a trailing dot, a leading ``www.`` and the scheme's default port dropped;
  user information is kept;
- in the path and the query, percent-escapes of unreserved characters are decoded (``%7E`` is
  ``~``) and the others' hex digits upper-cased; an empty path is ``/``; the path's letters keep
  their case (servers tell ``/A`` from ``/a``) and a trailing slash is kept;
- query parameters that only say where a reader came from (:data:`TRACKING`, and every ``utm_*``)
  are dropped, the others kept and sorted (by name, repeated names in their order), ``?`` dropped
  when nothing is left;
- the fragment is dropped, but for ``#!`` and ``#/`` (pages that route by fragment name the article
  there).

The stored keys were made by this function (schema 21): a change to the rule is a new migration
that makes them again, or stored articles stop being found by their links.

Anything else (another scheme, a relative or malformed link, an id written where a URL goes) is
its own key, stripped of surrounding white space: it equals only itself.
"""

from __future__ import annotations

import re

# Parameters set by campaign and click tracking (Google, Microsoft, Meta, Mailchimp, HubSpot,
# Marketo, Yandex, Twitter, BBC's and AT Internet's analytics), never by the page's content.
TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "ns_campaign", "ns_mchannel", "ns_source", "ns_linkname", "ns_fee", "at_medium", "at_campaign",
    "at_custom1", "at_custom2", "at_custom3", "at_custom4",
})

_URL = re.compile(r"(?i)(?:https?:)?//([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def url_key(url: str) -> str:
    """The key two links to one article share (see the module's docstring)."""
    url = url.strip()
    match = _URL.fullmatch(url)
    if match is None:
        return url
    authority, path, query, fragment = match.groups()
    scheme = url[:url.find("//")].lower()
    # A link without a scheme ("//host/") has no default port to drop.
    host = _host(authority, {"https:": "443", "http:": "80"}.get(scheme))
    if host is None:
        return url
    key = "//" + host + (_escapes(path) or "/")
    if query:
        kept = [p for p in query.split("&") if p and not _tracking(p)]
        if kept:
            # sorted by name only: a name given twice keeps its values' order (sort is stable)
            key += "?" + "&".join(sorted((_escapes(p) for p in kept), key=lambda p: p.partition("=")[0]))
    if fragment and fragment[0] in "!/":
        key += "#" + fragment
    return key


def _host(authority: str, default_port: str | None) -> str | None:
    user, at, host = authority.rpartition("@")
    if host.startswith("["):  # an IPv6 literal: its colons are not the port's
        end = host.find("]")
        if end < 0:
            return None
        name, port = host[:end + 1], host[end + 1:].removeprefix(":")
    else:
        name, _, port = host.partition(":")
    name = name.lower().rstrip(".")
    while name.startswith("www."):
        name = name[4:]
    if not name:
        return None
    if port == default_port:
        port = ""
    return user + at + name + (":" + port if port else "")


def _tracking(param: str) -> bool:
    name = param.partition("=")[0].lower()
    return name.startswith("utm_") or name in TRACKING


def _escapes(text: str) -> str:
    if "%" not in text:
        return text

    def fix(m: re.Match[str]) -> str:
        byte = int(m.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else "%" + m.group(1).upper()

    return _ESCAPE.sub(fix, text)
