"""A story's statements from its articles' stored ones: one record per claim, and the conflicts.

Speakers are merged first (:mod:`storyline.statements.speakers`). Two stored statements are
one claim when they share an origin (a recycled passage carries its first occurrence's
statements) or when the same speaker says content that reads alike
(:func:`~storyline.text.passages.passage_similarity` at least ``same_claim``: the same
report reworded). A claim's text is its earliest report's (by publication date, then
article id), its date the one its sentence names, else that article's day; claims are
ordered by date, so undated statements sit at their article's date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..records import Contradiction, Statement
from ..text.groups import DisjointSets
from ..text.hashing import content_hash
from ..text.temporal.dates import order_key
from .claims import (absences, accused, accuses, explained, figures, finds, is_call, key_terms, named_reports, points_back,
                     predications, pronoun_subject, stance, takes_back, topic_terms)
from .conflicts import UNATTRIBUTED, Claim, find_conflicts
from .gender import given_names, title_gender
from .ports import StatementRef, StoredStatement
from .speakers import SpeakerMention, cluster_speakers, person_name

UNKNOWN_SPEAKER = UNATTRIBUTED
# Content that only points back at what was said before ("Sibiga said this on X").
_ANAPHORIC = re.compile(r"(?i)this|that|so|it|these|those|as much")
_RELAY_CUES = frozenset({"according to", "citing", "quoting", "reports", "reported", "writes", "wrote"})
_PRONOUNS = frozenset({"i", "me", "we", "us", "he", "him", "she", "her", "they", "them", "it", "you"})


_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*[\w]")
_NOT_NAMES = frozenset({"the", "a", "an", "of", "and", "report", "mr", "mrs", "ms", "dr", "president", "campaign"})


def _words_in(text: str) -> tuple[str, ...]:
    """The capitalised words of ``text`` in order, lower case, possessives dropped ("Clinton’s" → "clinton")."""
    return tuple(re.sub(r"['’]s$", "", w).lower() for w in _CAPITALISED.findall(text))


def _name_words(names: list[str]) -> frozenset[str]:
    """The words by which a speaker is named: "The AP" → {"ap"}, "Ben Carson" → {"ben", "carson"}."""
    return frozenset(w for name in names for w in _words_in(name) if len(w) > 1 and w not in _NOT_NAMES)


def _speaker_gender(names: list[str]) -> str | None:
    """A speaker's gender where their names tell it: a title ("Mrs. Clinton") or a given name
    ("Hillary Clinton"), all agreeing; None for a group, an outlet, a surname alone."""
    votes = set()
    for name in names:
        words = name.replace(".", " ").split()
        if len(words) >= 2 and (g := title_gender(words[0]) or given_names().get(words[0].lower())):
            votes.add(g)
    return votes.pop() if len(votes) == 1 else None


def _reading_order(s: StoredStatement) -> tuple[bool, str, str, int]:
    return s.published is None, s.published or "", s.article_id, s.n


def _when(s: StoredStatement) -> str | None:
    return s.date or (s.published[:10] if s.published else None)


# A speaker phrase headed by one of these names a group ("The Clinton campaign", "the Trump
# administration"), whom the person's name only qualifies: its claims are the group's.
_GROUP_HEADS = frozenset({"campaign", "administration", "team", "office", "camp", "government", "family"})


def _speaker_name(s: StoredStatement) -> str:
    words = (s.speaker or "").split()
    qualifier = words[1:-1] if words and words[0].lower() == "the" else words[:-1]
    if len(words) >= 2 and words[-1] in _GROUP_HEADS and qualifier and all(w[:1].isupper() for w in qualifier):
        return " ".join(words)  # not "Brian Fallon, a spokesman for the Clinton campaign": his
    name = person_name(s.speaker_name or s.speaker or UNKNOWN_SPEAKER)
    # "US" in capitals is the country, not "us": a pronoun is written in lower case or opens a sentence.
    return UNKNOWN_SPEAKER if name.lower() in _PRONOUNS and not (len(name) > 1 and name.isupper()) else name


def _relays(outer: StoredStatement, inner: StoredStatement) -> bool:
    """Whether ``outer`` only passes ``inner`` on ("According to Censor.NET, citing Ukrinform,
    this was stated by Sikorski"; "Sibiga said this on X, Censor.NET reports"): the claim is the
    inner speaker's, and the outlets that relayed it are where it was read, not claims of theirs."""
    return (outer.passage == inner.passage and " ".join(outer.cue.lower().split()) in _RELAY_CUES
            and inner.cue in outer.content)


def _nested_to_drop(items: list[StoredStatement], names: list[str]) -> set[int]:
    """Statements inside another's content: "X has not yet confirmed that Y" holds no claim of a
    confirmation, so the inner one goes; "it was reported that Rutte confirmed Y" is Rutte's
    claim, so the unattributed outer one goes. Content of fewer than three words that does not
    point back ("Sibiga said this") says nothing on its own and goes too."""
    drop: set[int] = set()
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(items):
        by_article[s.article_id].append(i)
        if len(s.content.split()) < 3 and not _ANAPHORIC.fullmatch(s.content.strip(" .,\"“”")) \
                and not points_back(s.content):  # "rejected the allegation" answers what was said before
            drop.add(i)
    for members in by_article.values():
        for i in members:
            for o in members:
                inner, outer = items[i], items[o]
                if i == o or inner.content == outer.content or inner.content not in outer.content:
                    continue
                cue = inner.cue.split()[-1] if inner.cue.split() else ""
                if cue and re.search(rf"\b(?:not|n't|never|yet\s+to)\s+(?:\w+\s+){{0,2}}{re.escape(cue)}\b",
                                     outer.content, re.IGNORECASE):
                    drop.add(i)
                elif names[o] == UNKNOWN_SPEAKER:
                    drop.add(o)
                elif names[o] == names[i] and inner.passage == outer.passage:
                    drop.add(i)  # a part of the speaker's own claim ("…, which, according to him, …")
                elif _relays(outer, inner) and names[i] != UNKNOWN_SPEAKER:
                    drop.add(o)
    # Copies carry their original's statements: what goes for the original goes for them.
    origins = {items[i].origin for i in drop}
    return {i for i, s in enumerate(items) if s.origin in origins}


def story_statements(stored: Iterable[StoredStatement], same_claim: float) -> tuple[list[Statement],
                                                                                  list[Contradiction]]:
    """The story's claims, ordered by date, and the pairs of them that conflict."""
    items = sorted(stored, key=_reading_order)
    names = [_speaker_name(s) for s in items]
    speakers = cluster_speakers([SpeakerMention(name, s.role, _reading_order(s)) for name, s in zip(names, items)])
    speaker_of: dict[int, int] = {i: k for k, sp in enumerate(speakers) for i in sp.mentions}

    sets = DisjointSets(len(items))

    by_origin: dict[StatementRef, int] = {}
    by_speaker: dict[int, list[int]] = defaultdict(list)
    last_of: dict[tuple[str, int], int] = {}  # (article, speaker) -> their latest statement so far
    dropped = _nested_to_drop(items, names)
    for i, s in enumerate(items):
        if i in dropped:
            continue
        sets.union(i, by_origin.setdefault(s.origin, i))
        key = (s.article_id, speaker_of[i])
        if _ANAPHORIC.fullmatch(s.content.strip(" .,\"“”")):
            # "Sibiga said this": the claim is the speaker's previous one, said again.
            if key in last_of:
                sets.union(last_of[key], i)
            else:
                dropped.add(i)
            continue
        last_of[key] = i
        by_speaker[speaker_of[i]].append(i)
    for members in by_speaker.values():
        sets.join_alike(members, [items[i].content for i in members], same_claim)

    groups = sets.groups([i for i in range(len(items)) if i not in dropped])
    statements: list[tuple[tuple, Statement, Claim]] = []
    for root, members in groups.items():
        first = items[root]
        speaker = speakers[speaker_of[root]]
        date = _when(first)
        article_ids = list(dict.fromkeys(items[i].article_id for i in members))
        statement = Statement("st" + content_hash(f"{first.article_id}\x1f{first.n}")[:12],
                              speaker.name if speaker.name != UNKNOWN_SPEAKER else UNKNOWN_SPEAKER,
                              " ".join(first.content.split()), date, list(speaker.aliases), article_ids)
        order = ((0, order_key(date)) if date else (1,), _reading_order(first))
        claim = Claim(statement.id, statement.speaker, statement.text, stance(first.cue, first.content),
                      topic_terms(first.content), tuple(figures(first.content)), order, key_terms(first.content),
                      call=is_call(first.cue), points_back=points_back(first.content),
                      takes_back=takes_back(first.content),
                      names=_name_words([speaker.name, *speaker.aliases]) if speaker.name != UNKNOWN_SPEAKER
                      else frozenset(), named_reports=named_reports(first.content),
                      where=(first.article_id, first.n), absent=absences(first.content),
                      referred=absences(first.content, referring=True), found=finds(first.content),
                      reports=tuple((items[i].article_id, items[i].n) for i in sorted(members)),
                      accuses=accuses(first.cue), charged=accused(first.cue, first.content),
                      explains=explained(first.content), predications=predications(first.content),
                      subject=pronoun_subject(first.content),
                      gender=_speaker_gender([speaker.name, *speaker.aliases])
                      if speaker.name != UNKNOWN_SPEAKER else None)
        statements.append((order, statement, claim))
    statements.sort(key=lambda t: t[0])
    return [s for _, s, _ in statements], find_conflicts([c for _, _, c in statements])
