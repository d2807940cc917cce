"""Score floors: reading, checking, and writing them (raising freely, lowering only when allowed)."""

import json

import pytest

from storyline.eval.gate import FloorError, below_floor, floor_for, load_floors, record_floors
from tests.eval.eval_gate import FLOORS, GATES


def test_checked_in_floors_cover_every_gate():
    floors = load_floors(FLOORS)
    assert set(floors) == set(GATES)
    assert all(key.endswith("/report") for key in floors), "only report parts are gated"


def test_below_floor_names_each_failure():
    floors = {"timex/report": {"strict_f1": 0.8, "value_f1": 0.75}}
    assert below_floor(floors, "timex/report", {"strict_f1": 0.81, "value_f1": 0.75}) == []
    (failure,) = below_floor(floors, "timex/report", {"strict_f1": 0.7999, "value_f1": 0.9})
    assert "strict_f1 = 0.7999 fell below its floor 0.8000" in failure
    assert "no such score" in below_floor(floors, "timex/report", {"strict_f1": 0.9})[0]
    with pytest.raises(FloorError, match="no floors recorded for 'nope'"):
        below_floor(floors, "nope", {})


def test_floor_for_is_under_the_measured_figure():
    assert floor_for(0.9620, 0.01) == 0.952
    assert floor_for(1.0, 0.01) == 0.99
    assert floor_for(0.005, 0.01) == 0.0
    assert floor_for(0.8301, 0.0) <= 0.8301


def test_raising_is_free_and_lowering_needs_the_flag(tmp_path):
    path = tmp_path / "floors.json"
    record_floors(path, {"a/report": {"f1": 0.80}}, margin=0.0)
    record_floors(path, {"a/report": {"f1": 0.85}, "b/report": {"r": 0.5}}, margin=0.0)
    assert load_floors(path) == {"a/report": {"f1": 0.85}, "b/report": {"r": 0.5}}
    before = path.read_text()
    with pytest.raises(FloorError, match="--lower-floor.*a/report.f1: 0.850 -> 0.700"):
        record_floors(path, {"a/report": {"f1": 0.70}, "b/report": {"r": 0.9}}, margin=0.0)
    assert path.read_text() == before, "a refused write changes nothing"
    record_floors(path, {"a/report": {"f1": 0.70}}, margin=0.0, lower=True)
    assert load_floors(path)["a/report"] == {"f1": 0.70}


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", "expected an object"), ('{"a": 0.5}', "not an object of figures"),
    ('{"a": {"f1": 1.5}}', "not a score between 0 and 1"), ('{"a": {"f1": true}}', "not a score"), ("{", "cannot read"),
])
def test_malformed_floors_are_named(tmp_path, content, message):
    path = tmp_path / "floors.json"
    path.write_text(content)
    with pytest.raises(FloorError, match=message):
        load_floors(path)


def test_the_script_refuses_to_lower(tmp_path, monkeypatch, capsys):
    from tests.eval import eval_gate

    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"timex/report": {"strict_f1": 0.99, "relaxed_f1": 0.5, "value_f1": 0.5}}))
    monkeypatch.setattr(eval_gate, "FLOORS", path)
    monkeypatch.setitem(eval_gate.GATES, "timex/report",
                        lambda data: {"strict_f1": 0.9, "relaxed_f1": 0.9, "value_f1": 0.9})
    assert eval_gate.main(["timex/report"]) == 1
    assert "FAIL timex/report.strict_f1" in capsys.readouterr().err
    with pytest.raises(FloorError, match="--lower-floor"):
        eval_gate.main(["timex/report", "--write"])
    assert eval_gate.main(["timex/report", "--write", "--lower-floor"]) == 0
    assert load_floors(path)["timex/report"] == {"strict_f1": 0.89, "relaxed_f1": 0.89, "value_f1": 0.89}
