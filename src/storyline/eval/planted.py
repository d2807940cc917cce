"""A recycled-passage test set built from real text, with background blocks planted in it.

News outlets recycle a story's *background block* from one article to the next,
lightly edited each time. This module fakes that stream from PolNeAR articles
(real 2016 US politics news), so passage reuse can be measured with exact gold:

- each *story* takes a background block of 4–8 consecutive paragraphs of one
  PolNeAR article;
- the story runs 3–6 articles; each is 2–5 fresh lead paragraphs followed by the
  block, edited per article: **re-worded** (synonyms, recap connectives, an adverb
  dropped or inserted), **re-ordered** (two block paragraphs swapped, or one
  dropped) and **re-spelled** (1–2 names per paragraph, transliteration-style:
  i↔y, g↔h, k↔c, oo↔u, a doubled consonant singled);
- one lead paragraph of every article is a *distractor*: taken from another
  article on the same topic (most shared vocabulary with the block's article), so
  a matcher that fires on shared topic, names and phrasing loses precision;
- every source paragraph is used at most once in the whole set (a lead is never
  reused anywhere), and paragraphs PolNeAR itself repeats across articles (wire
  copy) are dropped first, so the only copies in the set are the planted ones.

That is the *easy* level. The *hard* level adds the edits real recycling makes, in every
article of a story after its first (which carries the block whole, as the original does):
a paragraph trimmed to its first or last half; two paragraphs merged into one, one split in
two; a sentence dropped, one added (from an unrelated article), two swapped; a clause turned
round; more synonyms and paraphrased connectives; numbers written another way ("10,000" /
"ten thousand"); more names respelled; and fresh paragraphs interleaved with the block
(see :mod:`storyline.eval.rewrites`). The edits were written from what editors do, not
from what storyline misses.

Gold follows the block's *sentences*: a passage built from block sentences is recycled when
one of them appeared earlier in the stream, and its gold first occurrence is the earliest
passage sharing one (any passage where one of its sentences first appeared is accepted, see
``PlantedSet.accepted``). On the easy level every passage holds whole paragraphs, so this is
"the earliest occurrence of the same block paragraph". Passage indexes are the ones
storyline produces: paragraphs are single-line, joined by one blank line.
"""

from __future__ import annotations

import difflib
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from ..errors import StorylineError
from ..text import normalise_text, paragraphs
from .rewrites import hard_synonym, paraphrase_connective, reformat_number, reorder_clause, sentences

PARAGRAPH_SEPARATOR = "\n\n"
MIN_WORDS = 15  # shorter paragraphs are headings, credits, one-line quotes
MAX_WORDS = 150
BLOCK_PARAGRAPHS = (4, 8)
ARTICLES_PER_STORY = (3, 6)
LEADS_PER_ARTICLE = (2, 5)
REWORDS_PER_PARAGRAPH = (1, 3)
RESPELLS_PER_PARAGRAPH = (1, 2)
P_DROP = 0.25  # an article leaves out one block paragraph (blocks of 5+ only)
P_SWAP = 0.4  # an article swaps two block paragraphs
FIRST_DAY = date(2016, 1, 4)

Level = Literal["easy", "hard"]
LEVELS: tuple[Level, ...] = ("easy", "hard")
# The hard level's edits, each drawn independently (per paragraph, or per article's block).
P_TRIM = 0.15  # a paragraph cut to its first or last half (of its sentences)
P_DROP_SENTENCE = 0.15  # paragraphs of 3+ sentences
P_ADD_SENTENCE = 0.15  # a sentence of an unrelated article, at the start or the end
P_SWAP_SENTENCES = 0.1
P_MERGE = 0.3  # two neighbouring block paragraphs become one
P_SPLIT = 0.3  # one block paragraph becomes two
P_INTERLEAVE = 0.5  # 1–2 fresh paragraphs put between block paragraphs
P_CLAUSE = 0.3
P_CONNECTIVE = 0.3
P_NUMBER = 0.5
HARD_SYNONYMS_PER_PARAGRAPH = (0, 2)
HARD_RESPELLS_PER_PARAGRAPH = (1, 3)
MIN_KEPT_WORDS = 12  # a trimmed or split part keeps at least this many words of the source

_WORD = re.compile(r"[^\W_]+")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
# Capitalised, never lower-case, yet not names anyone transliterates.
_NOT_NAMES = frozenset(
    "January February March April June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())

Key = tuple[str, int]
Unit = tuple[int, int]  # (block paragraph, sentence): what gold follows
Placed = tuple[Unit, int, int]  # a block sentence and its character span in a passage


class PlantedSetError(StorylineError, ValueError):
    """The planted set cannot be built from this folder (missing, or too little text)."""


@dataclass(slots=True, frozen=True)
class PlantedSet:
    """A planted stream and its exact gold.

    Attributes:
        articles: ``(id, published ISO date, text)`` in stream (= ingest) order; the
            text's paragraphs are single lines joined by ``"\\n\\n"``.
        gold: ``(article_id, passage_index)`` → ``None`` for a new passage, or the
            ``(article_id, passage_index)`` of the earliest occurrence in stream order.
        edits: what was done to each passage, for error analysis: the first item is
            its role (``"lead"``, ``"distractor"`` or ``"block"``), then for block
            paragraphs one item per edit (``"reword:said>stated"``,
            ``"respell:Clinton>Klinton"``, ``"connective:+To recap,"``, ``"moved"``; on the
            hard level also ``"trim:first"``, ``"merged"``, ``"split"``, ``"sentence:-"``,
            ``"number:10,000>ten thousand"``, ``"clause:front"``, ...).
        accepted: for each recycled passage, every earlier passage where one of its block
            sentences first appeared (the gold one among them); a ``first_seen`` pointing at
            any of them is right. On the easy level it is just the gold one.
        level: ``"easy"`` or ``"hard"``.
        placed: for each block passage, where each of its block sentences lies in it:
            ``((block paragraph, sentence), start, end)`` character offsets into the passage
            (a sentence an editor added is not there). The copied span of a recycled passage
            and of its source follows from the sentences they share (see :func:`copied_spans`).
    """

    articles: list[tuple[str, str, str]]
    gold: dict[Key, Key | None]
    edits: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    accepted: dict[Key, frozenset[Key]] = field(default_factory=dict)
    level: Level = "easy"
    placed: dict[Key, tuple[Placed, ...]] = field(default_factory=dict)


# -- source text -----------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class _Source:
    articles: dict[str, list[str]]  # file stem → its usable paragraphs, in order
    vocabulary: frozenset[str]  # words seen in lower case (so not names)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(n))))


def _load(text_dir: Path) -> _Source:
    files = sorted(text_dir.glob("*.txt"))
    if not files:
        raise PlantedSetError(f"no *.txt files in {text_dir}; point it at PolNeAR texts, "
                              "e.g. ../shared/data/polnear/dev/text")
    seen8: set[tuple[str, ...]] = set()
    seen5: dict[tuple[str, ...], int] = {}
    kept = 0
    articles: dict[str, list[str]] = {}
    vocabulary: set[str] = set()
    for path in files:
        text = normalise_text(path.read_text(encoding="utf-8"))
        vocabulary.update(w for w in _WORD.findall(text) if w.islower())
        usable = []
        for para in paragraphs(text)[1:]:  # the first line is the headline
            words = _words(para)
            if not MIN_WORDS <= len(words) <= MAX_WORDS:
                continue
            # PolNeAR repeats wire copy and quotes across articles: a paragraph sharing an
            # 8-word run, or three 5-word runs, with one kept before is left out, so the
            # set holds no copies but the planted ones.
            grams8, grams5 = _ngrams(words, 8), _ngrams(words, 5)
            shared5 = Counter(seen5[g] for g in grams5 if g in seen5)
            if grams8 & seen8 or (shared5 and shared5.most_common(1)[0][1] >= 3):
                continue
            seen8 |= grams8
            for g in grams5:
                seen5.setdefault(g, kept)
            kept += 1
            usable.append(para)
        articles[path.stem] = usable
    return _Source(articles, frozenset(vocabulary))


def _topic_neighbours(source: _Source) -> dict[str, list[str]]:
    """For each article, the others ordered by shared vocabulary (Jaccard of 5+ letter words)."""
    vocab = {stem: {w for p in paras for w in _words(p) if len(w) >= 5} for stem, paras in source.articles.items()}
    out = {}
    for stem, words in vocab.items():
        scored = [(len(words & other) / len(words | other) if words | other else 0.0, o)
                  for o, other in vocab.items() if o != stem]
        out[stem] = [o for _, o in sorted(scored, key=lambda s: (-s[0], s[1]))]
    return out


# -- edits -------------------------------------------------------------------------------

# Each group's words stand in for each other (case of the first letter is kept).
_SYNONYMS = [
    ("said", "stated"), ("says", "states"), ("nearly", "almost"), ("big", "large"),
    ("began", "started"), ("begin", "start"), ("showed", "indicated"), ("shows", "indicates"),
    ("buy", "purchase"), ("many", "numerous"), ("tried", "attempted"),
    ("try", "attempt"), ("important", "significant"), ("told", "informed"), ("added", "continued"),
    ("claimed", "asserted"), ("spokesman", "spokesperson"), ("lawmakers", "legislators"),
    ("quickly", "rapidly"), ("percent", "per cent"), ("United States", "U.S."), ("more than", "over"),
    ("country", "nation"), ("people", "individuals"), ("because", "as"), ("however", "though"),
    ("and", "as well as"), ("but", "yet"), ("after", "following"), ("before", "prior to"),
    ("including", "such as"), ("think", "believe"), ("thinks", "believes"), ("announced", "declared"),
]
_SYNONYM_OF = {word.lower(): [w for w in group if w != word] for group in _SYNONYMS for word in group}
# Words with other senses ("over", "as", "yet", ...) are only ever substitutes, never replaced.
_REPLACEABLE = {w: alts for w, alts in _SYNONYM_OF.items()
                if w not in ("over", "as", "though", "as well as", "yet", "following", "such as")}
_SYNONYM_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _REPLACEABLE), key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
_CONNECTIVES = ("To recap,", "As a reminder,", "Recall that")
_ADVERBS = ("also", "reportedly", "already", "previously", "recently", "now", "still")
_ADVERB_RE = re.compile(r" \b(" + "|".join(_ADVERBS) + r")\b(?=[ ,])")
# An adverb goes between an auxiliary and a verb form ("has reportedly been", "was already planning").
_AUXILIARY_RE = re.compile(r"\b(has|had|have|was|were|is|are|will|would)\b (?=(been|be|[a-z]+ed|[a-z]+ing)\b)")
# Sentence-opening words that are lower-cased after a connective ("To recap, the ...").
_LOWER_AFTER_CONNECTIVE = frozenset(
    "The A An In On At It He She They We This That These Those There Its His Her Their After When While "
    "As For With Last Since Both Some Many Most According During Before Under".split())


def _match_case(original: str, replacement: str) -> str:
    return replacement[0].upper() + replacement[1:] if original[:1].isupper() else replacement


def _reword_ops(text: str, vocabulary: frozenset[str]) -> list[str]:
    ops = []
    first = text.split(" ", 1)[0]
    # A connective reads well before "The ...", "He ..." or a name, not before a quote or "Still,".
    if first in _LOWER_AFTER_CONNECTIVE or (_NAME.fullmatch(first) and first.lower() not in vocabulary):
        ops.append("connective")
    if _SYNONYM_RE.search(text):
        ops.append("synonym")
    if _ADVERB_RE.search(text):
        ops.append("drop_adverb")
    if _AUXILIARY_RE.search(text):
        ops.append("insert_adverb")
    return ops


def _reword(text: str, rng: random.Random, op: str) -> tuple[str, str]:
    """One rewording: a synonym, an adverb dropped or inserted, or a recap connective."""
    if op == "synonym":
        m = rng.choice(list(_SYNONYM_RE.finditer(text)))
        new = _match_case(m.group(0), rng.choice(_REPLACEABLE[m.group(0).lower()]))
        return text[:m.start()] + new + text[m.end():], f"reword:{m.group(0)}>{new}"
    if op == "drop_adverb":
        m = rng.choice(list(_ADVERB_RE.finditer(text)))
        return text[:m.start()] + text[m.end():], f"reword:-{m.group(1)}"
    if op == "insert_adverb":
        m = rng.choice(list(_AUXILIARY_RE.finditer(text)))
        adverb = rng.choice(_ADVERBS)
        return text[:m.end()] + adverb + " " + text[m.end():], f"reword:+{adverb}"
    connective = rng.choice(_CONNECTIVES)
    first = text.split(" ", 1)[0]
    if first in _LOWER_AFTER_CONNECTIVE:
        text = text[0].lower() + text[1:]
    return f"{connective} {text}", f"connective:+{connective}"


_VOWEL = "aeiou"


def spelling_variants(name: str) -> list[str]:
    """Transliteration-like respellings of a capitalised name, one edit each, sorted.

    i↔y, g↔h, k↔c, oo↔u, and a doubled consonant written once: ``Sybiha`` → ``Sibiha``,
    ``Sybiga``; ``Hillary`` → ``Hilary``, ``Gillary``, ``Hyllary``.
    """
    low = name.lower()
    out: set[str] = set()

    def put(i: int, j: int, new: str) -> None:
        out.add(low[:i] + new + low[j:])

    for i, ch in enumerate(low):
        nxt = low[i + 1:i + 2]
        prev = low[i - 1:i] if i else ""
        if ch == "i":
            put(i, i + 1, "y")
        elif ch == "y" and nxt:  # a final y ("Comey") stays
            put(i, i + 1, "i")
        elif ch == "g" and prev != "n" and nxt != "h":
            put(i, i + 1, "h")
        elif ch == "h" and (i == 0 or prev in _VOWEL) and nxt in tuple(_VOWEL):
            put(i, i + 1, "g")
        elif ch == "k" and nxt and nxt in "aoulr":
            put(i, i + 1, "c")
        elif ch == "c" and nxt == "k":
            put(i, i + 2, "k")
        elif ch == "c" and (not nxt or nxt in "aoulr") and prev != "s":
            put(i, i + 1, "k")
        elif ch == "o" and nxt == "o":
            put(i, i + 2, "u")
        elif ch == "u" and prev and prev not in _VOWEL and nxt and nxt not in _VOWEL:
            put(i, i + 1, "oo")
        if ch == nxt and ch not in _VOWEL and i > 0:
            put(i, i + 2, ch)
    out.discard(low)
    return sorted(_match_case(name, v) for v in out)


def _respell(text: str, rng: random.Random, count: int, vocabulary: frozenset[str]) -> tuple[str, list[str]]:
    names = sorted({m.group(0) for m in _NAME.finditer(text)
                    if m.group(0).lower() not in vocabulary and m.group(0) not in _NOT_NAMES
                    and spelling_variants(m.group(0))})
    labels = []
    for name in rng.sample(names, min(count, len(names))):
        new = rng.choice(spelling_variants(name))
        # One writer spells a name one way: every occurrence in the paragraph changes.
        text = re.sub(rf"\b{name}\b", new, text)
        labels.append(f"respell:{name}>{new}")
    return text, labels


def _edit_paragraph(text: str, rng: random.Random, vocabulary: frozenset[str]) -> tuple[str, list[str]]:
    # Names first, so a connective put in front ("Recall that") is never taken for a name.
    text, labels = _respell(text, rng, rng.randint(*RESPELLS_PER_PARAGRAPH), vocabulary)
    ops = _reword_ops(text, vocabulary)  # each kind at most once, so no edit undoes another
    for op in rng.sample(ops, min(len(ops), rng.randint(*REWORDS_PER_PARAGRAPH))):
        if op in _reword_ops(text, vocabulary):  # an earlier edit may have taken its place away
            text, label = _reword(text, rng, op)
            labels.append(label)
    return text, labels


# -- the set -----------------------------------------------------------------------------

@dataclass(slots=True)
class _Planned:
    story: int
    number: int  # within the story
    day: date
    passages: list[tuple[str, tuple[str, ...], tuple[Placed, ...]]]  # text, edits, block sentences it holds

    @property
    def id(self) -> str:
        return f"s{self.story:02d}-a{self.number}"


class _Pool:
    """Unused source paragraphs; each is handed out once."""

    def __init__(self, source: _Source) -> None:
        self.left = {stem: list(range(len(paras))) for stem, paras in source.articles.items()}
        self.source = source

    def take(self, rng: random.Random, stem: str) -> str:
        left = self.left[stem]
        return self.source.articles[stem][left.pop(rng.randrange(len(left)))]

    def take_block(self, rng: random.Random, stem: str, size: int) -> list[str]:
        start = rng.randint(0, len(self.left[stem]) - size)
        taken = self.left[stem][start:start + size]
        del self.left[stem][start:start + size]
        return [self.source.articles[stem][i] for i in taken]

    def take_any(self, rng: random.Random, exclude: str) -> str:
        stems = [s for s, left in self.left.items() if left and s != exclude]
        if not stems:
            raise PlantedSetError("the text folder ran out of unused paragraphs; "
                                  "ask for fewer stories or point at a larger folder (e.g. train/text)")
        weights = [len(self.left[s]) for s in stems]  # uniform over paragraphs, not articles
        return self.take(rng, rng.choices(stems, weights)[0])


def build_planted_set(polnear_text_dir: Path, *, stories: int = 40, seed: int = 0,
                      level: Level = "easy") -> PlantedSet:
    """Build the planted stream from the PolNeAR ``*.txt`` files of one folder; deterministic in
    ``seed`` and ``level`` (the easy level of a seed is the same set whatever the hard level does).

    Raises :class:`PlantedSetError` when the folder has no texts, or too few for ``stories``.
    """
    if stories < 1:
        raise PlantedSetError(f"stories must be at least 1, got {stories}")
    if level not in LEVELS:
        raise PlantedSetError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    source = _load(Path(polnear_text_dir))
    rng = random.Random(seed)
    eligible = sorted(s for s, paras in source.articles.items() if len(paras) >= BLOCK_PARAGRAPHS[0])
    if len(eligible) < stories:
        raise PlantedSetError(f"{polnear_text_dir} has {len(eligible)} articles with ≥ {BLOCK_PARAGRAPHS[0]} usable "
                              f"paragraphs, fewer than the {stories} stories asked for")
    block_stems = rng.sample(eligible, stories)
    pool = _Pool(source)
    blocks = []
    for stem in block_stems:
        size = rng.randint(BLOCK_PARAGRAPHS[0], min(BLOCK_PARAGRAPHS[1], len(pool.left[stem])))
        blocks.append(pool.take_block(rng, stem, size))
    neighbours = _topic_neighbours(source)

    planned: list[_Planned] = []
    for story, (stem, block) in enumerate(zip(block_stems, blocks)):
        block_sentences = [sentences(p) for p in block]
        day = FIRST_DAY + timedelta(days=rng.randint(0, 2 * stories))
        for number in range(rng.randint(*ARTICLES_PER_STORY)):
            day += timedelta(days=rng.randint(1, 3))
            passages: list[tuple[str, tuple[str, ...], tuple[Placed, ...]]] = []
            sister = next((s for s in neighbours[stem] if pool.left[s]), None)
            if sister is not None:
                passages.append((pool.take(rng, sister), ("distractor", sister), ()))
            leads = rng.randint(*LEADS_PER_ARTICLE)
            while len(passages) < leads:
                passages.append((pool.take_any(rng, exclude=stem), ("lead",), ()))
            rng.shuffle(passages)
            if level == "easy":
                passages.extend(_edited_block(block, block_sentences, rng, source.vocabulary))
            else:
                def fresh() -> str:
                    return pool.take_any(rng, exclude=stem)
                passages.extend(_hard_block(block_sentences, rng, source.vocabulary, fresh, whole=number == 0))
            planned.append(_Planned(story, number, day, passages))

    planned.sort(key=lambda a: (a.day, a.story, a.number))
    articles: list[tuple[str, str, str]] = []
    gold: dict[Key, Key | None] = {}
    edits: dict[Key, tuple[str, ...]] = {}
    accepted: dict[Key, frozenset[Key]] = {}
    placed: dict[Key, tuple[Placed, ...]] = {}
    first: dict[tuple[int, Unit], Key] = {}
    position = {art.id: n for n, art in enumerate(planned)}
    for art in planned:
        for index, (_, labels, spans) in enumerate(art.passages):
            key = (art.id, index)
            edits[key] = labels
            units = [u for u, _, _ in spans]
            if spans:
                placed[key] = spans
            earlier = frozenset(first[(art.story, u)] for u in units if (art.story, u) in first)
            gold[key] = min(earlier, key=lambda k: (position[k[0]], k[1])) if earlier else None
            if earlier:
                accepted[key] = earlier
            for u in units:
                first.setdefault((art.story, u), key)
        articles.append((art.id, art.day.isoformat(), PARAGRAPH_SEPARATOR.join(p for p, _, _ in art.passages)))
    return PlantedSet(articles, gold, edits, accepted, level, placed)


def copied_spans(planted: PlantedSet, key: Key, source: Key) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The true copied span of passage ``key`` and of its (earlier) ``source``: in each, from the
    first to the last of its block sentences the other holds; ``None`` when they share none."""
    mine, theirs = planted.placed.get(key, ()), planted.placed.get(source, ())
    shared = {u for u, _, _ in mine} & {u for u, _, _ in theirs}
    if not shared:
        return None

    def hull(spans: tuple[Placed, ...]) -> tuple[int, int]:
        inside = [(start, end) for u, start, end in spans if u in shared]
        return min(s for s, _ in inside), max(e for _, e in inside)

    return hull(mine), hull(theirs)


_TOKEN_RE = re.compile(r"\S+")


def _remap(old: str, new: str, offsets: list[int]) -> list[int]:
    """Where each token-start offset of ``old`` lies in ``new``, an edit of it (word-level diff):
    a token kept maps to where it is now; one replaced or dropped, to where its replacement starts."""
    old_tokens = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(old)]
    new_tokens = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(new)]
    new_starts = [start for start, _ in new_tokens] + [len(new)]
    mapped: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, [t for _, t in old_tokens], [t for _, t in new_tokens], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            mapped[old_tokens[i][0]] = new_starts[j1 + (i - i1) if tag == "equal" else j1]
    return [0 if o == 0 else mapped.get(o, len(new)) for o in offsets]


def _place(units: list[Unit | None], texts: list[str], edited: str) -> tuple[Placed, ...]:
    """The spans in ``edited`` of sentences ``texts`` (joined by single spaces, then edited)."""
    joined = " ".join(texts)
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    mapped = _remap(joined, edited, starts)
    ends = [m - 1 for m in mapped[1:]] + [len(edited)]
    return tuple((u, start, max(start, end)) for u, start, end in zip(units, mapped, ends) if u is not None)


def _edited_block(block: list[str], block_sentences: list[list[str]], rng: random.Random,
                  vocabulary: frozenset[str]) -> list[tuple[str, tuple[str, ...], tuple[Placed, ...]]]:
    order = list(range(len(block)))
    if len(block) >= 5 and rng.random() < P_DROP:
        order.pop(rng.randrange(len(order)))
    moved: set[int] = set()
    if rng.random() < P_SWAP:
        i, j = rng.sample(range(len(order)), 2)
        order[i], order[j] = order[j], order[i]
        moved = {order[i], order[j]}
    out = []
    for j in order:
        text, labels = _edit_paragraph(block[j], rng, vocabulary)
        units: list[Unit | None] = [(j, k) for k in range(len(block_sentences[j]))]
        out.append((text, ("block", *labels, *(["moved"] if j in moved else [])),
                    _place(units, block_sentences[j], text)))
    return out


# -- the hard level ----------------------------------------------------------------------

Sentence = tuple[str, Unit | None]  # its text, and the block sentence it is (None: added)


def _source_words(sents: list[Sentence]) -> int:
    return sum(len(_words(text)) for text, unit in sents if unit is not None)


def _restructure_paragraph(sents: list[Sentence], rng: random.Random,
                           fresh: Callable[[], str]) -> tuple[list[Sentence], list[str]]:
    labels = []
    if len(sents) >= 3 and rng.random() < P_DROP_SENTENCE:
        sents = sents[:]
        sents.pop(rng.randrange(len(sents)))
        labels.append("sentence:-")
    if len(sents) >= 2 and rng.random() < P_SWAP_SENTENCES:
        i = rng.randrange(len(sents) - 1)
        sents = sents[:i] + [sents[i + 1], sents[i]] + sents[i + 2:]
        labels.append("sentence:swap")
    if len(sents) >= 2 and rng.random() < P_TRIM:
        half = (len(sents) + 1) // 2
        which = rng.choice(("first", "last"))
        kept = sents[:half] if which == "first" else sents[len(sents) - half:]
        if _source_words(kept) >= MIN_KEPT_WORDS:
            sents = kept
            labels.append(f"trim:{which}")
    if rng.random() < P_ADD_SENTENCE:
        added = sentences(fresh())[0]
        sents = [(added, None), *sents] if rng.random() < 0.5 else [*sents, (added, None)]
        labels.append("sentence:+")
    return sents, labels


def _reword_hard(sents: list[Sentence], rng: random.Random,
                 vocabulary: frozenset[str]) -> tuple[str, list[str], tuple[Placed, ...]]:
    labels = []
    texts = [text for text, _ in sents]
    if rng.random() < P_CLAUSE:
        i = rng.randrange(len(texts))
        texts[i], label = reorder_clause(texts[i], rng)
        labels += [label] if label else []
    if rng.random() < P_CONNECTIVE:
        i = rng.randrange(len(texts))
        texts[i], label = paraphrase_connective(texts[i], rng)
        labels += [label] if label else []
    text = " ".join(texts)
    text, respelled = _respell(text, rng, rng.randint(*HARD_RESPELLS_PER_PARAGRAPH), vocabulary)
    labels += respelled
    ops = _reword_ops(text, vocabulary)
    for op in rng.sample(ops, min(len(ops), rng.randint(*REWORDS_PER_PARAGRAPH))):
        if op in _reword_ops(text, vocabulary):
            text, label = _reword(text, rng, op)
            labels.append(label)
    for _ in range(rng.randint(*HARD_SYNONYMS_PER_PARAGRAPH)):
        text, label = hard_synonym(text, rng)
        labels += [label] if label else []
    if rng.random() < P_NUMBER:
        text, label = reformat_number(text, rng)
        labels += [label] if label else []
    return text, labels, _place([unit for _, unit in sents], texts, text)


def _hard_block(block_sentences: list[list[str]], rng: random.Random, vocabulary: frozenset[str],
                fresh: Callable[[], str], *, whole: bool) -> list[tuple[str, tuple[str, ...], tuple[Placed, ...]]]:
    """The block as one article recycles it; ``whole`` (the story's first article) keeps every
    sentence in place and only rewords and interleaves."""
    order = list(range(len(block_sentences)))
    items: list[tuple[list[Sentence], list[str]]] = []
    moved: set[int] = set()
    if not whole:
        if len(order) >= 5 and rng.random() < P_DROP:
            order.pop(rng.randrange(len(order)))
        if rng.random() < P_SWAP:
            i, j = rng.sample(range(len(order)), 2)
            order[i], order[j] = order[j], order[i]
            moved = {order[i], order[j]}
    for j in order:
        sents: list[Sentence] = [(text, (j, k)) for k, text in enumerate(block_sentences[j])]
        labels: list[str] = ["moved"] if j in moved else []
        if not whole:
            sents, more = _restructure_paragraph(sents, rng, fresh)
            labels += more
        items.append((sents, labels))
    if not whole and len(items) >= 2 and rng.random() < P_MERGE:
        i = rng.randrange(len(items) - 1)
        items[i:i + 2] = [(items[i][0] + items[i + 1][0], items[i][1] + items[i + 1][1] + ["merged"])]
    if not whole and rng.random() < P_SPLIT:
        splittable = [n for n, (sents, _) in enumerate(items) if len(sents) >= 2]
        if splittable:
            n = rng.choice(splittable)
            sents, labels = items[n]
            cut = len(sents) // 2
            head, tail = sents[:cut], sents[cut:]
            if _source_words(head) >= MIN_KEPT_WORDS and _source_words(tail) >= MIN_KEPT_WORDS:
                items[n:n + 1] = [(head, labels + ["split"]), (tail, labels + ["split"])]
    out: list[tuple[str, tuple[str, ...], tuple[Placed, ...]]] = []
    for sents, labels in items:
        text, word_labels, placed = _reword_hard(sents, rng, vocabulary)
        out.append((text, ("block", *labels, *word_labels), placed))
    if rng.random() < P_INTERLEAVE and len(out) >= 2:
        for _ in range(rng.randint(1, 2)):
            out.insert(rng.randint(1, len(out) - 1), (fresh(), ("lead", "interleaved"), ()))
    return out


__all__ = ["LEVELS", "Level", "PlantedSet", "PlantedSetError", "build_planted_set", "copied_spans",
           "spelling_variants"]
