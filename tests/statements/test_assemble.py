"""A story's claims from stored statements: merged across copies and rewordings, ordered, conflicts found."""

import random

from storyline.statements.assemble import UNKNOWN_SPEAKER, story_statements
from storyline.statements.ports import StatementRef, StoredStatement


def _s(article, n, speaker, content, cue="said", date=None, published="2024-10-28", origin=None, role=""):
    return StoredStatement(article, published, n, n, speaker, speaker, role, cue, content, "indirect", date,
                           origin or StatementRef(article, n))


def test_copies_and_rewordings_are_one_claim_with_every_article():
    stored = [
        _s("a", 0, "Andriy Sybiha", "Ukraine must be allowed to strike military targets deep inside Russia"),
        _s("b", 0, "Sibiga", "Ukraine must be allowed to strike military targets deep inside Russia now",
           origin=StatementRef("a", 0)),
        _s("c", 0, "Andrii Sybiha", "Ukraine must be allowed to strike military targets deep in Russia"),
        _s("c", 1, "Kyrylo Budanov", "Ukraine must be allowed to strike military targets deep in Russia"),
    ]
    statements, _ = story_statements(stored, 0.5)
    by_speaker = {s.speaker: s for s in statements}
    assert set(by_speaker) == {"Andriy Sybiha", "Kyrylo Budanov"}
    assert by_speaker["Andriy Sybiha"].article_ids == ["a", "b", "c"]
    assert by_speaker["Andriy Sybiha"].speaker_aliases == ["Sibiga", "Andrii Sybiha"]
    assert by_speaker["Kyrylo Budanov"].article_ids == ["c"]


def test_order_is_by_date_and_ids_do_not_depend_on_input_order():
    stored = [_s("a", 0, "Volodymyr Zelenskyy", "troops would be used in combat zones", date="2024-10-25"),
              _s("a", 1, "Kim Yong-hyun", "the DPRK could send its military", date="2024-10"),
              _s("b", 0, "Lloyd Austin", "the United States has not yet confirmed it", published="2024-10-29"),
              _s("a", 2, "Volodymyr Zelenskyy", "Russia was training ten thousand soldiers", date="2024-10-17")]
    statements, _ = story_statements(stored, 0.5)
    assert [s.date for s in statements] == ["2024-10", "2024-10-17", "2024-10-25", "2024-10-29"]
    shuffled = stored[:]
    random.Random(3).shuffle(shuffled)
    assert story_statements(shuffled, 0.5)[0] == statements


def test_this_points_back_and_nested_claims_keep_the_one_that_says_something():
    stored = [
        _s("a", 0, "Andriy Sybiha", "Ukraine should immediately lift restrictions on long-range strikes", "called for"),
        _s("a", 1, "Sibiga", "this"),
        _s("a", 2, "Lloyd Austin", "the United States has not yet confirmed that North Korea is sending troops"),
        _s("a", 3, "United States", "that North Korea is sending troops", "confirmed"),
        _s("a", 4, None, "that NATO Secretary General Mark Rutte confirmed Russia's involvement of soldiers",
           "reported"),
        _s("a", 5, "Mark Rutte", "Russia's involvement of soldiers", "confirmed"),
        _s("a", 6, "Censor", "Ukrinform"),
    ]
    statements, conflicts = story_statements(stored, 0.5)
    assert [(s.speaker, s.speaker_aliases) for s in statements] == [
        ("Andriy Sybiha", ["Sibiga"]), ("Lloyd Austin", []), ("Mark Rutte", [])]
    assert UNKNOWN_SPEAKER not in {s.speaker for s in statements}
    assert conflicts == []


def test_conflicts_come_with_the_story():
    stored = [
        _s("a", 0, "Andrii Kovalenko", "the information about DPRK soldiers sent to Russia was not true"),
        _s("a", 1, "Lloyd Austin", "the United States has not yet confirmed that North Korean troops are in Russia"),
        _s("a", 2, "Pentagon", "the DPRK military had arrived in Russia", "confirmed"),
    ]
    statements, conflicts = story_statements(stored, 0.5)
    ids = {s.speaker: s.id for s in statements}
    assert {(c.kind, c.statement_ids) for c in conflicts} == {
        ("denial", (ids["Andrii Kovalenko"], ids["Pentagon"])),
        ("unconfirmed", (ids["Lloyd Austin"], ids["Pentagon"]))}


def _in(article, n, passage, speaker, content, cue):
    return StoredStatement(article, "2024-10-28", n, passage, speaker, speaker, "", cue, content, "indirect", None,
                           StatementRef(article, n))


def test_outlets_that_relay_a_named_speaker_are_not_speakers_of_the_claim():
    relayed = "this was stated by Polish Foreign Minister Radoslaw Sikorski during an interview"
    stored = [
        _in("a", 0, 0, "Radoslaw Sikorski", "there are different reports about the location of the soldiers", "said"),
        _in("a", 1, 1, "Censor.NET", relayed, "According to"),
        _in("a", 2, 1, "Radoslaw Sikorski", "this", "stated"),
        _in("a", 3, 2, "Censor.NET", "Sibiga said this on the social network X", "reports"),
        _in("a", 4, 2, "Sibiga", "this", "said"),
        # an outlet that says something of its own is kept, even next to a named speaker elsewhere
        _in("a", 5, 3, "Washington Post", "several thousand soldiers are being trained in Russia", "wrote"),
        _in("a", 6, 4, "Radoslaw Sikorski", "Putin's allies are the leaders of North Korea and Iran, which, "
            "according to him, can hardly be called progress", "said"),
        _in("a", 7, 4, "Radoslaw Sikorski", "which, according to him, can hardly be called progress", "according to"),
    ]
    statements, _ = story_statements(stored, 0.5)
    assert [(s.speaker, s.text[:30]) for s in statements] == [
        ("Radoslaw Sikorski", "there are different reports ab"),
        ("Washington Post", "several thousand soldiers are "),
        ("Radoslaw Sikorski", "Putin's allies are the leaders")]


def _pairs(stored):
    statements, conflicts = story_statements(stored, 0.5)
    text = {s.id: s.text for s in statements}
    return {(text[a], text[b]) for a, b in (c.statement_ids for c in conflicts)}


def test_a_denial_that_only_points_back_answers_the_claim_just_before_it():
    # "Sanders' team said the committee appears to skirt … Clinton and the DNC rejected the allegation."
    skirt = "the committee appears to skirt legal limits on donations"
    stored = [_s("a", 0, "Tad Devine", "we are nowhere near the end game"),
              _s("a", 1, "Sanders' team", skirt),
              _s("a", 2, "Clinton and the DNC", "the allegation", cue="rejected")]
    assert _pairs(stored) == {(skirt, "the allegation")}


def test_a_denial_of_a_named_report_answers_that_source_s_claim():
    count = "85 of the 154 meetings Clinton had with people outside government were with donors"
    stored = [_s("a", 0, "AP", count),
              _s("a", 1, "Clinton", "she met with leaders of many countries as secretary of state"),
              _s("b", 0, "Brian Fallon", "the AP report is misleading because it counts only some meetings")]
    assert _pairs(stored) == {(count, "the AP report is misleading because it counts only some meetings")}


def test_a_speaker_taking_back_an_earlier_claim():
    stored = [_s("a", 0, "Trump", "he had asked his people to look into paying the fees"),
              _s("a", 1, "Trump", "I never said I was going to pay for fees.")]
    assert _pairs(stored) == {("he had asked his people to look into paying the fees",
                               "I never said I was going to pay for fees.")}


def test_a_denial_never_answers_a_call_to_act_nor_an_unrelated_claim():
    stored = [_s("a", 0, "Sybiha", "allies to lift restrictions on long-range strikes", cue="called for"),
              _s("a", 1, "Kovalenko", "the allegation", cue="rejected"),
              _s("a", 2, "Budanov", "the weather in Kharkiv was fine on Monday"),
              _s("a", 3, "Trump", "I never said I was going to pay for fees.")]
    assert _pairs(stored) == set()


def test_a_thing_found_against_no_record_of_it():
    lease = "the archive has no record of the lease nor of a permit for the warehouse"
    found = "her office had found the signed lease and would publish it"
    stored = [_s("a", 0, "City Archive", lease),
              _s("b", 0, "Mayor Ruiz", found, published="2024-10-29"),
              _s("b", 1, "Mayor Ruiz", "the lease of the harbour office ends in May", published="2024-10-29"),
              _s("b", 2, "City Archive", "it never found the lease", published="2024-10-29")]
    statements, conflicts = story_statements(stored, 0.5)
    text = {s.id: s.text for s in statements}
    assert [((text[a], text[b]), c.kind) for c in conflicts for a, b in [c.statement_ids]] == [
        ((lease, found), "contradiction")]


def test_a_campaign_named_for_a_person_speaks_apart_from_the_person():
    stored = [_s("a", 0, "Dana Whitfield", "the plant will stay open through the winter"),
              _s("a", 1, "The Whitfield campaign", "the poll was misleading because it left out rural voters"),
              _s("a", 2, "Lee Ortiz, a spokesman for the Whitfield campaign", "the figures are being checked again")]
    # As the extractor gives it: the name part of the phrase is the speaker's name.
    stored[2] = StoredStatement("a", "2024-10-28", 2, 2, stored[2].speaker, "Lee Ortiz", "", "said",
                                stored[2].content, "indirect", None, StatementRef("a", 2))
    statements, _ = story_statements(stored, 0.5)
    assert [s.speaker for s in statements] == ["Dana Whitfield", "Whitfield campaign", "Lee Ortiz"]


def test_us_in_capitals_is_a_country_not_a_pronoun():
    claims, _ = story_statements([_s("a", 0, "US", "the carmaker must hand over its crash data", cue="demands"),
                                  _s("b", 0, "us", "the plant will close", cue="told")], 0.5)
    assert sorted(c.speaker for c in claims) == ["US", UNKNOWN_SPEAKER]


def test_a_story_page_of_headlines_lists_whole_names_once(tmp_path):
    """Headlines written for this test, ingested into a real store: the story page names each
    speaker once, whole, in mixed case, with no verb run into the name."""
    import json

    from storyline import Storyline

    rows = [("h1", "Alex Okafor Speaks at City Hall, Says Harbour Bridge Repairs Will Take a Year"),
            ("h2", "ALEX OKAFOR: Harbour bridge repairs will cost the city millions"),
            ("h3", "Watch Alex Okafor tell harbour bridge inspectors: Fix the bridge now"),
            ("h4", "Okafor says harbour bridge repairs must start this month"),
            ("h5", "REPORT: Harbour bridge repairs delayed by missing steel"),
            ("h6", "Report: Harbour bridge repairs to cost $40 million"),
            ("h7", "Al Okafor says harbour bridge will reopen in spring")]
    path = tmp_path / "headlines.jsonl"
    path.write_text("".join(json.dumps({"id": i, "title": t, "text": t, "published": "2025-03-01"}) + "\n"
                            for i, t in rows))
    with Storyline(tmp_path / "store.db") as sl:
        sl.ingest([path])
        sl.analyse_statements()
        stories = sl.queries.stories()
        assert len(stories) == 1
        claims, _ = sl.queries.statements(stories[0].id)
    assert {c.speaker for c in claims} == {"Alex Okafor", "Report"}
    said = {a for c in claims for a in c.article_ids}
    assert said == {i for i, _ in rows}  # every headline is someone's claim


def test_a_bare_denial_by_pronoun_answers_the_woman_named_just_before():
    # the speaker's given name says who "she" can be; a group or a surname alone says nothing
    said = "they are sharing films of the mayor mocking the council"
    stored = [_s("a", 0, "Maria Lopez", said, published="2024-10-29"),
              _s("a", 1, "Fact-checkers", "that no such films were found", published="2024-10-29"),
              _s("a", 2, "Berg", "“She just made it up,”", date="2024-10-27", published="2024-10-29")]
    assert frozenset((said, "“She just made it up,”")) in {frozenset(p) for p in _pairs(stored)}
    stored[0] = _s("a", 0, "Lopez", said, published="2024-10-29")
    assert not any("made it up" in a + b for a, b in _pairs(stored))
