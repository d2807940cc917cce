"""From what a reader found (a :class:`RawArticle`) to a normalised, identified :class:`Article`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..records import Article, IngestWarning, Passage, Rejection, SourceRef
from ..settings import IngestSettings
from ..text import content_hash, normalise_text, paragraphs, sentences, stable_id
from .dates import DateParseError, parse_published

PARAGRAPH_SEPARATOR = "\n\n"
_MAX_ID_CHARS = 512


@dataclass(slots=True)
class RawArticle:
    """An article as a reader found it, before normalisation.

    Either ``text`` (paragraphs separated by blank lines) or ``blocks`` (paragraphs
    already separated, as HTML gives them) carries the body.
    """

    origin: SourceRef
    text: str | None = None
    blocks: list[str] | None = None
    id: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: object = None
    metadata: dict[str, str] = field(default_factory=dict)


ReadItem = Article | Rejection | IngestWarning


def _clean_field(value: object) -> str | None:
    if value is None:
        return None
    text = normalise_text(str(value)).replace("\n", " ")
    return text or None


def build_article(raw: RawArticle, settings: IngestSettings) -> Iterator[ReadItem]:
    """Normalise and split one raw article; yields warnings, then the Article or a Rejection."""
    if raw.blocks is not None:
        paras = [p for block in raw.blocks for p in paragraphs(normalise_text(block))]
    else:
        paras = paragraphs(normalise_text(raw.text or ""))
    if not paras:
        yield Rejection(raw.origin, "no article text (the body is empty)")
        return
    text = PARAGRAPH_SEPARATOR.join(paras)
    if len(text) > settings.max_article_chars:
        yield Rejection(
            raw.origin,
            f"article is {len(text):,} characters, over the limit of {settings.max_article_chars:,}"
            " (settings: ingest.max_article_chars)",
        )
        return

    passages: list[Passage] = []
    offset = 0
    for index, para in enumerate(paras):
        passages.append(Passage(index=index, start=offset, end=offset + len(para), text=para,
                                sentences=tuple(sentences(para))))
        offset += len(para) + len(PARAGRAPH_SEPARATOR)

    published: str | None = None
    try:
        published = parse_published(raw.published)
    except DateParseError as exc:
        yield IngestWarning(raw.origin, f"{exc}; article kept without a publication date")

    article_id = _clean_field(raw.id)
    if article_id is not None and len(article_id) > _MAX_ID_CHARS:
        yield Rejection(raw.origin, f"id is {len(article_id):,} characters long (at most {_MAX_ID_CHARS})")
        return
    yield Article(
        id=article_id or stable_id(text),
        text=text,
        passages=passages,
        title=_clean_field(raw.title),
        source=_clean_field(raw.source),
        url=_clean_field(raw.url),
        published=published,
        content_hash=content_hash(text),
        origin=raw.origin,
        metadata={k: v for k, v in raw.metadata.items() if v not in (None, "")},
    )
