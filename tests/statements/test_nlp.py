"""statements.nlp.lemma: the lemmatizer's tables looked up for one tagged word."""

import pytest

from storyline.statements.nlp import lemma, load_nlp


@pytest.mark.parametrize("sentence, word, expected", [
    ("Trump said it.", "said", "say"),           # an exception in the tables
    ("She claims victory.", "claims", "claim"),  # a suffix rule
    ("He went home.", "went", "go"),
    ("They are sure.", "are", "be"),
    ("The taxes rose.", "taxes", "tax"),
    ("She is shaming him.", "shaming", "shame"),
    ("They say it.", "say", "say"),              # a base form stays
    ("Sybiha spoke.", "Sybiha", "sybiha"),       # a name is its word
])
def test_a_tagged_word_gets_its_base_word(sentence, word, expected):
    token = next(t for t in load_nlp()(sentence) if t.text == word)
    assert lemma(token) == expected
