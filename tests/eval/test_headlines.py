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
    report_labels,
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


def test_the_first_sample_is_tune_material_now():
    items = json.loads(default_labels().read_text(encoding="utf-8"))["items"]
    assert [i["part"] for i in items] == ["tune"] * 200
    assert len({i["id"] for i in items}) == 200


def test_the_second_tune_sample_is_tune_only_and_apart_from_the_first():
    first = json.loads(default_labels().read_text(encoding="utf-8"))["items"]
    second = json.loads(tune2_labels().read_text(encoding="utf-8"))["items"]
    assert len(second) == 200 and {i["part"] for i in second} == {"tune"}
    assert len({i["id"] for i in second}) == 200
    assert not {i["id"] for i in second} & {i["id"] for i in first}
    assert not {i["title_sha1"] for i in second} & {i["title_sha1"] for i in first}


def test_the_report_sample_is_report_only_and_apart_from_both_tune_samples():
    tune = [i for path in (default_labels(), tune2_labels())
            for i in json.loads(path.read_text(encoding="utf-8"))["items"]]
    report = json.loads(report_labels().read_text(encoding="utf-8"))["items"]
    assert len(report) == 200 and {i["part"] for i in report} == {"report"}
    assert len({i["id"] for i in report}) == 200
    assert not {i["id"] for i in report} & {i["id"] for i in tune}
    assert not {i["title_sha1"] for i in report} & {i["title_sha1"] for i in tune}


def _relabelled(path, tmp_path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["items"])
    out = tmp_path / path.name
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def _no_speakers(titles):
    return [() for _ in titles]


def test_a_second_tune_sample_marked_report_is_refused(data_dir, tmp_path):
    bad = _relabelled(tune2_labels(), tmp_path, lambda items: items[0].update(part="report"))
    with pytest.raises(InputError, match="tune headlines only"):
        evaluate_headlines(data_dir / "uci-news" / "uci-news-2014-03-10.csv", ("tune",),
                           speakers=_no_speakers, tune2=bad)


def test_a_report_sample_holding_a_tune_headline_is_refused(data_dir, tmp_path):
    csv = data_dir / "uci-news" / "uci-news-2014-03-10.csv"
    marked = _relabelled(report_labels(), tmp_path, lambda items: items[0].update(part="tune"))
    with pytest.raises(InputError, match="report headlines only"):
        evaluate_headlines(csv, ("report",), speakers=_no_speakers, report=marked)
    tune_item = json.loads(tune2_labels().read_text(encoding="utf-8"))["items"][0]
    shared = _relabelled(report_labels(), tmp_path, lambda items: items.__setitem__(0, {**tune_item, "part": "report"}))
    with pytest.raises(InputError, match="shares headlines"):
        evaluate_headlines(csv, ("report",), speakers=_no_speakers, report=shared)


def test_a_csv_with_other_titles_is_refused(tmp_path):
    csv = tmp_path / "uci.csv"
    csv.write_text("ID,TITLE\n1522,Some other headline\n", encoding="utf-8")
    with pytest.raises(InputError, match="not the one labelled|no headline"):
        read_headlines(csv)


def test_headlines_report_part_is_above_its_floors(data_dir):
    assert below_floor(load_floors(FLOORS), "headlines/report", measure_headlines(data_dir)) == []


def test_cli_prints_each_part(data_dir):
    csv = str(data_dir / "uci-news" / "uci-news-2014-03-10.csv")
    result = CliRunner().invoke(app, ["eval", "headlines", csv, "--part", "tune", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"tune1", "tune2", "tune"}
    assert (scores["tune1"]["headlines"], scores["tune2"]["headlines"], scores["tune"]["headlines"]) == (200, 200, 400)
    assert scores["tune"]["precision"] >= 0.95
    result = CliRunner().invoke(app, ["eval", "headlines", csv, "--part", "report"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("headlines, report part (200 headlines, 67 with a speaker")
