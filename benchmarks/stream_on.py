"""The same articles streamed on into stores of different sizes, alternating: what a writer new to
a large store pays against one new to a small store (issue 15's stream-on target: 1,000 articles
into a 1,000,000-article store within 1.2× of the median of the same 1,000 into a 10,000-article
store).

    python benchmarks/stream_on.py BIG.db SMALL.db [MORE.db ...] --after 1000000 --articles 1000 \\
        --stories 4000 --corpus C.jsonl --rounds 2 --json

Each round streams the corpus's articles ``--after`` to ``--after + --articles`` into a copy of
each store in turn, the first store (the one compared) first, each in a process of its own
(``benchmarks/stream.py --into``: the store itself is never written, and each writer starts with
empty caches, as a new ``storyline ingest`` does). Alternating spreads the machine's drift over
all of them, which a run of one store after the other would put on one. Give the corpus the
stores were made of (``--stories``: their corpus's, e.g. 4000 for the 1M batch job's default), so
that the articles streamed continue it.

Prints each run's figures (``p50_ms``, ``first_p50_ms``, ``last_p50_ms``, ``p99_ms``,
``main_cpu_ms``, ``per_s``) and where its writer's time went in its first and last tenth
(``first_stages_ms``, ``last_stages_ms``: stream.py's stages), and for each other store the
ratio of the first store's median to its median, per round and over the rounds (the median of
the rounds' ratios): ``ratios``; the same of the writer's CPU an article (``cpu_ratios``: it moves
less with other load on the machine than the wall clock does), and of the writer's CPU over the
featurize workers' (``relative_cpu_ratios``: the workers featurize the same articles into every
store, so their CPU an article is the machine's speed at the time, and the quotient takes most of
the machine's drift between runs out). A store
with a write-ahead log holding pages (a writer is open, or one stopped without a checkpoint) is
refused: a copy of its main file alone would lack them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from stream import pending_wal  # noqa: E402
FIGURES = ("p50_ms", "first_p50_ms", "last_p50_ms", "p99_ms", "main_cpu_ms", "workers_cpu_ms", "per_s")
STAGES = ("first_stages_ms", "last_stages_ms")


def stream_into(store: Path, args: list[str]) -> dict:
    """One run of ``benchmarks/stream.py --into store`` in a process of its own: its JSON line."""
    done = subprocess.run([sys.executable, str(HERE / "stream.py"), "--into", str(store), "--json", *args],
                          capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"stream.py --into {store} failed (exit {done.returncode}): "
                           f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no output'}")
    return json.loads(lines[-1])


def compare(stores: list[Path], rounds: int, stream_args: list[str], log=print) -> dict:
    """``rounds`` rounds over ``stores`` in turn; each run's figures and the ratios of the first
    store's median to each other's."""
    runs: dict[str, list[dict]] = {str(s): [] for s in stores}
    for r in range(rounds):
        for store in stores:
            result = stream_into(store, stream_args)
            figures = {k: result[k] for k in FIGURES}
            runs[str(store)].append({**figures, **{k: result[k] for k in STAGES}})
            log(f"round {r + 1}/{rounds}, {store}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    first = runs[str(stores[0])]
    ratios: dict[str, dict] = {key: {} for key in RATIOS}
    for store in stores[1:]:
        for key, figure in RATIOS.items():
            ratios[key][str(store)] = ratio_of(first, runs[str(store)], figure)
    return {"stores": [str(s) for s in stores], "rounds": rounds, "runs": runs, **ratios}


def _relative_cpu(run: dict) -> float | None:
    # None where no worker featurized (--workers 1, or a run too short for them to start)
    return run["main_cpu_ms"] / run["workers_cpu_ms"] if run["workers_cpu_ms"] else None


RATIOS = {"ratios": lambda run: run["p50_ms"], "cpu_ratios": lambda run: run["main_cpu_ms"],
          "relative_cpu_ratios": _relative_cpu}


def ratio_of(firsts: list[dict], others: list[dict], figure) -> dict | None:
    """``figure`` of each of the first store's runs over the other store's run of the same round,
    and their median; ``None`` when a run lacks the figure."""
    pairs = [(figure(a), figure(b)) for a, b in zip(firsts, others)]
    if any(a is None or not b for a, b in pairs):
        return None
    each = [round(a / b, 3) for a, b in pairs]
    return {"rounds": each, "median": round(statistics.median(each), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", type=Path, nargs="+", help="the store compared, then the stores it is compared with")
    parser.add_argument("--after", type=int, required=True,
                        help="the corpus's articles skipped: the first one streamed is this one (e.g. the large "
                             "store's article count)")
    parser.add_argument("--articles", type=int, default=1000, help="articles streamed into each")
    parser.add_argument("--stories", type=int, default=None, help="the corpus's stories (stream.py --stories)")
    parser.add_argument("--corpus", type=Path, default=None, help="the corpus file (stream.py --corpus)")
    parser.add_argument("--rounds", type=int, default=2, help="runs into each store, alternating")
    parser.add_argument("--workers", type=int, default=None, help="featurize processes (stream.py --workers)")
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    args = parser.parse_args(argv)
    if len(args.stores) < 2:
        parser.error("give the store compared and at least one store to compare it with")
    if args.rounds < 1 or args.articles < 1 or args.after < 0:
        parser.error("--rounds and --articles must be at least 1, --after at least 0")
    for store in args.stores:
        if not store.is_file():
            parser.error(f"{store}: no such store")
        if pending_wal(store):
            parser.error(f"{store}: its write-ahead log holds pages a copy of the store would lack; close "
                         "its writer, or checkpoint it (sqlite3 STORE 'PRAGMA wal_checkpoint(TRUNCATE)')")
    stream_args = ["--after", str(args.after), "--articles", str(args.articles)]
    for flag, value in (("--stories", args.stories), ("--corpus", args.corpus), ("--workers", args.workers)):
        if value is not None:
            stream_args += [flag, str(value)]
    try:
        result = compare(args.stores, args.rounds, stream_args, log=lambda line: print(line, file=sys.stderr))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        for store, ratio in result["ratios"].items():
            cpu, relative = result["cpu_ratios"][store], result["relative_cpu_ratios"][store]
            print(f"{args.stores[0]} / {store}: median {ratio['median']} (rounds: {ratio['rounds']}); "
                  f"the writer's CPU {cpu['median']} (rounds: {cpu['rounds']})"
                  + (f"; over the workers' {relative['median']} (rounds: {relative['rounds']})" if relative else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
