"""Which tables and indexes a stream's commits write pages of, going on from a kept store.

    python benchmarks/wal_pages.py --into STORE.db --articles 600 --stories 400 --corpus C.jsonl

streams as ``stream.py --into`` does (into a copy: the store is not changed), with the WAL's
automatic checkpoints off, so every page a commit writes stays in the WAL as a frame. After the
first batch (its frames are not counted: the writer's caches are cold), the frame headers of the
next ``--batches`` commits are read, and each page is named by the table or index that holds it
(SQLite's ``dbstat``; a page the store has not placed yet is "(new or free)"). Prints one JSON
line: ``frames_a_batch`` (pages written a commit) and, by name, the frames a batch and the
distinct pages a batch over the commits counted (fewer when a page is written again by a later
commit). A page written once a commit costs its 8 kB whatever the row that changed in it: a
table that takes rows at random places writes a page a row once it outgrows what one batch's
rows share. Run it as a script.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import struct
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stream

from storyline import Storyline

_WAL_HEADER = 32
_FRAME_HEADER = 24


def frame_pages(wal: bytes, page_size: int, start: int = _WAL_HEADER) -> list[int]:
    """The page number of each whole frame of a WAL file's bytes, from offset ``start`` (a frame
    boundary)."""
    frame = _FRAME_HEADER + page_size
    return [struct.unpack_from(">I", wal, at)[0] for at in range(start, len(wal) - frame + 1, frame)]


def by_name(pages: list[int], owner: dict[int, str], batches: int) -> dict[str, tuple[float, float]]:
    """(frames a batch, distinct pages a batch) of each name, the most frames first."""
    frames: Counter[str] = Counter()
    distinct: dict[str, set[int]] = defaultdict(set)
    for page in pages:
        name = owner.get(page, "(new or free)")
        frames[name] += 1
        distinct[name].add(page)
    return {name: (round(n / batches, 1), round(len(distinct[name]) / batches, 1)) for name, n in frames.most_common()}


class _WalCounter:
    def __init__(self, batches: int) -> None:
        self.batches = batches
        self.result: dict | None = None
        self._db: Path | None = None
        self._page_size = 0
        self._start = 0
        self._seen = 0

    def on_open(self, sl: Storyline, after_batch: Callable[[Callable[[int], None]], None]) -> None:
        conn = sl.store._conn  # this benchmark's own instrument, as stage_costs.py's proxy is
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._db = Path(conn.execute("PRAGMA database_list").fetchone()[2])
        self._page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        after_batch(self._after_batch)

    def _after_batch(self, _stored: int) -> None:
        assert self._db is not None
        wal = self._db.with_name(self._db.name + "-wal")
        self._seen += 1
        if self._seen == 1:
            self._start = wal.stat().st_size
        elif self._seen == self.batches + 1:
            pages = frame_pages(wal.read_bytes(), self._page_size, self._start)
            with sqlite3.connect(f"file:{self._db}?mode=ro", uri=True) as conn:
                owner = dict(conn.execute("SELECT pageno, name FROM dbstat"))
            self.result = {"batches": self.batches, "frames_a_batch": round(len(pages) / self.batches, 1),
                           "by_name": by_name(pages, owner, self.batches)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--into", type=Path, required=True, help="a store stream.py kept (copied, not changed)")
    parser.add_argument("--articles", type=int, default=600, help="articles streamed (at least a batch more than "
                                                                  "--batches batches)")
    parser.add_argument("--batches", type=int, default=10, help="commits counted, after the first")
    parser.add_argument("--batch", type=int, default=50, help="articles a commit")
    parser.add_argument("--after", type=int, default=None, help="as stream.py's (default: the store's article count)")
    parser.add_argument("--stories", type=int, default=None, help="as stream.py's: the kept run's")
    parser.add_argument("--corpus", type=Path, default=None, help="as stream.py's")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--workers", type=int, default=2, help="featurize processes, as stream.py's")
    args = parser.parse_args(argv)
    if args.batches < 1 or args.batch < 1 or args.workers < 1:
        parser.error("--batches, --batch and --workers must be at least 1")
    if args.articles < (args.batches + 1) * args.batch:
        parser.error(f"--articles must be at least (--batches + 1) x --batch = {(args.batches + 1) * args.batch}")
    if not args.into.is_file():
        parser.error(f"--into {args.into}: no such store")
    after = args.after if args.after is not None else stream.stored_articles(args.into)
    counter = _WalCounter(args.batches)
    stream.run(args.articles, args.seed, args.batch, args.workers, into=args.into, after=after, stories=args.stories,
               corpus_path=args.corpus, on_open=counter.on_open)
    print(json.dumps(counter.result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
