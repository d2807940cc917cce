"""Derive ``lexicon.PREP_CUES`` from PolNeAR's train part: (word, preposition) cues.

Hand-run, not part of the test suite::

    . .venv/bin/activate
    python benchmarks/polnear_prep_cues.py ../shared/data/polnear/train [--cache /tmp/train]

Every paragraph of the part is parsed by storyline's pipeline (the parses are kept in
``CACHE.spacy``/``CACHE.jobs`` when ``--cache`` is given). For each preposition outside a
quotation whose head is a word (verb, adjective or noun: "talked about", "critical of",
"criticism of"), it counts how often the first annotator marks both words inside one
attribution's cue *and* that attribution's content overlaps the preposition's object. The
pairs seen at least ``--min-count`` times (4) with that rate at least ``--min-rate`` (0.5) are
printed as the table that ``lexicon.PREP_CUES`` holds (word form → prepositions). The
thresholds were chosen on the dev part among 3–6 times and 40–60%: lower ones add more cues
than they find (PolNeAR annotates these forms only about half of the time).
"""

from __future__ import annotations

import argparse
import collections
import os
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.eval.polnear import read_polnear
from storyline.statements import attribution as at
from storyline.statements.nlp import load_nlp


def parsed(part: str, cache: str | None):
    """(documents, [(doc index, paragraph start, spaCy Doc)])."""
    from spacy.tokens import DocBin

    docs = read_polnear(part)
    nlp = load_nlp()
    if cache and os.path.exists(cache + ".spacy"):
        with open(cache + ".jobs", "rb") as f:
            jobs = pickle.load(f)
        out = list(DocBin().from_disk(cache + ".spacy").get_docs(nlp.vocab))
    else:
        jobs = [(i, s, e) for i, d in enumerate(docs) for s, e in at._paragraphs(d.text)]
        out = list(nlp.pipe((docs[i].text[s:e] for i, s, e in jobs), batch_size=64))
        if cache:
            bin_ = DocBin()
            for doc in out:
                bin_.add(doc)
            bin_.to_disk(cache + ".spacy")
            with open(cache + ".jobs", "wb") as f:
                pickle.dump(jobs, f)
    return docs, [(i, s, doc) for (i, s, _), doc in zip(jobs, out)]


def pair_counts(docs, paragraphs):
    """Counters ``(total, hit)`` keyed by ``(head form, preposition)``, lower case."""
    total: collections.Counter = collections.Counter()
    hit: collections.Counter = collections.Counter()
    for i, start, doc in paragraphs:
        gold = docs[i].attributions[min(docs[i].attributions)]
        quotes = at._quotes(doc.text)
        for tok in doc:
            if tok.dep_ != "prep" or tok.head.i == tok.i or not re.fullmatch(r"[A-Za-z]+", tok.head.text):
                continue
            if any(q[0] <= tok.idx < q[1] for q in quotes):
                continue
            obj = at._child(tok, "pobj", "pcomp")
            if obj is None:
                continue
            key = (tok.head.text.lower(), tok.text.lower())
            total[key] += 1
            os_, oe = at._subtree(obj)
            h, p = tok.head.idx + start, tok.idx + start
            for g in gold:
                if not g.cue or not g.content:
                    continue
                if any(a <= h < b for a, b in g.cue) and any(a <= p < b for a, b in g.cue) \
                        and any(a < oe + start and os_ + start < b for a, b in g.content):
                    hit[key] += 1
                    break
    return total, hit


def table(total, hit, min_count: int, min_rate: float) -> dict[str, list[str]]:
    out: dict[str, list[str]] = collections.defaultdict(list)
    for (word, prep), n in sorted(total.items()):
        if n >= min_count and hit[word, prep] / n >= min_rate:
            out[word].append(prep)
    return dict(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part")
    ap.add_argument("--cache")
    ap.add_argument("--min-count", type=int, default=4)
    ap.add_argument("--min-rate", type=float, default=0.5)
    args = ap.parse_args()
    docs, paragraphs = parsed(args.part, args.cache)
    total, hit = pair_counts(docs, paragraphs)
    rows = table(total, hit, args.min_count, args.min_rate)
    for word in sorted(rows):  # ready to paste into lexicon.PREP_CUES
        preps = rows[word]
        counts = ", ".join(f"{p} {hit[word, p]}/{total[word, p]}" for p in preps)
        print(f"    {word!r}: {tuple(preps)!r},".replace("'", '"').ljust(40) + f"  # {counts}")
    print(f"{len(rows)} words, {sum(len(v) for v in rows.values())} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
