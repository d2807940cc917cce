"""The term → story index the clusterer finds candidate stories by, in two levels (schema 30).

``story_terms`` has a row a (term, story), in term order. A story's 40 index terms change as
articles join it, and each new story brings 40: written as they changed, those rows fell at
random places and dirtied a page each, nearly every page of the table within ten commits (984 of
the 2,990 pages a commit of 50 articles wrote into a 100,000-article store). So the table holds
each story's terms as of the last *move*; a story whose terms changed since has a row in
``story_terms_dirty`` (by story, with the terms ``story_terms`` holds for it), and its terms now
are those of its ``stories.terms``, which lookups read from memory. Once ``limit`` stories have
changed, their rows in ``story_terms`` are brought up to date in term order, in one pass.

A lookup by term reads the table's rows newest story first, skipping changed stories, and adds
the changed stories holding the term now: what one table kept up to date would give. What it
found is kept in memory (``cache`` terms, the least recently used dropped): a term's latest
stories as one table kept up to date would give them, changed with each story's terms, so that a
move, which changes where the rows are and not what they say, leaves them right. Only another
connection's commit, a rollback or a compaction drops them.
"""

from __future__ import annotations

import sqlite3
import zlib
from array import array
from bisect import bisect_left, insort

from ..errors import StoreError


def pack_terms(terms: list[str] | tuple[str, ...]) -> bytes | None:
    """A story's index terms as ``stories.terms`` holds them (format 1): sorted (as an index on
    story_terms gave them), joined by NUL, zlib-compressed; ``None`` for none."""
    return zlib.compress("\x00".join(sorted(set(terms))).encode("utf-8"), 6) if terms else None


def unpack_terms(blob: bytes | None) -> tuple[str, ...]:
    if not blob:
        return ()
    try:
        return tuple(zlib.decompress(blob).decode("utf-8").split("\x00"))
    except (zlib.error, UnicodeDecodeError) as exc:
        raise StoreError(f"a story's packed terms are damaged ({exc})") from exc


class StoryTerms:
    """The two levels of the term → story index over one store connection, used inside its
    transactions. The store drops what this holds in memory (:meth:`forget`) when a transaction
    rolls back; another connection's commit is noticed at the next lookup or change."""

    def __init__(self, conn: sqlite3.Connection, limit: int = 2_000, cache: int = 50_000) -> None:
        self._conn = conn
        self._limit = limit  # changed stories gathered before a move (``stories.recent_terms``)
        # A term -> its latest stories (seqs, ascending) as one table kept up to date would hold
        # them, how deep the lookup that read them went, and whether they are all its stories;
        # at most ``cache`` terms (``stories.cache_term_stories``; 0: none), the least recently
        # used dropped. Not all: exactly the latest that many, kept so by :meth:`change`.
        self._cache = cache
        self._latest: dict[str, tuple[array[int], int, bool]] = {}
        # Each changed story's terms now, and the changed stories by term; None: read them again.
        self._current: dict[int, frozenset[str]] | None = None
        self._by_term: dict[str, set[int]] = {}
        self._version: int | None = None  # PRAGMA data_version when they were read

    def forget(self) -> None:
        self._current = None
        self._by_term = {}
        self._latest = {}

    def stories(self, term: str, limit: int) -> list[int]:
        """The latest ``limit`` stories (by seq, the latest first) whose index terms hold ``term``."""
        return self._stories(term, limit, self._changed())

    def stories_of(self, terms: list[str], limit: int) -> list[list[int]]:
        """:meth:`stories` of each term, another connection's commit looked for once."""
        changed = self._changed()
        return [self._stories(term, limit, changed) for term in terms]

    def _stories(self, term: str, limit: int, changed: dict[int, frozenset[str]]) -> list[int]:
        if limit <= 0:
            return []
        kept = self._latest.pop(term, None)
        if kept is not None and (kept[2] or len(kept[0]) >= limit):
            self._latest[term] = kept  # the most recently used last
            return kept[0][-limit:].tolist()[::-1]
        # Twice as deep as asked: a story that drops the term then leaves enough behind.
        depth = 2 * limit
        out: list[int] = []
        complete = True
        # Stepped row by row: only as many rows are read as are taken (a changed story's are skipped).
        cursor = self._conn.execute("SELECT story_seq FROM story_terms WHERE term = ? ORDER BY story_seq DESC",
                                    (term,))
        for (seq,) in cursor:
            if seq in changed:
                continue
            out.append(seq)
            if len(out) >= depth:
                complete = False
                break
        cursor.close()
        holding = self._by_term.get(term)
        if holding:
            out = sorted([*out, *holding], reverse=True)
            if not complete:  # changed stories below the rows read are not among the latest
                del out[depth:]
        if self._cache:
            if len(self._latest) >= self._cache:
                del self._latest[next(iter(self._latest))]
            self._latest[term] = (array("q", out[::-1]), depth, complete)
        return out[:limit]

    def change(self, seq: int, old: tuple[str, ...] | list[str], new: tuple[str, ...] | list[str]) -> None:
        """Story ``seq``'s index terms go from ``old`` (what its ``stories.terms`` held) to ``new``.
        Inside the caller's transaction; the move, once ``limit`` stories have changed, too."""
        changed = self._changed()
        now = frozenset(new)
        before = changed.get(seq)
        if before is None:  # its rows in story_terms are ``old``
            before = frozenset(old)
            self._conn.execute("INSERT INTO story_terms_dirty (story_seq, terms) VALUES (?, ?)",
                               (seq, pack_terms(list(old))))
        if self._latest:
            self._relist(seq, before, now)
        self._hold(seq, now)
        if len(changed) >= self._limit:
            self.move()

    def move(self) -> int:
        """Every changed story's rows in ``story_terms`` brought up to date, in term order; returns
        how many rows were deleted or added."""
        changed = self._changed()
        gone: list[tuple[str, int]] = []
        added: list[tuple[str, int]] = []
        for seq, blob in self._conn.execute("SELECT story_seq, terms FROM story_terms_dirty").fetchall():
            before, now = frozenset(unpack_terms(blob)), changed.get(seq, frozenset())
            gone += [(term, seq) for term in before - now]
            added += [(term, seq) for term in now - before]
        self._conn.executemany("DELETE FROM story_terms WHERE term = ? AND story_seq = ?", sorted(gone))
        self._conn.executemany("INSERT OR IGNORE INTO story_terms (term, story_seq) VALUES (?, ?)", sorted(added))
        self._conn.execute("DELETE FROM story_terms_dirty")
        self._current, self._by_term = {}, {}
        return len(gone) + len(added)

    def _relist(self, seq: int, before: frozenset[str], now: frozenset[str]) -> None:
        """The kept latest stories of each term story ``seq`` drops or gains."""
        latest = self._latest
        for term in before - now:
            kept = latest.get(term)
            if kept is not None:
                seqs = kept[0]
                at = bisect_left(seqs, seq)
                if at < len(seqs) and seqs[at] == seq:
                    del seqs[at]
        for term in now - before:
            kept = latest.get(term)
            if kept is None:
                continue
            seqs, depth, complete = kept
            # Below the latest kept of a term not kept whole: not among them (nor needed).
            if complete or (seqs and seq > seqs[0]):
                insort(seqs, seq)
                if len(seqs) > 2 * depth:
                    del seqs[:len(seqs) - depth]
                    latest[term] = (seqs, depth, False)

    def _changed(self) -> dict[int, frozenset[str]]:
        """The changed stories' terms now, read from the store when not held or when another
        connection committed since."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self.forget()
            self._version = version
        if self._current is None:
            self._current, self._by_term = {}, {}
            for seq, blob in self._conn.execute("SELECT d.story_seq, s.terms FROM story_terms_dirty d"
                                                " JOIN stories s ON s.seq = d.story_seq"):
                self._hold(seq, frozenset(unpack_terms(blob)))
        return self._current

    def _hold(self, seq: int, terms: frozenset[str]) -> None:
        current, by_term = self._current, self._by_term
        assert current is not None
        for term in current.get(seq, frozenset()) - terms:
            holding = by_term[term]
            holding.discard(seq)
            if not holding:
                del by_term[term]
        for term in terms:
            by_term.setdefault(term, set()).add(seq)
        current[seq] = terms


def index_term_rows(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every (term, story seq) the index holds as lookups see it, sorted: ``story_terms``'s rows
    of the stories that did not change since the last move, and the changed ones' terms now. For
    tests and comparing stores; lookups read only the terms they ask for."""
    changed = {seq: unpack_terms(blob) for seq, blob in conn.execute(
        "SELECT d.story_seq, s.terms FROM story_terms_dirty d JOIN stories s ON s.seq = d.story_seq")}
    rows = [(term, seq) for term, seq in conn.execute("SELECT term, story_seq FROM story_terms")
            if seq not in changed]
    return sorted(rows + [(term, seq) for seq, terms in changed.items() for term in terms])
