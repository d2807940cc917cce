"""Statements (``storyline batch --statements``): every stored article's statements, parsed in
Spark partitions by the statements stage's own ``featurize`` and linked and stored by the
driver in ingest order, as ``storyline export`` analyses a streamed store.

The parse reads an article as stored (a boilerplate passage is skipped, so its reuse marks
matter), so it runs after the store stage: the driver sends the articles not analysed yet, a
chunk at a time, to the executors and stores each chunk's statements in one transaction before
the next (a recycled passage's statements link to its first occurrence's, stored before it). A
job stopped here goes on with the articles still not analysed. An article the parser fails on
is reported with the reason and stays not analysed (the web UI or ``storyline export`` try it
again); the rest of its chunk is stored.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..pipeline.runner import Runner
from ..records import Article
from ..settings import Settings
from ..statements.stage import StatementStage
from ..store import Store

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import SparkSession

PARSED_SCHEMA = "k long, found binary, failure string"


@dataclass(slots=True)
class Analysed:
    """What the statements stage did: articles analysed, and those the parser failed on."""

    analysed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)


def parse_frames(frames: Iterator[pd.DataFrame], settings: Settings) -> Iterator[pd.DataFrame]:
    """One partition: pickled stored articles in, each one's parsed statements (or the reason
    its parse failed) out."""
    import pandas as pd

    from ..statements import ModelError

    stage = StatementStage(settings.statements)  # the model loads on the first parse, once per partition
    for frame in frames:
        out: list[tuple[int, bytes | None, str | None]] = []
        for k, blob in zip(frame["k"], frame["article"]):
            article: Article = pickle.loads(blob)
            try:
                (found,) = stage.featurize([article])
            except ModelError:
                raise  # no article can be analysed: the job says why, with the install line
            except Exception as exc:  # noqa: BLE001 - this article's failure, reported with its id
                out.append((int(k), None, f"{type(exc).__name__}: {exc}"[:500]))
                continue
            out.append((int(k), pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL), None))
        yield pd.DataFrame(out, columns=["k", "found", "failure"])


def analyse(spark: SparkSession, store: Store, runner: Runner, settings: Settings, partitions: int,
            chunk: int, progress: Callable[[int, int], None] | None = None) -> Analysed:
    """Parse the store's articles not analysed yet on the executors, a ``chunk`` at a time, and
    store their statements in ingest order."""
    from ..statements import load_nlp

    pending = store.statement_index().pending()
    result = Analysed()
    if not pending:
        return result
    load_nlp()  # a missing model fails here, once, with the line that installs it
    for start in range(0, len(pending), chunk):
        articles = [store.get_article(article_id) for article_id in pending[start:start + chunk]]
        rows = [(k, pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)) for k, a in enumerate(articles)]
        frame = spark.createDataFrame(rows, "k long, article binary").repartition(max(1, min(partitions, len(rows))))
        parsed = sorted(frame.mapInPandas(lambda frames: parse_frames(frames, settings), PARSED_SCHEMA).collect(),
                        key=lambda row: row["k"])
        done = [(articles[row["k"]], pickle.loads(row["found"])) for row in parsed if row["found"] is not None]
        result.failed += [(articles[row["k"]].id, row["failure"]) for row in parsed if row["found"] is None]
        result.analysed += runner.save_statements(store, [a for a, _ in done], [f for _, f in done])
        if progress is not None:
            progress(min(start + chunk, len(pending)), len(pending))
    return result
