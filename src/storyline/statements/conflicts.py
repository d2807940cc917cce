"""Claims of one story that disagree, each pair flagged with a reason a reader can check.

Four kinds, each on one matter (claims sharing most of their topic terms, see
:mod:`storyline.statements.claims`, or tied by the structure of what they say):

* ``denial``: one speaker says it is not so, another confirms it; or a denial and the claim
  it answers (a named report, the claim just before it it points back to, the claim "she"
  made when it says only "She just made it up", the charge beside it naming the denier, an
  accusation charging the denier);
* ``unconfirmed``: "has not yet confirmed" against a confirmation reported later (the
  later one is not a contradiction of fact, but the reader should see the change);
* ``figures``: the same kind of thing counted differently (10,000 vs 11,000 soldiers), a
  revision worth showing, not a contradiction to hide: two totals of one counted thing (no
  units of time, score or money, no increases, the modifiers in both claims), by two named
  speakers whose claims share a term besides the noun;
* ``contradiction``: one speaker finds no record or trace of a thing another says was found
  ("no record of a student newspaper article" against "his campaign had found the article")
  or brought up ("showing videos of …" against "no evidence of the videos"); a claim that
  says it contradicts another ("…, contradicting the police's earlier claim that …"); a charge
  against what the charged one meant ("accused X of …" / "X meant …"); one predication
  stated and negated ("Norland will not pay for the bridge" / "Norland will pay for it").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import Contradiction
from .claims import (SPEAKER_SUBJECTS, Figure, Predication, Stance, contradicted, is_question, opposed, predications, stems,
                     topic_overlap, topic_terms)

UNATTRIBUTED = "unattributed"  # a claim without a speaker: no one's to contradict

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
    call: bool = False  # a call to act ("called for"): no stance a denial could answer
    points_back: bool = False  # its content only names what it answers ("rejected the allegation")
    takes_back: bool = False  # "I never said …"
    names: frozenset[str] = frozenset()  # the speaker's name words, lower case ("ap", "politico")
    named_reports: tuple[str, ...] = ()  # names whose report it speaks of, lower case ("the AP report" → "ap")
    where: tuple[str, int] = ("", 0)  # its first report: article id and the statement's number there
    absent: frozenset[str] = frozenset()  # head nouns of what it says there is no record of ("article")
    referred: frozenset[str] = frozenset()  # those of them it speaks of as brought up before ("the videos")
    found: frozenset[str] = frozenset()  # head nouns of what it says was found ("article")
    # every report of it (article id, statement number there), ``where`` among them: a claim first
    # reported in one article may be quoted again just before another article's answer to it
    reports: tuple[tuple[str, int], ...] = ()
    accuses: bool = False  # its cue charges someone ("accused X of …")
    charged: frozenset[str] = frozenset()  # name words of whom it charges ("accused Trump of …" → "trump")
    explains: frozenset[str] = frozenset()  # name words of whose remark it says what it meant ("Trump meant …")
    predications: tuple[Predication, ...] = ()  # what it negates ("Mexico will not pay for …"), by words
    subject: str = ""  # the pronoun its content opens with ("she just made it up" → "she")
    gender: str | None = None  # its speaker's, where the name tells ("Hillary Clinton" → "f")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _same_proposition(a: Claim, b: Claim) -> bool:
    shared = a.terms & b.terms
    return len(shared) >= MIN_SHARED_TERMS and topic_overlap(a.terms, b.terms) >= SAME_PROPOSITION


def _same_count(a: Claim, fa: Figure, b: Claim, fb: Figure) -> bool:
    """Whether two claims' figures may count one thing differently: the same noun, two totals (not
    "nine million more workers"), near enough (a third at most), its modifiers in both claims,
    and a term in common besides the noun ("two people in this campaign" and "five people to
    the committee" share only "people")."""
    if fa.noun != fb.noun or fa.value == fb.value or fa.change or fb.change \
            or max(fa.value, fb.value) > 3 * min(fa.value, fb.value):
        return False
    counted = topic_terms(fa.noun) | {fa.noun}
    # what narrows the count must be in the other claim too: "four liberal justices" are not the
    # "five justices" of a court, while "ten thousand North Korean soldiers" meets "11,000 soldiers
    # from North Korea"
    if not (topic_terms(fa.text) - counted <= b.terms and topic_terms(fb.text) - counted <= a.terms):
        return False
    return bool((a.terms & b.terms) - counted)


def _format_figure(f: Figure) -> str:
    return f"{f.value:,.0f}" if f.value == int(f.value) else f"{f.value:,}"


# A denial answering a named speaker shares at least this many topic terms with what it answers.
NAMED_SHARED_TERMS = 1
# A denial naming the speaker of what it denies shares at least this many terms besides the name.
ABOUT_SHARED_TERMS = 3
# One speaker taking back an earlier claim ("I never said I was going to pay for fees" against "he'd
# asked his people to look into paying the fees") shares at least this many.
TAKEN_BACK_SHARED_TERMS = 2
# A denial with at most this many topic terms says nothing of its own ("She just made it up").
BARE_TERMS = 2


def _same_person(a: str, b: str) -> bool:
    """Whether two speakers' names may name one person: equal, or one the other's last words
    ("De Blasio" and "Bill de Blasio"; not "Lolita Grayson" and "Alan Grayson"). One speaker's
    claims are never a denial and what it denies, though parsing left two spellings of them."""
    if a == b:
        return True
    x, y = sorted((a.lower().split(), b.lower().split()), key=len)
    short = (b if len(b.split()) < len(a.split()) else a).split()
    return bool(x) and len(x) < len(y) and y[-len(x):] == x and short[0][:1].isupper()


def _states(c: Claim) -> bool:
    """Whether a denial could answer ``c``: it asserts something, it is not a call, a question nor
    a denial."""
    return not c.call and c.stance != Stance.DENIAL and not is_question(c.text)


def _last_before(c: Claim, article: str, n: int) -> int:
    """The number of ``c``'s last report in ``article`` before statement ``n`` there, -1 if none."""
    return max((m for a, m in (c.reports or (c.where,)) if a == article and m < n), default=-1)


_WORDS = re.compile(r"[^\W\d_]+")
# "no evidence (to suggest) that X …", "no proof X …": X, the one said not to have done so.
_NO_EVIDENCE_THAT = re.compile(r"\b(?i:no\s+(?:\w+\s+)?(?:evidence|proof|indications?|signs?)\s+(?:to\s+(?:suggest|show|"
                               r"indicate|prove)\s+)?(?:that\s+)?)((?:[A-Z][\w'’.-]*\s+){1,3})")


def _about_speaker(denial: Claim, others: list[Claim]) -> Claim | None:
    """The claim a denial of evidence answers by naming its speaker as the one it denies did so ("no
    evidence to suggest that Lazar accessed Clinton's email" → Lazar's "he had access to Clinton's
    email server"): of the speaker's claims, the one sharing most terms beyond the name, if enough."""
    m = _NO_EVIDENCE_THAT.search(denial.text)
    if m is None:
        return None
    words = {w.lower() for w in _WORDS.findall(m.group(1))} - denial.names
    best: tuple[int, tuple] | None = None
    found = None
    for c in others:
        named = c.names & words
        if not named:
            continue
        shared = len(stems(c.terms - named) & stems(denial.terms - named))
        if shared >= ABOUT_SHARED_TERMS and (best is None or (shared, c.order) > best):
            best, found = (shared, c.order), c
    return found


def _answered(denial: Claim, earlier: list[Claim]) -> list[Claim]:
    """What a denial answers, among the claims reported before it (any stance but a call):

    * the claims of a speaker it names ("the AP report is misleading" → the AP's), the one
      sharing most terms with it;
    * when it names another speaker as the one it denies did or said so ("no evidence that Lazar
      accessed …"), that speaker's claim on the matter (:func:`_about_speaker`);
    * when it names no one but points back ("rejected the allegation", "called that report a
      lie", "It cherry-picked …"), the claim just before it in its article by another speaker
      (the article may quote it again there, first reported elsewhere), an accusation included;
    * when its speaker takes back what they said ("I never said …"), their own earlier claim on
      the matter.
    """
    others = [c for c in earlier if not _same_person(c.speaker, denial.speaker) and _states(c)]
    # The speaker whose report it names: "the AP report is misleading because … Clinton's …" answers
    # the AP (a name alone is the topic of most of a story's claims).
    first = next((w for w in denial.named_reports if any(w in c.names for c in others)), None)
    named = [c for c in others if first in c.names]
    if named:
        best = max(named, key=lambda c: (len(c.terms & denial.terms), c.order))
        return [best] if len(best.terms & denial.terms) >= NAMED_SHARED_TERMS else []
    out = []
    if not denial.points_back and (about := _about_speaker(denial, others)) is not None:
        return [about]
    if denial.points_back:
        article, n = denial.where
        # an accusation is answered too: a report that he "fabricated" the story, called "a boldfaced lie"
        answerable = others + [c for c in earlier if not _same_person(c.speaker, denial.speaker)
                               and c.stance == Stance.DENIAL
                               and not c.points_back and not c.takes_back]
        last = {c.id: _last_before(c, article, n) for c in answerable}
        before = [c for c in answerable if last[c.id] >= 0]
        if before:
            out.append(max(before, key=lambda c: last[c.id]))
    if denial.takes_back:
        own = [c for c in earlier if c.speaker == denial.speaker and _states(c)
               and len(stems(c.terms) & stems(denial.terms)) >= TAKEN_BACK_SHARED_TERMS]
        out.extend(own[-1:])
    return out


def _pronoun_answer(denial: Claim, claims: Sequence[Claim]) -> Claim | None:
    """What a bare denial with a pronoun for subject answers ("She just made it up" says nothing
    of its own): the nearest claim before it in its article (whatever the dates the claims name)
    of another speaker whose name the pronoun fits ("Hillary Clinton" for "she")."""
    if not denial.subject or len(denial.terms) > BARE_TERMS or denial.points_back or denial.named_reports:
        return None
    article, n = denial.where
    gender = "f" if denial.subject == "she" else "m"
    last = {c.id: _last_before(c, article, n) for c in claims
            if c.gender == gender and not _same_person(c.speaker, denial.speaker) and _states(c)}
    before = [c for c in claims if last.get(c.id, -1) >= 0]
    return max(before, key=lambda c: last[c.id]) if before else None


def _named_beside(denial: Claim, claims: Sequence[Claim]) -> Claim | None:
    """The charge a denial answers when it is reported right beside it: the claim just before or
    after it in its article, of another speaker, that names the denier and shares a term with the
    denial besides the name ("Saudi officials deny any links to terrorism groups, but critics
    point to Saudi charities … suspected of ties to militant cells")."""
    if not denial.names or denial.points_back or denial.takes_back:
        return None
    article, n = denial.where
    for c in claims:
        if c.speaker == UNATTRIBUTED or _same_person(c.speaker, denial.speaker) or not _states(c):
            continue
        beside = any(a == article and abs(m - n) == 1 for a, m in (c.reports or (c.where,)))
        if beside and denial.names & set(_words(c.text)) and (c.terms - denial.names) & denial.terms:
            return c
    return None


def _charge_against(denial: Claim, claims: Sequence[Claim]) -> Claim | None:
    """The accusation a denial answers: a claim of another speaker that charges the denier
    ("accused Ruiz of hiding the report", not "accused Berg of attacking Ruiz"), sharing most
    terms with the denial besides the name (at least one)."""
    if not denial.names or denial.points_back or denial.takes_back:
        return None
    best: tuple[int, tuple] | None = None
    found = None
    for c in claims:
        if not c.accuses or c.speaker == UNATTRIBUTED or _same_person(c.speaker, denial.speaker) \
                or not denial.names & c.charged:
            continue
        shared = len(stems(c.terms - denial.names - c.charged) & stems(denial.terms - c.charged))
        if shared >= 1 and (best is None or (shared, c.order) > best):
            best, found = (shared, c.order), c
    return found


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


def _found_and_absent(a: Claim, b: Claim) -> str | None:
    """The thing one claim says there is no record of and the other says was found, if any."""
    both = (a.absent & b.found) | (a.found & b.absent)
    return min(both) if both else None


def _shown_before(absence: Claim, earlier: list[Claim]) -> tuple[Claim, str] | None:
    """The claim that brought up the thing another speaker later says there is no trace of ("showing
    videos of …" against "found no evidence of the videos", "didn't have a particular video in
    mind"): the earliest claim of another speaker that names the thing and states something (not
    a denial, nor an absence of the thing itself), with the thing."""
    for c in earlier:
        if c.speaker in (absence.speaker, UNATTRIBUTED) or not _states(c):
            continue
        things = sorted((absence.referred & c.terms) - c.absent)
        if things:
            return c, things[0]
    return None


# A claim holds what another claim says when it has this share of that claim's terms (at least two).
HOLDS_SAID = 2 / 3
# The claim said to be contradicted holds this share of what is quoted of it.
QUOTED_SHARE = 0.8


def _said_contradicted(claims: Sequence[Claim]) -> list[tuple[Claim, Claim, str]]:
    """Pairs where a claim says it contradicts another speaker's claim ("…, contradicting the
    police's earlier claim that he had refused to keep his hands up"), with the claim whose text
    it quotes, and each other speaker's claim that holds what it says ("an unarmed man with his
    hands in the air") against that claim too: (the contradicted, the contradicting, why)."""
    out = []
    for a in claims:
        if (parts := contradicted(a.text)) is None:
            continue
        own, other = topic_terms(parts[0]), topic_terms(parts[1])
        for b in claims:
            # b says (nearly) all of what is quoted, not a part of it ("to keep his hands up")
            if b.speaker in (a.speaker, UNATTRIBUTED) or len(other & b.terms) < max(2, QUOTED_SHARE * len(other)):
                continue
            out.append((b, a, "says it contradicts"))
            for c in claims:
                shared = own & c.terms
                if c.speaker not in (a.speaker, b.speaker, UNATTRIBUTED) and _states(c) and len(shared) >= 2 \
                        and len(shared) >= HOLDS_SAID * len(own):
                    out.append((b, c, f"says what {a.speaker} holds against it"))
    return out


def _own_subjects(c: Claim) -> tuple[Predication, ...]:
    """A claim's negated predications, "I"/"we" read as its speaker ("I never met him", said by
    Tom Berg, is "Berg never met him"); dropped for a speaker without a name."""
    out: list[Predication] = []
    for p in c.predications:
        if p.subject in SPEAKER_SUBJECTS:
            out.extend(replace(p, subject=name) for name in sorted(c.names))
        else:
            out.append(p)
    return tuple(out)


def _names_any(text: str, words: frozenset[str]) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in words)


def _said_first(x: Claim, y: Claim) -> tuple[str, str]:
    """The two claims' ids in the order they were said (``x`` first on a tie)."""
    return (x.id, y.id) if x.order <= y.order else (y.id, x.id)


def find_conflicts(claims: Sequence[Claim]) -> list[Contradiction]:
    """Every disagreeing pair, in the order of their first claim, then their second."""
    out: list[Contradiction] = []
    ordered = sorted(claims, key=lambda c: c.order)
    flagged: set[frozenset[str]] = set()
    for x, a in enumerate(ordered):
        if a.stance != Stance.DENIAL:
            continue
        answered = _answered(a, ordered[:x])
        if not answered and (said := _pronoun_answer(a, ordered) or _named_beside(a, ordered)
                             or _charge_against(a, ordered)) is not None:
            answered = [said]
        for b in answered:
            flagged.add(frozenset((a.id, b.id)))
            what = "takes back" if b.speaker == a.speaker else "denies"
            out.append(Contradiction(
                (b.id, a.id), f"{a.speaker} {what} what {b.speaker} said: “{_short(b.text)}” against "
                f"“{_short(a.text)}”", "denial"))

    for b, a, why in _said_contradicted(ordered):
        if frozenset((a.id, b.id)) in flagged:
            continue
        flagged.add(frozenset((a.id, b.id)))
        out.append(Contradiction(
            _said_first(b, a), f"{a.speaker} {why} what {b.speaker} said: “{_short(b.text, 60)}” against "
            f"“{_short(a.text, 60)}”", "contradiction"))

    explaining = [b for b in ordered if b.explains]
    for a in (c for c in ordered if c.charged and explaining):
        for b in explaining:
            # "accused Trump of suggesting violence" against "Trump meant people who support … are
            # unified": two readings of one remark, one a charge.
            if not (a.charged & b.explains) or a.speaker in (b.speaker, UNATTRIBUTED) or b.speaker == UNATTRIBUTED \
                    or frozenset((a.id, b.id)) in flagged:
                continue
            flagged.add(frozenset((a.id, b.id)))
            out.append(Contradiction(
                _said_first(a, b), f"{a.speaker} charges what {b.speaker} explains: “{_short(a.text, 60)}” "
                f"against “{_short(b.text, 60)}”", "contradiction"))

    for x, a in enumerate(ordered):
        if not a.referred or (shown := _shown_before(a, ordered[:x])) is None:
            continue
        b, shown_thing = shown
        if frozenset((a.id, b.id)) in flagged or _found_and_absent(a, b):
            continue
        flagged.add(frozenset((a.id, b.id)))
        out.append(Contradiction(
            (b.id, a.id), f"said and not found: the {shown_thing} ({b.speaker}: “{_short(b.text, 60)}” against "
            f"{a.speaker}: “{_short(a.text, 60)}”)", "contradiction"))

    # Claims that may state and negate one predication: those sharing a subject word and a verb,
    # found by index (comparing every pair's predications is quadratic in a long story's claims).
    negated = {c.id: _own_subjects(c) for c in ordered}
    subjects = frozenset(p.subject for ps in negated.values() for p in ps)
    preds = {c.id: negated[c.id] + (predications(c.text, subjects) if subjects and _names_any(c.text, subjects) else ())
             for c in ordered}
    by_predicate: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
    for c in ordered:
        for p in preds[c.id]:
            by_predicate[(p.subject, p.verb, p.negated)].add(c.id)
    may_oppose = {frozenset((i, j)) for (subject, verb, negated), ids in by_predicate.items() if negated
                  for i in ids for j in by_predicate.get((subject, verb, False), ()) if i != j}
    for x, a in enumerate(ordered):
        for b in ordered[x + 1:]:
            if frozenset((a.id, b.id)) in flagged:
                continue
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
            elif may_oppose and a.speaker != b.speaker and UNATTRIBUTED not in (a.speaker, b.speaker) \
                    and frozenset((a.id, b.id)) in may_oppose \
                    and (pair := opposed(preds[a.id], preds[b.id])) is not None:
                p, q = pair
                denies, states = (a, b) if p.negated else (b, a)
                out.append(Contradiction(
                    (a.id, b.id), f"{denies.speaker} negates what {states.speaker} states ({p.subject.title()} … "
                    f"{p.verb}): “{_short(denies.text, 60)}” against “{_short(states.text, 60)}”", "contradiction"))
            elif a.speaker != b.speaker and (thing := _found_and_absent(a, b)):
                out.append(Contradiction(
                    (a.id, b.id), f"found and not found: the {thing} ({a.speaker}: “{_short(a.text, 60)}” against "
                    f"{b.speaker}: “{_short(b.text, 60)}”)", "contradiction"))
            elif a.speaker != b.speaker and UNATTRIBUTED not in (a.speaker, b.speaker) \
                    and topic_overlap(a.terms, b.terms) >= FIGURES_OVERLAP:
                for fa in a.figures:
                    fb = next((f for f in b.figures if _same_count(a, fa, b, f)), None)
                    if fb is not None:
                        out.append(Contradiction(
                            (a.id, b.id), f"differing figures for {fa.noun}: {_format_figure(fa)} ({a.speaker}: "
                            f"“{_short(fa.text, 60)}”) against {_format_figure(fb)} ({b.speaker}: "
                            f"“{_short(fb.text, 60)}”)", "figures"))
                        break
    position = {c.id: i for i, c in enumerate(ordered)}
    out.sort(key=lambda c: tuple(position[i] for i in c.statement_ids))
    return out
