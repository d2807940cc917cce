"""What a denial answers: a claim quoted again before it, an accusation, a speaker it names."""

from storyline.statements.claims import (
    absences,
    figures,
    finds,
    key_terms,
    points_back,
    stance,
    topic_terms,
)
from storyline.statements.conflicts import Claim, find_conflicts


def _claim(id_, speaker, cue, content, order, where, reports=(), names=frozenset()):
    return Claim(id_, speaker, content, stance(cue, content), topic_terms(content), tuple(figures(content)),
                 (order,), key_terms(content), points_back=points_back(content), names=names, where=where,
                 reports=reports, absent=absences(content), found=finds(content),
                 referred=absences(content, referring=True))


def _pairs(claims):
    return {frozenset(c.statement_ids) for c in find_conflicts(claims)}


def test_a_pointer_answers_the_claim_quoted_just_before_it_in_its_article():
    # The mayor's claim was first reported in article A; article B quotes it again (report 5), then
    # another claim of the mayor's (report 6 would be nearer, but it is reported after the answer).
    first = _claim("m1", "Ana Ruiz", "said", "the new reservoir will be finished by June", 1, ("A", 2),
                   reports=(("A", 2), ("B", 5)))
    other = _claim("m2", "Ana Ruiz", "said", "the budget for parks will grow next year", 2, ("B", 3))
    answer = _claim("d", "Council audit office", "called", "that claim a fabrication", 3, ("B", 7))
    assert _pairs([first, other, answer]) == {frozenset(("m1", "d"))}


def test_an_accusation_called_a_lie_is_answered():
    accusation = _claim("acc", "Tribune", "report", 'that he "fabricated" his war record', 1, ("A", 4))
    reply = _claim("lie", "Tom Hale", "called", 'that report a "boldfaced lie"', 2, ("A", 5))
    assert _pairs([accusation, reply]) == {frozenset(("acc", "lie"))}
    # a denial that itself only points back ("rejected the allegation") is no accusation to answer
    first = _claim("r1", "Hale campaign", "rejected", "the allegation", 1, ("A", 4))
    again = _claim("r2", "Tom Hale", "called", 'that report a "boldfaced lie"', 2, ("A", 5))
    assert _pairs([first, again]) == set()


def test_no_evidence_that_a_named_speaker_did_what_they_claim():
    claim = _claim("c", "Ivo Brandt", "said", "he had access to the mayor's private email server", 1, ("A", 1),
                   names=frozenset({"ivo", "brandt"}))
    unrelated = _claim("u", "Ivo Brandt", "said", "he would plead guilty to the fraud charges", 2, ("A", 2),
                       names=frozenset({"ivo", "brandt"}))
    denial = _claim("d", "Investigators", "have", "no evidence to suggest that Brandt accessed the mayor's email",
                    3, ("B", 1), names=frozenset({"investigators"}))
    assert _pairs([claim, unrelated, denial]) == {frozenset(("c", "d"))}
    # without the name, or with too little in common, nothing is answered
    vague = _claim("v", "Investigators", "have", "no evidence that the server was breached", 3, ("B", 1))
    assert _pairs([claim, unrelated, vague]) == set()


def test_a_thing_said_to_leave_no_trace_against_the_claim_that_brought_it_up():
    headline = _claim("h", "Lena Voss", "Claim", "That the Mayor Took Bribes Isn’t True", 0, ("A", 0))
    nobody = _claim("n", "unattributed", "said", "the most careful auditor of the harbor invoices", 1, ("A", 1))
    shown = _claim("s", "Lena Voss", "said", "They are sending invoices of the mayor's harbor deals to the press", 2,
                   ("A", 2))
    again = _claim("g", "Lena Voss", "said", "the invoices will be published next week", 3, ("A", 3))
    none = _claim("x", "Auditors", "noted", "that a few clerks have found no evidence of the invoices so far", 4,
                  ("A", 4))
    own = _claim("o", "Tom Berg", "said", "She didn't have a specific invoice in mind, but deals were made", 5,
                 ("B", 1))
    # each absence meets the claim that brought the invoices up, not a denial, not a claim of no one's,
    # not a later mention of them
    assert _pairs([headline, nobody, shown, again, none, own]) == {frozenset(("s", "x")), frozenset(("s", "o"))}
    # what the speaker says there is none of is not another speaker's thing, nor a thing they do
    # not speak of as brought up before ("there was no call", "does not have a plan for the invoices")
    other = _claim("t", "Tom Berg", "said", "there are no parking spaces near the harbor", 6, ("B", 2))
    assert _pairs([shown, other]) == set()
    fresh = _claim("f", "Tom Berg", "said", "there were no invoices sent before May", 6, ("B", 2))
    assert _pairs([shown, fresh]) == set()


def test_a_thing_shown_against_its_absence():
    absent = _claim("a", "Daily Ledger", "found", "no record of the permit nor of the inspection", 1, ("A", 1))
    shown = _claim("b", "Ira Kent", "wrote", "Here is a copy of the permit you claim never existed", 2, ("B", 1))
    assert [c.kind for c in find_conflicts([absent, shown])] == ["contradiction"]


def test_a_claim_that_says_it_contradicts_another():
    from storyline.statements.claims import contradicted
    text = "that the driver stopped at the light, contradicting the company's earlier account that " \
           "the driver had run the red light"
    assert contradicted(text) == ("that the driver stopped at the light",
                                  "the driver had run the red light")
    assert contradicted("contrary to expectations, sales rose") is None
    company = _claim("c", "Fleetline", "said", "the driver had run the red light at the crossing", 1, ("A", 1))
    part = _claim("p", "Officer Dunn", "said", "to run the red light", 2, ("A", 2))  # a part of what is quoted
    camera = _claim("v", "Footage", "shows", text, 3, ("A", 3))
    witness = _claim("w", "Mara Lind", "said", "The driver stopped at the light, I saw it", 4, ("B", 1))
    other = _claim("o", "Mara Lind", "said", "the crossing needs a new light", 5, ("B", 2))
    assert _pairs([company, part, camera, witness, other]) == {frozenset(("c", "v")), frozenset(("c", "w"))}


def test_a_bare_denial_answers_what_the_person_it_names_by_pronoun_said_just_before():
    from dataclasses import replace

    from storyline.statements.claims import pronoun_subject
    assert pronoun_subject("“He just invented it,”") == "he" and pronoun_subject("the plan, he said") == ""
    mayor = replace(_claim("m", "Ana Ruiz", "said", "the reservoir will be finished by June", 2, ("A", 2)), gender="f")
    office = _claim("o", "Audit office", "noted", "that the contract was signed in May", 3, ("A", 3))
    denial = _claim("d", "Tom Berg", "said", "“She just made it up,”", 1, ("A", 4))  # its sentence names an earlier day
    denial = replace(denial, subject=pronoun_subject(denial.text))
    assert _pairs([mayor, office, denial]) == {frozenset(("m", "d"))}
    # "he" fits no one before it; a denial with a matter of its own is compared on that matter
    assert _pairs([mayor, office, replace(denial, subject="he")]) == set()
    worded = _claim("w", "Tom Berg", "said", "She made up the reservoir schedule and the budget", 4, ("A", 4))
    assert _pairs([mayor, office, replace(worded, subject="she")]) == set()


def test_a_denial_answers_the_charge_reported_right_beside_it_that_names_the_denier():
    names = frozenset({"norland"})
    denial = _claim("d", "Norland officials", "deny", "any links to terrorist groups", 2, ("A", 5), names=names)
    charge = _claim("c", "critics", "point to", "Norland banks that fund groups suspected of ties to militant cells",
                    3, ("A", 6))
    far = _claim("f", "analysts", "said", "Norland ports have ties to militant smugglers", 1, ("A", 2))
    assert _pairs([far, denial, charge]) == {frozenset(("d", "c"))}
    # beside it but naming someone else, or naming the denier on another matter: nothing
    other = _claim("o", "critics", "point to", "Vessia banks that fund groups suspected of ties to militant cells",
                   3, ("A", 6))
    unrelated = _claim("u", "critics", "said", "Norland will host the summit next year", 3, ("A", 6))
    assert _pairs([far, denial, other]) == set() and _pairs([far, denial, unrelated]) == set()


def _with(claim, **fields):
    from dataclasses import replace
    return replace(claim, **fields)


def test_a_denial_answers_an_accusation_that_names_the_denier():
    from storyline.statements.claims import accused, accuses
    assert accuses("accused") and not accuses("said")
    assert accused("accused", "Mayor Ruiz of hiding the harbor report") == {"mayor", "ruiz"}
    assert accused("said", "Mayor Ruiz of hiding the harbor report") == frozenset()
    charge = _with(_claim("c", "Council members", "accused", "Ruiz of hiding the harbor report", 1, ("A", 1)),
                   accuses=True, charged=accused("accused", "Ruiz of hiding the harbor report"))
    other = _with(_claim("o", "Council members", "accused", "Berg of hiding the budget", 2, ("A", 2)), accuses=True,
                  charged=frozenset({"berg"}))
    denial = _claim("d", "Ana Ruiz", "denied", "hiding any report about the harbor", 3, ("B", 7),
                    names=frozenset({"ana", "ruiz"}))
    assert _pairs([charge, other, denial]) == {frozenset(("c", "d"))}
    # a claim that charges no one is not answered this way
    assert _pairs([_with(charge, accuses=False), other, denial]) == set()
    assert _pairs([_with(charge, charged=frozenset()), other, denial]) == set()


def test_a_remark_explained_against_a_charge_about_it():
    from storyline.statements.claims import explained
    assert explained("a statement saying that Okafor meant voters who back the levy are united") == {"okafor"}
    assert explained("whatever he meant, the words were reckless") == frozenset()
    charge = _with(_claim("c", "Opponents", "accused", "Okafor of threatening the judges", 1, ("A", 1)),
                   accuses=True, charged=frozenset({"okafor"}))
    meant = _claim("m", "Okafor campaign", "issued", "a statement saying that Okafor meant voters who back the levy "
                   "are united", 2, ("A", 2))
    meant = _with(meant, explains=explained(meant.text))
    assert [c.kind for c in find_conflicts([charge, meant])] == ["contradiction"]
    # the one who charged explaining it is no disagreement
    assert find_conflicts([charge, _with(meant, speaker="Opponents")]) == []


def test_one_predication_said_and_denied_by_two_speakers():
    from storyline.statements.claims import opposed, predications
    no = predications("Norland will not pay for the new bridge, the minister said")
    yes = predications("Norland will pay for the bridge, believe me", frozenset({"norland"}))
    assert opposed(no, yes) is not None and opposed(yes, no) is not None
    assert opposed(predications("the company didn't pay the fines it owed"),
                   predications("the company paid the fines in March", frozenset({"company"}))) is not None
    # another subject, another verb, another object, a pronoun for subject: nothing to set apart
    subjects = frozenset({"norland", "vessia", "he"})
    assert opposed(no, predications("Vessia will pay for the bridge", subjects)) is None
    assert opposed(no, predications("Norland will build the bridge", subjects)) is None
    assert opposed(no, predications("Norland will pay for the tunnel", subjects)) is None
    assert opposed(predications("he did not pay taxes"), predications("he paid taxes", subjects)) is None

    def claim(id_, speaker, content, order):
        return _with(_claim(id_, speaker, "said", content, order, ("A", order)), predications=predications(content))
    found = find_conflicts([claim("a", "Tom Berg", "Norland will pay for the bridge, believe me", 1),
                            claim("b", "Ana Ruiz", "Norland will not pay for the new bridge", 2),
                            claim("c", "Tom Berg", "Norland will not pay for the new bridge either way", 3)])
    assert [(c.statement_ids, c.kind) for c in found] == [(("a", "b"), "contradiction")]


def test_a_negation_over_a_comparison_does_not_deny_the_bare_predicate():
    from storyline.statements.claims import opposed, predications
    pier = frozenset({"pier"})
    assert predications("the pier will not stay closed a day longer than needed") == ()
    assert predications("the pier will not stay closed after Friday") == ()
    assert predications("the pier will not stay closed", pier) == ()  # asserted ones only
    assert opposed(predications("the pier will not stay closed"), predications("The pier stays closed", pier))


def test_i_is_the_speaker_and_no_evidence_that_negates_the_clause():
    from storyline.statements.claims import predications

    def claim(id_, speaker, content, order, names=frozenset()):
        return _with(_claim(id_, speaker, "said", content, order, ("A", order), names=names),
                     predications=predications(content))
    own = claim("o", "Tom Berg", "“I never mocked the reporter, not once,”", 2, names=frozenset({"tom", "berg"}))
    seen = claim("s", "Lena Voss", "Berg mocked a disabled reporter at the rally", 1)
    assert _pairs([seen, own]) == {frozenset(("s", "o"))}
    # a speaker without a name says nothing of whom "I" is
    assert _pairs([seen, _with(own, names=frozenset())]) == set()
    hacked = claim("h", "Ana Ruiz", "Vessia hacked the voting machines in the north", 1)
    nothing = claim("n", "Investigators", "no evidence that Vessia hacked the voting machines", 2)
    assert _pairs([hacked, nothing]) == {frozenset(("h", "n"))}


def test_no_predication_without_a_verb_and_a_charge_must_charge_the_denier():
    from storyline.statements.claims import predications
    assert predications("Norland was not a real partner on trade") == ()
    victim = _with(_claim("v", "Council members", "accused", "Berg of attacking Ruiz over the harbor report", 1,
                          ("A", 1)), accuses=True, charged=frozenset({"berg"}))
    denial = _claim("d", "Ana Ruiz", "denied", "hiding any report about the harbor", 3, ("B", 7),
                    names=frozenset({"ana", "ruiz"}))
    assert _pairs([victim, denial]) == set()


def test_rejecting_the_notion_that_answers_no_unrelated_quote_before_it():
    quote = _claim("q", "Lena Voss", "said", "I would call him old-fashioned in the best sense", 1, ("A", 3))
    notion = _claim("n", "Tom Hale", "rejected", "the notion that he was part of the party establishment", 2,
                    ("A", 4))
    assert _pairs([quote, notion]) == set()
    # the bare pointer still answers the claim just before it
    bare = _claim("b", "Tom Hale", "rejected", "the notion", 2, ("A", 4))
    assert _pairs([quote, bare]) == {frozenset(("q", "b"))}


def test_one_person_named_two_ways_does_not_deny_himself():
    # "Bill de Blasio" and, at a sentence start, "De Blasio": one speaker, though the names differ
    own = _claim("o", "De Blasio", "said", "the unit was closed by the police commissioner Bill Harte", 1, ("A", 1))
    denial = _claim("d", "Bill de Blasio", "rejected", "criticism that closing the unit made the city less safe",
                    2, ("A", 2), names=frozenset({"bill", "de", "blasio"}))
    assert _pairs([own, denial]) == set()
    # another speaker's charge naming him beside the denial is still answered
    charge = _claim("c", "Tom Hale", "said", "Bill de Blasio made the city less safe by closing the unit", 1, ("A", 1))
    assert _pairs([charge, denial]) == {frozenset(("c", "d"))}


def test_a_narrower_count_is_another_thing():
    court = _claim("c", "Ivo Brandt", "said", "a brief that could win five justices on the court", 1, ("A", 1))
    liberal = _claim("l", "Dora Lind", "said", "the court's four liberal justices", 2, ("A", 2))
    assert _pairs([court, liberal]) == set()
    # a modifier the other claim holds too narrows nothing
    north = _claim("n", "Ana Ruiz", "said", "ten thousand North Korean soldiers are training in Russia", 1, ("A", 1))
    other = _claim("o", "Tom Berg", "said", "nearly 11,000 soldiers from North Korea are training in Russia", 2,
                   ("B", 1))
    assert _pairs([north, other]) == {frozenset(("n", "o"))}


def test_a_question_is_no_claim_a_denial_answers():
    asked = _claim("q", "Dora Lind", "asked", "why would the council not want to check the dam?", 1, ("A", 3))
    bare = _claim("b", "Ivo Brandt", "rejected", "the allegation", 2, ("A", 4))
    assert _pairs([asked, bare]) == set()
    stated = _claim("s", "Dora Lind", "said", "the council did not check the dam", 1, ("A", 3))
    assert _pairs([stated, bare]) == {frozenset(("s", "b"))}
