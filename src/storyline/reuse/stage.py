"""The reuse stage: near-duplicate articles and recycled passages, each traced to its first occurrence.

``featurize`` runs the kernel once over a batch (the expensive, vectorised part; pure, so
it runs before the write transaction, in a process pool or in Spark's ``mapPartitions``);
``resolve`` then settles one article at a time against the index, in ingest order, so an
article sees every article stored before it, batch-mates included, and returns its
verdicts as a :class:`ReuseResult` (the article is never changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..records import Article, PassageRef, PassageStatus
from ..settings import ReuseSettings
from ..text.passages import PassageKeys, passage_keys, passage_similarity
from .boilerplate import looks_like_boilerplate
from .kernel import MinHasher, estimate_jaccard, jaccard, sorted_unique
from .lsh import band_keys
from .ports import ReuseIndex, StoredArticle, StoredPassage


@dataclass(slots=True)
class ArticleFeatures:
    """What the index needs of one article, computed in batch."""

    signature: np.ndarray
    bands: np.ndarray
    shingles: np.ndarray
    passages: list[PassageKeys]
    passage_bands: dict[int, np.ndarray]  # passage index → band keys (passages with content words)


@dataclass(slots=True, frozen=True)
class PassageVerdict:
    """What reuse found of one passage: new, recycled (first seen at ``first_seen``, ``score``
    against the copy of it that matched best) or boilerplate."""

    status: PassageStatus = "new"
    first_seen: PassageRef | None = None
    score: float | None = None


@dataclass(slots=True, frozen=True)
class ReuseResult:
    """What reuse found of one article: the original it nearly duplicates, and each passage's verdict."""

    duplicate_of: str | None
    similarity: float | None
    passages: tuple[PassageVerdict, ...]

    def marked(self, article: Article) -> Article:
        """A copy of ``article`` carrying these verdicts (``article`` itself is not changed)."""
        passages = [replace(p, status=v.status, first_seen=v.first_seen, score=v.score)
                    for p, v in zip(article.passages, self.passages)]
        return replace(article, passages=passages, duplicate_of=self.duplicate_of, similarity=self.similarity)


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

    @property
    def version(self) -> str:
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
        keys = [[passage_keys(p.text) for p in a.passages] if passages else [] for a in articles]
        flat = [k for per_article in keys for k in per_article]
        passage_sigs = self.passage_hasher.signatures([k.text for k in flat])
        passage_band_keys = band_keys(passage_sigs, self.settings.passage_bands) if flat else np.empty((0, 0))
        out: list[ArticleFeatures] = []
        row = 0
        for i, per_article in enumerate(keys):
            by_index = {}
            for index, k in enumerate(per_article):
                if k.keys:
                    by_index[index] = passage_band_keys[row]
                row += 1
            out.append(ArticleFeatures(
                signature=signatures[i], bands=bands[i],
                shingles=sorted_unique(shingles[bounds[i]:bounds[i + 1]]),
                passages=per_article, passage_bands=by_index,
            ))
        return out

    # -- one article against the index -------------------------------------------
    def resolve(self, article: Article, features: ArticleFeatures, index: ReuseIndex) -> ReuseResult:
        """The article's near-duplicate original and each passage's status, first_seen and score."""
        duplicate_of, similarity = self.find_duplicate(features, index)
        unrelated_cache: dict[int, bool] = {}
        # In a one- or two-paragraph item (a headline, a brief) the line *is* the content:
        # "VIDEO: Snowden speaks at SXSW" is the news there, a promo inside a long article.
        can_be_boilerplate = len(article.passages) >= 3
        verdicts = []
        for passage, keys in zip(article.passages, features.passages):
            matches = self._passage_matches(keys, features.passage_bands.get(passage.index), index)
            boilerplate = can_be_boilerplate and looks_like_boilerplate(passage.text)
            if matches:
                earliest = min((m for _, m in matches), key=lambda m: m.root_seq)
                # The score is against the copy of that first occurrence that matched best.
                score = round(max(score for score, m in matches if m.root == earliest.root), 4)
                boilerplate = can_be_boilerplate and (
                    boilerplate or any(m.status == "boilerplate" for _, m in matches)
                    or self._recurs_in_unrelated(features, matches, keys, index, unrelated_cache))
                verdicts.append(PassageVerdict("boilerplate" if boilerplate else "recycled", earliest.root, score))
            else:
                verdicts.append(PassageVerdict("boilerplate" if boilerplate else "new"))
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
                     if not (result.passages[i].status == "recycled" and (result.passages[i].score or 0.0) >= s.index_copies_below
                             and features.passages[i].words > s.boilerplate_max_words)}
        index.add_passages(seq, bands)

    def find_duplicate(self, features: ArticleFeatures, index: ReuseIndex) -> tuple[str | None, float | None]:
        """Article level: among stored articles with exact shingle Jaccard ≥ ``near_duplicate``,
        the earliest original (the root of a chain of copies), as provenance does for passages,
        and the best Jaccard among the copies of that original; ``(None, None)`` when none is."""
        qualifying: list[tuple[float, StoredArticle]] = []
        for candidate in index.article_candidates(features.bands, self.settings.max_candidates):
            (their,) = self.hasher.shingle_sets([candidate.text])
            score = jaccard(features.shingles, their)
            if score >= self.settings.near_duplicate:
                qualifying.append((score, candidate))
        if not qualifying:
            return None, None
        earliest = min((c for _, c in qualifying), key=lambda c: c.root_seq)
        return earliest.root, round(max(score for score, c in qualifying if c.root_seq == earliest.root_seq), 4)

    def _passage_matches(self, keys: PassageKeys, bands: np.ndarray | None,
                         index: ReuseIndex) -> list[tuple[float, StoredPassage]]:
        if bands is None:
            return []
        matches = []
        for seq, idx in index.passage_candidates(bands, self.settings.passage_postings, self.settings.verify):
            stored = index.passage(seq, idx)
            score = self._score(keys, stored.keys)
            if score >= self.settings.recycled:
                matches.append((score, stored))
        matches.sort(key=lambda m: (-m[0], m[1].root_seq))
        return matches

    def _score(self, a: PassageKeys, b: PassageKeys) -> float:
        if min(len(a.keys), len(b.keys)) < self.settings.min_fuzzy_keys:
            return 1.0 if a.keys == b.keys else 0.0
        return passage_similarity(a, b)

    def _recurs_in_unrelated(self, features: ArticleFeatures, matches: list[tuple[float, StoredPassage]],
                             keys: PassageKeys,
                             index: ReuseIndex, cache: dict[int, bool]) -> bool:
        """A short passage repeated in articles that share nothing else with this one is boilerplate."""
        if keys.words > self.settings.boilerplate_max_words:
            return False
        seqs = sorted({m.article_seq for _, m in matches})
        missing = [s for s in seqs if s not in cache]
        for seq, signature in index.signatures(missing).items():
            cache[seq] = estimate_jaccard(features.signature, signature) < self.settings.unrelated
        return sum(cache.get(s, False) for s in seqs) >= self.settings.boilerplate_repeats

    # -- two articles, no store ---------------------------------------------------
    def compare_passages(self, a: Article, b: Article) -> list[PassageMatch]:
        """Recycled passage pairs between two articles, one-to-one, best first."""
        keys_a = [passage_keys(p.text) for p in a.passages]
        keys_b = [passage_keys(p.text) for p in b.passages]
        scored = sorted(((self._score(ka, kb), i, j) for i, ka in enumerate(keys_a) for j, kb in enumerate(keys_b)
                         if ka.keys and kb.keys), reverse=True)
        used_a: set[int] = set()
        used_b: set[int] = set()
        out = []
        for score, i, j in scored:
            if score < self.settings.recycled:
                break
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            out.append(PassageMatch(i, j, round(score, 4)))
        return sorted(out, key=lambda m: m.a)

    def article_similarity(self, a: Article, b: Article) -> float:
        sets = self.hasher.shingle_sets([a.text, b.text])
        return jaccard(sets[0], sets[1])


__all__ = ["ArticleFeatures", "PassageMatch", "PassageRef", "PassageVerdict", "ReuseIndex", "ReuseResult",
           "ReuseStage"]
