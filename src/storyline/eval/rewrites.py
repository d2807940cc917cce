"""Sentence-level rewrites for the planted set's hard level: what editors do to recycled copy.

Each function takes a text and a random generator and returns the rewritten text and a
label for the edit (or the text unchanged and ``None`` where the edit does not apply), so
the set records what was done to every passage. They were written from how background
copy is re-edited in the wild (trimmed, re-punctuated, numbers restyled, clauses turned
round, connectives swapped), not from what any detector finds hard.
"""

from __future__ import annotations

import random
import re

# -- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st sen rep gov gen lt col sgt jr sr inc co corp u.s u.n u.k d.c jan feb mar apr "
    "aug sept sep oct nov dec vs no".split())
_BOUNDARY = re.compile(r'(?<=[.!?])["”’)]?\s+(?=["“(]?[A-Z0-9])')


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, split after ``.``/``!``/``?`` but not after a common abbreviation.

    ``"Mr. Smith left. He said so."`` → ``["Mr. Smith left.", "He said so."]``; joining the
    result with single spaces gives the text back when it was single-spaced.
    """
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start()].rstrip('"”’)')
        last = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue  # "Mr. Smith", "John F. Kennedy"
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# -- numbers ---------------------------------------------------------------------------------

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen twenty").split()
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_GROUPED = re.compile(r"(?<![\d.,$])(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)")
_SCALED = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?) (million|billion)\b")
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?) (percent|per cent)\b")
_SMALL_DIGITS = re.compile(r"(?<![\d.,$#/:-])\b([2-9]|1[0-9]|20)\b(?![\d.,:/%-]|\s*(?:a\.m|p\.m|am|pm)\b)")
_SMALL_WORDS = re.compile(r"\b(" + "|".join(_SMALL[2:]) + r")\b")


def number_words(n: int) -> str | None:
    """English words for a whole number people write out: 0–20, round tens, and round thousands/millions.

    ``10000`` → ``"ten thousand"``; ``3000000`` → ``"three million"``; ``1234`` → ``None``.
    """
    if 0 <= n <= 20:
        return _SMALL[n]
    if n in _TENS:
        return _TENS[n]
    for scale, word in _SCALES:
        if n >= scale and n % scale == 0:
            head = number_words(n // scale)
            return f"{head} {word}" if head and n // scale < 100 else None
    return None


def reformat_number(text: str, rng: random.Random) -> tuple[str, str | None]:
    """One number written another way: ``10,000`` → ``10000`` / ``ten thousand``; ``1.5 million`` →
    ``1,500,000``; ``5 percent`` → ``5%``; ``three`` → ``3`` and ``3`` → ``three``."""
    options: list[tuple[int, int, str]] = []
    for m in _GROUPED.finditer(text):
        value = int(m.group(1).replace(",", ""))
        options.append((m.start(1), m.end(1), str(value)))
        words = number_words(value)
        if words:
            options.append((m.start(1), m.end(1), words))
    for m in _SCALED.finditer(text):
        scale = 1_000_000 if m.group(2) == "million" else 1_000_000_000
        value = round(float(m.group(1)) * scale)
        options.append((m.start(), m.end(), f"{value:,}"))
    for m in _PERCENT.finditer(text):
        options.append((m.start(), m.end(), f"{m.group(1)}%"))
    for m in _SMALL_DIGITS.finditer(text):
        words = number_words(int(m.group(1)))
        if words:
            options.append((m.start(1), m.end(1), words))
    for m in _SMALL_WORDS.finditer(text):
        options.append((m.start(1), m.end(1), str(_SMALL.index(m.group(1)))))
    if not options:
        return text, None
    start, end, new = rng.choice(options)
    return text[:start] + new + text[end:], f"number:{text[start:end]}>{new}"


# -- clauses ---------------------------------------------------------------------------------

_SUBORDINATORS = "because|when|after|before|while|although|since|until|if|as"
_TRAILING_CLAUSE = re.compile(rf"^(?P<main>[^,;:\"“”]{{20,}}?),? (?P<conj>{_SUBORDINATORS}) "
                              rf"(?P<sub>[^,;:\"“”]{{12,}})(?P<end>[.!?])$")
_LEADING_CLAUSE = re.compile(rf"^(?P<conj>{_SUBORDINATORS.title()}) (?P<sub>[^,;:\"“”]{{8,}}), "
                             rf"(?P<main>[^;:\"“”]{{12,}})(?P<end>[.!?])$")
_SAID_AFTER = re.compile(r"^(?P<content>[^\"“”]{20,}), (?P<who>(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}|he|she|they)) "
                         r"(?P<verb>said|says|added|told reporters)(?P<end>[.!?])$")
_KEEP_CAPITAL = re.compile(r"^(?:I\b|[A-Z]{2,}|[A-Z][a-z]+[A-Z])")  # "I", "NATO", "McCain"
# Sentence-opening words that are common words, not names, so they lose their capital mid-sentence.
_COMMON_OPENERS = frozenset(
    "the a an in on at it he she they we this that these those there its his her their after when while "
    "as for with last since both some many most according during before under his our one two".split())


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.lower() in _COMMON_OPENERS and not _KEEP_CAPITAL.match(first):
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def reorder_clause(sentence: str, rng: random.Random) -> tuple[str, str | None]:
    """A sentence turned round at a subordinate clause or an attribution:
    ``"A because B."`` ↔ ``"Because B, a."``; ``"X, Smith said."`` → ``"Smith said x."``."""
    candidates = []
    if m := _TRAILING_CLAUSE.match(sentence):
        candidates.append((f"{m['conj'].title()} {m['sub']}, {_lower_first(m['main'])}{m['end']}", "clause:front"))
    if m := _LEADING_CLAUSE.match(sentence):
        candidates.append((f"{_upper_first(m['main'])} {m['conj'].lower()} {_lower_first(m['sub'])}{m['end']}",
                           "clause:back"))
    if m := _SAID_AFTER.match(sentence):
        candidates.append((f"{_upper_first(m['who'])} {m['verb']} {_lower_first(m['content'])}{m['end']}",
                           "clause:attribution"))
    if not candidates:
        return sentence, None
    return rng.choice(candidates)


# -- words -----------------------------------------------------------------------------------

# More substitutions than the easy level's, each safe in news copy in both directions.
HARD_SYNONYMS = [
    ("help", "assist"), ("helped", "assisted"), ("need", "require"), ("needed", "required"),
    ("enough", "sufficient"), ("main", "primary"), ("hard", "difficult"), ("meeting", "gathering"),
    ("plan", "proposal"), ("criticized", "slammed"), ("criticised", "slammed"), ("wants", "seeks"),
    ("wanted", "sought"), ("show", "demonstrate"), ("ended", "concluded"), ("asked", "questioned"),
    ("chief", "head"), ("fight", "battle"), ("former", "onetime"), ("latest", "most recent"),
    ("about", "around"), ("around", "roughly"), ("roughly", "about"), ("called", "labeled"),
    ("decided", "chose"), ("got", "received"), ("expected", "anticipated"), ("likely", "probably"),
    ("currently", "presently"), ("largest", "biggest"), ("reported", "noted"), ("during", "throughout"),
    ("must", "has to"), ("used", "employed"), ("while", "whereas"), ("also", "additionally"),
]
# Discourse connectives and their paraphrases, at the start of a sentence.
CONNECTIVE_PARAPHRASES = [
    ("However,", ("But", "Still,", "Yet")), ("But", ("However,", "Yet")), ("Also,", ("In addition,", "Moreover,")),
    ("In addition,", ("Also,", "Additionally,")), ("Meanwhile,", ("At the same time,", "In the meantime,")),
    ("Still,", ("Nevertheless,", "Even so,")), ("And", ("Also,", "In addition,")), ("So", ("Therefore,", "As a result,")),
    ("Instead,", ("Rather,",)), ("Later,", ("Afterward,", "Subsequently,")), ("Now,", ("Currently,",)),
]
OPENING_CONNECTIVES = ("Earlier,", "Previously,", "As reported,", "Notably,", "Separately,")

_HARD_SYNONYM_OF = {a: b for a, b in HARD_SYNONYMS}
_HARD_SYNONYM_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _HARD_SYNONYM_OF), key=len, reverse=True))
                              + r")\b", re.IGNORECASE)


def _match_case(original: str, replacement: str) -> str:
    return replacement[0].upper() + replacement[1:] if original[:1].isupper() else replacement


def hard_synonym(text: str, rng: random.Random) -> tuple[str, str | None]:
    """One word from :data:`HARD_SYNONYMS` replaced by its partner (case of the first letter kept)."""
    found = list(_HARD_SYNONYM_RE.finditer(text))
    if not found:
        return text, None
    m = rng.choice(found)
    new = _match_case(m.group(0), _HARD_SYNONYM_OF[m.group(0).lower()])
    return text[:m.start()] + new + text[m.end():], f"reword:{m.group(0)}>{new}"


def paraphrase_connective(sentence: str, rng: random.Random) -> tuple[str, str | None]:
    """A sentence's opening connective said another way, or one put in front where there is none."""
    for old, news in CONNECTIVE_PARAPHRASES:
        if sentence.startswith(old + " "):
            new = rng.choice(news)
            rest = sentence[len(old) + 1:]
            return f"{new} {rest}", f"connective:{old}>{new}"
    first = sentence.split(" ", 1)[0]
    if first.lower() in _COMMON_OPENERS and not _KEEP_CAPITAL.match(first):
        new = rng.choice(OPENING_CONNECTIVES)
        return f"{new} {_lower_first(sentence)}", f"connective:+{new}"
    return sentence, None


__all__ = ["CONNECTIVE_PARAPHRASES", "HARD_SYNONYMS", "OPENING_CONNECTIVES", "hard_synonym", "number_words",
           "paraphrase_connective", "reformat_number", "reorder_clause", "sentences"]
