"""A page's headline from its ``<title>``, without the site's name around it.

A page's ``<title>`` names the site as well as the article: "Bridge closed | Halvek Courier",
"Halvek Courier - Bridge closed", "Bridge closed | News | Halvek Courier". The extractor takes
the headline from a single ``<h1>`` or the page's metadata when it can, and otherwise splits the
``<title>`` at its first separator and keeps a part, which gives the site's name for "Site -
Headline" and cuts a headline holding a dash ("Why the bridge - and the tunnel - closed" became
"Why the bridge - and the tunnel"). Here a title that is a part of the ``<title>`` is taken back
whole, and only parts at its ends that name the site are dropped:

- a part names the site when, letters and digits only and case aside, it is the site's name (its
  ``og:site_name``) or its host name's (``www.halvek-courier.example``: "halvekcourier", or the
  host whole), or begins with the host's name and runs to three words at the end, two at the
  start ("BBC News" on bbc.co.uk); the ends are tried last part first, so in "CNN chief
  resigns | CNN" the first part is the headline;
- parts are cut at `` | `` and at a dash with spaces around it (``-``, ``–``, ``—``), and at
  ``·``, ``•``, ``»`` and ``::``; never at a colon, which headlines use;
- where ``|`` parts remain after that, the longest is the headline ("Bridge closed | News").

A headline is never dropped: a title that is all site is kept as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATOR = re.compile(r"\s+(?:\||[-–—·•»]|::)\s+")
_WORD = re.compile(r"\w+")
# The separators the extractor cuts a <title> at (trafilatura.metadata.HTMLTITLE_REGEX).
_CUT = re.compile(r"\s+[–•·—|⁄*⋆~‹«<›»>:-]\s+")
_CUT_END = re.compile(r"\s[–•·—|⁄*⋆~‹«<›»>:-]\s+\Z")


def headline(extracted: str | None, title_tag: str | None, site_names: Iterable[str | None],
             host: str | None) -> str | None:
    """The page's headline: ``extracted`` (the extractor's title) unless it is a part of
    ``title_tag``, then ``title_tag``; either without the parts that name the site."""
    # White space made single first: a separator's pattern tried at each space of a long run
    # would be quadratic (a feed title holding 20,000 spaces took 4 s).
    title_tag = " ".join(title_tag.split()) if title_tag else None
    title = " ".join(extracted.split()) if extracted else None
    if title_tag and (not title or _cut_from(title, title_tag)):
        title = title_tag
    if not title:
        return None
    names = {_norm(n) for n in site_names if isinstance(n, str)} - {""}
    label = _host_label(host) if host else ""
    if host:
        names |= {_norm(host), label} - {""}
    parts = _split(title)
    if len(parts) == 1 or not names:
        return title
    texts = [t for _, t in parts]
    start, end = 0, len(texts)
    while end - start > 1 and _names_site(texts[end - 1], names, label, last=True):
        end -= 1
    while end - start > 1 and _names_site(texts[start], names, label, last=False):
        start += 1
    kept = parts[start:end]
    if len(kept) > 1 and any(sep.strip() == "|" for sep, _ in kept[1:]):
        return max((t for _, t in kept), key=lambda t: len(_WORD.findall(t)))
    return "".join((sep if i else "") + t for i, (sep, t) in enumerate(kept))


def _cut_from(title: str, title_tag: str) -> bool:
    """Whether ``title`` is ``title_tag`` cut at a separator (the extractor cuts at the last one
    with a space on each side, and keeps either side)."""
    if title_tag.startswith(title):
        return bool(_CUT.match(title_tag, len(title)))
    if title_tag.endswith(title):
        return bool(_CUT_END.search(title_tag, 0, len(title_tag) - len(title)))
    return False


def _split(title: str) -> list[tuple[str, str]]:
    """``title`` cut at its separators: (the separator before each part, the part)."""
    out: list[tuple[str, str]] = []
    last, sep = 0, ""
    for m in _SEPARATOR.finditer(title):
        out.append((sep, title[last:m.start()]))
        last, sep = m.end(), m.group()
    out.append((sep, title[last:]))
    return [(s, t) for s, t in out if t.strip()] or [("", title)]


def _norm(text: str) -> str:
    return "".join(_WORD.findall(text.casefold())).replace("_", "")


def _host_label(host: str) -> str:
    """The host's name without ``www.`` and its suffix: ``news.bbc.co.uk`` → ``bbc``."""
    labels = host.casefold().removeprefix("www.").rstrip(".").split(".")
    # a two-letter country code after a short second-level label ("co.uk", "com.au") is one suffix
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return _norm(labels[-1]) if labels else ""


def _names_site(part: str, names: set[str], label: str, last: bool) -> bool:
    norm = _norm(part)
    if norm in names:
        return True
    return bool(label) and norm.startswith(label) and len(_WORD.findall(part)) <= (3 if last else 2)
