"""Which Python Spark's local workers run (no Spark session is started here)."""

from __future__ import annotations

import sys

from storyline.batch.session import local_workers_python


def test_local_workers_run_this_interpreter_when_nothing_says_otherwise():
    environ: dict[str, str] = {}
    local_workers_python("local[2]", environ)
    assert environ == {"PYSPARK_PYTHON": sys.executable}


def test_a_python_the_user_chose_is_kept():
    environ = {"PYSPARK_PYTHON": "/opt/py/bin/python3"}
    local_workers_python("local[*]", environ)
    assert environ == {"PYSPARK_PYTHON": "/opt/py/bin/python3"}


def test_a_cluster_master_is_left_to_its_executors_python():
    environ: dict[str, str] = {}
    local_workers_python("spark://head:7077", environ)
    local_workers_python("yarn", environ)
    assert environ == {}
