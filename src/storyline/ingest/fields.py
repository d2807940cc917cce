"""Which column or key of a record holds which article field, and the ``--map`` syntax."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import InputError

FIELDS = ("id", "text", "title", "published", "source", "url")

# Recognised without any --map, compared case-insensitively, first hit wins. The UCI
# news CSV (ID, TITLE, URL, PUBLISHER, ..., TIMESTAMP) reads as is.
DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "guid", "uid", "doc_id"),
    "text": ("text", "body", "content", "article", "maintext", "description"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "pubdate", "publish_date", "timestamp",
                  "datetime", "time", "created_at"),
    "source": ("source", "publisher", "outlet", "sitename", "site", "hostname"),
    "url": ("url", "link", "href"),
}


def parse_map(spec: str | Iterable[str] | None) -> dict[str, str]:
    """``"title=TITLE,published=TIMESTAMP"`` → ``{"title": "TITLE", "published": "TIMESTAMP"}``."""
    if spec is None:
        return {}
    parts = [spec] if isinstance(spec, str) else list(spec)
    mapping: dict[str, str] = {}
    for part in (p.strip() for chunk in parts for p in chunk.split(",")):
        if not part:
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip().lower(), column.strip()
        if field == "body":
            field = "text"
        if not sep or not column:
            raise ValueError(f"--map entry {part!r} must look like field=COLUMN")
        if field not in FIELDS:
            raise ValueError(f"--map: unknown field {field!r}; fields are {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


@dataclass(slots=True, frozen=True)
class FieldResolver:
    """Resolves article fields to the keys of one file's records (CSV header or JSON keys)."""

    mapping: Mapping[str, str]

    def resolve(self, keys: Iterable[str], location: str, strict: bool) -> dict[str, str]:
        """Field → key for these keys. ``strict``: a mapped key that is missing is an error."""
        by_lower: dict[str, str] = {}
        for key in keys:
            by_lower.setdefault(key.strip().lower(), key)
        resolved: dict[str, str] = {}
        for field, wanted in self.mapping.items():
            found = by_lower.get(wanted.strip().lower())
            if found is not None:
                resolved[field] = found
            elif strict:
                raise InputError(location, f"--map {field}={wanted}: no column {wanted!r} "
                                           f"(columns: {', '.join(by_lower.values())})")
        for field in FIELDS:
            if field in self.mapping:
                continue
            taken = set(resolved.values())
            for alias in DEFAULT_ALIASES[field]:
                found = by_lower.get(alias)
                if found is not None and found not in taken:
                    resolved[field] = found
                    break
        return resolved
