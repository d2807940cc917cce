"""The batch job on Apache Spark (``storyline batch``; the ``spark`` extra): an archive through the
same stages as the streaming engine, with the same results. Every stage's ``featurize`` runs in
Spark partitions; the in-order resolve and the writer are the streaming engine's own, on the
driver. PySpark is imported only when a job runs."""

from .job import BatchReport, run_batch
from .session import PIP_LINE, BatchError, require_pyspark

__all__ = ["PIP_LINE", "BatchError", "BatchReport", "require_pyspark", "run_batch"]
