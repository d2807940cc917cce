"""The compiled pair check gives what the set code gives: every verdict and every score, on random
passages and over a whole generated stream into a real store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from storyline import Storyline  # noqa: E402
from storyline.records import PassageRef, Span  # noqa: E402
from storyline.reuse import pair_kernel  # noqa: E402
from storyline.reuse.ports import StoredPassage, stored_passage  # noqa: E402
from storyline.reuse.sentences import SentenceKeys  # noqa: E402
from storyline.reuse.stage import ReuseStage  # noqa: E402
from storyline.settings import ReuseSettings, Settings  # noqa: E402
from storyline.text.passages import PassageKeys, passage_keys  # noqa: E402
from tests.conftest import generated_stream  # noqa: E402

# Few keys, so that random passages share many of them, and their bigrams, in every proportion.
VOCABULARY = ["sbh", "clld", "lft", "rstrctns", "kv", "2024", "wpns", "rng", "nkrn", "hwng"]


@st.composite
def passages(draw: st.DrawFn) -> tuple[PassageKeys, tuple[SentenceKeys, ...], tuple[tuple[int, int, int, int, int], ...]]:
    """Keys, and sentences that are runs of them (as an index keeps a stored passage's)."""
    keys = tuple(draw(st.lists(st.sampled_from(VOCABULARY), max_size=24)))
    cuts = sorted(set(draw(st.lists(st.integers(1, max(len(keys) - 1, 1)), max_size=4))) & set(range(1, len(keys))))
    bounds = [0, *cuts, len(keys)]
    runs = tuple((10 * a, 10 * b, a, b, b - a + 1) for a, b in zip(bounds, bounds[1:]))
    whole = PassageKeys(keys, len(keys) + 3)
    sentences = tuple(SentenceKeys(start, end, PassageKeys(keys[first:last], words))
                      for start, end, first, last, words in runs)
    return whole, sentences, runs


def _stored(keys: PassageKeys, runs: tuple[tuple[int, int, int, int, int], ...] | None,
            sentences: tuple[SentenceKeys, ...] | None) -> StoredPassage:
    return StoredPassage(1, "b", 0, "", "new", PassageRef("b", 0), 1, keys, sentences, (), runs)


def _stages() -> list[ReuseStage]:
    # The defaults, and thresholds that send more pairs down each branch.
    return [ReuseStage(ReuseSettings(compiled_checks=True)),
            ReuseStage(ReuseSettings(recycled=0.9, partial=0.5, min_shared_bigrams=1, min_sentence_keys=2,
                                     min_fuzzy_keys=2, compiled_checks=True))]


STAGES = _stages()


@settings(max_examples=400, deadline=None)
@given(passages(), passages(), st.booleans(),
       st.none() | st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=10), min_size=1, max_size=4))
def test_the_compiled_check_scores_as_the_sets_do(a, b, by_runs, own_sentences):
    """``own_sentences``: a new article's sentences keyed on their own, not runs of its keys."""
    (keys_a, sentences_a, _), (keys_b, sentences_b, runs_b) = a, b
    if own_sentences is not None:
        sentences_a = tuple(SentenceKeys(i, i + 1, PassageKeys(tuple(k), len(k))) for i, k in enumerate(own_sentences))
    for stage in STAGES:
        kernel = stage._pair_kernel()
        assert kernel is not None
        expected = stage._match("", keys_a, "", keys_b, sentences_a, sentences_b)
        # Fresh keys each time: nothing prepared for other settings or other sentences.
        fresh_b = PassageKeys(keys_b.keys, keys_b.words)
        stored = _stored(fresh_b, runs_b, None) if by_runs else _stored(fresh_b, None, sentences_b)
        fresh_a = PassageKeys(keys_a.keys, keys_a.words)
        got = kernel.match(fresh_a, kernel.passage(fresh_a, sentences_a), fresh_b, kernel.stored(stored))
        assert got == expected
        # and through the stage's own path, prepared arrays reused
        assert stage._match_stored("", fresh_a, sentences_a, stored) == expected


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, tuple[Span, ...]]:
    """A stored passage's text and its sentences' spans, as read back from the store: no keys
    of its sentences kept, nor runs of them."""
    text, spans = "", []
    for words in draw(st.lists(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=8), min_size=1, max_size=4)):
        start = len(text)
        text += " ".join(words) + "."
        spans.append(Span(start, len(text)))
        text += " "
    return text.rstrip(), tuple(spans)


@settings(max_examples=300, deadline=None)
@given(passages(), texts(),
       st.none() | st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=10), min_size=1, max_size=4))
def test_a_passage_read_back_is_checked_as_the_sets_check_it(a, b, own_sentences):
    """Its sentences keyed only when the whole passages leave the verdict open, and the verdict
    the set code gives."""
    keys_a, sentences_a, _ = a
    if own_sentences is not None:
        sentences_a = tuple(SentenceKeys(i, i + 1, PassageKeys(tuple(k), len(k))) for i, k in enumerate(own_sentences))
    text_b, spans_b = b
    for stage in STAGES:
        by_sets = stored_passage(1, "b", 0, text_b, "new", None, None, spans=spans_b)
        expected = stage._match("", keys_a, text_b, by_sets.keys, sentences_a, lambda: by_sets.sentences)
        read_back = stored_passage(1, "b", 0, text_b, "new", None, None, spans=spans_b)
        fresh_a = PassageKeys(keys_a.keys, keys_a.words)
        assert stage._match_stored("", fresh_a, sentences_a, read_back) == expected
        kernel = stage._pair_kernel()
        assert kernel is not None
        decided, _ = kernel.whole(fresh_a, kernel.passage(fresh_a, sentences_a), read_back.keys,
                                  pair_kernel.key_hashes(read_back.keys.keys))
        assert (read_back.known_sentences is None) == decided


def test_a_passage_read_back_and_copied_whole_has_no_sentences_keyed():
    stage = STAGES[0]
    text = "sbh clld lft rstrctns kv 2024. wpns rng nkrn hwng sbh clld."
    read_back = stored_passage(1, "b", 0, text, "new", None, None, spans=(Span(0, 30), Span(31, len(text))))
    keys = passage_keys(text)
    sentences = (SentenceKeys(0, len(text), keys),)
    assert stage._match_stored(text, keys, sentences, read_back) == (1.0, False)
    assert read_back.known_sentences is None


@settings(max_examples=400, deadline=None)
@given(passages(), passages(), st.booleans(), st.sampled_from([0.5, 0.7, 0.75, 1.0]),
       st.none() | st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=10), min_size=1, max_size=4))
def test_the_compiled_copied_spans_are_the_sets(a, b, by_runs, threshold, own_sentences):
    """The copied characters of both passages (the hull of each one's sentences contained in the
    other), as ``match_sentences`` finds them with the sets; sentences keyed on their own too."""
    from storyline.reuse.sentences import match_sentences

    (keys_a, sentences_a, _), (keys_b, sentences_b, runs_b) = a, b
    if own_sentences is not None:
        sentences_a = tuple(SentenceKeys(3 * i, 3 * i + 2, PassageKeys(tuple(k), len(k)))
                            for i, k in enumerate(own_sentences))
    expected = match_sentences("", keys_a, "", keys_b, min_keys=3, min_bigrams=2, span_threshold=threshold,
                               sentences_a=sentences_a, sentences_b=sentences_b)
    kernel = STAGES[0]._pair_kernel()
    fresh_b = PassageKeys(keys_b.keys, keys_b.words)
    stored = _stored(fresh_b, runs_b, None) if by_runs else _stored(fresh_b, None, sentences_b)
    span_a, span_b = kernel.copied(kernel.passage(keys_a, sentences_a), kernel.stored(stored), threshold)
    assert (span_a and (span_a.start, span_a.end), span_b and (span_b.start, span_b.end)) == \
        (expected.span_a, expected.span_b)


SET_STAGES = [ReuseStage(replace(stage.settings, compiled_checks=False)) for stage in STAGES]


@settings(max_examples=300, deadline=None)
@given(passages(), passages(),
       st.none() | st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=10), min_size=1, max_size=4))
def test_a_pair_checked_for_the_batch_job_is_checked_compiled_as_with_the_sets(a, b, own_sentences):
    """``check_pair`` (the batch job's executors): the verdict, the score and both copied spans
    the set code gives, the compiled path asking nothing of the sets."""
    (keys_a, sentences_a, _), (keys_b, sentences_b, _) = a, b
    if own_sentences is not None:
        sentences_a = tuple(SentenceKeys(3 * i, 3 * i + 2, PassageKeys(tuple(k), len(k)))
                            for i, k in enumerate(own_sentences))
    text_a, text_b = " ".join(keys_a.keys) + ".", " ".join(keys_b.keys) + "."
    for compiled, sets in zip(STAGES, SET_STAGES):
        expected = sets.check_pair(text_a, keys_a, sentences_a, text_b, keys_b, sentences_b)
        fresh_a, fresh_b = PassageKeys(keys_a.keys, keys_a.words), PassageKeys(keys_b.keys, keys_b.words)
        compiled._match = compiled._copied = None  # the set code, were it asked, would fail
        try:
            got = compiled.check_pair(text_a, fresh_a, sentences_a, text_b, fresh_b, sentences_b)
        finally:
            del compiled._match, compiled._copied
        assert got == expected


def test_a_pair_without_sentences_is_checked_with_the_sets():
    """A passage whose sentences are not given is keyed from its text, as the set code does."""
    text = "Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday in Kyiv."
    keys = passage_keys(text)
    compiled, sets = STAGES[0], SET_STAGES[0]
    assert compiled.check_pair(text, keys, None, text, passage_keys(text), None) == \
        sets.check_pair(text, keys, None, text, passage_keys(text), None)
    assert compiled.check_pair(text, keys, None, text, passage_keys(text), None).match == (1.0, False)


def test_the_stage_s_copied_spans_are_the_same_either_way():
    """``ReuseStage._spans`` with the compiled kernel gives what ``_copied`` gives with the sets,
    for a passage recycled in part (a sentence) and one recycled whole."""
    from storyline.reuse.sentences import sentence_keys
    from storyline.text.passages import passage_keys

    stage = ReuseStage(ReuseSettings(compiled_checks=True))
    source = ("Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday. "
              "The talks in Seoul lasted three hours and ended without a statement.")
    copies = ["Ukraine's Foreign Minister Andrii Sibiga called for more weapons on Monday. "
              "Separately, the weather in Kyiv turned cold overnight with snow expected.",
              source.replace("Sybiha", "Sibiga")]
    for text in copies:
        keys, sents = passage_keys(text), sentence_keys(text)
        stored = StoredPassage(1, "b", 0, source, "new", PassageRef("b", 0), 1, passage_keys(source),
                               sentence_keys(source))

        class Index:
            def checked(self, *args):
                return None

        by_sets = stage._copied(text, keys, sents, source, stored.keys, stored.sentences)
        real, stage._copied = stage._copied, None  # the compiled path asks nothing of the sets
        try:
            compiled = stage._spans("a", 0, text, keys, sents, stored, Index())
        finally:
            stage._copied = real
        assert compiled == by_sets
    first = source.index(" The talks")
    assert by_sets == (Span(0, len(copies[1])), Span(0, len(source)))
    partial = stage._copied(copies[0], passage_keys(copies[0]), sentence_keys(copies[0]), source,
                            passage_keys(source), sentence_keys(source))
    assert partial[1] == Span(0, first) and partial[0].end < len(copies[0])


def test_a_passage_is_prepared_once_for_its_sentences():
    stage = ReuseStage(ReuseSettings(compiled_checks=True))
    kernel = stage._pair_kernel()
    keys = PassageKeys(("sbh", "clld", "lft", "rstrctns", "kv", "wpns"), 9)
    sentences = (SentenceKeys(0, 10, PassageKeys(keys.keys[:3], 4)), SentenceKeys(11, 20, PassageKeys(keys.keys[3:], 5)))
    first = kernel.passage(keys, sentences)
    assert kernel.passage(keys, sentences) is first
    other = (SentenceKeys(0, 20, keys),)  # other sentences: prepared again for them
    assert kernel.passage(keys, other) is not first
    assert list(kernel.passage(keys, other).bounds) == [0, 6]
    runs = ((0, 10, 0, 3, 4), (11, 20, 3, 6, 5))
    stored = _stored(PassageKeys(keys.keys, 9), runs, None)
    prepared = kernel.stored(stored)
    assert kernel.stored(stored) is prepared and list(prepared.bounds) == [0, 3, 3, 6]
    # neither runs nor sentences known: the stage keys its text with the set code
    assert kernel.stored(_stored(PassageKeys(keys.keys, 9), None, None)) is None


def test_prepared_keys_are_not_pickled():
    """The hashes are of this process: another process must hash again."""
    import pickle

    stage = ReuseStage(ReuseSettings(compiled_checks=True))
    keys = PassageKeys(("sbh", "clld", "lft", "rstrctns"), 5)
    stage._pair_kernel().passage(keys, (SentenceKeys(0, 5, keys),))
    assert keys.prepared is not None
    assert pickle.loads(pickle.dumps(keys)).prepared is None


def test_the_compiled_check_is_the_default_where_numba_is_installed(monkeypatch):
    assert ReuseStage(ReuseSettings(compiled_after=0)).compiled  # numba is installed here (the test extra)
    assert ReuseStage(ReuseSettings(compiled_checks=True)).compiled
    assert not ReuseStage(ReuseSettings(compiled_checks=False, compiled_after=0)).compiled
    from storyline.errors import StorylineError
    from storyline.reuse import stage as stage_module

    # Without numba: the default checks with the sets; asked for, it is refused when the stage
    # is made, with the pip line.
    monkeypatch.setattr(stage_module.importlib.util, "find_spec", lambda name: None)
    assert not ReuseStage(ReuseSettings(compiled_after=0)).compiled
    with pytest.raises(StorylineError, match=r"pip install 'storyline\[fast\]'"):
        ReuseStage(ReuseSettings(compiled_checks=True))


def test_the_default_compiles_once_enough_pairs_were_checked(monkeypatch):
    """A small ingest never spends numba's import and load; a long one switches, with the same verdicts."""
    made: list[int] = []
    real = ReuseStage._made_kernel
    monkeypatch.setattr(ReuseStage, "_made_kernel", lambda self: (made.append(1), real(self))[1])
    stage = ReuseStage(ReuseSettings(compiled_after=3))
    keys = PassageKeys(("sbh", "clld", "lft", "rstrctns", "kv", "wpns"), 9)
    sentences = (SentenceKeys(0, 9, keys),)
    other = PassageKeys(("sbh", "clld", "hwng", "2024", "rng", "nkrn"), 9)
    pairs = [_stored(PassageKeys(k.keys, 9), ((0, 9, 0, 6, 9),), None) for k in (keys, other) * 3]
    verdicts = []
    for n, stored in enumerate(pairs):
        assert stage.compiled == (n >= 3)  # asking does not count as a check
        verdicts.append(stage._match_stored("", keys, sentences, stored))
    assert made == [1]
    sets = ReuseStage(ReuseSettings(compiled_checks=False))
    assert verdicts == [sets._match_stored("", keys, sentences, stored) for stored in pairs]
    assert verdicts[0] == (1.0, False) and verdicts[1] is None


def test_a_numba_that_fails_leaves_the_default_with_the_sets(monkeypatch):
    """A numba that cannot compile (or import: one built for another numpy) fails nothing the
    set code would have done; asked for by name, the failure is the caller's to see."""
    def broken(self):
        raise RuntimeError("LLVM ERROR: made up for the test")

    monkeypatch.setattr(pair_kernel.PairKernel, "compile", broken)
    stage = ReuseStage(ReuseSettings(compiled_after=0))
    assert not stage.compiled
    keys = PassageKeys(("sbh", "clld", "lft", "rstrctns", "kv", "wpns"), 9)
    stored = _stored(PassageKeys(keys.keys, 9), None, (SentenceKeys(0, 9, keys),))
    assert stage._match_stored("", keys, (SentenceKeys(0, 9, keys),), stored) == (1.0, False)
    with pytest.raises(RuntimeError, match="made up"):
        ReuseStage(ReuseSettings(compiled_checks=True)).compiled


def test_the_kernel_is_compiled_when_made(monkeypatch):
    """Before the first real pair (numba would compile inside a write transaction), whichever
    the setting that asked for it."""
    compiled: list[pair_kernel.PairKernel] = []
    real = pair_kernel.PairKernel.compile
    monkeypatch.setattr(pair_kernel.PairKernel, "compile", lambda self: (compiled.append(self), real(self)))
    for wanted in (None, True):
        kernel = ReuseStage(ReuseSettings(compiled_checks=wanted, compiled_after=0))._pair_kernel()
        assert kernel is not None and compiled[-1] is kernel
    assert len(compiled) == 2 and pair_kernel._check.signatures


def test_the_hashes_are_the_keys_hashes():
    hashes = pair_kernel.key_hashes(("sbh", "clld"))
    assert hashes.dtype.name == "uint64" and [int(h) for h in hashes.view("int64")] == [hash("sbh"), hash("clld")]


def _stream(path: Path, db: Path, compiled: bool, calls: list[int], hot: int | None = None) -> list:
    reuse = replace(ReuseSettings(), compiled_checks=compiled)
    settings_ = Settings(reuse=reuse if hot is None else replace(reuse, cache_passages=hot))
    with Storyline(db, settings_) as sl:
        if compiled:
            kernel = sl.runner.reuse._pair_kernel()
            real = kernel.match

            def counted(*args):
                calls.append(1)
                return real(*args)

            kernel.match = counted
        sl.ingest([path])
        return [(a.id, a.story_id, a.duplicate_of,
                 [(p.status, p.first_seen, p.score, p.copied, p.first_seen_span) for p in a.passages])
                for a in sl.queries.articles()]


def test_a_stream_is_stored_the_same_with_either_check(tmp_path):
    """A generated stream of stories that recycle each other's blocks, in whole and in part,
    into two real stores: every verdict, first occurrence, score, copied span and story the same."""
    path = generated_stream(tmp_path / "stream.jsonl", 300, seed=7, stories=6)
    calls: list[int] = []
    compiled = _stream(path, tmp_path / "compiled.db", True, calls)
    sets = _stream(path, tmp_path / "sets.db", False, [])
    assert compiled == sets
    statuses = [p[0] for a in sets for p in a[3]]
    assert statuses.count("recycled") > 300
    assert len(calls) > 1000  # the compiled check made the verdicts


def test_a_stream_through_a_small_hot_tier_is_stored_the_same_with_either_check(tmp_path, monkeypatch):
    """With room for 64 whole passages, most candidates come back from the cold tier, which the
    compiled check's process fills with key hashes instead of key strings: the same store still."""
    from storyline.store import passage_cache
    from storyline.text.passages import KeysOfText

    path = generated_stream(tmp_path / "stream.jsonl", 300, seed=11, stories=6)
    warmed: list[bool] = []
    real = passage_cache._warm

    def counted(seq, index, cold):
        stored = real(seq, index, cold)
        warmed.append(isinstance(stored.keys, KeysOfText))
        return stored

    monkeypatch.setattr(passage_cache, "_warm", counted)
    compiled = _stream(path, tmp_path / "compiled.db", True, [], hot=64)
    monkeypatch.setattr(passage_cache, "_warm", real)
    assert compiled == _stream(path, tmp_path / "sets.db", False, [], hot=64)
    assert sum(warmed) > 1000  # most warmed passages came back by their hashes
