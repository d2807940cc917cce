"""Attributions scored on PolNeAR (Newell, Margolin & Ruths, LREC 2018): source, cue, content spans.

PolNeAR is brat stand-off: ``<part>/text/<name>.txt`` and, per annotator,
``<part>/attributions/<name>_<annotator>.ann`` whose ``T`` lines are spans typed ``Source``,
``Cue``, ``Content`` (others: ``Attribution`` anchors, ``Discard``, ``Discuss``) and whose
``E`` lines join them into attributions. A span may be discontinuous (``315 448;463 553``).

Each span type is scored on its own, one to one, at three strengths: *exact* (the same
characters), *overlap* (any shared character) and *half* (sharing at least half of the two
spans' union). A text annotated twice is scored against each annotation and the counts
averaged, so every text weighs the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

SPAN_TYPES = ("source", "cue", "content")
MATCHES = ("exact", "overlap", "half")
Segments = tuple[tuple[int, int], ...]


@dataclass(slots=True, frozen=True)
class GoldAttribution:
    """One ``E`` relation: its spans as (start, end) segments; ``source`` may be missing."""

    source: Segments | None
    cue: Segments | None
    content: Segments | None


@dataclass(slots=True)
class BratDocument:
    """One text and its annotations, one list of spans per type for each annotator."""

    name: str
    text: str
    annotations: dict[str, dict[str, list[Segments]]] = field(default_factory=dict)
    attributions: dict[str, list[GoldAttribution]] = field(default_factory=dict)


_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_ID = re.compile(r"^[TERAMN#*]\d*\t")


def _segments(spec: str, where: str) -> Segments:
    out = []
    for part in spec.split(";"):
        bounds = part.split()
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            raise InputError(where, f"bad span {spec!r}")
        start, end = int(bounds[0]), int(bounds[1])
        if end < start:
            raise InputError(where, f"span ends before it starts: {spec!r}")
        out.append((start, end))
    return tuple(sorted(out))


def read_ann(path: str | Path, text: str | None = None) -> tuple[dict[str, list[Segments]], list[GoldAttribution]]:
    """The Source/Cue/Content spans of one ``.ann`` file (distinct spans per type) and its relations.

    With ``text``, each span is checked to lie inside it.
    """
    path = Path(path)
    spans: dict[str, Segments] = {}
    types: dict[str, str] = {}
    relations: list[GoldAttribution] = []
    by_type: dict[str, list[Segments]] = {t: [] for t in SPAN_TYPES}
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not _ID.match(line):
            continue  # the rest of a span's text that holds a line break
        if line.startswith("T"):
            m = _T_LINE.match(line)
            if m is None:
                raise InputError(str(path), f"not a brat text-bound line: {line[:60]!r}", number)
            segs = _segments(m.group(3), f"{path}:{number}")
            if text is not None and segs[-1][1] > len(text):
                raise InputError(str(path), f"span {m.group(3)} runs past the text's {len(text)} characters", number)
            spans[m.group(1)] = segs
            types[m.group(1)] = m.group(2).lower()
            kind = m.group(2).lower()
            if kind in by_type and segs not in by_type[kind]:
                by_type[kind].append(segs)
    for line in lines:
        if line.startswith("E") and _ID.match(line):
            _, _, args = line.partition("\t")
            roles = dict(a.split(":", 1) for a in args.split() if ":" in a)
            relations.append(GoldAttribution(*(spans.get(roles[r.capitalize()]) if r.capitalize() in roles else None
                                               for r in SPAN_TYPES)))
    return by_type, relations


def read_polnear(path: str | Path) -> list[BratDocument]:
    """Every text of a PolNeAR part (the folder holding ``text/`` and ``attributions/``) with its annotations."""
    root = Path(path)
    texts, anns = root / "text", root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise InputError(str(root), "not a PolNeAR part: expected text/ and attributions/ folders in it")
    docs: dict[str, BratDocument] = {}
    for txt in sorted(texts.glob("*.txt")):
        docs[txt.stem] = BratDocument(txt.stem, txt.read_text(encoding="utf-8"))
    for ann in sorted(anns.glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        doc = docs.get(name)
        if doc is None:
            raise InputError(str(ann), f"no text {name}.txt for this annotation")
        doc.annotations[annotator], doc.attributions[annotator] = read_ann(ann, doc.text)
    out = [d for d in docs.values() if d.annotations]
    if not out:
        raise InputError(str(root), "no annotated texts found")
    return out


# --- scoring ------------------------------------------------------------------------------

def _length(segs: Segments) -> int:
    return sum(e - s for s, e in segs)


def _intersection(a: Segments, b: Segments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _merge(segs: Segments) -> Segments:
    out: list[tuple[int, int]] = []
    for s, e in sorted(segs):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return tuple(out)


def match_count(gold: Sequence[Segments], predicted: Sequence[Segments], how: str) -> int:
    """Gold and predicted spans paired one to one (best overlap first) under ``how``: exact, overlap or half."""
    gold = [_merge(g) for g in gold]
    predicted = [_merge(p) for p in predicted]
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            shared = _intersection(g, p)
            if shared <= 0:
                continue
            ratio = shared / (_length(g) + _length(p) - shared)
            if how == "exact" and g != p or how == "half" and ratio < 0.5:
                continue
            pairs.append((-ratio, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, i, j in sorted(pairs):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    return len(used_g)


@dataclass(slots=True, frozen=True)
class SpanScore:
    precision: float
    recall: float
    f1: float


@dataclass(slots=True)
class StatementScores:
    """Span P/R/F1 per type (source, cue, content) and match (exact, overlap, half)."""

    scores: dict[str, dict[str, SpanScore]]
    documents: int
    annotations: int
    gold: dict[str, float]
    predicted: dict[str, int]

    def as_dict(self) -> dict:
        out: dict = {"documents": self.documents, "annotations": self.annotations}
        for kind, by_match in self.scores.items():
            out[kind] = {how: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
                         for how, s in by_match.items()}
            out[kind]["gold"] = round(self.gold[kind], 1)
            out[kind]["predicted"] = self.predicted[kind]
        return out


@dataclass(slots=True, frozen=True)
class PredictedAttribution:
    """What the scorer needs of a prediction: its spans as segments."""

    source: Segments | None
    cue: Segments | None
    content: Segments | None


def _distinct(spans: Iterable[Segments | None]) -> list[Segments]:
    out: list[Segments] = []
    for s in spans:
        if s and s not in out:
            out.append(s)
    return out


def score(documents: Sequence[BratDocument], predictions: Sequence[Sequence[PredictedAttribution]]) -> StatementScores:
    """Score ``predictions[i]`` against every annotation of ``documents[i]``, averaging over annotators."""
    if len(documents) != len(predictions):
        raise ValueError(f"{len(documents)} documents but {len(predictions)} prediction lists")
    tp = {(k, h): 0.0 for k in SPAN_TYPES for h in MATCHES}
    gold = {k: 0.0 for k in SPAN_TYPES}
    predicted = {k: 0 for k in SPAN_TYPES}
    annotations = 0
    for doc, preds in zip(documents, predictions):
        weight = 1 / len(doc.annotations)
        annotations += len(doc.annotations)
        for kind in SPAN_TYPES:
            mine = _distinct(getattr(p, kind) for p in preds)
            predicted[kind] += len(mine)
            for spans in doc.annotations.values():
                gold[kind] += weight * len(spans[kind])
                for how in MATCHES:
                    tp[kind, how] += weight * match_count(spans[kind], mine, how)
    scores: dict[str, dict[str, SpanScore]] = {}
    for kind in SPAN_TYPES:
        scores[kind] = {}
        for how in MATCHES:
            p = tp[kind, how] / predicted[kind] if predicted[kind] else 0.0
            r = tp[kind, how] / gold[kind] if gold[kind] else 0.0
            scores[kind][how] = SpanScore(p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return StatementScores(scores, len(documents), annotations, gold, predicted)


def as_predicted(attribution) -> PredictedAttribution:
    """A :class:`~storyline.statements.Attribution` as segments (split quotations as their parts)."""
    parts = attribution.content_parts or (attribution.content,)
    return PredictedAttribution(
        ((attribution.speaker.start, attribution.speaker.end),) if attribution.speaker else None,
        ((attribution.cue.start, attribution.cue.end),),
        tuple((p.start, p.end) for p in parts),
    )


@dataclass(slots=True)
class StatementsResult:
    scores: StatementScores
    documents: list[BratDocument]
    predictions: list[list]


def evaluate_statements(path: str | Path, progress: Callable[[int], None] | None = None,
                        encoder: bool = False) -> StatementsResult:
    """storyline's attributions over a PolNeAR part; ``progress(n)`` is called after each text.
    With ``encoder``, span edges are re-drawn with the embeddings extra's encoder too
    (:mod:`~storyline.statements.encoder_edges`; :class:`~storyline.embeddings.EmbeddingsUnavailable`
    without the extra)."""
    from ..statements.attribution import extract_many

    boundaries = None
    if encoder:
        from ..statements.encoder_edges import encoder_boundaries

        boundaries = encoder_boundaries()
    documents = read_polnear(path)
    predictions = []
    for attributions in extract_many([d.text for d in documents], boundaries=boundaries):
        predictions.append(attributions)
        if progress:
            progress(1)
    scores = score(documents, [[as_predicted(a) for a in preds] for preds in predictions])
    return StatementsResult(scores, documents, predictions)


def errors(result: StatementsResult) -> Iterable[dict]:
    """Missed and spurious content spans (overlap match against the first annotator), for reading."""
    for doc, preds in zip(result.documents, result.predictions):
        annotator = sorted(doc.annotations)[0]
        gold_rel = doc.attributions[annotator]
        mine = [as_predicted(a) for a in preds]
        hit_p: set[int] = set()
        for g in gold_rel:
            if not g.content:
                continue
            found = next((j for j, p in enumerate(mine) if j not in hit_p and p.content
                          and _intersection(_merge(g.content), _merge(p.content)) > 0), None)
            if found is None:
                yield {"document": doc.name, "kind": "missed",
                       "source": _text(doc.text, g.source), "cue": _text(doc.text, g.cue),
                       "content": _text(doc.text, g.content)}
            else:
                hit_p.add(found)
        for j, a in enumerate(preds):
            if j not in hit_p:
                yield {"document": doc.name, "kind": "spurious", "source": a.speaker.text if a.speaker else None,
                       "cue": a.cue.text, "content": a.content.text}


def _text(text: str, segs: Segments | None) -> str | None:
    return " | ".join(text[s:e] for s, e in segs) if segs else None


def parsed_paragraphs(documents: Sequence[BratDocument], cache: Path | None = None) -> list[list]:
    """Per document, its paragraphs as ``(offset, spaCy Doc)``, for the scripts that fit the
    statement models on PolNeAR train: parsed once (minutes) and cached in ``cache`` when given.
    Raises :class:`InputError` when ``cache`` holds the parse of other texts."""
    import pickle

    from spacy.tokens import DocBin

    from ..statements import attribution as at
    from ..statements.nlp import load_nlp

    nlp = load_nlp()
    jobs = [(i, s, e) for i, d in enumerate(documents) for s, e in at._paragraphs(d.text)]
    if cache is not None and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if stored["jobs"] != jobs:
            raise InputError(str(cache), "a parse of other texts; delete it")
        docs = list(DocBin().from_bytes(stored["docbin"]).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((documents[i].text[s:e] for i, s, e in jobs), batch_size=64))
        if cache is not None:
            bin_ = DocBin(store_user_data=False)
            for d in docs:
                bin_.add(d)
            cache.write_bytes(pickle.dumps({"jobs": jobs, "docbin": bin_.to_bytes()}))
    out: list[list] = [[] for _ in documents]
    for (i, s, _), doc in zip(jobs, docs):
        out[i].append((s, doc))
    return out
