"""Who said what: attributions (speaker, cue, content) found by rules over a dependency parse.

Each paragraph is parsed by spaCy (:func:`~storyline.statements.nlp.load_nlp`). A *cue* is a
reporting word ("said", "wrote", "according to", "called for", …, :mod:`.lexicon`); its
speaker is the grammatical subject (or the agent of a passive, "stated by X"; or the subject
of the verb a participle hangs on, "…, saying that"); its content the clause it governs.
A word with its preposition is a cue too (``lexicon.PREP_CUES``, counted on PolNeAR's train
part): a verb, adjective or noun whose content is the preposition's object ("railed against X",
"have been critical of X", "Trump's criticism of X"). "X said, citing Y": X cites Y.
Quotations next to a cue are its content whole, across sentences and around the cue
(``"…," he said, "…"``; ``"…," she said. "…"``); a clause that is partly quoted is *mixed*. Speakers written as a
pronoun or a title are resolved to the nearest fitting name earlier in the text.

The rules also propose what only may be an attribution: any verb with a subject ("The ad
references X") and nouns with a possessor ("his determination to act alone"). Every candidate
is described by a few categorical features (:func:`_features`) and a logistic model
(:mod:`.confidence`, fitted on PolNeAR's train part) keeps those likely enough.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import lexicon as lx
from .boundaries import BoundaryModel, EdgeChooser, EdgeOptions, default_boundaries, edge_options, redraw
from .confidence import ConfidenceModel, default_model
from .cues import absence_of_evidence, continued, inside_absence
from .encoder_edges import EncoderBoundaries, Pieces
from .gender import Genders
from .nominal import nominal_attributions
from .nlp import lemma, load_nlp
from .titles import (
    is_about,
    is_clause,
    is_explainer,
    is_title,
    lower_cased,
    names_product,
    names_source,
    names_speaker,
    passive_cue,
    sentence_cased,
    speaker_words,
    title_cased,
)

Kind = str  # "direct" | "indirect" | "mixed"


@dataclass(slots=True, frozen=True)
class Span:
    """``text[start:end]`` of the analysed text."""

    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True, frozen=True)
class Attribution:
    """One attributed statement.

    ``content`` covers the whole statement; ``content_parts`` its pieces when a quotation is
    split around the cue (``"A," he said, "B"`` has the two quotations as parts), else
    ``(content,)``. ``speaker_name`` is the speaker resolved within the text: a name for a
    pronoun or title ("he" → "Andriy Sybiha"), the name part of a named speaker ("Polish
    Foreign Minister Radoslaw Sikorski" → "Radoslaw Sikorski"), ``None`` for an unnamed one
    ("sources").
    """

    speaker: Span | None
    cue: Span
    content: Span
    kind: Kind
    speaker_name: str | None
    content_parts: tuple[Span, ...] = field(default=())
    confidence: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"speaker": self.speaker.as_dict() if self.speaker else None, "cue": self.cue.as_dict(),
                "content": self.content.as_dict(), "kind": self.kind, "speaker_name": self.speaker_name,
                "confidence": self.confidence}


# --- paragraphs and quotations ------------------------------------------------------------

_DATE_PREFIX = re.compile(r"^ ?date \d{4}-\d{2}-\d{2} ")
_LINE = re.compile(r"[^\n]+")
# Curly and straight marks are mixed in the wild (“Immunity deals …," he said): either closes.
_QUOTE = re.compile(r"“[^“”\"]*[”\"]|\"[^\"“”\n]*[\"”]|''(?:(?!'').)+''|‘‘[^‘’]*’’")
_TRIM = " \t,;:—–-"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Line spans to parse; a seed-style ``date YYYY-MM-DD`` prefix is left out."""
    skip = m.end() if (m := _DATE_PREFIX.match(text)) else 0
    spans = []
    for m in _LINE.finditer(text):
        start = max(m.start(), skip)
        if m.end() > start and text[start:m.end()].strip():
            spans.append((start, m.end()))
    return spans


def _quotes(text: str) -> list[tuple[int, int]]:
    """Quotations of one paragraph, marks included; an unclosed last one runs to the end."""
    found = [(m.start(), m.end()) for m in _QUOTE.finditer(text) if m.end() - m.start() > 2]
    opened = text.rfind("“")
    if opened >= 0 and "”" not in text[opened:] and '"' not in text[opened:] and (not found or opened >= found[-1][1]):
        found.append((opened, len(text.rstrip())))
    return found


# --- spans of tokens ----------------------------------------------------------------------

def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _subtree(token: Any) -> tuple[int, int]:
    sub = list(token.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def _tok(token: Any) -> tuple[int, int]:
    return token.idx, token.idx + len(token.text)


def _lower(token: Any) -> str:
    return token.text.lower()


def _cue_base(token: Any) -> str | None:
    return lx.FORM_TO_BASE.get(_lower(token))


def _child(token: Any, *deps: str) -> Any | None:
    for c in token.children:
        if c.dep_ in deps:
            return c
    return None


# --- one candidate per cue ----------------------------------------------------------------

@dataclass(slots=True)
class _Candidate:
    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_token: Any | None
    content: list[tuple[int, int]]
    kind: Kind
    verb: Any
    rule: str = "verb"  # which rule found it: verb, generic, word, raising, according, citing, relay, evidence, …
    origin: str = ""  # where its content came from: ccomp, prep, dobj, xcomp, quote, colon, …
    vouched: bool = False  # kept whatever the model says: a title's colon whose speaker passed the stricter test


def _subject(verb: Any, depth: int = 0) -> tuple[Any | None, bool]:
    """The speaker token of ``verb`` and whether it is an expletive passive ("it was reported")."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and not c.is_punct), None)
    if subj is not None:
        return subj, False
    passive = _child(verb, "nsubjpass")
    agent = _child(verb, "agent")
    if agent is not None:
        pobj = _child(agent, "pobj")
        if pobj is not None:
            return pobj, False
    if passive is not None:
        return None, True
    if verb.dep_ == "relcl" or verb.dep_ == "acl" and _lower(verb).endswith("ing") and verb.head.dep_ not in _VERBAL:
        return verb.head, False  # "the senator who said", "a tweet attacking X"
    if verb.dep_ in ("xcomp", "advcl") and verb.tag_ == "VBG" and verb.i > 0 \
            and (before := verb.doc[verb.i - 1]).tag_ in ("NNP", "NNPS") and before.dep_ in ("pobj", "dobj"):
        return before, False  # "footage of Hillary Clinton asking, …": the name just before it
    if verb.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep") and depth < 3 and verb.head.i != verb.i:
        return _subject(verb.head, depth + 1)
    return None, False


def _speaker_span(token: Any, text: str, verb: Any) -> tuple[int, int]:
    """The speaker as written: the subject's phrase, without a clause that holds the cue."""
    if _lower(token) in lx.RELATIVE_PRONOUNS or token.dep_ in ("nsubj", "nsubjpass", "pobj") and token.head is verb:
        start, end = _subtree(token)
    else:
        start, end = _subtree(token)
        # the head noun of a relative clause: its phrase up to the clause
        for c in token.children:
            if c.dep_ in ("relcl", "acl") and c.i >= verb.i:
                end = min(end, list(c.subtree)[0].idx)
    if token.i < verb.i and verb.idx < end:  # never run over the cue
        end = verb.idx
    if m := _NAME_TAIL.match(text, end):  # "Censor.NET", which the tokenizer splits
        end = m.end()
    return _trim(text, start, end)


_NAME_TAIL = re.compile(r"(?:\.[A-Za-z0-9]+)+")


def _joins(word: Any, prep: Any, preps: Sequence[str]) -> bool:
    """Whether ``prep`` makes a cue with ``word``: one of ``preps``, after the word and before
    its object, with an object that is not a date ("called on X", not "On Sunday, X called" or
    "called X a liar on Tuesday")."""
    if prep.dep_ != "prep" or _lower(prep) not in preps or prep.i < word.i:
        return False
    obj = _child(prep, "pobj", "pcomp")
    if obj is None or obj.ent_type_ in ("DATE", "TIME"):
        return False
    return not any(c.dep_ in ("dobj", "attr") and word.i < c.i < prep.i for c in word.children)


def _content_of(verb: Any, base_word: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None, str]:
    """Content spans governed by ``verb``, for phrasal cues the preposition that joins the cue,
    and which construction gave the content."""
    comp = _child(verb, "ccomp")
    if comp is not None:
        return [_subtree(comp)], None, "ccomp"
    preps = lx.PHRASAL.get(base_word, ()) + lx.PREP_CUES.get(_lower(verb), ())
    for c in verb.children:
        if _joins(verb, c, preps):
            return [_subtree(_child(c, "pobj", "pcomp"))], _tok(c), "prep"
    if base_word in lx.PHRASAL_ONLY:
        return [], None, ""
    for c in verb.children:  # "called for Ukraine to lift …": the preposition is a clause's marker
        if c.dep_ == "advcl" and (mark := _child(c, "mark")) is not None and _lower(mark) in lx.PHRASAL.get(base_word, ()):
            start, end = _subtree(c)
            return [(mark.idx + len(mark.text) + 1, end)], _tok(mark), "mark"
    xcomp = _child(verb, "xcomp")
    oprd = _child(verb, "oprd")  # "called the program 'worse than amnesty'"
    obj = _child(verb, "dobj")
    if obj is None and oprd is not None and oprd.i > verb.i + 1 \
            and _child(verb, "nsubjpass", "auxpass") is None:  # not "can hardly be called progress"
        # "called both Trump and Clinton 'crazy'", the object parsed into the predicate's phrase
        return [(verb.doc[verb.i + 1].idx, _subtree(oprd)[1])], None, "oprd"
    if obj is not None and base_word not in lx.ADDRESSEE:
        start, end = _subtree(obj)
        for more in (xcomp, oprd):
            if more is not None and more.i > obj.i:
                end = max(end, _subtree(more)[1])
        for c in verb.children:  # "accused Cruz of being …"
            if c.dep_ == "prep" and c.i > obj.i and _lower(c) in ("of", "for", "to", "about", "that"):
                end = max(end, _subtree(c)[1])
        return [(start, end)], None, "dobj"
    if xcomp is not None:
        return [_subtree(xcomp)], None, "xcomp"
    if oprd is not None and verb.dep_ != "relcl":  # "Trump was called a liar", not "which can be called X"
        return [_subtree(oprd)], None, "oprd"
    return [], None, ""


_VERBAL = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "parataxis"})


def _prep_cue(token: Any) -> Any | None:
    """The preposition that makes ``token`` a cue with its object as content ("critical of")."""
    preps = lx.PREP_CUES.get(_lower(token))
    if preps is None:
        return None
    return next((c for c in token.children if _joins(token, c, preps)), None)


_NOMINAL = frozenset({"dobj", "attr", "acomp", "oprd"})


def _word_candidate(tok: Any, cue_end: int, content: tuple[int, int], text: str) -> _Candidate:
    """"Trump's criticism of X", "Republicans have been critical of X", "made no mention of X":
    the possessor, else the subject of the verb the word hangs on (which joins the cue), or of
    the word itself when it is the verb, is the speaker."""
    start = tok.idx
    holder = _child(tok, "poss")
    if holder is None and tok.dep_ in _NOMINAL and tok.head.i != tok.i:
        verb = tok.head
        holder, _ = _subject(verb)
        if verb.i < tok.i:  # the verb is part of the cue ("have been critical of")
            start = min([verb.idx] + [c.idx for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i])
    elif holder is None and tok.dep_ not in ("nsubj", "nsubjpass", "pobj", "compound", "amod", "conj", "appos"):
        holder, _ = _subject(tok)
    speaker = None
    if holder is not None:
        s, e = _speaker_span(holder, text, tok)
        speaker = (s, e) if e > s else None
    return _Candidate((start, cue_end), speaker, holder, [content], "indirect", tok, "word", "prep")


_NOUN_SLOTS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT"})
_NOUN_PREPS = ("of", "about", "for", "on", "against", "with", "to", "over", "that")


def _noun_content(noun: Any) -> tuple[tuple[int, int], int, str] | None:
    """The content a noun governs ("claim that X", "determination to X", "obsession with X"), the
    end of its cue and the construction."""
    for c in noun.children:
        if c.i < noun.i:
            continue
        if c.dep_ in ("acl", "ccomp") and any(t.dep_ in ("aux", "mark") and _lower(t) in ("to", "that") for t in c.children):
            return _subtree(c), noun.idx + len(noun.text), c.dep_
        if c.dep_ == "prep" and _lower(c) in _NOUN_PREPS and (obj := _child(c, "pobj", "pcomp")) is not None \
                and obj.ent_type_ not in ("DATE", "TIME"):
            return _subtree(obj), c.idx + len(c.text), "prep"
    return None


# "said to reporters", "spoke with journalists": after a speech verb, "to" and "with" name the
# addressee, so they are no stance's object; verbs whose "to" does ("objected to") are in the lexicon.
_STANCE_PREPS = frozenset({"about", "against", "on", "of", "for", "over", "at"})


def _generic_prep(verb: Any, preps: frozenset[str] | None = None) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The object of the first preposition after a verb (or its adjective: "were coy about X"),
    one of ``preps`` if given."""
    for word in (verb, _child(verb, "acomp")):
        if word is None:
            continue
        for c in word.children:
            if c.dep_ == "prep" and c.i > word.i and (preps is None or _lower(c) in preps) \
                    and (obj := _child(c, "pobj", "pcomp")) is not None \
                    and obj.ent_type_ not in ("DATE", "TIME", "GPE", "LOC", "FAC"):
                return _subtree(obj), _tok(c)
    return None


def _loose_clause(verb: Any) -> tuple[int, int] | None:
    """A clause with its own subject that the parser hung on a reporting verb as an adverbial
    ("said after the convention he would not accept …"), or a "that" clause it hung on the
    verb's object ("told a meeting of leaders that few people …"): what was said."""
    for c in verb.children:
        if c.dep_ == "advcl" and c.i > verb.i and (subj := _child(c, "nsubj", "nsubjpass")) is not None \
                and ((mark := _child(c, "mark")) is None or _lower(mark) == "that") \
                and all(_lower(a) == "that" for a in c.children if a.dep_ == "advmod"):
            end = _subtree(c)[1]
            lead = _child(c, "mark", "advmod")  # the clause from its "that" or subject, not "after the convention"
            return min(_subtree(subj)[0], lead.idx if lead is not None and lead.i < subj.i else end), end
    obj = _child(verb, "dobj")
    if obj is not None:
        for t in obj.subtree:
            if t.dep_ in ("relcl", "acl", "ccomp") and _child(t, "nsubj", "nsubjpass") is not None \
                    and (mark := _child(t, "mark")) is not None and _lower(mark) == "that":
                return mark.idx, _subtree(t)[1]
    return None


def _fronted(verb: Any) -> tuple[int, int] | None:
    """'People like Scott, he said.': what comes before the speaker and its comma."""
    subj = _child(verb, "nsubj")
    if subj is None or verb.i < subj.i or verb.dep_ != "ROOT":
        return None
    start = _subtree(subj)[0]
    before = [t for t in verb.sent if t.idx < start]
    if len(before) < 3 or before[-1].text != ",":
        return None
    return before[0].idx, before[-1].idx


def _adjective_clause(verb: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The clause an adjective after the verb governs ("are afraid that X", "is determined to
    warn X") and the adjective, which ends the cue."""
    adj = _child(verb, "acomp")
    if adj is None:
        return None
    for c in adj.children:
        if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i:
            return _subtree(c), _tok(adj)
    return None


def _as_aside(verb: Any) -> list[tuple[int, int]]:
    """For "as X said" set in a clause ("It does not answer whether Scott had a gun, as police
    have said"), the clause around it."""
    mark = _child(verb, "mark")
    if verb.dep_ != "advcl" or mark is None or _lower(mark) != "as" or verb.head.i == verb.i:
        return []
    hs, he = _subtree(verb.head)
    ts, te = _subtree(verb)
    text = verb.doc.text
    return [p for p in ((hs, ts), (te, he)) if len(text[p[0]:p[1]].split()) >= 2]


def _verb_candidates(doc: Any, text: str, generic: bool = False) -> Iterator[_Candidate]:
    for tok in doc:
        if inside_absence(tok):  # the "suggest" of "have no evidence to suggest": the haver's (.cues)
            continue
        if generic and (absent := absence_of_evidence(tok)) is not None and (holder := _child(tok, "nsubj")):
            s, e = _speaker_span(holder, text, tok)
            yield _Candidate(_tok(tok), (s, e) if e > s else None, holder, [absent], "indirect", tok, "absence",
                             "dobj", vouched=True)
            continue
        word = _cue_base(tok)
        prep = _prep_cue(tok)
        if prep is not None and (word is None or tok.dep_ not in _VERBAL):
            obj = _child(prep, "pobj", "pcomp")
            yield _word_candidate(tok, prep.idx + len(prep.text), _subtree(obj), text)
            continue
        if (word is not None or generic) and (obj := _child(tok, "dobj", "attr", "acomp")) is not None \
                and _prep_cue(obj) is not None:
            continue  # "expressed concerns about X": the noun's candidate holds the verb
        rule = "verb"
        if generic and tok.dep_ in _NOUN_SLOTS and (holder := _child(tok, "poss")) is not None \
                and (noun := _noun_content(tok)) is not None:
            # "his determination to act alone", "Trump's claim that …"
            s, e = _speaker_span(holder, text, tok)
            yield _Candidate((tok.idx, noun[1]), (s, e) if e > s else None, holder, [noun[0]], "indirect", tok,
                             "noun", noun[2])
            continue
        if word is None and generic and tok.is_alpha:
            agent = _child(tok, "agent")
            by = _child(agent, "pobj") if agent is not None else None
            if tok.dep_ in _VERBAL | {"acl"} and _child(tok, "nsubj") is None and by is not None:
                # "a penalty imposed by the bureau", "his decision was overturned by an appeals court"
                word = _lower(tok)
                rule = "generic" if by.ent_type_ in ("PERSON", "ORG", "NORP") else "generic-noun"
            elif tok.dep_ in _VERBAL and (sub := _child(tok, "nsubj")) is not None and _lower(sub) != "there":
                # any verb with a subject: the confidence model tells stances ("backed", "seizing on") from events
                word = _lower(tok)
                rule = "generic" if sub.ent_type_ in ("PERSON", "ORG", "NORP") or \
                    _lower(sub) in lx.PERSON_PRONOUNS | {"they"} else "generic-noun"
        if word is None or tok.dep_ in ("amod", "compound", "nsubj", "nsubjpass", "dobj", "pobj", "det", "aux",
                                        "auxpass"):
            continue
        if _lower(tok) in ("citing", "quoting"):  # a source of the head clause: see _according_candidates
            continue
        if word in lx.RAISING:  # "the race appeared to change": an impression with no one giving it
            subj, xcomp = _child(tok, "nsubj"), _child(tok, "xcomp")
            if subj is not None and xcomp is not None and _lower(subj) not in lx.RELATIVE_PRONOUNS:
                yield _Candidate(_tok(tok), None, None, [_subtree(subj), _subtree(xcomp)], "indirect", tok, "raising",
                                 "xcomp")
            continue
        content, prep, origin = _content_of(tok, word)
        if not content and _child(tok, "agent") is not None and (passive := _child(tok, "nsubjpass")) is not None:
            content, origin = [_subtree(passive)], "passive"  # "this was stated by X"
        if not content and (extra := _generic_prep(tok, None if rule.startswith("generic") else _STANCE_PREPS)):
            # "is seizing on X", "were coy about X", "the court ruled Friday against X"
            content, prep, origin = [extra[0]], extra[1], "generic-prep"
        if not content and (adj := _adjective_clause(tok)) is not None:
            content, prep, origin = [adj[0]], adj[1], "acomp"  # "are afraid that X", "is determined to X"
        if not content and rule.startswith("generic") and _child(tok, "agent") is not None \
                and tok.dep_ == "acl" and tok.head.i < tok.i:
            content, origin = [(_subtree(tok.head)[0], tok.idx)], "passive"  # "a penalty imposed by X"
        if not content and rule == "verb" and (clause := _loose_clause(tok)) is not None:
            content, origin = [clause], "advcl"  # "Trump said after the convention he would not …"
        if not content and (aside := _as_aside(tok)):
            content, origin = aside, "as"  # "…, as police have said"
        if not content and rule == "verb" and (front := _fronted(tok)) is not None:
            content, origin = [front], "fronted"  # "People like Scott, he said."
        content = continued(tok, content, origin)  # "deemed X false because Y" (.cues)
        subj, expletive = _subject(tok)
        speaker = None
        if subj is not None:
            s, e = _speaker_span(subj, text, tok)
            speaker = (s, e) if e > s else None
        elif not expletive:
            speaker = None
        cue = _tok(tok) if prep is None else (tok.idx, prep[1])
        if tok.dep_ == "ROOT" or tok.dep_ == "parataxis" or not content:
            # "X, sources said": the clause the cue comments on is the content
            head = tok.head if tok.dep_ == "parataxis" else None
            if not content and head is not None:
                hs, he = _subtree(head)
                ts, te = _subtree(tok)
                content = [p for p in ((hs, ts), (te, he)) if p[1] - p[0] > 1]
                origin = "head"
        yield _Candidate(cue, speaker, subj, content, "indirect", tok, rule, origin)


def _according_candidates(doc: Any) -> Iterator[_Candidate]:
    for tok in doc:
        low = _lower(tok)
        if low == "in" and tok.dep_ == "prep" and (obj := _child(tok, "pobj")) is not None \
                and _lower(obj) in lx.EVIDENCE_NOUNS and tok.head.dep_ == "ROOT" and tok.i < tok.head.i:
            # "In the new poll, Clinton leads …": the poll is the source
            hs, he = _subtree(tok.head)
            te = _subtree(tok)[1]
            yield _Candidate(_tok(tok), _subtree(obj), obj, [(te, he)], "indirect", tok, "evidence", "head")
            continue
        if low not in ("according", "citing", "quoting"):
            continue
        if low == "according":
            to = _child(tok, "prep")
            if to is None or _lower(to) != "to":
                continue
            src = _child(to, "pobj")
            cue = (tok.idx, to.idx + len(to.text))
        else:
            src = _child(tok, "dobj", "pobj")
            cue = _tok(tok)
        if src is None:
            continue
        head = tok.head
        while head.dep_ == "prep" and head.head.i != head.i:
            head = head.head
        if head.i == tok.i:  # "According to X." alone
            continue
        hs, he = _subtree(head)
        ts, te = _subtree(tok)
        content = [p for p in ((hs, ts), (te, he)) if p[1] - p[0] > 1]
        if low != "according":
            subj, _ = _subject(head)
            if subj is None:
                continue
            if subj.dep_ != "pobj":  # "X said, citing Y": X cites Y (PolNeAR: Y is the content)
                s, e = _speaker_span(subj, doc.text, head)
                yield _Candidate(cue, (s, e) if e > s else None, subj, [_subtree(src)], "indirect", tok, "citing", "dobj")
                continue
            # "…, citing Ukrinform, this was stated by X": Y relays the same content
        start, end = _subtree(src)
        if m := _NAME_TAIL.match(doc.text, end):
            end = m.end()
        yield _Candidate(cue, (start, end), src, content, "indirect", tok, low if low == "according" else "relay", "head")


def _nominal_candidates(doc: Any, text: str) -> Iterator[_Candidate]:
    """"Tulsa police's earlier claim that X", "a report by Politico that X" (:mod:`.nominal`): kept
    whatever the model says, which never saw a noun of saying with its source and clause."""
    for n in nominal_attributions(doc):
        speaker = _trim(text, *n.source)
        yield _Candidate(_tok(n.noun), speaker if speaker[1] > speaker[0] else None, n.holder, [n.content],
                         "indirect", n.noun, "nominal", "that", vouched=True)


# --- direct quotations --------------------------------------------------------------------

_GAP_BEFORE = re.compile(r"^[\s,;:—–-]*$")
_GAP_AFTER = re.compile(r"^[\s,;:—–-]*$")


_NEXT_SENTENCE = re.compile(r"^[^“”\"\n]{0,40}?[.!?]\s+$")


def _signed(quote: tuple[int, int], candidates: list[_Candidate], text: str) -> bool:
    """Whether a cue follows ``quote`` ('"B," he added'): the quotation is that cue's."""
    for c in candidates:
        left = min([c.cue[0]] + ([c.speaker[0]] if c.speaker else []))
        if left >= quote[1] and _GAP_AFTER.match(text[quote[1]:left]):
            return True
    return False


def _quotes_whole(span: tuple[int, int], text: str) -> bool:
    return text[span[0]:span[0] + 1] in "“\"‘'" and text[span[1] - 1:span[1]] in "”\"’'"


def _speaker_outside(cand: _Candidate, quotes: list[tuple[int, int]], text: str) -> None:
    """A speaker the parser found inside a quotation while the cue is outside it ('"… Full panic
    mode," said Leslie Wimes': both are subjects of "said") is replaced by the subject outside."""
    def quoted(span: tuple[int, int]) -> bool:
        return any(q[0] <= span[0] and span[1] <= q[1] for q in quotes)

    if cand.speaker is None or not quoted(cand.speaker) or quoted(cand.cue):
        return
    for c in cand.verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c is not cand.speaker_token and not quoted(_tok(c)):
            s, e = _speaker_span(c, text, cand.verb)
            cand.speaker, cand.speaker_token = ((s, e), c) if e > s else (None, None)
            return
    cand.speaker, cand.speaker_token = None, None


_NAME_TAGS = frozenset({"NNP", "NNPS", "PRP"})


def _speaker_before(cand: _Candidate, quotes: list[tuple[int, int]], text: str) -> None:
    """'"…," Flynn, a top Trump surrogate, said Thursday': the parser lost the subject of a
    reporting verb that follows a quotation; the name between the quotation and the verb is it."""
    verb = cand.verb
    if cand.speaker is not None or cand.rule != "verb" or _child(verb, "nsubjpass", "expl") is not None:
        return
    closing = [q[1] for q in quotes if q[1] <= verb.idx]
    if not closing:
        return
    between = [t for t in verb.doc if closing[-1] <= t.idx and t.i < verb.i]
    words = [t for t in between if not t.is_punct]
    if not words or len(words) > 12 or words[0].tag_ not in _NAME_TAGS or not verb.tag_.startswith("VB") \
            or any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in words) or not _GAP_BEFORE.match(
            text[closing[-1]:words[0].idx]):
        return
    start, end = _trim(text, words[0].idx, words[-1].idx + len(words[-1].text))
    cand.speaker, cand.speaker_token = (start, end), words[0]


def _attach_quotes(candidates: list[_Candidate], quotes: list[tuple[int, int]], text: str,
                   following: tuple[int, int] | None = None) -> None:
    """Quotations next to a cue's clause become its content (split ones as two parts); a cue
    that ends its paragraph with a colon has the ``following`` paragraph as content."""
    taken: set[tuple[int, int]] = set()
    # the generic rule's guesses come last, so they never take a quotation from a reporting verb
    for cand in sorted(candidates, key=lambda c: (c.rule.startswith("generic"), c.cue[0])):
        points = [cand.cue] + ([cand.speaker] if cand.speaker else [])
        left = min(p[0] for p in points)
        right = max(p[1] for p in points)
        before = [q for q in quotes if q[1] <= left and _GAP_BEFORE.match(text[q[1]:left]) and q not in taken]
        if any(c[0] >= cand.cue[1] and c[1] - c[0] > 12 and text[c[0]] not in "“\"‘'" for c in cand.content):
            # 'On "Fox News Sunday," Pence said his …', '"…." He said that if …': a cue with its own
            # clause after it does not take a quotation before it
            before = []
        after = [q for q in quotes if q[0] >= right and _GAP_AFTER.match(text[right:q[0]]) and q not in taken]
        if before and not after:  # '"A," she said. "B."': the next sentence's quotation goes on
            after = [q for q in quotes if q[0] >= right and _NEXT_SENTENCE.match(text[right:q[0]]) and q not in taken
                     and not _signed(q, candidates, text)][:1]
        parts = before[-1:] + after[:1]
        mixed = False
        if before:  # 'X sends a message that a priority "is increasing taxes," Kamin said': the clause whole
            q = before[-1]
            lead = [c for c in cand.content if c[0] < q[0] - 1 and c[1] > q[0] and text[c[0]:q[0]].strip()]
            if lead:
                parts[0] = (lead[0][0], q[1])
                mixed = True
        colon = re.match(r"\s*:\s*", text[cand.cue[1]:])
        if not parts and colon and cand.cue[1] + colon.end() < len(text):
            cand.content, cand.origin = [(cand.cue[1] + colon.end(), len(text))], "colon"
            continue
        if not parts and colon and following is not None:  # 'He said:' and the quotation below
            cand.content, cand.origin = [following], "following"
            cand.kind = "direct" if text[cand.cue[1]:].strip() == ":" and _quotes_whole(following, text) else "indirect"
            continue
        if not parts:
            covered = [q for q in quotes if any(c[0] <= q[0] and q[1] <= c[1] + 1 for c in cand.content)]
            if covered:
                content_len = sum(c[1] - c[0] for c in cand.content)
                quoted = sum(q[1] - q[0] for q in covered)
                cand.kind = "direct" if quoted >= 0.9 * content_len else "mixed"
            continue
        # a quotation that the clause before the cue already continues ("… said: 'x'") is whole
        cand.content = parts
        cand.kind = "mixed" if mixed else "direct"
        cand.origin = "quote" if len(parts) == 1 else "quotes"
        taken.update(before[-1:] + after[:1])


# --- speakers' names ----------------------------------------------------------------------

def _is_cap(token: Any) -> bool:
    return token.text[:1].isupper() or token.text[:1].isdigit()


def _name_of(token: Any) -> str | None:
    """The name part of a noun phrase headed by ``token``: compounds up to the last title word."""
    appos = _child(token, "appos")
    if appos is not None and _is_cap(appos) and not _is_cap(token):
        token = appos
    elif appos is not None and _is_cap(appos) and _lower(token) in lx.TITLES:
        token = appos
    if not _is_cap(token) or _lower(token) in lx.TITLES:
        return None
    parts = [token]
    for c in sorted(token.children, key=lambda c: -c.i):
        if c.i != parts[0].i - 1:
            continue
        if c.dep_ in ("compound", "flat") and _is_cap(c) and _lower(c) not in lx.TITLES:
            parts.insert(0, c)
    # compounds of compounds: "Andriy" under "Sybiha" under nothing else
    i = parts[0].i - 1
    doc = token.doc
    while i >= 0 and doc[i].dep_ in ("compound", "flat") and _is_cap(doc[i]) and _lower(doc[i]) not in lx.TITLES \
            and doc[i].head.i in {p.i for p in parts}:
        parts.insert(0, doc[i])
        i -= 1
    name = " ".join(p.text for p in parts)
    name = re.sub(r"\s+(['’]s)$", "", name)
    return name or None


def _person_entity(token: Any) -> str | None:
    """The PERSON entity that holds ``token`` or its apposition, without the titles before it."""
    for t in (token, _child(token, "appos")):
        if t is not None and t.ent_type_ == "PERSON":
            ent = next(e for e in t.doc.ents if e.start <= t.i < e.end)
            words = list(ent)
            while words and (_lower(words[0]) in lx.TITLES or not _is_cap(words[0])):
                words.pop(0)
            # a given name the entity left out: "Marcel" of "Marcel Lazăr Lehel", a compound of its head
            while words and (k := words[0].i - 1) >= 0 and (w := t.doc[k]).dep_ == "compound" \
                    and w.head.i in {x.i for x in words} and _is_cap(w) and w.text.isalpha() \
                    and _lower(w) not in lx.TITLES and not w.ent_type_:
                words.insert(0, w)
            if words:
                return t.doc.text[words[0].idx:words[-1].idx + len(words[-1].text)]
    return None


def _name_in(doc: Any, span: tuple[int, int]) -> str | None:
    """A name inside a speaker phrase whose head is a title ("President of Ukraine Volodymyr
    Zelenskyy"): its last PERSON entity, else its last run of two or more capitalised words."""
    tokens = [t for t in doc if span[0] <= t.idx < span[1]]
    people = [t for t in tokens if t.ent_type_ == "PERSON"]
    if people:
        return _name_of(people[-1]) or people[-1].text
    run: list[Any] = []
    best: list[Any] = []
    for t in tokens:
        if _is_cap(t) and _lower(t) not in lx.TITLES and t.text.isalpha() and t.i > tokens[0].i \
                and t.ent_type_ not in ("GPE", "NORP", "LOC"):
            run.append(t)
        else:
            run = []
        if len(run) >= 2:
            best = list(run)
    return " ".join(t.text for t in best) if best else None


@dataclass(slots=True)
class _Mention:
    offset: int
    name: str
    person: bool
    context: str  # lower-case words around it (its titles)
    before: str = ""  # the word written right before the name ("Mrs."), for its gender


def _mentions(doc: Any, base: int) -> list[_Mention]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        head = ent.root
        name = _name_of(head) or ent.text
        name = re.sub(r"^[Tt]he\s+", "", name)
        lo = max(0, ent.start - 6)
        context = " ".join(_lower(t) for t in doc[lo:ent.end + 8])
        person = ent.label_ == "PERSON" or len(name.split()) >= 2 and ent.label_ == "ORG" and \
            any(_lower(t) in lx.TITLES for t in doc[lo:ent.start])
        at = doc.text.find(name, ent.start_char)
        before = doc.text[:at].split()[-1:] if at >= 0 else []
        out.append(_Mention(ent.start_char + base, name, person, context, before[0] if before else ""))
    return out


def _within(name: str, written: str) -> str:
    """A headline speaker's name kept inside the speaker as written: a Title Case line runs the
    name on into the verb ("Lindsay Lohan Insists" of "Lindsay Lohan Insists She Is Sober"), where
    the speaker the rules drew stops; the written speaker's name part is taken then ("Barra" of
    "GM's Barra")."""
    letters = [c for c in written if c.isalpha()]
    # A name in capitals is not cut by the parse ("CARL ICAHN" read as "ICAHN", a role before it).
    whole = " " in written.strip() and bool(letters) and all(c.isupper() for c in letters)
    if name in written and not whole:
        return name
    words = re.split(r"\s+", re.sub(r"^.*['’]s\s+", "", written).strip())
    while words and words[0].lower() in lx.TITLES:
        words.pop(0)
    return " ".join(words) or written


def _resolve(cand: _Candidate, base: int, mentions: list[_Mention], last_person: str | None,
             genders: Genders | None = None) -> str | None:
    tok = cand.speaker_token
    if tok is None:
        return None
    low = _lower(tok)
    if low in lx.RELATIVE_PRONOUNS and tok.head.i != tok.i:
        tok = tok.head.head if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "relcl" else tok
        low = _lower(tok)
    if low not in lx.GROUP_PRONOUNS | lx.PERSON_PRONOUNS | lx.RELATIVE_PRONOUNS | lx.FIRST_PERSON:
        name = _person_entity(tok) or _name_of(tok)
        if cand.speaker is not None:
            written = tok.doc.text[cand.speaker[0]:cand.speaker[1]]
            if " " not in written and written[:1].isupper():  # one word as written: "Censor.NET", "Sibiga"
                name = re.sub(r"['’]s$", "", written)
            elif name is None:
                name = _name_in(tok.doc, cand.speaker)
        if name is not None:
            name = re.sub(r"^[Tt]he\s+", "", name)
            # "Ukraine Volodymyr Zelenskyy" (NER ran "President of Ukraine" into the name): the
            # longest ending that the text names a person elsewhere
            shorter = [m.name for m in mentions if m.person and name.endswith(" " + m.name) and " " in m.name]
            return max(shorter, key=len) if shorter else name
    offset = tok.idx + base
    earlier = [m for m in mentions if m.offset < offset]
    if low in lx.PERSON_PRONOUNS:
        genders = genders or Genders()
        if last_person and genders.fits(low, last_person):
            return last_person
        people = [m for m in earlier if m.person and genders.fits(low, m.name)]  # "she": not Donald Trump
        return people[-1].name if people else None
    if low in lx.FIRST_PERSON:
        return None
    if low in ("they", "it"):
        orgs = [m for m in earlier if not m.person]
        return orgs[-1].name if orgs and low == "it" else None
    if low in lx.DOCUMENT_NOUNS:  # "…," the statement said: written by whoever spoke last
        return last_person
    if low in lx.TITLES:  # "the minister": the last person named with that title
        titled = [m for m in earlier if m.person and low in m.context.split()]
        if titled:
            return titled[-1].name
        return None
    return None


# --- putting it together ------------------------------------------------------------------

# A transcript's turn may open with a stray quotation mark ('"WALLACE: Let's start …').
# A name may be followed by where it spoke ("Edward Snowden at SXSW: …"): a setting, not the name.
_HEADLINE = re.compile(r"^[\"“]?([A-Z][\w.’'&-]*(?: (?!(?:At|AT)\b)[A-Z][\w.’'&-]*){0,3})"
                       r"(?P<setting> (?:at|At|AT|@) [A-Z0-9][\w.’'&-]*(?: [A-Z0-9][\w.’'&-]*){0,2})? ?: (?=\S)")
# A headline signed after a colon ("Reforms vindicate secret leaks: Snowden", "…: traders").
_TRAILING = re.compile(r"\S.*?: ((?:[A-Z][\w.’'&-]*|[a-z]+)(?: [a-z]+)?(?: [A-Z][\w.’'&-]*){0,3})[\s.]*$")
# A quotation signed with a dash after it ('“He represents our greatest shame.” ― Sonya Herridge').
_SIGNED = re.compile(r"^\s*([“”\"].*[“”\"])\s*([―—–]|--?)\s*([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,4})[\s.]*$")


def _token_at(doc: Any, start: int, end: int) -> Any | None:
    return next((t for t in doc if t.idx >= start and t.idx + len(t.text) <= end), None)


def _headline_candidate(doc: Any, text: str, title: bool = False) -> _Candidate | None:
    """"Gingrich: Trump Must Decide …": a name, a colon, and what the named said. In a title line
    the name must name a source and what follows must not be a question ("Morning MoneyBeat: Will
    …?"); a title may also be signed after its colon ("Reforms vindicate secret leaks: Snowden")."""
    m = _HEADLINE.match(text)
    # A bare source noun ("Police:", "Report:") heads what it found, clause or not ("Report: Bank
    # Immune To Old Claims"); a name may head a topic, so after it a clause must follow.
    bare = m is not None and m.group(1).lower() in lx.SOURCE_NOUNS and not is_explainer(text[m.end():])
    if m is not None and title and (not names_source(doc, text, m.start(1), m.end(1))
                                    or names_product(doc, text, m.start(1), m.end(1), m.end(1))
                                    or text.rstrip(" .…\"'”’").endswith("?")
                                    or not (bare or is_clause(doc, text, m.end(), len(text)))
                                    or is_about(text, m.end(), len(text), m.group(1))):
        m = None
    if m is not None and not title and m.group("setting"):
        m = None  # outside a title line, "… at …:" is a sentence's own colon
    if m is None or m.group(1).lower() in lx.NOT_SPEAKERS or len(text) - m.end() < 8:
        t = _TRAILING.match(text) if title else None
        if t is None or not names_source(doc, text, t.start(1), t.end(1), signed=True) or t.start(1) < 10 \
                or not is_clause(doc, text, 0, t.start(1) - 2):
            return None  # what is signed is a claim: "Reforms vindicate secret leaks", not "Review"
        head = [tok for tok in doc if t.start(1) <= tok.idx < t.end(1)][-1]
        colon = t.start(1) - 2
        return _Candidate((colon, colon + 1), (t.start(1), t.end(1)), head, [(0, colon)], "indirect", head,
                          "headline", "colon", vouched=True)
    head = _token_at(doc, m.start(1), m.end(1))
    if title and head is not None:
        # A title line's source is a noun phrase headed by its last word: "Wall Street Journal",
        # "CARL ICAHN", "LME OFFICIALS" are named whole, never by their first word.
        head = [t for t in doc if m.start(1) <= t.idx < m.end(1)][-1]
    colon = m.end("setting") if m.group("setting") else m.end(1)
    return _Candidate((colon, colon + 1), (m.start(1), m.end(1)), head, [(m.end(), len(text))], "indirect",
                      head, "headline", "colon", vouched=title) if head is not None else None


# "Google on wearables: 'We're just scratching the surface'": a named source on a topic, quoted.
_ON_TOPIC = re.compile(r"^([A-Z][\w.’'&-]*(?: [A-Z][\w.’'&-]*){0,3}) on [^:]{2,60}: (?=['\"‘“])")
# "MtGox faced 150k DDoS attacks per second says report": the speaker after a closing cue.
_SAID_AFTER = re.compile(r"^(.{10,}?),? ([Ss]ays|[Ss]aid|[Ww]arns|[Cc]laims|[Rr]ules|[Rr]uled) "
                         r"((?:[A-Z][\w.’'&-]*|[a-z]+)(?: [\w.’'&-]+){0,3}?)[\s.…]*$")
# "Internet in danger, Snowden tells conference": the speaker and a speech verb close the line,
# with at most the audience after them.
_NAMED_AFTER = re.compile(r"^(.{10,}?)[,:] ([A-Z][\w.’'&-]*(?: [A-Za-z][\w.’'&-]*){0,3}?|[a-z]+) "
                          r"((?i:says|said|tells|told|warns|insists|claims|rules|ruled))(?: [a-z]+){0,2}[\s.…]*$")
# A source noun signing the line after a dash or in brackets ("Oil will slide - analyst", "Star to
# write memoir (Report)"); a name after a dash is the outlet's ("… - KTVN Channel 2").
_NOUN_SIGNED = re.compile(r"^(.{10,}?)(?:\s+[-–—]\s+|\s*\()([a-z]+|[A-Z][a-z]+)\)?[\s.]*$")
# A count or an update mark at the end of a line ("… Judge Rules (1)", "… (Update)") is no part of it.
_LINE_MARK = re.compile(r"\s*\((?:\d+|[Uu]pdate[sd]?|UPDATE|[Vv]ideo|VIDEO)\)\s*$")
# An outlet's name after the headline ("… for leaks - KTVN Channel 2 - Reno ...").
_OUTLET = re.compile(r"\s+-\s+")


def _title_cue(tok: Any) -> tuple[Any, int] | None:
    """Whether ``tok`` is a title line's speech verb whose content is what follows it, and if so
    its subject and where that content starts: "Noyer says 'not happy' …" (a saying verb), "Icahn
    slams eBay CEO" (a verb of stance whose object is what was said), "Germany rejects Putin claim
    …" (a verb of denial whose object is a claim); a verb joined to another shares its subject
    ("Mayor cancels parade, says streets are unsafe")."""
    bases = {_cue_base(tok) or lemma(tok), lemma(tok)}
    if not tok.tag_.startswith("VB") or passive_cue(tok):
        return None  # "Americans said to be riding …": of them, not by them
    obj = _child(tok, "dobj")
    finite = tok.tag_ in ("VBZ", "VBP", "VBD")  # "urges issuers to report violations": the report is not theirs
    if bases & lx.HEADLINE_SAYING:
        pass
    elif bases & lx.HEADLINE_STANCE and obj is not None and finite:
        pass
    elif bases & lx.HEADLINE_CLAUSE and finite and (clause := _child(tok, "ccomp")) is not None \
            and _child(clause, "nsubj", "nsubjpass") is not None \
            and (clause.tag_ in ("VBZ", "VBD", "MD") or _child(clause, "aux", "auxpass", "mark") is not None):
        pass  # "reveals phone is months away"; not "revealed Mt. Gox face behind the mask", a misparse
    elif bases & lx.HEADLINE_DENIAL and obj is not None and lemma(obj) in lx.CLAIM_NOUNS:
        obj = None  # what follows the verb is the claim denied, whole
    else:
        return None
    subj, _ = _subject(tok)
    after_comma = tok.i > 1 and tok.doc[tok.i - 1].text == ","
    if subj is None and after_comma:
        subj = _leading_subject(tok)
    if subj is None and after_comma and tok.dep_ == "dep" and tok.head.i < tok.i:
        subj = _child(tok.head, "nsubj")  # "Retailer rejects bid, urges …", the join left unnamed
    if subj is None or subj.i > tok.i:
        return None
    joined = tok.dep_ == "conj" or tok.dep_ in ("advcl", "dep") and after_comma
    if subj.head.i != tok.i and not (joined and subj.head.i == tok.head.i and tok.head.i < tok.i) \
            and not (after_comma and subj.head.dep_ in ("ccomp", "advcl", "conj") and subj.head.head.i == tok.i):
        return None  # its own subject, before it: "MtGox faced …, says report" is no claim of MtGox's
    start = tok.idx + len(tok.text)
    if bases & lx.ADDRESSEE and obj is not None and re.search(r"\w\w", tok.doc.text[_subtree(obj)[1]:]):
        start = _subtree(obj)[1]  # "tells Oprah Winfrey she's through …"; "urges reelection" is what was urged
    return subj, start


def _leading_subject(tok: Any) -> Any | None:
    """The subject of the clause before a subject-less speech verb after a comma: "Snowden voices no
    regrets, says leaks sparked debate" (the parse hangs the first clause on "says", as it would
    "Y, X says"). Only when something follows the verb: "…, says report" has its speaker there."""
    if tok.i + 2 >= len(tok.doc) or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None
    for clause in tok.children:
        if clause.dep_ in ("ccomp", "advcl", "conj") and clause.i < tok.i and clause.tag_.startswith("VB"):
            return next((c for c in clause.children if c.dep_ == "nsubj" and c.i < clause.i), None)
    return None


def _same_token(doc: Any, token: Any) -> Any | None:
    """``token`` of another parse of the same characters, in ``doc``."""
    return next((t for t in doc if t.idx == token.idx and len(t.text) == len(token.text)), None)


def _title_candidates(doc: Any, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """``candidates`` of a title line, with its speech where the parse gives no usable content:
    "ECB's Christian Noyer says 'not happy' with euro's rise" (what follows the cue is what was
    said, in place of a content the parse put before the cue), "Noyer on the euro: '…'", "… says
    report". The new ones are kept whatever the model says; their speakers are checked here. A
    Title Cased line is parsed again in sentence case (the tagger reads "Snowden Defends NSA
    Leaks" as one name), its names kept as written; the characters, and so the spans, are the same."""
    out: list[_Candidate] = []
    replaced: set[int] = set()
    parses = [doc]
    if title_cased(text):  # the sentence-case parse first: it reads Title Case subjects better
        parses.insert(0, load_nlp()(sentence_cased(text)))
    for parse in parses:
        for cue in parse:
            found_cue = _title_cue(cue)
            tok = _same_token(doc, cue)
            if found_cue is None or tok is None or tok.i in replaced:
                continue
            subj, start = found_cue
            end = m.start() if (m := _OUTLET.search(text, start)) else len(text)
            content = _trim(text, start, end)
            if not re.search(r"\w\w", text[content[0]:content[1]]):
                continue  # "…, says ..." cut short
            speaker = _speaker_span(subj, text, cue)
            if not names_speaker(parse, speaker[0], speaker[1], subj):
                continue
            found = [c for c in candidates if c.verb.i == tok.i]
            if found and all(c.content and c.content[0][0] > tok.idx for c in found):
                continue  # the parse's content follows the cue: it stands
            head = _same_token(doc, subj)
            if head is None:
                continue
            replaced.add(tok.i)
            out.append(_Candidate(_tok(tok), speaker, head, [content], "indirect", tok, "title", "rest", vouched=True))
    if (m := _ON_TOPIC.match(text)) and not out and names_source(doc, text, m.start(1), m.end(1)) \
            and not names_product(doc, text, m.start(1), m.end(1), m.end(1)):
        head = [t for t in doc if m.start(1) <= t.idx < m.end(1)][-1]
        out.append(_Candidate((m.end(1) + 1, m.end(1) + 3), (m.start(1), m.end(1)), head, [(m.end(), len(text))],
                              "direct", head, "title", "colon", vouched=True))
    line = text[:m.start()] if (m := _LINE_MARK.search(text)) else text
    if not out and (m := _SAID_AFTER.match(line)) and is_clause(doc, text, 0, m.end(1)):
        head = [t for t in doc if m.start(3) <= t.idx < m.end(3)][-1]
        verb = _token_at(doc, m.start(2), m.end(2))
        if verb is not None and names_speaker(doc, m.start(3), m.end(3), head):
            out.append(_Candidate((m.start(2), m.end(2)), (m.start(3), m.end(3)), head, [(0, m.end(1))], "indirect",
                                  verb, "title", "said-after", vouched=True))
    if not out and (m := _NAMED_AFTER.match(line)):
        head = [t for t in doc if m.start(2) <= t.idx < m.end(2)][-1]
        verb = _token_at(doc, m.start(3), m.end(3))
        if verb is not None and names_speaker(doc, m.start(2), m.end(2), head):
            out.append(_Candidate((m.start(3), m.end(3)), (m.start(2), m.end(2)), head, [(0, m.end(1))], "indirect",
                                  verb, "title", "said-after", vouched=True))
    if not out and (m := _NOUN_SIGNED.match(line)) and m.group(2).lower() in lx.SOURCE_NOUNS:
        head = _token_at(doc, m.start(2), m.end(2))
        if head is not None:
            out.append(_Candidate((m.start(2) - 1, m.start(2)), (m.start(2), m.end(2)), head, [(0, m.end(1))],
                                  "indirect", head, "title", "signed", vouched=True))
    return [c for c in candidates if c.verb.i not in replaced] + out


def _speaks_in_title(cand: _Candidate) -> bool:
    """A title line's attribution holds when its speaker is named (a headline has no antecedent for
    "we" or "you", and "Stocks warn" or "Japan data suggest" name no one) and its cue is one
    headlines report speech with."""
    if cand.rule == "headline":
        return True
    if cand.speaker is None or cand.speaker_token is None or _lower(cand.speaker_token) in _TITLE_PRONOUNS:
        return False
    head = cand.speaker_token
    # A lone lower-case word ("…, post claimed evidence": a misparsed verb) names no one.
    if not names_speaker(head.doc, cand.speaker[0], cand.speaker[1], head):
        return False
    if cand.rule == "according":
        return True
    # "Titanfall Xbox One Confirmed at 792p": a headline's bare participle is passive, its subject what was confirmed.
    if passive_cue(cand.verb):
        return False
    base = _cue_base(cand.verb) or lemma(cand.verb)
    # "Chain declares bankruptcy", "Regulators dismissed complaints": an act on a thing, where
    # "declares it will …" or "dismissed the claims" would be speech.
    if base in lx.HEADLINE_ACTS_ON_THINGS and cand.origin == "dobj" \
            and ((obj := _child(cand.verb, "dobj")) is None or lemma(obj) not in lx.CLAIM_NOUNS):
        return False
    return base in lx.HEADLINE_SPEECH


_TITLE_PRONOUNS = lx.PERSON_PRONOUNS | lx.GROUP_PRONOUNS | lx.FIRST_PERSON | {"you", "i", "this", "that"}


def _signed_candidate(doc: Any, text: str) -> _Candidate | None:
    """A whole paragraph quoted and signed with the speaker's name after a dash."""
    m = _SIGNED.match(text)
    if m is None or m.group(3).lower() in lx.NOT_SPEAKERS:
        return None
    head = _token_at(doc, m.start(3), m.end(3))
    if head is None:
        return None
    last = [t for t in doc if m.start(3) <= t.idx < m.end(3)][-1]  # the name's head is its last word
    return _Candidate((m.start(2), m.end(2)), (m.start(3), m.end(3)), last, [(m.start(1), m.end(1))], "direct", last,
                      "signed", "quote")


def _closing_marks(text: str, start: int, end: int) -> str:
    """The marks that would close a quotation opened inside ``text[start:end]`` and still open at
    ``end`` ("" when none is)."""
    if text.count("“", start, end) > text.count("”", start, end) or text.count('"', start, end) % 2 == 1:
        return "”\""
    if text.count("``", start, end) > text.count("''", start, end) or text.count("''", start, end) % 2 == 1:
        return "'"
    if text.count("‘", start, end) > text.count("’", start, end):
        return "’"
    return ""


# The punctuation a quotation closes over and its closing mark: '… a "loser."', '… grade school,”'.
_CLOSING = re.compile(r"[.,!?;:]*(”|\"|''|’)")
# Words whose full stop is part of them, not the sentence's: a clause that ends with one keeps it.
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Inc|Co|Corp|Ltd|U\.S|a\.m|p\.m))\.$")


def _content_end(text: str, start: int, end: int) -> int:
    """Where content ending at ``end`` ends as PolNeAR's annotators draw it (counted on its
    train part): a quotation still open there runs on over its punctuation to its closing mark
    ('calling him a “loser.”', not 'a “loser'); a clause leaves its sentence's full stop out."""
    if (m := _CLOSING.match(text, end)) and m.group(1)[0] in _closing_marks(text, start, end):
        return m.end()
    if text[end - 1:end] == "." and not _ABBREVIATION.search(text, start, end):
        return end - 1
    return end


# Words that, right after a content the parse stopped short, carry it on to the sentence's end
# in PolNeAR's train annotations ("described [the judge] as “Spanish,”", "called on [X] to
# release …"): each gains at least three exact content matches there, counted by
# ``benchmarks/polnear_boundaries.py``.
RUN_ON_WORDS = frozenset({"as", "to", "with", "that", "since", "if", "should", "will", "was", "had"})
_RUN_ON = re.compile(r"\s+(\w+)\b")
_SENTENCE_END = re.compile(r"[.!?](?:[”\"’']+)?(?=\s|$)|\n")


def _run_on(text: str, start: int, end: int) -> int:
    """Where content after its cue ends when the words after ``end`` carry it on (:data:`RUN_ON_WORDS`)."""
    m = _RUN_ON.match(text, end)
    if m is None or m.group(1).lower() not in RUN_ON_WORDS:
        return end
    stop = _SENTENCE_END.search(text, end)
    last = len(text.rstrip()) if stop is None else stop.end() if stop.group().strip() else stop.start()
    return max(end, _content_end(text, start, last))


# What closes an appositive or an aside that the speaker phrase holds: "Axelrod, a former
# newspaperman, said"; "The United States and others - including Germany's experts - want".
_ASIDE_CLOSE = re.compile(r"(,|\s*(?:—|–|--|-)(?=\s))")


_OPENING_QUOTES = {"'": "'", '"': '"', "\u2018": "\u2019", "\u201c": "\u201d"}


def _closes_a_quote(text: str, start: int, end: int, mark: str) -> bool:
    """Whether ``text[start:end]`` holds ``mark`` closing a quotation opened before ``start``
    (for a straight single quote, not one between two letters: "Trump's" holds an apostrophe)."""
    for i in range(start, end):
        if text[i] != mark:
            continue
        if mark == "'" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            continue
        return True
    return False


def _speaker_extent(text: str, speaker: tuple[int, int]) -> tuple[int, int]:
    """The speaker phrase as PolNeAR's annotators draw it (counted on its train part): without
    trailing spaces, and with the comma or dash that closes an aside it opened; and with the
    quotation mark that opens a quoted word it holds ("'Parody' protesters", whose opening mark
    the parse leaves out)."""
    start, end = speaker
    while end > start and text[end - 1] in " \t\xa0":
        end -= 1
    if start > 0 and (close := _OPENING_QUOTES.get(text[start - 1])) is not None \
            and (start < 2 or not text[start - 2].isalpha()) and _closes_a_quote(text, start, end, close):
        start -= 1
    if m := _ASIDE_CLOSE.match(text, end):
        mark = m.group(1).strip()
        if (", " if mark == "," else f" {mark} ") in text[start:end]:
            end = m.end()
    return start, end


def _span(text: str, offsets: tuple[int, int], base: int) -> Span:
    return Span(offsets[0] + base, offsets[1] + base, text[offsets[0] + base:offsets[1] + base])


_PRONOUN_KINDS = (("person-pronoun", lx.PERSON_PRONOUNS), ("relative", lx.RELATIVE_PRONOUNS),
                  ("first-person", lx.FIRST_PERSON | {"you", "me", "us"}), ("they", {"they", "them"}), ("it", {"it"}),
                  ("document", lx.DOCUMENT_NOUNS), ("title", lx.TITLES))


def _speaker_kind(token: Any | None) -> str:
    if token is None:
        return "none"
    low = _lower(token)
    for kind, words in _PRONOUN_KINDS:
        if low in words:
            return kind
    if token.ent_type_:
        return "ent-" + token.ent_type_
    return "cap" if _is_cap(token) else "noun"


def _stem(form: str) -> str:
    """A crude stem that pools a verb's forms ("links", "linked", "linking" → "link")."""
    for suffix in ("ing", "ed", "es", "s"):
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            form = form[:-len(suffix)]
            break
    return form[:-1] if len(form) > 3 and form[-1] == form[-2] else form


def _bucket(n: int) -> str:
    return next(label for limit, label in ((1, "1"), (3, "2-3"), (7, "4-7"), (15, "8-15"), (31, "16-31"))
                if n <= limit) if n <= 31 else "32+"


def _features(cand: _Candidate, parts: list[tuple[int, int]], par: str, nested: _Candidate | None,
              reporters: Counter[str]) -> list[str]:
    """What the confidence model sees of a candidate (parts are offsets into ``par``; ``reporters``
    from :func:`_reporters`)."""
    verb = cand.verb
    form = _lower(verb)
    cue = par[cand.cue[0]:cand.cue[1]].lower()
    base = _cue_base(verb)
    lex = ("speech" if base in lx.CUE_VERBS else "polnear" if form in lx.POLNEAR_FORMS
           else "prep" if form in lx.PREP_CUES else "listed" if base else "other")
    speaker = _speaker_kind(cand.speaker_token)
    words = sum(len(par[s:e].split()) for s, e in parts)
    content_first = par[parts[0][0]:parts[0][1]].lstrip("“\"‘' ").split(" ", 1)[0].lower()
    before = parts[-1][1] <= cand.cue[0]
    out = [f"rule={cand.rule}", f"origin={cand.origin}", f"kind={cand.kind}", f"form={form}", f"cue={cue}",
           f"lex={lex}", f"dep={verb.dep_}", f"speaker={speaker}", f"len={_bucket(words)}",
           f"rule={cand.rule}|origin={cand.origin}", f"lex={lex}|speaker={speaker}", f"form={form}|origin={cand.origin}",
           f"lex={lex}|origin={cand.origin}", f"lex={lex}|dep={verb.dep_}", f"rule={cand.rule}|speaker={speaker}"]
    if cand.speaker_token is not None:
        out.append(f"speaker-dep={cand.speaker_token.dep_}")
        out.append(f"speaker-word={_lower(cand.speaker_token)}")  # "the ad", "the newspaper", "the poll"
        out.append(f"form={form}|speaker={speaker}")
        reports = reporters.get(_lower(cand.speaker_token), 0)
        out.append(f"reports={_bucket(reports) if reports else 0}")  # a reporting verb's subject elsewhere
        out.append(f"reports={min(reports, 2)}|rule={cand.rule}")
    if verb.tag_:  # tense and mood ("says" / "said" / "saying" / "to say") and the base word
        base_word = lemma(verb)
        out.extend((f"tag={verb.tag_}", f"tag={verb.tag_}|lex={lex}", f"tag={verb.tag_}|rule={cand.rule}",
                    f"lemma={base_word}", f"lemma={base_word}|origin={cand.origin}"))
    out.extend(f"modal={_lower(c)}" for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD")
    if cand.speaker_token is not None and cand.speaker_token.tag_:
        out.append(f"speaker-tag={cand.speaker_token.tag_}")
    if _child(verb, "neg") is not None:
        out.append("negated")
    if content_first in ("that", "to", "what", "whether", "how", "if", "why"):
        out.append(f"opens={content_first}")
    if par[parts[0][0]:parts[0][0] + 1] in "“\"‘'":
        out.append("quoted")
    if before:
        out.append("content-before-cue")
    if cand.speaker is not None and cand.speaker[0] > cand.cue[0]:
        out.append("speaker-after-cue")
    out.append(f"stem={_stem(form)}")
    tokens = [t for t in verb.doc if parts[0][0] <= t.idx < parts[0][1]]
    if tokens:
        inside = {t.i for t in tokens}
        root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
        out.append(f"head={_lower(root)}")
        out.append(f"head-dep={root.dep_}")
        if root.tag_:
            out.append(f"head-tag={root.tag_}")
        if any(t.dep_ in ("nsubj", "nsubjpass") for t in tokens):
            out.append("content-clause")
        if any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in tokens):
            out.append("content-names")
    if nested is not None:
        out.append("nested")
        out.append(f"nested|lex={lex}")
        out.append(f"nested|form={form}")
        out.append(f"nested-in={nested.rule}|{_lower(nested.verb)}")
    return out


def _reporters(found: Iterable[list[_Candidate]]) -> Counter[str]:
    """How often each speaker word ("trump", "he", "police") is the subject of a reporting verb
    among a text's candidates: the people a story quotes are the ones whose stances it reports too."""
    return Counter(_lower(c.speaker_token) for cands in found for c in cands
                   if c.rule in ("verb", "word") and c.speaker_token is not None and _cue_base(c.verb) in lx.CUE_VERBS)


def _inside(cand: _Candidate, others: list[tuple[_Candidate, list[tuple[int, int]]]]) -> _Candidate | None:
    """The candidate whose content holds ``cand``'s cue (the statement ``cand`` is reported in)."""
    for other, parts in others:
        if other is not cand and any(s <= cand.cue[0] and cand.cue[1] <= e for s, e in parts):
            return other
    return None


def _kept_anyway(cand: _Candidate, outer: _Candidate | None) -> bool:
    """Candidates kept whatever the model says.

    A paragraph quoted whole and signed after a dash has no example in PolNeAR to learn from
    and is unambiguous. A named speaker's statement reported inside another's ("Austin said that
    the United States has not yet confirmed that …") is mostly left out by PolNeAR's annotators,
    but a story's claims and their conflicts need it, and keeping it costs the PolNeAR figures
    nothing measurable (0.0006 source F1 on dev).
    """
    if cand.rule == "signed":
        return True
    return outer is not None and cand.rule == "verb" and _cue_base(cand.verb) in lx.CUE_VERBS \
        and cand.speaker_token is not None and bool(cand.speaker_token.ent_type_)


# Rules whose content keeps the rules' edges: its words carry the claim's polarity ("no evidence
# to suggest that …"), which the conflicts read, and no annotator's convention should move them.
_RULES_CONTENT = frozenset({"absence", "evidence"})
# A headline's speaker is what stands before its colon, less a setting ("X at Davos:"): the
# pattern draws it, and the edge model (fitted on prose) would put the setting back.
_RULES_SOURCE = frozenset({"headline", "title"})


def _title_speaker(cand: _Candidate, doc: Any, par: str, cased: Any) -> bool:
    """Narrows a title line's speaker to the words that can name someone (:func:`speaker_words`:
    no verb, no label before a colon) and says whether it still names a speaker. In a line in
    lower case the tagger may miss a verb ("Hackers dox exchange CEO, say …": "dox" read as a noun
    of "CEO"); a plural cue ("say") agrees with the plural that opens the phrase, not with a
    singular head."""
    assert cand.speaker is not None
    words = speaker_words(cased, par, *cand.speaker)
    if words is None:
        return False
    inside = [t for t in doc if words[0] <= t.idx < words[1] and not t.is_punct]
    if len(inside) > 2 and cand.verb.tag_ == "VBP" and inside[0].tag_ == "NNS" and inside[-1].tag_ in ("NN", "NNP") \
            and inside[1].text.islower():
        inside = inside[:1]
        words = (inside[0].idx, inside[0].idx + len(inside[0].text))
    if words == cand.speaker:
        return True
    tok = cand.speaker_token
    if tok is None or not words[0] <= tok.idx < words[1]:
        tok = inside[-1] if inside else None
    if tok is None or not names_speaker(doc, words[0], words[1], tok):
        return False
    cand.speaker, cand.speaker_token = words, tok
    return True


# The start of a line or sentence, where any word is capitalised.
_LINE_START = re.compile(r"(?:^|[\n.!?;:][\s\"“'‘]*)$")


def _verb_for_name(cand: _Candidate, par: str) -> bool:
    """Whether a candidate's speaker is a verb capitalised by where it stands ("Spurns offer, blasts
    …", a headline's second line, parsed as speakers "Spurns" who "offer"): one capitalised word
    ending in "s" (a headline's verbs are in the present: "Spurns", "Slams") at a line or sentence
    start, that the parser reads as a verb once the line is in lower case, with its cue no verb
    then. A name stays a noun in lower case ("trump says", "democrats say")."""
    tok = cand.speaker_token
    if cand.speaker is None or tok is None or not tok.tag_.startswith("NN"):
        return False
    s, e = cand.speaker
    word = par[s:e].strip()
    if " " in word or len(word) < 4 or not word.endswith("s") or not word[:1].isupper() \
            or not _LINE_START.search(par[:s]):
        return False
    line = par[s:].split("\n", 1)[0]
    lowered = load_nlp()(line.lower())
    # and its cue is no verb then ("spurns offer": the offer is what is spurned); in "starbucks
    # reports lower sales" both read as verbs, and the name keeps its cue
    cue = next((t for t in lowered if t.idx == cand.verb.idx - s), None)
    return lowered[0].tag_.startswith("VB") and cue is not None and not cue.tag_.startswith("VB")


@dataclass(slots=True)
class Scored:
    """A candidate attribution with what the confidence model saw and said of it."""

    attribution: Attribution
    features: list[str]
    edges: tuple[EdgeOptions, ...] = ()  # where its span edges may move (asked for when fitting a boundary model)


def _attributions(text: str, start: int, doc: Any, found: list[_Candidate], mentions: list[_Mention],
                  state: dict, following: tuple[int, int] | None, model: ConfidenceModel | None,
                  alone: bool = False, boundaries: BoundaryModel | EncoderBoundaries | None = None, edges: bool = False,
                  pieces: Pieces | None = None) -> list[Scored]:
    """The paragraph's candidates (``found`` by the rules) with their content and speakers
    settled, scored and deduplicated. ``alone``: the paragraph is the whole text (a headline-only
    article is read as a headline)."""
    par = text[start:start + len(doc.text)]
    if following is not None and par.rstrip().endswith(":"):
        par = text[start:following[1]]  # what follows the colon is read, not parsed again
        following = (following[0] - start, following[1] - start)
    else:
        following = None
    quotes = _quotes(par)
    # "I think" inside a quotation is the quoted speaker's
    candidates = [c for c in found if not any(q[0] < c.cue[0] < q[1] for q in quotes)]
    for cand in candidates:
        _speaker_outside(cand, quotes, par)
        _speaker_before(cand, quotes, par)
    title = False
    if (signed := _signed_candidate(doc, par)) is not None:
        candidates = [signed]  # the cues inside the quotation are the speaker's own words
    else:
        # Only a headline standing alone: title lines above a body keep the conventions PolNeAR's
        # annotators follow there ("Obama Seeks More Muslim Refugees" is an attribution to them).
        title = alone and is_title(par)
        if title:
            candidates = _title_candidates(doc, par, [c for c in candidates if _speaks_in_title(c)])
        headline = _headline_candidate(doc, par, title)
        # "SXSW: Edward Snowden Panel Says …": what the colon heads already names its speaker, so
        # the words before the colon are a place or a rubric, not a second speaker.
        if headline is not None and not (title and any(c.speaker and c.speaker[0] >= headline.content[0][0]
                                                       for c in candidates)):
            candidates.append(headline)
    _attach_quotes(candidates, quotes, par, following)
    spanned: list[tuple[_Candidate, list[tuple[int, int]]]] = []
    for cand in sorted(candidates, key=lambda c: c.verb.i):
        if _verb_for_name(cand, par):
            continue
        parts = []
        for s, e in cand.content:
            s, e = _trim(par, s, e)
            e = _content_end(par, s, e)
            if e - s >= 2 and s != cand.cue[0]:
                parts.append((s, e))
        if len(parts) == 1 and cand.cue[1] <= parts[0][0]:
            parts = [(parts[0][0], _run_on(par, *parts[0]))]
        if parts:
            spanned.append((cand, sorted(parts)))
    scored = []
    best: dict[tuple[int, int], tuple[bool, float]] = {}  # per content span, its most likely candidate
    for cand, parts in spanned:
        outer = _inside(cand, spanned)
        features = _features(cand, parts, par, outer, state["reporters"])
        confidence: float | None = None
        if model is not None:
            confidence = model.probability(features)
            if confidence < model.threshold and not cand.vouched and not _kept_anyway(cand, outer):
                continue
        whole = (parts[0][0] + start, parts[-1][1] + start)
        rank = (not cand.rule.startswith("generic"), confidence or 0.0)
        if whole not in best or rank > best[whole]:
            best[whole] = rank
        scored.append((cand, parts, features, confidence, whole, rank))
    out: list[Scored] = []
    cased = None
    for cand, parts, features, confidence, whole, rank in scored:
        if best.get(whole) != rank:
            continue
        del best[whole]
        narrowed = False
        if title and cand.speaker is not None:
            cased = cased or load_nlp()(lower_cased(par))
            drawn_speaker = cand.speaker
            if not _title_speaker(cand, doc, par, cased):
                continue
            narrowed = cand.speaker != drawn_speaker
        name = _resolve(cand, start, mentions, state.get("person"), state.get("genders"))
        if name and title and cand.speaker is not None:
            name = _within(name, par[cand.speaker[0]:cand.speaker[1]])
        # A person named as the speaker is who "he" or "she" says next: by a name the text gives a
        # person, or the surname of one ("Christie, who has campaigned for Donald Trump since he
        # …, blasted …" → "he said" is Christie's, not the last name written).
        if name and cand.speaker_token is not None and _lower(cand.speaker_token) not in lx.PERSON_PRONOUNS \
                and any(m.person and (m.name == name or m.name.endswith(" " + name)) for m in mentions):
            state["person"] = name
        elif name and cand.speaker_token is not None and cand.speaker_token.ent_type_ == "PERSON":
            state["person"] = name
        speaker_at = _speaker_extent(par, cand.speaker) if cand.speaker else None
        options: list[EdgeOptions] = []
        if boundaries is not None or edges:
            context = (f"rule={cand.rule}", f"origin={cand.origin}", f"kind={cand.kind}")
            drawn = [("content", parts[0])] if len(parts) == 1 and cand.rule not in _RULES_CONTENT else []
            # A title's speaker narrowed to its name is not drawn again (the edges would put the verb back).
            redrawn_source = speaker_at is not None and cand.rule not in _RULES_SOURCE and not narrowed
            drawn += [("source", speaker_at)] if speaker_at is not None and redrawn_source else []
            for kind, span in drawn:
                for side in ("start", "end"):
                    if (o := edge_options(doc, par, cand.cue, span, f"{kind}-{side}", context)) is not None:
                        options.append(o)
            if boundaries is not None:
                chooser: EdgeChooser
                if isinstance(boundaries, EncoderBoundaries):
                    chooser = boundaries.model.bound(pieces or Pieces.join([]), (cand.cue[0] + start, cand.cue[1] + start),
                                                     offset=start)
                else:
                    chooser = boundaries
                if len(parts) == 1 and cand.rule not in _RULES_CONTENT:
                    parts = [redraw(chooser, options, parts[0], "content")]
                    whole = (parts[0][0] + start, parts[0][1] + start)
                if redrawn_source:
                    assert speaker_at is not None
                    speaker_at = redraw(chooser, options, speaker_at, "source")
        out.append(Scored(Attribution(
            speaker=_span(text, speaker_at, start) if speaker_at is not None else None,
            cue=_span(text, cand.cue, start),
            content=Span(whole[0], whole[1], text[whole[0]:whole[1]]),
            kind=cand.kind,
            speaker_name=name,
            content_parts=tuple(Span(s + start, e + start, text[s + start:e + start]) for s, e in parts),
            confidence=round(confidence, 4) if confidence is not None else None,
        ), features, tuple(o.shifted(start) for o in options)))
    return out


def _from_docs(text: str, parsed: Iterable[tuple[int, Any]], model: ConfidenceModel | None,
               boundaries: BoundaryModel | EncoderBoundaries | None = None, edges: bool = False) -> list[Scored]:
    parsed = list(parsed)
    pieces = None
    if isinstance(boundaries, EncoderBoundaries):
        pieces = boundaries.read(text, [(start, start + len(doc.text)) for start, doc in parsed])
    mentions = [m for start, doc in parsed for m in _mentions(doc, start)]
    found = [list(_verb_candidates(doc, text[start:start + len(doc.text)], generic=True)) +
             list(_according_candidates(doc)) + list(_nominal_candidates(doc, text[start:start + len(doc.text)]))
             for start, doc in parsed]
    state: dict = {"reporters": _reporters(found),
                   "genders": Genders.from_mentions((m.name, m.before) for m in mentions if m.person)}
    out: list[Scored] = []
    for k, (start, doc) in enumerate(parsed):
        nxt = parsed[k + 1] if k + 1 < len(parsed) else None
        following = (nxt[0], nxt[0] + len(nxt[1].text)) if nxt is not None else None
        out.extend(_attributions(text, start, doc, found[k], mentions, state, following, model, len(parsed) == 1,
                                 boundaries, edges, pieces))
    out.sort(key=lambda a: (a.attribution.content.start, a.attribution.cue.start))
    return out


def scored_many(texts: Sequence[str], nlp: Any = None, batch_size: int = 64, model: ConfidenceModel | None = None,
                boundaries: BoundaryModel | EncoderBoundaries | None = None, edges: bool = False) -> Iterator[list[Scored]]:
    """Each text's candidates with their features, all of them when ``model`` is None (for
    fitting a model), else those the model keeps; their span edges re-drawn by ``boundaries``
    (the rules' when None), and the positions each edge could take kept with ``edges``. Every
    paragraph of all texts is parsed in one stream."""
    nlp = nlp or load_nlp()
    jobs = [(i, s, e) for i, text in enumerate(texts) for s, e in _paragraphs(text)]
    docs = nlp.pipe((texts[i][s:e] for i, s, e in jobs), batch_size=batch_size)
    current: list[tuple[int, Any]] = []
    index = 0
    for (i, s, _), doc in zip(jobs, docs):
        while index < i:
            yield _from_docs(texts[index], current, model, boundaries, edges)
            current, index = [], index + 1
        current.append((s, doc))
    while index < len(texts):
        yield _from_docs(texts[index], current, model, boundaries, edges)
        current, index = [], index + 1


def extract_many(texts: Sequence[str], nlp: Any = None, batch_size: int = 64, model: ConfidenceModel | None = None,
                 boundaries: BoundaryModel | EncoderBoundaries | None = None) -> Iterator[list[Attribution]]:
    """The attributions of each text that ``model`` (default: the shipped one) keeps, their span
    edges re-drawn by ``boundaries`` (default: the shipped model; ``BoundaryModel({})`` keeps the rules')."""
    model = model or default_model()
    boundaries = boundaries if boundaries is not None else default_boundaries()
    for scored in scored_many(texts, nlp, batch_size, model, boundaries):
        yield [s.attribution for s in scored]


def extract(text: str, nlp: Any = None, model: ConfidenceModel | None = None,
            boundaries: BoundaryModel | EncoderBoundaries | None = None) -> list[Attribution]:
    """Attributions of ``text`` ordered by content start; offsets are characters into ``text``."""
    return next(extract_many([text], nlp, model=model, boundaries=boundaries))
