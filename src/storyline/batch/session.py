"""The Spark session: PySpark is an optional extra, imported only here and only when a job runs."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StorylineError
from ..settings import BatchSettings

if TYPE_CHECKING:
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

PIP_LINE = "pip install 'storyline[spark]'"
#: Spark's log of a job whose session storyline starts, under ``OUT/_work``.
SPARK_LOG = "spark.log"
# The JVM's system property naming that file (log4j2.properties reads it).
_LOG_PROPERTY = "storyline.spark.log"


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


def spark_failure(stage: str, exc: BaseException, out: object, log: Path | None = None) -> BatchError:
    """The error a stage that Spark failed ends the job with: the reason in a line and what to do.
    ``log``: the file Spark logs to (:func:`spark_log`), else its log is on the terminal."""
    reason = spark_reason(exc).rstrip(".")
    if "no space left on device" in str(exc).lower():
        hint = (f"A disk the job writes to is full ({out}, or Spark's scratch space, spark.local.dir): "
                "free some space")
    else:
        where = f"Spark's log, {log}," if log is not None else "Spark's log above"
        hint = f"{where} has the whole error; fix what it says"
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


def start_session(settings: BatchSettings, log: Path | None = None) -> SparkSession:
    """A session for this job: the one ``spark-submit`` started, else a local one (``batch.master``).
    A session started here logs to ``log`` (warnings and errors, Java stacks included, and what
    the JVM and Spark's Python workers print on their standard error) instead of the terminal,
    where the job prints its stages: Spark's logging is set when its JVM starts, so a session
    that ``spark-submit`` or an earlier job of this process started logs as it did."""
    require_pyspark()
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    local_workers_python(settings.master, os.environ)
    conf = (SparkConf().setMaster(settings.master).setAppName("storyline batch")
            # The job prints its own progress per stage; Spark's bar would interleave with it.
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.driver.memory", settings.driver_memory))
    if log is not None:
        config = Path(__file__).with_name("log4j2.properties")
        # Quoted: Spark's launcher splits the options at spaces outside quotes.
        conf.set("spark.driver.extraJavaOptions",
                 f'"-Dlog4j2.configurationFile={config.as_uri()}" "-D{_LOG_PROPERTY}={log}"')
    try:
        if log is not None and SparkContext._active_spark_context is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
            _start_jvm(conf, log)
        return SparkSession.builder.config(conf=conf).getOrCreate()
    except Exception as exc:  # the JVM did not start: Java missing is the usual cause
        where = f"; {log} may say why" if log is not None and log.exists() and log.stat().st_size else ""
        raise BatchError(f"Spark could not start ({type(exc).__name__}: {str(exc)[:300]}){where}; it needs Java 17 "
                         "(`apt-get install openjdk-17-jre-headless`)") from exc


def _start_jvm(conf: SparkConf, log: Path) -> None:
    """Spark's JVM, started with its standard error appended to ``log``: the JVM writes there
    before any logging starts (Spark 4's launcher adds the incubating vector module to every
    JVM, and the JVM says so, "WARNING: Using incubator modules: jdk.incubator.vector", as the
    first line of every job's output), and so do Spark's Python workers, whose output the JVM
    copies to its own. ``launch_gateway``'s ``popen_kwargs`` are PySpark's way to capture it."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as stream:  # the JVM keeps its own descriptor
        gateway = launch_gateway(conf, popen_kwargs={"stderr": stream})
    SparkContext(conf=conf, gateway=gateway)


def spark_log() -> Path | None:
    """The file the running Spark driver logs to, where storyline started it with one (see
    :func:`start_session`); ``None`` when it logs elsewhere, or no driver answers."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is None:
        return None
    try:
        value = active.sparkContext._jvm.java.lang.System.getProperty(_LOG_PROPERTY)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - a driver gone with the failure: its log is where it was
        return None
    return Path(value) if value else None


def local_workers_python(master: str, environ: MutableMapping[str, str]) -> None:
    """In local mode, Spark's Python workers run this interpreter unless ``PYSPARK_PYTHON`` says
    otherwise: by default they run the first ``python3`` on the PATH, which in a virtual
    environment that is not activated lacks storyline and fails each task. A cluster's
    executors have their own Python; its master is left alone."""
    if master.startswith("local"):
        environ.setdefault("PYSPARK_PYTHON", sys.executable)
