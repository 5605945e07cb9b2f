"""A 2×2 DiD's cell sums computed by Spark (`SparkEngine.did_cells`): one aggregation, no row
collected; the Spark twin of engines/duckdb_cells.py (same rows kept and dropped, same groups).

The `where`, `treatment` and `post` conditions are the engine's Column compilations with
evalsoc's missing-value semantics (engines/spark_columns.py); a row missing the outcome, the
cluster or a condition's column (null, or NaN in a number column) is dropped and counted, as
`compute.prepare_frame` drops it. Sums are Spark's double sums of y and y²: exact for a 0/1
outcome; for a continuous one the last bits may depend on the order Spark merges its partial
sums (within the documented 1e-9 relative tolerance, like the engine's indicator sums).
A condition Spark cannot read as pandas does raises `NotCompiled`: the effect collects then.
"""

from __future__ import annotations

from typing import Any

from evalsoc.engines.base import CellSums
from evalsoc.engines.duckdb_sql import NotCompiled
from evalsoc.framework.expressions import Expression


def _numeric(dtype: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))


def did_cells(
    engine: Any,
    source: str,
    where: Expression | None,
    outcome: str,
    treatment: Expression,
    post: Expression,
    cluster: str | None,
) -> CellSums:
    """The groups of a DiD's rows (engines/duckdb_cells.py's docstring); NotCompiled when the
    conditions or columns have no Spark reading equal to pandas'."""
    from pyspark.sql import functions as F

    from evalsoc.engines.duckdb_cells import cell_sums
    from evalsoc.engines.spark_columns import NUMBER, compile_where
    from evalsoc.framework.expressions import ExpressionError

    frame = engine.frames[source]
    if not _numeric(frame[outcome].dtype):
        raise NotCompiled(outcome)
    selected = engine._selected(source, where)
    _, columns = engine._table(source)
    try:
        treated = compile_where(treatment.tree, treatment.text, frame, columns)
        after = compile_where(post.tree, post.text, frame, columns)
    except ExpressionError:
        raise NotCompiled("condition") from None
    used = list(dict.fromkeys([outcome, *([cluster] if cluster else [])]))
    used += [c for c in [*treatment.columns, *post.columns] if c not in used]
    complete = F.lit(True)
    for name in used:
        column = F.col(columns[name].name)
        test = column.isNotNull()
        if columns[name].kind == NUMBER:
            test = test & ~F.isnan(column.cast("double"))
        complete = complete & test
    y = F.col(columns[outcome].name).cast("double")
    picked = [
        complete.alias("ok"),
        y.alias("y"),
        treated.cast("int").alias("d"),
        after.cast("int").alias("p"),
    ]
    if cluster:
        picked.append(F.col(columns[cluster].name).alias("g"))
    by = ["ok", "d", "p", *(["g"] if cluster else [])]
    value = F.col("y")
    found = (
        selected.select(*picked)
        .groupBy(*by)
        .agg(
            F.count(F.lit(1)).alias("n"),
            F.sum(value).alias("sy"),
            F.sum(value * value).alias("syy"),
            F.min(value).alias("lo"),
            F.max(value).alias("hi"),
            F.min(((value == 0) | (value == 1)).cast("int")).alias("binary"),
        )
        .toPandas()
    )
    found["binary"] = found["binary"].fillna(1).astype(bool)
    return cell_sums(found, cluster is not None)
