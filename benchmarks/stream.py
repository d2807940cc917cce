"""The whole streaming pipeline into a fresh store: articles/s, per-article latency, store size.

    python benchmarks/stream.py --articles 5000 --json

prints one JSON line ``{"articles", "per_s", "p50_ms", "p99_ms", "store_mb", ...}``. Each
article goes through ingest (normalisation, paragraphs, sentences, id, date) and every
stage, and is committed to a new SQLite store, ``--batch`` articles per transaction, as a
feed reader would commit them (1 = each article stored before the next arrives). With
``--workers`` > 1 the stages' featurize runs in that many worker processes while the main
process writes (the engine's default: the cores, at most 4). An article's latency is from
when it was read to when the transaction holding it committed. ``first_p50_ms`` and
``last_p50_ms`` are the median latencies of the first and last tenth of the stream: equal
figures mean the per-article cost does not grow with the store. ``peak_rss_mb`` is the
main process's; ``workers_rss_mb`` samples its child processes' resident size together at
each twentieth: the featurize workers and multiprocessing's resource tracker (~12 MB)
(``peak_workers_rss_mb``: the largest sample, not a true peak). The corpus is made in a child
process and read from a file an article at a time, so it is not in either (``base_rss_mb``:
this process before the store is opened).
With ``--compact``, ``storyline compact`` runs on the finished store (outside the times), as
the command does by default (room left in the band key and story term tables):
``compacted_kb_per_article`` is the whole store's size after it, an article, and ``compact_s``
how long it took; ``peak_rss_mb`` is the stream's peak, read before compaction, which may take
more (``/usr/bin/time -v`` gives the whole process's).
``compiled_checks`` says whether the writer checked passage pairs with the compiled check
(``reuse.compiled_checks``: by default when numba is installed; ``--compiled-checks`` asks for
it, ``--set-checks`` for the set code).
``main_cpu_ms`` and ``workers_cpu_ms`` are the CPU time an article of this process (reading,
resolving and writing) and of the featurize workers together (building the articles from their
records and featurizing them; the first batches are built and featurized in this process while
the workers start): the first is what bounds the rate on two cores, and it moves less than the
wall clock with other load. The articles come as JSON records, as from a JSONL file or the HTTP
API (``Storyline.ingest_records``).
Every twentieth of the stream, a line on stderr says how many are stored, the rate so far,
the median cost of the last twentieth and the main process's and its children's resident size
(a 100k run takes hours on two cores); ``rss_mb`` lists the main process's, so the curve shows
where the caches fill.

Where the writing process's time goes: each stage's wall time in it is clocked around the
runner's calls (a few perf_counter reads an article), batch by batch. ``stages_ms`` gives, for
each twentieth of the stream, the milliseconds an article of: ``reuse.find`` (the reuse stage's
resolve: candidates looked up and checked), ``reuse.index`` (its band keys and signature
written, and its passages remembered for the next articles), ``reuse.moves`` (band keys moved
down a level, in the batch that filled one), ``stories`` (the stories stage's resolve and its
batch's flush), ``timeline``, ``article`` (the article's row), ``commit`` (the rest of the
write: the transaction, the duplicate checks) and ``waiting`` (the writer between two writes:
reading and building articles, and waiting for the featurize workers). ``first_stages_ms`` and
``last_stages_ms`` are the same for the first and last tenth, so a growing last tenth names its
stage; the twentieth's line on stderr names the three dearest.

The corpus is ``benchmarks/corpus.py``'s (PolNeAR sentences, planted copies and recycled
blocks); it needs ``../shared/data/polnear/train/text``. Run it as a script, not with -m.

Going on from a kept store: ``--into STORE`` streams into a copy of it, the articles that
follow the ones it holds (``--after``, default its article count; the corpus is made that far
and the rest skipped). Give ``--stories`` the kept run's (its articles / 250): the corpus's
stories are drawn first, so only then is the corpus the same one continued. The store figures
are then what the streamed articles added. To time the same 1,000 articles into a large and a
small store of one corpus:

    python benchmarks/stream.py --articles 100000 --keep big.db
    python benchmarks/stream.py --articles 10000 --stories 400 --keep small.db
    python benchmarks/stream.py --into big.db --articles 1000 --stories 400 --json
    python benchmarks/stream.py --into small.db --after 100000 --articles 1000 --stories 400 --json

Each run makes its corpus again, the skipped articles too (a million take minutes and ~6 GB).
``--corpus FILE`` makes it once, into FILE (with ``FILE.json`` saying which corpus it is), and
later runs of the same corpus read it; a file of another seed or stories, or too short, is
refused. The corpus made that way is the same, article for article.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from storyline import Storyline
from storyline.engine import ProgressHook
from storyline.settings import IngestSettings, ReuseSettings, Settings


class _Clock(ProgressHook):
    """Each article's cost (the time between two commits over the articles the second one
    stored) and latency (read → committed)."""

    def __init__(self, total: int = 0) -> None:
        self.read_at: dict[str, float] = {}
        self.costs: list[float] = []
        self.latencies: list[float] = []
        self.last = self.started = time.perf_counter()
        self._total = total
        self._next_report = max(total // 20, 1)
        self.rss_mb: list[tuple[int, float]] = []  # (stored, resident MB) at each twentieth
        self.workers_rss_mb: list[tuple[int, float]] = []  # (stored, the child processes' MB together)
        self.stages = _StageClock()
        self.after_batch: list[Callable[[int], None]] = []  # called with the articles committed so far

    def batch_written(self, article_ids: list[str]) -> None:
        now = time.perf_counter()
        self.latencies.extend((now - self.read_at.pop(i)) * 1000 for i in article_ids)
        self.costs.extend([(now - self.last) * 1000 / max(len(article_ids), 1)] * len(article_ids))
        self.stages.batch_written(len(article_ids), now - self.last)
        for call in self.after_batch:
            call(len(self.costs))
        self.last = time.perf_counter()  # what the calls take is no article's cost
        if self._total and len(self.costs) >= self._next_report:
            # A long run says how far it is, on stderr (stdout keeps the one JSON line).
            done, twentieth = len(self.costs), max(self._total // 20, 1)
            recent = statistics.median(self.costs[-twentieth:])
            rss, workers_rss = _current_rss_mb(), _children_rss_mb()
            self.rss_mb.append((done, round(rss, 1)))
            self.workers_rss_mb.append((done, round(workers_rss, 1)))
            dearest = list(self.stages.per_article_ms(done - twentieth, done).items())[:3]
            print(f"  {done:,}/{self._total:,} stored, {done / (now - self.started):.1f}/s, median of the last "
                  f"{twentieth:,} {recent:.1f} ms, resident {rss:,.0f} MB "
                  f"(workers {workers_rss:,.0f} MB); " + ", ".join(f"{k} {v:.1f}" for k, v in dearest),
                  file=sys.stderr, flush=True)
            self._next_report += twentieth


class _StageClock:
    """The writing process's wall time by stage (see the module's docstring), kept batch by batch
    so that any run of batches can be summed: ``batches`` holds (articles, {stage: seconds})."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.batches: list[tuple[int, dict[str, float]]] = []
        self._at_last_batch: dict[str, float] = {}

    def wrap(self, obj: object, name: str, stage: str) -> None:
        real: Callable[..., Any] = getattr(obj, name)
        spent = self.spent
        spent.setdefault(stage, 0.0)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        setattr(obj, name, timed)  # on the instance: the class and other stores are untouched

    def watch(self, sl: Storyline) -> None:
        runner, store = sl.runner, sl.store
        reuse_index = store.reuse_index()  # one a store, kept across its transactions
        for obj, name, stage in [(runner, "write", _WRITE), (runner.reuse, "resolve", "reuse.find"),
                                 (runner.reuse, "index", "reuse.index"), (reuse_index, "remember", "reuse.index"),
                                 (reuse_index, "settle", "reuse.moves"), (runner.stories, "resolve", "stories"),
                                 (runner.stories, "flush", "stories"), (runner.timeline, "resolve", "timeline"),
                                 (store, "insert_article", "article")]:
            self.wrap(obj, name, stage)

    def batch_written(self, articles: int, cost_s: float) -> None:
        """A batch of ``articles`` committed ``cost_s`` after the one before."""
        spent = dict(self.spent)
        delta = {k: v - self._at_last_batch.get(k, 0.0) for k, v in spent.items()}
        self._at_last_batch = spent
        write = delta.pop(_WRITE, 0.0)
        delta["commit"] = max(write - sum(delta.values()), 0.0)
        delta["waiting"] = max(cost_s - write, 0.0)
        self.batches.append((articles, delta))

    def per_article_ms(self, start: int, end: int) -> dict[str, float]:
        """Milliseconds an article by stage over articles ``start``..``end`` (an article costs
        what its batch did, shared evenly), the dearest first."""
        total: dict[str, float] = {}
        counted = done = 0
        for articles, delta in self.batches:
            overlap = min(end, done + articles) - max(start, done)
            if overlap > 0:
                counted += overlap
                for k, v in delta.items():
                    total[k] = total.get(k, 0.0) + v * overlap / articles
            done += articles
        return {k: round(v * 1000 / max(counted, 1), 3) for k, v in sorted(total.items(), key=lambda kv: -kv[1])}


_WRITE = "write"  # the runner's whole write of a batch, which the stages' times are part of


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _current_rss_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere), in the unit of ``peak_rss_mb``
    (ru_maxrss / 1024: MiB), so the samples and the peak compare."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def _children_rss_mb() -> float:
    """The resident memory now of this process's children (the featurize workers and
    multiprocessing's resource tracker; Linux, 0 elsewhere), together, in MiB."""
    total = 0
    try:
        tasks = list(Path("/proc/self/task").iterdir())
    except OSError:
        return 0.0
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in children:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return total * resource.getpagesize() / 2**20


def _parts(n: int, k: int) -> list[tuple[int, int]]:
    """Articles ``0..n`` cut into ``k`` runs of consecutive ones, as even as they go (fewer runs
    when ``n`` < ``k``): (start, end) each."""
    bounds = sorted({n * i // k for i in range(k + 1)})
    return list(zip(bounds, bounds[1:]))


def pending_wal(store: Path) -> bool:
    """Whether ``store``'s write-ahead log holds pages not yet in its main file (which a copy of
    that file alone, as ``--into`` makes, would lack)."""
    wal = store.with_name(store.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def stored_articles(path: Path) -> int:
    """How many articles the store at ``path`` holds (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def run(n: int, seed: int, batch: int, workers: int, keep: Path | None = None, per_day: int = 1000,
        reuse: ReuseSettings | None = None, into: Path | None = None, after: int = 0,
        stories: int | None = None, spliced: bool = False, compact: bool = False,
        corpus_path: Path | None = None,
        on_open: Callable[[Storyline, Callable[[Callable[[int], None]], None]], None] | None = None) -> dict:
    """The benchmark (see the module's docstring). ``on_open(sl, after_batch)``, when given, is
    called with the store once it is open, before the first article; ``after_batch(f)`` has
    ``f(articles committed so far)`` called after each commit (``benchmarks/wal_pages.py``)."""
    ingest_settings = IngestSettings(batch_size=batch, workers=workers)
    clock = _Clock(n)

    with tempfile.TemporaryDirectory(prefix="storyline-stream-") as tmp:
        # The corpus is made in a child process and read back from disk an article at a time,
        # so that this process's memory is the engine's alone. With ``after``, the first
        # ``after`` articles are made (a copy may draw on them) and skipped.
        if corpus_path is not None:  # kept between runs (made there first when missing)
            corpus_file = corpus.kept(corpus_path, after + n, seed, stories, spliced)
        else:
            corpus_file = Path(tmp) / "corpus.jsonl"
            corpus.on_disk(after + n, seed, corpus_file, stories=stories, spliced=spliced)
        if after or corpus_path is not None:
            # The articles streamed cut out here, the skipped ones unparsed, so that neither this
            # process's CPU time nor the first batch's cost counts reading them.
            streamed = Path(tmp) / "streamed.jsonl"
            with corpus_file.open("rb") as whole, streamed.open("wb") as rest:
                for i, line in enumerate(whole):
                    if i >= after + n:
                        break
                    if i >= after:
                        rest.write(line)
            if corpus_path is None:
                corpus_file.unlink()
            corpus_file = streamed
        db = Path(tmp) / "stream.db"
        if into is not None:
            shutil.copy(into, db)  # the given store is never written
        base_rss_mb = _current_rss_mb()  # before the store is opened: imports and interpreter
        text_bytes = 0

        def records() -> Iterator[dict[str, str]]:
            # As a feed reader hands them on: JSON records, built into articles by the engine
            # (in its featurize workers once they run, Runner.build_all).
            nonlocal text_bytes
            for i, item in enumerate(corpus.read_jsonl(corpus_file), start=after):
                text_bytes += len(item.text.encode("utf-8"))
                clock.read_at[item.id] = time.perf_counter()
                yield {"id": item.id, "text": item.text, "published": corpus.published(i, per_day)}

        store_before_mb = sum(p.stat().st_size for p in Path(tmp).glob("stream.db*")) / 1e6
        main_cpu, workers_cpu = _cpu_seconds(resource.RUSAGE_SELF), _cpu_seconds(resource.RUSAGE_CHILDREN)
        with Storyline(db, Settings(ingest=ingest_settings, reuse=reuse or ReuseSettings())) as sl:
            clock.stages.watch(sl)
            if on_open is not None:
                on_open(sl, clock.after_batch.append)
            started = clock.last = time.perf_counter()
            report = sl.ingest_records(records(), "stream", clock)
            seconds = time.perf_counter() - started
            compiled_checks = sl.runner.reuse.compiled
        # After the store is closed: its worker processes have ended, so their time is counted.
        main_cpu = _cpu_seconds(resource.RUSAGE_SELF) - main_cpu
        workers_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN) - workers_cpu
        store_mb = sum(p.stat().st_size for p in Path(tmp).glob("stream.db*")) / 1e6
        # The stream's peak, before compaction's own (a process's peak can only be read whole).
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        compacted, held = None, n
        if compact:  # what `storyline compact` gives back afterwards (not in the times above)
            with Storyline(db, Settings(ingest=ingest_settings, reuse=reuse or ReuseSettings())) as sl:
                compacted = sl.compact()
            held = stored_articles(db)
        if keep is not None:
            shutil.copy(db, keep)
        text_mb = text_bytes / 1e6
    costs = clock.costs
    tenth = max(len(costs) // 10, 1)
    ordered = sorted(costs)
    result = {
        "articles": n,
        "stored": len(report.added),
        "batch": batch,
        "workers": workers,
        "per_day": per_day,
        "per_s": round(n / seconds, 1),
        "p50_ms": round(statistics.median(costs), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "first_p50_ms": round(statistics.median(costs[:tenth]), 2),
        "last_p50_ms": round(statistics.median(costs[-tenth:]), 2),
        "commit_latency_p50_ms": round(statistics.median(clock.latencies), 1),
        "store_mb": round(store_mb, 1),
        "text_mb": round(text_mb, 1),
        "store_kb_per_article": round(store_mb * 1000 / n, 2),
        "main_cpu_ms": round(main_cpu * 1000 / n, 2),
        "workers_cpu_ms": round(workers_cpu * 1000 / n, 2),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "base_rss_mb": round(base_rss_mb, 1),
        "compiled_checks": compiled_checks,
        "rss_mb": clock.rss_mb,
        "workers_rss_mb": clock.workers_rss_mb,
        "peak_workers_rss_mb": max((mb for _, mb in clock.workers_rss_mb), default=0.0),
        "seconds": round(seconds, 1),
        "first_stages_ms": clock.stages.per_article_ms(0, tenth),
        "last_stages_ms": clock.stages.per_article_ms(len(costs) - tenth, len(costs)),
        "stages_ms": [[end, clock.stages.per_article_ms(start, end)]
                      for start, end in _parts(len(costs), 20)],
    }
    if compacted is not None:  # the whole store's, --into's articles before included
        result.update({"compacted_kb_per_article": round(compacted.after_bytes / 1000 / held, 2),
                       "compact_s": round(compacted.seconds, 1)})
    if into is not None:
        # Streamed into a copy of a store: the size figures are what these articles added.
        result.update({"into": str(into), "after": after, "store_before_mb": round(store_before_mb, 1),
                       "store_kb_per_article": round((store_mb - store_before_mb) * 1000 / n, 2)})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="stream length")
    parser.add_argument("--batch", type=int, default=50, help="articles per transaction (1 = one at a time)")
    parser.add_argument("--workers", type=int, default=IngestSettings().workers,
                        help="featurize processes (default: the cores, at most 4; 1 = all in this process)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--per-day", type=int, default=1000,
                        help="articles a day: their dates advance as a feed's do (0: all on one date, the "
                             "worst case for the stories' time window)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="copy the finished store here (to time reads on it, e.g. the story list)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--compact", action="store_true",
                        help="then run `storyline compact` on the store and report its size after "
                             "(compacted_kb_per_article, compact_s; --keep keeps the compacted store)")
    parser.add_argument("--spliced", action="store_true",
                        help="new sentences spliced from halves of two pool sentences, so that unrelated articles "
                             "share no sentence by chance (benchmarks/corpus.py, generate)")
    parser.add_argument("--into", type=Path, default=None,
                        help="stream into a copy of this store (one this benchmark kept) instead of a new one; "
                             "the store itself is not changed")
    parser.add_argument("--after", type=int, default=None,
                        help="skip the corpus's first AFTER articles (made, not streamed), so the stream goes on "
                             "where a kept store's ended (default: 0, or with --into the store's article count)")
    parser.add_argument("--stories", type=int, default=None,
                        help="the corpus's stories (default: one for every 250 articles it makes); give the kept "
                             "store's (its articles / 250) to continue its corpus, or to stream a prefix of a "
                             "longer one")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="read the corpus from this JSONL file, making it there first when missing (with "
                             "FILE.json saying which corpus it is), so that runs of one corpus make it once")
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
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument("--compiled-checks", dest="compiled_checks", action="store_const", const=True, default=None,
                        help="reuse.compiled_checks True: pairs checked by the compiled check (numba must be "
                             "installed; the default uses it when it is)")
    checks.add_argument("--set-checks", dest="compiled_checks", action="store_const", const=False,
                        help="reuse.compiled_checks False: pairs checked by the set code")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.batch < 1 or args.workers < 1:
        parser.error("--articles, --batch and --workers must be at least 1")
    if args.into is not None and not args.into.is_file():
        parser.error(f"--into {args.into}: no such store")
    if args.into is not None and pending_wal(args.into):
        parser.error(f"--into {args.into}: its write-ahead log holds pages a copy of the store would lack; close "
                     "its writer, or checkpoint it (sqlite3 STORE 'PRAGMA wal_checkpoint(TRUNCATE)')")
    after = args.after if args.after is not None else (stored_articles(args.into) if args.into is not None else 0)
    if after < 0 or (args.stories is not None and args.stories < 1):
        parser.error("--after must be at least 0 and --stories at least 1")
    reuse = ReuseSettings(cache_passages=args.cache_passages, cache_cold_passages=args.cache_cold_passages,
                          copies_per_root=args.copies_per_root, candidate_keys=args.candidate_keys,
                          compiled_checks=args.compiled_checks)
    result = corpus.run_and_print(lambda: run(args.articles, args.seed, args.batch, args.workers, args.keep, args.per_day,
                                              reuse, args.into, after, args.stories, args.spliced, args.compact,
                                              args.corpus),
                                      args.json)
    if result is None:
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
