"""Ways of saying the verb rules read short: no evidence, a verdict's reason, a content the parser broke off."""

from storyline.statements.attribution import extract
from storyline.statements.boundaries import BoundaryModel

# These tests are about the rules' spans: the learned edges (statements.boundaries) have their own tests.
RULES = BoundaryModel({})


def _found(text: str) -> list[tuple[str | None, str, str]]:
    return [(a.speaker.text if a.speaker else None, a.cue.text, a.content.text) for a in extract(text, boundaries=RULES)]


def test_having_no_evidence_is_said_by_the_haver():
    found = _found("Auditors have no evidence to suggest that the fund lost money.")
    assert found == [("Auditors", "have", "no evidence to suggest that the fund lost money")]
    # an aside after a dash is the writer's
    found = _found("Inspectors have no evidence that the pump failed - despite a claim by the operator - and "
                   "will close the case.")
    assert ("Inspectors", "have", "no evidence that the pump failed") in found
    # evidence someone has is no absence
    assert all(cue != "have" for _, cue, _ in _found("Police have evidence that the car was stolen."))


def test_a_verdict_keeps_its_reason():
    found = _found("The panel deemed those claims false because no such order was ever signed.")
    assert ("The panel", "deemed", "those claims false because no such order was ever signed") in found
    # without a verdict (an object and what it was judged to be) the reason stays out
    assert ("The mayor", "praised", "the plan") in _found("The mayor praised the plan because it would save money.")


def test_words_the_parser_left_unattached_continue_a_content():
    found = _found("Saudi officials deny any links to terrorism groups, but critics point to Saudi charities "
                   "that fund organizations suspected of ties to militant cells.")
    assert ("critics", "point to", "Saudi charities that fund organizations suspected of ties to militant cells") \
        in found
