"""Where a store's bytes go: each table with its indexes, in bytes an article.

    python benchmarks/store_size.py STORE.db [--json]

reads SQLite's ``dbstat`` virtual table (the pages each table and index takes, and the bytes of
payload in them) and prints one line a table, biggest first: its pages' bytes an article, the
payload an article (what the rows hold; the rest is page headers, cell pointers and free space
in half-filled pages) and its rows an article where it has a rowid or is WITHOUT ROWID. An FTS5
index's shadow tables (``article_search_data``, ...) are counted under the index's name. The
articles' text alone is one more line (``articles.text``): the raw text an article, which the
store size target is measured against. Store a copy of a stream's store with
``python benchmarks/stream.py --articles 3000 --keep STORE.db``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path


def breakdown(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]) or 1
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        owner = {name: (tbl or name) for name, tbl in conn.execute("SELECT name, tbl_name FROM sqlite_schema")}
        virtual = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
        pages: dict[str, int] = defaultdict(int)
        payload: dict[str, int] = defaultdict(int)
        for name, n_pages, n_payload in conn.execute(
                "SELECT name, sum(pgsize), sum(payload) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            for v in virtual:  # an FTS5 index's shadow tables: article_search_data, _idx, ...
                if table.startswith(v + "_"):
                    table = v
            pages[table] += int(n_pages)
            payload[table] += int(n_payload)
        text = _text_bytes(conn)
        total = sum(pages.values())
    finally:
        conn.close()
    tables = sorted(pages, key=lambda t: -pages[t])
    return {
        "articles": articles,
        "page_size": page_size,
        "file_bytes_per_article": round(path.stat().st_size / articles, 1),
        "pages_bytes_per_article": round(total / articles, 1),
        "text_bytes_per_article": round(text / articles, 1),
        "target_bytes_per_article": round(1.5 * text / articles + 2048, 1),
        "tables": {t: {"bytes": round(pages[t] / articles, 1), "payload": round(payload[t] / articles, 1)}
                   for t in tables},
    }


def _text_bytes(conn: sqlite3.Connection) -> int:
    """The raw text's UTF-8 bytes, however the store holds it."""
    try:
        from storyline.store.text_codec import stored_text_bytes
    except ImportError:  # a store of a version that keeps the text as it is
        return int(conn.execute("SELECT sum(length(CAST(text AS BLOB))) FROM articles").fetchone()[0] or 0)
    return stored_text_bytes(conn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"no such file: {args.store}")
    out = breakdown(args.store)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{args.store}: {out['articles']} articles, {out['page_size']}-byte pages")
    print(f"file {out['file_bytes_per_article']} B an article (pages {out['pages_bytes_per_article']}); "
          f"text {out['text_bytes_per_article']} B, target (1.5x text + 2 kB) {out['target_bytes_per_article']} B")
    print(f"{'table (with its indexes)':36} {'B/article':>10} {'payload':>10}")
    for table, sizes in out["tables"].items():  # type: ignore[attr-defined]
        print(f"{table:36} {sizes['bytes']:10.1f} {sizes['payload']:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
