"""Shared fixtures: where the real data lives, the ingest fixtures, a fresh store per test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import Storyline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files from the current output instead of comparing.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _shared(sub: str) -> Path:
    path = SHARED / sub
    if not path.exists():
        # In CI the shared data must be there: a skip would hide a broken checkout.
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI runs with ../shared beside the checkout")
        pytest.skip(f"{path} not present (a fresh clone has no ../shared)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return _shared("seeds")


@pytest.fixture
def data_dir() -> Path:
    return _shared("data")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def sl(db_path: Path):
    with Storyline(db_path) as engine:
        yield engine


@pytest.fixture
def hide_module(monkeypatch: pytest.MonkeyPatch):
    """``hide_module("transformers")``: importing it (or a submodule) fails from then on in the
    test, as on an install without the extra that brings it."""
    import builtins

    real_import = builtins.__import__
    hidden: list[str] = []

    def importing(name: str, *args, **kwargs):
        if any(name == h or name.startswith(h + ".") for h in hidden):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", importing)
    return hidden.append


def generated_stream(path: Path, articles: int, seed: int, stories: int) -> Path:
    """A JSONL file of the stream benchmark's generated corpus (stories that recycle each other's
    blocks, in whole and in part), 20 articles a day from 2025-03-01; skips the test when the
    corpus's source texts are missing."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    items = corpus.generate(articles, seed=seed, stories=stories)
    path.write_text("".join(json.dumps({"id": it.id, "text": it.text, "source": it.source,
                                        "published": f"2025-03-{1 + i // 20:02d}"}) + "\n"
                            for i, it in enumerate(items)), encoding="utf-8")
    return path


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """``(folder, view)``: a folder, and the same folder mounted again read-only (a bind mount,
    remounted ``ro``), as a store on a snapshot, a read-only share or a disc is seen. Skipped where
    this process may not mount (that takes root, with CAP_SYS_ADMIN)."""
    folder, view = tmp_path / "writable", tmp_path / "read-only"
    folder.mkdir()
    view.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only bind mount needs root")
    if subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode:
        pytest.skip("this process may not mount (no CAP_SYS_ADMIN)")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode:
            pytest.skip("this process may not remount read-only")
        yield folder, view
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True)


@pytest.fixture
def as_another_user() -> Iterator[tuple[Path, object]]:
    """``(folder, run)``: a root-owned folder others may read, and ``run(*args)``, which runs
    ``python -m storyline ARGS`` as the user ``nobody`` (``setpriv``) and returns the completed
    process. Skipped where this process cannot switch user, or ``nobody`` cannot run this
    storyline (a checkout in a folder only root may read)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("running as another user needs root and setpriv")
    as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable]
    if subprocess.run([*as_nobody, "-c", "import storyline"], capture_output=True).returncode:
        pytest.skip("the user nobody cannot import this storyline")
    folder = Path(tempfile.mkdtemp(prefix="storyline-other-user-"))  # not under pytest's 0700 folders
    folder.chmod(0o755)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*as_nobody, "-m", "storyline", *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "200"}, timeout=120)

    try:
        yield folder, run
    finally:
        shutil.rmtree(folder, ignore_errors=True)
