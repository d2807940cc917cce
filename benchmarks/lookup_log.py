"""Every passage band key lookup's candidates in a stream, to compare two versions of the store.

    python benchmarks/lookup_log.py OUT.pickle --articles 3000     # then stream.py's other options
    python benchmarks/lookup_log.py --compare A.pickle B.pickle    # exit 1 when a list differs

runs ``benchmarks/stream.py`` (same arguments) with ``SqliteReuseIndex.passages_candidates``
recording what each passage's lookup returned, in order, and writes the lists to OUT.pickle when the
stream ends. Two runs of the same stream with different store code give equal lists when the
change left every lookup's candidates (their order included) as they were.
"""

from __future__ import annotations

import atexit
import pickle
import runpy
import sys
from pathlib import Path


def record(out: str, stream_args: list[str]) -> None:
    from storyline.store import reuse_index

    looked_up = reuse_index.SqliteReuseIndex.passages_candidates
    log: list[tuple[tuple[int, int], ...]] = []

    def recorded(self, keys, limit, top, min_shared=1):  # type: ignore[no-untyped-def]
        found = looked_up(self, keys, limit, top, min_shared)
        log.extend(tuple(each) for each in found)  # a passage's candidates a row, as before
        return found

    reuse_index.SqliteReuseIndex.passages_candidates = recorded  # type: ignore[method-assign]
    atexit.register(lambda: Path(out).write_bytes(pickle.dumps(log)))
    stream = str(Path(__file__).resolve().with_name("stream.py"))
    sys.argv = [stream, *stream_args]
    runpy.run_path(stream, run_name="__main__")


def compare(a: str, b: str) -> int:
    first, second = pickle.loads(Path(a).read_bytes()), pickle.loads(Path(b).read_bytes())
    differ = sum(x != y for x, y in zip(first, second)) + abs(len(first) - len(second))
    print(f"{len(first):,} and {len(second):,} lookups; {differ:,} with other candidates")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"] and len(sys.argv) == 4:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    record(sys.argv[1], sys.argv[2:])
