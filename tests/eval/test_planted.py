"""The planted recycled-passage set (real PolNeAR text, exact gold) and the passage scores on it."""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import pytest

from storyline.eval import PlantedSetError, build_planted_set, score_passages
from storyline.eval.gate import below_floor, load_floors
from storyline.eval.passages import combine_scores, score_spans
from storyline.eval.planted import PlantedSet, copied_spans, spelling_variants
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef, Span
from storyline.settings import IngestSettings
from tests.eval.eval_gate import FLOORS, measure_passages

# The gates are on the report part (seeds 10+, the first PASSAGE_SEEDS of them in CI), both
# levels: floors.json, written only by eval_gate.py.


@functools.cache
def _planted(text_dir: Path, stories: int = 40, seed: int = 0, level: str = "easy"):
    return build_planted_set(text_dir, stories=stories, seed=seed, level=level)  # type: ignore[arg-type]


@pytest.fixture
def dev_text(data_dir: Path) -> Path:
    return data_dir / "polnear" / "dev" / "text"


def _texts(planted) -> dict[tuple[str, int], str]:
    return {(aid, i): p for aid, _, text in planted.articles for i, p in enumerate(text.split("\n\n"))}


# -- the set -----------------------------------------------------------------------------

def test_same_seed_same_set(dev_text):
    a = build_planted_set(dev_text, stories=12, seed=3)
    b = build_planted_set(dev_text, stories=12, seed=3)
    assert a == b
    assert build_planted_set(dev_text, stories=12, seed=4).articles != a.articles


def test_gold_covers_every_passage_and_points_earlier(dev_text):
    planted = _planted(dev_text)
    texts = _texts(planted)
    assert set(planted.gold) == set(texts)
    position = {aid: n for n, (aid, _, _) in enumerate(planted.articles)}
    dates = [published for _, published, _ in planted.articles]
    assert dates == sorted(dates)
    positives = {k: g for k, g in planted.gold.items() if g is not None}
    assert len(positives) > 300
    for key, first in positives.items():
        assert position[first[0]] < position[key[0]], key
        assert first in texts, first  # a valid index of that article
        assert planted.gold[first] is None, "the first occurrence is itself new"
        assert planted.edits[key][0] == planted.edits[first][0] == "block"
        # Still a copy a reader would recognise (an independent measure, not the matcher's).
        assert difflib.SequenceMatcher(None, texts[key], texts[first], autojunk=False).ratio() > 0.75, key


def test_leads_are_never_reused(dev_text):
    planted = _planted(dev_text)
    texts = _texts(planted)
    fresh = [texts[k] for k, g in planted.gold.items() if g is None]
    assert len(fresh) == len(set(fresh))
    roles = {labels[0] for labels in planted.edits.values()}
    assert roles == {"lead", "distractor", "block"}
    for key, labels in planted.edits.items():
        if labels[0] != "block":
            assert planted.gold[key] is None


def test_every_kind_of_edit_is_planted(dev_text):
    labels = [label for edits in _planted(dev_text).edits.values() for label in edits[1:]]
    for kind in ("reword:", "respell:", "connective:", "moved"):
        assert sum(label.startswith(kind) for label in labels) >= 20, kind


def test_passage_indexes_are_storylines(dev_text):
    for article_id, published, text in _planted(dev_text).articles:
        items = list(build_article(RawArticle(origin=SourceRef("planted"), text=text, id=article_id,
                                              published=published), IngestSettings()))
        (article,) = items
        assert isinstance(article, Article)
        assert [p.text for p in article.passages] == text.split("\n\n")
        assert article.published == published


def test_spelling_variants_are_transliterations():
    assert {"Sibiha", "Sybiga"} <= set(spelling_variants("Sybiha"))
    assert "Jongkuk" in spelling_variants("Jongkook")
    assert {"Hilary", "Gillary", "Hyllary"} <= set(spelling_variants("Hillary"))
    assert "Klinton" in spelling_variants("Clinton")
    assert spelling_variants("Trump") == ["Troomp"]
    assert spelling_variants("Pence") == []  # nothing transliterations disagree on


def test_too_little_text_is_a_named_error(tmp_path):
    with pytest.raises(PlantedSetError, match="no \\*.txt files"):
        build_planted_set(tmp_path)
    (tmp_path / "one.txt").write_text("Title\n\n" + "A paragraph long enough to count as one. " * 4)
    with pytest.raises(PlantedSetError, match="fewer than the 3 stories"):
        build_planted_set(tmp_path, stories=3)


# -- scoring -----------------------------------------------------------------------------

def test_score_passages_exact_numbers():
    gold = {("a", 0): None, ("a", 1): None, ("b", 0): None, ("b", 1): ("a", 1),
            ("c", 0): ("a", 1), ("c", 1): ("a", 0), ("c", 2): None}
    predicted = {
        ("a", 0): ("new", None), ("a", 1): ("new", None),
        ("b", 0): ("recycled", ("a", 0)),  # fp
        ("b", 1): ("recycled", ("a", 1)),  # tp, right source
        ("c", 0): ("recycled", ("b", 1)),  # tp, wrong source
        ("c", 1): ("boilerplate", ("a", 0)),  # fn: boilerplate is not recycled
        ("c", 2): ("boilerplate", None),  # tn
    }
    scores = score_passages(predicted, gold)
    assert (scores.tp, scores.fp, scores.fn, scores.first_seen_correct) == (2, 1, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.first_seen_accuracy == pytest.approx(0.5)
    assert scores.as_dict()["positives"] == 3 and scores.as_dict()["passages"] == 7


def test_score_passages_empty_denominators_are_one():
    scores = score_passages({("a", 0): ("new", None)}, {("a", 0): None})
    assert (scores.precision, scores.recall, scores.first_seen_accuracy) == (1.0, 1.0, 1.0)


def test_score_passages_refuses_mismatched_passages():
    with pytest.raises(PlantedSetError, match="cover different passages"):
        score_passages({("a", 0): ("new", None)}, {("a", 0): None, ("a", 1): ("b", 0)})


# -- the hard level ----------------------------------------------------------------------

def test_hard_level_keeps_the_easy_level(dev_text):
    easy = build_planted_set(dev_text, stories=12, seed=3)
    assert build_planted_set(dev_text, stories=12, seed=3, level="hard") != easy
    assert build_planted_set(dev_text, stories=12, seed=3, level="easy") == easy
    assert easy.level == "easy" and all(easy.accepted[k] == {g} for k, g in easy.gold.items() if g)


def test_unknown_level_is_a_named_error(dev_text):
    with pytest.raises(PlantedSetError, match="unknown level 'medium'"):
        build_planted_set(dev_text, level="medium")  # type: ignore[arg-type]


def test_every_kind_of_hard_edit_is_planted(dev_text):
    labels = [label for edits in _planted(dev_text, level="hard").edits.values() for label in edits[1:]]
    for kind in ("trim:first", "trim:last", "merged", "split", "sentence:-", "sentence:+", "sentence:swap",
                 "clause:", "number:", "connective:", "reword:", "respell:", "interleaved", "moved"):
        assert sum(label.startswith(kind) for label in labels) >= 5, kind


def _word_shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return set(zip(*(words[i:] for i in range(n))))


def test_hard_gold_points_earlier_at_shared_text(dev_text):
    planted = _planted(dev_text, level="hard")
    texts = _texts(planted)
    position = {aid: n for n, (aid, _, _) in enumerate(planted.articles)}
    positives = {k: g for k, g in planted.gold.items() if g is not None}
    assert len(positives) > 300
    for key, first in positives.items():
        assert first in planted.accepted[key]
        for source in planted.accepted[key]:
            assert position[source[0]] < position[key[0]], key
            assert planted.edits[source][0] == "block"
        # A copy shares a run of words with its source, edits notwithstanding (an independent
        # measure, not the matcher's): a whole sentence may be re-worded, not all of them.
        assert _word_shingles(texts[key]) & _word_shingles(texts[first]), (key, texts[key], texts[first])
    # Trimmed halves and split parts are copies too; leads and interleaved paragraphs are new.
    for key, labels in planted.edits.items():
        if labels[0] != "block":
            assert planted.gold[key] is None
    assert any(planted.gold[k] for k, labels in planted.edits.items() if "split" in labels)


def test_true_copied_spans_hold_the_sentences_both_passages_share(dev_text):
    """The generator places each block sentence in each passage, edits and all: the true span of a
    copy and of its source hold the same sentences (an independent check: their words are mostly
    the same, in whatever order),
    and an added sentence lies outside the copy's span."""
    planted = _planted(dev_text, level="hard")
    texts = _texts(planted)
    added = 0
    shared: list[float] = []
    for key, first in planted.gold.items():
        if first is None:
            continue
        (a0, a1), (b0, b1) = copied_spans(planted, key, first)
        mine, theirs = texts[key][a0:a1], texts[first][b0:b1]
        assert 0 <= a0 < a1 <= len(texts[key]) and 0 <= b0 < b1 <= len(texts[first])
        words_a, words_b = set(mine.lower().split()), set(theirs.lower().split())
        shared.append(len(words_a & words_b) / len(words_a | words_b))
        assert shared[-1] > 0.3, (key, mine, theirs)
        if "sentence:+" in planted.edits[key] and "merged" not in planted.edits[key]:
            added += a1 - a0 < len(texts[key])
    assert added > 20
    assert sum(shared) / len(shared) > 0.75
    assert copied_spans(planted, next(k for k, g in planted.gold.items() if g is None and planted.edits[k][0] == "lead"),
                        next(iter(planted.placed))) is None


def test_score_spans_exact_numbers():
    planted = PlantedSet(articles=[], gold={("a", 0): None, ("b", 0): ("a", 0), ("c", 0): ("a", 0)},
                         accepted={("b", 0): frozenset({("a", 0)}), ("c", 0): frozenset({("a", 0)})},
                         placed={("a", 0): (((0, 0), 0, 10), ((0, 1), 11, 20)),
                                 ("b", 0): (((0, 1), 5, 14),),  # a sentence added before it
                                 ("c", 0): (((0, 0), 0, 10), ((0, 1), 11, 20))})
    base = score_passages({("a", 0): ("new", None), ("b", 0): ("recycled", ("a", 0)),
                           ("c", 0): ("recycled", ("a", 0))}, planted.gold, planted.accepted)
    scored = score_spans(base, {("b", 0): (("a", 0), Span(0, 14), Span(11, 20)),  # copy 9/14, source exact
                                ("c", 0): (("a", 0), Span(0, 20), None)}, planted)  # copy exact, source missing
    assert scored.spans_scored == 2
    assert scored.span_overlap == pytest.approx((9 / 14 + 1.0) / 2)
    assert scored.first_seen_span_overlap == pytest.approx((1.0 + 0.0) / 2)
    both = combine_scores([scored, base])  # a set without spans weighs nothing
    assert both.span_overlap == pytest.approx(scored.span_overlap) and both.spans_scored == 2


def test_hard_passage_indexes_are_storylines(dev_text):
    for article_id, published, text in _planted(dev_text, level="hard").articles:
        (article,) = build_article(RawArticle(origin=SourceRef("planted"), text=text, id=article_id,
                                              published=published), IngestSettings())
        assert isinstance(article, Article)
        assert [p.text for p in article.passages] == text.split("\n\n")


def test_accepted_sources_count_as_right():
    gold = {("a", 0): None, ("a", 1): None, ("b", 0): ("a", 0)}
    predicted = {("a", 0): ("new", None), ("a", 1): ("new", None), ("b", 0): ("recycled", ("a", 1))}
    assert score_passages(predicted, gold).first_seen_accuracy == 0.0
    merged = {("b", 0): frozenset({("a", 0), ("a", 1)})}
    assert score_passages(predicted, gold, merged).first_seen_accuracy == 1.0


def test_combined_scores_sum_the_counts():
    one = score_passages({("a", 0): ("recycled", None)}, {("a", 0): ("z", 0)})
    two = score_passages({("a", 0): ("new", None), ("a", 1): ("recycled", None)}, {("a", 0): ("z", 0), ("a", 1): None})
    both = combine_scores([one, two])
    assert (both.tp, both.fp, both.fn, both.passages) == (1, 1, 1, 3)
    assert both.precision == 0.5 and both.recall == 0.5


# -- the gate ----------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["easy", "hard"])
def test_report_part_meets_floors(data_dir, level):
    figures = measure_passages(data_dir, level)
    failures = below_floor(load_floors(FLOORS), f"passages/{level}/report", figures)
    assert not failures, (failures, figures)


def test_cli_prints_each_part_and_level(data_dir):
    import json

    from typer.testing import CliRunner

    from storyline.cli import app

    path = str(data_dir / "polnear" / "dev" / "text")
    result = CliRunner().invoke(app, ["eval", "passages", path, "--json", "--seeds", "1", "--stories", "8"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert sorted(scores) == ["easy/report", "easy/tune", "hard/report", "hard/tune"]
    assert all(0 <= s["recall"] <= 1 and s["positives"] > 0 for s in scores.values())
    text = CliRunner().invoke(app, ["eval", "passages", path, "--level", "hard", "--part", "report", "--seeds", "1",
                                    "--stories", "8"])
    assert "hard level, report part, seeds 10-10" in text.output, text.output
    bad = CliRunner().invoke(app, ["eval", "passages", path, "--part", "dev"])
    assert bad.exit_code == 2 and "unknown part 'dev'" in bad.output
