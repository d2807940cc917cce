"""Sentence-level matching: partial copies found and located, shared topic not taken for a copy."""

from hypothesis import given
from hypothesis import strategies as st

from storyline.reuse.sentences import containment, match_sentences, sentence_keys
from storyline.text.passages import passage_keys

SOURCE = ("The harbour authority closed the northern pier on Tuesday after divers found cracks in three "
          "steel pylons. Engineers expect repairs to take at least six weeks and to cost the port about "
          "two million euros. Ferry services to the islands will leave from the southern terminal meanwhile.")
SECOND_HALF = ("Engineers expect repairs to take at least six weeks and to cost the port about two million "
               "euros. Ferry services to the islands will leave from the southern terminal meanwhile.")
ADDED = "The mayor will open the new library in the old customs house next spring, her office announced."
SAME_TOPIC = ("Divers inspecting the harbour found no damage to the southern terminal, the port authority "
              "said, and ferry timetables for the islands are unchanged this summer.")


def _match(a: str, b: str, **kw):
    return match_sentences(a, passage_keys(a), b, passage_keys(b), min_keys=kw.get("min_keys", 6),
                           min_bigrams=kw.get("min_bigrams", 4), span_threshold=kw.get("span", 0.5))


def test_sentences_carry_their_spans_in_the_passage():
    spans = [(s.start, s.end) for s in sentence_keys(SOURCE)]
    assert len(spans) == 3
    assert SOURCE[spans[1][0]:spans[1][1]].startswith("Engineers expect")
    assert all(s.keys == passage_keys(SOURCE[s.start:s.end]) for s in sentence_keys(SOURCE))


def test_a_trimmed_half_lies_wholly_in_its_source_and_is_located_in_both():
    m = _match(SECOND_HALF, SOURCE)
    assert m.score == 1.0
    assert m.span_a == (0, len(SECOND_HALF))
    assert SOURCE[m.span_b[0]:m.span_b[1]] == SECOND_HALF


def test_an_added_sentence_is_outside_the_copied_span():
    copy = ADDED + " " + SOURCE.replace("Tuesday", "Tuesday morning")
    m = _match(copy, SOURCE)
    assert m.score >= 0.9
    assert copy[m.span_a[0]:m.span_a[1]].startswith("The harbour authority closed")
    assert m.span_b == (0, len(SOURCE))


def test_a_paragraph_on_the_same_topic_is_not_contained():
    m = _match(SAME_TOPIC, SOURCE)
    assert m.score < 0.7
    assert m.span_a is None and m.span_b is None


def test_a_short_sentence_does_not_count_towards_the_score():
    short = "Ferry services will leave from the southern terminal."  # fewer than 6 content words
    assert _match(short + " " + ADDED, SOURCE).score < 0.7
    assert _match(short + " " + ADDED, SOURCE, min_keys=3, min_bigrams=1).score > 0.8


@given(st.lists(st.sampled_from("pier harbour ferry steel divers port euros weeks island mayor".split()),
                min_size=1, max_size=12),
       st.lists(st.sampled_from("pier harbour ferry steel divers port euros weeks island mayor".split()),
                min_size=1, max_size=12))
def test_containment_is_a_share(a, b):
    ka, kb = passage_keys(" ".join(a)), passage_keys(" ".join(b))
    assert 0.0 <= containment(ka, kb) <= 1.0
    assert containment(ka, ka) == 1.0
    assert containment(ka, passage_keys(" ".join(a + b))) == 1.0  # a part lies wholly in a whole holding it


def test_sentences_given_by_ingest_are_used_as_they_are():
    from storyline.records import Span
    given = (Span(0, 10), Span(11, len(SOURCE)))  # not where the splitter would cut
    keys = sentence_keys(SOURCE, given)
    assert [(s.start, s.end) for s in keys] == [(0, 10), (11, len(SOURCE))]
    assert all(s.keys == passage_keys(SOURCE[s.start:s.end]) for s in keys)


@given(st.lists(st.sampled_from(["The", "harbour", "İstanbul", "pier", "closed.", "Ferry", "Odos.", "said,", "2024.",
                                 "é", "\u00df", "x_y", "!"]), min_size=1, max_size=30))
def test_a_passage_s_sentences_have_the_keys_of_their_own_text(words):
    """Keys are made from spans of the passage lower-cased once: each sentence gets the keys
    its own text would."""
    text = " ".join(words)
    for s in sentence_keys(text):
        assert s.keys == passage_keys(text[s.start:s.end])


def _reference_contained(parts, own, whole, min_keys, min_bigrams, span_threshold):
    """The sentence loop as first written, on containment() itself: the inlined loop must agree."""
    best = 0.0
    if len(parts) > 1 and len(own.keys) >= min_keys and len(own.bigrams & whole.bigrams) >= min_bigrams:
        best = containment(own, whole)
    start = end = -1
    for s in parts:
        score = containment(s.keys, whole)
        if len(s.keys.keys) >= min_keys and len(s.keys.bigrams & whole.bigrams) >= min_bigrams:
            best = max(best, score)
        if score >= span_threshold and s.keys.keys:
            start = s.start if start < 0 else start
            end = s.end
    return best, ((start, end) if start >= 0 else None)


_WORDS = "pier harbour ferry steel divers port euros weeks island mayor the of closed. said. Sybiha Sibiga".split()


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40), st.lists(st.sampled_from(_WORDS), min_size=1,
                                                                          max_size=40),
       st.integers(0, 8), st.integers(0, 6), st.sampled_from([0.3, 0.5, 0.7]))
def test_the_sentence_loop_scores_as_containment_does(a, b, min_keys, min_bigrams, span):
    from storyline.reuse.sentences import _contained
    ta, tb = " ".join(a), " ".join(b)
    ka, kb = passage_keys(ta), passage_keys(tb)
    parts = sentence_keys(ta)
    assert _contained(parts, ka, kb, min_keys, min_bigrams, span) == \
        _reference_contained(parts, ka, kb, min_keys, min_bigrams, span)


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40), st.lists(st.sampled_from(_WORDS), min_size=1,
                                                                          max_size=40),
       st.integers(0, 8), st.integers(0, 6), st.sampled_from([0.0, 0.3, 0.5, 0.7, 0.9]))
def test_the_score_alone_is_match_sentences_score_from_the_floor_up(a, b, min_keys, min_bigrams, floor):
    from storyline.reuse.sentences import best_contained
    ta, tb = " ".join(a), " ".join(b)
    ka, kb = passage_keys(ta), passage_keys(tb)
    full = match_sentences(ta, ka, tb, kb, min_keys=min_keys, min_bigrams=min_bigrams, span_threshold=0.5).score
    alone = best_contained(ka, kb, sentence_keys(ta), sentence_keys(tb), min_keys=min_keys, min_bigrams=min_bigrams,
                           floor=floor)
    if full >= floor:
        assert alone == full
    else:
        assert alone < floor
