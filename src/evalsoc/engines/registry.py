"""The engines evalsoc knows, by the name a framework or `--engine` will give.

One line per engine: its module, its class, and the third-party package it needs with the
extra that installs it (None for pandas, a core dependency). The module is imported only when
the engine is asked for, so `evalsoc --help` loads none of them.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from evalsoc.engines.base import Engine
from evalsoc.errors import FrameworkError


@dataclass(frozen=True)
class EngineEntry:
    module: str
    cls: str
    package: str | None = None  # the import name of what it needs beyond the core
    extra: str | None = None  # pip install "evalsoc[extra]"


ENGINES: dict[str, EngineEntry] = {
    "pandas": EngineEntry("evalsoc.engines.pandas", "PandasEngine"),
    "duckdb": EngineEntry("evalsoc.engines.duckdb", "DuckDBEngine", "duckdb", "duckdb"),
    "spark": EngineEntry("evalsoc.engines.spark", "SparkEngine", "pyspark", "spark"),
}


def check_engine(name: str) -> EngineEntry:
    """The entry of engine `name`; a framework error when it is unknown or its package is
    missing (naming the extra that installs it)."""
    entry = ENGINES.get(name)
    if entry is None:
        raise FrameworkError("engine_unknown", engine=repr(name), known=", ".join(ENGINES))
    if entry.package is not None and importlib.util.find_spec(entry.package) is None:
        raise FrameworkError(
            "engine_needs_package", engine=name, package=entry.package, extra=entry.extra
        )
    return entry


def create_engine(
    name: str, frames: dict[str, Any], options: dict[str, Any] | None = None
) -> Engine:
    """The engine `name` over the validated `frames` (source name → data), given the
    framework's engine `options` (memory limit, threads, Spark master...)."""
    entry = check_engine(name)
    factory = getattr(importlib.import_module(entry.module), entry.cls)
    engine: Engine = factory(frames, **(options or {}))
    return engine
