"""Fit the encoder's span boundary model (storyline/statements/boundaries_encoder.npz) on PolNeAR's train part.

    python scripts/train_encoder_boundaries.py ../shared/data/polnear/train \
        --cache /tmp/polnear-train.minilm --parse-cache /tmp/polnear-train.parsed

Needs the ``embeddings`` extra (torch, transformers, the bundled all-MiniLM-L6-v2; nothing is
downloaded). Dev and test are never read.

1. Train is parsed (``--parse-cache``, as ``scripts/train_boundary_model.py``) and the extractor
   collects, for every attribution it keeps, the positions each edge may take and their
   categorical features (``boundaries.edge_options``); an edge's target is the annotated one
   (the annotated span overlapping the attribution's most, when in one piece).
2. Every paragraph is encoded by the frozen encoder and the word pieces' vectors cached
   (``--cache``: float16, ~630 MB for train, never inside the repository; the same file
   ``benchmarks/boundary_tagger.py`` writes). The encoding's paragraphs/s is printed.
3. The categorical weights and a small head per edge (``--hidden`` units; 0: linear) over the
   encoder's vectors (``encoder_edges.dense_inputs``) are fitted together with Adam (seeded):
   a softmax over each edge's positions, L2 on the categorical weights as the core model's.
4. Held out: the documents are split as the core script splits them (index modulo 5); a model
   fitted without fold 0 is scored on fold 0 (``--folds`` more) for each margin, beside the
   rules' edges and the core model fitted on the same documents; the largest margin whose sum
   of source and content exact F1 is within 0.001 of the best is kept.
5. The model shipped is fitted on all of train with that margin (``--margin`` overrides it).

Deterministic for a given machine's torch: the same train part gives the same file.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_boundary_model import MIN_COUNT, collect, labelled, redrawn_by, samples

from storyline.eval.polnear import as_predicted, parsed_paragraphs, read_polnear, score
from storyline.statements import attribution as at
from storyline.statements.boundaries import EDGES, BoundaryModel, fit
from storyline.statements.encoder_edges import LAYER, EdgeHead, EncoderEdgeModel, Pieces

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "statements" / "boundaries_encoder.npz"
FOLDS = 5
MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0)
L2 = 2.0


def encoded_paragraphs(documents, cache: Path, threads: int, layer: int = -1) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each paragraph's word-piece vectors and offsets, in the order of ``at._paragraphs`` over the documents."""
    jobs = [(i, s, e) for i, d in enumerate(documents) for s, e in at._paragraphs(d.text)]
    if cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if stored["jobs"] != jobs or stored.get("layer", -1) != layer:
            sys.exit(f"{cache}: encoded from other texts or another layer; delete it")
        print(f"encoder: cached ({stored['per_s']:.1f} paragraphs/s when encoded)", file=sys.stderr)
        return stored["encoded"]
    from storyline.embeddings import load_token_encoder

    encoder = load_token_encoder(threads=threads, layer=layer)
    started = time.perf_counter()
    encoded = []
    texts = [documents[i].text[s:e] for i, s, e in jobs]
    for b in range(0, len(texts), 512):
        encoded.extend((v.astype(np.float16), o) for v, o in encoder.encode(texts[b:b + 512]))
        print(f"  encoded {len(encoded)}/{len(texts)} paragraphs", file=sys.stderr, flush=True)
    per_s = len(texts) / (time.perf_counter() - started)
    cache.write_bytes(pickle.dumps({"jobs": jobs, "encoded": encoded, "per_s": per_s, "layer": layer}, protocol=4))
    print(f"encoder: {per_s:.1f} paragraphs/s ({len(texts)} paragraphs, {threads} threads)", file=sys.stderr)
    return encoded


def text_pieces(documents, encoded) -> list[Pieces]:
    out: list[list] = [[] for _ in documents]
    jobs = [(i, s) for i, d in enumerate(documents) for s, _ in at._paragraphs(d.text)]
    for (i, s), enc in zip(jobs, encoded):
        out[i].append((s, enc))
    return [Pieces.join(p) for p in out]


class Data:
    """The edges with a target of some documents, as arrays: rows are positions, grouped by edge."""

    def __init__(self, documents, found, pieces: list[Pieces], indexes, vocab: dict[str, int] | None = None):
        groups, wanted, cues, owners = [], [], [], []
        for i, s, o, t in labelled(documents, found, indexes):
            groups.append(o)
            wanted.append(t)
            cues.append((s.attribution.cue.start, s.attribution.cue.end))
            owners.append(i)
        if vocab is None:
            counts: dict[str, int] = {}
            for g in groups:
                for feats in g.features:
                    for f in set(feats):
                        counts[f] = counts.get(f, 0) + 1
            vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
        self.vocab = vocab
        bases = {}
        tables = []
        total = 0
        for i in sorted(set(owners)):
            bases[i] = total
            tables.append(pieces[i].vectors.astype(np.float16))
            total += len(pieces[i])
        self.table = np.concatenate(tables + [np.zeros((1, 384), np.float16)])
        zero = total
        rows_in, rows_out, row_group, feat_ids, feat_offsets, edge_ids, gold = [], [], [], [], [], [], []
        cue_vectors = np.zeros((len(groups), 384), np.float16)
        for g, (o, t, cue, i) in enumerate(zip(groups, wanted, cues, owners)):
            p = pieces[i]
            inside, outside = p.at_edges(o.positions, o.edge.endswith("start"))
            rows_in.append(np.where(inside < len(p), inside + bases[i], zero))
            rows_out.append(np.where(outside < len(p), outside + bases[i], zero))
            cue_vectors[g] = p.cue_vector(cue)
            gold.append(o.positions.index(t))
            edge_ids.append(EDGES.index(o.edge))
            for feats in o.features:
                feat_offsets.append(len(feat_ids))
                feat_ids.extend(vocab[f] for f in set(feats) if f in vocab)
                row_group.append(g)
        self.groups, self.owner, self.cue_spans = groups, owners, cues
        self.rows_in, self.rows_out = np.concatenate(rows_in), np.concatenate(rows_out)
        self.row_group = np.asarray(row_group, np.int64)
        self.feat_ids, self.feat_offsets = np.asarray(feat_ids, np.int64), np.asarray(feat_offsets, np.int64)
        self.sizes = np.asarray([len(o.positions) for o in groups], np.int64)
        self.first = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])
        self.edge = np.asarray(edge_ids, np.int64)
        self.gold = np.asarray(gold, np.int64)
        self.cues = cue_vectors

    def dense(self, rows: np.ndarray) -> np.ndarray:
        h_in = self.table[self.rows_in[rows]].astype(np.float32)
        h_out = self.table[self.rows_out[rows]].astype(np.float32)
        c = self.cues[self.row_group[rows]].astype(np.float32)
        return np.concatenate([h_in, h_out, h_in * c, h_out * c], axis=1)

    def standardisers(self, sample: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
        rng = np.random.RandomState(seed)
        out = []
        row_edge = self.edge[self.row_group]
        for k in range(len(EDGES)):
            rows = np.flatnonzero(row_edge == k)
            rows = np.sort(rng.choice(rows, min(sample, len(rows)), replace=False)) if len(rows) else rows
            x = self.dense(rows) if len(rows) else np.zeros((1, 4 * 384), np.float32)
            out.append((x.mean(0), x.std(0) + 1e-3))
        return out


def train(data: Data, hidden: int, epochs: int, l2: float, dense_l2: float, seed: int, sparse_on: bool = True,
          lr: float = 1e-3, sparse_lr: float = 0.02, batch: int = 256, callback=None) -> EncoderEdgeModel:
    import torch

    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    d = 4 * 384
    std = data.standardisers(20000, seed)
    mean = torch.tensor(np.stack([m for m, _ in std]))
    scale = torch.tensor(np.stack([s for _, s in std]))
    sparse = torch.nn.EmbeddingBag(max(len(data.vocab), 1), 1, mode="sum")
    torch.nn.init.zeros_(sparse.weight)
    if hidden:
        w1 = torch.nn.Parameter(torch.randn(len(EDGES), d, hidden) * (2.0 / d) ** 0.5)
        b1 = torch.nn.Parameter(torch.zeros(len(EDGES), hidden))
        w2 = torch.nn.Parameter(torch.randn(len(EDGES), hidden) * 0.01)
        dense_params = [w1, b1, w2]
    else:
        w2 = torch.nn.Parameter(torch.zeros(len(EDGES), d))
        dense_params = [w2]
    groups = [{"params": dense_params, "lr": lr}]
    if sparse_on:
        groups.append({"params": list(sparse.parameters()), "lr": sparse_lr})
    optimiser = torch.optim.Adam(groups)
    def export() -> EncoderEdgeModel:
        names = sorted(data.vocab, key=data.vocab.__getitem__)
        values = sparse.weight.detach().numpy()[:, 0] if sparse_on else np.zeros(len(names))
        weights = {f: round(float(v), 4) for f, v in zip(names, values) if abs(v) >= 1e-3}
        heads = {}
        for k, edge in enumerate(EDGES):
            heads[edge] = EdgeHead(mean[k].numpy(), scale[k].numpy(),
                                   w1[k].detach().numpy().copy() if hidden else None,
                                   b1[k].detach().numpy().copy() if hidden else None,
                                   w2[k].detach().numpy().copy())
        return EncoderEdgeModel(BoundaryModel(weights), heads)

    n = len(data.groups)
    order = np.arange(n)
    for epoch in range(epochs):
        rng.shuffle(order)
        total = 0.0
        for b in range(0, n, batch):
            gs = np.sort(order[b:b + batch])
            rows = np.concatenate([np.arange(data.first[g], data.first[g] + data.sizes[g]) for g in gs])
            x = torch.from_numpy(data.dense(rows))
            e = torch.from_numpy(data.edge[data.row_group[rows]])
            z = (x - mean[e]) / scale[e]
            if hidden:
                score = torch.zeros(len(rows))
                for k in range(len(EDGES)):
                    mask = e == k
                    if mask.any():
                        score[mask] = torch.relu(z[mask] @ w1[k] + b1[k]) @ w2[k]
            else:
                score = (z * w2[e]).sum(1)
            if sparse_on:
                starts = data.feat_offsets[rows]
                ends = np.append(data.feat_offsets[1:], len(data.feat_ids))[rows]
                ids = np.concatenate([data.feat_ids[s:t] for s, t in zip(starts, ends)]) if len(rows) else np.zeros(0)
                offsets = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])
                score = score + sparse(torch.from_numpy(ids.astype(np.int64)), torch.from_numpy(offsets)).squeeze(1)
            sizes = data.sizes[gs]
            width = int(sizes.max())
            padded = torch.full((len(gs), width), -1e9)
            col = np.concatenate([np.arange(s) for s in sizes])
            row = np.repeat(np.arange(len(gs)), sizes)
            padded[torch.from_numpy(row), torch.from_numpy(col)] = score
            loss = torch.nn.functional.cross_entropy(padded, torch.from_numpy(data.gold[gs]))
            reg = dense_l2 * sum((p * p).sum() for p in dense_params if p.dim() > 1)
            if sparse_on:
                reg = reg + l2 / n * (sparse.weight * sparse.weight).sum()
            optimiser.zero_grad()
            (loss + reg).backward()
            optimiser.step()
            total += float(loss.detach()) * len(gs)
        print(f"    epoch {epoch}: loss {total / n:.4f}", file=sys.stderr, flush=True)
        if callback is not None:
            callback(epoch, export())
    return export()


def figures(documents, found, choosers) -> dict:
    """Exact and overlap F1 with each attribution's edges chosen by ``choosers(i, scored)``."""
    preds = [[as_predicted(redrawn_by(s, choosers(i, s))) for s in scored] for i, scored in enumerate(found)]
    scores = score(documents, preds).scores
    return {f"{k}_{how}": round(scores[k][how].f1, 4) for k in ("source", "cue", "content") for how in ("exact", "overlap")}


def held_out(documents, found, pieces, fold: int, args) -> dict[str, dict]:
    fitting = [i for i in range(len(documents)) if i % FOLDS != fold]
    kept = [i for i in range(len(documents)) if i % FOLDS == fold]
    docs_k, found_k, pieces_k = [documents[i] for i in kept], [found[i] for i in kept], [pieces[i] for i in kept]
    tables = [p.padded() for p in pieces_k]
    out = {"rules": figures(docs_k, found_k, lambda i, s: None)}
    core = fit(*samples(documents, found, fitting), l2=args.l2, min_count=MIN_COUNT)
    for m in MARGINS:
        chooser = BoundaryModel(core.weights, m)
        out[f"core, margin {m}"] = figures(docs_k, found_k, lambda i, s, c=chooser: c)
    data = Data(documents, found, pieces, fitting)
    model = train(data, args.hidden, args.epochs, args.l2, args.dense_l2, args.seed, not args.dense_only, args.lr,
                  args.sparse_lr)
    del data
    for m in MARGINS:
        out[f"encoder, margin {m}"] = figures(
            docs_k, found_k, lambda i, s, m=m: model.bound(pieces_k[i], (s.attribution.cue.start, s.attribution.cue.end),
                                                           m, tables[i]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="PolNeAR's train part (the folder holding text/ and attributions/)")
    parser.add_argument("--cache", type=Path, required=True, help="the encoder's vectors (outside the repository)")
    parser.add_argument("--parse-cache", type=Path, help="keep the parses here between runs")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--layer", type=int, default=LAYER, help=f"the encoder layer read ({LAYER}; -1: the last)")
    parser.add_argument("--hidden", type=int, default=0, help="hidden units of each edge's head; 0: linear (0)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--l2", type=float, default=L2, help="L2 on the categorical weights, as the core model's")
    parser.add_argument("--dense-l2", type=float, default=1e-3)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--sparse-lr", type=float, default=0.02)
    parser.add_argument("--dense-only", action="store_true", help="leave the categorical features out (to measure)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--folds", type=int, default=1, help="held-out folds to measure (0 skips; 1..5)")
    parser.add_argument("--margin", type=float, help="ship this margin instead of the held-out choice")
    parser.add_argument("--no-write", action="store_true", help="measure only")
    args = parser.parse_args()
    if args.train.resolve().name != "train":
        sys.exit("fit on PolNeAR's train part only: dev and test are for evaluation")
    import torch

    torch.set_num_threads(args.threads)
    documents = read_polnear(args.train)
    found = collect(documents, parsed_paragraphs(documents, args.parse_cache))
    pieces = text_pieces(documents, encoded_paragraphs(documents, args.cache, args.threads, args.layer))
    print(f"{len(documents)} texts, {sum(map(len, found))} attributions", file=sys.stderr)

    runs = [held_out(documents, found, pieces, fold, args) for fold in range(min(args.folds, FOLDS))]
    summary: dict = {}
    margin = args.margin if args.margin is not None else 1.0
    if runs:
        mean = {k: {f: round(sum(r[k][f] for r in runs) / len(runs), 4) for f in runs[0][k]} for k in runs[0]}
        for k, v in mean.items():
            print(f"  {k}: {v}", file=sys.stderr)
        gain = {m: mean[f"encoder, margin {m}"]["source_exact"] + mean[f"encoder, margin {m}"]["content_exact"]
                for m in MARGINS}
        best = max(m for m in MARGINS if gain[m] >= max(gain.values()) - 0.001)
        margin = args.margin if args.margin is not None else best
        summary = {"folds": len(runs), "rules": mean["rules"], "encoder": mean[f"encoder, margin {margin}"]}
    if args.no_write:
        print(json.dumps({"margin": margin, **summary}))
        return
    model = train(Data(documents, found, pieces, range(len(documents))), args.hidden, args.epochs, args.l2,
                  args.dense_l2, args.seed, not args.dense_only, args.lr, args.sparse_lr)
    model.sparse.margin = margin
    model.layer = args.layer
    model.meta = {"fitted_on": "PolNeAR train", "texts": len(documents), "layer": args.layer, "hidden": args.hidden, "epochs": args.epochs,
                  "l2": args.l2, "dense_l2": args.dense_l2, "held_out_exact_f1": summary,
                  "by": "scripts/train_encoder_boundaries.py"}
    model.save(args.out)
    print(json.dumps({"out": str(args.out), "margin": margin, "features": len(model.sparse.weights), **summary}))


if __name__ == "__main__":
    main()
