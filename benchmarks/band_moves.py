"""What the passage band keys' level moves cost on a kept store, and on a larger store's.

    python benchmarks/band_moves.py STORE.db [--rows 200000] [--fills 0,0.5,1] [--moves 2] [--json]

Band keys gather in the recent level and move into the middle one every ``reuse.recent_bands``
rows (200,000: ~1,700 articles of the stream benchmark at 100,000, ~117 rows an article); the middle level moves into the big one
once it holds a tenth of it (``store.reuse_index``). At a million articles the middle level may
hold ~17 million rows before it moves, against 2 million at 100,000. This measures, on a copy of
STORE (never STORE itself):

- a move of ``--rows`` new rows into the middle level as STORE holds it, then with a share of the
  big level's keys copied into it first (``--fills``: 0.5 copies half of them, 1 all), which
  stands for the larger middle level of a larger store;
- then the middle level, as the last fill left it, moved into the big one.

Each move is the writer's own (``SqliteReuseIndex.settle``), inside a transaction, with the
store's pragmas; the rows moved are random keys of new articles (as many rows an article as
STORE holds on average), so each lands at a random place of the level. Printed: wall and CPU
seconds a move and its checkpoint, and what a move costs an article of the stream (a move's
seconds over the articles whose rows it moves). Make STORE with ``python benchmarks/stream.py --articles
100000 --keep STORE.db``; the copy needs as much free disk again.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from storyline.store.reuse_index import BIG_ROWS_KEY, MID_ROWS_KEY, BandLevels, SqliteReuseIndex, pack_log

NEVER = 1 << 62


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    # As the store opens its file (store.sqlite): the moves' cost depends on them.
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -131072", "wal_autocheckpoint = 10000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _keys(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _rows_an_article(conn: sqlite3.Connection, articles: int) -> float:
    """The band rows an article adds to the levels now: the recent level's rows over its articles
    (a key already holding its ``reuse.passage_postings`` rows takes no more, so a large store's
    articles add fewer than a small one's did); the store's average where that level is empty."""
    rows, logged = conn.execute(
        "SELECT coalesce(sum(length(rows)), 0) / 12, count(*) FROM passage_bands_log").fetchone()
    if logged:
        return int(rows) / int(logged)
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (BIG_ROWS_KEY, MID_ROWS_KEY)))
    return (int(meta.get(BIG_ROWS_KEY, 0)) + int(meta.get(MID_ROWS_KEY, 0))) / max(1, articles)


def _timed(conn: sqlite3.Connection, index: SqliteReuseIndex, per_article: float,
           into_big: bool = False) -> dict[str, float | int]:
    """One settle of ``index``, timed. Its cost an article is over the articles whose rows it
    carries: the recent level's, and for a move into the big level the middle level's too (a
    move the stream makes once the middle level has gathered them)."""
    rows = int(conn.execute("SELECT coalesce(sum(length(rows)), 0) / 12 FROM passage_bands_log").fetchone()[0])
    if into_big:  # 4 bytes a posting (postings format 1)
        rows += int(conn.execute("SELECT coalesce(sum(length(postings)), 0) / 4 FROM passage_postings_mid").fetchone()[0])
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    moved = index.settle()
    conn.execute("COMMIT")
    wall2, cpu2 = time.perf_counter(), time.process_time()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if not moved:
        raise SystemExit("the index moved nothing: is --rows below the rows given it?")
    return {"rows_moved": rows, "seconds": round(wall2 - wall, 3), "cpu_seconds": round(cpu2 - cpu, 3),
            "checkpoint_seconds": round(time.perf_counter() - wall2, 3),
            "ms_an_article": round(1000 * (wall2 - wall) / (rows / per_article), 2)}


def _log(conn: sqlite3.Connection, rows: int, per_article: int, first_seq: int, rng: np.random.Generator) -> int:
    """``rows`` new rows in the recent level, ``per_article`` an article from ``first_seq``;
    returns the next article's seq."""
    seq = first_seq
    conn.execute("BEGIN")
    for start in range(0, rows, per_article):
        n = min(per_article, rows - start)
        keys = rng.integers(0, 1 << 40, n, dtype=np.uint64)
        conn.execute("INSERT INTO passage_bands_log (article_seq, rows) VALUES (?, ?)",
                     (seq, pack_log(keys, rng.integers(0, 14, n).astype(np.uint32))))
        seq += 1
    conn.execute("COMMIT")
    return seq


def _fill(conn: sqlite3.Connection, low: float, high: float) -> None:
    """Copy the big level's keys whose last byte lies in the shares ``low``..``high`` of its
    range into the middle level (keys copied by an earlier fill are not copied again)."""
    lo, hi = int(256 * low), min(256, int(256 * high))
    if hi <= lo:
        return
    conn.execute("BEGIN")
    conn.execute("INSERT INTO passage_postings_mid (key, postings) SELECT key, postings FROM passage_postings"
                 " WHERE (instr('0123456789ABCDEF', substr(hex(key), 9, 1)) - 1) * 16"
                 " + instr('0123456789ABCDEF', substr(hex(key), 10, 1)) - 1 BETWEEN ? AND ? ORDER BY key"
                 " ON CONFLICT (key) DO UPDATE SET postings = CAST(postings || excluded.postings AS BLOB)",
                 (lo, hi - 1))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run(store: Path, rows: int, fills: list[float], moves: int, work: Path | None) -> dict[str, object]:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory(dir=work or store.parent) as tmp:
        copy = Path(tmp) / "moves.db"
        shutil.copy(store, copy)
        wal = store.with_name(store.name + "-wal")
        if wal.is_file() and wal.stat().st_size:  # rows a writer committed but not checkpointed
            shutil.copy(wal, copy.with_name(copy.name + "-wal"))
        conn = _connect(copy)
        articles = _keys(conn, "articles")
        seq = int(conn.execute("SELECT max(seq) FROM articles").fetchone()[0] or 0) + 1
        per_article = _rows_an_article(conn, articles)
        if per_article < 1:
            raise SystemExit(f"{store}: its articles left no passage band keys to measure by")
        whole = max(1, round(per_article))
        out: dict[str, object] = {"store": str(store), "articles": articles, "rows": rows,
                                  "rows_an_article": round(per_article, 1),
                                  "articles_a_move": round(rows / per_article, 1), "big_keys": _keys(conn, "passage_postings")}
        # recent -> middle only: the middle level never reaches its bound here
        into_mid = SqliteReuseIndex(conn, levels=BandLevels(recent=rows, mid=NEVER, ratio=1), filter_limit=0)
        results = []
        filled = 0.0
        for share in fills:
            _fill(conn, filled, share)
            filled = max(filled, share)
            mid = _keys(conn, "passage_postings_mid")
            for _ in range(moves):
                seq = _log(conn, rows, whole, seq, rng)
                into_mid.refresh()
                timed = _timed(conn, into_mid, per_article)
                results.append({"fill": share, "mid_keys_before": mid, **timed})
                print(f"into the middle level ({mid:,} keys): {timed}", file=sys.stderr, flush=True)
                mid = _keys(conn, "passage_postings_mid")
        out["into_mid"] = results
        # middle -> big: a bound of 0 moves it at the next settle
        mid = _keys(conn, "passage_postings_mid")
        seq = _log(conn, rows, whole, seq, rng)
        into_big = SqliteReuseIndex(conn, levels=BandLevels(recent=rows, mid=0, ratio=NEVER), filter_limit=0)
        timed = _timed(conn, into_big, per_article, into_big=True)
        out["into_big"] = {"mid_keys_before": mid, **timed}
        print(f"the middle level ({mid:,} keys) into the big one, with a move into the middle first: {timed}",
              file=sys.stderr, flush=True)
        conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--rows", type=int, default=200_000, help="rows a move (reuse.recent_bands)")
    parser.add_argument("--fills", default="0,0.5,1", help="shares of the big level's keys copied into the middle")
    parser.add_argument("--moves", type=int, default=2, help="moves timed at each fill")
    parser.add_argument("--work", type=Path, help="folder for the copy (default: STORE's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"{args.store}: no such store")
    fills = sorted(float(f) for f in args.fills.split(","))
    if any(not 0 <= f <= 1 for f in fills):
        parser.error("--fills: shares from 0 to 1")
    out = run(args.store, args.rows, fills, args.moves, args.work)
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
