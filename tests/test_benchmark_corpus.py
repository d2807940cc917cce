"""The benchmarks' generated corpus (benchmarks/corpus.py): a kept corpus file is read again, never
mistaken for another corpus; copies drawn from what was made come out as they did when the
generator kept its articles whole (tests/golden/reuse_kernel.json pins the texts too)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus  # noqa: E402

pytestmark = pytest.mark.skipif(not corpus.DEFAULT_SOURCE.is_dir(), reason=f"{corpus.DEFAULT_SOURCE} not present")


def _digest(items) -> str:
    h = hashlib.sha256()
    for it in items:
        h.update(f"{it.id}|{it.kind}|{it.source}|{it.story}|{it.text}\n".encode())
    return h.hexdigest()


def test_copies_are_of_the_articles_they_name():
    items = corpus.generate(600, seed=3, stories=6)
    by_id = {it.id: it for it in items}
    copies = [it for it in items if it.kind == "copy"]
    assert len(copies) > 20
    for it in copies:
        source = by_id[it.source]
        assert it.story == source.story
        # a light edit: most of the source's words come back
        words = set(source.text.split())
        assert len(words & set(it.text.split())) > 0.8 * len(words)


def test_a_kept_corpus_is_made_once_and_read_again(tmp_path):
    path = tmp_path / "c.jsonl"
    assert corpus.kept(path, 40, seed=2, stories=5) == path
    first = path.read_bytes()
    assert json.loads(path.with_name("c.jsonl.json").read_text()) == {"seed": 2, "stories": 5, "spliced": False,
                                                                       "articles": 40}
    assert list(tmp_path.iterdir()) != [] and not (tmp_path / "c.jsonl.partial").exists()
    # what was written is the corpus generate gives
    assert _digest(corpus.read_jsonl(path)) == _digest(corpus.generate(40, seed=2, stories=5))
    # a shorter run of the same corpus reads it, untouched
    assert corpus.kept(path, 30, seed=2, stories=5) == path
    assert path.read_bytes() == first


@pytest.mark.parametrize("ask, said", [
    (dict(n=40, seed=3, stories=5), "seed 2 there, 3 asked"),
    (dict(n=40, seed=2, stories=6), "stories 5 there, 6 asked"),
    (dict(n=40, seed=2, stories=5, spliced=True), "spliced False there, True asked"),
    (dict(n=41, seed=2, stories=5), "holds 40 articles, 41 asked"),
])
def test_a_kept_corpus_of_another_kind_is_refused_and_kept(tmp_path, ask, said):
    path = tmp_path / "c.jsonl"
    corpus.kept(path, 40, seed=2, stories=5)
    before = path.read_bytes()
    with pytest.raises(corpus.KeptCorpusMismatch, match=said):
        corpus.kept(path, **ask)
    assert path.read_bytes() == before


def test_a_file_without_its_record_is_not_taken_for_a_corpus(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("not a corpus\n")
    with pytest.raises(corpus.KeptCorpusMismatch, match="c.jsonl.json"):
        corpus.kept(path, 10, seed=1)
    assert path.read_text() == "not a corpus\n"
