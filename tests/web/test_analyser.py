"""Statements found in the background while serving: pages never wait for the parser."""

from __future__ import annotations

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
        assert len(story["timeline"]) == 6
        assert "2 of 2 articles are still being read" in client.get(f"/stories/{sid}").text
