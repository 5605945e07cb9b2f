"""Which engine a run uses: the command line's `--engine`, else the framework's `engine:`.

`auto` chooses by the total size of the source files on disk: DuckDB from
`AUTO_DUCKDB_BYTES` (1 GiB: about 10^7 rows of 20 columns in CSV, where pandas' peak memory
approaches a laptop's) when the duckdb package is installed, pandas otherwise. The choice and
its reason are kept so that the run can say what it did.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUTO_DUCKDB_BYTES = 1 << 30


@dataclass(frozen=True)
class EngineChoice:
    name: str  # pandas, duckdb or spark: never auto
    options: dict[str, Any]  # the framework's engine settings apart from the name
    reason: str  # why, in English, for the progress line


def input_bytes(framework: Any) -> int:
    """The total size of the files the framework's sources read (missing files count 0)."""
    base = Path(framework.base_dir or ".")
    total = 0
    for source in framework.data.values():
        if source.file:
            path = base / source.file
            if path.is_file():
                total += path.stat().st_size
    return total


def choose_engine(framework: Any, override: str | None = None) -> EngineChoice:
    """The engine for a run of `framework`, `override` (from `--engine`) first."""
    settings = framework.engine
    options = settings.model_dump(exclude={"name"}, exclude_none=True)
    name = override or settings.name
    if name != "auto":
        origin = "--engine" if override else "the framework's engine setting"
        return EngineChoice(name, options, f"{name} ({origin})")
    size = input_bytes(framework)
    if size >= AUTO_DUCKDB_BYTES and importlib.util.find_spec("duckdb") is not None:
        return EngineChoice("duckdb", options, f"duckdb (auto: {size} bytes of input)")
    return EngineChoice("pandas", options, f"pandas (auto: {size} bytes of input)")
