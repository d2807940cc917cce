"""Statements found in the background while serving: pages never wait for the parser."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from storyline import Storyline
from storyline.web import create_app
from tests.web.conftest import web_settings


def test_the_server_reads_statements_in_the_background(seeds_dir: Path, tmp_path: Path):
    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        sl.ingest([seeds_dir])
        sid = sl.stories()[0].id
        assert sl.pending_statements(sid) == 2
        assert sl.statements(sid, analyse=False) == ([], [])  # nothing is parsed by asking
        assert sl.pending_statements(sid) == 2
    with TestClient(create_app(web_settings(db, analyse=True))) as client:
        analyser = client.app.state.analyser
        assert analyser.idle.wait(120) and analyser.error is None
        assert analyser.analysed == 2
        story = client.get(f"/api/stories/{sid}").json()
        assert story["statements_pending"] == 0 and len(story["statements"]) > 10
    assert not analyser.is_alive()  # stopped with the app


def test_a_page_shows_what_is_known_while_statements_are_pending(seeds_dir: Path, tmp_path: Path):
    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        sl.ingest([seeds_dir])
        sid = sl.stories()[0].id
    with TestClient(create_app(web_settings(db))) as client:  # no analyser
        story = client.get(f"/api/stories/{sid}").json()
        assert story["statements_pending"] == 2 and story["statements"] == []
        assert len(story["timeline"]) == 5  # six dated events, one sentence dated twice
        page = client.get(f"/stories/{sid}").text
        # Not "still being read; reload": nothing reads them while this server runs
        assert ("2 of 2 articles have not been read for statements, and this server does not read them "
                "(background analysis is off: storyline serve --no-analyse)") in " ".join(page.split())
        assert "conflicts: not all articles read" in " ".join(page.split())


def test_a_store_that_can_only_be_read_is_served_without_analysis_and_refuses_writes(
        seeds_dir: Path, read_only_mount, caplog):
    from tests.web.conftest import TOKEN

    folder, view = read_only_mount
    with Storyline(folder / "s.db") as sl:
        sl.ingest([seeds_dir])
        sid = sl.stories()[0].id
    settings = web_settings(view / "s.db", analyse=True, token=TOKEN)
    with caplog.at_level("WARNING", logger="storyline.web"), TestClient(create_app(settings)) as client:
        assert client.app.state.analyser is None
        assert "the store can only be read from here (it is on a read-only file system): statements of articles " \
               "not analysed yet are not looked for" in caplog.text
        story = client.get(f"/api/stories/{sid}").json()
        assert story["statements_pending"] == 2 and len(story["articles"]) == 2
        page = " ".join(client.get(f"/stories/{sid}").text.split())
        assert ("2 of 2 articles have not been read for statements, and this server does not read them (the store "
                "can only be read from here)") in page
        assert client.get("/api/search", params={"q": "Sybiha"}).status_code == 200
        posted = client.post("/api/articles", json={"articles": [{"id": "new", "text": "A new article.",
                                                                  "published": "2024-10-29"}]},
                             headers={"Authorization": f"Bearer {TOKEN}"})
        assert posted.status_code == 403, posted.text
        assert "the store can only be read from here (it is on a read-only file system)" in posted.json()["detail"]
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]


def test_the_analyser_retries_after_a_failure_instead_of_stopping(seeds_dir: Path, tmp_path: Path, monkeypatch):
    from storyline.errors import StoreError
    from storyline.web.analyser import StatementAnalyser

    db = tmp_path / "s.db"
    with Storyline(db) as sl:
        sl.ingest([seeds_dir])
    real = Storyline.analyse_statements
    failures: list[str] = []

    def busy_once(self, *args, **kwargs):
        if not failures:
            failures.append("busy")
            raise StoreError("the store is busy (a writer held it too long)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Storyline, "analyse_statements", busy_once)
    analyser = StatementAnalyser(web_settings(db, analyse=True), poll_s=0.05)
    analyser.start()
    try:
        deadline = 120
        start = time.monotonic()
        while analyser.analysed < 2 and time.monotonic() - start < deadline:
            time.sleep(0.1)
        assert failures == ["busy"]  # it failed once, said why, waited, and went on
        assert analyser.analysed == 2 and analyser.error is None
    finally:
        analyser.stop()
        analyser.join(30)
    assert not analyser.is_alive()
