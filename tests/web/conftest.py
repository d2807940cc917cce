"""A seeded store for the web tests, the app over it, and a real ``storyline serve`` for the browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline import Storyline
from storyline.settings import IngestSettings, Settings, WebSettings
from storyline.web import create_app
from tests.conftest import SHARED

CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "a-test-token-of-32-characters-xx"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested and read for statements (the parser runs once per module)."""
    seeds = SHARED / "seeds"
    if not seeds.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{seeds} is missing; CI runs with ../shared beside the checkout")
        pytest.skip(f"{seeds} not present")
    db = tmp_path_factory.mktemp("web") / "seeds.db"
    with Storyline(db) as sl:
        assert sl.ingest([seeds]).ok
        sl.analyse_statements()
    return db


def web_settings(db: Path, ingest: IngestSettings | None = None, **web: object) -> Settings:
    """Settings for an app under test: ``testserver`` is the host name the test client sends."""
    web = {"analyse": False, "allowed_hosts": ("localhost", "127.0.0.1", "::1", "testserver"), **web}
    return Settings(db_path=db, ingest=ingest or IngestSettings(), web=WebSettings(**web))


@pytest.fixture
def client(seeded_db: Path, tmp_path: Path) -> TestClient:
    """The app over a copy of the seeded store (tests that write do not disturb the others)."""
    db = tmp_path / "store.db"
    shutil.copy(seeded_db, db)
    with TestClient(create_app(web_settings(db, token=TOKEN))) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(seeded_db: Path) -> str:
    """``storyline serve`` in its own process, as a user starts it; yields its base URL."""
    yield from _serve(seeded_db)


@pytest.fixture(scope="module")
def syndicated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples' story (four articles) and 22 copies of its first article from other outlets,
    a day apart: 26 articles in one story, more than a page of them, with copies to draw."""
    examples = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))
    text = examples[0].read_text(encoding="utf-8").split(" ", 3)[3]  # " date YYYY-MM-DD text"
    copies = [{"id": f"copy-{i:02d}", "source": f"Outlet {chr(65 + i)}", "title": f"Bridge closed, says outlet {i}",
               "published": f"2025-03-{10 + i // 2:02d}", "text": text} for i in range(22)]
    db = tmp_path_factory.mktemp("syndicated") / "syndicated.db"
    with Storyline(db) as sl:
        assert sl.ingest(examples).ok and sl.ingest_records(copies, "copies").ok
        sl.analyse_statements()
    return db


@pytest.fixture(scope="module")
def served_syndicated(syndicated_db: Path) -> str:
    yield from _serve(syndicated_db)


def _serve(db: Path):
    port = _free_port()
    cli = Path(sys.executable).with_name("storyline")
    proc = subprocess.Popen([str(cli), "serve", "--db", str(db), "--port", str(port), "--no-analyse"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"storyline serve exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("storyline serve did not listen within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """The Debian Chromium, headless, without the sandbox a container cannot give it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; the README's test command installs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
