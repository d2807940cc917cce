"""The hard level's rewrites, on sentences written for these tests (not taken from the sets)."""

import random

import pytest

from storyline.eval.rewrites import (hard_synonym, number_words, paraphrase_connective, reformat_number,
                                     reorder_clause, sentences)


def test_sentences_keep_abbreviations_and_initials():
    text = 'Mr. Lee left at 5 p.m. on Monday. He was tired! "Why?" she asked. John F. Kennedy came. The U.S. Navy too.'
    assert sentences(text) == ["Mr. Lee left at 5 p.m. on Monday.", "He was tired!", '"Why?" she asked.',
                               "John F. Kennedy came.", "The U.S. Navy too."]
    assert " ".join(sentences(text)) == text
    assert sentences("No full stop at the end") == ["No full stop at the end"]


@pytest.mark.parametrize("n, words", [(0, "zero"), (7, "seven"), (20, "twenty"), (40, "forty"),
                                      (10_000, "ten thousand"), (3_000_000, "three million"), (1234, None),
                                      (21, None), (250_000, None)])
def test_number_words(n, words):
    assert number_words(n) == words


def _all(fn, text, tries=60):
    rng = random.Random(0)
    return {fn(text, rng) for _ in range(tries)}


def test_reformat_number_covers_each_style():
    seen = _all(reformat_number, "The city hired 10,000 workers for $1.5 million, a 5 percent rise over three years.")
    news = {label for _, label in seen}
    assert news == {"number:10,000>10000", "number:10,000>ten thousand", "number:1.5 million>1,500,000",
                    "number:5 percent>5%", "number:three>3", "number:5>five"}
    assert ("The city hired ten thousand workers for $1.5 million, a 5 percent rise over three years.",
            "number:10,000>ten thousand") in seen


def test_reformat_number_leaves_times_years_and_text_without_numbers():
    rng = random.Random(0)
    assert reformat_number("They met at 5 p.m. in 2016.", rng) == ("They met at 5 p.m. in 2016.", None)
    assert reformat_number("Nothing to count here.", rng)[1] is None


def test_reorder_clause():
    rng = random.Random(0)
    assert reorder_clause("The mayor left the hall because the vote had been called.", rng) == (
        "Because the vote had been called, the mayor left the hall.", "clause:front")
    assert reorder_clause("When the vote was called, the mayor left the hall.", rng) == (
        "The mayor left the hall when the vote was called.", "clause:back")
    assert reorder_clause("The bridge will reopen next month, Ana Ruiz said.", rng) == (
        "Ana Ruiz said the bridge will reopen next month.", "clause:attribution")
    assert reorder_clause("Short one.", rng) == ("Short one.", None)


def test_connectives_and_synonyms():
    assert {label for _, label in _all(paraphrase_connective, "However, the plan failed.")} == {
        "connective:However,>But", "connective:However,>Still,", "connective:However,>Yet"}
    text, label = paraphrase_connective("The plan failed.", random.Random(1))
    assert text.endswith(", the plan failed.") and label.startswith("connective:+")
    assert paraphrase_connective("Obama spoke.", random.Random(1)) == ("Obama spoke.", None)
    assert hard_synonym("They needed help.", random.Random(0))[0] in {"They required help.", "They needed assist."}
    assert hard_synonym("Nothing here.", random.Random(0)) == ("Nothing here.", None)
