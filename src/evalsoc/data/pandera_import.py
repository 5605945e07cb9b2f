"""pandera's pandas API, imported without the pyspark.pandas that pandera pulls in.

`import pandera` imports `pyspark.pandas` whenever pyspark is installed (pandera 0.35,
`external_config._set_pyspark_environment_variables`), for its own pyspark backend that evalsoc
does not use: seconds of start-up for every run and a FutureWarning printed to the user's
console on pandas 3. With the Spark engine's extra installed, evalsoc would pay that on every
run, pandas engine included; so the import is made with `pyspark.pandas` marked absent, then
the mark is removed (a program that imports pyspark.pandas itself later still can). pandera
also sets SPARK_LOCAL_IP=127.0.0.1 in the environment, which would keep a Spark driver from
being reached by a cluster's executors: the environment is restored as it was.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def pandera_pandas() -> Any:
    """The `pandera.pandas` module."""
    loaded = sys.modules.get("pandera.pandas")
    if loaded is not None:
        return loaded
    environment = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "PYARROW_IGNORE_TIMEZONE")}
    marked = "pyspark.pandas" not in sys.modules
    if marked:
        sys.modules["pyspark.pandas"] = None  # type: ignore[assignment]  # "not installed"
    try:
        import pandera.pandas as pa
    finally:
        if marked and sys.modules.get("pyspark.pandas", False) is None:
            del sys.modules["pyspark.pandas"]
        for key, value in environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return pa
