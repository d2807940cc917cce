"""Whether two stores made from the same stream hold the same results, whatever their schema.

    python benchmarks/same_store.py dump STORE.db OUT.pickle   # with the storyline that made STORE.db
    python benchmarks/same_store.py compare A.pickle B.pickle  # exit 1 when they differ

``dump`` reads, through SQL and storyline's own decoders, every article (id, hash, title, date,
text, story, near-duplicate verdict), every passage (offsets, sentences, status, first_seen,
score, copied spans), the stories (with their centroids, but a merged story's), story terms, document frequencies,
the story log, timeline events, signatures (the low 16 bits of each value, as schema 27 keeps
them) and article vectors, and the results of a few searches (two sort orders); wall-clock times (``updated``) are left out. Run it with the PYTHONPATH of the
storyline that made the store: a store of an older schema is read as it is, not migrated. Two
streams of ``benchmarks/stream.py`` (same ``--articles``) give equal dumps when a change to the
store's layout changed no result.
Stores at one schema can be compared table by table, band keys included, with
``benchmarks/compare_stores.py``.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import struct
import sys
from typing import Any

QUERIES = ["president", "said", "election campaign", '"white house"', "trump*", "deny", "zygote",
           '"the president said"']


def _spans(value: Any) -> tuple[tuple[int, int], ...]:
    if isinstance(value, str):
        return tuple((a, b) for a, b in json.loads(value))
    from storyline.store.span_codec import unpack_spans  # schema 17 and later

    return tuple((s.start, s.end) for s in unpack_spans(value))


def _low_bits(signature: bytes) -> tuple[int, ...]:
    """A signature's values cut to 16 bits, as schema 27 keeps them (before it: 32-bit values),
    so that stores from either side of it compare."""
    if len(signature) == 512:
        return tuple(v & 0xFFFF for v in struct.unpack("<128I", signature))
    return struct.unpack(f"<{len(signature) // 2}H", signature)


def _story_terms(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """The term → story index as lookups see it (schema 30: the stories changed since its last
    move by their terms now), so that stores moved at different times compare."""
    from storyline.store.story_terms import index_term_rows

    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    if "story_terms_dirty" in tables:
        return index_term_rows(conn)
    return conn.execute("SELECT term, story_seq FROM story_terms ORDER BY 1, 2").fetchall()


def dump(path: str) -> dict[str, Any]:
    from storyline import Storyline
    from storyline.store import text_codec
    from storyline.store.codec import unpack_weights

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    text_codec.register(conn)
    out: dict[str, Any] = {
        "articles": conn.execute("SELECT seq, id, content_hash, title, published, article_text(text), story_id,"
                                 " duplicate_of, similarity FROM articles ORDER BY seq").fetchall(),
        "passages": [(*r[:4], _spans(r[4]), *r[5:]) for r in conn.execute(
            "SELECT article_seq, idx, start_char, end_char, sentences, status, first_seen_article, first_seen_index,"
            " score, copied_start, copied_end, first_seen_start, first_seen_end FROM passages"
            " ORDER BY article_seq, idx")],
        # A merged story's centroid is left out: nothing reads it, and schema 33 no longer keeps it.
        "stories": [(*r[:7], unpack_weights(r[7]) if r[7] and r[6] is None else None) for r in conn.execute(
            "SELECT seq, id, title, first_published, last_published, articles, merged_into, weights FROM stories"
            " ORDER BY seq")],
        "story_terms": _story_terms(conn),
        "term_df": conn.execute("SELECT term, df FROM term_df ORDER BY 1").fetchall(),
        # the detail parsed: schema 28 writes its JSON compactly (through the view)
        "story_log": [(*r[:4], json.loads(r[4]) if r[4] else None) for r in conn.execute(
            "SELECT story_id, article_id, event, score, detail FROM story_log ORDER BY rowid")],
        "timeline": conn.execute("SELECT * FROM timeline_events ORDER BY article_seq, n").fetchall(),
        "signatures": [(seq, _low_bits(blob)) for seq, blob in
                       conn.execute("SELECT article_seq, signature FROM article_signatures ORDER BY 1")],
        "vectors": [(aid, unpack_weights(w) if w else None) for aid, w in conn.execute(
            "SELECT article_id, weights FROM article_vectors ORDER BY rowid")],
    }
    conn.close()
    with Storyline(path, upgrade=False, create=False) as sl:
        out["search"] = [sl.queries.search(q).as_dict() for q in QUERIES]
        out["search_created"] = [sl.queries.search(q, sort="created").as_dict() for q in ("senate", "vote")]
    return _without_clock(out)


def _without_clock(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_clock(v) for k, v in value.items() if k not in ("updated", "updated_at")}
    if isinstance(value, list):
        return [_without_clock(v) for v in value]
    return value


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("dump", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "dump":
        with open(argv[2], "wb") as f:
            pickle.dump(dump(argv[1]), f)
        return 0
    with open(argv[1], "rb") as fa, open(argv[2], "rb") as fb:
        a, b = pickle.load(fa), pickle.load(fb)
    same = True
    for key in a.keys() | b.keys():
        equal = a.get(key) == b.get(key)
        same &= equal
        print(f"{key:15} {'same' if equal else 'DIFFERENT'} ({len(a.get(key) or ())} rows)")
    print("identical" if same else "different")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
