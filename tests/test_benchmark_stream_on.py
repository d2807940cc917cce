"""The stream-on benchmark (benchmarks/stream_on.py): the same articles into copies of stores of two
sizes, alternating, with the ratio of their medians; the stores themselves never written."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus  # noqa: E402
import stream  # noqa: E402
import stream_on  # noqa: E402

needs_corpus = pytest.mark.skipif(not corpus.DEFAULT_SOURCE.is_dir(), reason=f"{corpus.DEFAULT_SOURCE} not present")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_corpus
def test_the_same_articles_go_into_a_copy_of_each_store_and_the_medians_are_compared(tmp_path, capsys):
    big, small = tmp_path / "big.db", tmp_path / "small.db"
    stream.run(40, seed=1, batch=10, workers=1, keep=big, stories=4)
    stream.run(20, seed=1, batch=10, workers=1, keep=small, stories=4)
    before = {p: _digest(p) for p in (big, small)}

    code = stream_on.main([str(big), str(small), "--after", "40", "--articles", "12", "--stories", "4",
                           "--rounds", "2", "--workers", "1", "--json"])

    assert code == 0
    out = capsys.readouterr()
    result = json.loads(out.out.strip().splitlines()[-1])
    assert result["stores"] == [str(big), str(small)] and result["rounds"] == 2
    for runs in result["runs"].values():
        assert len(runs) == 2 and all(set(run) == {*stream_on.FIGURES, *stream_on.STAGES} for run in runs)
        # where the writer's time went, stage by stage, in its first and last tenth
        assert all("reuse.find" in run["first_stages_ms"] and "stories" in run["last_stages_ms"] for run in runs)
    firsts, seconds = result["runs"][str(big)], result["runs"][str(small)]
    for key, figure in (("ratios", "p50_ms"), ("cpu_ratios", "main_cpu_ms")):
        ratio = result[key][str(small)]
        assert ratio["rounds"] == [round(a[figure] / b[figure], 3) for a, b in zip(firsts, seconds)]
        assert min(ratio["rounds"]) <= ratio["median"] <= max(ratio["rounds"])
    # no featurize worker ran (--workers 1): nothing to take the machine's speed from
    assert result["relative_cpu_ratios"][str(small)] is None
    # alternating: the first store, then the other, in each round
    assert [line.split(": ")[0] for line in out.err.splitlines() if line.startswith("round")] == [
        f"round 1/2, {big}", f"round 1/2, {small}", f"round 2/2, {big}", f"round 2/2, {small}"]
    assert {p: _digest(p) for p in (big, small)} == before  # copies were streamed into
    assert not list(tmp_path.glob("*-wal"))


def test_a_store_whose_log_holds_pages_is_refused_before_any_run(tmp_path, capsys):
    big, small = tmp_path / "big.db", tmp_path / "small.db"
    for path in (big, small):
        sqlite3.connect(path).close()
    writer = sqlite3.connect(big)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("INSERT INTO t VALUES (1)")
    writer.commit()
    try:
        assert stream_on.pending_wal(big) and not stream_on.pending_wal(small)
        with pytest.raises(SystemExit) as exited:
            stream_on.main([str(big), str(small), "--after", "0"])
        assert exited.value.code == 2
        assert f"{big}: its write-ahead log holds pages" in capsys.readouterr().err
        # stream.py itself refuses it too: its copy of the main file alone would lack them
        with pytest.raises(SystemExit):
            stream.main(["--into", str(big), "--articles", "1"])
        assert "write-ahead log holds pages" in capsys.readouterr().err
    finally:
        writer.close()


def test_one_store_alone_or_a_missing_store_is_refused(tmp_path, capsys):
    store = tmp_path / "a.db"
    sqlite3.connect(store).close()
    with pytest.raises(SystemExit):
        stream_on.main([str(store), "--after", "0"])
    assert "at least one store to compare it with" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        stream_on.main([str(store), str(tmp_path / "none.db"), "--after", "0"])
    assert "none.db: no such store" in capsys.readouterr().err


def test_a_failed_run_is_an_error_naming_the_store(tmp_path, capsys):
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("not a database\n", encoding="utf-8")
    other = tmp_path / "b.db"
    sqlite3.connect(other).close()
    code = stream_on.main([str(not_a_store), str(other), "--after", "0", "--articles", "1", "--rounds", "1",
                           "--workers", "1"])
    assert code == 2
    assert f"error: stream.py --into {not_a_store} failed" in capsys.readouterr().err


def test_the_writer_s_cpu_over_the_workers_is_compared_round_by_round():
    # the workers featurize the same articles into every store: their CPU is the machine's speed
    firsts = [{"main_cpu_ms": 20.0, "workers_cpu_ms": 5.0}, {"main_cpu_ms": 30.0, "workers_cpu_ms": 6.0}]
    others = [{"main_cpu_ms": 16.0, "workers_cpu_ms": 4.0}, {"main_cpu_ms": 20.0, "workers_cpu_ms": 5.0}]
    relative = stream_on.RATIOS["relative_cpu_ratios"]
    assert stream_on.ratio_of(firsts, others, relative) == {"rounds": [1.0, 1.25], "median": 1.125}
    others[1]["workers_cpu_ms"] = 0.0
    assert stream_on.ratio_of(firsts, others, relative) is None
