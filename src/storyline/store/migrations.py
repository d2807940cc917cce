"""Schema migrations: small registered functions, applied in order, each in its own transaction.

``PRAGMA user_version`` holds the version a database is at. A migration is never
edited once released; a change to the schema is a new migration at the end.
"""

from __future__ import annotations

import json
import re
import sqlite3
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import StoreError

MigrationFn = Callable[[sqlite3.Connection], None]


@dataclass(slots=True, frozen=True)
class Migration:
    version: int
    name: str
    apply: MigrationFn


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's open transaction."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise StoreError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")


def _v1_articles_and_passages(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            seq          INTEGER PRIMARY KEY,  -- ingest order: "first seen" means lowest seq
            id           TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            title        TEXT,
            source       TEXT,
            url          TEXT,
            published    TEXT,                 -- ISO 8601 date or UTC datetime
            text         TEXT NOT NULL,        -- paragraphs joined by one blank line
            origin       TEXT,                 -- file[:line] or URL it was read from
            metadata     TEXT NOT NULL DEFAULT '{}',
            ingested_at  TEXT NOT NULL,
            story_id     TEXT,
            duplicate_of TEXT,
            similarity   REAL
        );
        CREATE UNIQUE INDEX articles_content_hash ON articles (content_hash);
        CREATE INDEX articles_published ON articles (published);
        CREATE INDEX articles_story ON articles (story_id);

        CREATE TABLE passages (
            article_seq        INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
            idx                INTEGER NOT NULL,
            start_char         INTEGER NOT NULL,
            end_char           INTEGER NOT NULL,
            sentences          TEXT NOT NULL,  -- JSON [[start, end], ...] within the passage
            status             TEXT NOT NULL DEFAULT 'new'
                               CHECK (status IN ('new', 'recycled', 'boilerplate')),
            first_seen_article TEXT,
            first_seen_index   INTEGER,
            score              REAL,
            PRIMARY KEY (article_seq, idx)
        ) WITHOUT ROWID;
        """
    )


def _v2_reuse_index(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE article_signatures (
            article_seq INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
            signature   BLOB NOT NULL             -- uint32 little-endian, meta 'reuse.algorithm'
        );
        CREATE TABLE article_bands (
            key         INTEGER NOT NULL,
            article_seq INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq)
        ) WITHOUT ROWID;
        CREATE TABLE passage_bands (
            key         INTEGER NOT NULL,
            article_seq INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq, idx)
        ) WITHOUT ROWID;
        """,
    )


def _v3_stories(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE stories (
            seq            INTEGER PRIMARY KEY,   -- creation order
            id             TEXT NOT NULL UNIQUE,  -- stable: derived from the founding article
            title          TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT,
            articles       INTEGER NOT NULL DEFAULT 0,
            centroid       TEXT NOT NULL,         -- JSON {term: weight}, the heaviest terms
            merged_into    TEXT,                  -- set when merged: the story that absorbed it
            dense          BLOB                   -- mean paragraph embedding (embeddings extra), float32
        );
        CREATE TABLE story_terms (
            term      TEXT NOT NULL,
            story_seq INTEGER NOT NULL REFERENCES stories (seq) ON DELETE CASCADE,
            PRIMARY KEY (term, story_seq)
        ) WITHOUT ROWID;
        CREATE TABLE term_df (
            term TEXT PRIMARY KEY,
            df   INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_log (
            at         TEXT NOT NULL,
            story_id   TEXT NOT NULL,
            article_id TEXT NOT NULL,
            event      TEXT NOT NULL,            -- "created", "joined", "absorbed" or "merged"
            score      REAL,
            detail     TEXT                      -- JSON: shared terms
        );
        CREATE INDEX story_log_story ON story_log (story_id);
        """,
    )


def _v4_timeline_events(conn: sqlite3.Connection) -> None:
    # Articles stored before this version have timeline_events NULL; the engine finds their
    # events when it next opens the store (extraction is library code, not schema).
    run_script(
        conn,
        """
        CREATE TABLE timeline_events (
            article_seq    INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
            n              INTEGER NOT NULL,   -- the event's number within its article
            passage        INTEGER NOT NULL,
            start_char     INTEGER NOT NULL,   -- the sentence that carries the date, in articles.text
            end_char       INTEGER NOT NULL,
            date           TEXT NOT NULL,      -- TimeML value: 2024-10-17, 2024-10, 2024-10-27/2024-10-28
            qualifier      TEXT,               -- "early" for early October (TimeML mod START), ...
            expression     TEXT NOT NULL,      -- the words that date it, where first seen
            origin_article TEXT NOT NULL,      -- the event's first occurrence: this article, or the one
            origin_n       INTEGER NOT NULL,   --   a recycled passage was first seen in
            PRIMARY KEY (article_seq, n)
        ) WITHOUT ROWID;
        ALTER TABLE articles ADD COLUMN timeline_events INTEGER;  -- events found; NULL: not looked for yet
        CREATE INDEX articles_timeline_pending ON articles (seq) WHERE timeline_events IS NULL;
        """,
    )


def _v5_statements(conn: sqlite3.Connection) -> None:
    # Statements are found on demand (the parser is slow; ingest stays fast), so every
    # article starts with statements NULL: not analysed yet.
    run_script(
        conn,
        """
        CREATE TABLE article_statements (
            article_seq    INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
            n              INTEGER NOT NULL,   -- the statement's number within its article
            passage        INTEGER NOT NULL,
            speaker_start  INTEGER,            -- the speaker as written, in articles.text (NULL: none)
            speaker_end    INTEGER,
            speaker_name   TEXT,               -- resolved within the article ("he" -> "Radoslaw Sikorski")
            role           TEXT NOT NULL,      -- the rest of the speaker phrase ("Polish Foreign Minister")
            cue            TEXT NOT NULL,      -- "said", "according to", ...
            content_start  INTEGER NOT NULL,   -- what was said, in articles.text
            content_end    INTEGER NOT NULL,
            kind           TEXT NOT NULL,      -- direct, indirect, mixed
            date           TEXT,               -- a date its sentence names; NULL: the article's date
            origin_article TEXT NOT NULL,      -- the first occurrence: this article, or the one
            origin_n       INTEGER NOT NULL,   --   a recycled passage was first seen in
            PRIMARY KEY (article_seq, n)
        ) WITHOUT ROWID;
        ALTER TABLE articles ADD COLUMN statements INTEGER;  -- statements found; NULL: not analysed yet
        """,
    )


def _v6_story_splits(conn: sqlite3.Connection) -> None:
    # story_log gains the events "split" (the story a group left), "split_off" (the story it
    # formed) and "moved" (one per article that left). Articles stored before this version have no vector: a split check leaves them where they
    # are (with the story that keeps its id). The passage index finds the copies of a content
    # (all passages sharing one first occurrence) for the story-relative novelty view.
    run_script(
        conn,
        """
        CREATE TABLE article_vectors (          -- a rowid table: rows of ~1 kB overflow WITHOUT ROWID pages
            article_id TEXT NOT NULL UNIQUE,    -- articles.id (written just before the article row)
            terms      TEXT NOT NULL,           -- JSON {term: tf-idf weight}, the heaviest terms
            dense      BLOB                     -- the article's embedding (embeddings extra), float32
        );
        CREATE INDEX passages_first_seen ON passages (first_seen_article, first_seen_index)
            WHERE first_seen_article IS NOT NULL;
        """,
    )


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _v7_packed_state_and_indexes(conn: sqlite3.Connection) -> None:
    # Stores made by the first two releases of v3 lack these columns (v3 was edited after
    # release, which is why released migrations are now hash-guarded): add what is missing.
    stories = _columns(conn, "stories")
    if "merged_into" not in stories:
        conn.execute("ALTER TABLE stories ADD COLUMN merged_into TEXT")
    if "dense" not in stories:
        conn.execute("ALTER TABLE stories ADD COLUMN dense BLOB")
    run_script(
        conn,
        """
        ALTER TABLE stories ADD COLUMN weights BLOB;     -- the centroid packed (store.codec); centroid is '' then
        ALTER TABLE stories ADD COLUMN updated_at TEXT;  -- when an article last joined it, or it merged or split (UTC)
        ALTER TABLE article_vectors ADD COLUMN weights BLOB;  -- packed; terms is '' then
        CREATE INDEX stories_merged_into ON stories (merged_into) WHERE merged_into IS NOT NULL;
        CREATE INDEX stories_updated ON stories (updated_at DESC, seq DESC) WHERE merged_into IS NULL;
        CREATE INDEX story_log_story_at ON story_log (story_id, at);
        CREATE INDEX story_terms_story ON story_terms (story_seq);  -- a story's terms, on load and merge
        CREATE INDEX articles_statements_pending ON articles (seq) WHERE statements IS NULL;
        UPDATE stories SET updated_at = (SELECT max(at) FROM story_log l WHERE l.story_id = stories.id);
        DROP INDEX story_log_story;  -- (story_id, at) serves every lookup by story
        """,
    )
    rows = conn.execute("SELECT seq, centroid FROM stories WHERE centroid != ''").fetchall()
    conn.executemany("UPDATE stories SET weights = ?, centroid = '' WHERE seq = ?",
                     [(_pack_v1(json.loads(c)), seq) for seq, c in rows])
    rows = conn.execute("SELECT rowid, terms FROM article_vectors WHERE terms != ''").fetchall()
    conn.executemany("UPDATE article_vectors SET weights = ?, terms = '' WHERE rowid = ?",
                     [(_pack_v1(json.loads(t)), rowid) for rowid, t in rows])
    conn.execute("INSERT OR REPLACE INTO meta (key, value) SELECT 'stories.documents', count(*) FROM articles")


def _pack_v1(weights: dict[str, float]) -> bytes:
    """``store.codec.pack_weights`` as format version 1 was released (a copy: a released migration
    must not change when the library's codec does)."""
    packed_terms = zlib.compress("\x00".join(weights).encode("utf-8"), 6)
    values = array("f", weights.values())
    if sys.byteorder != "little":
        values.byteswap()
    return struct.pack("<II", len(weights), len(packed_terms)) + packed_terms + values.tobytes()


def _v8_recent_passage_bands(conn: sqlite3.Connection) -> None:
    # New passage band keys gather here and move to passage_bands in key order, many batches at
    # once (reuse.recent_bands): inserted one batch at a time, random keys dirtied pages all over
    # the big index at every commit.
    run_script(
        conn,
        """
        CREATE TABLE passage_bands_recent (
            key         INTEGER NOT NULL,
            article_seq INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq, idx)
        ) WITHOUT ROWID;
        """,
    )


def _v9_copies_kept(conn: sqlite3.Connection) -> None:
    # The same text from another outlet is stored as a copy (duplicate_of its original), so a text
    # may occur more than once; "already present" is by id or URL, looked up by URL on every ingest.
    run_script(
        conn,
        """
        DROP INDEX articles_content_hash;
        CREATE INDEX articles_content_hash ON articles (content_hash);
        CREATE INDEX articles_url ON articles (url) WHERE url IS NOT NULL;
        """,
    )


def _v10_article_status(conn: sqlite3.Connection) -> None:
    # What has been done to an article (its dated events looked for, its statements analysed) in
    # its own small rows: as columns after `text` every status change rewrote the whole article
    # row, and the analyser's "not analysed yet" scan walked the articles table.
    run_script(
        conn,
        """
        CREATE TABLE article_status (
            article_seq     INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
            timeline_events INTEGER,   -- dated events stored; NULL: never looked for
            statements      INTEGER    -- statements stored; NULL: not analysed yet
        );
        INSERT INTO article_status (article_seq, timeline_events, statements)
            SELECT seq, timeline_events, statements FROM articles ORDER BY seq;
        CREATE INDEX article_status_statements_pending ON article_status (article_seq) WHERE statements IS NULL;
        CREATE INDEX article_status_timeline_pending ON article_status (article_seq) WHERE timeline_events IS NULL;
        DROP INDEX articles_statements_pending;
        DROP INDEX articles_timeline_pending;
        ALTER TABLE articles DROP COLUMN timeline_events;
        ALTER TABLE articles DROP COLUMN statements;
        """,
    )


def _v11_passage_band_levels(conn: sqlite3.Connection) -> None:
    # A middle level between the recent band keys and the big index (see store.reuse_index): the
    # big index is rewritten once per tenth of growth instead of once per 200,000 new rows.
    run_script(
        conn,
        """
        CREATE TABLE passage_bands_mid (
            key         INTEGER NOT NULL,
            article_seq INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq, idx)
        ) WITHOUT ROWID;
        INSERT INTO meta (key, value) SELECT 'reuse.passage_bands_rows', count(*) FROM passage_bands;
        """,
    )


def _v12_copied_spans(conn: sqlite3.Connection) -> None:
    # A recycled passage's copied characters, in it and in its first_seen passage: a partial copy
    # (a trimmed half, a paragraph with a sentence added) names the span it shares. NULL for new and
    # boilerplate passages, and for passages stored before (their span was never measured).
    run_script(
        conn,
        """
        ALTER TABLE passages ADD COLUMN copied_start INTEGER;
        ALTER TABLE passages ADD COLUMN copied_end INTEGER;
        ALTER TABLE passages ADD COLUMN first_seen_start INTEGER;
        ALTER TABLE passages ADD COLUMN first_seen_end INTEGER;
        """,
    )


def _v13_article_search(conn: sqlite3.Connection) -> None:
    # Full-text search over titles and texts: an FTS5 index whose content is the articles table
    # itself (external content: the text is stored once), kept in step by triggers, so every
    # writer (streaming ingest, the batch job, POST /api/articles) indexes what it stores without
    # knowing of the index. Porter stemming: "denied" finds "deny" and "denies". The last
    # statement indexes the articles of a store made before this version.
    run_script(
        conn,
        """
        CREATE VIRTUAL TABLE article_search USING fts5(
            title, text, content='articles', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
            INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
        END;
        CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        INSERT INTO article_search (article_search) VALUES ('rebuild');
        """,
    )


def _v14_grouped_passage_bands(conn: sqlite3.Connection) -> None:
    # The middle and big levels of passage band keys hold one row a key with its rows packed
    # (store.reuse_index's postings format 1), not one row a (key, article, passage): a row cost
    # ~19 bytes and most of them was the 8-byte key, which two of three rows repeated. The
    # recent level keeps a row each (it is small, and rows are added to it one article at a time).
    run_script(
        conn,
        """
        CREATE TABLE passage_postings (
            key      INTEGER PRIMARY KEY,
            postings BLOB NOT NULL        -- the key's (article_seq, idx) in article order, packed
        ) WITHOUT ROWID;
        CREATE TABLE passage_postings_mid (
            key      INTEGER PRIMARY KEY,
            postings BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
    )
    for source, target in (("passage_bands", "passage_postings"), ("passage_bands_mid", "passage_postings_mid")):
        rows = conn.execute(f"SELECT key, article_seq, idx FROM {source} ORDER BY key, article_seq, idx")
        conn.executemany(f"INSERT INTO {target} (key, postings) VALUES (?, ?)", _grouped_v1(rows))
    conn.execute("INSERT INTO meta (key, value) SELECT 'reuse.passage_bands_mid_rows', count(*) FROM passage_bands_mid")
    conn.execute("DROP TABLE passage_bands")
    conn.execute("DROP TABLE passage_bands_mid")


def _grouped_v1(rows: Iterable[tuple[int, int, int]]) -> Iterator[tuple[int, bytes]]:
    """(key, article_seq, idx) rows in key order -> (key, postings packed as format 1 was
    released): a copy, as ``_pack_v1`` is, of ``store.reuse_index.pack_postings``."""
    key: int | None = None
    words = array("I")
    for k, seq, idx in rows:
        if k != key:
            if key is not None:
                yield key, _words_bytes(words)
            key, words = k, array("I")
        if idx < 0xFF and seq < 1 << 24:
            words.append(seq << 8 | idx)
        else:
            words.extend((0xFFFFFFFF, seq, idx))
    if key is not None:
        yield key, _words_bytes(words)


def _words_bytes(words: array[int]) -> bytes:
    if sys.byteorder != "little":
        words.byteswap()
    return words.tobytes()


def _v15_compressed_texts(conn: sqlite3.Connection) -> None:
    # Article texts zlib-compressed (store.text_codec, format 1: 4.4 kB of text an article is
    # 2.4 kB stored). The search index reads its content through a view that decompresses
    # (article_text(), an SQL function the store registers on its connections). The store indexes
    # what it inserts itself; a text another client inserts as TEXT is indexed by the trigger, as
    # before. Changing a title or text, or deleting an article, needs the stored text decompressed
    # to take it out of the index: a client without article_text() is refused such a change (no
    # such function) instead of leaving the index out of step. The index is made again, from the
    # texts this reads anyway.
    run_script(
        conn,
        """
        DROP TRIGGER article_search_insert;
        DROP TRIGGER article_search_delete;
        DROP TRIGGER article_search_update;
        DROP TABLE article_search;
        CREATE VIEW article_texts AS SELECT seq, title, article_text(text) AS text FROM articles;
        CREATE VIRTUAL TABLE article_search USING fts5(
            title, text, content='article_texts', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        """,
    )
    last = 0
    while True:
        rows = conn.execute("SELECT seq, title, text FROM articles WHERE seq > ? AND typeof(text) = 'text'"
                            " ORDER BY seq LIMIT 1000", (last,)).fetchall()
        if not rows:
            break
        conn.executemany("UPDATE articles SET text = ? WHERE seq = ?",
                         [(b"\x01" + zlib.compress(text.encode("utf-8"), 6), seq) for seq, _, text in rows])
        conn.executemany("INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)", rows)
        last = rows[-1][0]
    run_script(
        conn,
        """
        CREATE TRIGGER article_search_insert AFTER INSERT ON articles WHEN typeof(new.text) = 'text' BEGIN
            INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, old.title, article_text(old.text));
        END;
        CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, old.title, article_text(old.text));
            INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, article_text(new.text));
        END;
        """,
    )


def _v16_story_terms_in_row(conn: sqlite3.Connection) -> None:
    # The terms a story is found by, listed in its row too (story_index.pack_terms, format 1): a
    # story's terms were read through an index on story_terms (story_seq), which repeated every
    # (term, story) row of the table. story_terms keeps the term -> stories lookup.
    run_script(
        conn,
        """
        ALTER TABLE stories ADD COLUMN terms BLOB;  -- its story_terms, sorted, NUL-joined, zlib (NULL: none)
        """,
    )
    pending: list[str] = []
    story: int | None = None
    for seq, term in conn.execute("SELECT story_seq, term FROM story_terms ORDER BY story_seq, term").fetchall():
        if seq != story:
            if story is not None:
                conn.execute("UPDATE stories SET terms = ? WHERE seq = ?",
                             (zlib.compress("\x00".join(pending).encode("utf-8"), 6), story))
            story, pending = seq, []
        pending.append(term)
    if story is not None:
        conn.execute("UPDATE stories SET terms = ? WHERE seq = ?",
                     (zlib.compress("\x00".join(pending).encode("utf-8"), 6), story))
    conn.execute("DROP INDEX story_terms_story")


def _v17_packed_sentences(conn: sqlite3.Connection) -> None:
    # A passage's sentence spans packed (store.span_codec, format 1: ~3 bytes a sentence) instead of
    # JSON (~11): they were a quarter of the passages table. The column keeps its declared type; a
    # TEXT value there is read as JSON, as before.
    last = -1
    while True:
        rows = conn.execute("SELECT article_seq, idx, sentences FROM passages WHERE article_seq > ?"
                            " AND typeof(sentences) = 'text' ORDER BY article_seq, idx LIMIT 5000", (last,)).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        rows += conn.execute("SELECT article_seq, idx, sentences FROM passages WHERE article_seq = ? AND idx > ?"
                             " AND typeof(sentences) = 'text'", (last, rows[-1][1])).fetchall()
        conn.executemany("UPDATE passages SET sentences = ? WHERE article_seq = ? AND idx = ?",
                         [(_spans_v1(json.loads(spans)), seq, idx) for seq, idx, spans in rows])


def _spans_v1(spans: list[list[int]]) -> bytes:
    """A copy, as released with migration 17, of ``store.span_codec.pack_spans`` (format 1)."""
    out = bytearray(b"\x01")
    last = 0
    for start, end in spans:
        for delta in (start - last, end - start):
            value = delta << 1 if delta >= 0 else ((-delta) << 1) - 1
            while value > 0x7F:
                out.append(value & 0x7F | 0x80)
                value >>= 7
            out.append(value)
        last = end
    return bytes(out)


def _v18_narrow_passage_keys(conn: sqlite3.Connection) -> None:
    # Passage band keys stored by their low 40 bits as 5-byte BLOBs (store.reuse_index.store_key),
    # not as 8-byte integers: the key was a third of a band key row. Keys that agree in those bits
    # become one, their rows merged in article order (a row both held, once). Each level is copied
    # in the new key order, so the new tables are written front to back.
    mask = (1 << 40) - 1
    run_script(
        conn,
        """
        CREATE TABLE passage_postings_v18 (
            key      BLOB PRIMARY KEY,    -- the band key's low 40 bits, big-endian
            postings BLOB NOT NULL        -- the key's (article_seq, idx) in article order, packed
        ) WITHOUT ROWID;
        CREATE TABLE passage_postings_mid_v18 (
            key      BLOB PRIMARY KEY,
            postings BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE passage_bands_recent_v18 (
            key         BLOB NOT NULL,
            article_seq INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq, idx)
        ) WITHOUT ROWID;
        """,
    )
    for table in ("passage_postings", "passage_postings_mid"):
        rows = conn.execute(f"SELECT key & {mask:d} AS narrow, postings FROM {table} ORDER BY narrow")
        conn.executemany(f"INSERT INTO {table}_v18 (key, postings) VALUES (?, ?)", _narrowed_v1(rows))
    rows = conn.execute(f"SELECT key & {mask:d}, article_seq, idx FROM passage_bands_recent")
    conn.executemany("INSERT OR IGNORE INTO passage_bands_recent_v18 (key, article_seq, idx) VALUES (?, ?, ?)",
                     ((key.to_bytes(5, "big"), seq, idx) for key, seq, idx in rows))
    for table in ("passage_postings", "passage_postings_mid", "passage_bands_recent"):
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_v18 RENAME TO {table}")


def _narrowed_v1(rows: Iterable[tuple[int, bytes]]) -> Iterator[tuple[bytes, bytes]]:
    """(narrowed key, postings format 1) in key order -> one row a key, the postings of keys that
    became one merged in article order."""
    key: int | None = None
    blobs: list[bytes] = []
    for k, blob in rows:
        if k != key:
            if key is not None:
                yield key.to_bytes(5, "big"), _merged_v1(blobs)
            key, blobs = k, []
        blobs.append(blob)
    if key is not None:
        yield key.to_bytes(5, "big"), _merged_v1(blobs)


def _merged_v1(blobs: list[bytes]) -> bytes:
    if len(blobs) == 1:
        return blobs[0]
    rows: set[tuple[int, int]] = set()
    for blob in blobs:
        words = array("I")
        words.frombytes(blob)
        if sys.byteorder != "little":
            words.byteswap()
        i = 0
        while i < len(words):
            if words[i] == 0xFFFFFFFF:
                rows.add((words[i + 1], words[i + 2]))
                i += 3
            else:
                rows.add((words[i] >> 8, words[i] & 0xFF))
                i += 1
    return _words_bytes(array("I", (w for seq, idx in sorted(rows) for w in (
        (seq << 8 | idx,) if idx < 0xFF and seq < 1 << 24 else (0xFFFFFFFF, seq, idx)))))


def _v19_compressed_weights(conn: sqlite3.Connection) -> None:
    # Packed centroids and article vectors (store.codec) with their float32 weights zlib-compressed
    # too (format 2, the top bit of n says so) where that is shorter: ~14% of them.
    for table, key in (("stories", "seq"), ("article_vectors", "rowid")):
        last = None
        while True:
            rows = conn.execute(f"SELECT {key}, weights FROM {table} WHERE weights IS NOT NULL"
                                f" AND {key} > ? ORDER BY {key} LIMIT 1000", (last if last is not None else -1,)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            conn.executemany(f"UPDATE {table} SET weights = ? WHERE {key} = ?",
                             [(packed, k) for k, blob in rows if (packed := _weights_v2(blob)) is not None])


def _weights_v2(blob: bytes) -> bytes | None:
    """A format 1 blob of ``store.codec`` as format 2 where that is shorter, else None."""
    n, size = struct.unpack_from("<II", blob)
    if n & 1 << 31:
        return None
    raw = blob[8 + size:8 + size + 4 * n]
    packed = zlib.compress(raw, 6)
    if len(packed) >= len(raw):
        return None
    return struct.pack("<II", n | 1 << 31, size) + blob[8:8 + size] + packed


def _v20_band_log(conn: sqlite3.Connection) -> None:
    # The recent level of passage band keys as one row an article, appended, instead of a row a
    # (key, article, passage) inserted at random places: ~200 rows an article touched pages all
    # over that index at every commit. Lookups read the level from memory (store.reuse_index).
    run_script(
        conn,
        """
        CREATE TABLE passage_bands_log (
            article_seq INTEGER PRIMARY KEY,
            rows        BLOB NOT NULL  -- n keys (low 40 bits, uint64 LE), then n passage indexes (uint32 LE)
        );
        """,
    )
    article: int | None = None
    keys: list[int] = []
    indexes: list[int] = []

    def flush() -> None:
        if article is not None:
            conn.execute("INSERT INTO passage_bands_log (article_seq, rows) VALUES (?, ?)",
                         (article, struct.pack(f"<{len(keys)}Q{len(indexes)}I", *keys, *indexes)))

    for key, seq, idx in conn.execute("SELECT key, article_seq, idx FROM passage_bands_recent"
                                      " ORDER BY article_seq, key, idx").fetchall():
        if seq != article:
            flush()
            article, keys, indexes = seq, [], []
        keys.append(int.from_bytes(key, "big"))
        indexes.append(idx)
    flush()
    conn.execute("DROP TABLE passage_bands_recent")


def _v21_url_keys(conn: sqlite3.Connection) -> None:
    # "Already present" by URL compares keys (text.urls: no tracking parameters, fragment, scheme,
    # www. or default port), so one article linked two ways is one; the URL as written is kept.
    from ..text.urls import url_key

    run_script(
        conn,
        """
        ALTER TABLE articles ADD COLUMN url_key TEXT;
        DROP INDEX articles_url;
        """,
    )
    last = -1
    while rows := conn.execute("SELECT seq, url FROM articles WHERE url IS NOT NULL AND url != '' AND seq > ?"
                               " ORDER BY seq LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        conn.executemany("UPDATE articles SET url_key = ? WHERE seq = ?", [(url_key(url), seq) for seq, url in rows])
    conn.execute("CREATE INDEX articles_url_key ON articles (url_key) WHERE url_key IS NOT NULL")


def _v22_search_form(conn: sqlite3.Connection) -> None:
    # The search index reads a title and text the store wrote (a compressed text) in their search
    # form (search_form(), which the store registers: text.words.spaced), where each Han or kana
    # character is a word: FTS5's tokenizer kept a run of them, a clause long, as one word that no
    # query matched. A text another client inserted as TEXT is indexed as written, as before (its
    # insert needs no function; its Han runs stay whole). Articles holding any are taken out of
    # the index as they were indexed and put back so; the others' form is their text.
    from ..text.words import spaced
    from .text_codec import unpack_text

    def title(row: str) -> str:
        return f"CASE WHEN typeof({row}.text) = 'text' THEN {row}.title ELSE search_form({row}.title) END"

    def text(row: str) -> str:
        return f"CASE WHEN typeof({row}.text) = 'text' THEN {row}.text ELSE search_form(article_text({row}.text)) END"

    run_script(
        conn,
        f"""
        DROP TRIGGER article_search_delete;
        DROP TRIGGER article_search_update;
        DROP VIEW article_texts;
        CREATE VIEW article_texts AS SELECT seq, {title("articles")} AS title, {text("articles")} AS text FROM articles;
        CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, {title("old")}, {text("old")});
        END;
        CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO article_search (article_search, rowid, title, text)
                VALUES ('delete', old.seq, {title("old")}, {text("old")});
            INSERT INTO article_search (rowid, title, text) VALUES (new.seq, {title("new")}, {text("new")});
        END;
        """,
    )
    last = -1
    while rows := conn.execute("SELECT seq, title, text FROM articles WHERE seq > ? AND typeof(text) = 'blob'"
                               " ORDER BY seq LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        for seq, old_title, stored in rows:
            old_text = unpack_text(stored) or ""
            new_title, new_text = spaced(old_title) if old_title else old_title, spaced(old_text)
            if new_title != old_title or new_text != old_text:
                conn.execute("INSERT INTO article_search (article_search, rowid, title, text)"
                             " VALUES ('delete', ?, ?, ?)", (seq, old_title, old_text))
                conn.execute("INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)",
                             (seq, new_title, new_text))


def _v23_term_prefixes(conn: sqlite3.Connection) -> None:
    # Story terms are a content word's first six letters (text.similarity.term: truncation stemming),
    # so that a word's forms count as one. What the stories stage keeps of its terms is converted:
    # a document frequency is the sum of its words' (capped at the articles counted: an article
    # that wrote two forms counted twice is the one overestimate), a centroid's or an article
    # vector's weight the sum of its words' weights, a story's index terms the heaviest 40 of its
    # new centroid, as the stage picks them. The log's shared terms stay as they were written.
    # The weights and terms are packed by the store's own codecs: their readers keep reading every format.
    from .codec import pack_weights, unpack_weights
    from .story_index import pack_terms

    documents = conn.execute("SELECT value FROM meta WHERE key = 'stories.documents'").fetchone()
    cap = int(documents[0]) if documents is not None else None
    df: dict[str, int] = {}
    for word, count in conn.execute("SELECT term, df FROM term_df"):
        t = _term_v23(word)
        df[t] = df.get(t, 0) + int(count)
    conn.execute("DELETE FROM term_df")
    conn.executemany("INSERT INTO term_df (term, df) VALUES (?, ?)",
                     [(t, min(n, cap) if cap is not None else n) for t, n in df.items()])
    conn.execute("DELETE FROM story_terms")
    last = -1
    while rows := conn.execute("SELECT seq, weights, terms FROM stories WHERE weights IS NOT NULL AND seq > ?"
                               " ORDER BY seq LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        for seq, blob, terms in rows:
            centroid = _prefixed_v23(unpack_weights(blob))
            index = sorted(centroid, key=centroid.__getitem__, reverse=True)[:40] if terms is not None else []
            conn.execute("UPDATE stories SET weights = ?, terms = ? WHERE seq = ?",
                         (pack_weights(centroid), pack_terms(index), seq))
            conn.executemany("INSERT OR IGNORE INTO story_terms (term, story_seq) VALUES (?, ?)",
                             [(t, seq) for t in index])
    last = -1
    while rows := conn.execute("SELECT rowid, weights FROM article_vectors WHERE weights IS NOT NULL AND rowid > ?"
                               " ORDER BY rowid LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        conn.executemany("UPDATE article_vectors SET weights = ? WHERE rowid = ?",
                         [(pack_weights({t: round(w, 4) for t, w in _prefixed_v23(unpack_weights(blob)).items()}),
                           rowid) for rowid, blob in rows])


def _v24_term_words(conn: sqlite3.Connection) -> None:
    # The word a cut term was first written as ("ukrain" -> "Ukraine"), kept beside its document
    # frequency: a split's log names the terms of articles whose features are long gone. Stored
    # terms get theirs as their articles are counted again, or never: the log falls back to the term.
    conn.execute("ALTER TABLE term_df ADD COLUMN word TEXT")


def _v25_function_words(conn: sqlite3.Connection) -> None:
    # Story terms no longer hold the function words of the languages besides English
    # (text.function_words: "der", "und", "les", "que", ...): they leave the document frequencies,
    # the term -> story index, each story's index terms and centroid, and each article's vector.
    # The words are the module's lists as they stand (a word added later comes with its own migration).
    from ..text.function_words import OTHER_LANGUAGES
    from .codec import pack_weights, unpack_weights
    from .story_index import pack_terms, unpack_terms

    dropped = sorted(OTHER_LANGUAGES)
    conn.executemany("DELETE FROM term_df WHERE term = ?", [(w,) for w in dropped])
    conn.executemany("DELETE FROM story_terms WHERE term = ?", [(w,) for w in dropped])
    gone = frozenset(dropped)
    last = -1
    while rows := conn.execute("SELECT seq, weights, terms FROM stories WHERE weights IS NOT NULL AND seq > ?"
                               " ORDER BY seq LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        for seq, blob, terms in rows:
            centroid = unpack_weights(blob)
            index = unpack_terms(terms) if terms is not None else None
            if gone.isdisjoint(centroid) and (index is None or gone.isdisjoint(index)):
                continue
            conn.execute("UPDATE stories SET weights = ?, terms = ? WHERE seq = ?",
                         (pack_weights({t: w for t, w in centroid.items() if t not in gone}),
                          None if index is None else pack_terms([t for t in index if t not in gone]), seq))
    last = -1
    while rows := conn.execute("SELECT rowid, weights FROM article_vectors WHERE weights IS NOT NULL AND rowid > ?"
                               " ORDER BY rowid LIMIT 1000", (last,)).fetchall():
        last = rows[-1][0]
        conn.executemany("UPDATE article_vectors SET weights = ? WHERE rowid = ?",
                         [(pack_weights({t: w for t, w in vector.items() if t not in gone}), rowid)
                          for rowid, blob in rows if not gone.isdisjoint(vector := unpack_weights(blob))])


def _v26_text_dictionaries(conn: sqlite3.Connection) -> None:
    # Zstandard dictionaries the store trains from its own texts (store.text_codec, format 2): texts
    # stored after one is trained are compressed against it. Texts stored before keep format 1.
    run_script(
        conn,
        """
        CREATE TABLE text_dictionaries (
            id         INTEGER PRIMARY KEY,  -- what a format 2 text names
            data       BLOB NOT NULL,        -- the dictionary, as zstd writes it
            trained_on INTEGER NOT NULL,     -- how many texts it was trained on
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """,
    )


def _v27_compact_passages(conn: sqlite3.Connection) -> None:
    # A passage row as the store needs it: its status a small integer (the word took 3-11 bytes),
    # its first occurrence by the article's seq (its id took 13 bytes in the row and again in the
    # index by first occurrence), its score in ten-thousandths (the reuse stage rounds scores to
    # four places; a REAL takes 8 bytes): on the stream benchmark's 3,000-article store the
    # passages and that index go from 1,146 to 746 B an article. ``passages`` stays, as a view
    # with the columns and values it had, which other clients may also write through.
    missing = conn.execute(
        "SELECT p.article_seq, p.idx, p.first_seen_article FROM passages p"
        " WHERE p.first_seen_article IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM articles f WHERE f.id = p.first_seen_article) LIMIT 1").fetchone()
    if missing is not None:
        raise StoreError(f"passage {missing[1]} of article seq {missing[0]} was first seen in article "
                         f"{missing[2]!r}, which the store does not hold (deleted outside storyline?); "
                         "restore it, or clear those passages' first_seen_article and first_seen_index")
    run_script(
        conn,
        """
        CREATE TABLE passage_rows (
            article_seq      INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
            idx              INTEGER NOT NULL,
            start_char       INTEGER NOT NULL,
            end_char         INTEGER NOT NULL,
            sentences        BLOB NOT NULL,  -- packed spans within the passage (store.span_codec)
            status           INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),  -- new, recycled, boilerplate
            first_seen_seq   INTEGER,        -- articles.seq of the first occurrence
            first_seen_index INTEGER,
            score            INTEGER,        -- ten-thousandths
            copied_start     INTEGER,
            copied_end       INTEGER,
            first_seen_start INTEGER,
            first_seen_end   INTEGER,
            PRIMARY KEY (article_seq, idx)
        ) WITHOUT ROWID;
        INSERT INTO passage_rows
            SELECT p.article_seq, p.idx, p.start_char, p.end_char, p.sentences,
                   CASE p.status WHEN 'new' THEN 0 WHEN 'recycled' THEN 1 ELSE 2 END, f.seq,
                   p.first_seen_index, CAST(round(p.score * 10000) AS INTEGER), p.copied_start, p.copied_end,
                   p.first_seen_start, p.first_seen_end
            FROM passages p LEFT JOIN articles f ON f.id = p.first_seen_article
            ORDER BY p.article_seq, p.idx;
        DROP TABLE passages;
        CREATE INDEX passage_rows_first_seen ON passage_rows (first_seen_seq, first_seen_index)
            WHERE first_seen_seq IS NOT NULL;
        CREATE VIEW passages AS
            SELECT article_seq, idx, start_char, end_char, sentences,
                   CASE status WHEN 0 THEN 'new' WHEN 1 THEN 'recycled' ELSE 'boilerplate' END AS status,
                   (SELECT f.id FROM articles f WHERE f.seq = first_seen_seq) AS first_seen_article,
                   first_seen_index, score / 10000.0 AS score, copied_start, copied_end, first_seen_start,
                   first_seen_end
            FROM passage_rows;
        CREATE TRIGGER passages_insert INSTEAD OF INSERT ON passages BEGIN
            INSERT INTO passage_rows VALUES (
                new.article_seq, new.idx, new.start_char, new.end_char, new.sentences,
                CASE coalesce(new.status, 'new') WHEN 'new' THEN 0 WHEN 'recycled' THEN 1
                    WHEN 'boilerplate' THEN 2 ELSE RAISE(ABORT, 'passages.status: new, recycled or boilerplate') END,
                CASE WHEN new.first_seen_article IS NULL THEN NULL
                     ELSE coalesce((SELECT f.seq FROM articles f WHERE f.id = new.first_seen_article),
                                   RAISE(ABORT, 'passages.first_seen_article: no such article')) END,
                new.first_seen_index, CAST(round(new.score * 10000) AS INTEGER), new.copied_start, new.copied_end,
                new.first_seen_start, new.first_seen_end);
        END;
        CREATE TRIGGER passages_update INSTEAD OF UPDATE ON passages BEGIN
            UPDATE passage_rows SET article_seq = new.article_seq, idx = new.idx, start_char = new.start_char,
                end_char = new.end_char, sentences = new.sentences,
                status = CASE new.status WHEN 'new' THEN 0 WHEN 'recycled' THEN 1 WHEN 'boilerplate' THEN 2
                    ELSE RAISE(ABORT, 'passages.status: new, recycled or boilerplate') END,
                first_seen_seq = CASE WHEN new.first_seen_article IS NULL THEN NULL
                    ELSE coalesce((SELECT f.seq FROM articles f WHERE f.id = new.first_seen_article),
                                  RAISE(ABORT, 'passages.first_seen_article: no such article')) END,
                first_seen_index = new.first_seen_index, score = CAST(round(new.score * 10000) AS INTEGER),
                copied_start = new.copied_start, copied_end = new.copied_end,
                first_seen_start = new.first_seen_start, first_seen_end = new.first_seen_end
            WHERE article_seq = old.article_seq AND idx = old.idx;
        END;
        CREATE TRIGGER passages_delete INSTEAD OF DELETE ON passages BEGIN
            DELETE FROM passage_rows WHERE article_seq = old.article_seq AND idx = old.idx;
        END;
        """,
    )
    # An article's MinHash signature keeps each value's low 16 bits (256 bytes, not 512): it is read
    # only to estimate how much of two articles is shared, where two values of 16 bits agree by
    # chance once in 65,536 positions.
    last = 0
    while rows := conn.execute("SELECT article_seq, signature FROM article_signatures WHERE article_seq > ?"
                               " ORDER BY article_seq LIMIT 2000", (last,)).fetchall():
        last = rows[-1][0]
        conn.executemany("UPDATE article_signatures SET signature = ? WHERE article_seq = ?",
                         [(_narrow_signature_v1(blob), seq) for seq, blob in rows if len(blob) % 4 == 0])


def _v28_story_events(conn: sqlite3.Connection) -> None:
    # The story log with what other tables hold by number: the story by its seq (its 13-character
    # id was in the row and again, with the time, in the index), the time in whole seconds (25
    # characters of ISO 8601), the event a small integer, the shared terms joined by tabs instead
    # of JSON (store.story_events): on a 10,000-article store of the stream benchmark the log and
    # its index go from 192 to 79 B an article. ``story_log`` stays, as a view with the columns it had
    # (the detail as compact JSON), which other clients may also write through.
    missing = conn.execute("SELECT l.rowid, l.story_id FROM story_log l"
                           " WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = l.story_id) LIMIT 1").fetchone()
    if missing is not None:
        raise StoreError(f"story_log row {missing[0]} names story {missing[1]!r}, which the store does not hold "
                         "(deleted outside storyline?); restore it, or delete that story's log rows")
    names = ", ".join(f"'{name}'" for name in _EVENTS_V1)
    unknown = conn.execute(f"SELECT rowid, event FROM story_log WHERE event NOT IN ({names}) LIMIT 1").fetchone()
    if unknown is not None:
        raise StoreError(f"story_log row {unknown[0]} records the event {unknown[1]!r}, which storyline does not "
                         f"know (one of {', '.join(_EVENTS_V1)}); correct or delete it")
    run_script(
        conn,
        """
        CREATE TABLE story_events (
            story_seq  INTEGER NOT NULL REFERENCES stories (seq),
            article_id TEXT NOT NULL,    -- articles.id (the log is written before the article's row)
            at         INTEGER NOT NULL, -- seconds since 1970, UTC (a time that does not round trip: its text)
            event      INTEGER NOT NULL CHECK (event BETWEEN 0 AND 6),  -- store.story_events.EVENTS
            score      REAL,
            terms      TEXT,             -- the shared terms, tab-separated ('' none; NULL: in detail or none)
            detail     TEXT              -- JSON object: the rest of the detail (NULL: nothing more)
        );
        """,
    )
    codes = {name: code for code, name in enumerate(_EVENTS_V1)}
    last = 0
    while rows := conn.execute("SELECT l.rowid, s.seq, l.article_id, l.at, l.event, l.score, l.detail FROM story_log l"
                               " JOIN stories s ON s.id = l.story_id WHERE l.rowid > ? ORDER BY l.rowid LIMIT 5000",
                               (last,)).fetchall():
        last = rows[-1][0]
        conn.executemany("INSERT INTO story_events (rowid, story_seq, article_id, at, event, score, terms, detail)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(rowid, seq, article_id, _at_v1(at), codes[event], score, *_detail_v1(detail))
                          for rowid, seq, article_id, at, event, score, detail in rows])
    run_script(
        conn,
        """
        DROP INDEX story_log_story_at;
        DROP TABLE story_log;
        CREATE INDEX story_events_story ON story_events (story_seq);
        CREATE VIEW story_log AS
            SELECT e.rowid AS rowid,
                   CASE typeof(e.at) WHEN 'integer' THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', e.at, 'unixepoch')
                        ELSE e.at END AS at,
                   s.id AS story_id, e.article_id,
                   CASE e.event WHEN 0 THEN 'created' WHEN 1 THEN 'joined' WHEN 2 THEN 'merged' WHEN 3 THEN 'absorbed'
                        WHEN 4 THEN 'split' WHEN 5 THEN 'split_off' ELSE 'moved' END AS event,
                   e.score,
                   CASE WHEN e.terms IS NULL THEN e.detail
                        ELSE CASE WHEN e.detail IS NULL THEN '{' ELSE substr(e.detail, 1, length(e.detail) - 1) || ',' END
                             || '"shared_terms":'
                             || CASE e.terms WHEN '' THEN '[]' ELSE '["' || replace(e.terms, char(9), '","') || '"]' END
                             || '}' END AS detail
            FROM story_events e JOIN stories s ON s.seq = e.story_seq;
        CREATE TRIGGER story_log_insert INSTEAD OF INSERT ON story_log BEGIN
            INSERT INTO story_events (story_seq, article_id, at, event, score, terms, detail) VALUES (
                coalesce((SELECT s.seq FROM stories s WHERE s.id = new.story_id),
                         RAISE(ABORT, 'story_log.story_id: no such story')),
                new.article_id,
                CASE WHEN strftime('%Y-%m-%dT%H:%M:%S+00:00', new.at) = new.at
                     THEN CAST(strftime('%s', new.at) AS INTEGER) ELSE new.at END,
                CASE new.event WHEN 'created' THEN 0 WHEN 'joined' THEN 1 WHEN 'merged' THEN 2 WHEN 'absorbed' THEN 3
                     WHEN 'split' THEN 4 WHEN 'split_off' THEN 5 WHEN 'moved' THEN 6
                     ELSE RAISE(ABORT, 'story_log.event: created, joined, merged, absorbed, split, split_off or moved')
                     END,
                new.score, NULL, new.detail);
        END;
        """,
    )


_EVENTS_V1 = ("created", "joined", "merged", "absorbed", "split", "split_off", "moved")
_UNSAFE_TERM_V1 = re.compile(r'[\x00-\x1f"\\\x7f]')


def _at_v1(text: str) -> int | str:
    """``store.story_events.at_value`` as schema 28 was released (a copy: a released migration
    does not change with the code)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if moment.tzinfo is None:
        return text
    seconds = int(moment.timestamp())
    return seconds if datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds") == text else text


def _detail_v1(text: str | None) -> tuple[str | None, str | None]:
    """A story_log detail (JSON text) -> ``story_events`` (terms, detail), as
    ``store.story_events.pack_detail`` was released; a text that is not a JSON object is kept."""
    try:
        detail = json.loads(text) if text else {}
    except ValueError:
        return None, text
    if not isinstance(detail, dict):
        return None, text
    terms = None
    if detail and list(detail)[-1] == "shared_terms":
        shared = detail["shared_terms"]
        if isinstance(shared, list) and all(isinstance(t, str) and t and not _UNSAFE_TERM_V1.search(t)
                                            for t in shared):
            terms = "\t".join(shared)
            del detail["shared_terms"]
    return terms, (json.dumps(detail, ensure_ascii=False, separators=(",", ":")) if detail else None)


def _narrow_signature_v1(blob: bytes) -> bytes:
    """A signature of little-endian uint32 values -> their low 16 bits, little-endian uint16."""
    values = array("I", blob)
    if sys.byteorder != "little":
        values.byteswap()
    out = array("H", (v & 0xFFFF for v in values))
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()


def _term_v23(word: str) -> str:
    """A copy of ``text.similarity.term`` as version 23 made terms (six letters)."""
    return word[:6] if len(word) > 6 and word.isalpha() else word


def _prefixed_v23(weights: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for word, w in weights.items():
        t = _term_v23(word)
        out[t] = out.get(t, 0.0) + w
    return dict(zip(out, array("f", out.values()).tolist()))  # float32, as the store keeps them


def _v29_article_band_log(conn: sqlite3.Connection) -> None:
    # New article band keys (16 an article, random keys) as one row an article, appended, as v20
    # did for the passage band keys: inserted into article_bands batch by batch, they dirtied a
    # page each, nearly every page of that index within ten commits (769 of the 2,990 pages a
    # commit of 50 articles wrote into a 100,000-article store). They move into article_bands in
    # key order once enough have gathered (store.reuse_index). Existing rows stay where they are.
    run_script(
        conn,
        """
        CREATE TABLE article_bands_log (
            article_seq INTEGER PRIMARY KEY,
            keys        BLOB NOT NULL  -- the article's band keys, each once (int64 LE)
        );
        """,
    )


def _v30_changed_story_terms(conn: sqlite3.Connection) -> None:
    # story_terms (a row a term and story, by term) changed a story at a time dirtied a page a
    # row at random places, nearly every page within ten commits (984 of the 2,990 pages a commit
    # of 50 articles wrote into a 100,000-article store). It now holds each story's terms as of
    # the last move; a story changed since has a row here with those terms, its terms now being
    # its stories.terms, and the changed stories' rows are brought up to date together, in term
    # order (store.story_terms).
    run_script(
        conn,
        """
        CREATE TABLE story_terms_dirty (
            story_seq INTEGER PRIMARY KEY REFERENCES stories (seq) ON DELETE CASCADE,
            terms     BLOB  -- the story's terms as story_terms holds them (story_index format 1); NULL: none
        );
        """,
    )


def _v31_no_index_by_first_occurrence(conn: sqlite3.Connection) -> None:
    # Every new passage row went into this index at its first occurrence's place, old and
    # scattered: about half of the pages a commit of 50 articles wrote into a 100,000-article
    # store (633 of 1,247), and 178 bytes an article. The one reader, a recycled passage's
    # earliest copy in its story, now reads the story's own passage rows (store.story_index).
    run_script(conn, "DROP INDEX IF EXISTS passage_rows_first_seen;")


def _v32_referenced_texts(conn: sqlite3.Connection) -> None:
    # Texts compressed against another article's text (store.text_codec, format 3): that article
    # can no longer be deleted, nor its text changed, while a text names it; its dependants would
    # be unreadable. A scan of the articles, but storyline itself never deletes an article or
    # changes a text, and another client doing so needs this connection's functions anyway (the
    # search index's triggers call article_text()).
    run_script(
        conn,
        """
        CREATE TRIGGER article_text_referenced_delete BEFORE DELETE ON articles
        WHEN EXISTS (SELECT 1 FROM articles WHERE substr(text, 1, 1) = x'03' AND text_reference(text) = old.seq)
        BEGIN
            SELECT RAISE(ABORT, 'another article''s stored text is compressed against this article''s text');
        END;
        CREATE TRIGGER article_text_referenced_update BEFORE UPDATE OF text ON articles
        WHEN EXISTS (SELECT 1 FROM articles WHERE substr(text, 1, 1) = x'03' AND text_reference(text) = old.seq)
        BEGIN
            SELECT RAISE(ABORT, 'another article''s stored text is compressed against this article''s text');
        END;
        """,
    )


def _v33_merged_stories_without_centroids(conn: sqlite3.Connection) -> None:
    # A merged story's centroid (its weights, and its embedding with the embeddings extra) is never
    # read again: its id leads to the story that absorbed it, and a split that revives it gives
    # it a new centroid. 3,291 merged stories held 3.9 MB of them in a 100,000-article stream's
    # store (39 bytes an article). A story is read with no weights as one with an empty centroid.
    run_script(conn, "UPDATE stories SET weights = NULL, dense = NULL WHERE merged_into IS NOT NULL;")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles and passages", _v1_articles_and_passages),
    Migration(2, "reuse index: signatures and LSH bands", _v2_reuse_index),
    Migration(3, "stories: centroids, terms, document frequencies, assignment log", _v3_stories),
    Migration(4, "timeline: dated events per article", _v4_timeline_events),
    Migration(5, "statements: attributed claims per article", _v5_statements),
    Migration(6, "story splits: article vectors; copies of a passage by first occurrence", _v6_story_splits),
    Migration(7, "packed centroids and vectors, story update times, the missing indexes; v3's missing columns",
              _v7_packed_state_and_indexes),
    Migration(8, "recent passage band keys, merged into the index in key order", _v8_recent_passage_bands),
    Migration(9, "copies of a stored text kept: content hash no longer unique; articles by URL", _v9_copies_kept),
    Migration(10, "article status (events looked for, statements analysed) in a table of its own", _v10_article_status),
    Migration(11, "a middle level of passage band keys between the recent ones and the big index",
              _v11_passage_band_levels),
    Migration(12, "recycled passages: the copied span in the passage and in its first occurrence", _v12_copied_spans),
    Migration(13, "full-text search over article titles and texts (FTS5), kept in step by triggers",
              _v13_article_search),
    Migration(14, "passage band keys below the recent level: one row a key, its rows packed", _v14_grouped_passage_bands),
    Migration(15, "article texts compressed; the search index reads them through a view, the store indexes them",
              _v15_compressed_texts),
    Migration(16, "a story's index terms in its row; story_terms no longer indexed by story", _v16_story_terms_in_row),
    Migration(17, "a passage's sentence spans packed instead of JSON", _v17_packed_sentences),
    Migration(18, "passage band keys stored by their low 40 bits, as 5-byte BLOBs", _v18_narrow_passage_keys),
    Migration(19, "packed centroids and vectors: their weights compressed too", _v19_compressed_weights),
    Migration(20, "the recent passage band keys: one row an article", _v20_band_log),
    Migration(21, "articles looked up by their URL's key (no tracking parameters, fragment or scheme)", _v21_url_keys),
    Migration(22, "the search index reads Han and kana a word a character", _v22_search_form),
    Migration(23, "story terms: a content word's first six letters", _v23_term_prefixes),
    Migration(24, "the word each cut story term was first written as", _v24_term_words),
    Migration(25, "story terms: the function words of the languages besides English dropped", _v25_function_words),
    Migration(26, "a dictionary trained on the store's texts, to compress the texts after it", _v26_text_dictionaries),
    Migration(27, "compact passage rows (status code, first occurrence by seq, score in ten-thousandths) behind a"
                  " view; signatures of 16-bit values", _v27_compact_passages),
    Migration(28, "the story log by story seq, with times in seconds, event codes and tab-joined terms, behind a"
                  " view", _v28_story_events),
    Migration(29, "the recent article band keys: one row an article, moved into the index in key order",
              _v29_article_band_log),
    Migration(30, "stories whose index terms changed since story_terms was last brought up to date",
              _v30_changed_story_terms),
    Migration(31, "passage rows no longer indexed by their first occurrence", _v31_no_index_by_first_occurrence),
    Migration(32, "texts compressed against another article's: that article kept while they name it",
              _v32_referenced_texts),
    Migration(33, "merged stories keep no centroid", _v33_merged_stories_without_centroids),
)
LATEST = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, location: str) -> int:
    """Bring the database to :data:`LATEST`; returns the version it was at before."""
    before = current_version(conn)
    if before > LATEST:
        raise StoreError(f"{location}: the store is at schema version {before}, newer than this "
                         f"storyline supports ({LATEST}); upgrade storyline")
    for migration in MIGRATIONS:
        if migration.version <= before:
            continue
        conn.execute("BEGIN IMMEDIATE")  # a busy store raises here; Store retries the whole open
        try:
            if current_version(conn) >= migration.version:  # another process applied it meanwhile
                conn.execute("COMMIT")
                continue
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"{location}: migration {migration.version} ({migration.name}) failed: {exc}") from exc
    return before
