"""The headline tests: who a title names as its speaker, and whether it says a clause."""

import pytest

from storyline.statements.attribution import _within, extract
from storyline.statements.nlp import load_nlp
from storyline.statements.titles import (
    is_about,
    is_clause,
    is_title,
    lower_cased,
    names_product,
    names_source,
    names_speaker,
    is_explainer,
    passive_cue,
    sentence_cased,
    speaker_words,
    title_cased,
)


def _before_colon(title):
    doc = load_nlp()(title)
    end = title.index(":")
    return names_source(doc, title, 0, end)


@pytest.mark.parametrize("title, named", [
    ("Snowden: NSA gave 'legal guidance' to NZ", True),  # not an English word: a name
    ("NYT: Feds Didn't Act On 260 Complaints", True),  # an acronym
    ("Police: Miley Fan Snuck Into Dressing Room", True),  # a source noun
    ("Wall Street Journal: West tries to loosen Russia's gas grip", True),  # an organisation
    ("MARKET: Stocks rise as oil prices fall", False),  # an English word in capitals: a label
    ("Market: Stocks rise as oil prices fall", False),
    ("Japan data: exports fell in February", False),
    ("Mt. Gox: Bankrupt, Accused and Hacked", False),  # a product
    ("NASDAQ: Apple shares rise", False),
    ("LivePlay: TitanFall revealed", False),  # camel case: a product
    # An event or gathering is where something was said, not who said it.
    ("CES: Samsung unveils a folding television", False),
    ("Davos: Bankers say growth will return", False),
    # A newsroom's label, whatever its case, anywhere before the colon.
    ("FYI: Your phone will get an update tonight", False),
    ("PSA: Backups matter more than you think", False),
    ("Merkel Interview Live: Chancellor takes questions on energy", False),
    # A topic headed by an event noun: what happened cannot speak.
    ("Mars Rover Crash: Engineers say the parachute failed", False),
    ("Bank Hack: Thieves took the money in an hour", False),
    ("Refinery Fire Probe: Inspectors found a leaking valve", False),
    # A label in capitals that is a source noun stays one.
    ("Gazette: Council will vote on the new bridge", True),
])
def test_names_source(title, named):
    assert _before_colon(title) is named


@pytest.mark.parametrize("subject, named", [
    ("Safety regulators demand recall data", True),
    ("Paul Ryan calls for sanctions", True),
    ("Japan says Bitcoin is not currency", True),  # a country speaks through its government
    ("Stocks warn of a slowdown", False),
    ("Japan data suggest a slowdown", False),
])
def test_names_speaker(subject, named):
    doc = load_nlp()(subject)
    verb = next(t for t in doc if t.dep_ == "ROOT")
    head = next(c for c in verb.children if c.dep_ == "nsubj")
    first = min(t.idx for t in head.subtree)
    assert names_speaker(doc, first, head.idx + len(head.text), head) is named


@pytest.mark.parametrize("after, clause", [
    ("Europe must wake up to new danger", True),
    ("Miley Fan Snuck Into Dressing Room", True),  # Title Case hides the verb from the tagger
    ("'They're setting fire to the future of the Internet'", True),  # a quotation
    ("Bankrupt, Accused and Hacked", False),
    ("A Spacetime Odyssey", False),
    ("How the hackers got in", False),  # an explainer
    ("“big savings” ahead for owners of older phones", False),  # a quoted phrase, not a quotation
    ("'We will not raise rates this year', governor says", True),
    ("Best Times When Fans Can Buy Tickets Online", False),  # the wh-clause qualifies a noun
    ("Opening hours, parking and everything else you should know", False),
])
def test_is_clause(after, clause):
    title = "Someone: " + after
    doc = load_nlp()(title)
    assert is_clause(doc, title, len("Someone: "), len(title)) is clause


def test_is_about_the_name_before_the_colon():
    title = "Justin Bieber: Bieber arrested again"
    assert is_about(title, 15, len(title), "Justin Bieber")
    title = "Kim Kardashian: Her new look stuns fans"
    assert is_about(title, 16, len(title), "Kim Kardashian")
    title = "Snowden: 'Snowden is not my name', says no one"  # quoted words do not count
    assert not is_about(title, 9, 35, "Snowden")
    title = "ECB's Noyer: Low inflation may hamper adjustment"
    assert not is_about(title, 12, len(title), "ECB's Noyer")


def test_is_title():
    assert is_title("Snowden warns of government threat")
    assert is_title("Lindsay Lohan Shares Journals From Rehab.")  # Title Cased
    assert not is_title("The senator said on Monday that the bill would pass.")


@pytest.mark.parametrize("title, passive", [
    ("Farmers warned about rising feed costs", True),  # of them, not by them
    ("Canada urged to cut tariffs on steel", True),
    ("Drivers said to be avoiding toll roads", True),
    ("New Phone Model Confirmed at Lower Price", True),  # a Title Case participle
    ("Tenants are warned of higher rents", True),
    ("Mayor warned residents of flooding", False),  # an object: an active past
    ("Regulators warn of risks in bank lending", False),
])
def test_passive_cue(title, passive):
    doc = load_nlp()(title)
    verb = next(t for t in doc if t.lower_ in ("warned", "urged", "said", "confirmed", "warn"))
    assert passive_cue(verb) is passive


@pytest.mark.parametrize("title, speakers", [
    ("Canada urged to cut tariffs on steel", []),
    ("Farmers warned about rising feed costs", []),
    ("Drivers said to be avoiding toll roads", []),
    ("Skyrim: “big savings” ahead for owners of older consoles", []),
    ("Regulators warn of risks in bank lending", ["Regulators"]),
    # Where the named spoke is no part of the name.
    ("Maria Lopez at Davos: Europe must cut its energy bills", ["Maria Lopez"]),
    ("Angela Merkel At Davos Forum: We Will Not Raise Taxes", ["Angela Merkel"]),
    ("Christine Lagarde @ IMF Meeting: 'Growth is too slow'", ["Christine Lagarde"]),
])
def test_headline_speakers(title, speakers):
    assert [a.speaker.text for a in extract(title, load_nlp()) if a.speaker is not None] == speakers


def test_names_speaker_counts_people_named_by_their_role():
    doc = load_nlp()("Hackers claim the exchange hid its losses")
    assert names_speaker(doc, 0, 7, doc[0])
    doc = load_nlp()("Fans ask the studio for a sequel")
    assert names_speaker(doc, 0, 4, doc[0])


def test_an_event_is_never_a_speaker():
    doc = load_nlp()("CES says attendance grew")
    assert not names_speaker(doc, 0, 3, doc[0])


def test_a_line_is_signed_by_an_agency_s_initials_after_its_colon():
    title = "Bridge closed after storm damage: MTA"
    doc = load_nlp()(title)
    start = title.index("MTA")
    assert names_source(doc, title, start, len(title), signed=True)


@pytest.mark.parametrize("title, cased", [
    ("Union Defends Strike Vote After Talks Fail", True),
    ("Union defends strike vote after talks fail", False),
    ("NSA leaker speaks at conference", False),
])
def test_title_cased(title, cased):
    assert title_cased(title) is cased


def test_sentence_cased_lowers_english_words_and_keeps_names_and_places():
    assert sentence_cased("Mayor Hidalgo Vows Swift Repairs After Flooding") == \
        "Mayor Hidalgo vows swift repairs after flooding"
    assert sentence_cased("GM's Barra Defends NSA Plan") == "GM's Barra defends NSA plan"
    title = "Union Defends Strike Vote"
    assert len(sentence_cased(title)) == len(title)  # every character keeps its place


def test_is_explainer():
    assert is_explainer(" How the thieves got in")
    assert is_explainer("Why rates are rising")
    assert not is_explainer("Bank immune to old claims")


@pytest.mark.parametrize("title, speakers, names", [
    # A multi-word source before a colon is named whole, not by its first word.
    ("New York Times: Europe weighs new limits on gas imports", ["New York Times"], ["New York Times"]),
    ("Financial Times: Banks plan to cut bonuses this year", ["Financial Times"], ["Financial Times"]),
    # A verb is never part of the name: an opening one ("Watch") goes.
    ("Watch Maria Lopez tell city council: Fix the bridge", ["Maria Lopez"], ["Maria Lopez"]),
    # "say" agrees with "Activists", not with "bank chief": the tagger took "dox" for a noun.
    ("Activists dox bank chief, say they have proof of bribes", ["Activists"], ["Activists"]),
])
def test_title_speakers_are_names_not_fragments(title, speakers, names):
    found = [a for a in extract(title, load_nlp()) if a.speaker is not None]
    assert [a.speaker.text for a in found] == speakers
    assert [a.speaker_name for a in found] == names


@pytest.mark.parametrize("title, speaker, words", [
    ("Nora Bellamy Speaks at Harvard Forum, Says Rents Are Too High", "Nora Bellamy Speaks at Harvard Forum",
     "Nora Bellamy"),
    ("Paul Okafor Signs Books At Fair, Says Deficits Do Not Matter", "Paul Okafor Signs Books At Fair", "Paul Okafor"),
    ("Watch Maria Lopez tell city council: Fix the bridge", "Watch Maria Lopez", "Maria Lopez"),
    # A lower-case word after a cue is the tagger's doubt, not a verb to cut: "says report".
    ("Bank lost its records, says report", "report", "report"),
    ("Herbalife (HLF) Say No Merits to Claims", "Herbalife (HLF)", "Herbalife (HLF)"),
    # Running over a colon, the phrase ran a label into its subject: no one is named.
    ("'Space Saga' Season 2 Spoilers: Revealing Trailer Hints Who Dies First",
     "Space Saga' Season 2 Spoilers: Revealing Trailer", None),
])
def test_speaker_words(title, speaker, words):
    cased = load_nlp()(lower_cased(title))
    start = title.index(speaker)
    span = speaker_words(cased, title, start, start + len(speaker))
    assert (title[span[0]:span[1]] if span else None) == words


def test_lower_cased_lowers_an_opening_english_word_only():
    assert lower_cased("Watch Kwame Okafor Tell Council: Fix It") == "watch Kwame Okafor tell council: fix it"
    assert lower_cased("Okafor Says Rents Rise") == "Okafor says rents rise"


def test_a_name_in_capitals_is_kept_whole():
    assert _within("BELLAMY", "NORA BELLAMY") == "NORA BELLAMY"
    assert _within("Bellamy", "Mayor Nora Bellamy") == "Bellamy"


@pytest.mark.parametrize("title, speakers", [
    # A product before its colon, or put on a platform, is what the line is about, not who speaks.
    ("Skyrim: PC resolution confirmed to be 900p, patch is coming", []),
    ("Skyrim on PS4: 'Frame-Rate Drops In Every Town'", []),
    ("Skyrim: Gameplay basics, release date, DLC and everything you need to know", []),
    # A source noun or a person stays a source, whatever the line speaks of.
    ("Insider: Sony won't sell the PS4 without a camera this year", ["Insider"]),
])
def test_a_product_is_no_speaker(title, speakers):
    assert [a.speaker.text for a in extract(title, load_nlp()) if a.speaker is not None] == speakers


def test_names_product():
    title = "Skyrim on PS4: 'Frame-Rate Drops In Every Town'"
    doc = load_nlp()(title)
    assert names_product(doc, title, 0, 6, 6)
    title = "Noyer: Banks must cut fees this year"
    doc = load_nlp()(title)
    assert not names_product(doc, title, 0, 5, 5)
