"""What a claim asserts, for comparing claims: its stance, its topic terms and its figures.

* **Stance**: a *denial* says something is not so ("was not true", "denied", "no
  evidence"); *unconfirmed* says it is not confirmed yet ("has not yet confirmed"); a
  *confirmation* confirms ("NATO confirmed …", "their presence was confirmed"); anything
  else is an *assertion*.
* **Topic**: content words, with the names news uses for one thing brought together
  (DPRK / North Korea / North Korean; soldiers / troops / military), so that two claims
  about the same proposition share terms however they are worded.
* **Absences and finds**: a thing said not to exist ("no record of the class", "found no
  trace of the letter") and a thing said to be found ("had found the newspaper article"),
  each by its head noun, so that one speaker's absence and another's find meet.
* **Figures**: counted quantities ("ten thousand North Korean soldiers", "nearly 11,000
  soldiers"), the number with the kind of thing it counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..text.passages import STOP_WORDS


class Stance(str, Enum):
    DENIAL = "denial"
    UNCONFIRMED = "unconfirmed"
    CONFIRMATION = "confirmation"
    ASSERTION = "assertion"


_DENIAL_CUES = frozenset({"denied", "denies", "deny", "refuted", "refutes", "rejected", "rejects", "dismissed",
                          "dismisses", "debunked", "disputed", "disputes", "contradicted", "contradicts"})
# How real disagreements are worded, besides "not true": "She just made it up", "a boldfaced lie",
# "It cherry-picked a limited subset", "the AP report is misleading", "I never said …".
_DENIAL = re.compile(r"\b(?:(?:is|was|are|were)\s+not\s+true|not\s+true|(?:is|was|are|were)n['’]t\s+true|untrue|(?:is|was|are|were)\s+false|fake|"
                     r"no\s+evidence|groundless|unfounded|baseless|(?:did|does|do)\s+not\s+happen|a\s+lie|"
                     r"disinformation|misinformation|a\s+hoax|made\s+(?:it|that|this|them|the\s+\w+)\s+up|"
                     r"an?\s+[\"“]?(?:\w+[\s-])?lie|lies|lying|liar|false(?:ly)?|misleading|cherry[-\s]?pick(?:ed|ing)?|"
                     r"never\s+said|(?:did|do|does)\s*(?:not|n['’]t)\s+say(?!\s+(?:who|what|when|where|why|how|whether|which)\b)|fabricat(?:ed|ion|ing)|distort(?:ed|ion|s)?|"
                     r"not\s+the\s+case)\b", re.IGNORECASE)
# "I never said …": the speaker takes back what they said, whoever reported it.
# Not "he did not say who made the apology": a question left open takes nothing back.
_TAKEN_BACK = re.compile(r"\b(?:never\s+said|(?:did|do|does)\s*(?:not|n['’]t)\s+say)\b"
                         r"(?!\s+(?:who|whom|whose|what|when|where|why|how|whether|which|if)\b)", re.IGNORECASE)
# Cues of a call to act, which asserts nothing a denial could answer ("called for", "urged").
_CALL_CUES = frozenset({"call", "called", "calls", "calling", "urge", "urged", "urges", "urging", "ask", "asked", "asks",
                        "demand", "demanded", "demands", "appeal", "appealed", "appeals", "invited", "invite"})
# A content that only points at what it answers ("rejected the allegation", "called that report a lie").
_POINTER = re.compile(r"(?i)^(?:the|that|this|these|those|such)\s+(?:\w+\s+)?(?:allegations?|claims?|reports?|"
                      r"charges?|accusations?|assertions?|stor(?:y|ies)|statements?|suggestions?|idea|notion)\b")
# What follows a pointer that gives it content of its own: "the notion that …", "the story about …".
_OWN_CLAUSE = re.compile(r"(?i)\s+(?:from\s+[^,;]{1,80}?\s+)?(?:that|about)\s+\w")
_UNCONFIRMED = re.compile(r"\b(?:(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+)?confirmed|(?:is|are|was|were)\s+not\s+"
                          r"(?:yet\s+)?confirmed|not\s+yet\s+confirmed|(?:can|could)\s*(?:not|n't)\s+confirm|"
                          r"unconfirmed|no\s+confirmation|(?:has|have)\s+yet\s+to\s+confirm)\b", re.IGNORECASE)
_CONFIRMATION_CUES = frozenset({"confirmed", "confirms", "confirm", "verified", "acknowledged", "admitted"})
# In the content, only a confirmation without its own subject is the speaker's ("their presence was
# confirmed"): "after NATO confirmed information …" reports NATO's confirmation inside a call to act.
_CONFIRMED = re.compile(r"\b(?:is|was|are|were|been)\s+(?:\w+ly\s+)?(?:confirmed|verified|acknowledged)\b",
                        re.IGNORECASE)


_ACCUSATION_CUES = frozenset({"accuse", "accused", "accuses", "accusing", "allege", "alleged", "alleges", "alleging",
                              "charge", "charged", "charges", "charging", "blame", "blamed", "blames", "blaming"})


def accuses(cue: str) -> bool:
    """Whether the cue charges someone ("accused", "alleged", "blamed"): a claim a denial by the
    one it names answers."""
    return any(w in _ACCUSATION_CUES for w in cue.lower().split())


_NAME_WORDS = r"((?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*)"
# "accused Trump of suggesting violence": the content opens with whom it charges, then "of".
_ACCUSED = re.compile(r"^\W*(?:the\s+)?" + _NAME_WORDS + r"(?:['’]s\s+\w+)?\s+of\s+\w")
# "Trump meant people who support …", "the senator was referring to …": what a remark meant.
_MEANT = re.compile(_NAME_WORDS + r"\s+(?:had\s+|only\s+|simply\s+|clearly\s+)?(?:meant|was\s+referring\s+to|"
                    r"was\s+(?:talking|speaking)\s+(?:about|of)|was\s+(?:only\s+)?joking)\b")


def accused(cue: str, content: str) -> frozenset[str]:
    """The name words of whom an accusation charges ("accused Trump of …" → {"trump"})."""
    m = _ACCUSED.match(content) if accuses(cue) else None
    return frozenset(w.lower() for w in m.group(1).split()) if m else frozenset()


def explained(content: str) -> frozenset[str]:
    """The name words of whose remark the content says what it meant ("Trump meant …" → {"trump"})."""
    return frozenset(w.lower() for m in _MEANT.finditer(content) for w in m.group(1).split())


def is_call(cue: str) -> bool:
    """Whether the cue makes a call to act ("called for", "urged"): a claim with no stance on facts."""
    words = cue.lower().split()
    return bool(words) and words[0] in _CALL_CUES


_PRONOUN_SUBJECT = re.compile(r"^[\W]*(she|he)\b(?!['’]s\s+said)", re.IGNORECASE)


def pronoun_subject(content: str) -> str:
    """The pronoun a content opens with, lower case ("She just made it up" → "she"), else ""."""
    m = _PRONOUN_SUBJECT.match(content)
    return m.group(1).lower() if m else ""


def takes_back(content: str) -> bool:
    """Whether the content takes back what its speaker said ("I never said I was going to pay")."""
    return _TAKEN_BACK.search(content) is not None


# A bare verdict on what was just said ("That's not true", "This is a lie", "It is false").
_BARE_VERDICT = re.compile(r"(?i)^(?:that|this|it|which)(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+(?:\w+\s+){0,2}?"
                           r"(?:not\s+true|untrue|false|a\s+(?:\w+\s+)?lie|lies|fake|nonsense|ridiculous|absurd|"
                           r"wrong|incorrect|inaccurate|misleading|baseless|groundless|unfounded)\b[\W]*"
                           r"(?:\w+[\W]*){0,3}$")


def points_back(content: str) -> bool:
    """Whether the content only names what it answers ("the allegation", "that report Friday a
    lie") or is a bare verdict on it ("That's not true", "This is completely false")."""
    content = content.strip(" \"“”'.,")
    if (m := _POINTER.match(content)) is not None:
        # "rejected the notion that the campaign is calling her corrupt" says what it rejects: it
        # answers the claim that says so, not whatever was quoted last
        return _OWN_CLAUSE.match(content, m.end()) is None
    return _BARE_VERDICT.match(content) is not None


def is_question(content: str) -> bool:
    """Whether the content is a question ("why wouldn't you want to raise it?"): it states nothing
    a denial could answer, and denies nothing, whatever its cue."""
    return content.rstrip(" \"“”'’‘).").endswith("?")


# "want to deny him a chance to present …": a thing withheld from someone, not a claim denied.
_WITHHELD = re.compile(r"(?i)^\W*(?:(?:him|her|them|us|me|it)\s+)?(?:(?:a|an|any|the)\s+)?(?:chance|opportunity|access|entry|"
                       r"permission|platform|visas?|bail|seats?|requests?|benefits?|funding)\b")


def stance(cue: str, content: str) -> Stance:
    """The claim's stance from its cue ("denied", "confirmed") and its content."""
    cue_word = cue.lower().split()[-1] if cue.strip() else ""
    if is_question(content):
        return Stance.ASSERTION
    if cue_word in ("deny", "denied", "denies") and _WITHHELD.match(content) and not _DENIAL.search(content):
        return Stance.ASSERTION
    if _UNCONFIRMED.search(content):
        return Stance.UNCONFIRMED
    if cue_word in _DENIAL_CUES or _DENIAL.search(content) or _BARE_VERDICT.match(content.strip(" \"“”'.,")):
        return Stance.DENIAL
    if cue_word in _CONFIRMATION_CUES or _CONFIRMED.search(content):
        return Stance.CONFIRMATION
    return Stance.ASSERTION


# Several names for one thing; each maps to the term used for comparing.
_PHRASES = [
    (re.compile(r"(?<!\w)(?:north\s+korean?s?|dprk|d\.p\.r\.k\.|pyongyang)(?!\w)", re.IGNORECASE), " north_korea "),
    (re.compile(r"(?<!\w)(?:south\s+korean?s?|republic\s+of\s+korea|seoul)(?!\w)", re.IGNORECASE), " south_korea "),
    (re.compile(r"(?<!\w)(?:united\s+states|u\.s\.a?\.?|usa|america|american|washington)(?!\w)", re.IGNORECASE),
     " united_states "),
    (re.compile(r"(?<!\w)(?:russian?s?|russian\s+federation|moscow|kremlin)(?!\w)", re.IGNORECASE), " russia "),
    (re.compile(r"(?<!\w)(?:ukrainian?s?|kyiv|kiev)(?!\w)", re.IGNORECASE), " ukraine "),
]
_SYNONYMS = {
    "soldier": "troops", "soldiers": "troops", "troop": "troops", "military": "troops", "militaries": "troops",
    "servicemen": "troops", "serviceman": "troops", "forces": "troops", "force": "troops", "army": "troops",
    "armies": "troops", "units": "troops", "unit": "troops", "infantry": "troops", "fighters": "troops",
    "involvement": "participation", "presence": "participation", "deployment": "participation",
    "deploy": "participation", "deployed": "participation", "sending": "participation", "sent": "participation",
    "send": "participation", "arrived": "participation", "arrival": "participation",
    # "links to terrorism groups" and "ties to militant cells" are one charge
    "link": "tie", "links": "tie", "ties": "tie", "connection": "tie", "connections": "tie",
    "terrorism": "militant", "terrorist": "militant", "terrorists": "militant", "militants": "militant",
    "extremist": "militant", "extremists": "militant",
}
_WORD = re.compile(r"[a-z_]+")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                 "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
                 "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                 "hundred": 100, "dozen": 12}
_NOT_TOPIC = STOP_WORDS | {"information", "reports", "report", "alleged", "allegedly", "true", "false", "yet",
                           "confirmed", "confirm", "already", "currently", "also", "nearly", "almost", "about",
                           "including", "least", "according", "may", "might", "could", "can"} | set(_NUMBER_WORDS) \
    | {"thousand", "thousands", "million", "millions", "billion", "hundreds", "dozens", "several"}


def topic_terms(text: str) -> frozenset[str]:
    """The terms a claim is about: content words, names of one thing merged, plurals folded."""
    lowered = text.lower()
    for pattern, term in _PHRASES:
        lowered = pattern.sub(term, lowered)
    terms = set()
    for word in _WORD.findall(lowered):
        if word in _NOT_TOPIC or len(word) < 3:
            continue
        word = _SYNONYMS.get(word, word)
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4 and "_" not in word:
            word = word[:-1]
        terms.add(word)
    return frozenset(terms)


_KEYED = re.compile(r"\b([A-Z][a-z]+)\s+(\d+[A-Za-z]?)\b")


def key_terms(text: str) -> frozenset[str]:
    """Named things with a number ("Pier 5", "Route 9", "Unit 3"): two claims naming one are about
    the same thing however differently they word what they say of it."""
    return frozenset(f"{word.lower()}_{number.lower()}" for word, number in _KEYED.findall(text))


def stems(terms: frozenset[str]) -> frozenset[str]:
    """Terms with a verb's endings cut ("paying" → "pay", "asked" → "ask"): one speaker's two
    wordings of one matter share stems where their words differ."""
    return frozenset(re.sub(r"(?:ing|ed|es)$", "", t) if len(t) > 5 else t for t in terms)


_REPORT = re.compile(r"\b([A-Z][\w-]*[\w])(?:['’]s)?\s+(?:own\s+)?(?:report|story|article|analysis|claims?|"
                     r"allegations?|accusations?|statement|count|figures|poll|review|investigation|piece|tally)\b")


def named_reports(text: str) -> tuple[str, ...]:
    """Names whose report the text speaks of, lower case, in order: "the AP report is misleading"
    → ("ap",); "Politico's story" → ("politico",)."""
    return tuple(m.group(1).lower() for m in _REPORT.finditer(text))


# "…, contradicting the police's earlier claim that he had refused …": the content says what it holds
# and whose claim it contradicts.
_CONTRADICTING = re.compile(r"(?i),?\s*\b(?:contradicting|contradicts|contradicted|contrary\s+to|at\s+odds\s+with|"
                            r"disputing|refuting|belying|undercutting|countering)\s+[^,;]{0,80}?\b(?:claims?|"
                            r"statements?|accounts?|assertions?|versions?|reports?)\s+that\s+(?P<other>.+)$")


def contradicted(text: str) -> tuple[str, str] | None:
    """What a content holds and the claim it says it contradicts: "Crutcher had his hands up,
    contradicting the police's earlier claim that he had refused to" → ("Crutcher had his hands
    up", "he had refused to")."""
    m = _CONTRADICTING.search(text)
    return (text[:m.start()], m.group("other")) if m and m.start() > 0 else None


# Verbs whose negation says too little to set against their assertion ("did not know", "is not").
_LIGHT_VERBS = frozenset({"be", "is", "are", "was", "were", "been", "have", "has", "had", "do", "does", "did", "say", "think",
                          "know", "want", "go", "get", "see", "believe", "expect", "like", "seem", "need", "yet",
                          "only", "just", "even", "ever", "also", "always", "really", "actually", "necessarily"})
_IRREGULAR = {"paid": "pay", "met": "meet", "made": "make", "took": "take", "gave": "give", "given": "give",
              "sent": "send", "spent": "spend", "told": "tell", "won": "win", "lost": "lose", "left": "leave",
              "brought": "bring", "bought": "buy", "wrote": "write", "written": "write", "spoke": "speak",
              "held": "hold", "kept": "keep", "sold": "sell", "broke": "break", "broken": "break", "led": "lead",
              "signed": "sign", "built": "build", "ran": "run", "hid": "hide", "hidden": "hide", "stole": "steal",
              "stolen": "steal", "knew": "know", "took part": "take"}
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*")
_NEGATION = frozenset({"not", "never", "n't", "n’t"})
# A pronoun or a function word tells no one subject from another ("he did not pay" / "he paid").
_NO_SUBJECT = STOP_WORDS | {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that"}
# "I did not pay …", "we never met …": the speaker is the subject (conflicts put their name there).
SPEAKER_SUBJECTS = frozenset({"i", "we"})
_EVIDENCE = frozenset({"evidence", "proof", "indication", "sign"})
_NO_EVIDENCE_THAT = re.compile(r"(?i)\bno\s+(?:evidence|proof|indication|sign)\s+that\b")
_ANY_NEGATION = re.compile(r"(?i)\bnot\b|\bnever\b|n['’]t\b")
_AUX = frozenset({"will", "would", "did", "does", "do", "has", "have", "had", "is", "are", "was", "were", "can", "could",
                  "should", "shall", "must", "may", "might", "wo", "ca"})


# A negation over a comparison or a condition denies that, not the bare predicate: "will not stay
# closed a day longer than necessary" against "the bridge stays closed".
_QUALIFIERS = frozenset({"than", "longer", "more", "less", "fewer", "until", "unless", "without", "only", "before",
                         "after", "again", "enough", "too", "all", "every", "much", "many", "soon", "sooner"})


def _verb_like(word: str) -> bool:
    """Whether a word may be the verb of a predication: not a light verb, an auxiliary or a
    function word ("was not a real conservative" has no verb to deny)."""
    return len(word) >= 3 and word.isalpha() and word not in _LIGHT_VERBS and word not in _AUX \
        and word not in STOP_WORDS


def _verb_stem(word: str) -> str:
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for ending, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:-len(ending)] + keep
            return stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem  # "stopped" → "stop"
    return word


@dataclass(slots=True, frozen=True)
class Predication:
    """One "subject (not) verb object" of a claim, by words: enough to meet its opposite."""

    subject: str  # the word before the verb's auxiliaries, lower case ("mexico")
    verb: str  # its stem ("pay")
    after: str  # the words after it (its object's terms are read only when another claim may oppose it)
    negated: bool


def _split_contractions(text: str) -> list[str]:
    words = []
    for w in _TOKEN.findall(text):
        low = w.lower()
        if low.endswith(("n't", "n’t")) and len(low) > 3:
            words += [low[:-3] if low not in ("won't", "won’t", "can't", "can’t") else low[:2], "n't"]
        else:
            words.append(low)
    return words


def predications(text: str, subjects: frozenset[str] | None = None) -> tuple[Predication, ...]:
    """Negated predications ("Mexico will not pay for the wall") and the asserted ones that could
    meet them ("Mexico will pay for the wall"): for each verb after a subject and auxiliaries.
    With ``subjects``, only the asserted ones of those subject words (what a negation elsewhere
    may meet); without, only the negated ones."""
    if subjects is None and not _ANY_NEGATION.search(text) and not _NO_EVIDENCE_THAT.search(text):
        return ()
    words = _split_contractions(text)
    out = []
    for i, w in enumerate(words):
        if subjects is None:
            if w == "no" and i + 3 < len(words) and words[i + 1] in _EVIDENCE and words[i + 2] == "that" \
                    and words[i + 3] not in _NO_SUBJECT:
                # "no evidence that Russia hacked the machines" negates "Russia hacked the machines"
                j = i + 4
                while j < len(words) and words[j] in _AUX | _LIGHT_VERBS - {"be", "have"}:
                    j += 1
                if j < len(words) and _verb_like(words[j]):
                    out.append(Predication(words[i + 3], _verb_stem(words[j]), " ".join(words[j + 1:j + 7]), True))
                continue
            if w not in _NEGATION:
                continue
            j = i + 1
            while j < len(words) and words[j] in _LIGHT_VERBS and words[j] not in ("be", "have"):
                j += 1  # "did not even pay", "has never actually met"
            k = i - 1
            while k >= 0 and words[k] in _AUX:
                k -= 1
            scope = words[j + 1:j + 7]
            if j < len(words) and k >= 0 and _verb_like(words[j]) and words[k] not in _NEGATION \
                    and (words[k] not in _NO_SUBJECT or words[k] in SPEAKER_SUBJECTS) \
                    and not _QUALIFIERS.intersection(scope):
                out.append(Predication(words[k], _verb_stem(words[j]), " ".join(scope), True))
        elif i > 0 and _verb_like(w) and w not in _NEGATION \
                and not any(x in _NEGATION for x in words[max(0, i - 3):i]):
            k = i - 1
            while k >= 0 and words[k] in _AUX:
                k -= 1
            if k >= 0 and words[k] in subjects and (k < i - 1 or _verb_stem(w) != w or w in _IRREGULAR):
                # after an auxiliary, or with a verb's ending: "will pay", "paid"
                out.append(Predication(words[k], _verb_stem(w), " ".join(words[i + 1:i + 7]), False))
    return tuple(out)


def opposed(a: tuple[Predication, ...], b: tuple[Predication, ...]) -> tuple[Predication, Predication] | None:
    """A predication of ``a`` that ``b`` states with the other polarity: same subject word, same
    verb, an object term in common ("Mexico will not pay for the wall" / "Mexico will pay for the
    wall")."""
    for p in a:
        for q in b:
            if p.negated != q.negated and p.subject == q.subject and p.verb == q.verb \
                    and p.subject not in _NO_SUBJECT and topic_terms(p.after) & topic_terms(q.after):
                return p, q
    return None


def topic_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over the smaller claim's terms: a short claim inside a long one counts fully."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_FIGURE = re.compile(
    r"\b(?P<number>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?|(?:" + "|".join(_NUMBER_WORDS) + r")(?:[\s-](?:"
    + "|".join(_NUMBER_WORDS) + r"))?)(?:\s+(?P<scale>thousand|million|billion))?\s+(?P<noun>(?:[A-Za-z-]+\s+){0,2}?"
    r"(?:soldiers|troops|servicemen|fighters|people|civilians|casualties|missiles|drones|tanks|shells|"
    r"[a-z]+s))\b", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class Figure:
    value: float
    noun: str  # the kind of thing counted, compared by its topic term ("soldiers" → "troops")
    text: str
    change: bool = False  # a difference, not a total ("nine million more workers"): no count to set against one


# Units of time, distance, money or score measure something the figure does not name: "eight years"
# (since what?), "seven points" (which poll's lead?), "2,766 flying hours" (whose?). Two of them
# cannot be told to measure one thing, so they are no figures to set against each other.
_MEASURES = frozenset({"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries",
                       "points", "percent", "times", "miles", "kilometers", "kilometres", "meters", "metres", "feet",
                       "inches", "yards", "pounds", "kilograms", "tons", "tonnes", "dollars", "euros", "cents",
                       "degrees", "acres", "gallons", "barrels", "bucks"})
# "nine million more workers", "3,000 additional troops": an increase, not how many there are.
_CHANGE_WORDS = frozenset({"more", "fewer", "less", "additional", "extra", "further", "new", "other"})


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "").replace(" ", "") if text[0].isdigit() else text.lower()
    if text[0].isdigit():
        try:
            return float(text)
        except ValueError:
            return None
    total = 0
    for part in re.split(r"[\s-]+", text):
        if part not in _NUMBER_WORDS:
            return None
        total = total * _NUMBER_WORDS[part] if part in ("hundred",) and total else total + _NUMBER_WORDS[part]
    return float(total)


def figures(text: str) -> list[Figure]:
    """Counted quantities in ``text``: "ten thousand North Korean soldiers" → 10,000 troops."""
    out = []
    for m in _FIGURE.finditer(text):
        if re.match(r"\s*of\b", text[m.end("number"):]) or re.search(r"\bof\s+$", text[:m.start()]):
            continue  # "four of five states": a share, not a count
        value = _number(m.group("number"))
        if value is None:
            continue
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        words = m.group("noun").lower().split()
        if words[-1] in _MEASURES:
            continue
        before = text[:m.start()].lower().split()[-1:]  # "an additional 328 emails"
        out.append(Figure(value, _SYNONYMS.get(words[-1], words[-1]), m.group(0),
                          change=bool(_CHANGE_WORDS.intersection(words[:-1] + before))))
    return out


# What an absence is worded with: "no record of", "no trace of", "found no evidence of" the thing;
# "there are no such letters"; "she didn't have a particular letter in mind", "never saw any
# letter" (what one says they had or saw none of).
_ABSENCE = re.compile(r"(?i)\bno\s+(?:\w+\s+)?(?:records?|evidence|traces?|signs?|proof|cop(?:y|ies))\s+of\s+|"
                      r"\bthere\s+(?:is|are|was|were)\s+no\s+(?:such\s+)?(?=\w)|"
                      r"\b(?:(?:did|does|do)\s*(?:not|n['’]t)|never)\s+(?:have|has|had|see|saw|seen|show|showed)\s+"
                      r"(?:an?|any)\s+")
# Where the thing's noun phrase ends: a clause, a coordination, a preposition, a participle
# after its first word ("no recruitment videos targeting him") or punctuation.
_PHRASE_END = re.compile(r"(?i)\s*(?:[,.;:!?)\"“”]|\s(?:nor|or|and|but|that|which|who|whom|when|where|because|"
                         r"in|on|at|from|to|for|with|by|about|during|since|after|before|as|near|under|into|over|off|"
                         r"so|yet|now|[a-z]{3,}ing)\b|$)")
_DETERMINER = re.compile(r"(?i)(?:the|a|an|any|this|that|these|those|such|his|her|their|its|our|your)\s+")
# A find: "had found the student newspaper article", "obtained a copy of …" (its head: "copy").
_FIND = re.compile(r"(?i)\b(?:found|obtained|located|uncovered|recovered|retrieved|discovered)\s+(?=(?:the|a|an|his|"
                   r"her|their|its|this|that|these|those)\s)")
_NEGATED_BEFORE = re.compile(r"(?i)\b(?:not|never|no|n['’]t|cannot|nothing)\s+(?:\w+\s+){0,2}$")


def _head(text: str, start: int) -> tuple[str | None, int]:
    """The head noun (last word, lower case, a plural's "s" cut) of the noun phrase at ``start``
    (a determiner skipped), and where the phrase ends."""
    start += len(d.group(0)) if (d := _DETERMINER.match(text, start)) else 0
    m = _PHRASE_END.search(text, start)
    end = m.start() if m else len(text)
    words = re.findall(r"[A-Za-z][\w'’-]*", text[start:end])
    if not words or len(words) > 6:
        return None, end
    return _fold(re.sub(r"['’]s$", "", words[-1]).lower()), end


def _fold(head: str) -> str:
    """A head noun's plural folded ("barrels" → "barrel"), as topic terms fold it."""
    return head[:-1] if head.endswith("s") and not head.endswith("ss") and len(head) > 3 else head


# "no record of the class nor of a … article": one absence of two things.
_AND_OF = re.compile(r"(?i)\s*,?\s*(?:nor|or|and)\s+of\s+")


# Heads that name no thing one could show ("there is no doubt", "had no reason to"): never an absence.
_NOT_THINGS = frozenset({"doubt", "question", "reason", "need", "way", "time", "chance", "point", "place", "room",
                         "comment", "choice", "intention", "idea", "plan", "problem", "issue", "matter", "one",
                         "other", "longer", "more", "less", "difference", "word", "say", "interest", "desire"})


# A thing spoken of before: "no evidence of the videos", "a particular video", "no such letters".
_REFERRING = re.compile(r"(?i)(?:the|these|those|that|this|such|(?:an?|any)\s+(?:particular|specific|such))\s")
_PARTICULAR = re.compile(r"(?i)(?:particular|specific|such)\s")


def absences(text: str, referring: bool = False) -> frozenset[str]:
    """Head nouns of what ``text`` says there is no record, trace or evidence of: "no record of the
    class nor of a Yale Daily News article" → {"class", "article"}. With ``referring``, only
    things it speaks of as already brought up ("no evidence of the videos", "didn't have a
    particular video in mind"; not "there was no telephone call", "doesn't have a strategy")."""
    out = set()
    for m in _ABSENCE.finditer(text):
        start: int | None = m.end()
        if referring and not (_REFERRING.match(text, m.end()) or re.search(r"(?i)\bsuch\s+$", m.group(0))
                              or _PARTICULAR.match(text, m.end()) and re.search(r"(?i)\b(?:an?|any)\s+$", m.group(0))):
            continue
        while start is not None:
            head, end = _head(text, start)
            if head and head not in _NOT_THINGS:
                out.add(head)
            start = more.end() if (more := _AND_OF.match(text, end)) else None
    return frozenset(out)


# "the letter you claim never existed": a thing shown against one who said it does not exist.
_SAID_NOT_TO_EXIST = re.compile(r"(?i)\b(?:the|that|this|these|those)\s+((?:[\w-]+\s+){0,3}?)([a-z][\w-]*)\s+"
                                r"(?:(?:that|which)\s+)?(?:you|they|he|she|we|critics|some)\s+(?:\w+\s+)?"
                                r"(?:claim(?:s|ed)?|sa(?:y|ys|id)|insist(?:s|ed)?)\s+(?:never\s+(?:existed|happened)|"
                                r"(?:did|does|do)\s*(?:not|n['’]t)\s+(?:exist|happen))\b")


def finds(text: str) -> frozenset[str]:
    """Head nouns of what ``text`` says was found or obtained ("had found the student newspaper
    article" → {"article"}) or shown against one who said it never existed ("the letter you
    claim never existed" → {"letter"}); not where the find is negated ("never found the letter")."""
    out = {_fold(m.group(2).lower()) for m in _SAID_NOT_TO_EXIST.finditer(text)}
    for m in _FIND.finditer(text):
        if _NEGATED_BEFORE.search(text[:m.start()]):
            continue
        head, _ = _head(text, m.end())
        if head:
            out.add(head)
    return frozenset(out)
