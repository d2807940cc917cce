"""The attribution confidence model: fitting, its file format, and the weights that ship."""

from __future__ import annotations

import json

import pytest

from storyline.statements.confidence import ConfidenceModel, default_model, fit
from storyline.statements.nlp import ModelError


def test_fit_learns_which_features_make_a_positive():
    samples = [["cue=said", "speaker=person"]] * 40 + [["cue=won", "speaker=person"]] * 40 \
        + [["cue=said", "speaker=none"]] * 10 + [["cue=won", "speaker=none"]] * 10
    labels = [1] * 40 + [0] * 40 + [1] * 8 + [0, 1] + [0] * 9 + [1]
    model = fit(samples, labels)
    assert model.weights["cue=said"] > 1 > -1 > model.weights["cue=won"]
    assert model.probability(["cue=said", "speaker=person"]) > 0.8
    assert model.probability(["cue=won", "speaker=person"]) < 0.2
    assert model.keeps(["cue=said"]) and not model.keeps(["cue=won"])


def test_fit_is_deterministic_and_leaves_out_rare_features():
    samples = [["a", "rare"], ["a"], ["b"], ["b"], ["a"], ["b"]]
    labels = [1, 1, 0, 0, 1, 0]
    first, second = fit(samples, labels, min_count=2), fit(samples, labels, min_count=2)
    assert first.as_dict() == second.as_dict()
    assert "rare" not in first.weights
    with pytest.raises(ValueError, match="2 labels"):
        fit(samples, labels[:2])


def test_a_model_survives_its_file_format():
    model = ConfidenceModel({"cue=said": 2.5, "nested": -1.0}, -0.3, 0.4, {"fitted_on": "test"})
    again = ConfidenceModel.from_dict(json.loads(json.dumps(model.as_dict())))
    assert again == model
    assert again.probability(["cue=said", "unknown"]) == pytest.approx(1 / (1 + 2.718281828 ** -2.2), rel=1e-6)


def test_a_broken_model_file_is_a_clear_error():
    with pytest.raises(ModelError, match="weights.json: not an attribution confidence model"):
        ConfidenceModel.from_dict({"bias": 0.1}, "weights.json")
    with pytest.raises(ModelError, match="not an attribution confidence model"):
        ConfidenceModel.from_dict({"bias": "x", "weights": {}}, "weights.json")


def test_the_shipped_weights_load_and_say_how_they_were_made():
    model = default_model()
    assert model.meta["fitted_on"] == "PolNeAR train"
    assert model.meta["by"] == "benchmarks/train_attribution_model.py"
    assert 0.1 < model.threshold < 0.9
    assert len(model.weights) > 1000
    # a reporting verb with a named speaker is kept, the generic rule's event verb is not
    said = ["rule=verb", "origin=ccomp", "form=said", "cue=said", "lex=speech", "speaker=ent-PERSON",
            "lex=speech|speaker=ent-PERSON", "form=said|origin=ccomp", "dep=ROOT"]
    won = ["rule=generic", "origin=dobj", "form=won", "cue=won", "lex=other", "speaker=ent-PERSON", "dep=ROOT"]
    assert model.keeps(said) and not model.keeps(won)
