"""The Spark session: PySpark is an optional extra, imported only here and only when a job runs."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from typing import TYPE_CHECKING

from ..errors import StorylineError
from ..settings import BatchSettings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PIP_LINE = "pip install 'storyline[spark]'"


class BatchError(StorylineError):
    """The batch job cannot run (PySpark or Java missing, a work folder of another job)."""


def from_spark(exc: BaseException) -> bool:
    """Whether ``exc`` is Spark's (raised through py4j or PySpark), not storyline's own."""
    return type(exc).__module__.split(".")[0] in ("py4j", "pyspark")


def spark_reason(exc: BaseException) -> str:
    """A Spark failure in a line: the innermost cause the JVM gave (its last ``Caused by:``),
    else the message's first line. The whole error, Java stack and all, is in Spark's log."""
    lines = [line.strip() for line in str(exc).splitlines()]
    causes = [line[len("Caused by:"):].strip() for line in lines if line.startswith("Caused by:")]
    if causes:
        return causes[-1]
    first = next((line.lstrip(":").strip() for line in lines if line.lstrip(":").strip()), "")
    return first or type(exc).__name__


def spark_failure(stage: str, exc: BaseException, out: object) -> BatchError:
    """The error a stage that Spark failed ends the job with: the reason in a line and what to do."""
    reason = spark_reason(exc).rstrip(".")
    if "no space left on device" in str(exc).lower():
        hint = (f"A disk the job writes to is full ({out}, or Spark's scratch space, spark.local.dir): "
                "free some space")
    else:
        hint = "Spark's log above has the whole error; fix what it says"
    return BatchError(f"the {stage} stage failed: {reason}. {hint}, then run the same command again to go on "
                      "(the stages completed are kept)")


def require_pyspark() -> None:
    """Fail with the line to run when the extra is not installed."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise BatchError(f"storyline batch needs PySpark, pandas and pyarrow ({exc.name} is missing): "
                         f"{PIP_LINE}") from None


def start_session(settings: BatchSettings) -> SparkSession:
    """A session for this job: the one ``spark-submit`` started, else a local one (``batch.master``)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    local_workers_python(settings.master, os.environ)
    builder = (SparkSession.builder.master(settings.master).appName("storyline batch")
               # The job prints its own progress per stage; Spark's bar would interleave with it.
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", settings.driver_memory))
    try:
        return builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: Java missing is the usual cause
        raise BatchError(f"Spark could not start ({type(exc).__name__}: {str(exc)[:300]}); it needs Java 17 "
                         "(`apt-get install openjdk-17-jre-headless`)") from exc


def local_workers_python(master: str, environ: MutableMapping[str, str]) -> None:
    """In local mode, Spark's Python workers run this interpreter unless ``PYSPARK_PYTHON`` says
    otherwise: by default they run the first ``python3`` on the PATH, which in a virtual
    environment that is not activated lacks storyline and fails each task. A cluster's
    executors have their own Python; its master is left alone."""
    if master.startswith("local"):
        environ.setdefault("PYSPARK_PYTHON", sys.executable)
