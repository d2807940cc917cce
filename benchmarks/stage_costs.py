"""Where an article's time goes, early and late in a stream: CPU time per stage and wall time
per SQL statement, for the first and the last ``--tail`` articles of ``--articles``.

    python benchmarks/stage_costs.py --articles 10000 --tail 1000

Everything runs in this process (no featurize workers), a commit per ``--batch`` articles,
on the stream benchmark's corpus (``benchmarks/corpus.py``). Stages are timed by wrapping the
runner's methods (``time.process_time``); SQL statements by a proxy over the store's
connection, for the last articles only (the proxy slows the run a little). Prints one JSON
line: ``{"articles", "first_ms", "last_ms", "first_stages", "last_stages", "first_checks",
"last_checks", "last_sql"}``, each figure in milliseconds an article (the checks: passage pairs
the reuse stage checked, an article), the ``last_sql`` statements (their first 90 characters)
with how often they ran an article, the costliest first. Among the stages, ``reuse.candidates``,
``reuse.checks`` and ``reuse.spans`` are parts of ``reuse.resolve`` (finding each passage's
candidates, checking them, and locating the copied characters of each recycled passage), so
they are counted in it too. Run it as a script.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from storyline import Storyline
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, ReuseSettings, Settings


class _TimedConnection:
    """Times each statement of a sqlite3 connection (SELECT and PRAGMA rows are fetched here)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

    def _note(self, sql: str, started: float) -> None:
        entry = self.stats[re.sub(r"\s+", " ", sql)[:90]]
        entry[0] += 1
        entry[1] += time.perf_counter() - started

    def execute(self, sql: str, *args: Any) -> Any:
        started = time.perf_counter()
        cursor = self._conn.execute(sql, *args)
        rows = cursor.fetchall() if sql.lstrip().upper().startswith(("SELECT", "PRAGMA")) else []
        self._note(sql, started)
        return _Rows(rows, cursor)

    def executemany(self, sql: str, rows: Any) -> Any:
        started = time.perf_counter()
        cursor = self._conn.executemany(sql, rows)
        self._note("MANY " + sql, started)
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class _Rows:
    def __init__(self, rows: list, cursor: Any) -> None:
        self._rows, self.lastrowid, self.rowcount = rows, cursor.lastrowid, cursor.rowcount

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list:
        return self._rows

    def __iter__(self) -> Any:
        return iter(self._rows)


class _StageClock:
    """CPU time of the wrapped methods, into whichever counter is current."""

    def __init__(self) -> None:
        self.current: Counter[str] = Counter()

    def wrap(self, obj: object, name: str, key: str) -> None:
        real: Callable[..., Any] = getattr(obj, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                self.current[key] += time.process_time() - started

        setattr(obj, name, timed)


class _Calls:
    """Counts the calls of one method of an object."""

    def __init__(self, obj: object, name: str) -> None:
        self.count = 0
        real: Callable[..., Any] = getattr(obj, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        setattr(obj, name, counted)

    def reset(self) -> int:
        """The calls since the last reset."""
        count, self.count = self.count, 0
        return count


def _per_article(costs: Counter[str], n: int) -> dict[str, float]:
    return {k: round(v * 1000 / n, 2) for k, v in costs.most_common()}


def run(n: int, tail: int, batch: int, seed: int, per_day: int = 1000, reuse: ReuseSettings | None = None) -> dict:
    settings = IngestSettings(batch_size=batch, workers=1)
    articles = [a for i, item in enumerate(corpus.generate(n, seed=seed))
                for a in build_article(RawArticle(origin=SourceRef("stream"), text=item.text, id=item.id,
                                                  published=corpus.published(i, per_day)), settings)
                if isinstance(a, Article)]
    clock = _StageClock()
    with tempfile.TemporaryDirectory(prefix="storyline-costs-") as tmp, \
            Storyline(Path(tmp) / "costs.db", Settings(ingest=settings, reuse=reuse or ReuseSettings())) as sl:
        r = sl.runner
        for obj, name, key in [(r, "featurize", "featurize"), (r.reuse, "resolve", "reuse.resolve"),
                               (r.reuse, "index", "reuse.index"), (r.stories, "resolve", "stories.resolve"),
                               (r.stories, "flush", "stories.flush"), (r.timeline, "resolve", "timeline.resolve"),
                               (sl.store, "insert_article", "insert_article"), (r, "write", "write (all)"),
                               # parts of reuse.resolve (inside its time): finding candidates,
                               # checking them, and the copied spans of each recycled passage
                               (r.reuse, "_candidates", "reuse.candidates"), (r.reuse, "_checked", "reuse.checks"),
                               (r.reuse, "_spans", "reuse.spans")]:
            clock.wrap(obj, name, key)
        # passage pairs the reuse stage checked (``_checked``: ``_match`` is the set code's alone,
        # and the compiled check, the default where numba is installed, never calls it)
        checks = _Calls(r.reuse, "_checked")
        first = clock.current
        started = time.process_time()
        sl.ingest_articles(articles[:tail])
        first_ms = (time.process_time() - started) * 1000 / tail
        first_checks = checks.reset()
        clock.current = Counter()  # the middle of the stream is not reported
        sl.ingest_articles(articles[tail:n - tail])
        # the proxy is this benchmark's own instrument: it reaches into the store's connection
        timed = _TimedConnection(sl.store._conn)
        sl.store._conn = timed  # type: ignore[assignment]
        sl.store.reuse_index()._conn = timed  # type: ignore[assignment]
        last = clock.current = Counter()
        checks.reset()
        started = time.process_time()
        sl.ingest_articles(articles[n - tail:])
        last_ms = (time.process_time() - started) * 1000 / tail
        last_checks = checks.reset()
    sql = sorted(timed.stats.items(), key=lambda kv: -kv[1][1])[:15]
    return {"articles": n, "tail": tail, "per_day": per_day, "first_ms": round(first_ms, 2), "last_ms": round(last_ms, 2),
            "first_stages": _per_article(first, tail), "last_stages": _per_article(last, tail),
            "first_checks": round(first_checks / tail, 1), "last_checks": round(last_checks / tail, 1),
            "last_sql": [{"sql": q, "per_article": round(c / tail, 1), "ms": round(t * 1000 / tail, 2)}
                         for q, (c, t) in sql]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="stream length")
    parser.add_argument("--tail", type=int, default=1000, help="articles timed at the start and at the end")
    parser.add_argument("--batch", type=int, default=50, help="articles per transaction")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--per-day", type=int, default=1000,
                        help="articles a day: their dates advance as a feed's do (0: all on one date, the "
                             "worst case for the stories' time window)")
    defaults = ReuseSettings()
    parser.add_argument("--cache-passages", type=int, default=defaults.cache_passages,
                        help="reuse.cache_passages: stored passages kept ready to check")
    parser.add_argument("--cache-cold-passages", type=int, default=defaults.cache_cold_passages,
                        help="reuse.cache_cold_passages: more kept without their key sets (0: none)")
    parser.add_argument("--candidate-keys", type=int, default=defaults.candidate_keys,
                        help="reuse.candidate_keys: band keys a candidate shares to be checked when any shares as many")
    parser.add_argument("--copies-per-root", type=int, default=defaults.copies_per_root,
                        help="reuse.copies_per_root: a long passage's matched copies of one first occurrence "
                             "after which its other candidates leading there are not checked (0: no bound)")
    args = parser.parse_args(argv)
    if args.tail < 1 or args.articles < 2 * args.tail or args.batch < 1:
        parser.error("--tail and --batch must be at least 1, --articles at least twice --tail")
    result = corpus.run_and_print(lambda: run(args.articles, args.tail, args.batch, args.seed, args.per_day, ReuseSettings(
        cache_passages=args.cache_passages, cache_cold_passages=args.cache_cold_passages,
        copies_per_root=args.copies_per_root, candidate_keys=args.candidate_keys)), True)
    if result is None:
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
