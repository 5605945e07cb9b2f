"""Every source of a framework, read, prepared and validated, then the sources built from
others (join, stack, wide_to_long) in the order they depend on each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evalsoc.errors import DataReadError, FrameworkError


def load_sources(
    framework: Any, progress: Callable[[str], None], engine: Any = None
) -> tuple[dict, dict, dict]:
    """(clean frames, reports, quarantine tables), each by source name. With the DuckDB
    `engine` (an EngineChoice), CSV sources are read out of core (data/duckdb_intake.py) and
    stay DuckDB tables; the others, and any the DuckDB intake cannot read exactly as pandas
    does, go through the pandas intake, and the progress line says why."""
    from evalsoc.data.combine import build_derived
    from evalsoc.data.prepare import prepare
    from evalsoc.data.read import read_table
    from evalsoc.data.validate import validate_source
    from evalsoc.framework.positions import position_of

    frames, reports, quarantines = {}, {}, {}
    out_of_core = _DuckDBIntake(framework, engine, progress)
    in_spark = _SparkIntake(framework, engine, progress)  # CSV, Parquet read by Spark
    for name, source in framework.data.items():
        if source.derived:
            continue
        if out_of_core.read(name, source, frames, reports, quarantines):
            continue
        if in_spark.read(name, source, frames, reports, quarantines):
            continue
        progress(f"reading {name} ({source.file})")
        try:
            raw, info = read_table(source, framework.base_dir)
            progress(f"validating {name}: {info.rows_read} rows")
            prepared = prepare(source, raw, info)
            clean, report, quarantine = validate_source(
                name, source, prepared.frame, info, prepared
            )
        except DataReadError as exc:  # say which declaration of the framework it comes from
            where = position_of(framework, ("data", name, "file"))
            raise exc.located(where) from None
        frames[name], reports[name], quarantines[name] = clean, report, quarantine
    for name in derived_order(framework):
        progress(f"building {name}")
        frames[name], reports[name], quarantines[name] = build_derived(
            name, framework.data[name], frames, reports
        )
    return frames, reports, quarantines


class _DuckDBIntake:
    """Reads a source inside DuckDB when the run's engine is DuckDB and the source allows it."""

    def __init__(self, framework: Any, engine: Any, progress: Callable[[str], None]):
        self.framework, self.progress = framework, progress
        self.options = engine.options if engine is not None and engine.name == "duckdb" else None
        self.connection: Any = None

    def read(self, name: str, source: Any, frames: dict, reports: dict, quarantines: dict) -> bool:
        """True when `name` was read out of core (frames[name] is then a DuckDBTable)."""
        if self.options is None or source.engine not in (None, "duckdb", "auto"):
            return False
        from evalsoc.data.duckdb_intake import read_source, why_not

        reason = why_not(source, name in derived_inputs(self.framework))
        if reason is None:
            if self.connection is None:
                from evalsoc.engines.duckdb_table import connect

                self.connection = connect(**self.options)
            self.progress(f"reading {name} ({source.file}) out of core in DuckDB")
            found = read_source(self.connection, len(frames), name, source, self.framework.base_dir)
            if not isinstance(found, str):
                frames[name], reports[name], quarantines[name] = found
                self.progress(f"validated {name} in DuckDB: {reports[name].rows_read} rows")
                return True
            reason = found
        self.progress(f"{name}: read in memory by the pandas intake ({reason})")
        return False


class _SparkIntake:
    """Reads a source in Spark when the run's engine is Spark and the source allows it
    (asked after the DuckDB intake; data/spark_csv.py or data/spark_intake.py reads)."""

    def __init__(self, framework: Any, engine: Any, progress: Callable[[str], None]):
        self.framework, self.progress = framework, progress
        self.options = engine.options if engine is not None and engine.name == "spark" else None

    def read(
        self,
        name: str,
        source: Any,
        frames: dict[str, Any],
        reports: dict[str, Any],
        quarantines: dict[str, Any],
    ) -> bool:
        """True when `name` was read in Spark (frames[name] is then a SparkTable)."""
        if self.options is None or source.engine not in (None, "spark", "auto"):
            return False
        from evalsoc.data.spark_intake import read_source, why_not
        from evalsoc.problems import Problem

        reason = why_not(source, name in derived_inputs(self.framework))
        if reason is None:
            from evalsoc.engines.spark_session import spark_session

            options = self.options
            session = spark_session(
                master=options.get("spark_master"),
                threads=options.get("threads"),
                memory_limit=options.get("memory_limit"),
                temp_directory=options.get("temp_directory"),
            )
            self.progress(f"reading {name} ({source.file}) in Spark")
            from evalsoc.data import spark_csv

            read = spark_csv.read_source if spark_csv.is_csv(source) else read_source
            found = read(session, name, source, self.framework.base_dir)
            if not isinstance(found, dict):
                frames[name], reports[name], quarantines[name] = found
                self.progress(f"validated {name} in Spark: {reports[name].rows_read} rows")
                return True
            reason = found
        note = Problem("spark_intake_in_memory", {"source": repr(name), "reason": reason})
        self.progress(note.text("en"))
        return False


def derived_inputs(framework: Any) -> set[str]:
    """The sources a derived source reads (join, stack, wide_to_long): an engine intake keeps them
    in memory."""
    return {n for other in framework.data.values() for n in inputs_of(other)}


def inputs_of(source: Any) -> list[str]:
    if source.join:
        return [source.join.left, source.join.right]
    if source.stack:
        return list(source.stack.sources)
    if source.wide_to_long:
        return [source.wide_to_long.source]
    return []


def derived_order(framework: Any) -> list[str]:
    """Derived sources after the sources they read; unknown names and cycles are errors."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise FrameworkError("data_sources_cycle", path=" → ".join(path))
        state[name] = "visiting"
        for dep in inputs_of(framework.data[name]):
            if dep not in framework.data:
                known = ", ".join(framework.data)
                raise FrameworkError(
                    "data_source_reads_undeclared", source=repr(name), other=repr(dep), known=known
                )
            visit(dep, [*path, dep])
        state[name] = "done"
        if framework.data[name].derived:
            order.append(name)

    for name in framework.data:
        visit(name, [name])
    return order
