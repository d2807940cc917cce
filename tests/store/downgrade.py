"""Undo migrations on a store written by today's code, to stand in for a store that an older
storyline wrote (the fixture stores under tests/fixtures/stores are the real ones)."""

from __future__ import annotations

import json
import sqlite3

from storyline.store.codec import unpack_weights
from storyline.store.migrations import MIGRATIONS, _pack_v1, _v13_article_search
from storyline.store.reuse_index import band_rows, packed_level_rows
from storyline.store.span_codec import unpack_spans
from storyline.store.text_codec import TextCodec, dictionary_id, pack_text, register, text_reference, unpack_text


def undo_v33(conn: sqlite3.Connection) -> None:
    """Schema 33 → 32 in number only: the merged stories' centroids are gone (nothing read them);
    a store of schema 32 holding none is one whose stories were merged by version 33's code."""
    conn.execute("PRAGMA user_version = 32")


def undo_v32(conn: sqlite3.Connection) -> None:
    """Schema 32 → 31: no text compressed against another article's (format 2, or 1 before the
    store's dictionary), nothing kept from being deleted."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 33:
        undo_v33(conn)
    conn.execute("DROP TRIGGER article_text_referenced_delete")
    conn.execute("DROP TRIGGER article_text_referenced_update")
    codec = register(conn)  # the search index's triggers read the texts through the store's SQL functions
    rows = [(seq, codec.read(text)) for seq, text in conn.execute("SELECT seq, text FROM articles")
            if text_reference(text) is not None]
    conn.executemany("UPDATE articles SET text = ? WHERE seq = ?", [(codec.pack(text), seq) for seq, text in rows])
    conn.execute("PRAGMA user_version = 31")


def undo_v31(conn: sqlite3.Connection) -> None:
    """Schema 31 → 30: passage rows indexed by their first occurrence again."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 32:
        undo_v32(conn)
    conn.execute("CREATE INDEX passage_rows_first_seen ON passage_rows (first_seen_seq, first_seen_index)")
    conn.execute("PRAGMA user_version = 30")


def undo_v30(conn: sqlite3.Connection) -> None:
    """Schema 30 → 29: story_terms brought up to date with every story's terms, as schema 29 kept it."""
    from storyline.store.story_terms import StoryTerms

    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 31:
        undo_v31(conn)

    StoryTerms(conn).move()
    conn.execute("DROP TABLE story_terms_dirty")
    conn.execute("PRAGMA user_version = 29")


def undo_v29(conn: sqlite3.Connection) -> None:
    """Schema 29 → 28: the recent article band keys inserted into ``article_bands`` as schema 28
    stored every one."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 30:
        undo_v30(conn)
    for seq, blob in conn.execute("SELECT article_seq, keys FROM article_bands_log").fetchall():
        keys = [int.from_bytes(blob[i:i + 8], "little", signed=True) for i in range(0, len(blob), 8)]
        conn.executemany("INSERT OR IGNORE INTO article_bands (key, article_seq) VALUES (?, ?)",
                         [(k, seq) for k in keys])
    conn.execute("DROP TABLE article_bands_log")
    conn.execute("PRAGMA user_version = 28")


def undo_v28(conn: sqlite3.Connection) -> None:
    """Schema 28 → 27: the story log a table again (ISO times, story ids, event words, the detail
    as JSON), with its index by (story, time)."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 29:
        undo_v29(conn)
    released = sqlite3.connect(":memory:")
    for migration in MIGRATIONS[:27]:
        migration.apply(released)
    (table_sql,), (index_sql,) = (released.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
                                  for name in ("story_log", "story_log_story_at"))
    released.close()
    conn.execute("CREATE TEMP TABLE story_log_v27 AS SELECT rowid AS n, at, story_id, article_id, event, score,"
                 " detail FROM story_log")
    conn.execute("DROP VIEW story_log")
    conn.execute("DROP TABLE story_events")
    conn.execute(table_sql)
    conn.execute("INSERT INTO story_log (rowid, at, story_id, article_id, event, score, detail)"
                 " SELECT n, at, story_id, article_id, event, score, detail FROM temp.story_log_v27 ORDER BY n")
    conn.execute("DROP TABLE temp.story_log_v27")
    conn.execute(index_sql)
    conn.execute("PRAGMA user_version = 27")


def undo_v27(conn: sqlite3.Connection) -> None:
    """Schema 27 → 26: the passages a table again (status words, first occurrences by id, REAL
    scores); signatures of 32-bit values, made again from the texts (the high bits are gone)."""
    from storyline.reuse.kernel import MinHasher
    from storyline.settings import ReuseSettings

    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 28:
        undo_v28(conn)
    s = ReuseSettings()
    hasher = MinHasher(s.num_perm, s.shingle, s.seed)
    codec = TextCodec(conn)
    rows = conn.execute("SELECT a.seq, a.text FROM articles a JOIN article_signatures g ON g.article_seq = a.seq"
                        ).fetchall()
    if rows:
        signatures = hasher.signatures([codec.read(text) for _, text in rows])
        conn.executemany("UPDATE article_signatures SET signature = ? WHERE article_seq = ?",
                         [(sig.astype("<u4").tobytes(), seq) for (seq, _), sig in zip(rows, signatures)])
    # the table as migrations 1 and 12 wrote it, its SQL text included
    released = sqlite3.connect(":memory:")
    for migration in MIGRATIONS[:26]:
        migration.apply(released)
    (table_sql,), (index_sql,) = (released.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
                                  for name in ("passages", "passages_first_seen"))
    released.close()
    conn.execute("CREATE TEMP TABLE passages_v26 AS SELECT * FROM passages")
    conn.execute("DROP VIEW passages")
    conn.execute("DROP TABLE passage_rows")
    conn.execute(table_sql)
    conn.execute("INSERT INTO passages SELECT * FROM temp.passages_v26")
    conn.execute("DROP TABLE temp.passages_v26")
    conn.execute(index_sql)
    conn.execute("PRAGMA user_version = 26")


def undo_v26(conn: sqlite3.Connection) -> None:
    """Schema 26 → 25: every text in format 1 again, no dictionaries."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 27:
        undo_v27(conn)
    codec = TextCodec(conn)
    rows = [(seq, codec.read(text)) for seq, text in conn.execute("SELECT seq, text FROM articles")
            if dictionary_id(text) is not None]
    if rows:  # the search index's triggers read the texts through the store's SQL functions
        register(conn)
        conn.executemany("UPDATE articles SET text = ? WHERE seq = ?", [(pack_text(text), seq) for seq, text in rows])
    conn.execute("DROP TABLE text_dictionaries")
    conn.execute("PRAGMA user_version = 25")


def undo_v25(conn: sqlite3.Connection) -> None:
    """Schema 25 → 24 in number only: the function words' terms are gone; version 25 run again
    finds none to drop."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 26:
        undo_v26(conn)
    conn.execute("PRAGMA user_version = 24")


def undo_v24(conn: sqlite3.Connection) -> None:
    """Schema 24 → 23: no word kept beside a story term."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 25:
        undo_v25(conn)
    conn.execute("ALTER TABLE term_df DROP COLUMN word")
    conn.execute("PRAGMA user_version = 23")


def undo_v23(conn: sqlite3.Connection) -> None:
    """Schema 23 → 22 in number only: the words behind the story terms are gone. Version 23 run
    again leaves such a store's terms as they are (a term is its own term)."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 24:
        undo_v24(conn)
    conn.execute("PRAGMA user_version = 22")


def undo_v22(conn: sqlite3.Connection) -> None:
    """Schema 22 → 21: the search index reads titles and texts as written."""
    from storyline.text.words import spaced

    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 23:
        undo_v23(conn)

    for seq, title, stored in conn.execute("SELECT seq, title, text FROM articles WHERE typeof(text) = 'blob'"):
        text = unpack_text(stored)
        conn.execute("INSERT INTO article_search (article_search, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                     (seq, spaced(title) if title else title, spaced(text)))
        conn.execute("INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)", (seq, title, text))
    for trigger in ("delete", "update"):
        conn.execute(f"DROP TRIGGER article_search_{trigger}")
    conn.execute("DROP VIEW article_texts")
    conn.execute("CREATE VIEW article_texts AS SELECT seq, title, article_text(text) AS text FROM articles")
    conn.execute("CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN"
                 " INSERT INTO article_search (article_search, rowid, title, text)"
                 " VALUES ('delete', old.seq, old.title, article_text(old.text)); END")
    conn.execute("CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN"
                 " INSERT INTO article_search (article_search, rowid, title, text)"
                 " VALUES ('delete', old.seq, old.title, article_text(old.text));"
                 " INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, article_text(new.text)); END")
    conn.execute("PRAGMA user_version = 21")


def undo_v21(conn: sqlite3.Connection) -> None:
    """Schema 21 → 20: articles looked up by their URL as written."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 22:
        undo_v22(conn)
    conn.execute("DROP INDEX articles_url_key")
    conn.execute("ALTER TABLE articles DROP COLUMN url_key")
    conn.execute("CREATE INDEX articles_url ON articles (url) WHERE url IS NOT NULL")
    conn.execute("PRAGMA user_version = 20")


def undo_v20(conn: sqlite3.Connection) -> None:
    """Schema 20 → 19: the recent passage band keys a row a (key, article, passage) again."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 21:
        undo_v21(conn)
    rows = [(k.to_bytes(5, "big"), seq, idx) for level, k, seq, idx in band_rows(conn) if level == "recent"]
    conn.execute("DROP TABLE passage_bands_log")
    conn.execute("CREATE TABLE passage_bands_recent (key BLOB NOT NULL, article_seq INTEGER NOT NULL,"
                 " idx INTEGER NOT NULL, PRIMARY KEY (key, article_seq, idx)) WITHOUT ROWID")
    conn.executemany("INSERT INTO passage_bands_recent (key, article_seq, idx) VALUES (?, ?, ?)", rows)
    conn.execute("PRAGMA user_version = 19")


def undo_v19(conn: sqlite3.Connection) -> None:
    """Schema 19 → 18: packed centroids and vectors in format 1 (weights not compressed)."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 20:
        undo_v20(conn)
    for table, key in (("stories", "seq"), ("article_vectors", "rowid")):
        rows = conn.execute(f"SELECT {key}, weights FROM {table} WHERE weights IS NOT NULL").fetchall()
        conn.executemany(f"UPDATE {table} SET weights = ? WHERE {key} = ?",
                         [(_pack_v1(unpack_weights(w)), k) for k, w in rows])
    conn.execute("PRAGMA user_version = 18")


def undo_v18(conn: sqlite3.Connection) -> None:
    """Schema 18 → 17: passage band keys as integers (their low 40 bits: the rest is gone)."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 19:
        undo_v19(conn)
    for table, columns in (("passage_postings", "key INTEGER PRIMARY KEY, postings BLOB NOT NULL"),
                           ("passage_postings_mid", "key INTEGER PRIMARY KEY, postings BLOB NOT NULL"),
                           ("passage_bands_recent", "key INTEGER NOT NULL, article_seq INTEGER NOT NULL,"
                                                    " idx INTEGER NOT NULL, PRIMARY KEY (key, article_seq, idx)")):
        rows = [(int.from_bytes(r[0], "big"), *r[1:]) for r in conn.execute(f"SELECT * FROM {table}")]
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"CREATE TABLE {table} ({columns}) WITHOUT ROWID")
        if rows:
            conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    conn.execute("PRAGMA user_version = 17")


def undo_v17(conn: sqlite3.Connection) -> None:
    """Schema 17 → 16: sentence spans as JSON."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 18:
        undo_v18(conn)
    rows = conn.execute("SELECT article_seq, idx, sentences FROM passages").fetchall()
    conn.executemany("UPDATE passages SET sentences = ? WHERE article_seq = ? AND idx = ?",
                     [(json.dumps([[s.start, s.end] for s in unpack_spans(v)]), seq, idx) for seq, idx, v in rows])
    conn.execute("PRAGMA user_version = 16")


def undo_v16(conn: sqlite3.Connection) -> None:
    """Schema 16 → 15: a story's terms only in story_terms, indexed by story."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 17:
        undo_v17(conn)
    conn.execute("ALTER TABLE stories DROP COLUMN terms")
    conn.execute("CREATE INDEX story_terms_story ON story_terms (story_seq)")
    conn.execute("PRAGMA user_version = 15")


def undo_v15(conn: sqlite3.Connection) -> None:
    """Schema 15 → 14: article texts stored as they are, the search index over the articles table."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 16:
        undo_v16(conn)
    for trigger in ("article_search_insert", "article_search_delete", "article_search_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE article_search")
    conn.execute("DROP VIEW article_texts")
    rows = conn.execute("SELECT seq, text FROM articles").fetchall()
    conn.executemany("UPDATE articles SET text = ? WHERE seq = ?", [(unpack_text(t), seq) for seq, t in rows])
    _v13_article_search(conn)  # its index over the texts, with its triggers
    conn.execute("PRAGMA user_version = 14")


def undo_v14(conn: sqlite3.Connection) -> None:
    """Schema 14 → 13: the two lower levels of passage band keys a row each again."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 15:
        undo_v15(conn)
    rows = packed_level_rows(conn)
    for table in ("passage_bands", "passage_bands_mid"):  # as migrations 2 and 11 wrote them
        conn.execute(f"""CREATE TABLE {table} (
            key         INTEGER NOT NULL,
            article_seq INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            PRIMARY KEY (key, article_seq, idx)
        ) WITHOUT ROWID""")
    for level, table in (("big", "passage_bands"), ("mid", "passage_bands_mid")):
        conn.executemany(f"INSERT INTO {table} (key, article_seq, idx) VALUES (?, ?, ?)",
                         [(k, seq, idx) for lv, k, seq, idx in rows if lv == level])
    conn.execute("DROP TABLE passage_postings")
    conn.execute("DROP TABLE passage_postings_mid")
    conn.execute("DELETE FROM meta WHERE key = 'reuse.passage_bands_mid_rows'")
    conn.execute("PRAGMA user_version = 13")


def undo_v13(conn: sqlite3.Connection) -> None:
    """Schema 13 → 12: no search index, no triggers keeping it."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 14:
        undo_v14(conn)
    for trigger in ("article_search_insert", "article_search_delete", "article_search_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE article_search")
    conn.execute("PRAGMA user_version = 12")


def undo_v12(conn: sqlite3.Connection) -> None:
    """Schema 12 → 11: no copied spans."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 13:
        undo_v13(conn)
    for column in ("copied_start", "copied_end", "first_seen_start", "first_seen_end"):
        conn.execute(f"ALTER TABLE passages DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 11")


def undo_v11(conn: sqlite3.Connection) -> None:
    """Schema 11 → 10: the middle level of passage band keys back in the big index."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 12:
        undo_v12(conn)
    conn.execute("INSERT OR IGNORE INTO passage_bands SELECT key, article_seq, idx FROM passage_bands_mid")
    conn.execute("DROP TABLE passage_bands_mid")
    conn.execute("DELETE FROM meta WHERE key = 'reuse.passage_bands_rows'")
    conn.execute("PRAGMA user_version = 10")


def undo_v10(conn: sqlite3.Connection) -> None:
    """Schema 10 → 9: the timeline and statements status back in columns of ``articles``."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 11:
        undo_v11(conn)
    conn.execute("ALTER TABLE articles ADD COLUMN timeline_events INTEGER")
    conn.execute("ALTER TABLE articles ADD COLUMN statements INTEGER")
    conn.execute("UPDATE articles SET (timeline_events, statements) = (SELECT s.timeline_events, s.statements"
                 " FROM article_status s WHERE s.article_seq = articles.seq)")
    conn.execute("DROP TABLE article_status")
    conn.execute("CREATE INDEX articles_statements_pending ON articles (seq) WHERE statements IS NULL")
    conn.execute("CREATE INDEX articles_timeline_pending ON articles (seq) WHERE timeline_events IS NULL")
    conn.execute("PRAGMA user_version = 9")


def undo_v9(conn: sqlite3.Connection) -> None:
    """Schema 9 → 8: the content hash unique again (fails if a text is stored twice), no URL index."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 10:
        undo_v10(conn)
    conn.execute("DROP INDEX articles_url")
    conn.execute("DROP INDEX articles_content_hash")
    conn.execute("CREATE UNIQUE INDEX articles_content_hash ON articles (content_hash)")
    conn.execute("PRAGMA user_version = 8")


def undo_v8(conn: sqlite3.Connection) -> None:
    """Schema 8 → 7: the recent passage band keys back in the one index."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 9:
        undo_v9(conn)
    conn.execute("INSERT OR IGNORE INTO passage_bands SELECT key, article_seq, idx FROM passage_bands_recent")
    conn.execute("DROP TABLE passage_bands_recent")
    conn.execute("PRAGMA user_version = 7")


def undo_v7(conn: sqlite3.Connection) -> None:
    """Schema 9 or 8 → 6 (v9 and v8 first, then 7 → 6): centroids back to JSON, packed columns, update
    times and v7's indexes gone."""
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 8:
        undo_v8(conn)
    rows = conn.execute("SELECT seq, weights FROM stories WHERE weights IS NOT NULL").fetchall()
    conn.executemany("UPDATE stories SET centroid = ? WHERE seq = ?",
                     [(json.dumps(unpack_weights(w)), seq) for seq, w in rows])
    rows = conn.execute("SELECT rowid, weights FROM article_vectors WHERE weights IS NOT NULL").fetchall()
    conn.executemany("UPDATE article_vectors SET terms = ? WHERE rowid = ?",
                     [(json.dumps(unpack_weights(w)), rowid) for rowid, w in rows])
    for index in ("stories_merged_into", "stories_updated", "story_log_story_at", "articles_statements_pending",
                  "story_terms_story"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("CREATE INDEX story_log_story ON story_log (story_id)")
    conn.execute("ALTER TABLE stories DROP COLUMN weights")
    conn.execute("ALTER TABLE stories DROP COLUMN updated_at")
    conn.execute("ALTER TABLE article_vectors DROP COLUMN weights")
    conn.execute("DELETE FROM meta WHERE key = 'stories.documents'")
    conn.execute("PRAGMA user_version = 6")
