"""Statements through the engine: analysed on demand, stored once, the seeds' speakers and conflicts."""

import sqlite3

import pytest

from storyline import Storyline
from storyline.store import SCHEMA_VERSION
from tests.golden import check_golden


def _seed_paths(seeds_dir, reverse=False):
    return sorted(str(p) for p in seeds_dir.glob("*.txt"))[::-1 if reverse else 1]


def _record(statements, conflicts):
    index = {s.id: i for i, s in enumerate(statements)}
    return {"statements": [{"speaker": s.speaker, "aliases": s.speaker_aliases, "text": s.text, "date": s.date,
                            "article_ids": s.article_ids} for s in statements],
            "conflicts": [{"statements": [index[a] for a in c.statement_ids], "kind": c.kind, "reason": c.reason}
                          for c in conflicts]}


@pytest.mark.parametrize("reverse", [False, True])
def test_seeds_statements_aliases_and_conflicts(seeds_dir, tmp_path, update_golden, reverse):
    with Storyline(tmp_path / "s.db") as sl:
        for path in _seed_paths(seeds_dir, reverse):
            sl.ingest([path])
        [story] = sl.stories()
        statements, conflicts = sl.statements(story.id)
    record = _record(statements, conflicts)
    check_golden("seeds_statements", record, update_golden and not reverse)
    speakers = {s["speaker"]: s["aliases"] for s in record["statements"]}
    assert speakers["Andriy Sybiha"] == ["Sibiga"]
    assert speakers["Jongkook Hwang"] == ["Jonkuk Hwang"]
    both = sorted(p.stem for p in seeds_dir.glob("*.txt"))
    background = [s for s in record["statements"] if s["speaker"] in
                  ("Andrii Kovalenko", "Kyrylo Budanov", "Lloyd Austin", "Pentagon", "Jongkook Hwang")]
    assert len(background) == 5 and all(s["article_ids"] == both for s in background)
    kinds = {c["kind"] for c in record["conflicts"]}
    assert {"denial", "unconfirmed", "figures"} <= kinds
    denials = [c for c in record["conflicts"] if c["kind"] == "denial"]
    assert any("Kovalenko denies what Pentagon confirms" in c["reason"] for c in denials)
    assert any(c["reason"].startswith("Lloyd Austin: not yet confirmed") and "Pentagon" in c["reason"]
               for c in record["conflicts"] if c["kind"] == "unconfirmed")


def test_articles_are_analysed_once_and_on_demand(seeds_dir, tmp_path):
    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        sl.ingest(_seed_paths(seeds_dir))
        assert sl.store.statement_index().pending() == sorted(p.stem for p in seeds_dir.glob("*.txt"))
        [story] = sl.stories()
        first = sl.statements(story.id)
        assert sl.store.statement_index().pending() == []
        assert sl.analyse_statements() == 0
    with Storyline(db) as sl:
        assert sl.statements(story.id) == first
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article_status WHERE statements IS NULL").fetchone()[0] == 0
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_unknown_story(sl):
    from storyline.errors import NotFoundError

    with pytest.raises(NotFoundError):
        sl.statements("s-nope")
