"""The span boundary model: where an edge may move, fitting, its file format, and the weights that ship."""

from __future__ import annotations

import json

import pytest

from storyline.statements.attribution import extract
from storyline.statements.boundaries import (
    BoundaryModel,
    EdgeOptions,
    default_boundaries,
    edge_options,
    fit,
    log_loss,
    redraw,
)
from storyline.statements.nlp import ModelError, load_nlp

RULES = BoundaryModel({})  # no weights: every edge stays where the rules drew it


def _group(edge: str, rule: int, features: list[list[str]]) -> EdgeOptions:
    return EdgeOptions(edge, rule, tuple(range(len(features))), tuple(tuple(f) for f in features))


def test_fit_learns_which_position_annotators_pick():
    # the rules' edge (position 0) is right when the next word is a noun, the full stop (1) when a mark
    groups = [_group("content-end", 0, [["rule", "out=NN"], ["out=."], ["out=x"]])] * 30 \
        + [_group("content-end", 0, [["rule", "out=,"], ["out=quote"], ["out=x"]])] * 30
    targets = [0] * 30 + [1] * 30
    model = fit(groups, targets, l2=0.1)
    assert model.choose(groups[0]) == 0 and model.choose(groups[-1]) == 1
    assert log_loss(model, groups, targets) < log_loss(RULES, groups, targets)
    assert fit(groups, targets, l2=0.1).as_dict() == model.as_dict()  # deterministic
    with pytest.raises(ValueError, match="1 targets"):
        fit(groups, targets[:1])


def test_the_margin_keeps_the_rules_edge_when_the_model_is_unsure():
    group = _group("source-end", 0, [["rule"], ["better"]])
    model = BoundaryModel({"better": 0.8})
    assert model.choose(group) == 1
    assert model.choose(group, margin=1.0) == 0 and BoundaryModel({"better": 0.8}, margin=1.0).choose(group) == 0
    assert RULES.choose(group) == 0  # a tie keeps the rules' edge


def test_edges_that_would_cross_keep_the_rules_span():
    starts = _group("content-start", 0, [["rule"], ["late"]])
    ends = EdgeOptions("content-end", 9, (9, 1), (("rule",), ("early",)))
    model = BoundaryModel({"late": 5.0, "early": 5.0})
    assert redraw(model, [starts, ends], (0, 9), "content") == (0, 9)
    assert redraw(BoundaryModel({"late": 5.0}), [starts, ends], (0, 9), "content") == (1, 9)
    assert redraw(model, [], (0, 9), "source") == (0, 9)


def test_options_stay_on_the_span_side_of_the_cue_and_inside_words():
    nlp = load_nlp()
    text = 'Police said the driver, a man from Leeds, was arrested at Censor.NET on Monday.'
    doc = nlp(text)
    cue = (text.index("said"), text.index("said") + 4)
    start = text.index("the driver")
    span = (start, text.index(" on Monday"))
    begin = edge_options(doc, text, cue, span, "content-start", ("rule=verb",))
    end = edge_options(doc, text, cue, span, "content-end", ("rule=verb",))
    assert begin is not None and end is not None
    assert begin.rule == start and start in begin.positions and end.rule == span[1]
    assert all(p >= cue[1] for p in begin.positions)  # never over the cue
    assert all(p > start for p in end.positions)
    assert text.index("Censor") + len("Censor") not in end.positions  # "Censor|.NET" splits a word
    assert text.index(" was") in end.positions  # after the aside's closing comma
    assert all(f[0].startswith("content-end:") for f in end.features)
    assert any("content-end:rule" in f for f in end.features)
    # a span that leaves the parsed paragraph has no options
    assert edge_options(doc, text, cue, (start, len(text) + 5), "content-end", ()) is None


def test_a_model_survives_its_file_format():
    model = BoundaryModel({"content-end:rule": 1.5, "source-start:in=the": -0.2}, 0.5, {"fitted_on": "test"})
    assert BoundaryModel.from_dict(json.loads(json.dumps(model.as_dict()))) == model
    with pytest.raises(ModelError, match="not a span boundary model"):
        BoundaryModel.from_dict({"margin": 0.0})


def test_the_shipped_model_was_fitted_on_train_and_moves_edges_of_new_sentences():
    model = default_boundaries()
    assert model.meta["fitted_on"] == "PolNeAR train" and model.margin >= 0
    assert len(model.weights) > 1000
    quoted = 'The harbour master told reporters: "We closed the port at noon."'
    urged = "Hospital staff urged the minister to fund more beds."
    (rules_q,), (drawn_q,) = extract(quoted, boundaries=RULES), extract(quoted)
    (rules_u,), (drawn_u,) = extract(urged, boundaries=RULES), extract(urged)
    (eager_u,) = extract(urged, boundaries=BoundaryModel(model.weights, margin=0.0))
    # PolNeAR's annotators keep a quotation's marks, and often the person urged: the model leans
    # that way, but not by the shipped margin, so the rules' edge stays
    assert rules_q.content.text == "We closed the port at noon"
    assert drawn_q.content.text == '"We closed the port at noon."'
    assert rules_u.content.text == drawn_u.content.text == "to fund more beds"
    assert eager_u.content.text == "the minister to fund more beds"
    assert drawn_q.content_parts == (drawn_q.content,) and drawn_q.cue == rules_q.cue
