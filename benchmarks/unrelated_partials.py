"""How many of the passage pairs the reuse stage checks are partial copies between articles the
stream benchmark's corpus did not relate, early and late in a stream.

    python benchmarks/unrelated_partials.py --articles 5000 --tail 500

The corpus (``benchmarks/corpus.py``) builds every article from a finite pool of real sentences
(~30,000 from PolNeAR's train texts), re-drawing only their names and numbers, so a sentence
without either comes back word for word in unrelated articles, more often the longer the
stream. Each such sentence is a partial copy to storyline (a recycled sentence, traced to where
it was first seen), and each costs the checks of the pair. This counts, for the last ``--tail``
articles of ``--articles`` (ingested in this process, a commit per 50), the passage pairs found
to be partial copies, split by whether the two articles are related in the corpus (one a copy
of the other, directly or through copies, or both of one story's recycled background), and
those found whole copies, split the same way (a one-sentence paragraph of the pool comes back
whole). Prints one JSON line: ``{"articles", "tail", "checked", "partial_related",
"partial_unrelated", "whole_related", "whole_unrelated"}``, each count an article of the tail.
``--spliced`` makes the corpus's new sentences of halves of two pool sentences
(``corpus.generate``), which no other article holds by chance.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import corpus

from storyline import Storyline
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings


def count(articles: int, tail: int, seed: int = 1, spliced: bool = False) -> dict:
    settings = IngestSettings(batch_size=50, workers=1)
    items = corpus.generate(articles, seed=seed, spliced=spliced)
    by_id = {item.id: item for item in items}
    family: dict[str, str] = {}  # an article's original: a copy's source's, followed back
    for item in items:
        family[item.id] = family.get(item.source, item.source) if item.kind == "copy" and item.source else item.id
    built = [a for i, item in enumerate(items)
             for a in build_article(RawArticle(origin=SourceRef("stream"), text=item.text, id=item.id,
                                               published=corpus.published(i, 1000)), settings)
             if isinstance(a, Article)]
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp, Storyline(Path(tmp) / "partials.db", Settings(ingest=settings)) as sl:
        sl.ingest_articles(built[:articles - tail])
        stage = sl.runner.reuse
        checked = stage._checked

        def counted(article_id, n, text, keys, sents, stored, index):  # type: ignore[no-untyped-def]
            result = checked(article_id, n, text, keys, sents, stored, index)
            counts["checked"] += 1
            if result.match is not None:
                a, b = by_id[article_id], by_id[stored.article_id]
                related = family[a.id] == family[b.id] or (a.story is not None and a.story == b.story)
                kind = "partial" if result.match[1] else "whole"
                counts[f"{kind}_related" if related else f"{kind}_unrelated"] += 1
            return result

        stage._checked = counted  # type: ignore[method-assign]
        sl.ingest_articles(built[articles - tail:])
    return {"articles": articles, "tail": tail,
            **{k: round(counts[k] / tail, 2) for k in ("checked", "partial_related", "partial_unrelated",
                                                       "whole_related", "whole_unrelated")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--tail", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spliced", action="store_true", help="the corpus with spliced sentences (corpus.generate)")
    args = parser.parse_args(argv)
    if not 0 < args.tail <= args.articles:
        parser.error("--tail must be between 1 and --articles")
    print(json.dumps(count(args.articles, args.tail, args.seed, args.spliced)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
