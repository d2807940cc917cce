"""Would a token tagger over all-MiniLM-L6-v2 re-draw the rules' span boundaries better? Measured, not shipped.

    python benchmarks/boundary_tagger.py ../shared/data/polnear/train --cache /tmp/polnear-train.minilm
    python benchmarks/boundary_tagger.py ../shared/data/polnear/train --cache /tmp/polnear-train.minilm --hidden 0

Needs the ``embeddings`` extra (torch, transformers, the bundled model; nothing is downloaded).
Reads PolNeAR's train part only: its documents are split once (seed 0) into four fifths to fit
on and one fifth held out, and every figure printed is on the held-out fifth.

1. Every paragraph is encoded by the frozen encoder (word pieces, windows of 254 with a stride
   of 192 for longer paragraphs) and the vectors are cached (``--cache``, float16; ~630 MB for
   train, never inside the repository). The encoding's paragraphs/s is printed.
2. The head reads each word piece relative to a cue: its vector, its vector times the cue's
   mean vector, and its distance to the cue in buckets; it says other / source / content.
   ``--hidden 0`` is a linear head, else one hidden layer (``--hidden`` units). It is fitted on
   the gold attributions of the fitting documents (Adam, seeded).
3. The rules' attributions of the held-out documents are re-drawn: the content (one piece)
   and the speaker each become the run of whole words, overlapping the rules' span and not
   the cue, with the highest sum of the head's log-odds, plus ``bonus`` for keeping each of
   the rules' two ends (``--bonus``, several values; 0 trusts the tagger alone).

Prints one line per setting: exact and overlap F1 of source, cue and content.
"""

from __future__ import annotations

import argparse
import bisect
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyline.eval.polnear import _merge, as_predicted, read_polnear, score
from storyline.statements import attribution as at

BUCKETS = (1, 2, 3, 5, 8, 12, 20, 35, 60, 10**9)
POSITIONS = 2 * len(BUCKETS) + 1


def encode(texts: list[str], threads: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], float]:
    """Each text's word-piece vectors (float16; the encoder's last layer) and character offsets;
    and paragraphs per second."""
    from storyline.embeddings import load_token_encoder

    encoder = load_token_encoder(threads=threads)
    started = time.perf_counter()
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for b in range(0, len(texts), 512):
        out.extend((v.astype(np.float16), o) for v, o in encoder.encode(texts[b:b + 512]))
        print(f"  encoded {len(out)}/{len(texts)} paragraphs", file=sys.stderr, flush=True)
    return out, len(texts) / (time.perf_counter() - started)


def features(vectors: np.ndarray, cue: tuple[int, int]) -> np.ndarray:
    h = vectors.astype(np.float32)
    position = np.zeros((len(h), POSITIONS), np.float32)
    for t in range(len(h)):
        if cue[0] <= t < cue[1]:
            position[t, 0] = 1
            continue
        distance = cue[0] - t if t < cue[0] else t - cue[1] + 1
        position[t, 1 + bisect.bisect_left(BUCKETS, distance) + (0 if t < cue[0] else len(BUCKETS))] = 1
    return np.concatenate([h, h * h[cue[0]:cue[1]].mean(0), position], 1)


def pieces(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    inside = [t for t, (a, b) in enumerate(offsets) if b > a and a < end and b > start]
    return (inside[0], inside[-1] + 1) if inside else None


def paragraph_of(paragraphs, at_char: int):
    return next(((s, e, v, o) for s, e, v, o in paragraphs if s <= at_char < e), None)


def examples(documents, paragraphs, ids):
    xs, ys = [], []
    for i in ids:
        for relations in documents[i].attributions.values():
            for r in relations:
                if not r.cue or not r.content:
                    continue
                cue = _merge(r.cue)
                found = paragraph_of(paragraphs[i], cue[0][0])
                cue_pieces = found and pieces(found[3], cue[0][0] - found[0], cue[-1][1] - found[0])
                if not cue_pieces:
                    continue
                s, _, vectors, offsets = found
                y = np.zeros(len(offsets), np.int64)
                for spans, label in ((r.source, 1), (r.content, 2)):
                    for a, b in _merge(spans) if spans else ():
                        y[(offsets[:, 1] > offsets[:, 0]) & (offsets[:, 0] + s >= a) & (offsets[:, 1] + s <= b)] = label
                xs.append(features(vectors, cue_pieces))
                ys.append(y)
    return xs, ys


def fit(xs, ys, hidden: int, epochs: int, seed: int):
    import torch

    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    dim = xs[0].shape[1]
    net = (torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 3))
           if hidden else torch.nn.Linear(dim, 3))
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    order = np.arange(len(xs))
    for _ in range(epochs):
        rng.shuffle(order)
        for b in range(0, len(order), 32):
            x = torch.from_numpy(np.concatenate([xs[k] for k in order[b:b + 32]]))
            y = torch.from_numpy(np.concatenate([ys[k] for k in order[b:b + 32]]))
            loss = torch.nn.functional.cross_entropy(net(x), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return net


def best_run(log_odds, starts, ends, must: tuple[int, int], cue: tuple[int, int], keep: tuple[int, int], bonus: float):
    """The whole-word run [i, j] overlapping ``must``, clear of ``cue``, with the highest score."""
    total = np.concatenate([[0.0], np.cumsum(log_odds)])
    best = None
    for i in range(len(log_odds)):
        if not starts[i] or cue[0] <= i < cue[1] or i >= must[1]:
            continue
        for j in range(max(i, must[0]), len(log_odds)):
            if cue[0] <= j < cue[1] or i < cue[0] <= j:
                break
            if ends[j]:
                value = total[j + 1] - total[i] + bonus * ((i == keep[0]) + (j == keep[1] - 1))
                if best is None or value > best[0]:
                    best = (value, i, j)
    return best


def redraw(text: str, attributions, paragraphs, net, bonus: float):
    import torch

    out = []
    for a in attributions:
        found = paragraph_of(paragraphs, a.cue.start)
        cue = found and pieces(found[3], a.cue.start - found[0], a.cue.end - found[0])
        if not cue:
            out.append(a)
            continue
        s, e, vectors, offsets = found
        with torch.no_grad():
            logp = torch.log_softmax(net(torch.from_numpy(features(vectors, cue))), -1).numpy()
        par = text[s:e]
        starts = [t == 0 or offsets[t][0] > offsets[t - 1][1] or not par[offsets[t][0]].isalnum()
                  or not par[offsets[t - 1][1] - 1].isalnum() for t in range(len(offsets))]
        ends = [t == len(offsets) - 1 or starts[t + 1] for t in range(len(offsets))]
        new = a
        targets = [("content", a.content, 2)] if len(a.content_parts) <= 1 else []
        targets += [("speaker", a.speaker, 1)] if a.speaker is not None else []
        for field, span, label in targets:
            if not (s <= span.start and span.end <= e) or (keep := pieces(offsets, span.start - s, span.end - s)) is None:
                continue
            odds = logp[:, label] - np.log1p(-np.exp(logp[:, label]) + 1e-9)
            run = best_run(odds, starts, ends, keep, cue, keep, bonus)
            if run is not None:
                drawn = at.Span(offsets[run[1]][0] + s, offsets[run[2]][1] + s, "")
                drawn = at.Span(drawn.start, drawn.end, text[drawn.start:drawn.end])
                new = replace(new, content=drawn, content_parts=(drawn,)) if field == "content" else replace(new, speaker=drawn)
        out.append(new)
    return out


def figures(documents, predictions) -> str:
    s = score(documents, [[as_predicted(a) for a in p] for p in predictions]).scores
    return "  ".join(f"{k} exact {s[k]['exact'].f1:.4f} overlap {s[k]['overlap'].f1:.4f}"
                     for k in ("source", "cue", "content"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", type=Path, help="PolNeAR's train part")
    parser.add_argument("--cache", type=Path, required=True, help="where the encoder's vectors are kept (outside the repository)")
    parser.add_argument("--hidden", type=int, default=256, help="hidden units of the head; 0: linear (256)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--bonus", default="0,3,8,20", help="bonuses for keeping the rules' ends, comma-separated")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.part.name != "train":
        sys.exit("fit and measure on PolNeAR's train part only (dev is the report part)")
    documents = read_polnear(args.part)
    jobs = [(i, s, e) for i, d in enumerate(documents) for s, e in at._paragraphs(d.text)]
    if args.cache.exists():
        stored = pickle.loads(args.cache.read_bytes())
        if stored["jobs"] != jobs:
            sys.exit(f"{args.cache}: encoded from other texts; delete it")
        encoded = stored["encoded"]
        print(f"encoder: cached ({stored['per_s']:.1f} paragraphs/s when encoded)")
    else:
        encoded, per_s = encode([documents[i].text[s:e] for i, s, e in jobs], args.threads)
        args.cache.write_bytes(pickle.dumps({"jobs": jobs, "encoded": encoded, "per_s": per_s}, protocol=4))
        print(f"encoder: {per_s:.1f} paragraphs/s ({len(jobs)} paragraphs, {args.threads} threads)")
    paragraphs: list[list] = [[] for _ in documents]
    for (i, s, e), (vectors, offsets) in zip(jobs, encoded):
        paragraphs[i].append((s, e, vectors, offsets))
    order = np.arange(len(documents))
    np.random.RandomState(0).shuffle(order)
    held = sorted(order[:len(order) // 5].tolist())
    xs, ys = examples(documents, paragraphs, sorted(set(range(len(documents))) - set(held)))
    net = fit(xs, ys, args.hidden, args.epochs, seed=0)
    del xs, ys
    held_docs = [documents[i] for i in held]
    rules = list(at.extract_many([d.text for d in held_docs]))
    head = "linear head" if not args.hidden else f"{args.hidden}-unit head"
    print(f"held-out fifth of train ({len(held)} texts), rules alone:  {figures(held_docs, rules)}")
    for bonus in (float(b) for b in args.bonus.split(",")):
        redrawn = [redraw(d.text, found, paragraphs[i], net, bonus) for i, d, found in zip(held, held_docs, rules)]
        print(f"  re-drawn by the tagger ({head}, bonus {bonus:g}): {figures(held_docs, redrawn)}")


if __name__ == "__main__":
    main()
