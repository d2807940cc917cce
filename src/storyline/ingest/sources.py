"""What the user named (files, folders, globs, URLs, ``-``) → the inputs to read, and their format."""

from __future__ import annotations

import codecs
import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..records import Rejection, Skipped, SourceRef
from .compressed import inner_suffix
from .decode import bom_encoding
from .fetch import is_url
from .raw import printable

Format = Literal["text", "jsonl", "csv", "tsv", "feed", "html"]
FORMATS: tuple[str, ...] = ("text", "jsonl", "csv", "tsv", "feed", "html")

EXTENSIONS: dict[str, Format] = {
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}

STDIN = "-"
# Column files for the batch job (storyline batch reads them with Spark); ingest names the command.
PARQUET = ".parquet"
PARQUET_MAGIC = b"PAR1"
# What Spark and Hadoop leave beside the files of a dataset folder; not inputs, not worth a word.
_MARKERS = ("_SUCCESS", "_committed_", "_started_")


@dataclass(slots=True, frozen=True)
class Input:
    """One thing to read: a local file, a URL, or standard input."""

    kind: Literal["file", "url", "stdin"]
    location: str

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def name(self) -> str:
        """The location as reports show it: a file name that is not valid UTF-8 gets U+FFFD for
        its undecodable bytes (the location itself still opens the file)."""
        return printable(self.location)

    @property
    def is_parquet(self) -> bool:
        return self.kind == "file" and self.path.suffix.lower() == PARQUET

    @property
    def format_hint(self) -> Format | None:
        """The format its name implies, if any (URLs and stdin are sniffed instead): "x.jsonl.gz"
        is JSONL (see ``ingest.compressed``)."""
        if self.kind != "file":
            return None
        return EXTENSIONS.get(inner_suffix(self.path))


def expand(specs: Iterable[str | Path]) -> Iterator[Input | Rejection | Skipped]:
    """Files, folders (recursively, known extensions only), globs, URLs and ``-``, in a stable order."""
    for spec in specs:
        text = str(spec)
        if text == STDIN:
            yield Input("stdin", "<stdin>")
        elif is_url(text):
            yield Input("url", text)
        elif Path(text).is_dir():
            yield from _walk(Path(text))
        elif Path(text).is_file():
            yield Input("file", text)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Rejection(SourceRef(printable(text)), "no files match this pattern")
            for match in matches:
                if Path(match).is_file():
                    yield Input("file", match)
                elif Path(match).is_dir():
                    yield from _walk(Path(match))
        elif Path(text).exists():
            yield Rejection(SourceRef(printable(text)), "not a regular file (device, socket or pipe?)")
        else:
            yield Rejection(SourceRef(printable(text)), "no such file or directory")


def _walk(folder: Path) -> Iterator[Input | Skipped | Rejection]:
    found = False
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts) or path.name.startswith(_MARKERS):
            continue
        found = True
        if inner_suffix(path) in EXTENSIONS or path.suffix.lower() == PARQUET:
            yield Input("file", str(path))
        else:
            yield Skipped(SourceRef(printable(str(path))), f"{path.suffix or 'no extension'}: not an article format "
                                                           "(name the file itself to read it as text)")
    if not found:  # a folder named by mistake (or still empty) is worth a word, not a silent success
        yield Rejection(SourceRef(printable(str(folder))), "empty folder: no files to read")


def sniff(head: bytes) -> Format:
    """Guess the format from the first bytes, for URLs, stdin and unknown extensions."""
    encoding = bom_encoding(head)
    if encoding is not None and encoding != "utf-8-sig":  # UTF-16/32: look at the characters
        head = head[:4096].decode(encoding, errors="ignore").encode("utf-8")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:4096].lower()
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if start.startswith(b"<"):
        if any(tag in start for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if start.startswith(b"<?xml") and b"<html" not in start:
            return "feed"
        return "html"
    return "text"
