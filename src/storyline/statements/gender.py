"""Which people of a text "he" or "she" can stand for.

A person's gender is read from the text itself, never guessed from outside it: a courtesy title
right before the name ("Mrs. Clinton", "Mr. Comey"), a gendered role word ("spokeswoman Hope
Hicks"), or a common given name (``given_names.txt``, a small list bundled with storyline; a name
given to both is not in it). A surname mentioned alone takes the gender of the full names in the
text that end with it, when they agree. Evidence that disagrees tells nothing, and a person the
text tells nothing about fits either pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

Gender = str  # "f" | "m"

NAMES_FILE = Path(__file__).with_name("given_names.txt")

# Words right before a name that say its gender ("Mrs. Clinton", "Congresswoman Maxine Waters").
_TITLE_GENDER = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "dame": "f", "lady": "f", "queen": "f",
    "princess": "f", "congresswoman": "f", "spokeswoman": "f", "chairwoman": "f", "businesswoman": "f",
    "congressman": "m", "spokesman": "m", "chairman": "m", "businessman": "m",
}
_PRONOUN_GENDER = {"she": "f", "her": "f", "hers": "f", "herself": "f",
                   "he": "m", "him": "m", "his": "m", "himself": "m"}
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


@cache
def given_names(path: Path = NAMES_FILE) -> dict[str, Gender]:
    """Given name (lower case) → gender, from the bundled list; a name listed under both is left out."""
    seen: dict[str, set[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        tag, sep, names = line.partition(":")
        if not sep or tag not in ("f", "m"):
            raise ValueError(f"{path}:{number}: expected 'f: names…' or 'm: names…', got {line[:40]!r}")
        for name in names.split():
            seen.setdefault(name, set()).add(tag)
    return {name: next(iter(tags)) for name, tags in seen.items() if len(tags) == 1}


def pronoun_gender(pronoun: str) -> Gender | None:
    """"she" → "f", "him" → "m"; None for any other word."""
    return _PRONOUN_GENDER.get(pronoun.lower())


def title_gender(word: str) -> Gender | None:
    """The gender a word before a name gives it: "Mrs." → "f", "Mr" → "m"."""
    return _TITLE_GENDER.get(word.lower().rstrip("."))


def _agreed(votes: Iterable[Gender]) -> Gender | None:
    kinds = set(votes)
    return next(iter(kinds)) if len(kinds) == 1 else None


@dataclass(slots=True)
class Genders:
    """The genders a text gives the people it names; built by :meth:`from_mentions`."""

    by_name: dict[str, Gender | None] = field(default_factory=dict)  # every name mentioned; None: no telling
    names: dict[str, Gender] = field(default_factory=dict)  # given names, for names the text left ungendered

    @classmethod
    def from_mentions(cls, mentions: Iterable[tuple[str, str]], names: dict[str, Gender] | None = None) -> Genders:
        """``mentions``: each person mention as (name, the word written right before it)."""
        names = given_names() if names is None else names
        votes: dict[str, list[Gender]] = {}
        for name, before in mentions:
            words = _WORD.findall(name)
            if not words:
                continue
            mine = votes.setdefault(name, [])
            if (g := title_gender(before)) is not None:
                mine.append(g)
            if len(words) >= 2 and (g := names.get(words[0].lower())) is not None:
                mine.append(g)
        by_name = {name: _agreed(vs) for name, vs in votes.items()}
        # "Clinton" alone: its own titles, and the full names ending with it when the text genders
        # them all ("Hillary Clinton" alone makes "Clinton" hers; with "Bill Clinton" too, no one's).
        for name, own in votes.items():
            words = _WORD.findall(name)
            if len(words) != 1:
                continue
            told = [by_name.get(n) for n in votes if n != name and _WORD.findall(n)[-1:] == words]
            evidence = own + ([g for g in told if g is not None] if told and None not in told else [])
            by_name[name] = _agreed(evidence)
        return cls(by_name, names)

    def of(self, name: str) -> Gender | None:
        """The gender the text gives ``name``; for a full name it never mentioned as such, its given name's."""
        if name in self.by_name:
            return self.by_name[name]
        words = _WORD.findall(name)
        return self.names.get(words[0].lower()) if len(words) > 1 else None

    def fits(self, pronoun: str, name: str) -> bool:
        """Whether ``pronoun`` can stand for ``name``: it has no gender, or the text gives the name none, or the same."""
        want = pronoun_gender(pronoun)
        have = self.of(name)
        return want is None or have is None or want == have
