"""Attributions written as a noun of saying: "the police's earlier claim that X", "a report by
the Tribune that X", "a statement from the ministry that X".

A noun of saying (claim, report, allegation, denial, …) with a source, its possessor or the
object of its "by" / "from", and a "that" clause after it is an attribution: source, the noun as
the cue, the clause as the content. The parser often hangs such a clause as a relative clause
("the claim that wages had fallen": "that" read as the subject); it is a content clause when the
clause has a subject of its own besides "that", or when "that" is only its marker. "The report
that he wrote" (the clause's object is the report) is no content. A noun with no source ("the
allegation that X") names no one, so it gives nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Nouns that report what someone said, wrote or found (singular and plural forms).
SAYING_NOUNS = frozenset({
    "claim", "claims", "report", "reports", "allegation", "allegations", "assertion", "assertions", "denial",
    "denials", "statement", "statements", "suggestion", "suggestions", "accusation", "accusations", "charge",
    "charges", "contention", "insistence", "argument", "arguments", "warning", "warnings", "admission",
    "admissions", "announcement", "promise", "promises", "pledge", "prediction", "predictions", "finding",
    "findings", "conclusion", "conclusions", "complaint", "complaints", "acknowledgment", "acknowledgement",
    "confirmation", "story", "stories", "article", "analysis", "assessment",
})
# What one does to a report, so that "the report that he wrote" is a relative clause about it.
_DONE_TO_REPORTS = frozenset({
    "make", "made", "makes", "making", "write", "wrote", "written", "writes", "file", "filed", "publish",
    "published", "issue", "issued", "release", "released", "read", "cite", "cited", "see", "saw", "seen", "hear",
    "heard", "receive", "received", "repeat", "repeated", "deny", "denied", "dismiss", "dismissed", "reject",
    "rejected", "post", "posted", "share", "shared", "obtain", "obtained", "send", "sent", "give", "gave", "given",
    "tweet", "tweeted", "retweeted", "produce", "produced", "prepare", "prepared", "commission", "commissioned",
})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_MODIFIERS = frozenset({"amod", "compound", "advmod", "nummod", "nmod", "quantmod"})


@dataclass(slots=True, frozen=True)
class NominalAttribution:
    """Offsets into the parsed text; ``holder`` is the source's head token."""

    noun: Any
    holder: Any
    source: tuple[int, int]
    content: tuple[int, int]


def _span(tokens: list[Any]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _possessor(noun: Any) -> tuple[Any, tuple[int, int]] | None:
    """The possessor before ``noun`` ("Tulsa police's earlier claim"), also where the parser read the
    possessive "’s" as a verb: the words before the "'s" that stands right before the noun's modifiers."""
    doc = noun.doc
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        words = [t for t in poss.subtree if t.text not in _POSSESSIVE]
        return (poss, _span(words)) if words else None
    i = noun.i - 1
    while i >= 0 and doc[i].dep_ in _MODIFIERS and doc[i].head.i == noun.i and doc[i].text not in _POSSESSIVE:
        i -= 1
    if i < 1 or doc[i].text not in _POSSESSIVE:
        return None
    j = i - 1
    head = doc[j]
    # its name words: compounds, and capitalised words the parser took for adjectives ("Harlow police")
    while j - 1 >= 0 and doc[j - 1].head.i == head.i and (doc[j - 1].dep_ == "compound"
                                                          or doc[j - 1].dep_ == "amod" and doc[j - 1].text[:1].isupper()):
        j -= 1
    if not head.tag_.startswith("NN"):
        return None
    return head, _span(list(doc[j:head.i + 1]))


def _by_source(noun: Any) -> tuple[Any, tuple[int, int]] | None:
    """The object of "by" or "from" right after the noun ("a report by Politico")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.i > noun.i and c.text.lower() in ("by", "from"):
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                clauses = {t.i for k in obj.children if k.dep_ in ("relcl", "acl") for t in k.subtree}
                words = [t for t in obj.subtree if t.i not in clauses and t.i < min(clauses, default=len(obj.doc))]
                return obj, _span(words)
    return None


def _content_clause(noun: Any, after: Any) -> tuple[int, int] | None:
    """The "that" clause that follows the noun (or its source, ``after``, or the copula of "it was a
    report by X that …"): a clause whose first word is "that" and which has a subject of its own
    besides it, unless "that" is what is done to the report ("the report that he wrote")."""
    # "it was a report by Politico that he …": the parser hangs the clause on "was"
    heads = (noun, after, noun.head) if noun.dep_ == "attr" else (noun, after)
    for head in heads:
        for c in head.children:
            if c.dep_ not in ("acl", "relcl", "ccomp") or c.i < head.i:
                continue
            words = sorted(c.subtree, key=lambda t: t.i)
            first = words[0]
            if first.text.lower() != "that" or first.i <= after.i:
                continue
            subjects = [t for t in c.children if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.i != first.i]
            if not subjects:
                continue  # "the report that came out": "that" is the only subject
            if first.dep_ in ("dobj", "pobj") and first.head.i == c.i and c.text.lower() in _DONE_TO_REPORTS:
                continue  # "the report that he wrote"
            return _span(words)
    return None


def nominal_attributions(doc: Any) -> Iterator[NominalAttribution]:
    """Every noun of saying of ``doc`` with a source and a "that" clause."""
    for tok in doc:
        if tok.text.lower() not in SAYING_NOUNS or not tok.tag_.startswith("NN"):
            continue
        source = _possessor(tok) or _by_source(tok)
        if source is None:
            continue
        holder, span = source
        content = _content_clause(tok, holder if holder.i > tok.i else tok)
        if content is not None:
            yield NominalAttribution(tok, holder, span, content)
