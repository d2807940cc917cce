"""storyline eval headlines: the labels file, the scorer, and the report part's floor."""

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.gate import below_floor, load_floors
from storyline.eval.headlines import (
    Headline,
    HeadlineResult,
    default_labels,
    evaluate_headlines,
    read_headlines,
    score,
    tune2_labels,
)
from tests.eval.eval_gate import FLOORS, measure_headlines


def _result(gold, *speakers):
    return HeadlineResult(Headline("1", "tune", "t", gold), tuple(speakers))


def test_scores_count_headlines_not_spans():
    results = [_result("Snowden", "Snowden"), _result("Snowden", "SXSW", "Snowden"), _result(None, "Cosmos"),
               _result("Police"), _result(None)]
    s = score(results)
    assert (s.headlines, s.gold, s.predicted) == (5, 3, 3)
    assert (s.precision, s.recall) == (2 / 3, 2 / 3)
    # "SXSW" beside the right speaker is not an exact match; the gold speaker is still found.
    assert (s.exact_precision, s.exact_recall) == (1 / 3, 2 / 3)


def test_the_labels_split_into_two_parts_of_a_hundred():
    items = json.loads(default_labels().read_text(encoding="utf-8"))["items"]
    assert [i["part"] for i in items] == ["tune"] * 100 + ["report"] * 100
    assert len({i["id"] for i in items}) == 200


def test_the_second_tune_sample_is_tune_only_and_apart_from_the_first():
    first = json.loads(default_labels().read_text(encoding="utf-8"))["items"]
    second = json.loads(tune2_labels().read_text(encoding="utf-8"))["items"]
    assert len(second) == 200 and {i["part"] for i in second} == {"tune"}
    assert len({i["id"] for i in second}) == 200
    assert not {i["id"] for i in second} & {i["id"] for i in first}
    assert not {i["title_sha1"] for i in second} & {i["title_sha1"] for i in first}


def test_a_second_tune_sample_marked_report_is_refused(data_dir, tmp_path):
    data = json.loads(tune2_labels().read_text(encoding="utf-8"))
    data["items"][0]["part"] = "report"
    bad = tmp_path / "tune2.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="tune headlines only"):
        evaluate_headlines(data_dir / "uci-news" / "uci-news-2014-03-10.csv", ("tune",),
                           speakers=lambda titles: [() for _ in titles], tune2=bad)


def test_a_csv_with_other_titles_is_refused(tmp_path):
    csv = tmp_path / "uci.csv"
    csv.write_text("ID,TITLE\n1522,Some other headline\n", encoding="utf-8")
    with pytest.raises(InputError, match="not the one labelled|no headline"):
        read_headlines(csv)


def test_headlines_report_part_is_above_its_floors(data_dir):
    assert below_floor(load_floors(FLOORS), "headlines/report", measure_headlines(data_dir)) == []


def test_cli_prints_each_part(data_dir):
    result = CliRunner().invoke(app, ["eval", "headlines", str(data_dir / "uci-news" / "uci-news-2014-03-10.csv"),
                                      "--part", "tune", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"tune", "tune2"}
    assert scores["tune"]["headlines"] == 100 and scores["tune"]["precision"] >= 0.95
    assert scores["tune2"]["headlines"] == 200
