"""pandera imported by evalsoc pulls in neither pyspark.pandas nor pandera's environment
changes (with the Spark extra installed, that import cost seconds and printed a warning on
every run, and SPARK_LOCAL_IP=127.0.0.1 hid a driver from a cluster), nor hypothesis (0.4 s
at the first validation, for pandera's data synthesis)."""

import os
import subprocess
import sys

CODE = """
import os, sys
os.environ.pop("SPARK_LOCAL_IP", None)
from evalsoc.data.pandera_import import pandera_pandas
pa = pandera_pandas()
assert pa.Column is not None and pandera_pandas() is pa
assert "pyspark.pandas" not in sys.modules, "pyspark.pandas imported"
assert "SPARK_LOCAL_IP" not in os.environ, os.environ.get("SPARK_LOCAL_IP")
import pandas as pd
schema = pa.DataFrameSchema({"a": pa.Column(checks=[pa.Check.ge(0)])})
schema.validate(pd.DataFrame({"a": [1, 2]}))  # registers the pandas backends
assert "hypothesis" not in sys.modules, "hypothesis imported (pandera's strategies)"
print("ok")
"""


def test_pandera_without_pyspark_pandas() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error::FutureWarning", "-c", CODE],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SPARK_LOCAL_IP"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok" and done.stderr == ""
