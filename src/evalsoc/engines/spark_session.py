"""The one Spark session of a process: where it runs, its resources, quiet logs, Java checked.

Where: `spark_master` when the framework gives it (`local[4]`, `spark://host:7077`, `yarn`; an
`sc://` address is a Spark Connect server), else the `SPARK_REMOTE` environment variable (Spark
Connect), else `local[threads]` (`local[*]`: every core). The session is created on first use
and kept for the life of the process (a JVM costs seconds to start); a later engine with other
settings reuses it, as Spark's own `getOrCreate` does.

A local session needs Java (17 or later). Without it, evalsoc says so (exit 2) instead of
letting pyspark print a Java launcher's error.
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

from evalsoc.errors import FrameworkError

_SESSION: Any = None
_LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")


def java_found() -> bool:
    """A `java` in JAVA_HOME/bin (what pyspark launches when JAVA_HOME is set), else on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return (Path(home) / "bin" / "java").is_file()
    return shutil.which("java") is not None


def check_java(master: str | None = None) -> None:
    """A framework error naming the Java package when a local session could not start."""
    if _remote(master) is None and not java_found():
        raise FrameworkError("spark_needs_java", detail="")


def _remote(master: str | None) -> str | None:
    if master:
        return master if master.startswith("sc://") else None
    return os.environ.get("SPARK_REMOTE") or None


def spark_session(
    master: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> Any:
    """The process's session, created on first call with these settings."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    check_java(master)
    from pyspark.sql import SparkSession

    remote = _remote(master)
    if remote is not None:
        builder = SparkSession.builder.remote(remote)
    else:
        url = master or f"local[{threads or '*'}]"
        builder = (
            SparkSession.builder.master(url)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_CONFIG}")
        )
        if url.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no guess at the host's name
            # Spark's 200 shuffle partitions are made for clusters: one per local core here.
            cores = re.fullmatch(r"local\[(\d+)\]", url)
            partitions = int(cores.group(1)) if cores else threads or os.cpu_count() or 1
            builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
            # Adaptive execution re-plans after each shuffle and runs each stage as a job of its
            # own: on one machine with a partition per core it has nothing to adapt, and
            # doubled the jobs of an aggregation (each with a fixed cost).
            builder = builder.config("spark.sql.adaptive.enabled", "false")
        if memory_limit:
            builder = builder.config("spark.driver.memory", _jvm_size(memory_limit))
        if temp_directory:
            builder = builder.config("spark.local.dir", temp_directory)
    builder = (
        builder.appName("evalsoc")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
    )
    # pyspark's note on pandas 3, repeated at every conversion: nothing a user can act on.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    warnings.filterwarnings("ignore", "The copy keyword is deprecated", module=r"pyspark\.")
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the Java gateway did not start: say why in a sentence
        from pyspark.errors import PySparkRuntimeError

        if isinstance(exc, PySparkRuntimeError) and "JAVA_GATEWAY" in str(exc):
            raise FrameworkError("spark_needs_java", detail=f" ({exc.getErrorClass()})") from None
        raise
    if remote is None:
        session.sparkContext.setLogLevel("ERROR")
    _SESSION = session
    return session


def _jvm_size(text: str) -> str:
    """`8GB`, `512 MiB`, `1.5GB` → the JVM's size in mebibytes (`8192m`, `512m`, `1536m`)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT])i?B", text.strip())
    if match is None:  # engine_settings.py's pattern lets no other form through
        raise FrameworkError("engine_memory_unreadable", at="engine memory_limit", given=repr(text))
    mebibytes = (
        float(match.group(1)) * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2}[match.group(2)]
    )
    return f"{max(1, int(mebibytes))}m"
