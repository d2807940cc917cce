"""Passage pairs checked on the executors: their verdicts are the reuse stage's own check of the
two passages, they cross to the driver intact, and the store stage's resolve takes a verdict it
is given instead of checking the pair again (and checks any pair it is not given)."""

from __future__ import annotations

import json
import math
import pickle
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.batch.pairs import pack, unpack
from storyline.batch.resolve import load
from storyline.ingest.raw import RawArticle, build_article
from storyline.pipeline.runner import Runner
from storyline.records import Article, PassageRef, SourceRef, Span
from storyline.reuse.ports import CheckedPair
from storyline.reuse.stage import ReuseStage
from storyline.settings import BatchSettings, IngestSettings, Settings
from storyline.store import Store
from tests.conftest import ROOT

_span = st.tuples(st.integers(0, 5000), st.integers(0, 5000)).map(lambda t: Span(*sorted(t)))
_checked = st.one_of(
    st.just(CheckedPair(None)),
    st.builds(lambda score, partial, a, b: CheckedPair((score, partial), (a, b)),
              st.floats(0, 1, allow_nan=False), st.booleans(), _span, _span))


@given(pairs=st.dictionaries(st.tuples(st.integers(0, 2**20), st.integers(0, 2**40), st.integers(0, 2**20)),
                             _checked, max_size=30))
def test_verdicts_cross_to_the_driver_as_they_were_made(pairs):
    records = [pack(index, order, stored_index, checked) for (index, order, stored_index), checked in pairs.items()]
    assert unpack(records) == pairs


LEAD = "The harbour authority in Velmora closed the northern pier on Thursday after divers found a crack."
BLOCK = ("Engineers said the steel pilings under the northern pier had corroded for years, and the city council "
         "had postponed repairs twice since the last inspection of the harbour structures in the spring.")
OTHER = "A separate report said the ferry timetable would change next month as the operator renews its fleet."


def _rows(texts: list[str], settings: Settings) -> list[tuple]:
    articles = [a for n, text in enumerate(texts)
                for a in build_article(RawArticle(origin=SourceRef("t"), text=text, id=f"a{n}",
                                                  published=f"2024-10-{10 + n:02d}"), IngestSettings())
                if isinstance(a, Article)]
    features = Runner(settings).featurize(articles)
    return [(n, "t", n, pickle.dumps(a), pickle.dumps(f), None, None) for n, (a, f) in enumerate(zip(articles, features))]


def _passages(store: Store, article_id: str) -> list[tuple]:
    conn = store._conn  # the test reads back exactly what the writer stored
    return conn.execute("SELECT p.idx, p.status, p.first_seen_article, p.first_seen_index, p.score FROM passages p"
                        " JOIN articles a ON a.seq = p.article_seq WHERE a.id = ? ORDER BY p.idx",
                        (article_id,)).fetchall()


def _store(tmp_path: Path, rows: list[tuple], name: str):
    settings = Settings()
    store = Store(tmp_path / f"{name}.db")
    loaded = load(iter(rows), store, Runner(settings), name, 10)
    return store, loaded


@pytest.mark.parametrize("given_verdict", ["match", "no match"])
def test_the_store_stage_takes_the_verdict_it_is_given(tmp_path, given_verdict):
    """The second article repeats the first one's background paragraph. Streamed, that passage
    is recycled with score 1.0; given a verdict for the pair, the stage goes by the verdict."""
    settings = Settings()
    rows = _rows([f"{LEAD}\n\n{BLOCK}", f"{OTHER}\n\n{BLOCK}"], settings)
    plain, loaded = _store(tmp_path, rows, "plain")
    with plain:
        assert _passages(plain, "a1")[1] == (1, "recycled", "a0", 1, 1.0)
        assert loaded.checks.executors == 0 and loaded.checks.driver > 0

    verdict = CheckedPair((0.8125, False), (Span(0, 20), Span(3, 30))) if given_verdict == "match" else CheckedPair(None)
    given = [*rows[:1], (*rows[1][:6], [pack(1, 0, 1, verdict)])]  # passage 1 against article 0's passage 1
    store, loaded = _store(tmp_path, given, "given")
    with store:
        if given_verdict == "match":
            assert _passages(store, "a1")[1] == (1, "recycled", "a0", 1, 0.8125)
            article = store.get_article("a1")
            assert (article.passages[1].copied, article.passages[1].first_seen_span) == (Span(0, 20), Span(3, 30))
            assert article.passages[1].first_seen == PassageRef("a0", 1)
        else:
            assert _passages(store, "a1")[1][1] == "new"
        assert loaded.checks.executors >= 1


_words = st.sampled_from(["Sybiha", "Sibiga", "said", "the", "talks", "in", "Seoul", "weapons", "Kyiv", "2024",
                          "İstanbul", "and", "a", "minister", "called"])


@given(st.lists(st.lists(_words, min_size=0, max_size=9), min_size=1, max_size=5), st.booleans())
def test_a_passage_crosses_to_a_check_with_its_length_keys_and_sentences(sentence_words, found_by_ingest):
    """What a check reads of a passage comes back from its blob equal: the text's length, the
    keys, and each sentence's span, keys and words (sentences found by ingest or by the splitter)."""
    from storyline.batch.pairs import passage_blob, read_blob
    from storyline.reuse.sentences import sentence_keys
    from storyline.text.passages import passage_keys

    text, spans = "", []
    for words in sentence_words:
        start = len(text)
        text += " ".join(words) + "."
        spans.append(Span(start, len(text)))
        text += " "
    text = text.rstrip()
    keys, sentences = passage_keys(text), sentence_keys(text, tuple(spans) if found_by_ingest else ())
    length, got_keys, got_sentences = read_blob(passage_blob(text, keys, sentences))
    assert length == len(text) and got_keys == keys and got_keys.words == keys.words
    assert got_sentences == sentences
    assert [(s.start, s.end, s.keys.words) for s in got_sentences] == [(s.start, s.end, s.keys.words) for s in sentences]
    # without sentences: those the check would have made from the text
    assert read_blob(passage_blob(text, keys, None))[2] == sentence_keys(text)


def test_sentences_that_are_not_runs_of_the_passage_s_keys_cross_as_they_are():
    from storyline.batch.pairs import passage_blob, read_blob
    from storyline.reuse.sentences import SentenceKeys
    from storyline.text.passages import PassageKeys

    keys = PassageKeys(("sbh", "clld", "lft"), 5)
    sentences = (SentenceKeys(0, 9, PassageKeys(("sbh", "clld"), 3)), SentenceKeys(10, 20, PassageKeys(("kv",), 2)))
    assert len(passage_blob("x" * 20, keys, sentences)) > len(passage_blob("x" * 20, keys, sentences[:1]))
    assert read_blob(passage_blob("x" * 20, keys, sentences)) == (20, keys, sentences)
    # a run found before where the last one ended (a sentence repeated)
    again = (SentenceKeys(0, 9, PassageKeys(("sbh", "clld"), 3)), SentenceKeys(10, 19, PassageKeys(("sbh", "clld"), 3)))
    assert read_blob(passage_blob("x" * 20, keys, again))[2] == again


def test_a_blob_is_smaller_than_the_text_and_keys_it_stands_for():
    from storyline.batch.pairs import passage_blob
    from storyline.reuse.sentences import sentence_keys
    from storyline.text.passages import passage_keys

    text = ("Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday. The talks in Seoul "
            "lasted three hours and ended without a statement. Jongkook Hwang said the next round is in May.")
    keys, sentences = passage_keys(text), sentence_keys(text)
    assert len(passage_blob(text, keys, sentences)) < 0.6 * len(pickle.dumps((text, keys, sentences)))


def test_an_executor_checks_its_pairs_compiled_from_the_first_where_numba_is_installed(monkeypatch):
    """``check_frames`` (one task's pairs) checks with the compiled check from its first pair
    under the default settings, giving the set code's verdicts and spans."""
    pytest.importorskip("numba")
    import pandas as pd

    from storyline.batch.pairs import check_frames, passage_blob
    from storyline.reuse.sentences import sentence_keys
    from storyline.text.passages import passage_keys

    texts = ["Ukraine's Foreign Minister Andriy Sybiha called for more weapons on Monday. "
             "The talks in Seoul lasted three hours and ended without a statement.",
             "Ukraine's Foreign Minister Andrii Sibiga called for more weapons on Monday. "
             "Separately, the weather in Kyiv turned cold overnight with snow expected. Farmers in the "
             "south said the harvest of sunflowers was the smallest in a decade, blaming drought and mines.",
             "A recipe for plum dumplings needs flour, plums, sugar, butter and a patient cook today."]
    passages = [(text, passage_keys(text), sentence_keys(text)) for text in texts]
    blobs = [passage_blob(*passage) for passage in passages]
    pairs = [(1, 0), (2, 0), (2, 1)]
    frame = pd.DataFrame({"order": [a for a, _ in pairs], "idx": [0] * 3, "stored_order": [b for _, b in pairs],
                          "stored_idx": [0] * 3, "blob": [blobs[a] for a, _ in pairs],
                          "stored_blob": [blobs[b] for _, b in pairs]})
    by_sets = ReuseStage(Settings().reuse)  # the default's first 50,000 pairs: the set code
    expected = {(a, b): by_sets.check_pair(*passages[a], *passages[b]) for a, b in pairs}
    assert expected[1, 0].match is not None and expected[1, 0].match[1]  # a partial copy, spans and all
    assert expected[2, 0].match is None

    def refused(*args, **kwargs):
        raise AssertionError("the set code was asked")

    monkeypatch.setattr(ReuseStage, "_match", refused)
    (out,) = check_frames(iter([frame]), Settings())
    assert list(out["order"]) == [1, 2, 2]
    got = {(order, stored_order): checked for order, record in zip(out["order"], out["record"])
           for (_, stored_order, _), checked in unpack([record]).items()}
    assert got == expected


def test_pairs_the_executors_check_get_the_stages_verdicts(spark, tmp_path):
    """Every verdict of the pairs stage equals the reuse stage's check of the two passages made
    here, from the same articles and features."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    from storyline.batch import run_batch

    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": it.id, "text": it.text, "published": corpus.published(i, 40)}) + "\n"
                              for i, it in enumerate(corpus.generate(120, seed=3))), encoding="utf-8")
    settings = Settings(batch=BatchSettings(partitions=3, featurize_batch=32, write_batch=40, pair_checks=20,
                                            keep_work=True))  # its features are read below
    report = run_batch([source], tmp_path / "out", settings=settings, spark=spark)
    assert report.added == 120 and report.stages["pairs"] is not None

    import pyarrow.parquet as pq

    work = tmp_path / "out" / "_work"
    rows = pq.read_table(work / "features", columns=["order", "article", "features"]).to_pylist()
    passages = {}
    for row in rows:
        article, features = pickle.loads(row["article"]), pickle.loads(row["features"])
        for p, keys, sents in zip(article.passages, features.reuse.passages, features.reuse.sentences):
            passages[row["order"], p.index] = (p.text, keys, sents)
    stage = ReuseStage(settings.reuse)
    checked = matched = 0
    for row in pq.read_table(work / "pairs").to_pylist():
        for (index, order, stored_index), verdict in unpack(row["pairs"]).items():
            assert order < row["order"]
            expected = stage.check_pair(*passages[row["order"], index], *passages[order, stored_index])
            assert verdict.match == expected.match and verdict.spans == expected.spans
            checked += 1
            matched += verdict.match is not None
    assert checked > 2000 and matched > 300
    assert not any(math.isnan(v.match[0]) for row in pq.read_table(work / "pairs").to_pylist()
                   for v in unpack(row["pairs"]).values() if v.match is not None)
