"""storyline eval timex: the TimeML reader, the TempEval-3 scorer, and the TBAQ floors."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.gate import below_floor, load_floors
from storyline.eval.timeml import TimeMLDocument, read_timeml
from storyline.text.temporal.timex import Timex
from storyline.eval.timex import evaluate_timex, score_documents
from storyline.text.temporal.timex import Timex
from tests.eval.eval_gate import FLOORS

# The gate is on the report part, AQUAINT (73 documents, 579 TIMEX3): floors.json, "timex/report".

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Shares <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; \
for <TIMEX3 tid="t2" type="DURATION" value="P1W" mod="APPROX">about a week</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_reader_gives_plain_text_offsets_and_the_dct(tmp_path):
    path = tmp_path / "x.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_timeml(path)
    assert doc.dct == dt.date(1998, 1, 8) and doc.name == "x"
    assert [(doc.text[t.start:t.end], t.type, t.value, t.mod) for t in doc.timexes] == [
        ("yesterday", "DATE", "1998-01-07", None), ("about a week", "DURATION", "P1W", "APPROX")]
    assert "&" in doc.text and "<" not in doc.text


def test_reader_errors_name_the_file(tmp_path):
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>unclosed</TimeML>", encoding="utf-8")
    with pytest.raises(InputError, match="broken.tml.*not well-formed"):
        read_timeml(broken)
    no_dct = tmp_path / "nodct.tml"
    no_dct.write_text("<TimeML><TEXT>text</TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(InputError, match="DCT"):
        read_timeml(no_dct)


def test_scorer_counts_strict_relaxed_value_and_type():
    text = "On Friday and last week, for two days."
    gold = (Timex(3, 9, "Friday", "DATE", "2024-10-25"), Timex(14, 23, "last week", "DATE", "2024-W43"),
            Timex(29, 37, "two days", "DURATION", "P2D"))
    doc = TimeMLDocument("d", text, dt.date(2024, 10, 28), gold)
    predicted = [Timex(3, 9, "Friday", "DATE", "2024-10-25"),       # strict, right value and type
                 Timex(19, 23, "week", "DURATION", "P1W"),          # relaxed only, wrong value and type
                 Timex(0, 2, "On", "DATE", "XXXX")]                  # spurious; "two days" is missed
    result = score_documents([doc], lambda d: predicted)
    s = result.scores
    assert (s.gold, s.predicted) == (3, 3)
    assert s.strict_precision == pytest.approx(1 / 3) and s.strict_recall == pytest.approx(1 / 3)
    assert s.relaxed_f1 == pytest.approx(2 / 3)
    assert s.value_f1 == pytest.approx(1 / 3) and s.type_accuracy == pytest.approx(1 / 2)
    assert sorted(e.kind for e in result.errors) == ["missed", "span", "spurious", "type", "value"]


def test_relaxed_matching_is_one_to_one():
    doc = TimeMLDocument("d", "early next week", dt.date(2024, 10, 28),
                         (Timex(0, 15, "early next week", "DATE", "2024-W44", "START"),))
    predicted = [Timex(0, 5, "early", "DATE", "X"), Timex(6, 15, "next week", "DATE", "2024-W44")]
    s = score_documents([doc], lambda d: predicted).scores
    assert s.relaxed_precision == pytest.approx(1 / 2) and s.relaxed_recall == 1.0 and s.value_f1 == pytest.approx(2 / 3)


def test_tempeval3_report_part_floors(data_dir):
    scores = evaluate_timex(data_dir / "tempeval3" / "TBAQ-cleaned" / "AQUAINT").scores
    assert scores.documents == 73 and scores.gold == 579
    figures = {"strict_f1": scores.strict_f1, "relaxed_f1": scores.relaxed_f1, "value_f1": scores.value_f1}
    failures = below_floor(load_floors(FLOORS), "timex/report", figures)
    assert not failures, failures


def test_cli_prints_the_scores_and_errors(data_dir):
    path = data_dir / "tempeval3" / "TBAQ-cleaned" / "TimeBank"
    result = CliRunner().invoke(app, ["eval", "timex", str(path), "--json", "--part", "tune"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["tune"]
    assert scores["documents"] == 183 and 0 < scores["value_f1"] <= 1
    text = CliRunner().invoke(app, ["eval", "timex", str(path), "--part", "tune"])
    assert "tune part" in text.output and "strict P" in text.output and "value F1" in text.output
    wrong = CliRunner().invoke(app, ["eval", "timex", str(path), "--part", "report"])
    assert wrong.exit_code == 2 and "this is the tune part (TimeBank)" in wrong.output
    errors = CliRunner().invoke(app, ["eval", "timex", str(path), "--errors"])
    kinds = {json.loads(line)["kind"] for line in errors.output.splitlines() if line.startswith("{")}
    assert {"missed", "spurious", "value"} <= kinds


def test_cli_on_a_folder_without_timeml(tmp_path):
    result = CliRunner().invoke(app, ["eval", "timex", str(tmp_path)])
    assert result.exit_code == 2 and "no .tml files" in result.output
