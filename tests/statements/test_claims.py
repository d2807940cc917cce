"""Stances, topic terms and figures of claims, and the conflicts between them."""

import pytest

from storyline.statements.claims import (Stance, absences, figures, finds, is_call, key_terms, named_reports, points_back, stance,
                                         takes_back, topic_overlap, topic_terms)
from storyline.statements.conflicts import Claim, find_conflicts

DENIAL = ("said", "the information about Russia's alleged preparation of DPRK soldiers to be sent to the front "
                  "in Ukraine was not true")
NOT_YET = ("said", "the United States has not yet confirmed that North Korea is sending troops to Russia")
CONFIRMED = ("confirmed", "the DPRK military had arrived in Russia")
TEN = ("said", "Russia was training ten thousand North Korean soldiers for the war in Ukraine, including infantry")
ELEVEN = ("said", "nearly 11,000 soldiers from North Korea are currently training in eastern Russia to fight "
                  "against Ukraine")


@pytest.mark.parametrize("cue, content, expected", [
    (*DENIAL, Stance.DENIAL), (*NOT_YET, Stance.UNCONFIRMED), (*CONFIRMED, Stance.CONFIRMATION),
    ("denied", "that any troops had crossed", Stance.DENIAL), (*TEN, Stance.ASSERTION),
    ("said", "their presence was confirmed in the far east", Stance.CONFIRMATION),
    # how real stories word a disagreement
    ("said", "She just made it up", Stance.DENIAL), ("called", 'that report Friday a "boldfaced lie', Stance.DENIAL),
    ("said", "It cherry-picked a limited subset of her schedule", Stance.DENIAL),
    ("said", "the AP report is misleading", Stance.DENIAL), ("said", "I never said I would pay", Stance.DENIAL),
    ("disputed", "the count", Stance.DENIAL), ("said", "challenges lie ahead for the team", Stance.ASSERTION),
    ("Claim", "That the Mayor Sold the Harbor Isn’t True", Stance.DENIAL),
    ("said", "That’s ridiculous,", Stance.DENIAL), ("said", "This is completely wrong.", Stance.DENIAL),
    ("said", "that is wrong to cut the budget for schools in the north", Stance.ASSERTION),
])
def test_stance(cue, content, expected):
    assert stance(cue, content) == expected


def test_topic_terms_merge_the_names_of_one_thing():
    assert topic_terms("DPRK soldiers") == topic_terms("North Korean troops") == {"north_korea", "troop"}
    assert topic_overlap(topic_terms(CONFIRMED[1]), topic_terms(NOT_YET[1])) == 1.0
    assert topic_overlap(topic_terms("The weather was fine in Paris"), topic_terms(CONFIRMED[1])) == 0.0


def test_what_a_denial_points_at():
    assert points_back("the allegation") and points_back('that report Friday a "boldfaced lie')
    assert not points_back("the committee appears to skirt legal limits")
    # a bare verdict on what was just said points back too
    assert points_back("That’s not true,") and points_back("This is completely false.") and points_back("It is a lie")
    assert not points_back("it was false that the mayor paid the contractor")
    assert named_reports("the AP report is misleading") == ("ap",)
    assert named_reports("Politico's story about West Point") == ("politico",)
    assert named_reports("Clinton met donors") == ()
    assert takes_back("I never said I was going to pay") and takes_back("he didn't say that")
    assert is_call("called for") and not is_call("said")


def test_a_share_is_not_a_count():
    assert figures("four of five states voted") == []
    assert [(f.value, f.noun) for f in figures("three early states")] == [(3, "states")]


def test_figures():
    assert [(f.value, f.noun) for f in figures(TEN[1])] == [(10_000, "troops")]
    assert [(f.value, f.noun) for f in figures(ELEVEN[1])] == [(11_000, "troops")]
    assert [(f.value, f.noun) for f in figures("1.5 million people fled")] == [(1_500_000, "people")]
    assert figures("several thousand soldiers") == []


def _claim(id_, speaker, cue_content, order):
    cue, content = cue_content
    return Claim(id_, speaker, content, stance(cue, content), topic_terms(content), tuple(figures(content)),
                 (order,), key_terms(content))


def test_conflicts_in_the_seeds_background_block():
    claims = [_claim("z", "Volodymyr Zelenskyy", TEN, 1), _claim("k", "Andrii Kovalenko", DENIAL, 2),
              _claim("b", "Kyrylo Budanov", ELEVEN, 3), _claim("a", "Lloyd Austin", NOT_YET, 4),
              _claim("p", "Pentagon", CONFIRMED, 5)]
    found = {(c.statement_ids, c.kind) for c in find_conflicts(claims)}
    assert (("a", "p"), "unconfirmed") in found
    assert (("z", "b"), "figures") in found
    assert (("k", "p"), "denial") in found
    reasons = {c.kind: c.reason for c in find_conflicts(claims)}
    assert "10,000" in reasons["figures"] and "11,000" in reasons["figures"]
    assert reasons["unconfirmed"].startswith("Lloyd Austin: not yet confirmed")


def test_no_conflict_between_unrelated_or_agreeing_claims():
    claims = [_claim("a", "A", ("said", "the bridge will reopen on Monday after repairs"), 1),
              _claim("b", "B", ("denied", "that the election results were falsified"), 2),
              _claim("c", "C", CONFIRMED, 3), _claim("d", "D", ("confirmed", "DPRK troops arrived in Russia"), 4)]
    assert find_conflicts(claims) == []
    # A later "not yet confirmed" does not contradict an earlier confirmation in time order.
    assert find_conflicts([_claim("p", "Pentagon", CONFIRMED, 1), _claim("a", "Lloyd Austin", NOT_YET, 2)]) == []


def test_a_call_that_mentions_another_s_confirmation_confirms_nothing():
    call = ("called for", "Ukraine to immediately lift restrictions on long-range strikes on Russian territory "
                          "after NATO confirmed information about the presence of DPRK troops in Russia")
    assert stance(*call) == Stance.ASSERTION
    assert stance("said", "the presence of DPRK troops has been officially confirmed") == Stance.CONFIRMATION
    claims = [_claim("s", "Andriy Sybiha", call, 1), _claim("k", "Andrii Kovalenko", DENIAL, 2)]
    assert find_conflicts(claims) == []


def test_one_speaker_confirming_later_what_they_had_not_confirmed_in_other_words():
    not_yet = ("said", "the Inspectorate has not yet confirmed that the neighbouring Pier 5 is also damaged")
    later = ("confirmed", "hairline cracks had also been found on Pier 5")
    other_pier = ("confirmed", "hairline cracks had also been found on Pier 4")
    assert key_terms(not_yet[1]) == key_terms(later[1]) == {"pier_5"}
    found = find_conflicts([_claim("a", "Oren Malisz", not_yet, 1), _claim("b", "Oren Malisz", later, 2)])
    assert [(c.statement_ids, c.kind) for c in found] == [(("a", "b"), "unconfirmed")]
    assert find_conflicts([_claim("a", "Oren Malisz", not_yet, 1), _claim("b", "Oren Malisz", other_pier, 2)]) == []
    # Another speaker's confirmation must be about the same proposition in the same words.
    assert find_conflicts([_claim("a", "Oren Malisz", not_yet, 1), _claim("b", "Someone Else", later, 2)]) == []


def test_a_revised_figure_with_little_wording_in_common():
    announced = ("said", "Brennholt Construction, the company that built the Halvek Harbor Bridge in 1987, will send "
                         "some 300 workers to repair the damaged Pier 4")
    revised = ("said", "its 340 workers will stay on the bridge until at least the end of April")
    found = find_conflicts([_claim("a", "Yurii Hrabovan", announced, 1), _claim("b", "Brennholt", revised, 2)])
    assert [(c.statement_ids, c.kind) for c in found] == [(("a", "b"), "figures")]


@pytest.mark.parametrize("text, absent, found", [
    ("the archive holds no record of the lease nor of a signed permit for the site", {"lease", "permit"}, set()),
    ("inspectors found no trace of the missing barrels", {"barrel"}, set()),
    ("no evidence that the mayor knew", set(), set()),  # of a proposition, not of a thing
    ("the museum had found the original letter and would show it", set(), {"letter"}),
    ("divers recovered a second anchor near the pier", set(), {"anchor"}),
    ("the police never found the car", set(), set()),  # a find denied
    ("auditors who have found no evidence of the invoices so far", {"invoice"}, set()),
    ("there are no secret tunnels linking the two buildings", {"tunnel"}, set()),
    ("he didn't have a specific contract in mind, but the firm is often hired", {"contract"}, set()),
    ("there is no doubt that the firm was hired", set(), set()),  # no thing one could show
    ("Here is the invoice for the repair you claim never happened. Still waiting.", set(), {"repair"}),
    ("the permit which they say did not exist is on file", set(), {"permit"}),
])
def test_absences_and_finds(text, absent, found):
    assert (set(absences(text)), set(finds(text))) == (absent, found)


def test_absences_of_things_spoken_of_before():
    assert absences("auditors found no evidence of the invoices so far", referring=True) == {"invoice"}
    assert absences("he didn't have a specific contract in mind", referring=True) == {"contract"}
    assert absences("there are no such tunnels", referring=True) == {"tunnel"}
    assert absences("there was no telephone call planned", referring=True) == frozenset()
    assert absences("the firm does not have a strategy", referring=True) == frozenset()


def test_measures_and_changes_are_no_counts():
    # a unit of time, score or money names no thing counted: "eight years" since what, "seven points" of which poll
    assert figures("the mayor has led the port for eight years") == []
    assert figures("the survey put Ruiz ahead by seven points") == []
    assert figures("the pilot had logged 4,100 flying hours") == []
    # "more" counts an increase, not how many there are
    [more] = figures("nearly nine million more workers will be covered")
    assert (more.value, more.noun, more.change) == (9_000_000, "workers", True)
    [total] = figures("4.2 million workers will be covered")
    assert not total.change


def test_figures_conflict_only_on_one_counted_thing():
    # "people" is all the two share: two different groups of people
    group = _claim("g", "Dora Lind", ("said", "there are two people on the board who know the harbour"), 1)
    panel = _claim("p", "Ivo Brandt", ("named", "five people to the committee"), 2)
    assert find_conflicts([group, panel]) == []
    # a total against an increase of the same workers is no revision
    total = _claim("t", "Labour office", ("said", "4.2 million workers will become eligible for overtime pay"), 1)
    more = _claim("m", "Tom Berg", ("said", "nearly 5 million more workers eligible for overtime pay will be "
                                             "protected"), 2)
    assert find_conflicts([total, more]) == []
    # the narrator's background figure is no one's claim to set against a speaker's
    told = _claim("n", "unattributed", ("", "the two million members of the dockers' union in the north"), 1)
    union = _claim("u", "Ana Ruiz", ("said", "her 2.1 million members of the dockers' union"), 2)
    assert find_conflicts([told, union]) == []
    # the same count of one thing, worded apart, is still a revision
    first = _claim("a", "Ana Ruiz", ("said", "some 300 workers were sent to repair the dam"), 1)
    second = _claim("b", "Tom Berg", ("said", "340 workers are at the dam"), 2)
    assert [c.kind for c in find_conflicts([first, second])] == ["figures"]


def test_a_pointer_with_a_clause_of_its_own_points_nowhere():
    assert not points_back("the notion that the council is calling the mayor corrupt")
    assert not points_back("the idea that the changes amounted to a purge")
    assert not points_back("the story about the mayor's emails")
    assert points_back("the notion") and points_back("the reports")


def test_a_question_left_open_takes_nothing_back():
    assert not takes_back("he did not say who made the apology")
    assert stance("told", "he did not say who made the apology") == Stance.ASSERTION
    assert takes_back("I did not say I would pay") and stance("said", "I did not say I would pay") == Stance.DENIAL
    # "an additional 328 emails" is an increase, as "328 more emails" is
    assert [f.change for f in figures("found an additional 328 emails")] == [True]


def test_a_question_or_a_thing_withheld_denies_nothing():
    assert stance("denies", "“why would anyone want to close the harbour?”") == Stance.ASSERTION
    # "want to deny him a chance to speak": withholding, not a denial of a claim
    assert stance("deny", "a chance to present the plan as a sign of approval") == Stance.ASSERTION
    assert stance("denied", "access to the council's files") == Stance.ASSERTION
    assert stance("denied", "having access to the council's files") == Stance.DENIAL
    assert stance("denied", "any wrongdoing") == Stance.DENIAL
