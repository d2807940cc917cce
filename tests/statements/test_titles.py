"""The headline tests: who a title names as its speaker, and whether it says a clause."""

import pytest

from storyline.statements.nlp import load_nlp
from storyline.statements.titles import is_about, is_clause, is_title, names_source, names_speaker


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
