"""Online story clustering: each article, as it arrives, joins the closest story or starts one.

In the spirit of Miranda et al. (EMNLP 2018): TF-IDF vectors (IDF from the store so far)
compared with each story's centroid, candidates found through the stories' heaviest
terms and limited to stories active in a time window. Passages recycled from earlier
articles are left out of the vector when the article has new ones, so a shared
background block alone does not pull two stories together. A story's id is derived from
its founding article and never changes; every assignment is logged with its score and
the terms it shared.

Stories also come apart: when a story grows (at bounded intervals, and after a merge) its
articles' own vectors are checked for a group that no longer holds with the rest
(``stories.split``); such a group leaves to found a story whose id derives from its
earliest article, and the split and every article it moved are logged with the reason.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from operator import itemgetter

import numpy as np

from ..records import Article
from ..settings import StorySettings
from ..text.similarity import content_words, term
from .compact import MARGIN, CompactStories
from .ports import Member, StoryIndex, StoryState
from .split import PairScorer, SplitPlan, find_split, is_due

_TITLE_CHARS = 120


@dataclass(slots=True, frozen=True)
class Assignment:
    """The story an article joined (or founded), with the score and the terms it shared."""

    story_id: str
    created: bool
    score: float | None
    shared_terms: tuple[str, ...]


@dataclass(slots=True)
class StoryFeatures:
    """What the clusterer needs of one article, computed before it is placed: content-term
    counts per passage (:func:`storyline.text.similarity.term`; the vector keeps only the
    passages reuse calls new) and of the title, the word each cut term was first written as
    (for the log's shared terms), and, with the embeddings extra, the embedding of the whole
    text."""

    passage_words: list[Counter[str]]
    title_words: Counter[str]
    dense_all: np.ndarray | None = None
    written: dict[str, str] = field(default_factory=dict)


def _features(article: Article) -> StoryFeatures:
    written: dict[str, str] = {}

    def counted(text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for word in content_words(text):
            t = term(word)
            counts[t] += 1
            if t != word:
                written.setdefault(t, word)
        return counts

    title = counted(article.title) if article.title else Counter()
    return StoryFeatures([counted(p.text) for p in article.passages], title, written=written)


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.blake2b(article_id.encode("utf-8"), digest_size=6).hexdigest()


def _title(article: Article) -> str:
    return _heading(article.title, article.passages[0].text if article.passages else article.id)


def _heading(title: str | None, first_paragraph: str) -> str:
    if title:
        return title
    first = first_paragraph.split("\n\n", 1)[0]
    return first if len(first) <= _TITLE_CHARS else first[:_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date() if "T" in value else date.fromisoformat(value[:10])
    except ValueError:
        return None


class StoryStage:
    """Online story clustering in the shape of an incremental estimator: ``featurize`` is pure
    (content words, embeddings), ``resolve`` places one article at a time against the state
    kept in memory (document frequencies, the story count, recently used stories) and saved
    through the :class:`~storyline.stories.ports.StoryIndex` port; ``flush`` writes what is only
    in memory before a commit, ``reset`` forgets it (after a rollback, or when another writer
    changed the store)."""

    def __init__(self, settings: StorySettings, embedder: object | None = None) -> None:
        self.settings = settings
        if settings.embeddings and embedder is None:
            # the extra, imported only when asked for
            from ..embeddings import load_embedder

            embedder = load_embedder()
        self.embedder = embedder if settings.embeddings else None
        s = settings
        self._join, self._merge, split = ((s.dense_join, s.dense_merge, s.dense_split) if self.embedder
                                          else (s.join, s.merge, s.split))
        # Capped at the merge threshold: parts that close would merge again at the next bridge.
        self._split = min(split, self._merge)
        self._pairs = PairScorer(s.dense_weight if self.embedder else None)
        self.reset()

    # -- in-memory state ---------------------------------------------------------
    def reset(self) -> None:
        """Forget the in-memory state; it is read again from the port as needed."""
        self.states_: OrderedDict[int, StoryState] = OrderedDict()
        self.compact_ = CompactStories(self.settings.cache_compact, self.settings.cache_terms)
        self.df_: dict[str, int] = {}  # document frequencies as stored (a bounded cache)
        self.df_pending_: Counter[str] = Counter()  # counted since the last flush
        self.words_pending_: dict[str, str] = {}  # the words cut terms were written as, since then
        self.documents_: int | None = None  # articles counted, flushed included
        self.documents_pending_ = 0

    def flush(self, index: StoryIndex) -> None:
        """Write the counts kept in memory (inside the caller's transaction, before it commits)."""
        if self.df_pending_:
            index.count_terms(dict(self.df_pending_), self.words_pending_)
            for term, count in self.df_pending_.items():
                if term in self.df_:
                    self.df_[term] += count
            self.df_pending_.clear()
            self.words_pending_ = {}
        if self.documents_pending_ and self.documents_ is not None:
            index.set_documents(self.documents_)
            self.documents_pending_ = 0

    def _frequencies(self, terms: list[str], index: StoryIndex) -> dict[str, int]:
        missing = [t for t in terms if t not in self.df_]
        if missing:
            if len(self.df_) + len(missing) > self.settings.cache_terms:
                self.df_.clear()
                missing = terms
            self.df_.update(index.document_frequencies(missing))
        return {t: self.df_.get(t, 0) + self.df_pending_.get(t, 0) for t in terms}

    def _documents(self, index: StoryIndex) -> int:
        if self.documents_ is None:
            self.documents_ = index.documents()
        return self.documents_

    def _states(self, seqs: list[int], index: StoryIndex,
                read: dict[int, StoryState] | None = None) -> list[StoryState]:
        """The stories ``seqs``, in that order: from memory (or ``read``, just read from the
        store), the missing ones read at once."""
        read = read or {}
        found = {seq: state for seq in seqs if (state := self.states_.get(seq) or read.get(seq)) is not None}
        missing = [seq for seq in seqs if seq not in found]
        if missing:
            found.update(index.states(missing))
        for seq in seqs:  # most recently used last; what falls out of memory is read again when needed
            self._remember(found[seq])
        return [found[seq] for seq in seqs]

    def _remember(self, state: StoryState) -> StoryState:
        self.states_[state.seq] = state
        self.states_.move_to_end(state.seq)
        if len(self.states_) > self.settings.cache_stories:
            self.states_.popitem(last=False)
        return state

    # -- featurize: pure, batch ---------------------------------------------------
    def featurize(self, articles: Sequence[Article]) -> list[StoryFeatures]:
        """Content-term counts per passage and of the title, and (with the extra) embeddings."""
        out = [_features(a) for a in articles]
        if self.embedder is not None and articles:
            texts = ["\n".join(([a.title] if a.title else []) + [p.text for p in a.passages]) for a in articles]
            for f, vector in zip(out, self.embedder.encode_documents(texts)):  # type: ignore[attr-defined]
                f.dense_all = vector
        return out

    def _dense(self, article: Article, features: StoryFeatures) -> np.ndarray | None:
        """The embedding of the article's new text (as the TF-IDF vector uses): the whole text's
        from ``featurize`` unless reuse marked only some passages new."""
        if self.embedder is None:
            return None
        new = [p.status == "new" for p in article.passages]
        if all(new) or not any(new):
            return features.dense_all
        text = "\n".join(([article.title] if article.title else []) + self._body(article))
        return self.embedder.encode_documents([text])[0]  # type: ignore[attr-defined]

    @staticmethod
    def _body(article: Article) -> list[str]:
        new = [p.text for p in article.passages if p.status == "new"]
        return new or [p.text for p in article.passages]

    def _score(self, sparse: float, dense_a: np.ndarray | None, dense_b: np.ndarray | None) -> float:
        if self.embedder is None or dense_a is None or dense_b is None:
            return sparse
        norm = float(np.linalg.norm(dense_a) * np.linalg.norm(dense_b)) or 1.0
        w = self.settings.dense_weight
        return (1 - w) * sparse + w * float(dense_a @ dense_b) / norm

    def _words(self, article: Article, features: StoryFeatures) -> dict[str, float]:
        new = [i for i, p in enumerate(article.passages) if p.status == "new"]
        counts: dict[str, float] = {}
        for i in new or range(len(article.passages)):
            for word, c in features.passage_words[i].items():
                counts[word] = counts.get(word, 0) + c
        for word, c in features.title_words.items():
            counts[word] = counts.get(word, 0) + c * self.settings.title_weight
        return counts

    # -- resolve: one article, in order -----------------------------------------------
    def resolve(self, article: Article, features: StoryFeatures, index: StoryIndex) -> Assignment:
        """The story ``article`` (its passages marked by reuse, not stored yet) joins or founds;
        updates the stories it touches (joins, merges, splits, each logged) through ``index``.
        The article itself is not changed."""
        dense = self._dense(article, features)
        counts = self._words(article, features)
        terms = list(counts)
        df = self._frequencies(terms, index)
        n = self._documents(index) + 1
        vector = {t: (1.0 + math.log(c)) * (math.log((n + 1) / (df[t] + 2)) + 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vector = {t: v / norm for t, v in vector.items()}
        # One ranking serves the candidate search and the vector kept for split checks.
        ranked = _heaviest(vector, max(self.settings.candidate_terms, self.settings.vector_terms))
        heaviest = list(ranked)[:self.settings.candidate_terms]
        today = _day(article.published)
        recent = self.settings.recent if self.embedder is not None else 0
        seqs = index.candidate_seqs(heaviest, limit=50, top=self.settings.candidate_stories, recent=recent)
        scored = self._scored(vector, dense, today, seqs, index)
        best = scored[0] if scored else None
        self.df_pending_.update(terms)
        # Only the terms counted: a word of a passage not counted (recycled) would be kept across
        # flushes and land on whichever article counts the term next, an order no other writer shares.
        for t in terms:
            if (word := features.written.get(t)) is not None:
                self.words_pending_.setdefault(t, word)
        self.documents_ = n
        self.documents_pending_ += 1
        if best is not None and best[0] >= self._join:
            score, story = best
            shared = tuple(features.written.get(t, t) for t in sorted(
                (t for t in vector if t in story.centroid), key=lambda t: -vector[t] * story.centroid[t])[:8])
            created = False
        else:
            story = self._remember(index.create(story_id_for(article.id), _title(article), article.published))
            score, shared, created = None, (), True
        self._absorb(story, vector, article.published, dense)
        self._save(story, index)
        kept_vector = dict(islice(ranked.items(), self.settings.vector_terms))
        index.save_vector(article.id, kept_vector, dense)
        index.log(story.id, article.id, "created" if created else "joined", score,
                  {"shared_terms": list(shared)})
        story_id = story.id
        if not created:
            story, merged = self._merge_bridged(story, scored[1:], article, index)
            story_id = story.id
            if self._split and is_due(story.articles, merged, self.settings.split_min_articles,
                                      self.settings.split_max_articles):
                story_id = self._split_drifted(story, article, kept_vector, dense, index)
        return Assignment(story_id, created, None if score is None else round(score, 4), shared)

    def _scored(self, vector: dict[str, float], dense: np.ndarray | None, today: date | None,
                seqs: list[int], index: StoryIndex) -> list[tuple[float, StoryState]]:
        """The candidates in the article's time window that could join it (score at least the
        join threshold), best first, exactly scored. A cheap score of every candidate
        (:mod:`storyline.stories.compact`) picks the ones worth an exact one; the rest are below
        the threshold, where no decision looks at them."""
        compacts = []
        self.compact_.make_room(len(seqs) * self.settings.max_terms)
        # Taken before any is added: adding may push out one found here.
        found = {seq: c for seq in seqs if (c := self.compact_.get(seq)) is not None}
        # Not in compact form: from the full states in memory, else from the store.
        read = {seq: self.states_[seq] for seq in seqs if seq not in found and seq in self.states_}
        unread = [seq for seq in seqs if seq not in found and seq not in read]
        outside: set[int] = set()
        if unread and today:
            # A candidate outside the window is skipped below, and its last day says so: its
            # centroid is not read. Of the stories a writer freshly opened on the stream
            # benchmark's 100k store read, half were (5.6 an article of 10.7).
            last = index.last_published(unread)
            outside = {seq for seq in unread if self._outside(today, _day(last.get(seq)))}
            unread = [seq for seq in unread if seq not in outside]
        if unread:
            read.update(index.states(unread))
        for seq in seqs:
            if seq in outside:
                continue
            compact = found.get(seq) or self.compact_.put(read[seq], _day(read[seq].last_published))
            if self._outside(today, compact.last_day):
                continue
            compacts.append(compact)
        cheap = self.compact_.sparse_scores(vector, compacts)
        close = [c.seq for c, sparse in zip(compacts, cheap.tolist())
                 if self._score(sparse, dense, c.dense) >= self._join - MARGIN]
        scored = [(self._score(_cosine(vector, state), dense, state.dense), state)
                  for state in self._states(close, index, read)]
        scored.sort(key=lambda pair: (-pair[0], pair[1].seq))
        return scored

    def _outside(self, today: date | None, last: date | None) -> bool:
        """Whether a story last updated on ``last`` is outside the time window of an article of
        ``today`` (an undated article or story is never outside)."""
        return bool(today and last and abs((today - last).days) > self.settings.window_days)

    def _save(self, story: StoryState, index: StoryIndex) -> None:
        index.save(story, _index_terms(story))
        self._compact(story)

    def _compact(self, story: StoryState) -> None:
        self.compact_.make_room(len(story.centroid))
        self.compact_.put(story, _day(story.last_published))

    def _merge_bridged(self, story: StoryState, others: list[tuple[float, StoryState]], article: Article,
                       index: StoryIndex) -> tuple[StoryState, bool]:
        """The article also matches other stories: merge those whose centroids are close to its story.
        Returns the article's story and whether anything merged."""
        merged_any = False
        for score, other in others:
            if score < self._join:
                break
            sparse = _cosine(other.centroid, story) / (other.norm or 1.0)
            closeness = self._score(sparse, other.dense, story.dense)
            if closeness < self._merge:
                continue
            big, small = (story, other) if (story.articles, -story.seq) >= (other.articles, -other.seq) else (other, story)
            total = big.articles + small.articles
            merged = {t: w * big.articles / total for t, w in big.centroid.items()}
            for t, w in small.centroid.items():
                merged[t] = merged.get(t, 0.0) + w * small.articles / total
            big.set_centroid(_truncate(merged, self.settings.max_terms))
            if big.dense is not None and small.dense is not None:
                big.dense = (big.dense * big.articles + small.dense * small.articles) / total
            big.articles = total
            big.first_published = min(filter(None, (big.first_published, small.first_published)), default=None)
            big.last_published = max(filter(None, (big.last_published, small.last_published)), default=None)
            moved = index.merge(big, small, _index_terms(big))
            self._compact(big)
            self.states_.pop(small.seq, None)
            self.compact_.drop(small.seq)
            reason = {"bridge_article": article.id, "centroid_cosine": round(closeness, 4), "articles_moved": moved}
            index.log(small.id, article.id, "merged", round(score, 4), {"into": big.id, **reason})
            index.log(big.id, article.id, "absorbed", round(score, 4), {"story": small.id, **reason})
            story, merged_any = big, True
        return story, merged_any

    def _split_drifted(self, story: StoryState, article: Article, vector: dict[str, float],
                       dense: np.ndarray | None, index: StoryIndex) -> str:
        """Check the story the article is in for a group that no longer holds with the rest and
        move it to a story of its own; ``article`` (not stored yet, ``vector`` its kept terms)
        takes part and may move. Returns the article's story."""
        members = index.members(story.id)
        newest = members[-1].seq + 1 if members else 1
        members.append(Member(article.id, newest, article.published, vector, dense))
        founder = next((m.id for m in members if story_id_for(m.id) == story.id), None)
        plan = find_split(members, founder, self._join, self._split, self.settings.split_min_articles, self._pairs)
        if plan is None:
            return story.id
        return self._apply_split(story, plan, article, index)

    def _apply_split(self, story: StoryState, plan: SplitPlan, article: Article, index: StoryIndex) -> str:
        founder = plan.moved[0].id
        # The id derives from the group's earliest article; that article may have founded a story
        # since merged away, which the split then revives (its id leads to its group again).
        new_id, merged_seq = index.split_story_id([story_id_for(founder)] +
                                                  [story_id_for(f"{founder}#{k}") for k in range(2, 10)])
        if merged_seq is not None:
            new = self._remember(index.revive(merged_seq))
        else:
            title = _title(article) if founder == article.id else _heading(*index.article_heading(founder))
            new = self._remember(index.create(new_id, title, plan.moved[0].published))
        moved_ids = [m.id for m in plan.moved]
        stored = [i for i in moved_ids if i != article.id]
        index.move(stored, new.id)
        m, n = len(plan.moved), story.articles
        new.articles = m
        new.set_centroid(_truncate(plan.moved_centroid, self.settings.max_terms))
        new.dense = plan.moved_dense
        dates = sorted(filter(None, (x.published for x in plan.moved)))
        new.first_published, new.last_published = (dates[0], dates[-1]) if dates else (None, None)
        # What stays is the running mean less the moved articles: members stored before schema 6
        # (no vector, not in the check) stay in it.
        left = {t: (w * n - plan.moved_centroid.get(t, 0.0) * m) / (n - m) for t, w in story.centroid.items()}
        story.set_centroid(_truncate({t: w for t, w in left.items() if w > 1e-9}, self.settings.max_terms))
        if story.dense is not None and plan.moved_dense is not None:
            story.dense = ((story.dense * n - plan.moved_dense * m) / (n - m)).astype(np.float32)
        story.articles = n - m
        first, last = index.published_span(story.id)
        if article.id not in moved_ids and article.published:
            first = min(filter(None, (first, article.published)))
            last = max(filter(None, (last, article.published)))
        story.first_published, story.last_published = first, last
        self._save(story, index)
        self._save(new, index)
        score = round(plan.score, 4)
        shared_by = {m.id: sorted((t for t in m.vector if t in plan.moved_centroid),
                                  key=lambda t: (-m.vector[t] * plan.moved_centroid[t], t))[:8] for m in plan.moved}
        written = self._written([*plan.moved_terms, *plan.kept_terms, *(t for ts in shared_by.values() for t in ts)],
                                index)
        reason = {"articles_moved": moved_ids, "articles_kept": len(plan.kept),
                  "moved_terms": [written.get(t, t) for t in plan.moved_terms],
                  "kept_terms": [written.get(t, t) for t in plan.kept_terms]}
        index.log(story.id, article.id, "split", score, {"new_story": new.id, **reason})
        index.log(new.id, article.id, "split_off", score, {"from": story.id, **reason})
        for member in plan.moved:
            to_new = self._pairs.sparse_pair(member.vector, plan.moved_centroid, member.dense, plan.moved_dense)
            to_old = self._pairs.sparse_pair(member.vector, plan.kept_centroid, member.dense, plan.kept_dense)
            index.log(new.id, member.id, "moved", round(to_new, 4),
                      {"from": story.id, "reason": "split", "score_to_old": round(to_old, 4),
                       "shared_terms": [written.get(t, t) for t in shared_by[member.id]]})
        return new.id if article.id in moved_ids else story.id

    def _written(self, terms: list[str], index: StoryIndex) -> dict[str, str]:
        """The word each of ``terms`` was first written as, where one was cut (stored, or counted
        since the last flush); a term stored before schema 24 may have none and stays as it is."""
        unique = list(dict.fromkeys(terms))
        return {**{t: w for t in unique if (w := self.words_pending_.get(t))}, **index.term_words(unique)}

    def _absorb(self, story: StoryState, vector: dict[str, float], published: str | None,
                dense: np.ndarray | None = None) -> None:
        # The centroid is the mean of member vectors, kept to its heaviest terms.
        k = story.articles
        if dense is not None:
            story.dense = dense.astype(np.float32) if story.dense is None or k == 0 else (story.dense * k + dense) / (k + 1)
        merged = {t: w * k / (k + 1) for t, w in story.centroid.items()}
        for t, w in vector.items():
            merged[t] = merged.get(t, 0.0) + w / (k + 1)
        if len(merged) > self.settings.max_terms:
            merged = dict(sorted(merged.items(), key=lambda kv: kv[1], reverse=True)[:self.settings.max_terms])
        story.set_centroid(merged)
        story.articles = k + 1
        if published:
            if story.first_published is None or published < story.first_published:
                story.first_published = published
            if story.last_published is None or published > story.last_published:
                story.last_published = published


def _heaviest(vector: dict[str, float], k: int) -> dict[str, float]:
    """The ``k`` heaviest terms, heaviest first; equal weights keep text order (as a stable sort would)."""
    return dict(heapq.nlargest(k, vector.items(), key=itemgetter(1)))


def _truncate(centroid: dict[str, float], k: int) -> dict[str, float]:
    return dict(sorted(centroid.items(), key=lambda kv: kv[1], reverse=True)[:k])


def _index_terms(story: StoryState) -> list[str]:
    return sorted(story.centroid, key=story.centroid.__getitem__, reverse=True)[:40]


def _cosine(vector: dict[str, float], story: StoryState) -> float:
    """Cosine of a unit vector and the story's centroid."""
    norm = story.norm
    if not norm:
        return 0.0
    centroid = story.centroid
    # Over the shared terms only (the key views intersect in C); fsum makes the total independent
    # of the order they come in.
    return math.fsum(vector[t] * centroid[t] for t in vector.keys() & centroid.keys()) / norm
