"""The Spark engine: filters, groups and indicators' sufficient statistics computed by Spark.

Sources reach Spark from the validated pandas frames (quarantined rows removed) through Arrow,
one Spark DataFrame per source with a `_row` column (the row's position, so that masks and
group codes come back in the pandas order) and positional column names (`c0`, `c1`...: Spark
resolves names case-insensitively and reads dots as struct access; no user text reaches SQL).

What runs in Spark: each `where` (engines/spark_columns.py, evalsoc's two-valued missing-value
semantics); the indicators' grouped sufficient statistics of engines/base.py and their
disclosure-audit counts, one `groupBy(by...).agg(...)` per (source, where, by) for all the
indicators the pipeline planned on it (engines/spark_grouped.py, engines/spark_audit.py), with
medians as **exact** order statistics (never `percentile_approx`). Gini/Theil/Atkinson and
gaps collect their columns and reuse the pandas reductions (base.py allows it); their group
codes (`groups`: distinct keys, then one code per row by a broadcast join) are the only
per-row answers left. Group tables are ordered as pandas orders them (sorted by the column's
pandas type, categories in their declared order, missing last): the few keys are ordered in
Python.

What still runs in memory: reading and validating the files (data/) other than the Parquet
sources Spark reads itself (data/spark_intake.py: those stay Spark DataFrames,
engines/spark_sources.py), the rows that other sections ask for (`rows`: bootstrap, effects,
the capability sets that keep the collect), which are the pandas rows selected by the Spark
mask (from a Spark-read source, only those rows and columns are collected). Capability sets
are otherwise scored and grouped by Spark (engines/spark_capabilities.py).

Why one module for the engine: it is one class implementing the Engine protocol; its `where`
compiler, its session and its grouped aggregations live beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.engines.base import Codes, Mask, PlannedIndicator, Statistics
from evalsoc.engines.spark_columns import (
    BOOLEAN,
    DATETIME,
    NUMBER,
    TEXT,
    SparkColumn,
    compile_where,
)
from evalsoc.engines.spark_groups import ordered_groups
from evalsoc.engines.spark_session import check_java, spark_session
from evalsoc.engines.spark_sources import is_spark_table
from evalsoc.framework.expressions import Expression, parse_expression

ROW = "_row"
GROUP = "_g"


class SparkEngine:
    """Sources held by a Spark session (local or a cluster); see the module docstring."""

    name = "spark"

    def __init__(
        self,
        frames: dict[str, Any],
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: str | None = None,
        spark_master: str | None = None,
    ):
        check_java(spark_master)  # before any work: a missing Java is a usage error
        self.frames = frames  # shared with the caller: sources added later are seen
        self._settings: dict[str, Any] = {
            "master": spark_master,
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": temp_directory,
        }
        self._tables: dict[str, tuple[Any, Any, dict[str, SparkColumn]]] = {}
        self._masks: dict[tuple[str, str], Mask] = {}
        self._groupings: dict[tuple[str, str | None, tuple[str, ...]], tuple[Codes, Any, Any]] = {}
        self._planned: dict[tuple[str, str | None, tuple[str, ...]], list[Any]] = {}
        self._batches: dict[tuple[str, str | None, tuple[str, ...]], Any] = {}

    # --- what every engine answers -----------------------------------------------------

    def sources(self) -> list[str]:
        return list(self.frames)

    def length(self, source: str) -> int:
        return len(self.frames[source])

    def columns(self, source: str) -> list[str]:
        return [str(c) for c in self.frames[source].columns]

    def dtypes(self, source: str) -> dict[str, str]:
        return {str(c): str(t) for c, t in self.frames[source].dtypes.items()}

    def mask(self, source: str, expression: Expression) -> Mask:
        key = (source, expression.text)
        if key not in self._masks:
            positions = self._selected(source, expression).select(ROW).toPandas()[ROW]
            mask = np.zeros(self.length(source), dtype=bool)
            mask[positions.to_numpy(dtype=np.int64)] = True
            self._masks[key] = mask
        return self._masks[key]

    def rows(self, source: str, columns: Sequence[str] | None, where: Expression | None) -> Any:
        frame = self.frames[source]
        if is_spark_table(frame):  # read by Spark (data/spark_intake.py): only these rows
            selected = None
            if where is not None:
                where.check_columns(frame.columns)
                selected = compile_where(where.tree, where.text, frame, frame.spark_columns)
            return frame.to_pandas(columns, selected)
        if columns is not None:
            frame = frame[list(columns)]
        if where is None:
            return frame
        return frame.loc[self.mask(source, where)]

    def groups(self, source: str, where: Expression | None, by: Sequence[str]) -> tuple[Codes, Any]:
        codes, groups, _ = self._grouping(source, where, by)
        return codes, groups

    def grouped_statistics(
        self, source: str, where: Expression | None, spec: Any, columns: Sequence[str]
    ) -> Statistics:
        from evalsoc.engines.spark_grouped import GROUPED
        from evalsoc.sections.indicators.compute import QUANTITATIVE

        if spec.kind in GROUPED:
            answered: Statistics = self._answer(source, where, spec)[1].stats
            return answered
        # Not reducible in place: the kind's columns, collected, through the pandas reductions.
        codes, groups, _ = self._grouping(source, where, spec.by)
        frame = self.rows(source, list(columns), where)
        stats: Statistics = QUANTITATIVE[spec.kind].stats(spec, frame, codes, len(groups))
        return stats

    def plan_indicators(self, planned: Sequence[PlannedIndicator]) -> None:
        """The run's indicators (engines/base.py), told before the first is asked: those
        sharing a source, a `where` and a `by` are then answered by one Spark aggregation."""
        from evalsoc.engines.spark_grouped import GROUPED

        for item in planned:
            spec = item.spec
            if item.source in self.frames and spec.kind in GROUPED:
                key = (item.source, spec.where or None, tuple(spec.by))
                self._planned.setdefault(key, []).append(spec)
                if spec.kind == "median" and spec.by:  # its overall value: the whole's own
                    whole = (item.source, spec.where or None, ())
                    self._planned.setdefault(whole, []).append(spec.model_copy(update={"by": []}))

    def audit_rows(
        self, source: str, where: Expression | None, spec: Any, key: Sequence[str] = ()
    ) -> Any:
        """The rows behind an indicator's figures, sized and signed in Spark
        (engines/spark_audit.py); None for the kinds that need the pandas masks. `key` is not
        needed: Spark's `_row` already names each row."""
        from evalsoc.engines.spark_audit import SparkRows
        from evalsoc.engines.spark_grouped import GROUPED

        if spec.kind not in GROUPED:
            return None
        batch, answer = self._answer(source, where, spec)
        if where is None:
            from pyspark.sql import functions as F

            select = F.lit(True)
        else:
            _, columns = self._table(source)
            select = compile_where(where.tree, where.text, self.frames[source], columns)
        return SparkRows(self, source, spec, select, batch, answer)

    def _answer(self, source: str, where: Expression | None, spec: Any) -> tuple[Any, Any]:
        """The batch of (source, where, by) and `spec`'s answer in it: the planned indicators
        of that key in one aggregation, an unplanned one alone (its errors are its own)."""
        from evalsoc.engines.spark_grouped import compute_batch, fingerprint

        key = (source, where.text if where is not None else None, tuple(spec.by))
        wanted = fingerprint(spec)
        batch = self._batches.get(key)
        if batch is None:
            planned = self._planned.get(key, [])
            if not any(fingerprint(p) == wanted for p in planned):
                planned = [*planned, spec]
            batch = self._batches[key] = compute_batch(self, source, where, list(spec.by), planned)
        if wanted not in batch.answers:
            alone = compute_batch(self, source, where, list(spec.by), [spec], alone=True)
            batch.answers[wanted] = alone.answers[wanted]
        return batch, batch.answers[wanted]

    def did_cells(
        self,
        source: str,
        where: Expression | None,
        outcome: str,
        treatment: Expression,
        post: Expression,
        cluster: str | None,
    ) -> Any:
        """A 2×2 DiD's cell sums, no row collected (engines/base.py; engines/spark_cells.py)."""
        from evalsoc.engines.spark_cells import did_cells

        return did_cells(self, source, where, outcome, treatment, post, cluster)

    def ols_moments(self, request: Any) -> Any:
        """An OLS's grouped moments, no row collected (engines/base.py; spark_moments.py)."""
        from evalsoc.engines.spark_moments import ols_moments

        return ols_moments(self, request)

    def ols_second_pass(self, request: Any, terms: Any, kind: str) -> Any:
        """HC0–HC3 sums of a second scan (engines/base.py; spark_moments.py)."""
        from evalsoc.engines.spark_moments import ols_second_pass

        return ols_second_pass(self, request, terms, kind)

    # --- Spark DataFrames ------------------------------------------------------------------

    @property
    def session(self) -> Any:
        return spark_session(**self._settings)

    def _table(self, source: str) -> tuple[Any, dict[str, SparkColumn]]:
        """The source's Spark DataFrame and its columns, made again if the frame was replaced."""
        frame = self.frames[source]
        cached = self._tables.get(source)
        if is_spark_table(frame):  # already a Spark DataFrame (engines/spark_sources.py)
            self._tables[source] = (frame, frame.data, frame.spark_columns)
        elif cached is None or cached[0] is not frame:
            if cached is not None and not is_spark_table(cached[0]):
                cached[1].unpersist()  # the replaced frame's cached copy
            table, columns = spark_table(frame)
            self._tables[source] = (frame, cached_source(self.session, table), columns)
        _, data, columns = self._tables[source]
        return data, columns

    def spark_column(self, source: str, name: str) -> SparkColumn:
        return self._table(source)[1][name]

    def _selected(self, source: str, where: Expression | None) -> Any:
        data, columns = self._table(source)
        if where is None:
            return data
        frame = self.frames[source]
        where.check_columns(frame.columns)
        return data.filter(compile_where(where.tree, where.text, frame, columns))

    def condition(self, source: str, text: str) -> tuple[Any, list[str]]:
        """A `where`-language condition (proportion:, count:) as a Spark Column, and the
        columns it reads."""
        expression = parse_expression(text)
        frame = self.frames[source]
        expression.check_columns(frame.columns)
        _, columns = self._table(source)
        return compile_where(expression.tree, text, frame, columns), expression.columns

    def _grouping(
        self, source: str, where: Expression | None, by: Sequence[str]
    ) -> tuple[Codes, Any, Any]:
        """Codes per selected row, the pandas-ordered table of groups, and the selected rows
        with their group code in column `_g` (cached: later statistics reuse it)."""
        import pandas as pd
        from pyspark.sql import functions as F

        key = (source, where.text if where is not None else None, tuple(by))
        if key in self._groupings:
            return self._groupings[key]
        selected = self._selected(source, where)
        if not by:
            count = (
                int(self.mask(source, where).sum()) if where is not None else self.length(source)
            )
            coded = selected.withColumn(GROUP, F.lit(0))
            result = (np.zeros(count, dtype=np.int64), pd.DataFrame(index=[0]), coded)
            self._groupings[key] = result
            return result
        names = [self.spark_column(source, c).name for c in by]
        keys = [tuple(row) for row in selected.select(*names).distinct().collect()]
        table, order = ordered_groups(self.frames[source], list(by), keys, self)
        schema = selected.select(*names).schema
        key_names = [f"k{i}" for i in range(len(names))]
        lookup = self.session.createDataFrame(
            [(*keys[i], code) for code, i in enumerate(order)],
            schema=_with_code(schema, key_names),
        )
        on = None
        for name, key_name in zip(names, key_names):
            test = selected[name].eqNullSafe(lookup[key_name])
            on = test if on is None else on & test
        coded = selected.join(F.broadcast(lookup), on=on, how="inner").drop(*key_names).cache()
        codes = coded.select(ROW, GROUP).toPandas().sort_values(ROW)[GROUP].to_numpy(np.int64)
        result = (codes, table, coded)
        self._groupings[key] = result
        return result


def _with_code(schema: Any, key_names: list[str]) -> Any:
    from pyspark.sql.types import LongType, StructField, StructType

    fields = [StructField(k, f.dataType, True) for k, f in zip(key_names, schema.fields)]
    return StructType([*fields, StructField(GROUP, LongType(), False)])


# --- pandas → Arrow → Spark -----------------------------------------------------------------

ROWS_PER_PARTITION = 1_000_000  # an Arrow batch per partition: far below the JVM's 2 GB arrays


def cached_source(session: Any, table: Any) -> Any:
    """`table` as a Spark DataFrame in few partitions, cached by Spark at its first scan.

    Why: pyspark sends an Arrow table as one partition per `maxRecordsPerBatch` rows (10,000 by
    default: 100 tasks per scan at 10^6 rows, each with a fixed cost), and every action decoded
    all its columns again. Here one partition per core (at most 10^6 rows each), and the first
    aggregation leaves the source in Spark's columnar cache, where the ~40 later jobs of a run
    read only the columns they need (memory and disk: it spills to `spark.local.dir`)."""
    conf = session.conf
    setting = "spark.sql.execution.arrow.maxRecordsPerBatch"
    cores = _parallelism(session)
    rows = min(ROWS_PER_PARTITION, max(10_000, -(-table.num_rows // cores)))
    before = conf.get(setting)
    conf.set(setting, str(rows))
    try:
        data = session.createDataFrame(table)
    finally:
        conf.set(setting, before)
    return data.cache()


def _parallelism(session: Any) -> int:
    """The session's cores (a Spark Connect client cannot see them: 2 then)."""
    if type(session).__module__.startswith("pyspark.sql.connect"):
        return 2
    return max(1, int(session.sparkContext.defaultParallelism))


def spark_table(frame: Any) -> tuple[Any, dict[str, SparkColumn]]:
    """An Arrow table of `frame` for Spark: `_row` then one positional column per column
    (missing values as nulls, NaN included), and each column's Spark name and kind."""
    import pyarrow as pa

    arrays = [pa.array(np.arange(len(frame), dtype=np.int64))]
    names = [ROW]
    columns: dict[str, SparkColumn] = {}
    for i, (name, series) in enumerate(frame.items()):
        kind, array = _arrow_column(series)
        arrays.append(array)
        names.append(f"c{i}")
        columns[str(name)] = SparkColumn(f"c{i}", kind)
    return pa.Table.from_arrays(arrays, names=names), columns


def _arrow_column(series: Any) -> tuple[str, Any]:
    import pandas as pd
    import pyarrow as pa

    from evalsoc.engines.pandas_eval import _looks_numeric

    dtype = series.dtype
    missing = series.isna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.CategoricalDtype):
        return _arrow_column(
            series.astype(dtype.categories.dtype if len(dtype.categories) else object)
        )
    if pd.api.types.is_bool_dtype(dtype):
        return BOOLEAN, pa.array(series.to_numpy(dtype=object, na_value=None), pa.bool_())
    if pd.api.types.is_datetime64_any_dtype(dtype):
        naive = series.dt.tz_convert(None) if getattr(dtype, "tz", None) is not None else series
        nanoseconds = naive.to_numpy(dtype="datetime64[ns]").view(np.int64)
        return DATETIME, pa.array(nanoseconds, pa.int64(), mask=missing)
    if pd.api.types.is_numeric_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_integer_dtype(dtype):
            integers = (
                series.to_numpy(dtype=np.int64, na_value=0)
                if missing.any()
                else series.to_numpy(dtype=np.int64)
            )
            return NUMBER, pa.array(integers, pa.int64(), mask=missing)
        return NUMBER, pa.array(values, pa.float64(), mask=missing | np.isnan(values))
    present = series[~missing]
    if (
        pd.api.types.is_object_dtype(dtype)
        and len(present)
        and present.map(type).isin([bool, np.bool_]).all()
    ):
        return BOOLEAN, pa.array(series.to_numpy(dtype=object, na_value=None), pa.bool_())
    if pd.api.types.is_object_dtype(dtype) and _looks_numeric(series):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
        return NUMBER, pa.array(numbers, pa.float64(), mask=np.isnan(numbers))
    texts = [None if m else str(v) for v, m in zip(series.to_numpy(dtype=object), missing)]
    return TEXT, pa.array(texts, pa.large_string())
