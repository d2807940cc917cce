"""Span edges re-drawn with the encoder's word pieces too (the ``embeddings`` extra).

:mod:`.boundaries` scores each position an edge may take by categorical features of the
parse. Here each position also reads the frozen all-MiniLM-L6-v2 encoder's vectors of the word
piece inside the span at that edge and of the one outside it, each also multiplied by the
cue's mean vector (so the head can tell what belongs with *this* cue), standardised, through a
small head per edge (one hidden layer, or linear); its score is added to the categorical
features' score, both fitted together on PolNeAR's *train* part by
``python scripts/train_encoder_boundaries.py ../shared/data/polnear/train``. The edge moves
to the best position when it beats the rules' own by the model's margin, as in
:mod:`.boundaries`.

The weights ship as ``boundaries_encoder.npz`` (numpy arrays only, read without pickle). The
encoder itself (torch) is loaded only when this model is asked for: :func:`encoder_boundaries`
raises :class:`~storyline.embeddings.EmbeddingsUnavailable`, naming the install line, when the
extra is missing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .boundaries import EDGES, BoundaryModel, EdgeOptions
from .nlp import ModelError

_WEIGHTS = "boundaries_encoder.npz"
FORMAT = 1  # the file's layout; a reader refuses any other
# The encoder layer read: on train's held-out fifth the third of six told edges apart far better
# than the last (which is tuned for pooled sentence similarity), alone and with the parse's features.
LAYER = 3


@dataclass(slots=True)
class Pieces:
    """A text's word pieces: their vectors and character offsets into the text, in text order."""

    vectors: np.ndarray  # (n, 384)
    starts: np.ndarray  # (n,) int
    ends: np.ndarray  # (n,) int

    @classmethod
    def join(cls, paragraphs: Sequence[tuple[int, tuple[np.ndarray, np.ndarray]]], dim: int = 384) -> Pieces:
        """One text's pieces from its paragraphs' ``(offset, (vectors, offsets))``, offsets into the paragraph."""
        kept = [(s, v, o) for s, (v, o) in paragraphs if len(o)]
        if not kept:
            return cls(np.zeros((0, dim), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64))
        return cls(np.concatenate([v for _, v, _ in kept]),
                   np.concatenate([o[:, 0].astype(np.int64) + s for s, _, o in kept]),
                   np.concatenate([o[:, 1].astype(np.int64) + s for s, _, o in kept]))

    def cue_vector(self, cue: tuple[int, int]) -> np.ndarray:
        """The mean vector of the pieces the cue covers (zeros when none)."""
        inside = (self.starts < cue[1]) & (self.ends > cue[0])
        if not inside.any():
            return np.zeros(self.vectors.shape[1], np.float32)
        return self.vectors[inside].astype(np.float32).mean(0)

    def at_edges(self, positions: Sequence[int], is_start: bool) -> tuple[np.ndarray, np.ndarray]:
        """For each position, the index of the piece inside the span at that edge and of the one
        outside it (``len(self)`` where there is none: the zero row of :meth:`padded`)."""
        p = np.asarray(positions, dtype=np.int64)
        after = np.searchsorted(self.starts, p, "left")  # the first piece starting at or after p
        before = np.searchsorted(self.ends, p, "right") - 1  # the last piece ending at or before p
        n = len(self.starts)
        after = np.where(after < n, after, n)
        before = np.where(before >= 0, before, n)
        return (after, before) if is_start else (before, after)

    def padded(self) -> np.ndarray:
        return np.concatenate([self.vectors.astype(np.float32), np.zeros((1, self.vectors.shape[1]), np.float32)])

    def __len__(self) -> int:
        return len(self.starts)


def dense_inputs(pieces: Pieces, options: EdgeOptions, cue: tuple[int, int], table: np.ndarray | None = None
                 ) -> np.ndarray:
    """The encoder's reading of each position of ``options`` (offsets into the text ``pieces``
    came from): the inside piece, the outside piece, and each times the cue's mean vector."""
    table = pieces.padded() if table is None else table
    inside, outside = pieces.at_edges(options.positions, options.edge.endswith("start"))
    c = pieces.cue_vector(cue)
    h_in, h_out = table[inside], table[outside]
    return np.concatenate([h_in, h_out, h_in * c, h_out * c], axis=1)


@dataclass(slots=True)
class EdgeHead:
    """One edge's head: standardised inputs, one ReLU layer (absent when linear), one output."""

    mean: np.ndarray
    scale: np.ndarray
    hidden: np.ndarray | None  # (d, h), or None for a linear head
    bias: np.ndarray | None  # (h,)
    out: np.ndarray  # (h,) or (d,)

    def scores(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        if self.hidden is not None and self.bias is not None:
            z = np.maximum(z @ self.hidden + self.bias, 0.0)
        return z @ self.out


@dataclass(slots=True)
class EncoderEdgeModel:
    """The categorical weights of :class:`~.boundaries.BoundaryModel` plus a dense head per edge."""

    sparse: BoundaryModel
    heads: dict[str, EdgeHead]
    meta: dict = field(default_factory=dict)
    layer: int = LAYER  # the encoder layer whose vectors the heads read

    @property
    def margin(self) -> float:
        return self.sparse.margin

    def scores(self, options: EdgeOptions, pieces: Pieces, cue: tuple[int, int],
               table: np.ndarray | None = None) -> np.ndarray:
        sparse = np.asarray(self.sparse.scores(options), dtype=np.float64)
        head = self.heads.get(options.edge)
        if head is None or not len(pieces):
            return sparse
        return sparse + head.scores(dense_inputs(pieces, options, cue, table))

    def bound(self, pieces: Pieces, cue: tuple[int, int], margin: float | None = None,
              table: np.ndarray | None = None, offset: int = 0) -> BoundEdges:
        """A chooser of edges for the attribution whose cue is ``cue`` (offsets into ``pieces``' text);
        the options it is given are ``offset`` characters before the text's offsets (a paragraph's)."""
        return BoundEdges(self, pieces, cue, self.margin if margin is None else margin, table, offset)

    # --- the file ------------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.sparse.weights)
        out: dict[str, np.ndarray] = {
            "format": np.asarray([FORMAT], np.int64),
            "layer": np.asarray([self.layer], np.int64),
            "margin": np.asarray([self.sparse.margin], np.float64),
            "meta": np.frombuffer(json.dumps(self.meta, sort_keys=True).encode(), np.uint8),
            "names": np.frombuffer("\n".join(names).encode(), np.uint8),
            "weights": np.asarray([self.sparse.weights[n] for n in names], np.float32),
        }
        for edge, head in sorted(self.heads.items()):
            out[f"{edge}/mean"], out[f"{edge}/scale"], out[f"{edge}/out"] = head.mean, head.scale, head.out
            if head.hidden is not None and head.bias is not None:
                out[f"{edge}/hidden"], out[f"{edge}/bias"] = head.hidden, head.bias
        return out

    def save(self, path: Any) -> None:
        with open(path, "wb") as f:
            np.savez_compressed(f, **self.arrays())  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Any, where: str | None = None) -> EncoderEdgeModel:
        where = where or str(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except (OSError, ValueError) as exc:
            raise ModelError(f"{where}: cannot read the encoder's span boundary model ({exc}); reinstall storyline") \
                from None
        return cls.from_arrays(arrays, where)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], where: str = "model") -> EncoderEdgeModel:
        try:
            if int(arrays["format"][0]) != FORMAT:
                raise ValueError(f"format {int(arrays['format'][0])}, this storyline reads {FORMAT}")
            names = bytes(arrays["names"]).decode().split("\n") if len(arrays["names"]) else []
            weights = arrays["weights"]
            if len(names) != len(weights):
                raise ValueError(f"{len(names)} feature names but {len(weights)} weights")
            sparse = BoundaryModel({n: float(w) for n, w in zip(names, weights)}, float(arrays["margin"][0]))
            heads = {}
            for edge in EDGES:
                if f"{edge}/out" not in arrays:
                    continue
                heads[edge] = EdgeHead(arrays[f"{edge}/mean"].astype(np.float32),
                                       arrays[f"{edge}/scale"].astype(np.float32),
                                       arrays[f"{edge}/hidden"].astype(np.float32) if f"{edge}/hidden" in arrays else None,
                                       arrays[f"{edge}/bias"].astype(np.float32) if f"{edge}/bias" in arrays else None,
                                       arrays[f"{edge}/out"].astype(np.float32))
            meta = json.loads(bytes(arrays["meta"]).decode() or "{}")
        except (KeyError, ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ModelError(f"{where}: not an encoder span boundary model ({exc})") from None
        return cls(sparse, heads, meta, int(arrays["layer"][0]))


@dataclass(slots=True)
class BoundEdges:
    """The edge model read against one attribution's text and cue: ``choose`` as :class:`~.boundaries.BoundaryModel`'s."""

    model: EncoderEdgeModel
    pieces: Pieces
    cue: tuple[int, int]
    margin: float
    table: np.ndarray | None = None
    offset: int = 0

    def choose(self, options: EdgeOptions, margin: float | None = None) -> int:
        at_text = options.shifted(self.offset) if self.offset else options
        scores = self.model.scores(at_text, self.pieces, self.cue, self.table)
        best = int(np.argmax(scores))
        rule = options.positions.index(options.rule)
        if scores[best] > scores[rule] + (self.margin if margin is None else margin):
            return options.positions[best]
        return options.rule


@lru_cache(maxsize=1)
def default_encoder_edges() -> EncoderEdgeModel:
    """The weights shipped with storyline (``storyline/statements/boundaries_encoder.npz``); numpy only."""
    from importlib import resources

    path = resources.files(__package__) / _WEIGHTS
    with resources.as_file(path) as real:
        return EncoderEdgeModel.load(real, str(path))


@dataclass(slots=True)
class EncoderBoundaries:
    """What :func:`~.attribution.extract_many` takes as ``boundaries`` to re-draw edges with the encoder:
    the edge model and the loaded encoder (see :func:`encoder_boundaries`)."""

    model: EncoderEdgeModel
    encoder: Any  # storyline.embeddings.TokenEncoder

    def read(self, text: str, paragraphs: Sequence[tuple[int, int]]) -> Pieces:
        """The word pieces of ``text``'s paragraphs (``(start, end)`` offsets), encoded."""
        encoded = self.encoder.encode([text[s:e] for s, e in paragraphs])
        return Pieces.join([(s, enc) for (s, _), enc in zip(paragraphs, encoded)])


def encoder_boundaries(threads: int | None = 1) -> EncoderBoundaries:
    """The shipped encoder edge model with the bundled encoder loaded; raises
    :class:`~storyline.embeddings.EmbeddingsUnavailable` (naming the pip line) without the extra."""
    from ..embeddings import load_token_encoder

    model = default_encoder_edges()
    return EncoderBoundaries(model, load_token_encoder(threads=threads, layer=model.layer))
