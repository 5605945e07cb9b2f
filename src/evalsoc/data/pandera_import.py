"""pandera's pandas API, imported without the pyspark.pandas that pandera pulls in.

`import pandera` imports `pyspark.pandas` whenever pyspark is installed (pandera 0.35,
`external_config._set_pyspark_environment_variables`), for its own pyspark backend that evalsoc
does not use: seconds of start-up for every run and a FutureWarning printed to the user's
console on pandas 3. With the Spark engine's extra installed, evalsoc would pay that on every
run, pandas engine included; so the import is made with `pyspark.pandas` marked absent, then
the mark is removed (a program that imports pyspark.pandas itself later still can). pandera
also sets SPARK_LOCAL_IP=127.0.0.1 in the environment, which would keep a Spark driver from
being reached by a cluster's executors: the environment is restored as it was.

pandera's built-in checks also import `hypothesis` (0.4 s of CPU) when it is installed (it is, in
the test extra), for its data-synthesis strategies that evalsoc does not use; that module is
loaded here, with `hypothesis` marked absent likewise, so that the first validation does not
pay for it (issue 16, start-up).
"""

from __future__ import annotations

import os
import sys
from typing import Any

_UNUSED = ("pyspark.pandas", "hypothesis")  # imported by pandera, never used by evalsoc


def pandera_pandas() -> Any:
    """The `pandera.pandas` module."""
    loaded = sys.modules.get("pandera.pandas")
    if loaded is not None:
        return loaded
    environment = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "PYARROW_IGNORE_TIMEZONE")}
    marked = [name for name in _UNUSED if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed"
    try:
        import pandera.backends.pandas.builtin_checks  # noqa: F401  (strategies, hypothesis)
        import pandera.pandas as pa
    finally:
        for name in marked:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
        for key, value in environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return pa
