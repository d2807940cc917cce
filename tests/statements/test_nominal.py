"""Attributions written as a noun of saying with its source and a "that" clause."""

from storyline.statements.attribution import extract
from storyline.statements.boundaries import BoundaryModel
from storyline.statements.nlp import load_nlp
from storyline.statements.nominal import nominal_attributions

# These tests are about the rules' spans: the learned edges (statements.boundaries) have their own tests.
RULES = BoundaryModel({})


def _nominal(text: str) -> list[tuple[str, str, str]]:
    doc = load_nlp()(text)
    return [(text[n.source[0]:n.source[1]], n.noun.text, text[n.content[0]:n.content[1]])
            for n in nominal_attributions(doc)]


def _found(text: str) -> list[tuple[str | None, str, str, str | None]]:
    return [(a.speaker.text if a.speaker else None, a.cue.text, a.content.text, a.speaker_name)
            for a in extract(text, boundaries=RULES)]


def test_a_report_by_a_source():
    text = "On Monday it was a report by the Tribune that the mayor had hidden the audit."
    assert _nominal(text) == [("the Tribune", "report", "that the mayor had hidden the audit")]
    assert ("the Tribune", "report", "that the mayor had hidden the audit", "Tribune") in _found(text)


def test_a_possessor_is_the_source():
    text = "The governor's denial that he knew about the payments did not convince the committee."
    assert _nominal(text) == [("The governor", "denial", "that he knew about the payments")]
    text = "The claim by the union that wages had fallen was disputed."
    assert _nominal(text) == [("the union", "claim", "that wages had fallen")]


def test_a_possessive_the_parser_reads_as_a_verb():
    # A curly "’s" after a plural is parsed as a verb; the words before it still own the claim.
    text = "The footage contradicts Harlow police’s earlier claim that the driver had refused to stop."
    assert ("Harlow police", "claim", "that the driver had refused to stop") in [
        (s, c, t) for s, c, t, _ in _found(text)]


def test_no_source_or_a_relative_clause_gives_nothing():
    assert _nominal("He dismissed the allegation that he had lied.") == []
    assert _nominal("The report that he wrote last year was ignored.") == []
    assert _nominal("The senator's statement that was released on Friday said little.") == []
