"""A stored passage pushed out to the cold tier comes back as it went in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.pipeline.ports import stored_passage
from storyline.records import PassageRef
from storyline.reuse.sentences import sentence_keys
from storyline.store.passage_cache import PassageCache
from storyline.text import sentences


def _stored(seq: int, text: str, keyed: bool = True):
    spans = tuple(sentences(text))
    known = sentence_keys(text, spans) if keyed else None
    return stored_passage(seq, f"a{seq}", 0, text, "recycled", PassageRef("a0", 3), 1, sentences=known, spans=spans)


def _same(a, b) -> None:
    assert (a.article_seq, a.article_id, a.index, a.text, a.status, a.root, a.root_seq, a.spans) == \
        (b.article_seq, b.article_id, b.index, b.text, b.status, b.root, b.root_seq, b.spans)
    assert a.keys == b.keys  # keys, word count and both sets
    assert a.sentences == b.sentences


def _through_the_cold_tier(stored):
    cache = PassageCache(hot=1, cold=10)
    cache.put((stored.article_seq, 0), stored)
    cache.put((-1, 0), _stored(-1, "Something else entirely."))  # pushes the first one down
    back = cache.get((stored.article_seq, 0))
    assert back is not stored
    return back


def test_seed_paragraphs_come_back_whole_with_their_sentences(seeds_dir):
    paragraphs = [p for f in sorted(seeds_dir.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    assert len(paragraphs) > 30
    for n, text in enumerate(paragraphs):
        for keyed in (True, False):
            original = _stored(n, text, keyed)
            back = _through_the_cold_tier(original)
            if not keyed:
                assert back.known_sentences is None  # made when a partial match asks, as before
            _same(back, _stored(n, text))


_words = st.sampled_from(["the", "Sybiha", "Sibiga", "said", "on", "Monday", "İstanbul", "10,000", "strikes",
                          "of", "a", "Jonkuk", "Hwang", "-", "U.S.", "recap"])
_sentence = st.lists(_words, min_size=0, max_size=12).map(lambda ws: " ".join(ws))
_text = st.lists(_sentence, min_size=1, max_size=5).map(lambda ss: ". ".join(ss) + ".")


@settings(max_examples=200, deadline=None)
@given(text=_text)
def test_any_text_comes_back_as_it_went_in(text):
    original = _stored(1, text)
    _same(_through_the_cold_tier(original), _stored(1, text))


def test_each_tier_holds_at_most_its_limit_and_the_oldest_goes_first():
    cache = PassageCache(hot=2, cold=3)
    for seq in range(10):
        cache.put((seq, 0), _stored(seq, f"Passage number {seq} of the stream."))
        assert len(cache) <= 5
    assert cache.get((4, 0)) is None  # pushed out of both tiers
    assert all(cache.get((seq, 0)) is not None for seq in (5, 6, 7, 8, 9))
    cache.clear()
    assert len(cache) == 0 and cache.get((9, 0)) is None


def test_with_no_cold_tier_a_passage_pushed_out_is_gone():
    cache = PassageCache(hot=1, cold=0)
    cache.put((1, 0), _stored(1, "One."))
    cache.put((2, 0), _stored(2, "Two."))
    assert cache.get((1, 0)) is None and cache.get((2, 0)) is not None


def _twice_through_the_cold_tier(stored, ask_sentences: bool):
    """Down, back up (asked for its sentences or not), down again and up: as it went in."""
    cache = PassageCache(hot=1, cold=10)
    key = (stored.article_seq, 0)
    cache.put(key, stored)
    cache.put((-1, 0), _stored(-1, "Something else entirely."))
    warmed = cache.get(key)
    if ask_sentences:
        warmed.sentences
    cache.put((-2, 0), _stored(-2, "And something else again."))  # pushes the warmed one down again
    back = cache.get(key)
    assert back is not warmed
    return back


@settings(max_examples=100, deadline=None)
@given(text=_text, keyed=st.booleans(), ask=st.booleans())
def test_a_passage_warmed_and_pushed_out_again_comes_back_as_it_went_in(text, keyed, ask):
    back = _twice_through_the_cold_tier(_stored(1, text, keyed), ask)
    if not keyed and not ask:
        assert back.known_sentences is None
    _same(back, _stored(1, text))


def test_a_hot_tier_of_none_keeps_nothing_of_what_it_warms():
    cache = PassageCache(hot=0, cold=5)
    cache.put((1, 0), _stored(1, "One sentence here. And a second one."))
    assert cache.get((1, 0)) is not None
    assert not cache._was  # nothing held for a passage that is not hot


def test_a_passage_asked_for_again_outlives_passages_asked_for_once():
    """The hot tier keeps what is asked for again (a recycled block's first occurrence) over a
    run of passages met once, which a single recency order would have let push it out."""
    cache = PassageCache(hot=10, cold=100)
    cache.put((0, 0), _stored(0, "The first occurrence of a recycled block."))
    assert cache.get((0, 0)) is not None  # asked for again: protected
    for seq in range(1, 30):
        cache.put((seq, 0), _stored(seq, f"Passage number {seq}, met once."))
    assert (0, 0) in cache._protected
    assert len(cache._probation) + len(cache._protected) == 10 and len(cache) == 30


def test_the_protected_part_holds_at_most_its_share_and_demotes_to_probation():
    cache = PassageCache(hot=10, cold=100)
    for seq in range(12):
        cache.put((seq, 0), _stored(seq, f"Passage {seq}."))
        cache.get((seq, 0))
    assert len(cache._protected) == 9
    assert len(cache._probation) + len(cache._protected) == 10
    assert all(cache.get((seq, 0)) is not None for seq in range(12))


def test_root_and_status_are_given_and_nothing_moves():
    cache = PassageCache(hot=2, cold=5)
    for seq in range(4):  # 0 and 1 pushed down to the cold tier
        cache.put((seq, 0), _stored(seq, f"Passage number {seq} of the stream."))
    for seq in range(4):
        assert cache.root_and_status((seq, 0)) == (PassageRef("a0", 3), "recycled", 1)
    assert cache.root_and_status((9, 0)) is None
    cache.put((4, 0), _stored(4, "One more."))  # pushes 2 down: the peeks did not make it recent
    assert (2, 0) in cache._cold and (4, 0) in cache._probation


def test_a_cold_passage_asked_once_stays_cold_and_moves_up_when_asked_again():
    """A passage met once by chance late in a stream is answered from the cold tier and left
    there, pushing nothing out of the hot tier; asked for again, it moves up."""
    cache = PassageCache(hot=2, cold=10)
    for seq in range(4):  # 0 and 1 pushed down to the cold tier
        cache.put((seq, 0), _stored(seq, f"Passage number {seq} of the stream."))
    hot = set(cache._probation) | set(cache._protected)
    first = cache.get((0, 0))
    assert first is not None and first.text == "Passage number 0 of the stream."
    assert (0, 0) in cache._cold and set(cache._probation) | set(cache._protected) == hot
    again = cache.get((0, 0))
    assert again is not None and again is not first
    assert (0, 0) in cache._probation and (0, 0) not in cache._cold
    assert cache.get((0, 0)) is again  # now held whole
    assert len(cache) == 4 and len(cache._probation) + len(cache._protected) == 2


def test_only_the_latest_asks_are_remembered():
    """A passage asked once long ago (more asks since than the hot tier holds) is answered from
    the cold tier again, as if never asked."""
    cache = PassageCache(hot=2, cold=20)
    for seq in range(10):
        cache.put((seq, 0), _stored(seq, f"Passage number {seq} of the stream."))
    cache.get((0, 0))
    cache.get((1, 0))
    cache.get((2, 0))  # 0 forgotten: only the latest two asks are remembered
    cache.get((0, 0))
    assert (0, 0) in cache._cold
    cache.get((2, 0))
    assert (2, 0) in cache._probation


def test_cold_passages_share_one_string_for_each_key():
    """Keys unpickled batch by batch are separate strings for the same key: the cold tier keeps
    one of each (half a kilobyte a passage of the stream benchmark), and passages come back
    with equal keys."""
    import pickle

    cache = PassageCache(hot=1, cold=100)  # (as many key strings held as passages: 100)
    texts = [f"Minister Sybiha said on Monday that {n} strikes hit the port." for n in range(6)]
    for seq, text in enumerate(texts):
        # a pickle a passage, as features arrive a batch at a time from the featurize workers
        cache.put((seq, 0), pickle.loads(pickle.dumps(_stored(seq, text))))
    strings = {}
    for key, cold in cache._cold.items():
        for k in cold[6]:
            assert strings.setdefault(k, k) is k  # one object for each distinct key
    assert "sb" in strings  # (Sybiha's key, as Sibiga's)
    for seq, text in enumerate(texts[:-1]):
        _same(cache.get((seq, 0)), _stored(seq, text))


def test_the_shared_key_strings_are_bounded_by_the_cold_tier():
    cache = PassageCache(hot=1, cold=3)
    for seq in range(20):
        stored = _stored(seq, f"Passage {seq} says word{seq} and other{seq} things.")
        cache.put((seq, 0), stored)
        # as many as the tier holds passages: dropped once past that, a passage's keys added after
        # (20 passages bring 3 new keys each: without the bound the strings would reach ~60)
        assert len(cache._strings) <= 3 + len(stored.keys.keys)
    assert all(cache.get((seq, 0)).text == f"Passage {seq} says word{seq} and other{seq} things." for seq in (16, 17, 18))
    cache.clear()
    assert len(cache._strings) == 0


def _hashed_cache(hot: int = 1, cold: int = 10) -> PassageCache:
    """A cache that has seen a passage the compiled check prepared pushed out: it keeps passages
    cold by their keys' hashes from then on."""
    kernel_module = pytest.importorskip("storyline.reuse.pair_kernel")
    cache = PassageCache(hot=hot, cold=cold)
    checked = _stored(-2, "Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday.")
    kernel_module.PairKernel(0.5, 4, 4, 6, 0.7).passage(checked.keys, checked.known_sentences)
    assert not cache.hashed
    cache.put((-2, 0), checked)
    cache.put((-3, 0), _stored(-3, "Something else entirely."))  # pushes the checked one down
    assert cache.hashed
    return cache


@settings(max_examples=200, deadline=None)
@given(text=_text)
def test_a_passage_kept_cold_by_its_key_hashes_comes_back_as_it_went_in(text):
    from storyline.text.passages import KeysOfText, key_hashes

    cache = _hashed_cache()
    original = _stored(1, text)
    cache.put((1, 0), original)
    cache.put((-1, 0), _stored(-1, "Something else entirely."))
    back = cache.get((1, 0))
    assert isinstance(back.keys, KeysOfText) and not back.keys.keyed
    assert back.keys.hashes.tolist() == key_hashes(original.keys.keys).tolist()
    assert back.keys.hashes.flags.writeable  # as the compiled check's arrays are (no other signature)
    _same(back, _stored(1, text))  # its key strings made from its text: the same
    assert back.keys.keyed


def test_the_compiled_check_of_a_passage_kept_by_its_hashes_makes_no_key_strings():
    pytest.importorskip("storyline.reuse.pair_kernel")
    from storyline.reuse.stage import ReuseStage
    from storyline.settings import ReuseSettings
    from storyline.text.passages import passage_keys

    stage = ReuseStage(ReuseSettings(compiled_checks=True))
    source = ("Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday. "
              "The talks in Seoul lasted three hours and ended without a statement.")
    copies = ["Ukraine's Foreign Minister Andrii Sibiga called for more weapons on Monday. "
              "Separately, the weather in Kyiv turned cold overnight with snow expected.",
              source.replace("Sybiha", "Sibiga"), "Nothing alike at all here, said nobody, on a Tuesday."]
    for text in copies:
        cache = _hashed_cache()
        cache.put((1, 0), _stored(1, source))
        cache.put((2, 0), _stored(2, "Witnesses said the port was closed by noon. Short."))
        keys, sents = passage_keys(text), sentence_keys(text)
        warmed = cache.get((1, 0))
        got = stage._match_stored(text, keys, sents, warmed)
        assert not warmed.keys.keyed  # checked from its hashes alone
        cold_copy = _stored(1, source)
        assert got == stage._match(text, keys, source, cold_copy.keys, sents, cold_copy.sentences)

        class Index:  # the port _spans asks: nothing checked beforehand, the root is the passage
            def checked(self, *args):
                return None

            def passage(self, seq, index):
                return warmed

        assert stage._spans("x", 0, text, keys, sents, warmed, Index()) == \
            stage._copied(text, keys, sents, source, cold_copy.keys, cold_copy.sentences)
        assert not warmed.keys.keyed


def test_a_short_passage_kept_by_its_hashes_is_equal_only_to_the_same_keys():
    pytest.importorskip("storyline.reuse.pair_kernel")
    from storyline.reuse.stage import ReuseStage
    from storyline.settings import ReuseSettings
    from storyline.text.passages import passage_keys

    stage = ReuseStage(ReuseSettings(compiled_checks=True))
    for text, expected in (("Sibiga spoke.", (1.0, False)), ("Sybiha left.", None),
                           ("Sybiha spoke of weapons and talks in Seoul for hours.", None)):
        cache = _hashed_cache()
        cache.put((1, 0), _stored(1, "Sybiha spoke."))
        cache.put((2, 0), _stored(2, "Something else entirely, again."))
        warmed = cache.get((1, 0))
        assert not warmed.keys.keyed
        assert stage._match_stored(text, passage_keys(text), sentence_keys(text), warmed) == expected
        # a long passage against a short one is told apart by the key counts, strings unmade
        assert warmed.keys.keyed == (len(passage_keys(text).keys) == 2)
