"""An article's attributed statements, with offsets into its text, ready to store.

Consecutive passages are parsed in one call (so "he added" finds the speaker of the
paragraph before). Recycled passages are read too, not carried over from their first
occurrence: a copy may spell its speaker another way (Jonkuk for Jongkook Hwang), and its
statements must read the same whichever copy was stored first; each is linked to the
original statement it repeats, so the story groups them. Boilerplate says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..records import Article, Passage, PassageRef, Span
from ..text.passages import passage_keys, passage_similarity
from ..text.split import sentences as split_sentences
from ..text.temporal.dates import is_placeable, reference_date
from ..text.temporal.timex import tag
from .ports import StatementRef, StoredStatement

PassageStatements = Callable[[PassageRef], "list[StoredStatement] | None"]
Extractor = Callable[[str], Sequence]  # text -> attributions (storyline.statements.attribution.Attribution)


@dataclass(slots=True, frozen=True)
class Found:
    """One statement of an article, offsets into ``article.text``."""

    passage: int
    speaker_start: int | None
    speaker_end: int | None
    speaker_name: str | None
    role: str
    cue: str
    content_start: int
    content_end: int
    kind: str
    date: str | None
    origin: StatementRef | None = None


def _role(speaker: str | None, name: str | None) -> str:
    """The speaker phrase without the name: "Polish Foreign Minister Radoslaw Sikorski" →
    "Polish Foreign Minister"; a title standing for the name ("the Polish foreign minister") is
    the role itself; a pronoun has none."""
    if not speaker or speaker.lower() in _PRONOUNS:
        return ""
    if name and name in speaker:
        speaker = speaker.replace(name, " ")
    return " ".join(speaker.split()).strip(" ,")


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their"})


def _sentence_of(passage: Passage, within: int) -> Span:
    spans = passage.sentences or tuple(split_sentences(passage.text)) or (Span(0, len(passage.text)),)
    return next((s for s in spans if within < s.end), spans[-1])


def _date(text: str, sentence: Span, reference) -> str | None:
    """The first fixed date the statement's sentence names ("On October 17, X said …")."""
    for timex in tag(text[sentence.start:sentence.end], reference):
        if timex.type == "DATE" and is_placeable(timex.value):
            return timex.value
    return None


_PREDICATE = re.compile(r"\s*(?:was|is|were|are|has|have|had|will|would|could|can|may|might|remains?|seems?)\b"
                        r"[^.;:!?]*$", re.IGNORECASE)


def _clause_end(text: str, end: int, sentence_end: int) -> int:
    """Where the content's clause ends: a content that stops at its subject ("that the
    information about …") runs on through its predicate ("… was not true")."""
    tail = text[end:sentence_end]
    if _PREDICATE.match(tail.rstrip(" .!?\"”")) and len(tail.split()) <= 8:
        return end + len(tail.rstrip(" .!?\"”"))
    return end


def read_passages(article: Article, run: list[Passage], extract: Extractor) -> list[Found]:
    offset, end = run[0].start, run[-1].end
    reference = reference_date(article.published)
    found: list[Found] = []
    for a in extract(article.text[offset:end]):
        at = offset + a.content.start
        passage = next((p for p in run if at < p.end), run[-1])
        cue_at = offset + a.cue.start - passage.start
        sentence = _sentence_of(passage, max(0, min(cue_at, len(passage.text) - 1)))
        speaker = a.speaker
        content_end = _clause_end(article.text, offset + a.content.end, passage.start + sentence.end)
        found.append(Found(
            passage.index,
            offset + speaker.start if speaker else None, offset + speaker.end if speaker else None,
            a.speaker_name, _role(speaker.text if speaker else None, a.speaker_name), a.cue.text,
            at, content_end, a.kind,
            _date(passage.text, sentence, reference)))
    return found


def link_copies(found: list[Found], passage: Passage, originals: list[StoredStatement]) -> list[Found]:
    """Statements read in a recycled passage, each linked to the statement of its first occurrence
    it repeats (the most alike content, if alike at all), so copies group with their original."""
    if not originals:
        return found
    targets = [passage_keys(o.content) for o in originals]
    linked = []
    for f in found:
        keys = passage_keys(passage.text[f.content_start - passage.start:f.content_end - passage.start])
        scores = [passage_similarity(keys, t) for t in targets]
        best = max(range(len(scores)), key=scores.__getitem__)
        linked.append(replace(f, origin=originals[best].origin) if scores[best] >= LINK_SIMILARITY else f)
    return linked


# How alike a copy's statement must read to its original's to be linked to it.
LINK_SIMILARITY = 0.3


def read_article(article: Article, extract: Extractor) -> list[Found]:
    """Statements of ``article`` (its passages marked by reuse) in text order, not linked to any
    original yet: the expensive part (the parse), which touches no store. Every passage but
    boilerplate is read, in runs of consecutive passages (so a statement's text never depends
    on which copy was stored first)."""
    runs: list[list[Passage]] = [[]]
    for passage in article.passages:
        if passage.status == "boilerplate":
            runs.append([])
        else:
            runs[-1].append(passage)
    by_passage: dict[int, list[Found]] = {}
    for run in runs:
        if run:
            for f in read_passages(article, run, extract):
                by_passage.setdefault(f.passage, []).append(f)
    return [f for passage in article.passages for f in by_passage.get(passage.index, [])]


def link_article(article: Article, found: list[Found], first_seen: PassageStatements) -> list[Found]:
    """``found`` (from :func:`read_article`) with each statement of a recycled passage linked to
    the statement of the passage's first occurrence it repeats (``first_seen`` gives those)."""
    by_passage: dict[int, list[Found]] = {}
    for f in found:
        by_passage.setdefault(f.passage, []).append(f)
    out: list[Found] = []
    for passage in article.passages:
        mine = by_passage.get(passage.index, [])
        if mine and passage.status == "recycled" and passage.first_seen is not None:
            mine = link_copies(mine, passage, first_seen(passage.first_seen) or [])
        out.extend(mine)
    return out


def article_statements(article: Article, first_seen: PassageStatements, extract: Extractor) -> list[Found]:
    """:func:`read_article` then :func:`link_article`."""
    return link_article(article, read_article(article, extract), first_seen)
