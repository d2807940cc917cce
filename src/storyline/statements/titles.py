"""Headlines and title lines: when a headline's words really name who speaks.

A headline standing alone (the UCI stream is titles only) is read with fewer cues than a
sentence, and its colon is most often a label, not a speaker's: "MARKET: …", "Op-Ed: …",
"Mt. Gox: Bankrupt, Accused and Hacked", "Japan data: …". A headline attributes only where

* "X says Y" (or tells, warns, calls for, … :data:`~.lexicon.HEADLINE_SPEECH`) has a *named*
  speaker X (:func:`names_speaker`): a person, an organisation or a country, a source noun
  ("Police", "Regulators", "Report"), or a capitalised word that is not an English word
  ("Noyer"); not "Stocks", "Gold" or "Japan data";
* "X: Y" has a named source X (:func:`names_source`): a person or an organisation, a source
  noun or such a name, never a label in capitals ("MARKET", "WATCH"), a rubric, a place, a
  product (:func:`names_product`: "Titanfall on Xbox One:") or a fragment; and Y is a clause
  (:func:`is_clause`): something is said, not listed.

A title line's speaker is then narrowed to the words that can name someone
(:func:`speaker_words`): no verb ("Watch Ed Snowden", "Edward Snowden Speaks at …"), no label
run into it over a colon.

The tests are on spaCy tokens of the headline's parse; the small model tags Title Case badly
("Miley Fan Snuck Into Dressing Room" has no verb), so a clause is also looked for in the
words after the colon parsed again in sentence case.
"""

from __future__ import annotations

import re
from typing import Any

from . import lexicon as lx
from .nlp import is_english_word, load_nlp


def is_title(par: str) -> bool:
    """Whether a paragraph reads as a headline or a title line: one short line that does not end
    as a sentence does ("… with ..." cut short, a quotation, no full stop), or is Title Cased."""
    words = par.split()
    if not words or len(words) > 25 or "\n" in par.strip():
        return False
    body = par.rstrip(" \t\"'”’)]")
    body = body[:-3] if body.endswith("...") else body.rstrip("…")
    if not body.rstrip(" \"'”’").endswith("."):
        return True
    long = [w for w in words if sum(ch.isalpha() for ch in w) >= 4]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.7 * len(long)


_CAMEL = re.compile(r"[a-z][A-Z]")
# Entities that name who can speak; any other entity on the head (a place, a product, a show, a
# date) makes the words before a colon a label.
_SPEAKING_ENTITIES = frozenset({"PERSON", "ORG"})
_COUNTRY_ENTITIES = frozenset({"GPE", "NORP"})


def _lower(token: Any) -> str:
    return token.text.lower()


def _words(doc: Any, start: int, end: int) -> list[Any]:
    return [t for t in doc if start <= t.idx < end and t.tag_ != "POS" and not t.is_punct]


def _label_word(token: Any) -> bool:
    """An English word in capitals ("MARKET", "WATCH", "UPDATE"): a section label, where an
    acronym in capitals ("NYT", "ECB", "US": short words are acronyms) is a name, and a source
    noun ("POLICE", "REPORT") a source whatever its case."""
    return len(token.text) > 3 and token.text.isupper() and token.text.isalpha() and is_english_word(token.text) \
        and token.text.lower() not in lx.SOURCE_NOUNS


def _a_name(token: Any) -> bool:
    """A capitalised word that is not an English word ("Snowden", "Noyer", "NYT"): more likely a
    name than one that is ("Projection", "Market"); camel case is a product ("LivePlay")."""
    word = token.text.strip(".")
    return word[:1].isupper() and not _CAMEL.search(word) and not is_english_word(word)


def names_source(doc: Any, text: str, start: int, end: int, signed: bool = False) -> bool:
    """Whether ``text[start:end]`` before (or, ``signed``, after) a headline's colon names who
    speaks: a person, an organisation, an outlet or a source noun ("Police"); not a label in
    capitals ("MARKET"), a rubric ("Op-Ed", "Recap"), a place ("Japan"), a show or product
    ("Cosmos", "Mt. Gox", "LivePlay"), a common word ("Market", "Account") or a fragment
    ("Forget Mt. Gox", "Gox Seeks", "Japan data")."""
    phrase = text[start:end].lower()
    tokens = _words(doc, start, end)
    if not tokens or phrase in lx.NOT_SPEAKERS or phrase in lx.RUBRICS:
        return False
    if any(_lower(t) in lx.RUBRICS or _lower(t) in lx.NOT_SPEAKERS or _lower(t) in lx.EVENTS
           or t.tag_.startswith("VB") or _label_word(t) for t in tokens):
        return False
    head = tokens[-1]
    if _lower(head) in lx.RUBRIC_HEADS:
        return False
    if _lower(head) in lx.SOURCE_NOUNS or head.ent_type_ == "PERSON":
        return True
    # A headline's sign-off after its colon is a person or a source ("…: China Credit" is a column).
    if not signed and head.ent_type_ == "ORG" and (head.tag_ in ("NNP", "NNPS") or _a_name(head)):
        return True  # "Reuters", "Wall Street Journal"; not "Market" read as an organisation
    if signed and head.ent_type_ == "ORG" and head.text.isupper() and 2 <= len(head.text) <= 5 and _a_name(head):
        return True  # "…: MTA", "…: NTSB": an agency's initials sign the line
    if head.ent_type_:
        return False  # a place, a product, a work, a date
    return _a_name(head)


def names_product(doc: Any, text: str, start: int, end: int, after: int) -> bool:
    """Whether ``text[start:end]``, before a headline's colon (or its "on"), names a product
    rather than a source: a name (not an English word, as a source noun is) that is no person,
    organisation or country, put on a platform ("Skyrim on PS4: …") or followed by what is told
    of a product ("Skyrim: release date, DLC and gameplay", "Skyrim: PC resolution confirmed").
    ``after`` is where the rest of the line starts."""
    tokens = _words(doc, start, end)
    if not tokens or any(t.ent_type_ in _SPEAKING_ENTITIES or t.ent_type_ in _COUNTRY_ENTITIES for t in tokens):
        return False
    if not _a_name(tokens[-1]):
        return False  # a source noun ("Insider: … Xbox One …", "Report: … Switch …") is a source
    for m in re.finditer(r"[\w'’-]+", text[after:]):
        word = m.group(0)
        if word.lower() in lx.PRODUCT_TERMS or word.lower() in lx.PLATFORMS and not word.islower():
            return True
    return False


def names_speaker(doc: Any, start: int, end: int, head: Any) -> bool:
    """Whether the subject ``text[start:end]`` (headed by ``head``) of a headline's speech verb
    names who speaks: a person, organisation or country ("Paul Ryan", "EBay", "Japan"), a source
    or a title ("Safety regulators", "US agency", "Android leader Sundar Pichai"), or a name the
    model missed ("Noyer"); not a thing ("Stocks", "Gold") or a fragment ("Japan data")."""
    tokens = _words(doc, start, end)
    if not tokens or any(_label_word(t) for t in tokens):
        return False
    low = _lower(head)
    if low in lx.EVENTS:
        return False  # "SXSW says …" is its organisers, and a headline would name them
    if low in lx.SOURCE_NOUNS or low in lx.SPEAKER_NOUNS or low in lx.TITLES:
        return True
    if head.ent_type_ in _SPEAKING_ENTITIES or head.ent_type_ in _COUNTRY_ENTITIES:
        return True
    return not head.ent_type_ and _a_name(head)


def _has_clause(tokens: list[Any]) -> bool:
    """A subject with its verb among ``tokens``: "Europe must wake up", "NSA gave …", "They're
    setting fire"; not "Bankrupt, Accused and Hacked" or "A Spacetime Odyssey: Ratings", nor a
    clause that only qualifies a noun ("Exact Timing When Players Can Start", "Everything you need
    to know": the phrase names a topic, it says nothing)."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.i in inside \
                and (t.head.tag_.startswith("VB") or t.head.tag_ == "MD" or _child_verb(t.head)) \
                and not _qualifies(t.head, tokens[0].i):
            return True
    return False


_WH_TAGS = frozenset({"WRB", "WDT", "WP", "WP$"})


def _qualifies(verb: Any, first: int) -> bool:
    """Whether ``verb``'s clause qualifies a noun rather than stating something: a relative clause,
    or one opened by a wh-word that is not the first word of the part (an opening "How …" is an
    explainer, told apart before)."""
    if verb.dep_ in ("relcl", "acl"):
        return True
    opener = verb.left_edge
    if opener.tag_ in _WH_TAGS and opener.i > first:
        return True
    # A noun just before the subject the clause hangs on: "everything else you need", the parse
    # having missed the relative clause.
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.tag_ != "PRP":
        return False
    i = subject.left_edge.i - 1
    while i > first and verb.doc[i].tag_ == "RB":  # "everything else you need"
        i -= 1
    return i >= first and verb.doc[i].tag_ in ("NN", "NNS")


def _child_verb(token: Any) -> bool:
    return any(c.dep_ in ("aux", "auxpass", "cop") for c in token.children)


def _sentence_case(text: str) -> str:
    """Title Case words after the first in lower case, capitals ("NSA") and names kept as they
    are only where they are not Title Case: enough for the tagger to see the verb."""
    words = text.split(" ")
    return " ".join([words[0]] + [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words[1:]])


def title_cased(text: str) -> bool:
    """Whether a headline is written in Title Case: most of its longer words capitalised."""
    long = [w for w in text.split() if sum(ch.isalpha() for ch in w) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long[1:]) >= 0.7 * (len(long) - 1)


def lower_cased(text: str) -> str:
    """:func:`sentence_cased` with the first word lowered too where it is an English word ("Watch Ed
    Snowden tell …" → "watch Ed Snowden tell …"), so the tagger sees an opening verb as a verb."""
    cased = sentence_cased(text)
    m = re.match(r"\s*[\"'“‘]?([A-Z][a-z']*)\b", cased)
    if m is None or not m.group(1)[1:].islower() or not is_english_word(m.group(1)):
        return cased
    return cased[:m.start(1)] + m.group(1).lower() + cased[m.end(1):]


_VERB_TAGS = frozenset({"VB", "VBZ", "VBP", "VBD"})


def speaker_words(cased: Any, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of a title line's speaker ``text[start:end]`` that can name someone, read on
    ``cased`` (the line parsed as :func:`lower_cased` gives it, the same characters): a verb is
    never part of a name, so one opening the phrase goes ("Watch Ed Snowden", "Revealing Promo")
    and one inside ends it ("Edward Snowden Speaks at …", "George Zimmerman Signs Autographs At Gun
    Show"); a phrase that runs over a colon ran a label into its subject, and names no one
    (``None``). A phrase read as verbs throughout is kept: a name the tagger took for a verb."""
    if ":" in text[start:end]:
        return None
    words = [t for t in cased if start <= t.idx < end and not t.is_punct]
    tokens = list(words)

    # Written capitalised: a lower-case word after a cue ("says report") is the tagger's doubt.
    def verb(t: Any) -> bool:
        return text[t.idx].isupper() and t.tag_ in _VERB_TAGS

    while tokens and (verb(tokens[0]) or text[tokens[0].idx].isupper() and tokens[0].tag_ == "VBG"):
        tokens.pop(0)
    for k, t in enumerate(tokens[1:], 1):
        if verb(t):
            tokens = tokens[:k]
            break
    if not tokens or tokens == words:  # all of it read as verbs: a name the tagger doubts ("Hunt", "Grant")
        return start, end
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def sentence_cased(text: str) -> str:
    """A Title Cased headline in sentence case, its names kept: the English words after the first
    in lower case ("Snowden Defends NSA Leaks" → "Snowden defends NSA leaks", "GM's Barra Vows
    Transparency" → "GM's Barra vows transparency"), so the tagger sees the verb and the name.
    Only letters change case: every character keeps its place."""
    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        if m.start() == 0 or not word[1:].islower() or not is_english_word(word):
            return word
        return word.lower()
    return re.sub(r"[A-Za-z][a-z']*", lower, text)


_EXPLAINER = re.compile(r"(?i)(?:how|why|what|when|where|who|which|whose)\b")
_POSSESSIVE = re.compile(r"['’]s$")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|(?<!\w)['‘][^'’]*['’](?!\w)")


def is_about(text: str, start: int, end: int, name: str) -> bool:
    """Whether ``text[start:end]`` (what follows a headline's colon) speaks of ``name`` (what
    precedes it) outside quotations: "Justin Bieber: Singer's Bieber-mobile impounded", "Kim: Her
    new look" name a topic, not a speaker."""
    part = _QUOTED.sub(" ", text[start:end])
    if re.match(r"\s*(?:his|her|their)\b", part, re.IGNORECASE):
        return True
    words = [w for w in re.findall(r"[A-Z][\w’'-]{2,}", name) if w.lower() not in lx.TITLES]
    if not words:
        return False
    last = _POSSESSIVE.sub("", words[-1])
    return re.search(rf"\b{re.escape(last)}\b", part) is not None


def _quoted_share(part: str) -> float:
    """How much of ``part``, which opens with a quotation mark, the quotation holds: all of it when
    the quotation is not closed (a headline cut short inside it)."""
    close = {"'": "'", '"': '"', "‘": "’", "“": "”"}[part[0]]
    end = re.search(rf"{re.escape(close)}(?!\w)", part[1:])
    return 1.0 if end is None else (end.start() + 2) / len(part)


def passive_cue(verb: Any) -> bool:
    """Whether a headline's speech verb is a bare past participle, so its subject is who was spoken
    to or of, not who spoke: headlines report speech in the present ("Noyer says", "EBay urges"),
    and "US urged to export more LNG", "Investors warned about …", "Americans said to be riding …",
    "Titanfall Xbox One Confirmed at 792p" are passive. A past form with an object or a clause of
    its own ("Obama warned Putin", "Snowden said NSA …") is an active past and stands."""
    deps = {c.dep_ for c in verb.children}
    if deps & {"auxpass", "nsubjpass"}:
        return True
    # The small model tags a Title Case participle as a proper noun ("Titanfall Xbox One Confirmed").
    past = verb.tag_ in ("VBD", "VBN") or (verb.tag_ == "NNP" and verb.text.lower().endswith("ed"))
    return past and not deps & {"aux", "dobj", "ccomp", "dative"}


def is_explainer(part: str) -> bool:
    """Whether what follows a headline's colon opens as an explainer ("How the hackers got in")."""
    return _EXPLAINER.match(part.strip()) is not None


def is_clause(doc: Any, text: str, start: int, end: int, nlp: Any = None) -> bool:
    """Whether ``text[start:end]``, what follows a headline's colon, says something: a clause
    (in the headline's parse, or in that part parsed again in sentence case) or a quotation; not
    an explainer ("Account: How the hackers got in")."""
    part = text[start:end].strip()
    if part[:1] in "'\"‘“" and len(part) > 3 and _quoted_share(part) >= 0.5:
        return True  # "Edward Snowden: 'They're setting fire to …'"; not "“good news” coming for …"
    if _EXPLAINER.match(part):
        return False
    if _has_clause([t for t in doc if start <= t.idx < end]):
        return True
    again = (nlp or load_nlp())(_sentence_case(part))
    return _has_clause(list(again))


__all__ = ["is_about", "is_clause", "is_explainer", "is_title", "lower_cased", "names_product", "names_source",
           "names_speaker", "passive_cue", "sentence_cased", "speaker_words", "title_cased"]
