"""A served store takes writes: ``storyline serve`` (analysis on) while a CLI ingest and HTTP posts
write to the same store at once.

    python benchmarks/concurrent_writes.py --articles 5000 --json

makes a fresh store, starts ``storyline serve`` over it (statements analysed in the background,
a token, a free port on 127.0.0.1), starts ``storyline ingest`` of ``--articles`` generated
articles (written to a JSONL file first; the CLI's default batch size and workers), and as soon
as the ingest has committed its first batch sends ``--posts`` ``POST /api/articles`` requests at
once (one thread each), every one with ``--post-size`` new articles. When the ingest and every
request are done it counts what the store holds and prints one JSON line ``{"cli_articles",
"posted_articles", "expected", "stored", "missing", "http_5xx", "http_other", "locked_errors",
"tracebacks", "cli_exit", "cli_seconds", "post_p50_ms", "post_max_ms", "seconds", ...}``.
``locked_errors`` counts "database is locked" in the ingest's output, the server's log and the
responses; ``tracebacks`` the tracebacks in the ingest's output and the server's log.
``analysed`` is how many articles the background analyser had read for statements by then (it
goes on after the writes; ``--wait-analysis S`` waits up to S seconds for it to finish).

The corpus is ``benchmarks/corpus.py``'s (it needs ``../shared/data/polnear/train/text``). The
processes run this checkout's code (``src/`` first on their ``PYTHONPATH``). Run it as a
script, not with -m. (It is not called ``concurrent.py``: a script's folder comes first on
``sys.path``, and a file of that name would shadow the standard library's ``concurrent`` package.)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

from storyline import Storyline


def _load_corpus():  # benchmarks/corpus.py, next to this file
    spec = importlib.util.spec_from_file_location("corpus", Path(__file__).resolve().parent / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules["corpus"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()

TOKEN = "benchmark-token-of-32-characters"
SRC = Path(__file__).resolve().parent.parent / "src"
LOCKED = re.compile(r"database is locked", re.IGNORECASE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(db: Path, where: str = "1", table: str = "articles") -> int:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _records(n: int, posts: int, post_size: int, seed: int) -> tuple[list[dict], list[list[dict]]]:
    """``n`` articles for the CLI and ``posts`` batches of ``post_size`` for the requests, all of distinct content."""
    made, texts = [], set()
    for i, item in enumerate(corpus.generate(n + posts * post_size + 50, seed=seed)):
        if item.text in texts:
            continue
        texts.add(item.text)
        made.append({"id": item.id, "title": item.text.split(". ", 1)[0][:80], "text": item.text,
                     "published": f"2024-{1 + (i // 600) % 12:02d}-{1 + (i // 20) % 28:02d}",
                     "source": f"outlet{i % 40}"})
    cli, rest = made[:n], made[n:]
    return cli, [rest[k * post_size:(k + 1) * post_size] for k in range(posts)]


def run(n: int, posts: int, post_size: int, seed: int, wait_analysis: float) -> dict:
    cli, batches = _records(n, posts, post_size, seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory(prefix="storyline-concurrent-") as tmp_name:
        tmp = Path(tmp_name)
        db, src = tmp / "served.db", tmp / "cli.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in cli), encoding="utf-8")
        Storyline(db).close()  # serve wants a store that exists
        port = _free_port()
        server_log = (tmp / "serve.log").open("w")
        # the token from the environment, as the README says to pass it (a --token shows in ps)
        server = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)],
                                  stdout=server_log, stderr=subprocess.STDOUT, env={**env, "STORYLINE_TOKEN": TOKEN})
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"storyline serve exited: {(tmp / 'serve.log').read_text()[-2000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("storyline serve did not listen within 60 s") from None
                    time.sleep(0.2)
            results = _write_at_once(db, src, env, tmp, port, batches)
            analysed_deadline = time.monotonic() + wait_analysis
            while _count(db, "statements IS NULL", "article_status") and time.monotonic() < analysed_deadline:
                time.sleep(2)
            analysed = _count(db, "statements IS NOT NULL", "article_status")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            server_log.close()
        log = (tmp / "serve.log").read_text(errors="replace")
        expected = {r["id"] for r in cli} | {r["id"] for batch in batches for r in batch}
        with closing(sqlite3.connect(db)) as conn:
            stored = [r[0] for r in conn.execute("SELECT id FROM articles")]
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        store_mb = sum(p.stat().st_size for p in tmp.glob("served.db*")) / 1e6
    codes = [code for code, _, _ in results["responses"]]
    bodies = "".join(body for _, body, _ in results["responses"])
    latencies = [ms for _, _, ms in results["responses"]]
    return {
        "cli_articles": len(cli),
        "posted_articles": sum(len(b) for b in batches),
        "posts": len(batches),
        "expected": len(expected),
        "stored": len(stored),
        "missing": len(expected - set(stored)),
        "stored_twice": len(stored) - len(set(stored)),
        "http_5xx": sum(code >= 500 for code in codes),
        "http_other": sum(code != 200 and code < 500 for code in codes),
        "locked_errors": len(LOCKED.findall(results["cli_output"] + log + bodies)),
        "tracebacks": (results["cli_output"] + log).count("Traceback"),
        "cli_exit": results["cli_exit"],
        "cli_seconds": results["cli_seconds"],
        "post_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "post_max_ms": round(max(latencies), 1) if latencies else None,
        "seconds": results["seconds"],
        "analysed": analysed,
        "integrity": integrity,
        "store_mb": round(store_mb, 1),
        "cpus": os.cpu_count(),
    }


def _write_at_once(db: Path, src: Path, env: dict, tmp: Path, port: int, batches: list[list[dict]]) -> dict:
    """The CLI ingest, and the posts sent together once it has committed its first batch."""
    responses: list[tuple[int, str, float]] = []
    go = threading.Event()

    def post(batch: list[dict]) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/articles", data=json.dumps({"articles": batch}).encode(), method="POST",
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        go.wait()
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=1200) as r:
                code, body = r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            code, body = exc.code, exc.read().decode(errors="replace")
        except OSError as exc:  # counted as a failed request, not a crash of the benchmark
            code, body = 599, f"{type(exc).__name__}: {exc}"
        responses.append((code, body, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=post, args=(batch,)) for batch in batches]
    for t in threads:
        t.start()
    output = (tmp / "ingest.log").open("w")
    started = time.perf_counter()
    ingest = subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db)],
                              stdout=output, stderr=subprocess.STDOUT, env=env)
    while _count(db) == 0 and ingest.poll() is None:
        time.sleep(0.05)
    go.set()
    cli_exit = ingest.wait()
    cli_seconds = time.perf_counter() - started
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    output.close()
    return {"responses": responses, "cli_exit": cli_exit, "cli_seconds": round(cli_seconds, 1),
            "seconds": round(seconds, 1), "cli_output": (tmp / "ingest.log").read_text(errors="replace")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000, help="articles the CLI ingests")
    parser.add_argument("--posts", type=int, default=20, help="POST /api/articles requests sent at once")
    parser.add_argument("--post-size", type=int, default=10, help="new articles in each request")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--wait-analysis", type=float, default=0.0, metavar="S",
                        help="wait up to S seconds for the background analyser to read every article")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.posts < 0 or args.post_size < 1:
        parser.error("--articles and --post-size must be at least 1, --posts at least 0")
    result = corpus.run_and_print(lambda: run(args.articles, args.posts, args.post_size, args.seed, args.wait_analysis), args.json, width=16)
    if result is None:
        return 2
    ok = not (result["missing"] or result["stored_twice"] or result["http_5xx"] or result["http_other"]
              or result["locked_errors"] or result["tracebacks"] or result["cli_exit"])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
