import pickle
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.records import Span
from storyline.text.passages import (
    KeyMemo,
    PassageKeys,
    keys_and_runs,
    passage_keys,
    passage_similarity,
    similarity_and_shared_bigrams,
    skeleton,
    spans_passage_keys,
)


@pytest.mark.parametrize(("a", "b"), [("sybiha", "sibiga"), ("jongkook", "jonkuk"), ("zelenskyy", "zelensky"),
                                      ("kyiv", "kiev"), ("budanov", "budanov")])
def test_transliterations_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("sikorski", "kovalenko"), ("russia", "ukraine"), ("10", "11")])
def test_different_names_keep_different_skeletons(a, b):
    assert skeleton(a) != skeleton(b)


def _sim(a, b):
    return passage_similarity(passage_keys(a), passage_keys(b))


def test_rewording_and_respelling_score_high():
    a = ("To recap, in early October, South Korean Defense Minister Kim Yong-hyun said that the DPRK could "
         "send its military to the temporarily occupied territories of Ukraine in support of Russia's war.")
    b = ("As a reminder, in early October, South Korean Defence Minister Kim Yong-hyun stated that the DPRK "
         "could send its military to the temporarily occupied territories of Ukraine to support Russia's war.")
    assert _sim(a, b) > 0.75
    assert _sim("Foreign Minister Andriy Sybiha called for lifting the restrictions on long-range strikes.",
                "Foreign Minister Andrii Sibiga called for lifting the restrictions on long-range strikes.") == 1.0


def test_same_topic_different_passage_scores_low():
    a = "At the same time, Pentagon chief Lloyd Austin said that the United States has not yet confirmed that North Korea is sending troops to Russia."
    b = "Later, the Pentagon confirmed that DPRK troops had arrived in Russia."
    assert _sim(a, b) < 0.5


def test_empty_passages():
    assert _sim("", "Anything at all here.") == 0.0


def test_keys_travel_as_their_sequence_and_come_back_equal():
    """Features cross processes and Spark as pickles: a passage's keys travel without their sets
    (made again from the keys), and come back equal, sentences' keys too."""
    import pickle

    from storyline.reuse.sentences import sentence_keys

    text = "Sybiha said the strike at the harbour would go on. Jongkook Hwang denied it twice."
    keys = passage_keys(text)
    blob = pickle.dumps(keys)
    assert pickle.loads(blob) == keys and pickle.loads(blob).bigrams == keys.bigrams
    assert b"frozenset" not in blob
    sents = sentence_keys(text)
    assert pickle.loads(pickle.dumps(sents)) == sents and len(sents) == 2



def test_a_memo_gives_the_keys_and_holds_at_most_its_size():
    memo = KeyMemo(2)
    texts = ["Sybiha said the strike would go on.", "Jongkook Hwang denied it.", "A third text here."]
    for text in texts + texts[:1]:
        assert memo(text) == passage_keys(text)
    assert len(memo) == 2
    assert memo(texts[0]) is memo(texts[0])  # held: not keyed again


def test_a_memo_of_size_zero_holds_nothing():
    memo = KeyMemo(0)
    assert memo("Sybiha said so.") == passage_keys("Sybiha said so.") and len(memo) == 0


def test_a_memo_travels_as_its_size_and_arrives_empty():
    import pickle

    memo = KeyMemo(8)
    memo("Sybiha said so.")
    copy = pickle.loads(pickle.dumps(memo))
    assert copy.size == 8 and len(copy) == 0 and copy("Sybiha said so.") == memo("Sybiha said so.")


@given(st.text(alphabet=st.sampled_from("ab İ_.ΣΟς,é1"), max_size=40), st.data())
def test_keys_of_spans_are_the_keys_of_their_substrings(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    spans = [Span(a, b) for a, b in pairwise(cuts)]
    for span, keys in zip(spans, spans_passage_keys(text, spans), strict=True):
        if "Σ" not in text:  # a final sigma lower-cases by what follows it, cut or not
            assert keys == passage_keys(text[span.start:span.end])


@given(st.lists(st.sampled_from(["ab", " ", "the", "İ", "_", ".", "Σ", "é1", "习近平", "，", "\n"]), max_size=30)
       .map("".join), st.data())
def test_keys_with_runs_are_the_passage_keys_and_each_run_its_span_s_keys(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    spans = [Span(a, b) for a, b in pairwise(cuts)]
    keys, runs = keys_and_runs(text, spans)
    assert keys == passage_keys(text)  # always, runs or not
    if runs is None:
        return
    assert len(runs) == len(spans)
    for (start, end, first, last, words), span, own in zip(runs, spans, spans_passage_keys(text, spans), strict=True):
        assert (start, end) == (span.start, span.end)
        assert PassageKeys(keys.keys[first:last], words) == own


def test_runs_are_given_only_where_the_spans_keys_are_runs_of_the_passage_s():
    text = "The minister spoke. Sybiha said so."
    whole = [Span(0, 19), Span(20, len(text))]
    keys, runs = keys_and_runs(text, whole)
    assert runs == ((0, 19, 0, 2, 3), (20, len(text), 2, 3, 3))  # "said" and "so" are stop words
    assert keys.keys[0:2] == passage_keys("The minister spoke.").keys
    # a boundary inside a word, spans overlapping or out of order, none: the keys alone
    for spans in ([Span(0, 6)], [Span(0, 19), Span(10, 25)], [Span(20, 35), Span(0, 19)], []):
        keys, runs = keys_and_runs(text, spans)
        assert keys == passage_keys(text) and runs is None
    assert keys_and_runs("İstanbul said.", [Span(0, 14)])[1] is None  # lower-cased longer: offsets move


@given(st.text(alphabet=st.sampled_from("ab cd ef Sybiha Sibiga the"), max_size=60),
       st.text(alphabet=st.sampled_from("ab cd ef Sybiha Sibiga the"), max_size=60))
def test_the_similarity_with_its_shared_bigrams_is_the_similarity_and_their_count(a, b):
    ka, kb = passage_keys(a), passage_keys(b)
    assert similarity_and_shared_bigrams(ka, kb) == (passage_similarity(ka, kb), len(ka.bigrams & kb.bigrams))


def test_passage_keys_come_back_with_the_same_sets():
    """The sets are made when first asked for, and an unpickled one makes the same."""
    keys = PassageKeys(("sbh", "clld", "lft", "rstrctns"), 9)
    again = pickle.loads(pickle.dumps(keys))
    assert again == keys and hash(again) == hash(keys)
    assert again.unigrams == frozenset(keys.keys) == keys.unigrams
    assert again.bigrams == {"sbh clld", "clld lft", "lft rstrctns"} == keys.bigrams
    assert PassageKeys(("sbh",), 1).bigrams == frozenset() and PassageKeys((), 0).unigrams == frozenset()


def test_a_pickle_made_before_the_sets_were_lazy_still_loads():
    """Such pickles (a batch job's features, resumed) call ``PassageKeys.of``."""
    class Old:
        def __reduce__(self):
            return PassageKeys.of, (("sbh", "clld"), 4)

    again = pickle.loads(pickle.dumps(Old()))
    assert type(again) is PassageKeys and again == PassageKeys(("sbh", "clld"), 4) and again.bigrams == {"sbh clld"}
