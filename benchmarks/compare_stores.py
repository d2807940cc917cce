"""Whether two stores hold the same results: every table, row by row, every column but the
wall-clock ones (when an article was ingested, a story updated, a log line written).

    python benchmarks/stream.py --articles 4000 --keep before.db    # at one commit
    python benchmarks/stream.py --articles 4000 --keep after.db     # at another
    python benchmarks/compare_stores.py before.db after.db

Prints each table with its row counts and ``same`` or ``DIFFERENT``; exits 1 when any table
differs, a table is in one store only, or no table could be compared (a file that is no store).
The search index's view (``article_search``) needs the store's own SQL functions and is
skipped; its data tables are compared. Run it as a script.
Both stores must be at one schema; to compare stores of two schemas by what they mean, use
``benchmarks/same_store.py``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

CLOCK = frozenset({"ingested_at", "updated_at", "at", "created_at"})


def compare(a: sqlite3.Connection, b: sqlite3.Connection) -> dict[str, bool | None]:
    """Table -> whether its rows are the same (None: not readable without the store's functions);
    a table in one store only is not the same."""
    out: dict[str, bool | None] = {}
    in_a, in_b = _tables(a), _tables(b)
    for table in sorted(in_a | in_b):
        if table not in in_a or table not in in_b:
            out[table] = False
            continue
        columns = [r[1] for r in a.execute(f'PRAGMA table_info("{table}")') if r[1] not in CLOCK]
        if not columns:
            continue
        listed = ",".join(f'"{c}"' for c in columns)
        query = f'SELECT {listed} FROM "{table}" ORDER BY {listed}'
        try:
            out[table] = a.execute(query).fetchall() == b.execute(query).fetchall()
        except sqlite3.OperationalError:
            out[table] = None
    return out


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _count(conn: sqlite3.Connection, table: str) -> int | str:
    try:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    except sqlite3.OperationalError:  # not in this store
        return "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    for path in (args.a, args.b):
        if not path.is_file():
            parser.error(f"{path}: no such store")
    # read-only: a path that is no store is not made one
    a, b = (sqlite3.connect(f"file:{path}?mode=ro", uri=True) for path in (args.a, args.b))
    try:
        result = compare(a, b)
    except sqlite3.DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for table, same in result.items():
        count_a, count_b = (_count(conn, table) if same is not None else "-" for conn in (a, b))
        verdict = "skipped" if same is None else "same" if same else "DIFFERENT"
        print(f"{table:28s} {count_a!s:>9} {count_b!s:>9}  {verdict}")
    differs = [t for t, same in result.items() if same is False]
    if differs:
        print("differ: " + ", ".join(differs))
        return 1
    if not any(result.values()):
        print("nothing compared: no table both stores hold could be read")
        return 1
    print("the same (wall-clock columns aside)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
