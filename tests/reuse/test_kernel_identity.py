"""The reuse stage's numbers stay the same when its code is made faster: signatures, band keys and
shingle sets of the kernel, and the near-duplicate and passage verdicts of a generated stream,
against ``tests/golden/reuse_kernel.json`` (written by the code before the speed work; a change
of any of them is a change of the algorithm, which ``ALGORITHM`` and stored indexes depend on)."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace

import numpy as np
import pytest

from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.reuse.kernel import MinHasher, word_hashes
from storyline.reuse.memory_index import MemoryReuseIndex
from storyline.reuse.stage import ReuseStage
from storyline.settings import IngestSettings, ReuseSettings
from tests.conftest import ROOT
from tests.golden import check_golden

# Texts the generated corpus has none of: what the byte-level word rules treat specially.
EDGE_TEXTS = [
    "", "   ", "one", "two words", "Three whole words", "!!! ... ---",
    "ASCII only, with UPPER case and digits 2024 and 3.14.",
    "Curly \u201cquotes\u201d and an em\u2014dash, \u2018single\u2019 too\u2026 and a\u2009thin space",
    "No\u00a0break space, \u00abguillemets\u00bb, \u00bfque?, \u00b0degrees \u00b1 and \u00a7 signs",
    "Superscript x\u2070 y\u2071 z\u207f and the word\u2060joiner\u206f end",
    "Cyrillic Сибіга and Ukrainian Київ, accented café déjà vu, Greek Αθήνα",
    "CJK 北京 東京 and emoji \U0001f600 \U0001f4f0 news",
    "a NUL\x00inside the text\x00here",
    "İstanbul İzmir: a letter whose lower case is longer",
    "tab\tseparated\nlines\r\nand\u2028line separator",
    "x " * 40,
    "repeated repeated repeated repeated repeated",
]


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:24]


def _text_digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:24]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    if not corpus.DEFAULT_SOURCE.is_dir():
        pytest.skip(f"{corpus.DEFAULT_SOURCE} not present")
    settings = IngestSettings()
    out = []
    for item in corpus.generate(400, seed=11):
        built = [a for a in build_article(RawArticle(origin=SourceRef("golden"), text=item.text, id=item.id),
                                          settings) if isinstance(a, Article)]
        out.append(built[0])
    return out


def _kernel(texts: list[str]) -> list[dict]:
    hasher, stage = MinHasher(128, 3, 1), ReuseStage(ReuseSettings())
    # One call over all texts (several chunks of 2^18 characters) and one text at a time must agree.
    together = hasher.signatures(texts)
    sets = hasher.shingle_sets(texts)
    words, owners = word_hashes(texts)
    out = []
    for i, text in enumerate(texts):
        (alone,) = hasher.signatures([text])
        (alone_set,) = hasher.shingle_sets([text])
        assert np.array_equal(alone, together[i]) and np.array_equal(alone_set, sets[i])
        out.append({"signature": _digest(together[i]), "shingles": _digest(sets[i]), "n_shingles": int(sets[i].size),
                    "words": _digest(words[owners == i]),
                    "bands": _digest(stage.featurize([_article(text)], passages=False)[0].bands)})
    return out


def _article(text: str) -> Article:
    return Article(id="x", text=text, passages=[])


def _duplicates(articles: list[Article], batch: int) -> list[list]:
    """The article-level stream of ``benchmarks/reuse.py`` (featurize without passages)."""
    stage, index = ReuseStage(ReuseSettings()), MemoryReuseIndex()
    out = []
    seq = 0
    for start in range(0, len(articles), batch):
        chunk = articles[start:start + batch]
        for article, features in zip(chunk, stage.featurize(chunk, passages=False)):
            duplicate_of, similarity = stage.find_duplicate(features, index)
            out.append([article.id, duplicate_of, similarity])
            seq += 1
            index.remember(seq, replace(article, duplicate_of=duplicate_of, similarity=similarity))
            index.add_article(seq, features.signature, features.bands)
    return out


def _passages(articles: list[Article], batch: int) -> dict:
    """The whole reuse stage (passages too) over an in-memory index, as ingest runs it."""
    stage, index = ReuseStage(ReuseSettings()), MemoryReuseIndex()
    verdicts, features_out = [], []
    seq = 0
    for start in range(0, len(articles), batch):
        chunk = articles[start:start + batch]
        for article, features in zip(chunk, stage.featurize(chunk)):
            result = stage.resolve(article, features, index)
            seq += 1
            index.remember(seq, result.marked(article))
            stage.index(seq, features, index, result)
            verdicts.append([article.id, result.duplicate_of, result.similarity,
                             [[v.status, [v.first_seen.article_id, v.first_seen.index] if v.first_seen else None,
                               v.score, [v.copied.start, v.copied.end] if v.copied else None,
                               [v.first_seen_span.start, v.first_seen_span.end] if v.first_seen_span else None,
                               v.partial]
                              for v in result.passages]])
            # Digests: the keys themselves would make the file megabytes long.
            features_out.append({
                "passages": _text_digest([[k.keys, k.words] for k in features.passages]),
                "passage_bands": {str(i): _digest(b) for i, b in sorted(features.passage_bands.items())},
                "sentences": _text_digest([[[s.start, s.end, s.keys.keys, s.keys.words] for s in sents]
                                           for sents in features.sentences])})
    return {"verdicts": verdicts, "features": features_out}


def test_the_reuse_stage_gives_the_recorded_numbers(articles, update_golden):
    texts = [a.text for a in articles]
    result = {
        "edge_texts": _kernel(EDGE_TEXTS),
        "corpus_texts": _kernel(texts[:120]),
        "duplicates": _duplicates(articles, 128),
        "passages": _passages(articles[:160], 64),
    }
    # The batch size changes how texts are chunked, never a verdict.
    assert _duplicates(articles, 37) == result["duplicates"]
    assert sum(d[1] is not None for d in result["duplicates"]) >= 20  # the corpus plants copies
    assert any(v[0] == "recycled" for a in result["passages"]["verdicts"] for v in a[3])
    check_golden("reuse_kernel", result, update_golden)
