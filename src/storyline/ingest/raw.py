"""From what a reader found (a :class:`RawArticle`) to a normalised, identified :class:`Article`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..records import Article, IngestWarning, Passage, Rejection, Skipped, SourceRef
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
    notes: tuple[str, ...] = ()  # what the reader left out of the record, warned about with the article


ReadItem = Article | Rejection | IngestWarning | Skipped
# What a reader yields before its articles are built.
RawItem = RawArticle | Rejection | Skipped


# A lone surrogate (JSON's "\\ud800", a file name that is not valid UTF-8) cannot be encoded,
# so SQLite, the terminal and every JSON writer would fail on it.
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 controls and DEL, which normalisation removes: counted so that the removal is reported.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many there were."""
    return _SURROGATES.subn("\ufffd", text)


def printable(text: str) -> str:
    """``text`` safe to print and store (a path read from a file system that is not UTF-8)."""
    return _SURROGATES.sub("\ufffd", text)


class _Cleaner:
    """Lone surrogates replaced and control characters counted, field by field, for one warning."""

    def __init__(self) -> None:
        self.surrogates: dict[str, int] = {}
        self.controls: dict[str, int] = {}

    def __call__(self, name: str, text: str) -> str:
        text, n = replace_surrogates(text)
        if n:
            self.surrogates[name] = self.surrogates.get(name, 0) + n
        controls = len(_CONTROLS.findall(text)) if _CONTROLS.search(text) else 0
        if controls:
            self.controls[name] = self.controls.get(name, 0) + controls
        return text

    def warnings(self, origin: SourceRef) -> Iterator[IngestWarning]:
        if self.surrogates:
            yield IngestWarning(origin, f"{sum(self.surrogates.values()):,} lone surrogate(s) (invalid Unicode) "
                                        f"replaced by U+FFFD in {', '.join(sorted(self.surrogates))}")
        if self.controls:
            yield IngestWarning(origin, f"{sum(self.controls.values()):,} control character(s) removed "
                                        f"from {', '.join(sorted(self.controls))}")


def _clean_field(value: object, clean: _Cleaner, name: str) -> str | None:
    if value is None:
        return None
    text = normalise_text(clean(name, str(value))).replace("\n", " ")
    return text or None


def build_article(raw: RawArticle, settings: IngestSettings) -> Iterator[ReadItem]:
    """Normalise and split one raw article; yields warnings, then the Article or a Rejection."""
    raw_chars = sum(len(b) for b in raw.blocks) if raw.blocks is not None else len(raw.text or "")
    if raw_chars > settings.max_article_chars:
        # Checked before normalising: repairing mis-decoded text costs seconds a megabyte.
        yield Rejection(raw.origin, f"article is {raw_chars:,} characters, over the limit of "
                                    f"{settings.max_article_chars:,} (settings: ingest.max_article_chars)")
        return
    clean = _Cleaner()
    if raw.blocks is not None:
        paras = [p for block in raw.blocks for p in paragraphs(normalise_text(clean("text", block)))]
    else:
        paras = paragraphs(normalise_text(clean("text", raw.text or "")))
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

    article_id = _clean_field(raw.id, clean, "id")
    if article_id is not None and len(article_id) > _MAX_ID_CHARS:
        yield Rejection(raw.origin, f"id is {len(article_id):,} characters long (at most {_MAX_ID_CHARS})")
        return
    url = _clean_field(raw.url, clean, "url")
    article = Article(
        id=article_id or stable_id(text, url),
        text=text,
        passages=passages,
        title=_clean_field(raw.title, clean, "title"),
        source=_clean_field(raw.source, clean, "source"),
        url=url,
        published=published,
        content_hash=content_hash(text),
        origin=raw.origin,
        metadata={clean("metadata", str(k)): clean("metadata", v)
                  for k, v in raw.metadata.items() if v not in (None, "")},
    )
    for note in raw.notes:
        yield IngestWarning(raw.origin, note)
    yield from clean.warnings(raw.origin)
    yield article
