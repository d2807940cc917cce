"""The texts of files as ingest reads them, for the commands that read files without a store
(``storyline timex``, ``storyline statements``).

A plain-text file is its own text, as it is on disk (offsets count from its first character;
a seed-format date prefix gives the reference date). Any other format ingest reads (an HTML
page, a feed, JSONL, CSV) is read by ingest itself, so a page's navigation, styles and scripts
are dropped as they are when it is stored: each article it holds is a text of its own, the
article's text as stored (paragraphs joined by a blank line), with its id and publication date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .ingest import Input, ReadOptions, expand, read_input, sniff
from .ingest.decode import read_text_file
from .records import Article, Rejection
from .settings import IngestSettings


@dataclass(slots=True, frozen=True)
class FileText:
    """One text to read: a plain file's own text, or one article of a file in another format."""

    path: str
    text: str
    article_id: str | None = None  # None: the file's own text (a plain-text file)
    published: str | None = None  # the article's publication value (ISO), when it has one


def file_texts(path: str | Path, settings: IngestSettings | None = None,
               options: ReadOptions | None = None) -> list[FileText]:
    """The texts of one file (see the module). Raises :class:`InputError` naming the file (and
    the line or record) when it holds no article, with the reader's reason."""
    settings = settings or IngestSettings()
    options = options or ReadOptions()
    location = str(path)
    items = [i for i in expand([path]) if isinstance(i, (Input, Rejection))]
    inputs = [i for i in items if isinstance(i, Input)]
    if len(inputs) != 1:
        reason = next((i.reason for i in items if isinstance(i, Rejection)), "not a single file")
        raise InputError(location, reason)
    item = inputs[0]
    if _plain(item, options):
        return [FileText(location, read_text_file(item.location, settings.encoding))]
    texts: list[FileText] = []
    rejected: list[Rejection] = []
    for read in read_input(item, settings, options):
        if isinstance(read, Article):
            texts.append(FileText(location, read.text, read.id, read.published))
        elif isinstance(read, Rejection):
            rejected.append(read)
    if not texts:
        if rejected:  # where (the line or record) and why
            raise InputError(str(rejected[0].origin), f"no article in it: {rejected[0].reason}")
        raise InputError(location, "no article in it")
    return texts


def _plain(item: Input, options: ReadOptions) -> bool:
    if options.format is not None:
        return options.format == "text"
    hint = item.format_hint
    if hint is not None:
        return hint == "text"
    with open(item.location, "rb") as handle:
        return sniff(handle.read(4096)) == "text"
