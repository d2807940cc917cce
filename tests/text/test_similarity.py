"""Content terms: a content word's first six letters, so that a word's forms count as one."""

from hypothesis import given
from hypothesis import strategies as st

from storyline.text.similarity import (TERM_PREFIX, content_similarity, content_terms, cosine, name_terms, term,
                                      term_vector)


def test_a_word_of_letters_is_cut_a_number_or_a_short_word_is_not():
    assert term("ukrainian") == term("ukraine") == "ukrain"
    assert term("президента") == term("президент") == "презид"
    assert term("prezydenta") == term("prezydent") == "prezyd"
    assert term("pier") == "pier" and term("strike") == "strike"
    assert term("20240101") == "20240101" and term("covid19") == "covid19"  # "2024" is no "2025"


def test_content_terms_drop_stop_words_and_cut_the_rest():
    assert content_terms("The Ukrainian president said Ukraine's allies agreed") == \
        ["ukrain", "presid", "ukrain", "s", "allies", "agreed"]


def test_forms_of_a_word_make_two_texts_alike():
    # The same event, told with other forms of its words (a German and a Polish pair written for this test).
    de_a = "Die Regierung kündigte neue Sanktionen gegen Russland an. Der Präsident verteidigte die Entscheidung."
    de_b = "Neue Sanktionen der Regierungen gegen Russlands Banken: Präsidenten verteidigen Entscheidungen."
    pl_a = "Prezydent Polski spotkał się z premierem w sprawie wyborów parlamentarnych."
    pl_b = "Spotkanie prezydenta z premierem dotyczyło wyborów do parlamentu."
    for lang, (a, b) in {"de": (de_a, de_b), "pl": (pl_a, pl_b)}.items():  # terms 0.79 and 0.72, words 0.34 and 0.36
        assert content_similarity(a, b) > max(0.4, _word_cosine(a, b) + 0.15), lang


def _word_cosine(a: str, b: str) -> float:
    from collections import Counter
    import math

    from storyline.text.similarity import content_words

    va, vb = Counter(content_words(a)), Counter(content_words(b))
    dot = sum(c * vb[w] for w, c in va.items())
    return dot / math.sqrt(sum(c * c for c in va.values()) * sum(c * c for c in vb.values()))


@given(st.text(min_size=1, max_size=30))
def test_a_term_is_a_prefix_and_its_own_term(word):
    t = term(word)
    assert word.startswith(t) and term(t) == t
    assert len(t) == min(len(word), TERM_PREFIX) or t == word
    if any(c.isdigit() for c in word) or not word.isalpha():
        assert t == word


def test_names_and_numbers_are_the_words_languages_share():
    text = "Olaf Scholz traf am Montag in Kyiv den Präsidenten. Die NATO sagte 2020年 und 1.500 Soldaten."
    # Not "Olaf"'s sentence start, nor "Die" after a full stop; German nouns are capitalised too.
    assert name_terms(text) == ["scholz", "montag", "kyiv", "präsid", "nato", "2020", "1", "500", "soldat"]


def test_texts_in_two_languages_are_compared_by_their_names_and_numbers():
    # One event told in German and in English, and an unrelated English text (written for this test).
    de = ("Der ukrainische Präsident Wolodymyr Selenskyj hat am Montag in Brüssel mit NATO-Generalsekretär "
          "Mark Rutte über die Lieferung von 40 Patriot-Systemen gesprochen. Die Gespräche sollen in Kyiv "
          "fortgesetzt werden, sagte ein Sprecher der Regierung.")
    en = ("Ukrainian President Volodymyr Zelensky met NATO Secretary General Mark Rutte in Brussels on Monday to "
          "discuss the delivery of 40 Patriot systems. The talks will continue in Kyiv, a government spokesman said.")
    other = ("The city council of Leeds approved a new budget for schools and libraries on Tuesday, with 12 "
             "members voting against the plan and the mayor promising a review by the end of the year.")
    same, unrelated = content_similarity(de, en), content_similarity(other, en)
    assert same > 0.3 > unrelated
    # Over all their terms the words only one language writes weigh the pair down (0.38 against 0.52).
    assert same > cosine(term_vector(de), term_vector(en)) + 0.05
