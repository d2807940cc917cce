"""Stories in the store: centroids, the term → story index, document frequencies, the log."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timezone

import numpy as np

from ..errors import NotFoundError, StoreError
from ..pipeline.ports import Member, StoryState
from ..records import PassageRef, Story, StoryCopies
from .codec import pack_weights, unpack_weights
from .listing import ids_starting
from .story_events import at_text, event_code, event_name, now_value, pack_detail, unpack_detail
from .story_terms import StoryTerms, pack_terms, unpack_terms

_SEQ_MASK = (1 << 63) - 1

DOCUMENTS_KEY = "stories.documents"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SqliteStoryIndex:
    """The story clusterer's port (:class:`~storyline.stories.ports.StoryIndex`) over one store connection."""

    def __init__(self, conn: sqlite3.Connection, terms: StoryTerms | None = None) -> None:
        self._conn = conn
        # The term -> story index (its changed stories held in memory): the store's, kept across
        # transactions, or one of this index's own.
        self._index_terms = terms if terms is not None else StoryTerms(conn)

    def documents(self) -> int:
        """Articles counted so far (kept in ``meta``: counting a million rows takes longer than an ingest)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (DOCUMENTS_KEY,)).fetchone()
        if row is not None:
            return int(row[0])
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def set_documents(self, count: int) -> None:
        self._conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (DOCUMENTS_KEY, str(count)))

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        out = dict.fromkeys(terms, 0)
        for start in range(0, len(terms), 500):  # SQLite's bound on parameters
            chunk = terms[start:start + 500]
            out.update(self._conn.execute(
                f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return out

    def count_terms(self, counts: dict[str, int], words: dict[str, str]) -> None:
        """Add ``counts`` to the terms' document frequencies; ``words``: the word a cut term was
        written as, kept where the term has none yet (the first written wins)."""
        self._conn.executemany("INSERT INTO term_df (term, df, word) VALUES (?, ?, ?)"
                               " ON CONFLICT (term) DO UPDATE SET df = df + excluded.df,"
                               " word = coalesce(word, excluded.word)",
                               [(t, n, words.get(t)) for t, n in counts.items()])

    def term_words(self, terms: list[str]) -> dict[str, str]:
        """The word each of ``terms`` was first written as, where it was cut from one."""
        out: dict[str, str] = {}
        for start in range(0, len(terms), 500):
            chunk = terms[start:start + 500]
            out.update(self._conn.execute(f"SELECT term, word FROM term_df WHERE word IS NOT NULL"
                                          f" AND term IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return out

    def candidate_seqs(self, terms: list[str], limit: int, top: int, recent: int = 0) -> list[int]:
        """The ``top`` stories sharing the most of ``terms`` (among the latest ``limit`` per term;
        the latest first among equals), after the ``recent`` most recently updated ones (a dense
        match needs no shared word)."""
        recent_seqs: list[int] = []
        if recent:
            recent_seqs = [seq for (seq,) in self._conn.execute(
                "SELECT seq FROM stories WHERE merged_into IS NULL"
                " ORDER BY coalesce(last_published, '') DESC, seq DESC LIMIT ?", (recent,))]
        shared: Counter[int] = Counter()
        for found in self._index_terms.stories_of(terms, limit):
            shared.update(found)
        # The most shared first, then the latest: each (count, seq) as one number (a rowid fits in
        # 63 bits), greatest first; sorting ~500 of them took half the time a key function did.
        ranked = [v & _SEQ_MASK for v in sorted([n << 63 | seq for seq, n in shared.items()], reverse=True)[:top]]
        return list(dict.fromkeys(recent_seqs + ranked))

    def state(self, seq: int) -> StoryState:
        row = self._conn.execute("SELECT seq, id, title, first_published, last_published, articles, weights,"
                                 " dense FROM stories WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise NotFoundError("story", f"#{seq}")
        dense = np.frombuffer(row[7], dtype="<f4").copy() if row[7] is not None else None
        terms = self._terms(seq)
        centroid = unpack_weights(row[6]) if row[6] is not None else {}
        return StoryState(row[0], row[1], row[2], row[3], row[4], row[5], centroid, dense, terms)

    def _terms(self, seq: int) -> tuple[str, ...]:
        row = self._conn.execute("SELECT terms FROM stories WHERE seq = ?", (seq,)).fetchone()
        return unpack_terms(row[0]) if row is not None else ()

    def states(self, seqs: list[int]) -> dict[int, StoryState]:
        """Several stories' states, read in one statement."""
        out: dict[int, StoryState] = {}
        for start in range(0, len(seqs), 500):  # SQLite's bound on parameters
            chunk = seqs[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(
                    f"SELECT seq, id, title, first_published, last_published, articles, weights, dense FROM stories"
                    f" WHERE seq IN ({marks})", chunk):
                dense = np.frombuffer(row[7], dtype="<f4").copy() if row[7] is not None else None
                centroid = unpack_weights(row[6]) if row[6] is not None else {}
                # the terms are read when the story is saved: most candidates are only scored
                out[row[0]] = StoryState(row[0], row[1], row[2], row[3], row[4], row[5], centroid, dense)
        return out

    def last_published(self, seqs: list[int]) -> dict[int, str | None]:
        """When each of several stories was last updated (its latest article's date), without
        reading its centroid."""
        out: dict[int, str | None] = {}
        for start in range(0, len(seqs), 500):  # SQLite's bound on parameters
            chunk = seqs[start:start + 500]
            out.update(self._conn.execute(
                f"SELECT seq, last_published FROM stories WHERE seq IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def create(self, story_id: str, title: str, published: str | None) -> StoryState:
        cursor = self._conn.execute(
            "INSERT INTO stories (id, title, first_published, last_published, articles, centroid, updated_at)"
            " VALUES (?, ?, ?, ?, 0, '', ?)", (story_id, title, published, published, _now()))
        return StoryState(int(cursor.lastrowid or 0), story_id, title, published, published, 0, {}, terms=())

    def save(self, state: StoryState, index_terms: list[str]) -> None:
        """Write the story's figures and centroid, and the terms it is found by (only those that changed)."""
        dense = state.dense.astype("<f4").tobytes() if state.dense is not None else None
        if state.terms is None:
            state.terms = self._terms(state.seq)
        old, new = set(state.terms), set(index_terms)
        self._conn.execute("UPDATE stories SET articles = ?, first_published = ?, last_published = ?, weights = ?,"
                           " dense = ?, updated_at = ?" + (", terms = ?" if old != new else "") + " WHERE seq = ?",
                           (state.articles, state.first_published, state.last_published,
                            pack_weights(state.centroid), dense, _now(),
                            *((pack_terms(index_terms),) if old != new else ()), state.seq))
        if old != new:
            self._index_terms.change(state.seq, state.terms, index_terms)
        state.terms = tuple(index_terms)

    def merge(self, into: StoryState, absorbed: StoryState, index_terms: list[str]) -> int:
        """Move every article of ``absorbed`` into ``into``; ``absorbed`` keeps its row (its id
        then resolves to ``into``). Returns how many stored articles moved."""
        moved = self._conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?",
                                   (into.id, absorbed.id)).rowcount
        # A merged story's centroid is never read again (a split that revives it sets a new one):
        # it is not kept (schema 33; ~40 bytes an article of a 100,000-article stream's store).
        self._conn.execute("UPDATE stories SET merged_into = ?, articles = 0, weights = NULL, dense = NULL"
                           " WHERE seq = ?", (into.id, absorbed.seq))
        self._conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (into.id, absorbed.id))
        terms = absorbed.terms if absorbed.terms is not None else self._terms(absorbed.seq)
        if terms:
            self._index_terms.change(absorbed.seq, terms, ())
        self._conn.execute("UPDATE stories SET terms = NULL WHERE seq = ?", (absorbed.seq,))
        absorbed.terms = ()
        self.save(into, index_terms)
        return moved

    def save_vector(self, article_id: str, vector: dict[str, float], dense: np.ndarray | None) -> None:
        """An article's vector as it joined (its heaviest terms), for later split checks."""
        self._conn.execute("INSERT INTO article_vectors (article_id, terms, weights, dense) VALUES (?, '', ?, ?)",
                           (article_id, pack_weights({t: round(w, 4) for t, w in vector.items()}),
                            dense.astype("<f4").tobytes() if dense is not None else None))

    def members(self, story_id: str) -> list[Member]:
        """The story's stored articles that have a vector (articles stored before schema 6 have
        none), in ingest order."""
        return [Member(aid, seq, published, unpack_weights(weights),
                       np.frombuffer(dense, dtype="<f4").copy() if dense is not None else None)
                for aid, seq, published, weights, dense in self._conn.execute(
                    "SELECT a.id, a.seq, a.published, v.weights, v.dense FROM articles a"
                    " JOIN article_vectors v ON v.article_id = a.id WHERE a.story_id = ? ORDER BY a.seq",
                    (story_id,))]

    def article_heading(self, article_id: str) -> tuple[str | None, str]:
        """A stored article's title and the start of its text (to title a story it founds)."""
        row = self._conn.execute("SELECT title, substr(article_text(text), 1, 400) FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()
        if row is None:
            raise NotFoundError("article", article_id)
        return row[0], row[1]

    def split_story_id(self, candidates: list[str]) -> tuple[str, int | None]:
        """The first of ``candidates`` that no live story holds, and the seq of the merged story
        that holds it (revived by the split: its id leads to its founder's group again) or None."""
        for story_id in candidates:
            row = self._conn.execute("SELECT seq, merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                return story_id, None
            if row[1] is not None:
                return story_id, int(row[0])
        raise ValueError(f"every candidate id is held by a live story: {candidates}")

    def revive(self, seq: int) -> StoryState:
        """A merged story back in use (a split gave its founder's group back)."""
        self._conn.execute("UPDATE stories SET merged_into = NULL WHERE seq = ?", (seq,))
        return self.state(seq)

    def move(self, article_ids: list[str], story_id: str) -> int:
        """Stored articles into another story; returns how many moved."""
        moved = 0
        for article_id in article_ids:
            moved += self._conn.execute("UPDATE articles SET story_id = ? WHERE id = ?",
                                        (story_id, article_id)).rowcount
        return moved

    def story_copies(self, story_id: str) -> StoryCopies:
        """The story's articles and, for each first occurrence its passages copy, the earliest
        copy in the story (see :class:`~storyline.records.StoryCopies`): one pass over
        the story's passage rows, in ingest order."""
        members = dict(self._conn.execute("SELECT seq, id FROM articles WHERE story_id = ?", (story_id,)).fetchall())
        earliest: dict[tuple[int, int], tuple[int, int]] = {}
        for root_seq, root_index, seq, index in self._conn.execute(
                "SELECT p.first_seen_seq, p.first_seen_index, p.article_seq, p.idx FROM articles a"
                " JOIN passage_rows p ON p.article_seq = a.seq WHERE a.story_id = ? AND p.first_seen_seq IS NOT NULL"
                " ORDER BY p.article_seq, p.idx", (story_id,)):
            earliest.setdefault((root_seq, root_index), (seq, index))
        ids = dict(members)
        outside = sorted({seq for seq, _ in earliest} - ids.keys())
        for start in range(0, len(outside), 500):  # SQLite's bound on parameters
            chunk = outside[start:start + 500]
            ids.update(self._conn.execute(f"SELECT seq, id FROM articles WHERE seq IN ({','.join('?' * len(chunk))})",
                                          chunk).fetchall())
        return StoryCopies(story_id, {aid: seq for seq, aid in members.items()},
                           {PassageRef(ids[root_seq], root_index): (seq, PassageRef(ids[seq], index))
                            for (root_seq, root_index), (seq, index) in earliest.items() if root_seq in ids})

    def published_span(self, story_id: str) -> tuple[str | None, str | None]:
        """First and last publication date among the story's stored articles."""
        row = self._conn.execute("SELECT min(published), max(published) FROM articles WHERE story_id = ?",
                                 (story_id,)).fetchone()
        return row[0], row[1]

    def log(self, story_id: str, article_id: str, event: str, score: float | None, detail: dict) -> None:
        terms, rest = pack_detail(detail)
        row = self._conn.execute("SELECT seq FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise StoreError(f"story {story_id!r} is not in the store: its {event} event (article {article_id}) "
                             "cannot be logged")
        # The story's seq looked up first, not inserted through INSERT ... SELECT from stories: in
        # a stream's write transaction that statement cost ~360 µs, these two ~30 (a probe over
        # 1,000 articles into the 100k stream's store). Why is not known, and part of the time
        # moved to the next statements rather than went (README, "The story log's insert").
        self._conn.execute("INSERT INTO story_events (story_seq, article_id, at, event, score, terms, detail)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (row[0], article_id, now_value(), event_code(event), score, terms, rest))

    # -- reads for the interfaces --------------------------------------------------
    def history(self, story_id: str) -> list[dict]:
        """Every assignment to the story, in order: which article, created or joined, score, shared terms."""
        return [{"at": at_text(at), "article_id": aid, "event": event_name(event), "score": score,
                 **unpack_detail(terms, detail)}
                for at, aid, event, score, terms, detail in self._conn.execute(
                    "SELECT at, article_id, event, score, terms, detail FROM story_events"
                    " WHERE story_seq = (SELECT seq FROM stories WHERE id = ?) ORDER BY rowid", (story_id,))]

    def stories(self) -> list[Story]:
        rows = self._conn.execute("SELECT id, title FROM stories WHERE merged_into IS NULL ORDER BY seq").fetchall()
        return [self.story(story_id, title) for story_id, title in rows]

    def story(self, story_id: str, title: str | None = None) -> Story:
        if title is None:
            row = self._conn.execute("SELECT title, merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
            if row is None:
                raise NotFoundError("story", story_id, ids_starting(self._conn, "stories", story_id))
            if row[1] is not None:  # a merged story's id stays valid: it leads to the story that absorbed it
                return self.story(row[1])
            title = row[0]
        ids = [r[0] for r in self._conn.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY coalesce(published, ''), seq", (story_id,))]
        return Story(story_id, title, ids)

    def dates(self, story_id: str) -> tuple[str | None, str | None]:
        """First and last publication date among the story's articles (kept as they join)."""
        row = self._conn.execute("SELECT first_published, last_published FROM stories WHERE id = ?",
                                 (story_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def sources(self, story_id: str) -> int:
        """Independent sources: the distinct outlets of the story's originals (a copy, even from
        another outlet, is not independent); an article without a named source is its own."""
        row = self._conn.execute(
            "SELECT count(DISTINCT coalesce(source, id)) FROM articles"
            " WHERE story_id = ? AND duplicate_of IS NULL", (story_id,)).fetchone()
        return int(row[0])

    def outlets(self, story_id: str) -> int:
        """Outlets that carried any of the story's articles, copies included."""
        row = self._conn.execute("SELECT count(DISTINCT coalesce(source, id)) FROM articles WHERE story_id = ?",
                                 (story_id,)).fetchone()
        return int(row[0])
