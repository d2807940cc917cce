"""storyline eval conflicts: the gold format, the scorer, and the example's and seeds' conflicts."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.eval.conflicts import (
    GoldArticle,
    GoldClaim,
    GoldPair,
    GoldStory,
    by_kind,
    evaluate_conflicts,
    read_gold,
    score_story,
    story_findings,
)
from storyline.eval.gate import below_floor, load_floors
from storyline.records import Contradiction, Statement
from tests.eval.eval_gate import CONFLICTS_GOLD as POLNEAR
from tests.eval.eval_gate import FLOORS, measure_conflicts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "fixtures" / "conflicts" / "examples.json"
EXAMPLE_ARTICLES = ROOT / "examples"
SEEDS = ROOT / "tests" / "fixtures" / "conflicts" / "seeds.json"


def _story():
    claims = {c.id: c for c in [
        GoldClaim("denied", ("Kovalenko",), ("was not true",)),
        GoldClaim("confirmed", ("Pentagon",), ("had arrived in Russia",)),
        GoldClaim("call", ("Sybiha",), ("lift restrictions",)),
        GoldClaim("warning", ("Sybiha",), ("preparing to deploy",)),
    ]}
    return GoldStory("s", "tune", [], claims, [GoldPair(("denied", "confirmed"), "denial")],
                     allowed=[GoldPair(("denied", "warning"))], not_conflicts=[GoldPair(("denied", "call"))])


def test_scores_claims_by_speaker_and_conflicts_by_claim_pair():
    statements = [Statement("k", "Andrii Kovalenko", "The report was not true", speaker_aliases=["Kovalenko"]),
                  Statement("p", "Pentagon", "the DPRK military had arrived in Russia"),
                  Statement("c", "Andriy Sybiha", "to lift restrictions", speaker_aliases=["Sybiha"]),
                  Statement("w", "Andriy Sybiha", "Russia is preparing to deploy units", speaker_aliases=["Sybiha"]),
                  Statement("x", "Someone", "troops had arrived in Russia, it was said")]
    flagged = [Contradiction(("k", "c"), "", "denial"), Contradiction(("w", "k"), "", "denial"),
               Contradiction(("x", "k"), "", "denial")]
    r = score_story(_story(), statements, flagged)
    s = r.scores
    # "x" holds the Pentagon's snippet under another speaker: a claim attributed wrongly.
    assert (s.claims_found, s.holding, s.holding_right) == (4, 5, 4)
    assert (s.flagged, s.flagged_right, s.conflicts_found, s.forbidden_flagged) == (3, 1, 0, 1)
    assert [p.claims for p in r.missed] == [("denied", "confirmed")]
    # Both claims of the missed conflict were extracted: detection lost it, not extraction.
    assert (s.conflicts_claimed, s.claimed_recall, r.unreported) == (1, 0.0, frozenset())
    assert by_kind([r]) == {"denial": (1, 0)}
    found = score_story(_story(), statements, [Contradiction(("p", "k"), "", "denial")])
    assert (found.scores.conflict_precision, found.scores.conflict_recall) == (1.0, 1.0)
    assert by_kind([found]) == {"denial": (1, 1)}
    # Without the Pentagon's statement the conflict is lost to extraction.
    lost = score_story(_story(), [s for s in statements if s.id != "p"], [])
    assert (lost.scores.conflicts_claimed, lost.unreported) == (0, frozenset({"confirmed"}))


def test_gold_must_name_its_claims_and_kinds(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(" date 2025-01-01 Text.", encoding="utf-8")
    gold = {"format": "storyline-conflicts/1", "stories": [{
        "id": "s", "part": "tune", "articles": ["a.txt"], "claims": [{"id": "a", "texts": ["x"]}],
        "conflicts": [{"claims": ["a", "b"], "kind": "denial"}]}]}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(InputError, match="two of its claims"):
        read_gold(path)
    gold["stories"][0]["claims"].append({"id": "b", "texts": ["y"]})
    gold["stories"][0]["conflicts"][0]["kind"] = "disagreement"
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(InputError, match="kind"):
        read_gold(path)
    gold["stories"][0]["conflicts"][0]["kind"] = "denial"
    gold["stories"][0]["articles"] = ["missing.txt"]
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(InputError, match="--root"):
        read_gold(path)


def test_the_example_s_three_conflicts_are_found():
    scores, [result] = evaluate_conflicts(EXAMPLES, ("tune",), root=EXAMPLE_ARTICLES)["tune"]
    assert result.missed == [] and result.wrong == []
    assert (scores.conflict_recall, scores.conflict_precision, scores.claim_recall) == (1.0, 1.0, 1.0)


def test_the_seeds_call_to_act_is_not_set_against_the_denial(seeds_dir):
    scores, [result] = evaluate_conflicts(SEEDS, ("tune",), root=seeds_dir)["tune"]
    assert scores.forbidden_flagged == 0 and result.missed == []
    assert scores.conflict_precision == 1.0


def test_cli_reports_a_part_without_stories():
    result = CliRunner().invoke(app, ["eval", "conflicts", str(EXAMPLES), "--root", str(EXAMPLE_ARTICLES), "--part", "report"])
    assert result.exit_code == 0, result.output
    assert "no stories" in result.output


def test_a_gold_article_may_carry_its_date(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Mayor Adela Voss said the harbor bridge will reopen to traffic next week.\n", encoding="utf-8")
    gold = {"format": "storyline-conflicts/1", "stories": [{
        "id": "s", "part": "report", "articles": [{"path": "a.txt", "published": "2025-03-02"}],
        "claims": [{"id": "a", "speakers": ["Adela Voss"], "texts": ["will reopen to traffic"]}], "conflicts": []}]}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    (story,) = read_gold(path)
    assert story.articles == [GoldArticle(article, "2025-03-02")]
    statements, _ = story_findings(story.articles)
    # "next week" is read against the publication date (Sunday 2 March 2025, ISO week 9).
    assert [(s.speaker, s.date) for s in statements] == [("Adela Voss", "2025-W10")]
    assert article.read_text(encoding="utf-8").startswith("Mayor"), "the dated copy leaves the original alone"
    gold["stories"][0]["articles"] = [{"path": "a.txt", "published": "March 2"}]
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        read_gold(path)


def test_the_polnear_stories_are_split_and_dated(data_dir):
    stories = read_gold(POLNEAR, root=data_dir / "polnear")
    parts = [s.part for s in stories]
    assert (parts.count("tune"), parts.count("report")) == (12, 26)
    assert len({s.id for s in stories}) == len(stories)
    assert all(len(s.articles) >= 2 and all(a.published for a in s.articles) for s in stories)
    # Each story is several outlets on one event: no two of a story's articles share a publisher.
    assert all(len({a.path.name.split("_")[0] for a in s.articles}) == len(s.articles) for s in stories)


def test_the_polnear_report_part_holds_its_floor(data_dir):
    assert below_floor(load_floors(FLOORS), "conflicts/report", measure_conflicts(data_dir)) == []
