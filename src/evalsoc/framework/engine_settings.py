"""The `engine:` setting: which engine reads the data and computes, with its resources.

Written either as a name (`engine: duckdb`) or as a mapping with options. `auto` lets evalsoc
choose by the size of the input files (engines/choice.py documents the rule). `--engine` on the
command line overrides the framework's name; a source may name its own engine for reading.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from evalsoc.framework.base import StrictModel

EngineName = Literal["pandas", "duckdb", "spark", "auto"]


class EngineSettings(StrictModel):
    name: EngineName = Field("pandas", description="pandas (default), duckdb, spark or auto.")
    memory_limit: str | None = Field(
        None,
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB: memory it may use before spilling to disk (e.g. 8GB).",
    )
    threads: int | None = Field(None, ge=1, description="DuckDB / Spark local: worker threads.")
    temp_directory: str | None = Field(
        None, description="DuckDB: where it spills (default: a folder it makes and removes)."
    )
    spark_master: str | None = Field(
        None,
        description="Spark: the master URL (default: SPARK_REMOTE if set, else local[*]).",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, raw: Any) -> Any:
        return {"name": raw} if isinstance(raw, str) else raw
