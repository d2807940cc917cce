"""Ways of saying the verb rules read short: having no evidence, a verdict with its reason, and a
content the parser broke off.

* "Investigators have no evidence to suggest that X" (also "see no evidence", "had no proof
  that"): the subject says there is no evidence; what was said is the whole absence ("no evidence
  to suggest that X"), and the "suggest" inside it speaks for no one of its own.
* "PolitiFact deemed those statements false because X": a verdict's reason is the judge's, part
  of what was said.
* "critics point to Saudi charities that fund …": where the parser could not attach the words
  right after the content (an unlabelled ``dep`` of the cue), they continue it.
"""

from __future__ import annotations

from typing import Any

_HAVE = frozenset({"have", "has", "had", "having", "see", "sees", "saw", "seen", "seeing"})
EVIDENCE = frozenset({"evidence", "proof", "indication", "indications", "sign", "signs"})
_ASIDE = frozenset({"-", "--", "—", "–", ";"})


def _negated_evidence(verb: Any) -> Any | None:
    """The evidence noun of "have no evidence" / "do not have any evidence" / "see no sign", else None."""
    if verb.text.lower() not in _HAVE:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.text.lower() in EVIDENCE), None)
    if obj is None:
        return None
    negated = any(c.dep_ == "det" and c.text.lower() == "no" for c in obj.children) or (
        any(c.dep_ == "neg" for c in verb.children) and any(c.text.lower() == "any" for c in obj.children))
    # what the evidence would show: "to suggest that X", "that X", "of X"
    shows = any(c.i > obj.i and (c.dep_ in ("acl", "relcl", "ccomp") or c.dep_ == "prep" and c.text.lower() == "of")
                for c in obj.children)
    return obj if negated and shows else None


def absence_of_evidence(verb: Any) -> tuple[int, int] | None:
    """For "have no evidence to suggest that X", the content: from the evidence's determiner to its
    clause's end; None for any other verb."""
    obj = _negated_evidence(verb)
    if obj is None:
        return None
    words = sorted(obj.subtree, key=lambda t: t.i)
    # up to an aside set off by a dash or a semicolon ("… - despite his claim that …"): the writer's
    cut = next((k for k, t in enumerate(words) if t.i > obj.i and t.text in _ASIDE), len(words))
    words = words[:cut]
    return words[0].idx, words[-1].idx + len(words[-1].text)


def inside_absence(verb: Any) -> bool:
    """Whether ``verb`` is the "suggest" of "have no evidence to suggest": it has no speaker of its own."""
    return verb.dep_ in ("acl", "relcl") and verb.head.text.lower() in EVIDENCE \
        and _negated_evidence(verb.head.head) is not None and verb.head.dep_ == "dobj"


_PREDICATES = frozenset({"oprd", "xcomp", "acomp"})


def continued(verb: Any, content: list[tuple[int, int]], origin: str) -> list[tuple[int, int]]:
    """``content`` run on over a verdict's reason ("deemed X false because Y") or over words the
    parser left unattached right after it ("point to charities that fund organizations …")."""
    if not content:
        return content
    end = content[-1][1]
    text = verb.doc.text
    for c in sorted(verb.children, key=lambda t: t.i):
        if c.idx < end:
            continue
        words = sorted(c.subtree, key=lambda t: t.i)
        gap = text[end:words[0].idx]
        if gap.strip(" ,"):
            break  # only what follows the content directly
        mark = next((m for m in c.children if m.dep_ == "mark"), None)
        verdict = origin == "dobj" and any(k.dep_ in _PREDICATES for k in verb.children)
        reason = c.dep_ == "advcl" and mark is not None and mark.text.lower() == "because" and verdict
        unattached = c.dep_ == "dep" and origin == "prep" and not gap.strip()
        if not (reason or unattached):
            break
        end = words[-1].idx + len(words[-1].text)
    return content[:-1] + [(content[-1][0], end)]
