"""One Spark session for every batch test (starting one costs ~17 s on two cores)."""

from __future__ import annotations

import os

import pytest

from storyline.batch.session import local_workers_python


@pytest.fixture(scope="session")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        # CI installs the extra: a skip there would hide a broken install.
        if os.environ.get("CI"):
            pytest.fail("pyspark is missing; CI installs storyline[spark]")
        pytest.skip("the spark extra is not installed (pip install 'storyline[spark]')")

    local_workers_python("local[2]", os.environ)  # the venv need not be first on the PATH
    session = (SparkSession.builder.master("local[2]").appName("storyline tests")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.driver.memory", "2g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
