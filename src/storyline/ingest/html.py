"""HTML: whole pages (main text by trafilatura, boilerplate dropped) and fragments (feed entries)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from ..errors import InputError
from ..records import SourceRef
from ..settings import IngestSettings
from .page_title import headline
from .raw import RawArticle

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "section", "article", "header", "footer", "table", "tr", "pre", "figure",
               "figcaption", "dd", "dt", "hr", "aside"}
_DROP_TAGS = {"script", "style", "noscript", "iframe", "template", "svg", "object", "embed"}


def fragment_to_blocks(fragment: str) -> list[str]:
    """Paragraph texts of an HTML fragment (a feed entry's content); plain text passes through."""
    if "<" not in fragment:
        return [fragment]
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return [fragment]
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return [root.text_content()]


# A start tag up to its end or to the next "<" (so a tag never closed costs no rescanning), and
# the attributes inside one: each match starts where the last ended, so both scans are linear.
_START_TAG = re.compile(r"<[a-zA-Z][^<>]*")
_ATTRIBUTE = re.compile(r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]*))?""")


def check_html_limits(html: str, location: str, settings: IngestSettings) -> None:
    """Refuse a page with too many tags, or a tag with too many attributes, before any parser
    sees it: the HTML parser checks each attribute against every other of its tag (200,000
    attributes took longer than ten minutes), and the extractor walks every element."""
    for elements, tag in enumerate(_START_TAG.finditer(html), start=1):
        if elements > settings.max_html_elements:
            raise InputError(location, f"HTML page has over {settings.max_html_elements:,} tags "
                                       "(settings: ingest.max_html_elements)")
        if tag.end() - tag.start() > 2 * settings.max_html_attributes:  # too short to hold that many
            count = sum(1 for _ in _ATTRIBUTE.finditer(html, tag.start(), tag.end()))
            if count > settings.max_html_attributes:
                line = html.count("\n", 0, tag.start()) + 1
                raise InputError(location, f"HTML tag with {count:,} attributes, over the limit of "
                                           f"{settings.max_html_attributes:,} (settings: ingest.max_html_attributes)",
                                 line=line)


def _depth(root: lxml.html.HtmlElement) -> int:
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def read_html_page(html: str, origin: SourceRef, url: str | None, article_id: str | None,
                   min_words: int, max_depth: int | None = None) -> Iterator[RawArticle]:
    """The main text of a news page, with its title, date and site name; boilerplate dropped.
    A page whose elements nest deeper than ``max_depth`` is refused before extraction."""
    import trafilatura  # imported here: it loads large tables at import and only HTML needs it
    from trafilatura.settings import Document

    try:
        tree: lxml.html.HtmlElement | None = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        tree = None  # nothing to parse: the extractor says so below
    if max_depth is not None and tree is not None:
        depth = _depth(tree)
        if depth > max_depth:
            raise InputError(origin.location, f"HTML elements nest {depth} levels deep, over the limit of "
                                              f"{max_depth} (settings: ingest.max_html_depth)")

    with warnings.catch_warnings():
        # trafilatura tests lxml elements for truth internally; the warning is theirs, not ours.
        warnings.simplefilter("ignore", FutureWarning)
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_precision=True,
        )
    # A Document, or None when nothing was extracted (a dict only with as_dict=True).
    text = document.text if isinstance(document, Document) else None
    if not isinstance(document, Document) or not text or not text.strip():
        raise InputError(origin.location, "no article text found in the HTML page "
                                          "(only navigation or boilerplate)")
    title_tag = tree.find(".//title") if tree is not None else None
    title = headline(document.title, title_tag.text_content() if title_tag is not None else None,
                     [document.sitename], document.hostname or (urlsplit(url).hostname if url else None))
    lines = [line for line in text.split("\n") if line.strip()]
    # trafilatura keeps the page's <h1> as the first line; it is the title, not a paragraph.
    if lines and lines[0].strip() in (title and title.strip(), document.title and document.title.strip()):
        lines = lines[1:]
    if not any(len(line.split()) >= min_words for line in lines):
        raise InputError(origin.location, f"no article text found in the HTML page (no paragraph of "
                                          f"{min_words} or more words; only navigation or a headline)")
    yield RawArticle(
        origin=origin,
        blocks=lines,
        id=article_id,
        title=title,
        source=document.sitename or document.hostname,
        url=document.url or url,
        published=document.date,
    )
