"""Read TimeML (``.tml``) documents: the plain text of ``<TEXT>``, its ``<DCT>`` and gold TIMEX3s.

Offsets are character offsets into the text with every tag removed, which is what the
tagger sees; the DCT's own TIMEX3 sits outside ``<TEXT>`` and is the reference date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from ..errors import InputError
from ..text.temporal.timex import Timex  # a gold TIMEX3 is the record the tagger produces


@dataclass(slots=True, frozen=True)
class TimeMLDocument:
    name: str
    text: str
    dct: dt.date
    timexes: tuple[Timex, ...]


def _dct(root: Element, path: Path) -> dt.date:
    node = root.find("DCT/TIMEX3")
    value = node.get("value", "") if node is not None else ""
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(str(path), f"no usable <DCT> date (found {value!r})") from None


def read_timeml(path: str | Path) -> TimeMLDocument:
    """One TimeML file; a file without ``<TEXT>`` or a DCT date is an :class:`InputError`."""
    path = Path(path)
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(str(path), f"not well-formed TimeML: {exc}", line=line) from None
    body = root.find("TEXT")
    if body is None:
        raise InputError(str(path), "no <TEXT> element")
    parts: list[str] = []
    timexes: list[Timex] = []
    size = 0

    def walk(node: Element) -> None:
        nonlocal size
        start = size
        if node.text:
            parts.append(node.text)
            size += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)
        if node.tag == "TIMEX3":
            text = "".join(parts)[start:size]
            timexes.append(Timex(start, size, text, node.get("type", ""), node.get("value", ""),
                                     node.get("mod")))

    walk(body)
    return TimeMLDocument(path.stem, "".join(parts), _dct(root, path),
                          tuple(sorted(timexes, key=lambda t: t.start)))


def read_timeml_dir(path: str | Path) -> list[TimeMLDocument]:
    """Every ``.tml`` file under ``path`` (recursively), in name order."""
    root = Path(path)
    if root.is_file():
        return [read_timeml(root)]
    files = sorted(root.rglob("*.tml"))
    if not files:
        raise InputError(str(root), "no .tml files here (expected TimeML, e.g. ../shared/data/tempeval3/TBAQ-cleaned)")
    return [read_timeml(f) for f in files]
