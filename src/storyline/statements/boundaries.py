"""Span edges re-drawn as PolNeAR's annotators draw them: a learned choice among nearby word boundaries.

The rules of :mod:`.attribution` find each attribution and its cue, and draw its speaker and
content from the parse; where an annotator would start or end either span is often a few
words away (a phrase the parse hung elsewhere, a full stop or a closing mark, "that" in or
out). Each of the four edges (content start and end, speaker start and end) is re-drawn on its
own: the positions it may move to are the word boundaries within :data:`WINDOW` words of the
rules' edge, on the same side of the cue, and each position is described by categorical
features (the words and tags either side, their dependency labels, how many dependency arcs
the span would cut, whether a quotation is left open, the distance to the cue and to the
rules' edge, which rule found the attribution). A log-linear model scores every position and
the edge moves to the best one when it beats the rules' own by more than the model's
``margin``, so the rules' edge stays wherever the model is unsure.

The weights ship with the package (``boundaries.json``);
``python scripts/train_boundary_model.py ../shared/data/polnear/train`` fits them again,
deterministically, from PolNeAR's *train* part (never dev or test).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from .nlp import ModelError, shipped_json

_WEIGHTS = "boundaries.json"
WINDOW = 8  # words either side of the rules' edge an edge may move
EDGES = ("content-start", "content-end", "source-start", "source-end")
_QUOTE_MARKS = "“”\"‘’'`"
_DISTANCES = (0, 1, 2, 3, 5, 8)


@dataclass(slots=True, frozen=True)
class EdgeOptions:
    """One edge of a span, the positions (character offsets) it may take, and each one's features."""

    edge: str
    rule: int
    positions: tuple[int, ...]
    features: tuple[tuple[str, ...], ...]

    def shifted(self, by: int) -> EdgeOptions:
        return EdgeOptions(self.edge, self.rule + by, tuple(p + by for p in self.positions), self.features)


@dataclass(slots=True)
class BoundaryModel:
    """A log-linear score over named features of each position an edge may take."""

    weights: dict[str, float]
    margin: float = 0.0
    meta: dict = field(default_factory=dict)

    def scores(self, options: EdgeOptions) -> list[float]:
        return [sum(self.weights.get(f, 0.0) for f in feats) for feats in options.features]

    def choose(self, options: EdgeOptions, margin: float | None = None) -> int:
        """The position the edge moves to: the best-scoring one when it beats the rules' by the margin."""
        scores = self.scores(options)
        best = max(range(len(scores)), key=scores.__getitem__)
        rule = options.positions.index(options.rule)
        if scores[best] > scores[rule] + (self.margin if margin is None else margin):
            return options.positions[best]
        return options.rule

    def as_dict(self) -> dict:
        return {"margin": self.margin, "meta": self.meta, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict, where: str = "model") -> BoundaryModel:
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(weights, float(data.get("margin", 0.0)), dict(data.get("meta", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{where}: not a span boundary model ({exc})") from None


@lru_cache(maxsize=1)
def default_boundaries() -> BoundaryModel:
    """The weights shipped with storyline (``storyline/statements/boundaries.json``)."""
    return BoundaryModel.from_dict(*shipped_json(_WEIGHTS, "span boundary model"))


# --- the positions an edge may take, and their features -----------------------------------

def _word(token: Any | None) -> str:
    if token is None:
        return "^"
    if token.is_punct or token.is_stop or token.like_num:
        return token.text.lower()
    return "#" + token.tag_


def _distance(n: int) -> str:
    sign = "-" if n < 0 else "+"
    n = abs(n)
    return sign + str(next((d for d in reversed(_DISTANCES) if n >= d), 0)) + ("+" if n > 8 else "")


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _cuts(heads: Any, punct: Any, first: Any, last: Any) -> tuple[Any, Any]:
    """For each span of words ``first[j]..last[j]``: the arcs leaving it (heads outside, beyond the
    one root) and the arcs entering it (words outside, punctuation aside, whose head is inside)."""
    import numpy as np

    i = np.arange(len(heads))[None, :]
    f, la = first[:, None], last[:, None]
    inside = (i >= f) & (i <= la)
    head_in = (heads[None, :] >= f) & (heads[None, :] <= la) & (heads[None, :] != i)
    heads_out = (inside & ~head_in).sum(axis=1) - 1
    kids_in = (~inside & head_in & ~punct[None, :]).sum(axis=1)
    return heads_out, kids_in


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3+"


def _inside_word(doc: Any, i: int, is_start: bool) -> bool:
    """Whether the boundary before word ``i`` (a start) or after it (an end) splits a written word:
    no space there, and what is across it is not a mark standing at a word's edge ("Censor|.NET",
    "do|n't"; not "Russia|." or "“|We")."""
    o = i - 1 if is_start else i + 1
    if not 0 <= o < len(doc) or doc[o].is_space or (doc[o].whitespace_ if is_start else doc[i].whitespace_):
        return False
    far = o - 1 if is_start else o + 1
    if not doc[o].is_punct:
        return True
    if not 0 <= far < len(doc):
        return False
    return not (doc[far].whitespace_ if is_start else doc[o].whitespace_) and not doc[far].is_punct \
        and not doc[far].is_space


def edge_options(doc: Any, text: str, cue: tuple[int, int], span: tuple[int, int], edge: str,
                 context: Sequence[str], window: int = WINDOW) -> EdgeOptions | None:
    """The positions ``edge`` ("content-start", …) of ``span`` may take in the parsed paragraph
    ``doc`` (``text`` is its text; offsets are into it), or None when the span leaves the parse.

    ``context`` names the attribution's kind (which rule found it, where its content came from);
    each is joined with the features that say whether a position is the rules' own."""
    import numpy as np

    start, end = span
    if end > len(doc.text) or start >= end or not len(doc):
        return None
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    is_start = edge.endswith("start")
    rule = start if is_start else end
    before_cue = end <= cue[0]
    # the words the edge may sit before (a start) or after (an end), on the span's side of the cue
    if is_start:
        k = min(bisect.bisect_left(starts, rule), len(doc) - 1)
        near = range(max(0, k - window), min(len(doc), k + window + 1))
        allowed = [i for i in near if starts[i] < end and (before_cue or starts[i] >= cue[1])]
        positions = [starts[i] for i in allowed]
    else:
        k = max(bisect.bisect_right(ends, rule) - 1, 0)
        near = range(max(0, k - window), min(len(doc), k + window + 1))
        allowed = [i for i in near if ends[i] > start and (not before_cue or ends[i] <= cue[0])]
        positions = [ends[i] for i in allowed]
    keep = [j for j, i in enumerate(allowed) if not _inside_word(doc, i, is_start) or positions[j] == rule]
    allowed, positions = [allowed[j] for j in keep], [positions[j] for j in keep]
    if rule not in positions:
        return None  # the rules drew this edge inside a word on purpose ("Censor.NET"): it stays
    heads = np.fromiter((t.head.i for t in doc), dtype=np.int64, count=len(doc))
    punct = np.fromiter((t.is_punct for t in doc), dtype=bool, count=len(doc))
    chosen = np.asarray(allowed, dtype=np.int64)
    if is_start:
        first, last = chosen, np.full(len(chosen), bisect.bisect_right(ends, end) - 1)
    else:
        first, last = np.full(len(chosen), bisect.bisect_left(starts, start)), chosen
    heads_out, kids_in = _cuts(heads, punct, first, last)
    cue_word = min(bisect.bisect_left(starts, cue[0]), len(doc) - 1)
    rule_context = tuple(f"rule|{c}" for c in context)
    feats = []
    for j, (i, pos) in enumerate(zip(allowed, positions)):
        inside = doc[i]
        o = i - 1 if is_start else i + 1
        outside = doc[o] if 0 <= o < len(doc) else None
        w_in, w_out = _word(inside), _word(outside)
        t_out = outside.tag_ if outside is not None else "^"
        f = [f"in={w_in}", f"out={w_out}", f"in-tag={inside.tag_}", f"out-tag={t_out}", f"in-dep={inside.dep_}",
             f"out-dep={outside.dep_ if outside is not None else '^'}", f"pair={w_in}|{w_out}",
             f"in-word={inside.text.lower()}", f"tags={inside.tag_}|{t_out}", f"d={_distance(i - k)}",
             f"d={_distance(i - k)}|in={w_in}", f"cue-words={_bucket(abs(i - cue_word))}",
             f"heads-out={_bucket(int(first[j] <= last[j]) and int(heads_out[j]))}",
             f"kids-in={_bucket(int(kids_in[j]))}"]
        second = doc[o + (-1 if is_start else 1)] if 0 <= o + (-1 if is_start else 1) < len(doc) else None
        nxt = doc[i + (1 if is_start else -1)] if 0 <= i + (1 if is_start else -1) < len(doc) else None
        f.extend((f"out2={w_out}|{_word(second)}", f"in2={w_in}|{_word(nxt)}",
                  f"out2-tag={t_out}|{second.tag_ if second is not None else '^'}"))
        if pos == rule:
            f.append("rule")
            f.extend(rule_context)
        elif i != k:
            # what the move adds to the span or takes from it, by the dependency labels of its roots
            lo_, hi_ = (i, k - 1) if i < k else (k + 1, i) if not is_start else (k, i - 1)
            if not is_start and i < k:
                lo_, hi_ = i + 1, k
            grows = (i < k) == is_start
            roots = sorted({t.dep_ for t in doc[lo_:hi_ + 1] if not lo_ <= t.head.i <= hi_ or t.head.i == t.i})
            label = "adds" if grows else "drops"
            f.append(f"{label}={'|'.join(roots[:3])}")
            f.extend(f"{label}-dep={r}" for r in roots)
            f.append(f"{label}-words={_bucket(hi_ - lo_ + 1)}")
        if outside is None or (inside.is_sent_start if is_start else outside.is_sent_start):
            f.append("sentence-edge")
        if outside is not None and outside.idx <= cue[0] < outside.idx + len(outside.text):
            f.append("next-to-cue")
        if heads_out[j] == 0 and kids_in[j] == 0:
            f.append("subtree")
        if _open_quote(text[pos:end] if is_start else text[start:pos]):
            f.append("open-quote")
        if inside.text in _QUOTE_MARKS or inside.text in ("''", "``"):
            f.append("quote-mark")
        feats.append(tuple(f"{edge}:{x}" for x in f))
    return EdgeOptions(edge, rule, tuple(positions), tuple(feats))


class EdgeChooser(Protocol):
    """Where an edge moves among its options (:class:`BoundaryModel`, or the encoder's, bound to a text)."""

    def choose(self, options: EdgeOptions) -> int: ...


def redraw(model: EdgeChooser, options: Sequence[EdgeOptions], span: tuple[int, int], edge: str) -> tuple[int, int]:
    """``span`` with its two edges (``edge`` is "content" or "source") moved where ``model`` says;
    the rules' span when the moved edges would cross."""
    by_edge = {o.edge: o for o in options}
    start = model.choose(by_edge[f"{edge}-start"]) if f"{edge}-start" in by_edge else span[0]
    end = model.choose(by_edge[f"{edge}-end"]) if f"{edge}-end" in by_edge else span[1]
    return (start, end) if start < end else span


# --- fitting --------------------------------------------------------------------------------

def fit(groups: Sequence[EdgeOptions], targets: Sequence[int], *, l2: float = 1.0, min_count: int = 2,
        iterations: int = 300, rate: float = 0.1) -> BoundaryModel:
    """A model whose softmax over each group's positions puts the weight on ``targets[g]`` (a position).

    Full-batch Adam on the mean log loss plus ``l2 / n`` times the squared weights; features
    seen fewer than ``min_count`` times are left out. Deterministic.
    """
    import numpy as np

    if len(groups) != len(targets):
        raise ValueError(f"{len(groups)} groups but {len(targets)} targets")
    if not groups:
        raise ValueError("nothing to fit")
    counts = Counter(f for g in groups for feats in g.features for f in set(feats))
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows, cols, offsets, gold = [], [], [], []
    r = 0
    for g, target in zip(groups, targets):
        offsets.append(r)
        gold.append(r + g.positions.index(target))
        for feats in g.features:
            for f in set(feats):
                if f in index:
                    rows.append(r)
                    cols.append(index[f])
            r += 1
    rows_a, cols_a = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    offsets_a, gold_a = np.asarray(offsets, dtype=np.int64), np.asarray(gold, dtype=np.int64)
    sizes = np.diff(np.append(offsets_a, r))
    owner = np.repeat(np.arange(len(groups)), sizes)
    n, d = len(groups), len(names)
    w = np.zeros(d)
    m, v = np.zeros(d), np.zeros(d)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        z = np.bincount(rows_a, weights=w[cols_a], minlength=r)
        z -= np.maximum.reduceat(z, offsets_a)[owner]
        e = np.exp(z)
        p = e / np.add.reduceat(e, offsets_a)[owner]
        p[gold_a] -= 1.0
        grad = np.bincount(cols_a, weights=p[rows_a] / n, minlength=d) + 2 * l2 / n * w
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        w -= rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    weights = {f: round(float(x), 4) for f, x in zip(names, w) if abs(x) >= 1e-4}
    return BoundaryModel(weights)


def log_loss(model: BoundaryModel, groups: Sequence[EdgeOptions], targets: Sequence[int]) -> float:
    """Mean negative log-probability of the targets (for reading a fit)."""
    total = 0.0
    for g, target in zip(groups, targets):
        scores = model.scores(g)
        top = max(scores)
        norm = top + math.log(sum(math.exp(s - top) for s in scores))
        total += norm - scores[g.positions.index(target)]
    return total / max(len(groups), 1)
