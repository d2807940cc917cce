"""What FTS5's ``detail`` option would save of the search index, and what it would cost a search.

    python benchmarks/search_index.py STORE.db [--json]

copies STORE.db (a store of schema 15 or later, e.g. from ``python benchmarks/stream.py
--articles 3000 --keep STORE.db``) to a temporary file, builds beside its ``article_search`` an
index over the same content for each ``detail`` setting (``full``: as the store's; ``column``;
``none``), and prints each one's bytes an article (SQLite's ``dbstat``) and the time of the
ranking statement ``storyline.store.search`` runs (every hit's bm25, titles weighing 4) for a
few words. Without word positions (``column``, ``none``) FTS5 finds a hit's term frequencies by
reading its text again and tokenizing it, for bm25, highlight() and snippet(), and refuses
phrase queries ("fts5: phrase queries are not supported (detail!=full)").
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

from storyline.store import text_codec

WORDS = ('"said"', '"president"', '"election" "campaign"')


def measure(store: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        shutil.copyfile(store, path)
        conn = sqlite3.connect(path, isolation_level=None)
        text_codec.register(conn)
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]) or 1
        out: dict[str, object] = {"articles": articles}
        for detail in ("full", "column", "none"):
            name = f"search_{detail}"
            conn.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(title, text, content='article_texts',"
                         f" content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2', detail={detail})")
            conn.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")
            size = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?", (name + "%",)).fetchone()[0]
            timings = {}
            for words in WORDS:
                started, cpu = time.perf_counter(), time.process_time()
                hits = len(conn.execute(f"SELECT rowid, bm25({name}, 4.0, 1.0) FROM {name} WHERE {name} MATCH ?",
                                        (words,)).fetchall())
                timings[words] = {"hits": hits, "ms": round(1000 * (time.perf_counter() - started), 1),
                                  "cpu_ms": round(1000 * (time.process_time() - cpu), 1)}
            out[detail] = {"bytes_per_article": round(size / articles, 1), "ranking": timings}
            conn.execute(f"DROP TABLE {name}")
        conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"no such file: {args.store}")
    out = measure(args.store)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{args.store}: {out['articles']} articles")
    for detail in ("full", "column", "none"):
        row = out[detail]
        assert isinstance(row, dict)
        ranking = ", ".join(f"{w} {t['hits']} hits {t['cpu_ms']} ms" for w, t in row["ranking"].items())
        print(f"detail={detail:7} {row['bytes_per_article']:8.1f} B an article; ranking (CPU): {ranking}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
