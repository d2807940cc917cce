"""Article-level near-duplicate detection: storyline's reuse stage against datasketch (and rensa).

Hand-run, not part of the test suite::

    . .venv/bin/activate
    python benchmarks/reuse.py --articles 2000 --json

Generates a news-like corpus with planted near-duplicates and recycled background blocks
(see ``benchmarks/corpus.py``), computes the exact ground truth (every earlier/later pair
with 3-shingle Jaccard ≥ 0.8), then streams the corpus through each system, one fresh
subprocess per system so that peak memory does not mix, and scores what each reported.
``benchmarks/README.md`` explains every figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `corpus` next to this file, not an installed package

import corpus  # noqa: E402

THRESHOLD = 0.8   # storyline's ReuseSettings.near_duplicate and datasketch's LSH threshold
NUM_PERM = 128
BATCH = 256       # articles per featurize call (the streaming engine's batches are of this order)
SCOPE = "article-level near-duplicates"
_WORDS = re.compile(r"\w+")


# -- memory --------------------------------------------------------------------------------
def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def start_memory_window() -> float:
    """Reset the process's peak RSS (Linux ``clear_refs``) and return the current RSS in MB."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass  # not Linux, or not allowed: the peak then covers the whole process
    rss = _status_kb("VmRSS")
    return (rss if rss is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def peak_memory_mb() -> float:
    """Peak RSS since :func:`start_memory_window` (whole process where it could not be reset)."""
    hwm = _status_kb("VmHWM")
    return (hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


# -- inputs shared by the workers --------------------------------------------------------------
def _build_chunk(chunk: list[tuple[str, str]]) -> list:
    """storyline Articles for (id, text) pairs, through the real ingest path (``build_article``)."""
    from storyline.ingest.raw import RawArticle, build_article
    from storyline.records import Article, SourceRef
    from storyline.settings import IngestSettings

    settings = IngestSettings()
    out = []
    for article_id, text in chunk:
        items = list(build_article(RawArticle(origin=SourceRef("bench"), text=text, id=article_id), settings))
        built = [item for item in items if isinstance(item, Article)]
        if len(built) != 1:
            raise RuntimeError(f"build_article did not accept generated article {article_id}: {items}")
        out.append(built[0])
    return out


def build_articles(generated: list[corpus.CorpusArticle], jobs: int) -> list:
    """Normalise and split every article once (ingest is not part of the timed reuse stage)."""
    pairs = [(a.id, a.text) for a in generated]
    chunks = list(corpus.iter_batches(pairs, 500))
    if jobs <= 1 or len(chunks) == 1:
        return [a for chunk in chunks for a in _build_chunk(chunk)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [a for built in pool.map(_build_chunk, chunks) for a in built]


def _load(workdir: Path, name: str):
    with open(workdir / name, "rb") as fh:
        return pickle.load(fh)


# -- the systems (each runs alone in its own subprocess) ----------------------------------------
def shingles_of(text: str) -> list[str]:
    """Word 3-shingles as a datasketch user writes them: lower case, ``\\w+`` words, unique."""
    words = _WORDS.findall(text.lower())
    if len(words) < 3:
        return [" ".join(words)] if words else []
    return list(dict.fromkeys(" ".join(words[k:k + 3]) for k in range(len(words) - 2)))


def _run_stage(workdir: Path, passages: bool) -> dict:
    """The reuse stage with the in-memory index, streaming: featurize a batch, then per article
    find its near-duplicate, remember it, index it. ``passages`` says whether ``featurize``
    also computes the passage features (which article-level detection does not use)."""
    from storyline.reuse.memory_index import MemoryReuseIndex
    from storyline.reuse.stage import ReuseStage
    from storyline.settings import ReuseSettings

    articles = _load(workdir, "articles.pkl")
    gc.collect()
    baseline = start_memory_window()
    start, cpu = time.perf_counter(), time.process_time()
    stage = ReuseStage(ReuseSettings())
    index = MemoryReuseIndex()
    index.check_algorithm(stage.version)
    pairs: list[tuple[str, str]] = []
    featurize_s = 0.0
    seq = 0
    for batch in corpus.iter_batches(articles, BATCH):
        t = time.perf_counter()
        features = stage.featurize(batch, passages=passages)
        featurize_s += time.perf_counter() - t
        for article, f in zip(batch, features):
            duplicate_of, similarity = stage.find_duplicate(f, index)
            if duplicate_of is not None:
                pairs.append((duplicate_of, article.id))
            seq += 1
            index.remember(seq, dataclasses.replace(article, duplicate_of=duplicate_of, similarity=similarity))
            index.add_article(seq, f.signature, f.bands)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "pairs": pairs, "baseline_mb": baseline,
            "peak_mb": peak_memory_mb(), "featurize_s": featurize_s}


def run_storyline(workdir: Path) -> dict:
    """Article-level near-duplicates: ``stage.featurize(batch, passages=False)``, the same job as datasketch's."""
    return _run_stage(workdir, passages=False)


def run_storyline_with_passages(workdir: Path) -> dict:
    """The same loop, with ``featurize`` also computing passage features (what ingest does)."""
    return _run_stage(workdir, passages=True)


def run_storyline_sqlite(workdir: Path, limit: int | None = None) -> dict:
    """The full pipeline into a real store: ``Storyline(db).ingest_articles`` (article + passage level,
    SQLite), over the first ``limit`` articles when given (it is much slower than the rest)."""
    from collections import Counter

    from storyline import Storyline

    articles = _load(workdir, "articles.pkl")[:limit]
    db_dir = Path(tempfile.mkdtemp(dir=workdir))
    gc.collect()
    baseline = start_memory_window()
    start, cpu = time.perf_counter(), time.process_time()
    with Storyline(db_dir / "bench.db") as sl:
        report = sl.ingest_articles(articles)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pairs = [(a.duplicate_of, a.id) for a in articles if a.duplicate_of is not None]
    db_mb = sum(p.stat().st_size for p in db_dir.iterdir()) / 2**20
    statuses = Counter(p.status for a in articles for p in a.passages)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "pairs": pairs, "baseline_mb": baseline,
            "peak_mb": peak_memory_mb(), "articles": len(articles), "added": len(report.added),
            "already_present": len(report.duplicates), "rejected": len(report.rejected), "db_mb": db_mb,
            "passage_statuses": dict(statuses)}


def _run_datasketch(workdir: Path, verify: bool) -> dict:
    from datasketch import MinHash, MinHashLSH

    texts = _load(workdir, "texts.pkl")
    gc.collect()
    baseline = start_memory_window()
    start, cpu = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    kept: dict[int, MinHash] = {}
    pairs: list[tuple[int, int]] = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in shingles_of(text)])
        found = lsh.query(m)
        if verify:
            found = [c for c in found if m.jaccard(kept[c]) >= THRESHOLD]
            kept[i] = m
        pairs.extend((c, i) for c in found)
        lsh.insert(i, m)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "pairs": pairs, "baseline_mb": baseline,
            "peak_mb": peak_memory_mb(), "bands": lsh.b, "rows": lsh.r}


def run_datasketch(workdir: Path) -> dict:
    """MinHash + MinHashLSH(threshold=0.8); every LSH candidate is reported, unverified."""
    return _run_datasketch(workdir, verify=False)


def run_datasketch_verified(workdir: Path) -> dict:
    """As :func:`run_datasketch`, keeping only candidates whose estimated Jaccard is ≥ 0.8."""
    return _run_datasketch(workdir, verify=True)


def run_rensa(workdir: Path) -> dict:
    """rensa's R-MinHash (batch sketching per 256 articles) + RMinHashLSH with storyline's 16 bands,
    candidates kept when the estimated Jaccard is ≥ 0.8 (as its deduplicator does)."""
    from rensa import RMinHash, RMinHashLSH

    texts = _load(workdir, "texts.pkl")
    gc.collect()
    baseline = start_memory_window()
    start, cpu = time.perf_counter(), time.process_time()
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=16)
    kept: list = []
    pairs: list[tuple[int, int]] = []
    candidates: list[tuple[int, int]] = []
    for batch in corpus.iter_batches(texts, BATCH):
        sketches = RMinHash.from_token_sets([shingles_of(t) for t in batch], num_perm=NUM_PERM, seed=42)
        for m in sketches:
            i = len(kept)
            for c in lsh.query(m):
                candidates.append((c, i))
                if m.jaccard(kept[c]) >= THRESHOLD:
                    pairs.append((c, i))
            kept.append(m)
            lsh.insert(i, m)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "pairs": pairs, "candidates": candidates,
            "baseline_mb": baseline, "peak_mb": peak_memory_mb()}


def run_kernel(workdir: Path) -> dict:
    """storyline's kernel alone, per batch of 256: signatures, and the raw word hashes under them."""
    from storyline.reuse.kernel import MinHasher, word_hashes

    texts = _load(workdir, "texts.pkl")
    hasher = MinHasher(NUM_PERM, 3)
    gc.collect()
    baseline = start_memory_window()
    start, cpu = time.perf_counter(), time.process_time()
    for batch in corpus.iter_batches(texts, BATCH):
        hasher.signatures(batch)
    signatures_s, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    for batch in corpus.iter_batches(texts, BATCH):
        word_hashes(batch)
    raw_s = time.perf_counter() - start
    return {"seconds": signatures_s, "cpu_seconds": cpu_seconds, "raw_hash_s": raw_s, "pairs": [],
            "baseline_mb": baseline, "peak_mb": peak_memory_mb()}


SYSTEMS: dict[str, Callable[[Path], dict]] = {
    "storyline": run_storyline,
    "storyline_with_passages": run_storyline_with_passages,
    "storyline_sqlite": run_storyline_sqlite,
    "datasketch": run_datasketch,
    "datasketch_verified": run_datasketch_verified,
    "rensa": run_rensa,
    "kernel": run_kernel,
}


def rensa_available() -> bool:
    try:
        import rensa  # noqa: F401
    except ImportError:
        return False
    return True


def run_worker(system: str, workdir: Path, limit: int | None) -> None:
    """Entry point of the hidden ``--system`` mode: run one system, write its result as JSON."""
    result = SYSTEMS[system](workdir, limit) if system == "storyline_sqlite" else SYSTEMS[system](workdir)
    with open(workdir / f"{system}.json", "w", encoding="utf-8") as fh:
        json.dump(result, fh)


def spawn(system: str, workdir: Path, limit: int | None = None) -> dict:
    """Run one system in a fresh interpreter and read back what it wrote."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--system", system, "--workdir", str(workdir)]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the {system} run failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    with open(workdir / f"{system}.json", encoding="utf-8") as fh:
        return json.load(fh)


# -- scoring -------------------------------------------------------------------------------------
def score_pairs(reported: set[tuple[int, int]], truth: set[tuple[int, int]], n_dup_articles: int) -> dict:
    """Pair recall/precision for a system that reports every (earlier, later) pair it believes in,
    plus article-level recall/precision (a later article counts when one reported pair is true)."""
    correct = reported & truth
    flagged = {j for _, j in reported}
    hit = {j for _, j in correct}
    return {
        "recall": len(correct) / len(truth) if truth else 1.0,
        "precision": len(correct) / len(reported) if reported else 1.0,
        "reported": len(reported),
        "article_recall": len(hit) / n_dup_articles if n_dup_articles else 1.0,
        "article_precision": len(hit) / len(flagged) if flagged else 1.0,
    }


def score_roots(links: dict[int, int], truth: set[tuple[int, int]], n: int, n_dup_articles: int) -> dict:
    """Scores storyline, which reports one link per later article: ``duplicate_of`` = the ROOT original.

    * root(x) = the article x was linked to, or x itself when it was not linked.
    * A reported link (r, j) is correct when (r, j) is a true pair, or when j truly matches some
      earlier i with root(i) = r (a chain: j copies a copy of r). ``precision_strict`` accepts the
      first case only.
    * A true pair (i, j) is found when j was linked to root(i): storyline has put i and j in the
      same cluster under the right original. That is the pair recall.
    """
    root = list(range(n))
    for j, r in links.items():
        root[j] = r
    partners: dict[int, list[int]] = {}
    for i, j in truth:
        partners.setdefault(j, []).append(i)
    correct = strict = 0
    for j, r in links.items():
        if (r, j) in truth:
            strict += 1
            correct += 1
        elif any(root[i] == r for i in partners.get(j, ())):
            correct += 1
    found = sum(1 for i, j in truth if j in links and links[j] == root[i])
    return {
        "recall": found / len(truth) if truth else 1.0,
        "precision": correct / len(links) if links else 1.0,
        "precision_strict": strict / len(links) if links else 1.0,
        "reported": len(links),
        "article_recall": correct / n_dup_articles if n_dup_articles else 1.0,
        "article_precision": correct / len(links) if links else 1.0,
    }


def _links(pairs: list, position: dict[str, int]) -> dict[int, int]:
    return {position[later]: position[root] for root, later in pairs}


# -- the benchmark -------------------------------------------------------------------------------
def storyline_revision() -> str:
    """The checked-out commit, with ``+dirty`` when ``src/`` has uncommitted changes (figures move with it)."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=root, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def run_benchmark(n: int, seed: int, systems: list[str], jobs: int, source: Path,
                  sqlite_articles: int | None = None, repeat: int = 1) -> dict:
    """Generate, build, run every system in its own process, compute the truth, score; one flat dict."""
    wall = time.perf_counter()
    load_start = os.getloadavg()[0]
    generated = corpus.generate(n, seed, source)
    articles = build_articles(generated, jobs)
    texts = [a.text for a in articles]
    setup_s = time.perf_counter() - wall
    position = {a.id: i for i, a in enumerate(articles)}
    out: dict = {"articles": n, "seed": seed, "scope": SCOPE, "threshold": THRESHOLD, "repeat": repeat,
                 "revision": storyline_revision(),
                 "corpus_mb": round(sum(len(t.encode()) for t in texts) / 2**20, 1),
                 "copies": sum(a.kind == "copy" for a in generated),
                 "story_articles": sum(a.kind == "story" for a in generated),
                 "normalisation_changed": sum(a.text != g.text for a, g in zip(articles, generated))}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        workdir = Path(tmp)
        with open(workdir / "articles.pkl", "wb") as fh:
            pickle.dump(articles, fh, protocol=pickle.HIGHEST_PROTOCOL)
        with open(workdir / "texts.pkl", "wb") as fh:
            pickle.dump(texts, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del articles
        gc.collect()
        sqlite_limit = sqlite_articles if sqlite_articles is not None and sqlite_articles < n else None
        # Repeats run in fresh processes, round-robin over the systems so that a burst of other load on
        # the machine does not hit all runs of one system; the fastest run is kept (the others were
        # slowed by something else), with the highest memory peak of all.
        runs: dict[str, list[dict]] = {system: [] for system in systems}
        for _ in range(repeat):
            for system in systems:
                runs[system].append(spawn(system, workdir, sqlite_limit if system == "storyline_sqlite" else None))
        for system, done in runs.items():
            results[system] = min(done, key=lambda r: r["seconds"])
            results[system]["peak_mb"] = max(r["peak_mb"] for r in done)
            # CPU time moves less than wall time with other work on the machine; the least of the runs
            results[system]["cpu_seconds"] = min(r["cpu_seconds"] for r in done)

    t = time.perf_counter()
    truth_scores = corpus.true_pairs(corpus.shingle_sets(texts), THRESHOLD)
    out["ground_truth_s"] = round(time.perf_counter() - t, 2)
    truth = set(truth_scores)
    dup_articles = len({j for _, j in truth})
    out["true_pairs"] = len(truth)
    out["true_duplicate_articles"] = dup_articles

    def per_s(seconds: float, articles: int = n) -> float:
        return round(articles / seconds, 1) if seconds > 0 else float("inf")

    def put(prefix: str, scores: dict) -> None:
        for key, value in scores.items():
            out[f"{prefix}_{key}"] = round(value, 4) if isinstance(value, float) else value

    for system, res in results.items():
        m = res.get("articles", n)  # the SQLite run may cover only the first articles
        out[f"{system}_per_s"] = per_s(res["seconds"], m)
        out[f"{system}_seconds"] = round(res["seconds"], 2)
        out[f"{system}_cpu_s"] = round(res["cpu_seconds"], 2)
        suffix = "" if system == "storyline" else f"_{system}"
        out[f"peak_mb{suffix}"] = round(res["peak_mb"], 1)
        out[f"grow_mb{suffix}"] = round(res["peak_mb"] - res["baseline_mb"], 1)
        if m < n:
            prefix_truth = {(i, j) for i, j in truth if j < m}
            put(system, score_roots(_links(res["pairs"], position), prefix_truth, m,
                                    len({j for _, j in prefix_truth})))
        elif system.startswith("storyline"):
            put(system, score_roots(_links(res["pairs"], position), truth, n, dup_articles))
        elif system != "kernel":
            put(system, score_pairs({tuple(p) for p in res["pairs"]}, truth, dup_articles))
    if "storyline" in results:
        out["storyline_featurize_s"] = round(results["storyline"]["featurize_s"], 2)
    if "storyline_sqlite" in results:
        res = results["storyline_sqlite"]
        m = res["articles"]
        out["storyline_sqlite_articles"] = m
        out["storyline_sqlite_scope"] = "article + passage level, SQLite store (full ingest_articles)"
        out["storyline_sqlite_db_mb"] = round(res["db_mb"], 1)
        out["storyline_sqlite_already_present"] = res["already_present"]
        passages = sum(res["passage_statuses"].values())
        for status, count in sorted(res["passage_statuses"].items()):
            out[f"storyline_sqlite_passages_{status}"] = round(count / passages, 4)
        if "storyline" in results:
            memory = sorted(tuple(p) for p in results["storyline"]["pairs"] if position[p[1]] < m)
            out["storyline_sqlite_same_links"] = sorted(map(tuple, res["pairs"])) == memory
    if "datasketch" in results:
        out["datasketch_bands"] = f"{results['datasketch']['bands']}x{results['datasketch']['rows']}"
    if "rensa" in results:
        put("rensa_candidates", score_pairs({tuple(p) for p in results["rensa"]["candidates"]}, truth, dup_articles))
    if "kernel" in results:
        out["storyline_kernel_per_s"] = out.pop("kernel_per_s")
        out.pop("kernel_seconds")
        out.pop("kernel_cpu_s")
        out["raw_hash_per_s"] = per_s(results["kernel"]["raw_hash_s"])
        for key in ("peak_mb_kernel", "grow_mb_kernel"):
            out.pop(key)
    if "storyline_per_s" in out and "datasketch_per_s" in out:
        out["ratio"] = round(out["storyline_per_s"] / out["datasketch_per_s"], 2)
        out["cpu_ratio"] = round(results["datasketch"]["cpu_seconds"] / results["storyline"]["cpu_seconds"], 2)
    out["setup_s"] = round(setup_s, 2)
    out["cpus"] = os.cpu_count()
    out["loadavg_start"] = round(load_start, 2)
    out["loadavg_end"] = round(os.getloadavg()[0], 2)
    out["seconds"] = round(time.perf_counter() - wall, 2)
    return out


def print_table(result: dict) -> None:
    """The same figures as ``--json``, for a person."""
    print(f"{result['articles']:,} articles ({result['corpus_mb']} MB), seed {result['seed']}: "
          f"{result['copies']:,} planted copies, {result['story_articles']:,} articles sharing a story block")
    print(f"ground truth: {result['true_pairs']:,} pairs with exact 3-shingle Jaccard >= {THRESHOLD} "
          f"({result['true_duplicate_articles']:,} later articles), computed in {result['ground_truth_s']} s")
    print(f"scope: {result['scope']}\n")
    header = f"{'system':<22}{'articles/s':>12}{'recall':>9}{'precision':>11}{'art.recall':>12}{'art.prec.':>11}" \
             f"{'peak MB':>10}{'grow MB':>10}"
    print(header)
    print("-" * len(header))
    for system in SYSTEMS:
        if f"{system}_per_s" not in result:
            continue
        suffix = "" if system == "storyline" else f"_{system}"

        def cell(key: str, width: int, fmt: str = ".3f") -> str:
            value = result.get(key)
            return f"{value:>{width}{fmt}}" if isinstance(value, (int, float)) else f"{'-':>{width}}"
        print(f"{system:<22}{cell(f'{system}_per_s', 12, ',.0f')}{cell(f'{system}_recall', 9)}"
              f"{cell(f'{system}_precision', 11)}{cell(f'{system}_article_recall', 12)}"
              f"{cell(f'{system}_article_precision', 11)}{cell(f'peak_mb{suffix}', 10, '.0f')}"
              f"{cell(f'grow_mb{suffix}', 10, '.0f')}")
    for key, label in (("storyline_kernel_per_s", "storyline kernel (signatures only)"),
                       ("raw_hash_per_s", "raw word hashing only")):
        if key in result:
            print(f"{label:<40}{result[key]:>12,.0f} articles/s")
    if result.get("storyline_sqlite_articles", result["articles"]) < result["articles"]:
        print(f"storyline_sqlite ran on the first {result['storyline_sqlite_articles']:,} articles only "
              "(scored on those)")
    if "ratio" in result:
        print(f"\nstoryline / datasketch throughput: {result['ratio']}x (CPU time: {result['cpu_ratio']}x)")
    print(f"total {result['seconds']} s (setup {result['setup_s']} s), storyline {result['revision']}, "
          f"load average {result['loadavg_start']} -> {result['loadavg_end']} on {result['cpus']} CPUs")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark storyline's article-level near-duplicate detection against datasketch "
                    "(and rensa when installed) on a generated news corpus with exact ground truth.")
    parser.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus RNG seed (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    parser.add_argument("--systems", default=None,
                        help=f"comma-separated subset of {','.join(SYSTEMS)} (default: all; rensa when installed)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes that build the storyline Articles before timing (default: all CPUs)")
    parser.add_argument("--source", type=Path, default=corpus.DEFAULT_SOURCE,
                        help="folder of PolNeAR .txt files the corpus is made from "
                             "(default: ../shared/data/polnear/train/text next to the repository)")
    parser.add_argument("--sqlite-articles", type=int, default=None, metavar="M",
                        help="run the full SQLite pipeline on the first M articles only (it is the slowest; "
                             "its figures are then scored on those M)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each system this many times (fresh processes) and keep the fastest (default 1)")
    parser.add_argument("--system", choices=sorted(SYSTEMS), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < 2:
        parser.error("--articles must be at least 2")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.system:
        run_worker(args.system, args.workdir, args.limit)
        return 0
    if args.systems:
        systems = [s.strip() for s in args.systems.split(",") if s.strip()]
        unknown = [s for s in systems if s not in SYSTEMS]
        if unknown:
            print(f"unknown system(s): {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}", file=sys.stderr)
            return 2
    else:
        systems = [s for s in SYSTEMS if s != "rensa" or rensa_available()]
    try:
        result = run_benchmark(args.articles, args.seed, systems, args.jobs, args.source, args.sqlite_articles,
                               args.repeat)
    except corpus.CorpusSourceMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
