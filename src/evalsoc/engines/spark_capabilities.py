"""A capability set scored row by row in Spark, then grouped: the cells, not the persons.

The Spark twin of engines/duckdb_capabilities.py, written as Column expressions (Spark's
columns have positional names, so no user text reaches SQL): items read as numbers (booleans
0/1, declared ordered levels 1..L), reverse coding `(low + high) − x`, a dimension's score as
the items added left to right (then divided: numpy's order, so each row's score has pandas'
bits), `score < cutoff`, or a `deprived:` condition compiled by engines/spark_columns.py with
evalsoc's missing-value semantics; a row is missing on a dimension when one of its watched
columns is missing (null or NaN). Columns are read with DuckDB's kinds (duckdb_sql.column_kind
on the pandas dtypes), so both engines refuse the same declarations (`NotCompiled`).

One `groupBy` then returns a row per distinct (flags, scores, design position, labels) with
its persons and its summed weights and squared weights. Spark sums doubles in an order that
depends on its partitions, so the weights are summed as DECIMAL(38, 18) (each double read
from its shortest decimal text, exact to 18 places; the sum exact): the same bits on every
run and partitioning, within 1e-18 per person of the exact sum, rounded once to a double in
Python. A weight or sum out of DECIMAL's range raises `BeyondDecimal` (rows collected).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evalsoc.engines.duckdb_capabilities import (
    DESIGN_OK,
    MISSING_TEXT,
    PERSONS,
    WEIGHT,
    WEIGHT_SQ,
)
from evalsoc.engines.duckdb_sql import BOOL, NUMBER, TEXT, NotCompiled, column_kind
from evalsoc.engines.spark_columns import BOOLEAN, compile_where
from evalsoc.engines.spark_columns import NUMBER as SPARK_NUMBER
from evalsoc.engines.spark_columns import TEXT as SPARK_TEXT
from evalsoc.framework.expressions import parse_expression


class BeyondDecimal(NotCompiled):
    """A weight or a cell's sum out of DECIMAL(38, 18)'s range: the rows are collected."""


EXACT_SUM = "decimal(38,18)"  # sums below 10^20 (squared weights of 10^8 persons ≤ 10^6)
_SAME_KIND = {BOOL: BOOLEAN, NUMBER: SPARK_NUMBER, TEXT: SPARK_TEXT}


def column_kinds(engine: Any, source: str) -> dict[str, str]:
    """Each column's kind as DuckDB reads it (duckdb_sql.column_kind of its pandas dtype), or
    "other" where Spark holds it otherwise (an object column read as numbers...)."""
    frame = engine.frames[source]
    held = engine._table(source)[1]
    kinds = {}
    for column, dtype in frame.dtypes.items():
        kind = column_kind(dtype)
        spark = held.get(str(column))
        same = spark is not None and _SAME_KIND.get(kind) == spark.kind
        kinds[str(column)] = kind if same else "other"
    return kinds


class _Row:
    """The Column expressions of one scored row, named as duckdb_capabilities names them."""

    def __init__(self, engine: Any, source: str, declared: dict[str, Any]):
        self.frame = engine.frames[source]
        self.held = engine._table(source)[1]
        self.kinds = column_kinds(engine, source)
        self.declared = declared
        self.first: dict[str, Any] = {}  # read the source's columns
        self.then: dict[str, Any] = {}  # read the items of `first` by their names

    def col(self, name: str) -> Any:
        from pyspark.sql import functions as F

        return F.col(self.held[name].name)

    def add(self, column: Any, alias: str, then: bool = False) -> None:
        (self.then if then else self.first)[alias] = column

    def missing(self, name: str) -> Any:
        """True when `name` is missing as pandas' `isna` sees it (null, or NaN)."""
        from pyspark.sql import functions as F

        kind = self.kinds.get(name)
        if kind == NUMBER:
            return self.col(name).isNull() | F.isnan(self.col(name).cast("double"))
        if kind in (BOOL, TEXT):
            return self.col(name).isNull()
        raise NotCompiled(f"column {name!r} has no type Spark reads as pandas does")

    def item(self, name: str) -> tuple[Any, tuple[float, float] | None]:
        """An item as a double (null when missing) and its declared scale."""
        from pyspark.sql import functions as F

        kind = self.kinds.get(name)
        declared = self.declared.get(name)
        levels = getattr(declared, "levels", None)
        values = getattr(declared, "values", None)
        ordered = levels if isinstance(levels, list) else values
        if kind == BOOL:
            return self.col(name).cast("double"), (0.0, 1.0)
        if kind == NUMBER:
            number = self.col(name).cast("double")
            column = F.when(~F.isnan(number), number)  # NaN → null; null stays null
            if isinstance(levels, int):
                return column, (1.0, float(levels))
            if ordered and all(isinstance(v, (int, float)) for v in ordered):
                return column, (float(min(ordered)), float(max(ordered)))
            return column, None
        if kind == TEXT and ordered:
            text = self.col(name).cast("string")
            mapped = F.when(text == F.lit(str(ordered[0])), F.lit(1.0))
            for i, value in enumerate(ordered[1:], start=2):
                mapped = mapped.when(text == F.lit(str(value)), F.lit(float(i)))
            return mapped, (1.0, float(len(ordered)))
        raise NotCompiled(f"item {name!r} is not read as a number without its rows")

    def dimension(self, j: int, dim: Any, spec: Any) -> bool:
        """d{j} (deprived), m{j} (missing), and for a cutoff s{j} (score) and x{j}_{i} (the
        items, reverse-coded). Returns whether the dimension has a score."""
        from pyspark.sql import functions as F

        false = F.lit(False)
        if dim.deprived is not None:
            expression = parse_expression(dim.deprived)
            expression.check_columns(self.frame.columns)
            condition = compile_where(expression.tree, dim.deprived, self.frame, self.held)
            watched = dim.items or expression.columns
            missing = false
            for column in watched:
                missing = missing | self.missing(column)
            self.add(missing, f"m{j}")
            self.add(condition & ~missing, f"d{j}")
            return False
        items = []
        for i, name in enumerate(dim.items):
            column, scale = self.item(name)
            if name in dim.reverse:
                if scale is None and spec.likert_levels:
                    scale = (1.0, float(spec.likert_levels))
                if scale is None:
                    raise NotCompiled(f"reverse item {name!r} without a declared scale")
                column = F.lit(float(scale[0] + scale[1])) - column
            self.add(column, f"x{j}_{i}")
            items.append(F.col(f"x{j}_{i}"))
        total = items[0]
        for item in items[1:]:  # left to right, as numpy adds a row's few items
            total = total + item
        score = total if dim.combine == "sum" else total / F.lit(float(len(items)))
        missing = items[0].isNull()
        for item in items[1:]:
            missing = missing | item.isNull()
        self.add(missing, f"m{j}", then=True)
        self.add(score, f"s{j}", then=True)
        self.add(F.coalesce(score < F.lit(float(dim.cutoff)), false) & ~missing, f"d{j}", True)
        return True


def _scored(
    engine: Any,
    source: str,
    where: Any,
    spec: Any,
    declared: dict[str, Any],
    keys: Sequence[str],
) -> tuple[Any, list[bool]]:
    """The selected rows scored (flags, scores, items, weight, design, keys as k0, k1...), a
    Spark DataFrame in two steps (items, then what reads them), and which dimensions have a
    score."""
    from pyspark.sql import functions as F

    row = _Row(engine, source, declared)
    selected = engine._selected(source, where)
    cutoffs = [row.dimension(j, dim, spec) for j, dim in enumerate(spec.dimensions)]
    ok = F.lit(True)
    if spec.weight:
        if row.kinds.get(spec.weight) != NUMBER:
            raise NotCompiled(f"sampling weight {spec.weight!r} is not a number column")
        w = row.col(spec.weight).cast("double")
        ok = F.coalesce(~F.isnan(w) & (w > 0) & (w < F.lit(float("inf"))), F.lit(False))
        row.add(F.when(ok, w), "_w")
    for column in (spec.cluster, spec.strata):
        if column:
            ok = ok & ~row.missing(column)
    row.add(ok, DESIGN_OK)
    for i, column in enumerate(keys):
        row.missing(column)  # a type Spark reads as pandas does, or NotCompiled
        row.add(row.col(column), f"k{i}")
    first = selected.select(*[column.alias(name) for name, column in row.first.items()])
    then = [column.alias(name) for name, column in row.then.items()]
    return first.select(*[F.col(name) for name in row.first], *then), cutoffs


def scored_cells(
    engine: Any,
    source: str,
    where: Any,
    spec: Any,
    declared: dict[str, Any],
    keys: list[str],
    *,
    keep_scores: bool,
    ranked: Sequence[str] = (),
) -> Any:
    """duckdb_capabilities.scored_cells on Spark: one row per distinct (flags, scores, design
    position, labels) with its persons and summed (squared) weights, as a pandas DataFrame
    whose key columns are named as in the data; `ranked` text keys come as the dense rank of
    their text (missing written "(missing)")."""
    import numpy as np
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    scored, cutoffs = _scored(engine, source, where, spec, declared, keys)
    n = len(spec.dimensions)
    outer = [f"d{j}" for j in range(n)] + [f"m{j}" for j in range(n)]
    outer += [f"s{j}" for j, has in enumerate(cutoffs) if has and keep_scores]
    outer += [f"k{i}" for i in range(len(keys))] + [DESIGN_OK]
    sums = [F.count(F.lit(1)).alias(PERSONS)]
    if spec.weight:
        w = F.col("_w")
        sums += [
            F.try_sum(w.try_cast(EXACT_SUM)).alias(WEIGHT),
            F.try_sum((w * w).try_cast(EXACT_SUM)).alias(WEIGHT_SQ),
            F.count(w).alias("_n_w"),
            F.count(w.try_cast(EXACT_SUM)).alias("_n_exact"),
            F.count((w * w).try_cast(EXACT_SUM)).alias("_n_exact_sq"),
        ]
    grouped = scored.groupBy(*outer).agg(*sums)
    for column in ranked:
        i = keys.index(column)
        text = F.coalesce(F.col(f"k{i}").cast("string"), F.lit(MISSING_TEXT))
        grouped = grouped.withColumn(f"k{i}", F.dense_rank().over(Window.orderBy(text)))
    frame = grouped.toPandas()
    if spec.weight:
        frame = _exact_weights(frame, np)
    return frame.rename(columns={f"k{i}": name for i, name in enumerate(keys)})


def _exact_weights(frame: Any, np: Any) -> Any:
    """The DECIMAL sums as doubles (rounded once); NotCompiled when one overflowed."""
    counted = frame["_n_w"].to_numpy(np.int64)
    for column, exact in ((WEIGHT, "_n_exact"), (WEIGHT_SQ, "_n_exact_sq")):
        values = frame[column].tolist()
        lost = frame[exact].to_numpy(np.int64) != counted
        lost |= np.asarray([v is None for v in values]) & (counted > 0)
        if lost.any():
            raise BeyondDecimal("a sampling weight or its sum is beyond DECIMAL(38, 18)")
        frame[column] = np.asarray([np.nan if v is None else float(v) for v in values], float)
    return frame.drop(columns=["_n_w", "_n_exact", "_n_exact_sq"])


def reliability_cells(
    engine: Any,
    source: str,
    where: Any,
    spec: Any,
    declared: dict[str, Any],
    dimensions: Sequence[int],
) -> Any:
    """duckdb_capabilities.reliability_cells on Spark: the reverse-coded items of
    `dimensions`, one row per distinct answers with its persons (`_keep`, `m{j}`)."""
    from pyspark.sql import functions as F

    scored, _ = _scored(engine, source, where, spec, declared, [])
    keep = F.col(DESIGN_OK)
    if spec.missing == "drop":
        for j in range(len(spec.dimensions)):
            keep = keep & ~F.col(f"m{j}")
    names = ["_keep"]
    for j in dimensions:
        names += [f"m{j}", *(f"x{j}_{i}" for i in range(len(spec.dimensions[j].items)))]
    rows = scored.select(keep.alias("_keep"), *names[1:])
    return rows.groupBy(*names).agg(F.count(F.lit(1)).alias(PERSONS)).toPandas()
