"""A generated, news-like corpus with planted near-duplicates and recycled background blocks,
and its exact ground truth.

Everything is built offline from the PolNeAR article texts in
``../shared/data/polnear/train/text`` (relative to the repository root):

* **Sentences are real.** Every article is assembled from real English sentences of
  PolNeAR (split with storyline's own sentence splitter), grouped into 8–20 paragraphs
  and ~3–5 KB of text.
* **Names and numbers are re-drawn per article.** Within one article every
  capitalised word that does not start a sentence and every number is mapped,
  consistently, to another capitalised word / number of the pool. ~850 source texts
  give ~30k sentences, so at 50,000 articles each sentence is used dozens of times;
  without this step unrelated articles would share whole sentences far more often than
  unrelated news does. (It also keeps exact ground truth cheap, see :func:`true_pairs`.)
* **Near-duplicates** (``copy``, ~10%): a lightly edited copy of an earlier article
  (sometimes itself a copy): a few words substituted, dropped or inserted, and often a
  sentence added or removed. Exact 3-shingle Jaccard to the source is mostly 0.7–0.98.
* **Recycled background blocks** (``story``, ~25%): articles of one story repeat the
  story's background block of 5–10 paragraphs with small edits, next to their own
  paragraphs. They share a lot but are not near-duplicates overall (Jaccard ~0.2–0.6):
  the hard negatives of an article-level detector.
* Everything else is ``fresh``. Articles are in stream order: a copy always comes after
  its source.

Ground truth (:func:`true_pairs`) is every pair (earlier, later) whose exact Jaccard over
storyline's 3-word shingle sets is ≥ the threshold, computed exactly with prefix
filtering (all-pairs similarity join): no pair is skipped, but only pairs that share one
of their rarest shingles are compared.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from storyline.reuse.kernel import MinHasher, jaccard
from storyline.text import normalise_text, paragraphs, sentences

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"

# A name (a capitalised word that does not start the sentence) or a number: the slots re-drawn per article.
_SLOT = re.compile(r"((?<=[\s“\"(])[A-Z][a-z]{2,}\b|\b\d+(?:[.,]\d+)*\b)")
_WORD = re.compile(r"^[a-z]{3,12}$")


class CorpusSourceMissing(RuntimeError):
    """The PolNeAR texts the corpus is built from are not where they should be."""


@dataclass(frozen=True, slots=True)
class SentencePool:
    """What articles are assembled from: real sentences and the vocabularies edits draw on."""

    sentences: list[tuple[str, ...]]  # re.split by _SLOT: literal text at even, names/numbers at odd positions
    names: list[str]   # capitalised words found inside sentences (people, places, parties, months)
    words: list[str]   # lower-case words, for substitutions and insertions


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    """One generated article; ``source`` is the article a ``copy`` was made from."""

    id: str
    text: str
    kind: str            # "fresh", "story" or "copy"
    source: str | None = None
    story: int | None = None


def load_pool(source_dir: Path = DEFAULT_SOURCE) -> SentencePool:
    """Split the PolNeAR texts into sentences; raise :class:`CorpusSourceMissing` if absent."""
    files = sorted(source_dir.glob("*.txt")) if source_dir.is_dir() else []
    if not files:
        raise CorpusSourceMissing(
            f"no PolNeAR texts in {source_dir} (expected ../shared/data/polnear/train/text/*.txt next to the "
            "repository); the benchmark corpus is generated from them offline")
    seen: set[str] = set()
    pool: list[tuple[str, ...]] = []
    names: set[str] = set()
    words: set[str] = set()
    for path in files:
        text = normalise_text(path.read_text(encoding="utf-8", errors="replace"))
        for para in paragraphs(text)[1:]:  # the first paragraph is the headline
            for span in sentences(para):
                sentence = para[span.start:span.end].strip()
                if not 40 <= len(sentence) <= 400 or len(sentence.split()) < 6 or sentence in seen:
                    continue
                seen.add(sentence)
                parts = tuple(_SLOT.split(sentence))
                pool.append(parts)
                names.update(p for p in parts[1::2] if not p[0].isdigit())
                words.update(w for w in sentence.lower().split() if _WORD.match(w))
    return SentencePool(pool, sorted(names), sorted(words))


class _Generator:
    """Builds articles one at a time from a seeded RNG; holds the stories and what was made so far."""

    def __init__(self, pool: SentencePool, rng: random.Random, stories: int, spliced: bool = False) -> None:
        self.pool = pool
        self.rng = rng
        self.spliced = spliced
        # Every article made, as a copy may draw on any: its id, its text as UTF-8 and its story.
        # A text with one character past Latin-1 takes 2 bytes a character as a str: making
        # 40,000 articles grew the process by 9.7 kB an article with the texts kept as made, 6.1
        # as UTF-8 (3.7 with zlib, for ~100 µs an article more: a 1M corpus's making ~1.5 times
        # as long). What is drawn does not depend on it: the corpus is the same one.
        self.made: list[tuple[str, bytes, int | None]] = []
        self.stories = [self._paragraphs(rng.randint(5, 10), rng.randint(1500, 2800))
                        for _ in range(stories)]

    # -- fresh text ----------------------------------------------------------------
    def _redraw(self, parts: tuple[str, ...], mapping: dict[str, str]) -> str:
        """A pool sentence with this article's names and numbers: each is re-drawn once and used consistently."""
        out = list(parts)
        for i in range(1, len(parts), 2):
            slot = parts[i]
            if slot not in mapping:
                if slot[0].isdigit():
                    length = min(len(slot), 6)
                    mapping[slot] = str(self.rng.randint(10 ** (length - 1) if length > 1 else 0, 10 ** length - 1))
                else:
                    mapping[slot] = self.rng.choice(self.pool.names)
            out[i] = mapping[slot]
        return "".join(out)

    def _paragraphs(self, count: int, chars: int) -> list[str]:
        """``count`` paragraphs of about ``chars`` characters in all, with their own names and numbers."""
        mapping: dict[str, str] = {}
        target = chars / count
        out = []
        for _ in range(count):
            para: list[str] = []
            size = 0
            # Stop a little short of the target: the last sentence overshoots it by half a sentence on average.
            while not para or size < 0.8 * target:
                para.append(self._sentence(mapping))
                size += len(para[-1]) + 1
            out.append(" ".join(para))
        return out

    def _sentence(self, mapping: dict[str, str]) -> str:
        """A pool sentence with this article's names and numbers; ``spliced``: the first half of
        one pool sentence's words and the second half of another's, a sentence no other article
        holds by chance (each half shares too little with any other sentence to be its partial
        copy)."""
        first = self._redraw(self.rng.choice(self.pool.sentences), mapping)
        if not self.spliced:
            return first
        second = self._redraw(self.rng.choice(self.pool.sentences), mapping).split(" ")
        head = first.split(" ")
        return " ".join(head[:max(1, len(head) // 2)] + second[len(second) // 2:])

    def fresh(self) -> list[str]:
        return self._paragraphs(self.rng.randint(8, 20), self.rng.randint(3000, 5000))

    def story(self, story: int) -> list[str]:
        """The story's background block, lightly edited, placed among the article's own paragraphs."""
        block = [self._edit_words(p, self.rng.choice((0, 0, 1, 2))) for p in self.stories[story]]
        if len(block) > 5 and self.rng.random() < 0.3:
            del block[self.rng.randrange(len(block))]
        own_count = max(3, self.rng.randint(8, 20) - len(block))
        own_chars = max(900, self.rng.randint(3000, 5000) - sum(map(len, block)))
        own = self._paragraphs(own_count, own_chars)
        lead = self.rng.randint(1, min(3, len(own)))  # news puts the new facts first, the background after
        return own[:lead] + block + own[lead:]

    # -- edits ---------------------------------------------------------------------
    def _edit_words(self, para: str, edits: int) -> str:
        """Substitute (60%), drop (25%) or insert (15%) ``edits`` words of one paragraph."""
        tokens = para.split(" ")
        for _ in range(edits):
            if len(tokens) < 4:
                break
            i = self.rng.randrange(len(tokens))
            roll = self.rng.random()
            word = self.rng.choice(self.pool.words)
            if roll < 0.6:
                found = re.search(r"[^\w]*$", tokens[i])  # always matches, if only the empty end
                trail = found.group(0) if found else ""
                tokens[i] = word + trail
            elif roll < 0.85:
                del tokens[i]
            else:
                tokens.insert(i, word)
        return " ".join(tokens)

    def copy(self, source: CorpusArticle) -> list[str]:
        """A lightly edited copy: word edits spread over the text, maybe a sentence added or removed."""
        paras = source.text.split("\n\n")
        words = sum(len(p.split()) for p in paras)
        edits = max(1, round(words * self.rng.uniform(0.002, 0.045)))
        for _ in range(edits):
            i = self.rng.randrange(len(paras))
            paras[i] = self._edit_words(paras[i], 1)
        if self.rng.random() < 0.4:  # a sentence removed
            i = self.rng.randrange(len(paras))
            spans = sentences(paras[i])
            if len(spans) > 1:
                drop = self.rng.randrange(len(spans))
                paras[i] = " ".join(paras[i][s.start:s.end] for k, s in enumerate(spans) if k != drop)
        if self.rng.random() < 0.4:  # a sentence added (a fresh one, with this copy's own names)
            i = self.rng.randrange(len(paras))
            paras[i] = paras[i] + " " + self._redraw(self.rng.choice(self.pool.sentences), {})
        return paras

    # -- the stream ----------------------------------------------------------------
    def next(self) -> CorpusArticle:
        index = len(self.made)
        article_id = f"bench-{index:07d}"
        roll = self.rng.random()
        if index and roll < 0.10:
            # Copies are mostly of recent news, sometimes of something older.
            lo = max(0, index - 1000) if self.rng.random() < 0.7 else 0
            source_id, packed, source_story = self.made[self.rng.randrange(lo, index)]
            source = CorpusArticle(source_id, packed.decode("utf-8"), "", None, source_story)
            made = CorpusArticle(article_id, "\n\n".join(self.copy(source)), "copy", source.id, source.story)
        elif roll < 0.35:
            story = self.rng.randrange(len(self.stories))
            made = CorpusArticle(article_id, "\n\n".join(self.story(story)), "story", None, story)
        else:
            made = CorpusArticle(article_id, "\n\n".join(self.fresh()), "fresh")
        self.made.append((made.id, made.text.encode("utf-8"), made.story))
        return made


def default_stories(n: int) -> int:
    """How many stories (background blocks) a corpus of ``n`` articles recycles: one for every
    250 articles, at least 4."""
    return max(4, n // 250)


def generate(n: int, seed: int = 1, source_dir: Path = DEFAULT_SOURCE, stories: int | None = None,
             spliced: bool = False) -> list[CorpusArticle]:
    """``n`` articles in stream order; the same ``(n, seed, stories, spliced)`` always gives the
    same corpus. The stories are drawn first (``stories``, default :func:`default_stories` of
    ``n``), so a longer corpus of the same seed starts with a shorter one only when both have as
    many stories: to continue a stream of ``n`` articles, generate more with
    ``stories=default_stories(n)``.

    ``spliced``: every new sentence (of fresh articles, of stories' blocks and own paragraphs)
    is half of one pool sentence and half of another. Without it, a pool sentence holding no
    name or number comes back word for word in unrelated articles, more often the longer the
    stream (`benchmarks/unrelated_partials.py`): storyline rightly calls each a recycled
    sentence, and the checks they cost grow with the stream. Copies and recycled blocks are made
    as before, from the articles and blocks they copy."""
    return list(iterate(n, seed, source_dir, stories, spliced))


def iterate(n: int, seed: int = 1, source_dir: Path = DEFAULT_SOURCE, stories: int | None = None,
            spliced: bool = False) -> Iterator[CorpusArticle]:
    """:func:`generate`'s articles one at a time (the generator still holds every article made,
    as a copy may draw on any of them)."""
    pool = load_pool(source_dir)
    gen = _Generator(pool, random.Random(seed), default_stories(n) if stories is None else stories, spliced)
    for _ in range(n):
        yield gen.next()


def write_jsonl(n: int, seed: int, path: Path, source_dir: Path = DEFAULT_SOURCE, stories: int | None = None,
                spliced: bool = False) -> int:
    """:func:`generate` into a JSONL file (one ``{"id", "text", "kind", "source", "story"}`` a
    line); the bytes of text written. Run in a process of its own (:func:`on_disk`), so that
    the process reading the file back never holds the whole corpus."""
    text_bytes = 0
    with path.open("w", encoding="utf-8") as f:
        for item in iterate(n, seed, source_dir, stories, spliced):
            text_bytes += len(item.text.encode("utf-8"))
            f.write(json.dumps({"id": item.id, "text": item.text, "kind": item.kind, "source": item.source,
                                "story": item.story}) + "\n")
    return text_bytes


def on_disk(n: int, seed: int, path: Path, source_dir: Path = DEFAULT_SOURCE, stories: int | None = None,
            spliced: bool = False) -> int:
    """:func:`write_jsonl` in a child process (~6 kB an article while it is made,
    as copies may draw on any earlier article: see ``_Generator.made``); the bytes of text written."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(write_jsonl, n, seed, path, source_dir, stories, spliced).result()


class KeptCorpusMismatch(ValueError):
    """A kept corpus file is not the corpus asked for (another seed, stories or form, or too short)."""


def kept(path: Path, n: int, seed: int, stories: int | None = None, spliced: bool = False,
         source_dir: Path = DEFAULT_SOURCE) -> Path:
    """A corpus of at least ``n`` articles in the JSONL file ``path``, made there (:func:`on_disk`)
    when missing, and recorded beside it (``PATH.json``: seed, stories, form, articles) so that a
    later run of the same corpus reads it instead of making it again (a 1M corpus takes minutes
    and gigabytes to make). A file made with more articles serves: the same seed and stories give
    the same articles, whatever the length. Raises :class:`KeptCorpusMismatch` when the file is of
    another corpus or too short (it is never overwritten)."""
    stories = default_stories(n) if stories is None else stories
    want = {"seed": seed, "stories": stories, "spliced": spliced}
    record = path.with_name(path.name + ".json")
    if path.exists():
        if not record.is_file():
            raise KeptCorpusMismatch(f"{path}: exists, but {record.name} beside it, which says what corpus it "
                                     "holds, does not; give a new path")
        held = json.loads(record.read_text(encoding="utf-8"))
        differs = [f"{k} {held.get(k)!r} there, {v!r} asked" for k, v in want.items() if held.get(k) != v]
        if differs:
            raise KeptCorpusMismatch(f"{path}: another corpus ({'; '.join(differs)}); give a new path")
        if held.get("articles", 0) < n:
            raise KeptCorpusMismatch(f"{path}: holds {held.get('articles', 0):,} articles, {n:,} asked; "
                                     "give a new path")
        return path
    partial = path.with_name(path.name + ".partial")
    on_disk(n, seed, partial, source_dir, stories, spliced)
    partial.replace(path)  # an interrupted making leaves no file that looks whole
    record.write_text(json.dumps({**want, "articles": n}) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> Iterator[CorpusArticle]:
    """The articles :func:`write_jsonl` wrote, one at a time."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield CorpusArticle(d["id"], d["text"], d["kind"], d["source"], d["story"])


def published(index: int, per_day: int, start: date = date(2024, 10, 1)) -> str:
    """The date of the ``index``-th article of a stream that brings ``per_day`` articles a day
    (0: every article on ``start``, the worst case for a clusterer's time window)."""
    return (start + timedelta(days=index // per_day if per_day > 0 else 0)).isoformat()


def run_and_print(make: Callable[[], dict], as_json: bool, width: int = 14) -> dict | None:
    """A benchmark's figures from ``make()``, printed as one JSON line or as a column of
    ``key  value``; None (the reason on stderr) when the texts the corpus is made of are missing, or a
    kept corpus file is another corpus."""
    try:
        result = make()
    except (CorpusSourceMissing, KeptCorpusMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    if as_json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>{width}}  {value}")
    return result


def iter_batches(items: list, size: int) -> Iterator[list]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def shingle_sets(texts: list[str], batch: int = 256) -> list[np.ndarray]:
    """storyline's 3-word shingle sets (sorted unique uint64), the definition everyone is judged on."""
    hasher = MinHasher(num_perm=128, shingle=3)
    out: list[np.ndarray] = []
    for chunk in iter_batches(texts, batch):
        out.extend(hasher.shingle_sets(chunk))
    return out


def true_pairs(sets: list[np.ndarray], threshold: float = 0.8) -> dict[tuple[int, int], float]:
    """Every pair ``(i, j)``, ``i < j``, with exact ``jaccard(sets[i], sets[j]) >= threshold``.

    Exact, by prefix filtering: order all shingles from rarest to most common; if
    J(x, y) ≥ t then |x ∩ y| ≥ ⌈t·max(|x|, |y|)⌉, so the first |x| − ⌈t|x|⌉ + 1 shingles
    of x and the first |y| − ⌈t|y|⌉ + 1 of y share at least one shingle. Here a prefix one
    longer (|x| − ⌊t|x|⌋ + 1) is used, which keeps the guarantee under rounding. Only
    pairs sharing a prefix shingle (and passing the size filter |small| ≥ t·|large|) are
    compared, with storyline's own :func:`jaccard`.
    """
    n = len(sets)
    sizes = np.array([s.size for s in sets], dtype=np.int64)
    if n < 2 or sizes.sum() == 0:
        return {}
    tokens = np.concatenate(sets)
    _, inverse, counts = np.unique(tokens, return_inverse=True, return_counts=True)
    rank_of_unique = np.empty(counts.size, dtype=np.int64)
    rank_of_unique[np.lexsort((np.arange(counts.size), counts))] = np.arange(counts.size)
    ranks = rank_of_unique[inverse.ravel()]
    owners = np.repeat(np.arange(n), sizes)
    order = np.lexsort((ranks, owners))
    ranks = ranks[order]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.arange(ranks.size) - np.repeat(starts, sizes)
    prefix = sizes - np.floor(threshold * sizes).astype(np.int64) + 1
    keep = position < np.repeat(prefix, sizes)
    p_rank, p_owner = ranks[keep], owners[keep]
    by_rank = np.lexsort((p_owner, p_rank))
    p_rank, p_owner = p_rank[by_rank], p_owner[by_rank]
    bounds = np.flatnonzero(np.diff(p_rank)) + 1
    group_starts = np.concatenate(([0], bounds))
    group_ends = np.concatenate((bounds, [p_rank.size]))
    shared = np.flatnonzero(group_ends - group_starts > 1)
    candidates: set[tuple[int, int]] = set()
    for g in shared:
        members = p_owner[group_starts[g]:group_ends[g]].tolist()
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                candidates.add((a, b))
    out: dict[tuple[int, int], float] = {}
    for a, b in candidates:
        small, large = sorted((sizes[a], sizes[b]))
        if small < threshold * large:
            continue
        score = jaccard(sets[a], sets[b])
        if score >= threshold:
            out[(a, b)] = score
    return out


def brute_force_pairs(sets: list[np.ndarray], threshold: float = 0.8) -> dict[tuple[int, int], float]:
    """The O(n²) definition of :func:`true_pairs`, to check it on small corpora."""
    out = {}
    for j in range(len(sets)):
        for i in range(j):
            score = jaccard(sets[i], sets[j])
            if score >= threshold:
                out[(i, j)] = score
    return out
