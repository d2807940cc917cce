"""The embedded store: one SQLite file in WAL mode, written in transactions, read by every interface."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ..errors import (NoStoreError, NotFoundError, StoreError, StoreReadOnly, StoreWriteFailed,
                      sqlite_primary_code)
from ..pipeline.ports import Existing
from ..records import Article, Passage, PassageRef, SourceRef, Span
from ..settings import Settings
from ..text.urls import url_key
from ..text.words import spaced
from .listing import Listing, ids_starting
from .migrations import LATEST, current_version, migrate
from .passage_codes import pack_score, status_code, status_of, unpack_score
from .provenance import Provenance, story_provenance
from .reuse_index import BandLevels, SqliteReuseIndex
from .search import ArticleSearch
from . import span_codec, text_codec
from .statement_index import SqliteStatementIndex
from .story_index import SqliteStoryIndex
from .story_terms import StoryTerms
from .timeline_index import SqliteTimelineIndex

# A new store's page size. An article's row holds its compressed text (~2.6 kB on the benchmark
# corpus, store.text_codec): one fits a 4 KiB page, two do not, so 4 KiB pages were a third empty.
PAGE_SIZE = 8192
#: Pages of WAL between automatic checkpoints (~80 MB at PAGE_SIZE).
WAL_CHECKPOINT_PAGES = 10000
#: What a reset WAL file is cut back to: twice a checkpoint's worth, so a stream's own WAL, which
#: resets at about one checkpoint's size, is not cut and grown again at every reset.
WAL_LIMIT_BYTES = 2 * WAL_CHECKPOINT_PAGES * PAGE_SIZE
#: SQLite's page cache (MB) while VACUUM copies the store, instead of ``ingest.cache_mb``: VACUUM
#: gives the copy a cache of the store's size too, and a copy in page order gains nothing from
#: it. ``/usr/bin/time -v storyline compact`` on a copy of the 100k batch job's store (956 MB):
#: 457 MiB resident and 14.1 s with 128 MB caches, 219 MiB and 13.0 s with these (README).
COMPACT_CACHE_MB = 16
#: Tables every ingest adds rows to at random places (a band key, a story's term), with the
#: order a stream adds them in: :meth:`Store.compact` lays them out again that way after VACUUM.
#: VACUUM packs every page full, and SQLite splits a full page for a row that falls in it: on the
#: compacted 1M batch store the next 1,000 articles added a page to these two for every third
#: row (11,105 pages for 31,967 rows), where a streamed store's pages have ~9% free and take most
#: rows as they come (README, "storyline compact").
ROOMY_TABLES = (("article_bands", "article_seq, key"), ("story_terms", "story_seq, term"))


@dataclass(slots=True, frozen=True)
class Compacted:
    """What :meth:`Store.compact` did: the file's bytes (write-ahead log included) before and
    after, its page size after, the seconds it took, and the passage band key rows it dropped
    (rows past those a lookup reads, see :meth:`SqliteReuseIndex.cap_postings`)."""

    before_bytes: int
    after_bytes: int
    page_size: int
    seconds: float
    band_rows_dropped: int = 0


def _busy(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _full(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_FULL: the disk (or the file system's quota) has no room for the write."""
    return sqlite_primary_code(exc) == sqlite3.SQLITE_FULL


def _disk_failed(exc: sqlite3.OperationalError) -> bool:
    """A full disk, or SQLITE_IOERR (the operating system failed a read or a write)."""
    return sqlite_primary_code(exc) in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)


def _read_only_media(path: Path) -> bool:
    """Whether ``path`` lies on a file system mounted read-only (a snapshot, a read-only share, a
    disc): nothing can write it there, this process or another."""
    statvfs, flag = getattr(os, "statvfs", None), getattr(os, "ST_RDONLY", None)
    if statvfs is None or flag is None:  # not a POSIX system: the file's own permissions tell
        return False
    try:
        return bool(statvfs(path).f_flag & flag)
    except OSError:  # the path went away: SQLite's own open will say
        return False


def unwritable(path: Path) -> str | None:
    """Why this process cannot write the existing store at ``path``, or ``None`` when it can.
    SQLite writes a WAL store's write-ahead log and shared-memory index beside it, so a folder
    this process may not write is as good as a file it may not."""
    if _read_only_media(path):
        return "it is on a read-only file system"
    if not os.access(path, os.W_OK):
        return "this user may not write the file"
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not all(os.access(p, os.W_OK) for p in beside):
        return f"this user may not write its folder {path.parent}, where SQLite keeps its write-ahead log"
    return None


def cannot_create(path: Path) -> str | None:
    """Why a new store cannot be made at ``path`` (a file that does not exist yet), or ``None``."""
    if _read_only_media(path.parent):
        return "the folder is on a read-only file system"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "this user may not write the folder"
    return None


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite database that is not a storyline store (no schema version, but tables of
    its own): a ``--db`` mistyped onto another program's file must not get storyline's tables
    (or its WAL mode) written into it."""
    # One statement, so one snapshot: another process may be creating a store in this file,
    # committing its tables and their version together.
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        " AND (SELECT user_version FROM pragma_user_version) = 0 LIMIT 6")]
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(f"{path}: a SQLite database of something else (tables {shown}), not a storyline store; "
                         "give --db a new file (or an existing store)")


class Store:
    """A storyline database. Open with ``Store(path)`` (created and migrated as needed); close it or use ``with``.

    ``upgrade=False`` opens for reading: a store at an older schema version is refused with a
    :class:`StoreError` that names ``storyline migrate`` instead of being migrated (a new, empty
    file is still given the schema). Writers take turns: a write transaction that finds the store locked by another writer
    waits (SQLite's busy timeout, then retries with growing pauses) up to ``lock_wait_s``
    seconds in all before it gives up with a :class:`StoreError` that says so.
    """

    def __init__(self, path: str | Path, lock_wait_s: float = 600.0, passage_cache: int = 10_000,
                 upgrade: bool = True, cache_mb: int = 128, recent_bands: int = 200_000,
                 create: bool = True, mid_bands: int = 2_000_000, level_ratio: int = 10,
                 band_key_cache: int = 2_000_000, cold_passage_cache: int = 400_000, text_cache: int = 512,
                 key_filter: int = 50_000_000, text_dictionary: int = 1_000,
                 recent_article_bands: int = 160_000, recent_story_terms: int = 2_000,
                 story_term_cache: int = 50_000) -> None:
        self.path = Path(path)
        # Train the texts' dictionary once this many articles are stored (0: never; see text_codec);
        # doubled when zstd finds too little to train on.
        self._text_dictionary = text_dictionary
        self._key_filter = key_filter
        self._text_cache = text_cache
        self.lock_wait_s = lock_wait_s
        self._passage_cache = passage_cache
        self._band_key_cache = band_key_cache
        self._cold_passage_cache = cold_passage_cache
        self._band_levels = BandLevels(recent_bands, mid_bands, level_ratio, recent_article_bands)
        self._reuse_index: SqliteReuseIndex | None = None
        self._recent_story_terms = recent_story_terms
        self._story_term_cache = story_term_cache
        self._story_terms: StoryTerms | None = None
        self._data_version: int | None = None  # after this connection's last commit
        # The search index's rows of the articles the open transaction stored, written just before
        # it commits (see :meth:`_write_search_rows`); None outside :meth:`transaction`.
        self._search_rows: list[tuple[int, str | None, str]] | None = None
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not create and not self.path.exists():
            raise NoStoreError(self.path)
        if not self.path.exists() and not self.path.parent.is_dir():
            raise StoreError(f"{self.path}: the folder {self.path.parent} does not exist")
        self._cache_mb = cache_mb
        #: Why the store was opened for reading only (it cannot be written from here: a read-only
        #: file system, a file or folder this user may not write), or ``None``. Reading works as
        #: ever; a write raises :class:`StoreReadOnly` before it begins.
        self.read_only: str | None = unwritable(self.path) if self.path.exists() else None
        if self.read_only is not None:
            self._conn = self._open_read_only(cache_mb)
            return
        if not self.path.exists() and (why := cannot_create(self.path)) is not None:
            raise StoreError(f"{self.path}: cannot create the store: {why}")
        self._conn = self._open(upgrade, cache_mb)

    @classmethod
    def from_settings(cls, settings: Settings, upgrade: bool = True, create: bool = True) -> Store:
        """The store at ``settings.db_path``, with every store setting of ``settings`` (its caches,
        the band key levels, the story terms' recent level): what the engine and the batch job open."""
        s = settings
        return cls(s.db_path, lock_wait_s=s.ingest.lock_wait_s, passage_cache=s.reuse.cache_passages,
                   recent_bands=s.reuse.recent_bands, mid_bands=s.reuse.mid_bands, level_ratio=s.reuse.level_ratio,
                   upgrade=upgrade, cache_mb=s.ingest.cache_mb, create=create, band_key_cache=s.reuse.cache_band_keys,
                   cold_passage_cache=s.reuse.cache_cold_passages, text_cache=s.ingest.cache_texts,
                   key_filter=s.reuse.cache_key_filter, text_dictionary=s.ingest.text_dictionary,
                   recent_article_bands=s.reuse.recent_article_bands, recent_story_terms=s.stories.recent_terms,
                   story_term_cache=s.stories.cache_term_stories)

    def _open(self, upgrade: bool, cache_mb: int) -> sqlite3.Connection:
        """Connect, set the pragmas and migrate, retrying while another process holds the file.

        Two processes creating the same new store at once meet here: the one that loses finds the
        file locked while the other sets WAL mode or migrates, and waits its turn (with backoff, up
        to ``lock_wait_s``) instead of failing.
        """
        deadline = time.monotonic() + self.lock_wait_s
        pause = 0.05
        while True:
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                # First: every later statement here, WAL mode included, may meet another writer.
                conn.execute(f"PRAGMA busy_timeout = {self._busy_ms():d}")
                _refuse_foreign(conn, self.path)  # before anything below writes to the file
                # A new store's pages (an existing store keeps its own; set before WAL mode, which
                # writes the file's first page): see PAGE_SIZE.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE:d}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                # The indexes (band keys, story terms) are read and grown at random places; SQLite's
                # default page cache is 2 MB (ingest.cache_mb says what was measured).
                conn.execute(f"PRAGMA cache_size = {-1024 * cache_mb:d}")
                # Checkpoint every ~40 MB of WAL instead of 4, so a page the band-key index dirties in
                # many batches is copied back less often. Not measured on its own: the reported stream
                # benchmarks ran with it.
                conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES:d}")
                # A transaction bigger than that (a band-key level moved down, a batch job's load)
                # grows the WAL file to its size, and SQLite keeps the file that large, reusing it
                # from the start, until the last connection closes: the 1M batch job left a 2.1 GB
                # WAL beside a 6.7 GB store. With a limit, each reset after a checkpoint cuts it back.
                conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES:d}")
                # before migrating: v15's view calls it
                self._codec = text_codec.register(conn, self._text_cache)
                self._read_text = self._codec.read
                if upgrade or current_version(conn) == 0:
                    migrate(conn, str(self.path))
                elif current_version(conn) < LATEST:
                    raise StoreError(f"{self.path}: the store is at schema version {current_version(conn)}, "
                                     f"this storyline reads version {LATEST}; upgrade it with "
                                     f"`storyline migrate --db {self.path}`")
                return conn
            except (sqlite3.DatabaseError, StoreError) as exc:
                if conn is not None:
                    conn.close()
                cause = exc.__cause__ if isinstance(exc, StoreError) else exc
                busy = isinstance(cause, sqlite3.OperationalError) and _busy(cause)
                if not busy:
                    if isinstance(exc, StoreError):
                        raise
                    raise StoreError(f"{self.path}: cannot open as a storyline database ({exc})") from exc
                if time.monotonic() + pause > deadline:
                    raise StoreError(f"{self.path}: cannot open as a storyline database: another process has "
                                     f"held it for over {self.lock_wait_s:.0f} s ({cause})") from exc
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, 2.0)

    def _open_read_only(self, cache_mb: int) -> sqlite3.Connection:
        """Connect for reading only: the store as it is, never migrated or changed. SQLite reads a
        WAL store through its shared-memory index, which it cannot make on a read-only file
        system; there, where no process can write the store, it is opened as immutable (read
        without locks), unless its write-ahead log holds writes not yet copied into it, which an
        immutable open would not see."""
        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        try:
            conn = self._connect_read_only(uri)
        except sqlite3.OperationalError as exc:
            if sqlite_primary_code(exc) in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY) \
                    and not _read_only_media(self.path):
                # Another process may write it (the folder's owner): an immutable read could then
                # see half a write. SQLite finds the index once a process that may write opens it.
                raise StoreError(
                    f"{self.path}: cannot open the store for reading ({self.read_only}): SQLite reads a store in "
                    f"WAL mode through a shared-memory file beside it ({self.path.name}-shm), which this user can "
                    f"neither find nor make; open it as a user who may write {self.path.parent}, or copy the "
                    f"store ({exc})") from exc
            if sqlite_primary_code(exc) != sqlite3.SQLITE_CANTOPEN:
                raise StoreError(f"{self.path}: cannot open the store for reading ({self.read_only}; {exc})") from exc
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists() and wal.stat().st_size:
                raise StoreError(
                    f"{self.path}: cannot read the store where it is: its write-ahead log {wal.name} holds writes "
                    f"not yet copied into it, which SQLite cannot read on a read-only file system; copy "
                    f"{self.path.name} and {wal.name} together to a folder you can write, and open the copy") from exc
            conn = self._connect_read_only(uri + "&immutable=1")
        try:
            _refuse_foreign(conn, self.path)
            conn.execute(f"PRAGMA cache_size = {-1024 * cache_mb:d}")
            self._codec = text_codec.register(conn, self._text_cache)
            self._read_text = self._codec.read
            version = current_version(conn)
            if version == 0:
                raise StoreError(f"{self.path}: not a storyline store (no schema version), and it cannot be "
                                 f"written here ({self.read_only})")
            if version > LATEST:
                raise StoreError(f"{self.path}: the store is at schema version {version}, newer than this "
                                 f"storyline supports ({LATEST}); upgrade storyline")
            if version < LATEST:
                raise StoreError(f"{self.path}: the store is at schema version {version}, this storyline reads "
                                 f"version {LATEST}, and it cannot be upgraded where it is ({self.read_only}): copy "
                                 f"it to a folder you can write and run `storyline migrate --db COPY`")
        except (sqlite3.DatabaseError, StoreError) as exc:
            conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: cannot open as a storyline database ({exc})") from exc
        return conn

    def _connect_read_only(self, uri: str) -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_ms():d}")
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the file, its log and index opened here
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _busy_ms(self) -> int:
        """SQLite's own wait for a lock, before this class's retries: never past ``lock_wait_s``."""
        return int(min(10.0, self.lock_wait_s) * 1000)

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a failure inside, or of the commit, rolls back every write of the
        block. A disk that is full or fails a write raises :class:`StoreWriteFailed`."""
        self._begin()
        self._search_rows = []
        try:
            yield self._conn
            self._write_search_rows()
            # Read while this connection still holds the write lock: read after COMMIT, it could
            # already count another writer's commit as seen (its own commit never changes it).
            version = self._version()
            self._conn.execute("COMMIT")
        except BaseException as exc:
            self._rolled_back()
            cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
            if isinstance(cause, sqlite3.OperationalError) and _disk_failed(cause):
                raise StoreWriteFailed(self.path, str(cause), _full(cause)) from exc
            raise
        finally:
            self._search_rows = None
        self._data_version = version

    def _write_search_rows(self) -> None:
        """The search index's rows of the articles this transaction stored, in one statement at
        its end. FTS5 writes the rows it holds pending to a new segment of its index at every
        statement savepoint, and the insert into ``articles`` opens one (the table has triggers):
        an article's row written with it went to disk alone, at the next article's insert (a
        segment of one article, then merging those; the stream benchmark's ``article`` stage was
        0.5–0.8 ms an article dearer so). Written last, a transaction's rows make one segment."""
        if self._search_rows:
            self._conn.executemany("INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)",
                                   self._search_rows)

    def _rolled_back(self) -> None:
        """Roll back, and forget what this process learnt of the store inside the transaction."""
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            # SQLite rolls back by itself on some errors (a full disk, an I/O error, out of
            # memory): then there is no transaction left to roll back.
            if self._conn.in_transaction:
                raise
        self._data_version = None
        self._codec.forget()  # a dictionary trained inside is gone
        if self._reuse_index is not None:
            self._reuse_index.clear_cache()
        if self._story_terms is not None:
            self._story_terms.forget()

    def compact(self, room: bool = True) -> Compacted:
        """Give back the pages the store no longer uses and lay each table out in order again
        (SQLite's VACUUM), after merging the search index into one segment; a store made with
        pages smaller than :data:`PAGE_SIZE` gets that size. Migrations that rewrite a table, and
        the reuse index's moves, leave free and part-full pages behind. The passage band keys'
        middle level is merged into the big one, and rows past those a lookup reads are dropped,
        first (:meth:`SqliteReuseIndex.cap_postings`). With ``room`` (for a store that goes on
        taking articles), the tables of :data:`ROOMY_TABLES` are then written again in the order
        a stream adds their rows, which leaves their pages as a stream does (~9% free) instead of
        full; ``room=False`` packs them too, for a store that takes no more.

        Needs the store alone: raises :class:`StoreError`, changing nothing, while another
        connection has it open. Writers that come meanwhile wait (their busy retries), and so
        does a compact for a writer. VACUUM writes a copy of the store and a journal: it needs up to
        twice the store's size in free disk."""
        if self.read_only is not None:
            raise StoreReadOnly(self.path, self.read_only)
        conn = self._conn
        before = self.file_bytes()
        started = time.monotonic()
        # Leaving WAL mode takes the file from every other connection: it fails while one is open.
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if _disk_failed(exc):  # leaving WAL mode first copies the WAL's pages into the file
                raise StoreError(f"{self.path}: cannot compact: "
                                 + ("the disk holding it is full" if _full(exc) else "the disk failed a write")
                                 + f" ({exc}); the store is as it was. Compacting needs free space of about twice "
                                   "the store's size") from exc
            mode = str(exc)
        if mode != "delete":
            conn.execute("PRAGMA journal_mode = WAL")
            raise StoreError(f"{self.path}: another process has the store open (a server, an ingest?); "
                             "compacting needs it alone: stop them and run it again")
        try:  # back in WAL mode however it ends
            try:
                with self.transaction():  # the search index's segments merged into one
                    conn.execute("INSERT INTO article_search (article_search) VALUES ('optimize')")
                    dropped = self.reuse_index().cap_postings()
                    # the recent levels into their indexes, which VACUUM then lays out in order
                    self.reuse_index().move_article_bands()
                    StoryTerms(conn).move()
                page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
                if page_size < PAGE_SIZE:
                    conn.execute(f"PRAGMA page_size = {PAGE_SIZE:d}")
                conn.execute(f"PRAGMA cache_size = {-1024 * min(COMPACT_CACHE_MB, self._cache_mb):d}")
                conn.execute("VACUUM")
            except sqlite3.DatabaseError as exc:
                space = (" Compacting needs free space of about twice the store's size"
                         if isinstance(exc, sqlite3.OperationalError) and _full(exc) else "")
                raise StoreError(f"{self.path}: could not compact the store, which is as it was ({exc}).{space}") \
                    from exc
            try:
                if room:
                    self._leave_room()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: compacted, but could not leave room in its band key and story term "
                                 f"tables, which are as they were, packed ({exc})") from exc
        finally:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA cache_size = {-1024 * self._cache_mb:d}")
        self._data_version = None
        if self._reuse_index is not None:
            self._reuse_index.clear_cache()
        if self._story_terms is not None:
            self._story_terms.forget()
        return Compacted(before, self.file_bytes(), int(conn.execute("PRAGMA page_size").fetchone()[0]),
                         time.monotonic() - started, dropped)

    def _leave_room(self) -> None:
        """Write each table of :data:`ROOMY_TABLES` again, its rows in a stream's order (through a
        temporary table: the freed pages take the rows back, the file grows by the room alone)."""
        conn = self._conn
        # Every row is put back as it was: checking each against its story would only cost time.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction():
                for table, order in ROOMY_TABLES:
                    conn.execute(f"CREATE TEMP TABLE compact_rows AS SELECT * FROM {table}")
                    conn.execute(f"DELETE FROM {table}")
                    conn.execute(f"INSERT INTO {table} SELECT * FROM temp.compact_rows ORDER BY {order}")
                    conn.execute("DROP TABLE temp.compact_rows")
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def file_bytes(self) -> int:
        """The store's bytes on disk, its write-ahead log included."""
        return sum(p.stat().st_size for p in (self.path, self.path.with_name(self.path.name + "-wal")) if p.exists())

    def _begin(self) -> None:
        """BEGIN IMMEDIATE (the write lock), waiting for other writers with backoff."""
        if self.read_only is not None:
            raise StoreReadOnly(self.path, self.read_only)
        deadline = time.monotonic() + self.lock_wait_s
        pause = 0.05
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise StoreError(f"{self.path}: cannot start a write ({exc})") from exc
                if time.monotonic() + pause > deadline:
                    raise StoreError(f"{self.path}: another process has been writing to the store for over "
                                     f"{self.lock_wait_s:.0f} s; try again when it is done") from exc
                time.sleep(pause * (0.5 + random.random()))  # jitter: two waiting writers do not retry in step
                pause = min(pause * 2, 2.0)

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """Whether another connection committed since this one last did (what this process keeps in
        memory of the store is stale then). True when this connection has not written yet."""
        return self._data_version is None or self._version() != self._data_version

    def reuse_index(self) -> SqliteReuseIndex:
        """The reuse stage's index, sharing this store's connection (and so its transactions)."""
        if self._reuse_index is None:
            self._reuse_index = SqliteReuseIndex(self._conn, self._passage_cache, self._band_levels,
                                                 self._band_key_cache, self._cold_passage_cache, self._key_filter,
                                                 self._read_text)
        return self._reuse_index

    def story_index(self) -> SqliteStoryIndex:
        if self._story_terms is None:  # kept across transactions: it holds the changed stories' terms
            self._story_terms = StoryTerms(self._conn, self._recent_story_terms, self._story_term_cache)
        return SqliteStoryIndex(self._conn, self._story_terms)

    def timeline_index(self) -> SqliteTimelineIndex:
        return SqliteTimelineIndex(self._conn)

    def statement_index(self) -> SqliteStatementIndex:
        return SqliteStatementIndex(self._conn)

    def listing(self) -> Listing:
        """Read-only browsing queries (the web UI's story list, story and article pages)."""
        return Listing(self._conn)

    def search(self) -> ArticleSearch:
        """Full-text search over the articles, grouped by story (:mod:`storyline.store.search`)."""
        return ArticleSearch(self._conn, self.listing().story_row)

    def provenance(self, story_id: str) -> Provenance:
        """Who copied whom in a story (:mod:`storyline.store.provenance`)."""
        return story_provenance(self._conn, story_id)

    def size_bytes(self) -> int:
        """The database file and its write-ahead log, as they are on disk now."""
        wal = self.path.with_name(self.path.name + "-wal")
        return sum(p.stat().st_size for p in (self.path, wal) if p.exists())

    # -- writes ------------------------------------------------------------
    def find_existing(self, article_id: str, url: str | None) -> Existing | None:
        """The stored article this one is, by id first, then (when it has one) by URL, compared by
        their keys (:func:`storyline.text.urls.url_key`: one article linked with tracking
        parameters, a fragment or another scheme is one). The same text under another id and URL
        is not this article but a copy of it (:meth:`original_of`)."""
        row = self._conn.execute("SELECT id, content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row:
            return Existing(row[0], "same id", row[1] or "")
        if url:
            row = self._conn.execute("SELECT id, content_hash FROM articles WHERE url_key = ? ORDER BY seq LIMIT 1",
                                     (url_key(url),)).fetchone()
            if row:
                return Existing(row[0], "same URL", row[1] or "")
        return None

    def original_of(self, content_hash: str) -> str | None:
        """The original a new article with this text copies: the first stored article with the
        same text, or the original that one is itself a copy of; ``None`` when the text is new."""
        row = self._conn.execute("SELECT id, duplicate_of FROM articles WHERE content_hash = ? ORDER BY seq LIMIT 1",
                                 (content_hash,)).fetchone()
        return None if row is None else str(row[1] or row[0])

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Insert articles and their passages in one transaction; returns how many were written.

        Callers check :meth:`find_existing` first; an id stored twice is a bug and
        rolls the whole batch back rather than storing half of it.
        """
        count = 0
        with self.transaction():
            for article in articles:
                self.insert_article(article)
                count += 1
        return count

    def insert_article(self, article: Article) -> int:
        """Insert one article and its passages inside the caller's transaction; returns its seq."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn = self._conn
        first_seen = self._seqs_of({p.first_seen.article_id for p in article.passages if p.first_seen}, article.id)
        cursor = conn.execute(
            "INSERT INTO articles (id, content_hash, title, source, url, url_key, published, text, origin,"
            " metadata, ingested_at, story_id, duplicate_of, similarity)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.content_hash, article.title, article.source, article.url,
             url_key(article.url) if article.url else None,
             article.published, self._codec.pack(article.text, self._text_reference(article, first_seen)),
             str(article.origin) if article.origin else None,
             json.dumps(article.metadata, ensure_ascii=False), now, article.story_id,
             article.duplicate_of, article.similarity),
        )
        seq = cursor.lastrowid
        if seq is None:
            raise StoreError(f"{self.path}: the store gave no row id for article {article.id}")
        # The search index's content is a view over the compressed texts: it is given the text here,
        # in its form (text.words.spaced: Han and kana a word a character), when the transaction
        # ends (_write_search_rows), or at once where the caller began the transaction itself.
        search_row = (seq, spaced(article.title) if article.title else article.title, spaced(article.text))
        if self._search_rows is not None:
            self._search_rows.append(search_row)
        else:
            conn.execute("INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)", search_row)
        conn.executemany(
            "INSERT INTO passage_rows (article_seq, idx, start_char, end_char, sentences, status, first_seen_seq,"
            " first_seen_index, score, copied_start, copied_end, first_seen_start, first_seen_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, p.index, p.start, p.end, span_codec.pack_spans((s.start, s.end) for s in p.sentences),
              status_code(p.status), first_seen[p.first_seen.article_id] if p.first_seen else None,
              p.first_seen.index if p.first_seen else None, pack_score(p.score),
              *_span_columns(p.copied), *_span_columns(p.first_seen_span)) for p in article.passages],
        )
        conn.execute("INSERT INTO article_status (article_seq) VALUES (?)", (seq,))
        if self._text_dictionary and seq >= self._text_dictionary and not self._codec.has_dictionary():
            self._train_text_dictionary()
        return seq

    def _text_reference(self, article: Article, first_seen: dict[str, int]) -> tuple[int, bytes | str] | None:
        """The stored article whose text ``article``'s is compressed against (text_codec, format
        3), with that text as stored: the near-duplicate's original, else the article that most of
        its recycled (or boilerplate) characters were first seen in. One whose own text names a
        reference is passed over for the next (a read never chains)."""
        weights: Counter[int] = Counter()
        for p in article.passages:
            if p.first_seen is not None:
                weights[first_seen[p.first_seen.article_id]] += p.end - p.start
        ranked = [seq for seq, _ in weights.most_common(2)]
        if article.duplicate_of is not None:
            row = self._conn.execute("SELECT seq FROM articles WHERE id = ?", (article.duplicate_of,)).fetchone()
            if row is not None:
                ranked.insert(0, int(row[0]))
        for seq in dict.fromkeys(ranked):
            stored = self._conn.execute("SELECT text FROM articles WHERE seq = ?", (seq,)).fetchone()
            if stored is not None and text_codec.text_reference(stored[0]) is None:
                return seq, stored[0]
        return None

    def _seqs_of(self, article_ids: set[str], citing: str) -> dict[str, int]:
        """The seqs of the stored articles ``article_ids`` (first occurrences that the passages of
        ``citing`` name). Raises :class:`StoreError` for one the store does not hold."""
        if not article_ids:
            return {}
        ids = sorted(article_ids)
        found = dict(self._conn.execute(f"SELECT id, seq FROM articles WHERE id IN ({','.join('?' * len(ids))})",
                                        ids).fetchall())
        missing = [i for i in ids if i not in found]
        if missing:
            raise StoreError(f"{self.path}: article {citing} has passages first seen in {missing[0]!r}, which "
                             "the store does not hold")
        return found

    def _train_text_dictionary(self) -> None:
        """Inside the caller's transaction: a dictionary trained on the latest
        ``text_dictionary`` texts, which the texts stored after it are compressed against
        (``store.text_codec``); when zstd finds too little to learn from, tried again at twice
        as many articles."""
        self._codec.forget()  # another writer may have trained one since this connection looked
        if self._codec.has_dictionary():
            return
        texts = [self._read_text(value) or "" for (value,) in self._conn.execute(
            "SELECT text FROM articles ORDER BY seq DESC LIMIT ?", (self._text_dictionary,))]
        if self._codec.train(texts) is None:
            self._text_dictionary *= 2

    # -- reads -------------------------------------------------------------
    _ARTICLE_COLUMNS = ("seq, id, content_hash, title, source, url, published, text, origin, metadata,"
                        " story_id, duplicate_of, similarity")

    def schema_version(self) -> int:
        return current_version(self._conn)

    def count_articles(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def has_article(self, article_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def get_article(self, article_id: str) -> Article:
        row = self._conn.execute(f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()
        if row is None:
            raise NotFoundError("article", article_id, ids_starting(self._conn, "articles", article_id))
        return self._article(row)

    def iter_articles(self, batch: int = 1000) -> Iterator[Article]:
        """Every article in ingest order, read in batches so memory stays flat on big stores."""
        last = 0
        while True:
            rows = self._conn.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._article(row)
            last = rows[-1][0]

    def _article(self, row: tuple) -> Article:
        seq, aid, chash, title, source, url, published, stored, origin, metadata, story, dup, sim = row
        text = self._read_text(stored) or ""
        passages = [
            Passage(index=idx, start=start, end=end, text=text[start:end],
                    sentences=span_codec.unpack_spans(sentences), status=status_of(status),
                    first_seen=PassageRef(fs_article, fs_index) if fs_article is not None else None,
                    score=unpack_score(score), copied=Span(c0, c1) if c0 is not None else None,
                    first_seen_span=Span(f0, f1) if f0 is not None else None)
            for idx, start, end, sentences, status, fs_article, fs_index, score, c0, c1, f0, f1 in self._conn.execute(
                "SELECT p.idx, p.start_char, p.end_char, p.sentences, p.status, f.id, p.first_seen_index,"
                " p.score, p.copied_start, p.copied_end, p.first_seen_start, p.first_seen_end"
                " FROM passage_rows p LEFT JOIN articles f ON f.seq = p.first_seen_seq"
                " WHERE p.article_seq = ? ORDER BY p.idx", (seq,))
        ]
        return Article(id=aid, text=text, passages=passages, title=title, source=source, url=url,
                       published=published, content_hash=chash,
                       origin=SourceRef(origin) if origin else None, metadata=json.loads(metadata),
                       story_id=story, duplicate_of=dup, similarity=sim)




def _span_columns(span: Span | None) -> tuple[int | None, int | None]:
    return (span.start, span.end) if span is not None else (None, None)
