from hypothesis import given
from hypothesis import strategies as st

from storyline.text import paragraphs, sentences


def test_paragraphs_split_at_blank_lines_and_unwrap_hard_wraps():
    text = "First line\nwrapped here.\n\n\nSecond para.\n \nThird."
    assert paragraphs(text) == ["First line wrapped here.", "Second para.", "Third."]


def _sentences(text):
    return [text[s.start:s.end] for s in sentences(text)]


def test_domain_names_and_abbreviations_do_not_end_sentences():
    text = "Sibiga said this on the social network X, Censor.NET reports. The U.S. economy grew 2.5% by 3 p.m. Monday."
    assert _sentences(text) == ["Sibiga said this on the social network X, Censor.NET reports.",
                                "The U.S. economy grew 2.5% by 3 p.m. Monday."]


def test_quoted_exclamation_stays_with_its_attribution():
    assert _sentences('"Go!" he said. Then he left.') == ['"Go!" he said.', "Then he left."]


def test_quote_spanning_sentences_splits_inside_the_quote():
    text = '"We did not see a strong reaction. Now it is confirmed," the statement said.'
    assert _sentences(text) == ['"We did not see a strong reaction.', 'Now it is confirmed," the statement said.']


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_sentence_spans_are_ordered_and_inside_the_text(text):
    spans = sentences(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end


@given(st.text(max_size=600))
def test_the_splitter_gives_what_blingfires_own_call_gives(text):
    import blingfire

    from storyline.text.split import _text_to_sentences

    assert _text_to_sentences(text) == blingfire.text_to_sentences(text)


def test_splitting_texts_of_many_lengths_makes_no_new_buffer_type_for_each():
    """Blingfire's own call made a ctypes array type for each length of text, which only the
    cyclic garbage collector frees; the splitter's buffers come in a type per power of two."""
    import ctypes

    def array_types() -> int:
        return len(ctypes.Array.__subclasses__())

    import gc

    sentences("Warm up. Once.")
    gc.disable()  # a type made and dropped stays counted until a collection frees it
    try:
        before = array_types()
        for n in range(1, 400):
            sentences("Word " * n + ". Then another sentence.")
        made = array_types() - before
    finally:
        gc.enable()
    assert made <= 5  # sizes up to ~4 kB: a few powers of two (blingfire's own call: 399)
