"""The other languages' function words that story terms drop (``storyline.text.function_words``)."""

from __future__ import annotations

import hashlib

from storyline.text.function_words import ENGLISH_CONTENT_WORDS, FUNCTION_WORDS, OTHER_LANGUAGES, mostly_other_language
from storyline.text.similarity import content_similarity, content_words, term

# The lists schema 25 brought stores to. A word added to them is a new migration that removes its
# term from stored story state, as v25 did; then record the new digest here.
RECORDED_SHA256 = "89f1d3b6725abdf3e5e48808b742696995895a9e8cec5869dff8e877a415d6c0"


def test_each_word_is_its_own_term_so_the_store_can_remove_it_by_name():
    assert all(term(w) == w for w in OTHER_LANGUAGES)


def test_the_lists_are_the_ones_the_migrations_brought_stores_to():
    digest = hashlib.sha256("\n".join(sorted(OTHER_LANGUAGES)).encode("utf-8")).hexdigest()
    assert digest == RECORDED_SHA256, "the function words changed: a word added needs a migration (see v25)"


def test_english_content_words_and_single_latin_letters_are_kept():
    assert not OTHER_LANGUAGES & ENGLISH_CONTENT_WORDS
    assert content_words("The war in the U.S. came to Berlin") == ["war", "u", "s", "came", "berlin"]
    assert "der" in FUNCTION_WORDS["de"] and "e" in FUNCTION_WORDS["it"] and "e" not in OTHER_LANGUAGES


def test_function_words_are_dropped_from_every_language():
    assert content_words("Der Streik und der Hafen") == ["streik", "hafen"]
    assert content_words("Die Gewerkschaft") == ["die", "gewerkschaft"]  # English "die" is kept
    assert content_words("Les dockers sont en grève dans le port") == ["dockers", "grève", "port"]
    assert content_words("Забастовка в порту и на складах") == ["забастовка", "порту", "складах"]


def test_two_unrelated_german_texts_share_no_function_words():
    a = "Der Hafen ist seit Montag geschlossen, und der Streik ist nicht zu Ende, sagt ein Sprecher."
    b = "Der Landtag hat ein neues Gesetz beschlossen, und das ist nicht das erste in diesem Jahr."
    assert content_similarity(a, b) < 0.1


def test_a_text_mostly_in_another_language_is_told_by_its_function_words():
    def other(text: str) -> bool:
        return mostly_other_language(text.lower().replace(",", "").replace(".", "").split())

    assert other("El contrato se firmó el lunes en Madrid")
    assert other("Der Vertrag wurde in Berlin unterschrieben, und das ist nicht neu")
    assert not other("The contract was signed in Madrid on Monday")
    assert not other("Sales rose in New York")  # no evidence either way: English rules
    assert not other("Gonzalez de la Vega said the deal is done")  # a name's "de la" is not enough
