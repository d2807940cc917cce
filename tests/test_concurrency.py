"""Writers that run at the same time on one store, and an ingest killed half-way: real SQLite
files and real ``storyline`` processes (``python -m storyline``), nothing mocked.

Run them alone with ``pytest -m concurrency``. The input is generated (``benchmarks/corpus.py``:
real PolNeAR sentences, planted copies and recycled background blocks) from a fixed seed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline import Storyline
from tests.conftest import ROOT, SHARED
from tests.web.conftest import TOKEN

pytestmark = pytest.mark.concurrency

# The subprocesses import this checkout's code, whatever the environment has installed.
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
POLNEAR = SHARED / "data" / "polnear" / "train" / "text"


# -- input ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stream() -> list[dict]:
    """400 generated articles as JSON records (every test has a store of its own, so all use these)."""
    if not POLNEAR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{POLNEAR} is missing; CI runs with ../shared beside the checkout")
        pytest.skip(f"{POLNEAR} not present")
    # Loaded by path: the pysbd dependency installs a top-level package called ``benchmarks``.
    spec = importlib.util.spec_from_file_location("storyline_benchmark_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses look it up
    spec.loader.exec_module(corpus)
    records, texts = [], set()
    for i, item in enumerate(corpus.generate(400, seed=11, source_dir=POLNEAR)):
        if item.text in texts:  # an edit that changed nothing: the same content, not a new article
            continue
        texts.add(item.text)
        records.append({"id": item.id, "title": item.text.split(". ", 1)[0][:80], "text": item.text,
                        "published": f"2024-10-{1 + i // 20:02d}", "source": f"outlet{i % 7}"})
    return records


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# -- processes -------------------------------------------------------------------------------
@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)


def _start(args: list[str], tmp: Path, name: str) -> tuple[subprocess.Popen, Path, Path]:
    """``python -m storyline ARGS`` in its own session (so a test can clean up after a kill)."""
    out, err = tmp / f"{name}.out", tmp / f"{name}.err"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, "-m", "storyline", *args], stdout=o, stderr=e, env=ENV,
                                cwd=tmp, start_new_session=True)
    return proc, out, err


def _finish(started: tuple[subprocess.Popen, Path, Path], timeout: float = 120) -> Finished:
    proc, out, err = started
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{proc.args} did not finish within {timeout} s: {err.read_text()[-2000:]}")
    return Finished(proc.returncode, out.read_text(), err.read_text())


def _ingest(db: Path, src: Path, *extra: str) -> list[str]:
    return ["ingest", str(src), "--db", str(db), "--json", *extra]


def _clean(run: Finished, inputs: int) -> dict:
    """The run exited 0 with no traceback, and its report accounts for each of its inputs once."""
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr and "database is locked" not in run.stderr, run.stderr[-3000:]
    report = run.report
    assert report["rejected"] == []
    assert len(report["added"]) + len(report["duplicates"]) == inputs
    return report


# -- the store -------------------------------------------------------------------------------
def _check_store(db: Path) -> list[str]:
    """The store is whole and every stored article complete; returns the stored ids (in ingest order)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
        count = len(ids)
        lacking = {
            "passages": "NOT EXISTS (SELECT 1 FROM passages p WHERE p.article_seq = a.seq)",
            "timeline status": "NOT EXISTS (SELECT 1 FROM article_status t WHERE t.article_seq = a.seq"
                               " AND t.timeline_events IS NOT NULL)",
            "a story": "a.story_id IS NULL",
            "a live story": "NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id AND s.merged_into IS NULL)",
            "signature": "NOT EXISTS (SELECT 1 FROM article_signatures g WHERE g.article_seq = a.seq)",
        }
        for what, where in lacking.items():
            bad = conn.execute(f"SELECT a.id FROM articles a WHERE {where} LIMIT 5").fetchall()
            assert bad == [], f"articles without {what}: {bad}"
        # A recycled passage points at an article stored before it (whichever process stored that).
        late = conn.execute(
            "SELECT a.id, p.idx, p.first_seen_article FROM passages p JOIN articles a ON a.seq = p.article_seq"
            " JOIN articles o ON o.id = p.first_seen_article WHERE o.seq >= a.seq LIMIT 5").fetchall()
        assert late == []
        dangling = conn.execute("SELECT count(*) FROM passages p WHERE p.first_seen_article IS NOT NULL AND NOT EXISTS"
                                " (SELECT 1 FROM articles o WHERE o.id = p.first_seen_article)").fetchone()[0]
        assert dangling == 0
        dangling = conn.execute("SELECT count(*) FROM articles a WHERE a.duplicate_of IS NOT NULL AND NOT EXISTS"
                                " (SELECT 1 FROM articles o WHERE o.id = a.duplicate_of AND o.seq < a.seq)").fetchone()[0]
        assert dangling == 0
        # The clusterer's counters agree with the rows: no writer worked from a stale copy of them.
        counts = conn.execute(
            "SELECT s.id, s.articles, (SELECT count(*) FROM articles a WHERE a.story_id = s.id) FROM stories s"
            " WHERE s.merged_into IS NULL").fetchall()
        assert [c for c in counts if c[1] != c[2]] == []
        documents = conn.execute("SELECT value FROM meta WHERE key = 'stories.documents'").fetchone()
        assert documents is None or int(documents[0]) == count, f"{documents[0]} documents counted, {count} stored"
    finally:
        conn.close()
    with Storyline(db) as sl:  # and the library opens it
        assert sl.store.count_articles() == count
    return ids


def _stored_count(db: Path) -> int:
    """Articles committed so far, read as another process sees them (0 while the store is being made)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


# -- the tests ------------------------------------------------------------------------------
def test_two_ingests_of_the_same_file_at_once(stream: list[dict], tmp_path: Path):
    records = stream[:250]
    src = _write_jsonl(tmp_path / "news.jsonl", records)
    db = tmp_path / "store.db"  # not there yet: both processes create it
    runs = [_start(_ingest(db, src, "--batch-size", "20"), tmp_path, name) for name in ("one", "two")]
    one, two = (_clean(_finish(run), len(records)) for run in runs)
    ids = [r["id"] for r in records]
    assert sorted(one["added"] + two["added"]) == sorted(ids)  # each stored by exactly one of them
    for mine, theirs in ((one, two), (two, one)):
        assert {d["id"] for d in mine["duplicates"]} == set(theirs["added"])
        assert all(d["reason"] == "same id" for d in mine["duplicates"])
    stored = _check_store(db)
    assert Counter(stored) == Counter(ids)


def test_two_ingests_of_different_files_at_once(stream: list[dict], tmp_path: Path):
    records = stream[:300]
    first, second = records[0::2], records[1::2]  # the corpus's copies and story blocks cross the two files
    # The same text under another id in each file: both are stored; whichever process stores it
    # second stores a copy of the first.
    twins = [{**r, "id": f"twin-{r['id']}"} for r in first[10:16]]
    second = second + twins
    db = tmp_path / "store.db"
    Storyline(db).close()  # a store that exists already
    # One article a transaction: many commits, each a chance for the other process to commit in
    # between (a commit that ends in a WAL checkpoint leaves it time to).
    runs = [_start(_ingest(db, _write_jsonl(tmp_path / f"{name}.jsonl", part), "--batch-size", "1"), tmp_path, name)
            for name, part in (("first", first), ("second", second))]
    one, two = _clean(_finish(runs[0]), len(first)), _clean(_finish(runs[1]), len(second))
    stored = _check_store(db)
    assert Counter(stored) == Counter(one["added"] + two["added"])
    assert len(stored) == len(records) + len(twins)  # every article once, every twin too
    assert one["duplicates"] == two["duplicates"] == []
    with closing(sqlite3.connect(db)) as conn:
        rows = {r[0]: r[1:] for r in conn.execute("SELECT id, seq, duplicate_of, similarity FROM articles")}
    for twin in twins:
        earlier, later = sorted((twin["id"], twin["id"].removeprefix("twin-")), key=lambda a: rows[a][0])
        assert rows[later][1:] == (rows[earlier][1] or earlier, 1.0)  # the copy names the text's original

    # Whichever process stored an article, it was resolved against everything committed before it:
    # the store is what one process ingesting the articles in their commit order makes.
    _assert_serial(db, first + second, tmp_path)
    with closing(sqlite3.connect(db)) as conn:
        files = {r["id"]: 0 for r in first} | {r["id"]: 1 for r in second}
        links = conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL").fetchall()
        recycled = conn.execute("SELECT a.id, p.first_seen_article FROM passages p JOIN articles a"
                                " ON a.seq = p.article_seq WHERE p.status = 'recycled'").fetchall()
    assert sum(files[a] != files[b] for a, b in links) >= 5  # copies found across the two files
    assert sum(files[a] != files[b] for a, b in recycled) >= 20  # and recycled passages


def _assert_serial(db: Path, records: list[dict], tmp: Path) -> None:
    """The store's reuse verdicts, stories and events equal those of one process ingesting the
    stored articles alone, in the order they were committed (what concurrent writers must give)."""
    by_id = {r["id"]: r for r in records}
    with closing(sqlite3.connect(db)) as conn:
        order = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
    serial = tmp / "serial.db"
    with Storyline(serial) as sl:
        report = sl.ingest_records([by_id[article_id] for article_id in order])
        assert report.added == order

    def state(path: Path) -> dict[str, list]:
        with closing(sqlite3.connect(path)) as conn:
            return {
                "articles": conn.execute("SELECT a.id, a.story_id, a.duplicate_of, a.similarity, s.timeline_events"
                                         " FROM articles a JOIN article_status s ON s.article_seq = a.seq"
                                         " ORDER BY a.seq").fetchall(),
                "passages": conn.execute("SELECT a.id, p.idx, p.status, p.first_seen_article, p.first_seen_index,"
                                         " p.score FROM passages p JOIN articles a ON a.seq = p.article_seq"
                                         " ORDER BY a.seq, p.idx").fetchall(),
                # the clusterer's stored state: a writer that kept a stale copy in memory overwrites it
                "stories": conn.execute("SELECT id, title, first_published, last_published, articles, weights,"
                                        " merged_into FROM stories ORDER BY id").fetchall(),
                "terms": conn.execute("SELECT * FROM term_df ORDER BY term").fetchall(),
                "meta": conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
            }

    found, expected = state(db), state(serial)
    for table in expected:
        assert len(found[table]) == len(expected[table]), table
        assert [(a, b) for a, b in zip(found[table], expected[table]) if a != b][:3] == [], table


@pytest.mark.network
def test_a_served_store_takes_a_cli_ingest_and_posts_at_once(stream: list[dict], tmp_path: Path):
    import httpx

    # Short articles: the background analyser parses every one of them before the test ends.
    short, texts = [], set()
    for r in stream:
        text = "\n\n".join(r["text"].split("\n\n")[:2])
        if text not in texts:  # a copy's first paragraphs may be its original's word for word
            texts.add(text)
            short.append({**r, "text": text})
    cli, posted = short[:200], [short[200 + 5 * i:205 + 5 * i] for i in range(10)]
    db = tmp_path / "store.db"
    src = _write_jsonl(tmp_path / "cli.jsonl", cli)
    with Storyline(db) as sl:  # serve wants a store that exists
        assert sl.ingest_records(short[250:260]).ok
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = _start(["serve", "--db", str(db), "--port", str(port), "--token", TOKEN], tmp_path, "serve")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server[0].poll() is None, server[2].read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "storyline serve did not listen within 60 s"
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        responses: list[tuple[list[dict], int, str]] = []
        go = threading.Event()

        def post(batch: list[dict]) -> None:
            go.wait()
            r = httpx.post(f"{base}/api/articles", json={"articles": batch},
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
            responses.append((batch, r.status_code, r.text))

        threads = [threading.Thread(target=post, args=(batch,)) for batch in posted]
        for t in threads:
            t.start()
        ingest = _start(_ingest(db, src, "--batch-size", "20"), tmp_path, "ingest")
        deadline = time.monotonic() + 60
        while _stored_count(db) <= 10:  # the posts arrive while the ingest is writing
            assert ingest[0].poll() is None and time.monotonic() < deadline, ingest[2].read_text()[-3000:]
            time.sleep(0.05)
        go.set()
        for t in threads:
            t.join(timeout=120)
        report = _clean(_finish(ingest), len(cli))
        assert len(report["added"]) == len(cli)
        assert [code for _, code, _ in responses] == [200] * len(posted), responses
        for batch, _, body in responses:
            assert json.loads(body)["added"] == [r["id"] for r in batch]
        stored = _check_store(db)
        assert Counter(stored) == Counter(r["id"] for r in short[250:260] + cli + [a for b in posted for a in b])
        _assert_serial(db, short, tmp_path)

        # The background analyser gets through everything that came in.
        from storyline.statements.nlp import ModelError, model_path
        try:
            model_path()
        except ModelError as exc:  # the parser is not installed: nothing is analysed in the background
            pytest.skip(f"statements not checked: {exc}")
        deadline = time.monotonic() + 180
        while (pending := _pending_statements(db)) > 0:
            assert server[0].poll() is None, server[2].read_text()[-3000:]
            assert time.monotonic() < deadline, f"{pending} articles still unanalysed after 180 s"
            time.sleep(1.0)
    finally:
        server[0].terminate()
        try:
            server[0].wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server[0].pid, signal.SIGKILL)
            server[0].wait()
        log = server[2].read_text()
    assert "Traceback" not in log and "locked" not in log and "failed" not in log, log[-3000:]


def _pending_statements(db: Path) -> int:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
        return int(conn.execute("SELECT count(*) FROM article_status WHERE statements IS NULL").fetchone()[0])


def _ingest_three_batches(records: list[dict], tmp_path: Path, name: str,
                          batch: int) -> tuple[Path, Path, tuple[subprocess.Popen, Path, Path]]:
    """An ingest of ``records`` in batches of ``batch``, once it has stored three: its input, its
    store and the running process."""
    src = _write_jsonl(tmp_path / "news.jsonl", records)
    db = tmp_path / "store.db"
    started = _start(_ingest(db, src, "--batch-size", str(batch)), tmp_path, name)
    deadline = time.monotonic() + 90
    while _stored_count(db) < 3 * batch:
        assert started[0].poll() is None, started[2].read_text()[-3000:]
        assert time.monotonic() < deadline, "the ingest stored nothing within 90 s"
        time.sleep(0.05)
    return src, db, started


def test_an_ingest_killed_mid_way_leaves_whole_batches(stream: list[dict], tmp_path: Path):
    records, batch = stream, 10
    src, db, started = _ingest_three_batches(records, tmp_path, "killed", batch)
    proc = started[0]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    try:
        # Its featurize workers (and multiprocessing's resource tracker) leave with it.
        deadline = time.monotonic() + 15
        while (left := _alive_in_group(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left == [], f"processes of the killed ingest still running: {left}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with Storyline(db) as sl:  # the library opens the store the killed process left
        assert sl.store.count_articles() >= 3 * batch
    stored = _check_store(db)
    assert 3 * batch <= len(stored) < len(records), "killed too late to show anything"
    assert len(stored) % batch == 0, f"{len(stored)} articles: a batch was stored in part"
    assert stored == [r["id"] for r in records[:len(stored)]]  # in input order, with no gap

    again = _clean(_finish(_start(_ingest(db, src, "--batch-size", str(batch)), tmp_path, "again")), len(records))
    assert again["added"] == [r["id"] for r in records[len(stored):]]
    assert sorted(d["id"] for d in again["duplicates"]) == sorted(stored)
    assert Counter(_check_store(db)) == Counter(r["id"] for r in records)


def test_an_ingest_interrupted_with_ctrl_c_says_what_it_kept_and_a_rerun_goes_on(stream: list[dict], tmp_path: Path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it): the batch being written
    is rolled back, the command says how many articles the batches before it stored and how to go
    on, exits 130 with no traceback, and the same command completes the ingest."""
    records, batch = stream, 10
    src, db, started = _ingest_three_batches(records, tmp_path, "interrupted", batch)
    os.killpg(started[0].pid, signal.SIGINT)
    run = _finish(started, timeout=60)
    stored = _check_store(db)
    assert 3 * batch <= len(stored) < len(records), "interrupted too late to show anything"
    assert len(stored) % batch == 0 and stored == [r["id"] for r in records[:len(stored)]]
    assert run.returncode == 130 and "Traceback" not in run.stderr, run.stderr[-3000:]
    said = " ".join(run.stderr.split())
    assert (f"interrupted: {len(stored)} articles stored before the stop, in whole batches (the one being "
            "written was rolled back); run the same command again to go on") in said

    again = _clean(_finish(_start(_ingest(db, src, "--batch-size", str(batch)), tmp_path, "again")), len(records))
    assert again["added"] == [r["id"] for r in records[len(stored):]]
    assert Counter(_check_store(db)) == Counter(r["id"] for r in records)


def _alive_in_group(pgid: int) -> list[str]:
    """The command lines of the processes of a process group that are still running (not zombies)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):  # it ended while being read
            continue
    return alive
