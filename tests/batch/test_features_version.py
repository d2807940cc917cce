"""The featurized rows a batch job keeps in its work folder, against the version it records
(``storyline.batch.features.FEATURES_VERSION``): rows made otherwise under the same version would
let a resumed job mix two kinds, so a change to what featurize gives fails here until the version
is raised (and the golden file rewritten with ``--update-golden``)."""

from __future__ import annotations

import hashlib
import json
import math
import pickle

import numpy as np
import pytest

from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.settings import BatchSettings, IngestSettings, Settings
from tests.golden import GOLDEN

pd = pytest.importorskip("pandas")


def _rows_digest(seeds_dir) -> str:
    from storyline.batch.features import KEY_COLUMNS, featurize_frames

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts.append("港口工人周一开始罢工，要求提高工资。工会表示，罢工将持续到港务局提出新的方案。")
    texts.append("Die Hafenarbeiter haben am Montag ihren Streik begonnen. Gestern weitete sich der Ausstand aus; "
                 "vor zwei Wochen waren die Gespräche gescheitert. Am 21. Oktober 2024 begann alles.")
    texts.append("The Sunday Times reported that the strike would end by Good Friday, or by Labor Day at the latest.")
    texts.append("The minister said on March 3 that the port would reopen. A worker died in February. Prices rose that month, for the third straight quarter.")
    articles = [a for n, text in enumerate(texts)
                for a in build_article(RawArticle(SourceRef("in.jsonl"), text=text, id=f"a{n}", published="2024-10-28",
                                                  url=f"https://WWW.harbour.example/{n}?utm_source=rss"), IngestSettings())
                if isinstance(a, Article)]
    frame = pd.DataFrame({"order": range(len(articles)), "location": "in.jsonl", "line": range(1, len(articles) + 1),
                          "article": [pickle.dumps(a) for a in articles]})
    # with the passages a pair check reads (made for a job that checks pairs on the executors)
    (out,) = list(featurize_frames(iter([frame]), Settings(batch=BatchSettings(pair_checks=20))))
    digest = hashlib.sha256()
    for _, row in out.iterrows():
        for column in KEY_COLUMNS:
            digest.update(column.encode("utf-8") + b"=" + _canonical(row[column]) + b";")
        features = pickle.loads(row["features"])
        digest.update(_story_terms(features.stories))
        digest.update(json.dumps([[t.start, t.end, t.type, t.value, t.mod] for t in features.timeline]).encode("utf-8"))
        digest.update(json.dumps(list(features.reuse.boilerplate_form)).encode("utf-8"))
    return digest.hexdigest()


def _story_terms(features) -> bytes:
    """The stories stage's features (its terms and their counts, the words they were cut from)
    in one canonical form: the pickled row is not one (a Counter's order is the text's)."""
    terms = [sorted(c.items()) for c in features.passage_words]
    return json.dumps([terms, sorted(features.title_words.items()), sorted(features.written.items())],
                      ensure_ascii=False).encode("utf-8")


def _canonical(value: object) -> bytes:
    """A value of a featurized row as bytes that do not depend on how pandas holds it (an array
    or a list, int32 or int64, None or NaN for a missing value)."""
    if value is None or isinstance(value, float) and math.isnan(value):
        return b"-"
    if isinstance(value, bytes):
        return b"b" + value
    if isinstance(value, str):
        return b"s" + value.encode("utf-8")
    items = list(value)  # type: ignore[call-overload]  # an array or a list
    if any(isinstance(item, bytes) or item is None for item in items):
        return b"[" + b",".join(_canonical(item).hex().encode() for item in items) + b"]"
    return b"i" + np.asarray(items, dtype=np.int64).tobytes()


def test_featurized_rows_change_only_with_their_version(seeds_dir, update_golden):
    from storyline.batch.features import FEATURES_VERSION

    path = GOLDEN / "batch_features.json"
    actual = {"features_version": FEATURES_VERSION, "rows_sha256": _rows_digest(seeds_dir)}
    if update_golden:
        path.write_text(json.dumps(actual, indent=2) + "\n", encoding="utf-8")
        return
    recorded = json.loads(path.read_text(encoding="utf-8"))
    if actual["rows_sha256"] != recorded["rows_sha256"]:
        assert actual["features_version"] != recorded["features_version"], (
            f"featurize gives other rows than version {FEATURES_VERSION} recorded: raise "
            "storyline.batch.features.FEATURES_VERSION (a resumed job must not mix them), then run pytest --update-golden")
    assert actual == recorded, f"{path} is not this version's: run pytest --update-golden"
