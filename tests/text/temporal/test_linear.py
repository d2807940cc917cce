"""The date tagger and every per-passage step are linear in the text: 1 MB without a sentence
break (the shape that made them quadratic: 160 kB took 172 s) finishes in a generous bound."""

from __future__ import annotations

import random
import time

from storyline.ingest import RawArticle, build_article
from storyline.pipeline import Runner
from storyline.records import Article, SourceRef
from storyline.settings import IngestSettings, Settings

WORDS = ["the", "army", "said", "on", "Monday", "that", "troops", "will", "arrive", "in", "October", "2024", "after", "talks", "last", "week", "with", "officials", "from", "Kyiv", "and", "early", "November", "3", "2023", "the", "year", "before", "10:30", "a.m.", "next", "Friday"]


def _unbroken(chars: int) -> str:
    rng = random.Random(0)
    parts, size = [], 0
    while size < chars:
        word = rng.choice(WORDS)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:chars]


def test_a_megabyte_article_goes_through_every_featurize_step_in_bounded_time():
    settings = Settings(ingest=IngestSettings(max_article_chars=1_000_000))
    started = time.monotonic()
    (article,) = [a for a in build_article(RawArticle(SourceRef("long"), text=_unbroken(999_000)), settings.ingest)
                  if isinstance(a, Article)]
    runner = Runner(settings, workers=1)
    try:
        (features,) = runner.featurize([article])
    finally:
        runner.close()
    # ~10 s on a loaded 2-core machine; the quadratic steps took hours on this
    assert time.monotonic() - started < 90
    assert len(features.timeline) > 5_000  # placeable dates all through the text
