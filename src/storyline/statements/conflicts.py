"""Claims of one story that disagree, each pair flagged with a reason a reader can check.

Three kinds, all on one proposition (claims sharing most of their topic terms, see
:mod:`storyline.statements.claims`):

* ``denial``: one speaker says it is not so, another confirms it;
* ``unconfirmed``: "has not yet confirmed" against a confirmation reported later (the
  later one is not a contradiction of fact, but the reader should see the change);
* ``figures``: the same kind of thing counted differently (10,000 vs 11,000 soldiers), a
  revision worth showing, not a contradiction to hide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Contradiction
from .claims import Figure, Stance, topic_overlap

# Shared topic terms that make two claims one proposition: a share of the smaller claim's
# terms, and a least count, so two three-word claims do not meet on "Russia" alone.
SAME_PROPOSITION = 0.5
MIN_SHARED_TERMS = 3
# Figures of one kind of thing need less shared wording: "will send some 300 workers to repair the
# damaged Pier 4" and "its 340 workers will stay on the bridge" share little but the bridge.
FIGURES_OVERLAP = 0.4


@dataclass(slots=True, frozen=True)
class Claim:
    """A story's statement as conflict detection reads it."""

    id: str
    speaker: str
    text: str
    stance: Stance
    terms: frozenset[str]
    figures: tuple[Figure, ...]
    order: tuple  # when it was reported: (date, earliest article's date and id, position)
    keys: frozenset[str] = frozenset()  # named things with a number it speaks of ("pier_5")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _same_proposition(a: Claim, b: Claim) -> bool:
    shared = a.terms & b.terms
    return len(shared) >= MIN_SHARED_TERMS and topic_overlap(a.terms, b.terms) >= SAME_PROPOSITION


def _format_figure(f: Figure) -> str:
    return f"{f.value:,.0f}" if f.value == int(f.value) else f"{f.value:,}"


def find_conflicts(claims: Sequence[Claim]) -> list[Contradiction]:
    """Every disagreeing pair, in the order of their first claim, then their second."""
    out: list[Contradiction] = []
    ordered = sorted(claims, key=lambda c: c.order)
    for x, a in enumerate(ordered):
        for b in ordered[x + 1:]:
            if a.speaker == b.speaker and a.stance == b.stance:
                continue
            same = _same_proposition(a, b)
            stances = {a.stance, b.stance}
            if same and stances == {Stance.DENIAL, Stance.CONFIRMATION}:
                # Against confirmations only: every report on the topic "asserts" something, and a
                # flag on each would bury the disagreement that matters.
                denial, other = (a, b) if a.stance == Stance.DENIAL else (b, a)
                out.append(Contradiction(
                    (a.id, b.id), f"{denial.speaker} denies what {other.speaker} confirms: "
                    f"“{_short(denial.text)}” against “{_short(other.text)}”", "denial"))
            elif a.stance == Stance.UNCONFIRMED and b.stance == Stance.CONFIRMATION and (
                    same or (a.speaker == b.speaker and a.keys & b.keys)):
                # One speaker who "has not yet confirmed" that Pier 5 is damaged and later confirms
                # cracks on Pier 5 speaks of one thing in other words.
                out.append(Contradiction(
                    (a.id, b.id), f"{a.speaker}: not yet confirmed (“{_short(a.text)}”); later {b.speaker} "
                    f"confirmed it (“{_short(b.text)}”)", "unconfirmed"))
            elif a.speaker != b.speaker and topic_overlap(a.terms, b.terms) >= FIGURES_OVERLAP:
                for fa in a.figures:
                    fb = next((f for f in b.figures if f.noun == fa.noun and f.value != fa.value
                               and max(f.value, fa.value) <= 3 * min(f.value, fa.value)), None)
                    if fb is not None:
                        out.append(Contradiction(
                            (a.id, b.id), f"differing figures for {fa.noun}: {_format_figure(fa)} ({a.speaker}: "
                            f"“{_short(fa.text, 60)}”) against {_format_figure(fb)} ({b.speaker}: "
                            f"“{_short(fb.text, 60)}”)", "figures"))
                        break
    return out
