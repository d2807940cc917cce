"""The reuse stage: near-duplicate articles and recycled passages, each traced to its first occurrence.

``featurize`` runs the kernel once over a batch (the expensive, vectorised part; pure, so
it runs before the write transaction, in a process pool or in Spark's ``mapPartitions``);
``resolve`` then settles one article at a time against the index, in ingest order, so an
article sees every article stored before it, batch-mates included, and returns its
verdicts as a :class:`ReuseResult` (the article is never changed).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..errors import StorylineError
from ..records import Article, Passage, PassageRef, PassageStatus, Span
from ..settings import ReuseSettings
from ..text import sentences
from ..text.passages import KeyMemo, PassageKeys, key_hashes, similarity_and_shared_bigrams
from .boilerplate import looks_like_boilerplate
from .kernel import MinHasher, estimate_jaccard, jaccard, sorted_unique
from .lsh import band_keys
from .ports import CheckedPair, ReuseIndex, StoredArticle, StoredPassage
from .sentences import SentenceKeys, best_contained, match_sentences, sentence_keys

if TYPE_CHECKING:
    from .pair_kernel import PairKernel


@dataclass(slots=True)
class ArticleFeatures:
    """What the index needs of one article, computed in batch."""

    signature: np.ndarray
    bands: np.ndarray
    shingle_hashes: np.ndarray  # the kernel's shingle hashes of the text, in text order, repeats kept
    passages: list[PassageKeys]
    passage_bands: dict[int, np.ndarray]  # passage index → band keys (passages with content words)
    # each passage's sentences with their keys (partial copies are scored by them): made here, in
    # the worker processes, instead of in the write transaction for every candidate they meet
    sentences: list[tuple[SentenceKeys, ...]] = field(default_factory=list)
    # each passage's form tested against the boilerplate patterns (``looks_like_boilerplate``):
    # a regular expression pass over every passage, made here rather than in the write
    # transaction; empty when featurize made no passages' features
    boilerplate_form: tuple[bool, ...] = ()
    _shingles: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def shingles(self) -> np.ndarray:
        """The set of the article's shingle hashes (sorted, unique), as exact Jaccard needs it:
        made when first asked, since most articles meet no near-duplicate candidate."""
        if self._shingles is None:
            self._shingles = sorted_unique(self.shingle_hashes)
        return self._shingles


@dataclass(slots=True, frozen=True)
class PassageVerdict:
    """What reuse found of one passage: new, recycled (first seen at ``first_seen``, ``score``
    against the copy of it that matched best) or boilerplate."""

    status: PassageStatus = "new"
    first_seen: PassageRef | None = None
    score: float | None = None
    copied: Span | None = None  # the characters of this passage that were copied
    first_seen_span: Span | None = None  # the characters of the first_seen passage they copy
    partial: bool = False  # found by a sentence, not as a whole passage (``score`` is then its containment)


@dataclass(slots=True, frozen=True)
class ReuseResult:
    """What reuse found of one article: the original it nearly duplicates, and each passage's verdict."""

    duplicate_of: str | None
    similarity: float | None
    passages: tuple[PassageVerdict, ...]

    def marked(self, article: Article) -> Article:
        """A copy of ``article`` carrying these verdicts (``article`` itself is not changed)."""
        passages = [replace(p, status=v.status, first_seen=v.first_seen, score=v.score, copied=v.copied,
                            first_seen_span=v.first_seen_span)
                    for p, v in zip(article.passages, self.passages)]
        return replace(article, passages=passages, duplicate_of=self.duplicate_of, similarity=self.similarity)


@dataclass(slots=True, frozen=True)
class _Match:
    """A stored passage this one recycles (or that it recycles in part)."""

    score: float
    stored: StoredPassage
    partial: bool


@dataclass(slots=True)
class _Found:
    """A passage's matches, and the candidates whose check ``reuse.copies_per_root`` skipped, by article."""

    matches: list[_Match]
    skipped: dict[int, list[int]]  # article seq -> the indexes of its passages skipped


@dataclass(slots=True, frozen=True)
class PassageMatch:
    """One passage of article a that recycles passage b of another article."""

    a: int
    b: int
    score: float


class ReuseStage:
    """Finds copies of whole articles and of single passages; see :class:`~storyline.settings.ReuseSettings`."""

    def __init__(self, settings: ReuseSettings) -> None:
        self.settings = settings
        self.hasher = MinHasher(settings.num_perm, settings.shingle, settings.seed)
        self.passage_hasher = MinHasher(settings.passage_num_perm, 1, settings.seed)
        # Another seed: a sentence's band keys meet only other sentences' keys.
        self.sentence_hasher = MinHasher(settings.sentence_num_perm, 1, settings.seed + 1)
        self.keys = KeyMemo(settings.cache_keys)
        if settings.compiled_checks is True and importlib.util.find_spec("numba") is None:  # refused before any work
            raise StorylineError("reuse.compiled_checks needs numba: pip install 'storyline[fast]'")
        self._kernel: PairKernel | None = None
        self._kernel_looked_for = False
        self._set_checks = 0  # pairs the set code checked while ``reuse.compiled_after`` had not been reached

    @property
    def compiled(self) -> bool:
        """Whether the writer's pair checks are compiled now (``reuse.compiled_checks``)."""
        return self._pair_kernel() is not None

    def _pair_kernel(self) -> PairKernel | None:
        """The compiled pair check (``reuse.compiled_checks``), made when first asked for:
        importing numba takes ~0.2 s, which featurize workers and commands that check no pair
        never spend. Left to itself (``None``), the stage checks with the sets until it has
        checked ``reuse.compiled_after`` pairs (a small ingest would not win back numba's
        import and load), and for good where numba is missing or cannot import or compile (a
        numba built for another numpy, say): the verdicts are the same, and an install that
        worked before the extra came never fails for it."""
        if not self._kernel_looked_for:
            wanted = self.settings.compiled_checks
            if wanted is None and self._set_checks < self.settings.compiled_after:
                return None
            self._kernel_looked_for = True
            if wanted is True:
                self._kernel = self._made_kernel()
            elif wanted is None and importlib.util.find_spec("numba") is not None:
                try:
                    self._kernel = self._made_kernel()
                except Exception:  # noqa: BLE001 - any failure of the optional backend: the set code
                    self._kernel = None
        return self._kernel

    def _made_kernel(self) -> PairKernel:
        from .pair_kernel import PairKernel

        s = self.settings
        kernel = PairKernel(s.recycled, s.min_fuzzy_keys, s.min_shared_bigrams, s.min_sentence_keys, s.partial)
        kernel.compile()  # here, not at the first pair of a write transaction
        return kernel

    @property
    def version(self) -> str:
        s = self.settings
        return (f"{self.passage_version};sentences={self.sentence_hasher.version};sbands={s.sentence_bands}"
                f";skeys={s.min_sentence_keys};smax={s.max_sentences}")

    @property
    def passage_version(self) -> str:
        """The version an index built before sentences had band keys recorded. Such an index goes
        on under :attr:`version`: its article and passage keys are the same, and only articles
        stored from then on are also found by their sentences."""
        s = self.settings
        return f"{self.hasher.version};bands={s.bands};passages={self.passage_hasher.version};pbands={s.passage_bands}"

    # -- batch part ------------------------------------------------------------
    def featurize(self, articles: Sequence[Article], passages: bool = True) -> list[ArticleFeatures]:
        """Kernel work for a batch. ``passages=False`` computes only what near-duplicate
        detection (:meth:`find_duplicate`) needs, for archive-scale dedup and the batch job."""
        texts = [a.text for a in articles]
        shingles, owners = self.hasher.shingle_hashes(texts)
        signatures = self.hasher.signatures_from_shingles(shingles, owners, len(texts))
        bands = band_keys(signatures, self.settings.bands)
        bounds = np.searchsorted(owners, np.arange(len(texts) + 1))
        out: list[ArticleFeatures] = []
        if not passages:
            for i in range(len(articles)):
                out.append(ArticleFeatures(signature=signatures[i], bands=bands[i],
                                           shingle_hashes=shingles[bounds[i]:bounds[i + 1]],
                                           passages=[], passage_bands={}))
            return out
        keys = [[self.keys(p.text) for p in a.passages] for a in articles]
        flat = [k for per_article in keys for k in per_article]
        passage_sigs = self.passage_hasher.signatures([k.text for k in flat])
        passage_band_keys = band_keys(passage_sigs, self.settings.passage_bands) if flat else np.empty((0, 0))
        # Each passage's sentences keyed once, for its sentence band keys and for scoring partial
        # copies; the spans are those ingest found, else the splitter's.
        every = [p for a in articles for p in a.passages]
        spans = [p.sentences or tuple(sentences(p.text)) for p in every]
        sents = [sentence_keys(p.text, found) for p, found in zip(every, spans)]
        sentence_bands = self._sentence_bands(sents, spans)
        row = 0
        for i, per_article in enumerate(keys):
            by_index = {}
            for index, k in enumerate(per_article):
                if k.keys:
                    by_index[index] = np.concatenate([passage_band_keys[row + index],
                                                      *sentence_bands.get(row + index, ())])
            out.append(ArticleFeatures(
                signature=signatures[i], bands=bands[i],
                shingle_hashes=shingles[bounds[i]:bounds[i + 1]],
                passages=per_article, passage_bands=by_index, sentences=sents[row:row + len(per_article)],
                boilerplate_form=tuple(looks_like_boilerplate(p.text) for p in articles[i].passages),
            ))
            row += len(per_article)
        return out

    def _sentence_bands(self, sents: list[tuple[SentenceKeys, ...]],
                        spans: Sequence[Sequence[Span]]) -> dict[int, list[np.ndarray]]:
        """Band keys of every sentence long enough to tell a copy from a shared topic, by the
        passage's row: a part of a passage finds the whole through them, and a passage with a
        sentence added (or two merged) finds each source. Only sentences found as spans count (a
        passage the splitter finds none in is one sentence for scoring, but has no sentence keys)."""
        owners: list[int] = []
        texts: list[str] = []
        s = self.settings
        for row, (keyed, found) in enumerate(zip(sents, spans)):
            if not found:
                continue
            for sentence in keyed[:s.max_sentences]:
                words = sentence.keys.keys
                if len(words) >= s.min_sentence_keys:
                    owners.append(row)
                    texts.append(" ".join(words))
        out: dict[int, list[np.ndarray]] = {}
        if texts:
            keys = band_keys(self.sentence_hasher.signatures(texts), s.sentence_bands)
            for row, k in zip(owners, keys):
                out.setdefault(row, []).append(k)
        return out

    # -- one article against the index -------------------------------------------
    def resolve(self, article: Article, features: ArticleFeatures, index: ReuseIndex) -> ReuseResult:
        """The article's near-duplicate original and each passage's status, first_seen and score."""
        known = index.original(article.id)
        duplicate_of, similarity = known if known is not None else self.find_duplicate(features, index)
        unrelated_cache: dict[int, bool] = {}
        # In a one- or two-paragraph item (a headline, a brief) the line *is* the content:
        # "VIDEO: Snowden speaks at SXSW" is the news there, a promo inside a long article.
        can_be_boilerplate = len(article.passages) >= 3
        own: list[tuple[SentenceKeys, ...] | None] = list(features.sentences) or [None] * len(article.passages)
        found = [self._passage_matches(article.id, passage.index, passage.text, keys, sents, candidates, index)
                 for passage, keys, sents, candidates in zip(article.passages, features.passages, own,
                                                             self._candidates(article, features, index))]
        # The articles each passage's copies are in, and those sharing a long one: a story's
        # copies can be trimmed and re-worded below the article-level ``unrelated`` similarity.
        copied_in = [{m.stored.article_seq for m in f.matches} for f in found]
        long_copies = [seqs if keys.words > self.settings.boilerplate_max_words else set()
                       for seqs, keys in zip(copied_in, features.passages)]

        def related_late(n: int, seq: int) -> bool:
            """Whether article ``seq`` is related to this one through passages other than the
            ``n``-th once their candidates in it that ``_passage_matches`` skipped are checked:
            checked now, when the boilerplate rule needs to know, as if none had been skipped."""
            for other, f in enumerate(found):
                if other == n or seq not in f.skipped:
                    continue
                idxs = f.skipped.pop(seq)
                if seq in copied_in[other]:
                    continue
                passage, keys = article.passages[other], features.passages[other]
                for idx in idxs:
                    stored = index.passage(seq, idx)
                    if self._checked(article.id, passage.index, passage.text, keys, own[other], stored,
                                     index).match is not None:
                        copied_in[other].add(seq)  # a long passage's long_copies is this same set
                        if seq in self._related(copied_in, long_copies, n):
                            return True
                        break
            return False

        form = features.boilerplate_form or tuple(map(looks_like_boilerplate, (p.text for p in article.passages)))
        verdicts = []
        for n, (passage, keys, f) in enumerate(zip(article.passages, features.passages, found)):
            matches = f.matches
            boilerplate = can_be_boilerplate and form[n]
            if not matches:
                verdicts.append(PassageVerdict("boilerplate" if boilerplate else "new"))
                continue
            earliest = min((m.stored for m in matches), key=lambda m: m.root_seq)
            # The score is against the copy of that first occurrence that matched best.
            best = max((m for m in matches if m.stored.root == earliest.root), key=lambda m: m.score)
            boilerplate = can_be_boilerplate and (
                boilerplate or any(m.stored.status == "boilerplate" for m in matches)
                or self._recurs_in_unrelated(features, matches, keys, index, unrelated_cache,
                                             self._related(copied_in, long_copies, n), partial(related_late, n)))
            copied, first_seen_span = self._spans(article.id, passage.index, passage.text, keys, own[n], earliest,
                                                  index)
            verdicts.append(PassageVerdict("boilerplate" if boilerplate else "recycled", earliest.root,
                                           round(best.score, 4), copied, first_seen_span, best.partial))
        return ReuseResult(duplicate_of, similarity, tuple(verdicts))

    def index(self, seq: int, features: ArticleFeatures, index: ReuseIndex, result: ReuseResult | None = None) -> None:
        """Make a stored article findable by the articles after it.

        With ``result`` (what :meth:`resolve` found of it), a long passage that is a near-exact
        copy (``reuse.index_copies_below``) is left out of the passage index: a later copy finds
        the passage it nearly equals, and through it the same first occurrence. Copies would
        otherwise fill the index with rows that lead nowhere new (a background block recycled
        under every new lead). Short passages are always kept: boilerplate is told by how many
        unrelated articles repeat one, which needs every copy.
        """
        index.add_article(seq, features.signature, features.bands)
        bands = features.passage_bands
        if result is not None:
            s = self.settings
            bands = {i: keys for i, keys in bands.items()
                     if not (result.passages[i].status == "recycled" and not result.passages[i].partial
                             and (result.passages[i].score or 0.0) >= s.index_copies_below
                             and features.passages[i].words > s.boilerplate_max_words)}
        index.add_passages(seq, bands)

    def find_duplicate(self, features: ArticleFeatures, index: ReuseIndex) -> tuple[str | None, float | None]:
        """Article level: among stored articles with exact shingle Jaccard ≥ ``near_duplicate``,
        the earliest original (the root of a chain of copies), as provenance does for passages,
        and the best Jaccard among the copies of that original; ``(None, None)`` when none is."""
        qualifying: list[tuple[float, StoredArticle]] = []
        candidates = index.article_candidates(features.bands, self.settings.max_candidates)
        if not candidates:
            return None, None
        # The candidates' texts in one kernel call: it costs little more than one text alone.
        for candidate, their in zip(candidates, self.hasher.shingle_sets([c.text for c in candidates])):
            score = self.near_duplicate_score(features.shingles, their)
            if score is not None:
                qualifying.append((score, candidate))
        if not qualifying:
            return None, None
        earliest = min((c for _, c in qualifying), key=lambda c: c.root_seq)
        return earliest.root, round(max(score for score, c in qualifying if c.root_seq == earliest.root_seq), 4)

    def near_duplicate_score(self, shingles: np.ndarray, their: np.ndarray) -> float | None:
        """The exact shingle Jaccard of two articles' shingle sets (``ArticleFeatures.shingles``)
        when it makes one a near-duplicate of the other (``reuse.near_duplicate``), else ``None``.
        The batch job verifies its candidate pairs with it too."""
        score = jaccard(shingles, their)
        return score if score >= self.settings.near_duplicate else None

    def _candidates(self, article: Article, features: ArticleFeatures,
                    index: ReuseIndex) -> list[list[tuple[int, int]] | None]:
        """Each passage's candidates (stored passages, as (article seq, passage index)), all
        looked up at once; ``None`` for a passage with no band keys (no content words)."""
        s = self.settings
        bands = [features.passage_bands.get(p.index) for p in article.passages]
        asked = [b for b in bands if b is not None]
        found = iter(index.passages_candidates(asked, s.passage_postings, s.verify, s.candidate_keys)
                     if asked else ())
        return [None if b is None else next(found) for b in bands]

    def _passage_matches(self, article_id: str, n: int, text: str, keys: PassageKeys,
                         sents: tuple[SentenceKeys, ...] | None, candidates: list[tuple[int, int]] | None,
                         index: ReuseIndex) -> _Found:
        if candidates is None:
            return _Found([], {})
        s = self.settings
        matches = []
        # This passage's checks by stored passage: a partial match's root (``_partial_root``) is
        # often another candidate, or the root of another, and a check is a function of the pair.
        checked: dict[tuple[int, int], tuple[float, bool] | None] = {}
        # A long passage stops checking the copies of a first occurrence it has matched
        # ``copies_per_root`` copies of: a block recycled in every article of a story would
        # otherwise check each new copy against ``verify`` earlier ones, all leading to the
        # same first occurrence. (A short passage checks them all: the boilerplate rule counts
        # the articles it recurs in.)
        long = keys.words > s.boilerplate_max_words
        cap = s.copies_per_root if long else 0
        later = not s.check_later_roots
        per_root: Counter[PassageRef] = Counter()
        skipped: dict[int, list[int]] = {}
        boilerplate_found = False
        earliest: int | None = None  # the seq of the earliest first occurrence matched so far
        for seq, idx in candidates:
            # Past the earliest first occurrence matched, a candidate can change neither the
            # first occurrence nor the score (the best against that first occurrence's copies):
            # for a long passage nothing else of its own hangs on it, nor for a short one once
            # a boilerplate match decided it (its recurrences no longer count).
            skip_later = later and earliest is not None and (long or boilerplate_found)
            if cap or skip_later:
                root, status, root_seq = index.passage_root(seq, idx)
                # (a boilerplate candidate is checked until one matched: it makes this one boilerplate)
                if (boilerplate_found or status != "boilerplate") and (
                        (cap and per_root[root] >= cap)
                        or (skip_later and earliest is not None and root_seq > earliest)):
                    skipped.setdefault(seq, []).append(idx)
                    continue
            stored = index.passage(seq, idx)
            if (seq, idx) in checked:
                match = checked[seq, idx]
            else:
                match = checked[seq, idx] = self._checked(article_id, n, text, keys, sents, stored, index).match
            if match is None:
                continue
            if match[1] and stored.root_seq != stored.article_seq:
                stored = self._partial_root(article_id, n, text, keys, sents, stored, index, checked)
            matches.append(_Match(match[0], stored, match[1]))
            per_root[stored.root] += 1
            earliest = stored.root_seq if earliest is None else min(earliest, stored.root_seq)
            boilerplate_found = boilerplate_found or stored.status == "boilerplate"
        matches.sort(key=lambda m: (-m.score, m.stored.root_seq))
        return _Found(matches, skipped)

    def _checked(self, article_id: str, n: int, text: str, keys: PassageKeys, sents: tuple[SentenceKeys, ...] | None,
                 stored: StoredPassage, index: ReuseIndex) -> CheckedPair:
        """Passage ``n`` against ``stored``: as checked beforehand (:meth:`check_keyed`, the batch
        job's executors), else checked here."""
        known = index.checked(article_id, n, stored)
        return known if known is not None else CheckedPair(self._match_stored(text, keys, sents, stored))

    def _partial_root(self, article_id: str, n: int, text: str, keys: PassageKeys,
                      sents: tuple[SentenceKeys, ...] | None, stored: StoredPassage,
                      index: ReuseIndex, checked: dict[tuple[int, int], tuple[float, bool] | None]) -> StoredPassage:
        """A stored copy this passage shares only a part with leads to the copy's first
        occurrence only when that part is in it too; else the part was first seen in the copy
        itself (one half of a merged paragraph, a sentence an editor added). ``checked``: this
        passage's checks so far, by stored passage (this one's is added)."""
        at = (stored.root_seq, stored.root.index)
        if at in checked:
            match = checked[at]
        else:
            root = index.passage(*at)
            match = checked[at] = self._checked(article_id, n, text, keys, sents, root, index).match
        if match is not None:
            return stored
        return replace(stored, root=PassageRef(stored.article_id, stored.index), root_seq=stored.article_seq)

    def check_pair(self, text: str, keys: PassageKeys, sents: tuple[SentenceKeys, ...] | None,
                   stored_text: str, stored_keys: PassageKeys,
                   stored_sents: tuple[SentenceKeys, ...] | None) -> CheckedPair:
        """What :meth:`resolve` checks of a passage against a stored one, a function of the two
        passages alone: whether it recycles it (``match``) and, when it does, the copied spans
        reported were the stored one its first occurrence. Sentences not given are keyed from
        the text, as the check would key them; see :meth:`check_keyed`."""
        return self.check_keyed(len(text), keys, sents if sents is not None else sentence_keys(text),
                                len(stored_text), stored_keys,
                                stored_sents if stored_sents is not None else sentence_keys(stored_text))

    def check_keyed(self, length: int, keys: PassageKeys, sents: tuple[SentenceKeys, ...], stored_length: int,
                    stored_keys: PassageKeys, stored_sents: tuple[SentenceKeys, ...]) -> CheckedPair:
        """:meth:`check_pair` of two passages given by their keys and their sentences' keys: of
        their texts it needs only the lengths (a copy's span where no sentence is contained
        alone is the whole passage). The batch job checks its candidate pairs with it on the
        executors (:mod:`storyline.batch.pairs`), which carry no texts. Checked compiled when
        the stage checks compiled (``_pair_kernel``): the same verdict and spans as the set code."""
        kernel = self._pair_kernel()
        if kernel is not None:
            own, theirs = kernel.passage(keys, sents), kernel.passage(stored_keys, stored_sents)
            match = kernel.match(keys, own, stored_keys, theirs)
            if match is None:
                return CheckedPair(None)
            a, b = kernel.copied(own, theirs, self.settings.copied_span)
            return CheckedPair(match, (a or Span(0, length), b or Span(0, stored_length)))
        match = self._match("", keys, "", stored_keys, sents, stored_sents)
        if match is None:
            return CheckedPair(None)
        return CheckedPair(match, self._copied_keyed(length, keys, sents, stored_length, stored_keys, stored_sents))

    def _match(self, text_a: str, a: PassageKeys, text_b: str, b: PassageKeys,
               sentences_a: tuple[SentenceKeys, ...] | None = None,
               sentences_b: tuple[SentenceKeys, ...] | Callable[[], tuple[SentenceKeys, ...]] | None = None,
               ) -> tuple[float, bool] | None:
        """``(score, partial)`` when passage a recycles b (or b a), else ``None``: the whole-passage
        similarity when it reaches ``recycled``, else the containment of the best-contained
        sentence (``partial``) when that reaches ``partial``. ``sentences_b`` may be a function
        giving them: a stored passage's are made only when a partial match needs them."""
        s = self.settings
        if min(len(a.keys), len(b.keys)) < s.min_fuzzy_keys:
            return (1.0, False) if a.keys == b.keys else None
        whole, shared = similarity_and_shared_bigrams(a, b)
        if whole >= s.recycled:
            return whole, False
        # No sentence can share more key bigrams with the other passage than the whole does.
        if shared < s.min_shared_bigrams:
            return None
        if sentences_a is None:
            sentences_a = sentence_keys(text_a)
        if callable(sentences_b):
            sentences_b = sentences_b()
        elif sentences_b is None:
            sentences_b = sentence_keys(text_b)
        score = best_contained(a, b, sentences_a, sentences_b, min_keys=s.min_sentence_keys,
                               min_bigrams=s.min_shared_bigrams, floor=s.partial)
        return (score, True) if score >= s.partial else None

    def _match_stored(self, text: str, keys: PassageKeys, sentences: tuple[SentenceKeys, ...] | None,
                      stored: StoredPassage) -> tuple[float, bool] | None:
        kernel = self._pair_kernel()
        if kernel is None:
            self._set_checks += 1
        elif sentences is not None:
            own = kernel.passage(keys, sentences)
            prepared = kernel.stored(stored)
            if prepared is not None:
                return kernel.match(keys, own, stored.keys, prepared)
            # Read back from the store, its sentences not keyed: only if the whole passages
            # leave the verdict open (most such checks are decided whole).
            decided, match = kernel.whole(keys, own, stored.keys, key_hashes(stored.keys.keys))
            if decided:
                return match
            return kernel.match(keys, own, stored.keys, kernel.passage(stored.keys, stored.sentences))
        return self._match(text, keys, stored.text, stored.keys, sentences, lambda: stored.sentences)

    def _spans(self, article_id: str, n: int, text: str, keys: PassageKeys, sents: tuple[SentenceKeys, ...] | None,
               first: StoredPassage, index: ReuseIndex) -> tuple[Span, Span]:
        """The copied characters of passage ``n`` and of its first occurrence (see :meth:`_copied`)."""
        source = first if first.root == PassageRef(first.article_id, first.index) else \
            index.passage(first.root_seq, first.root.index)
        known = index.checked(article_id, n, source)
        if known is not None and known.spans is not None:
            return known.spans
        kernel = self._pair_kernel()
        if kernel is not None and sents is not None:
            prepared = kernel.stored(source)
            if prepared is not None:  # the spans _copied gives, from the arrays the checks made
                a, b = kernel.copied(kernel.passage(keys, sents), prepared, self.settings.copied_span)
                return a or Span(0, len(text)), b or Span(0, len(source.text))
        return self._copied(text, keys, sents, source.text, source.keys, source.sentences)

    def _copied(self, text: str, keys: PassageKeys, sents: tuple[SentenceKeys, ...] | None, source_text: str,
                source_keys: PassageKeys, source_sents: tuple[SentenceKeys, ...] | None) -> tuple[Span, Span]:
        """The copied characters of a passage and of its source: the sentences of each that lie
        in the other (``copied_span``); the whole passage where none does alone (a copy re-worded
        throughout)."""
        return self._copied_keyed(len(text), keys, sents if sents is not None else sentence_keys(text),
                                  len(source_text), source_keys,
                                  source_sents if source_sents is not None else sentence_keys(source_text))

    def _copied_keyed(self, length: int, keys: PassageKeys, sents: tuple[SentenceKeys, ...], source_length: int,
                      source_keys: PassageKeys, source_sents: tuple[SentenceKeys, ...]) -> tuple[Span, Span]:
        """:meth:`_copied` of passages given by their keys and their sentences' keys, and the
        lengths of their texts."""
        s = self.settings
        # (with both passages' sentences given, match_sentences reads nothing of the texts)
        found = match_sentences("", keys, "", source_keys, min_keys=s.min_sentence_keys,
                                min_bigrams=s.min_shared_bigrams, span_threshold=s.copied_span,
                                sentences_a=sents, sentences_b=source_sents)
        a = found.span_a or (0, length)
        b = found.span_b or (0, source_length)
        return Span(*a), Span(*b)

    def _related(self, copied_in: list[set[int]], long_copies: list[set[int]], n: int) -> set[int]:
        """The articles related to this one through passages other than the ``n``-th: sharing
        ``related_passages`` of them, or one long one."""
        shared = Counter(seq for other, seqs in enumerate(copied_in) if other != n for seq in seqs)
        related = {seq for seq, count in shared.items() if count >= self.settings.related_passages}
        return related.union(*(seqs for other, seqs in enumerate(long_copies) if other != n))

    def _recurs_in_unrelated(self, features: ArticleFeatures, matches: list[_Match], keys: PassageKeys,
                             index: ReuseIndex, cache: dict[int, bool], related: set[int],
                             related_late: Callable[[int], bool] = lambda seq: False) -> bool:
        """A short passage repeated in articles that share nothing else with this one is
        boilerplate. ``related_late(seq)``: whether article ``seq`` is related to this one
        through copies of its other passages that were not checked (so ``related`` does not
        know them yet)."""
        if keys.words > self.settings.boilerplate_max_words:
            return False
        seqs = sorted({m.stored.article_seq for m in matches} - related)
        missing = [s for s in seqs if s not in cache]
        for seq, signature in index.signatures(missing).items():
            cache[seq] = estimate_jaccard(features.signature, signature) < self.settings.unrelated
        unrelated = 0
        for seq in seqs:
            if cache.get(seq, False) and not related_late(seq):
                unrelated += 1
                if unrelated >= self.settings.boilerplate_repeats:
                    return True
        return False

    # -- two articles, no store ---------------------------------------------------
    def compare_passages(self, a: Article, b: Article) -> list[PassageMatch]:
        """Recycled passage pairs between two articles (whole or in part), one-to-one, best first."""
        keys_a = [self.keys(p.text) for p in a.passages]
        keys_b = [self.keys(p.text) for p in b.passages]
        found = ((self._match(pa.text, ka, pb.text, kb), i, j) for i, (pa, ka) in enumerate(zip(a.passages, keys_a))
                 for j, (pb, kb) in enumerate(zip(b.passages, keys_b)) if ka.keys and kb.keys)
        scored = sorted(((match[0], i, j) for match, i, j in found if match is not None), reverse=True)
        used_a: set[int] = set()
        used_b: set[int] = set()
        out = []
        for score, i, j in scored:
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            out.append(PassageMatch(i, j, round(score, 4)))
        return sorted(out, key=lambda m: m.a)

    def article_similarity(self, a: Article, b: Article) -> float:
        sets = self.hasher.shingle_sets([a.text, b.text])
        return jaccard(sets[0], sets[1])


__all__ = ["ArticleFeatures", "CheckedPair", "PassageMatch", "PassageRef", "PassageVerdict", "ReuseIndex", "ReuseResult",
           "ReuseStage"]
