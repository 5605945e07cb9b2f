"""An OLS's grouped moments computed by Spark (`SparkEngine.ols_moments`, `ols_second_pass`):
the Spark twin of engines/duckdb_moments.py (same rows kept and dropped, same groups, same
second scan), no row collected.

The conditions are the engine's Column compilations with evalsoc's missing-value semantics
(engines/spark_columns.py), the complete rows as in spark_cells.py. Per group: Spark's double
sums and its `covar_pop` (co-moments updated and merged by the parallel identity, as DuckDB's),
so the last bits may follow the order Spark merges partial results (within the documented 1e-9
relative tolerance). At most `max_groups + 1` groups are fetched (`TooManyGroups` beyond).
The second scan joins a broadcast table of the key groups' terms.
"""

from __future__ import annotations

import itertools
from typing import Any

from evalsoc.engines.base import MomentGroups, MomentRequest, TooManyGroups
from evalsoc.engines.duckdb_moments import LEVERAGE_POWER, moment_groups
from evalsoc.engines.duckdb_sql import NotCompiled


def _rows(engine: Any, request: MomentRequest) -> tuple[Any, int]:
    """The selected rows as (ok, y, d, p, g, x0…, k0…) and the number of numeric columns."""
    from pyspark.sql import functions as F

    from evalsoc.engines.duckdb_sql import BOOL, NUMBER, TEXT, column_kind
    from evalsoc.engines.spark_columns import NUMBER as SPARK_NUMBER
    from evalsoc.engines.spark_columns import compile_where
    from evalsoc.framework.expressions import ExpressionError

    source = request.source
    frame = engine.frames[source]
    kinds = {str(c): column_kind(t) for c, t in frame.dtypes.items()}
    if kinds.get(request.outcome) not in (NUMBER, BOOL):
        raise NotCompiled(request.outcome)
    if any(kinds.get(c) != NUMBER for c in request.numeric):
        raise NotCompiled("numeric column kind")
    if any(kinds.get(c) not in (BOOL, TEXT, NUMBER) for c in request.keys):
        raise NotCompiled("key column kind")
    selected = engine._selected(source, request.where)
    _, columns = engine._table(source)
    try:
        treated = compile_where(request.treatment.tree, request.treatment.text, frame, columns)
        after = F.lit(0)
        if request.post is not None:
            after = compile_where(request.post.tree, request.post.text, frame, columns)
    except ExpressionError:
        raise NotCompiled("condition") from None
    used = [request.outcome, *([request.cluster] if request.cluster else [])]
    used += [*request.numeric, *request.keys, *request.treatment.columns]
    used += request.post.columns if request.post is not None else []
    complete = F.lit(True)
    for name in dict.fromkeys(used):
        column = F.col(columns[name].name)
        test = column.isNotNull()
        if columns[name].kind == SPARK_NUMBER:
            test = test & ~F.isnan(column.cast("double"))
        complete = complete & test
    picked = [
        complete.alias("ok"),
        F.col(columns[request.outcome].name).cast("double").alias("y"),
        treated.cast("int").alias("d"),
        after.cast("int").alias("p"),
        F.col(columns[request.cluster].name).alias("g") if request.cluster else F.lit(0).alias("g"),
    ]
    picked += [
        F.col(columns[c].name).cast("double").alias(f"x{i}") for i, c in enumerate(request.numeric)
    ]
    for i, c in enumerate(request.keys):
        cast = {BOOL: "int", TEXT: "string", NUMBER: "double"}[kinds[c]]
        picked.append(F.col(columns[c].name).cast(cast).alias(f"k{i}"))
    return selected.select(*picked), len(request.numeric)


def ols_moments(engine: Any, request: MomentRequest) -> MomentGroups:
    """The first scan (duckdb_moments.py's docstring) as one Spark aggregation."""
    from pyspark.sql import functions as F

    rows, q = _rows(engine, request)
    varying = [*(f"x{i}" for i in range(q)), "y"]
    by = ["ok", "d", "p", "g", *(f"k{i}" for i in range(len(request.keys)))]
    aggregates = [F.count(F.lit(1)).alias("n"), *(F.sum(v).alias(f"s_{v}") for v in varying)]
    aggregates += [
        (F.covar_pop(a, b) * F.count(F.lit(1))).alias(f"c_{a}_{b}")
        for a, b in itertools.combinations_with_replacement(varying, 2)
    ]
    aggregates += [
        F.min(((F.col(v) == 0) | (F.col(v) == 1)).cast("int")).alias(f"zo_{v}") for v in varying
    ]
    aggregates += [F.min("y").alias("lo"), F.max("y").alias("hi")]
    found = rows.groupBy(*by).agg(*aggregates).limit(request.max_groups + 1).toPandas()
    if len(found) > request.max_groups:
        raise TooManyGroups(len(found))
    for v in varying:
        found[f"zo_{v}"] = found[f"zo_{v}"].fillna(1).astype(bool)
    return moment_groups(found, q, len(request.keys))


def ols_second_pass(engine: Any, request: MomentRequest, terms: Any, kind: str) -> Any:
    """The second scan (duckdb_moments.py's docstring): per key group sw, swx…, swx{i}x{j}…
    and top (the largest leverage), as a pandas DataFrame."""
    from pyspark.sql import functions as F

    rows, q = _rows(engine, request)
    centre = terms.attrs["centre"]
    table = terms.copy()
    table.attrs = {}
    keys = [c for c in table.columns if c == "d" or c == "p" or c.startswith("k")]
    small = F.broadcast(engine.session.createDataFrame(table))
    joined = rows.filter(F.col("ok")).join(small, on=keys, how="inner")
    centred = [F.col(f"x{i}") - F.lit(float(centre[i])) for i in range(q)]
    fitted = F.col("alpha")
    leverage = F.col("h0")
    for i in range(q):
        fitted = fitted + F.col(f"s{i}") * centred[i]
        leverage = leverage + F.col(f"b{i}") * centred[i]
        for j in range(q):
            leverage = leverage + F.col(f"D{i}_{j}") * centred[i] * centred[j]
    e = F.col("y") - fitted
    power = LEVERAGE_POWER[kind]
    weight = e * e if power == 0 else e * e / F.pow(F.lit(1.0) - leverage, F.lit(float(power)))
    staged = joined.select(
        "grp",
        weight.alias("w"),
        leverage.alias("h"),
        *(c.alias(f"n{i}") for i, c in enumerate(centred)),
    )
    sums = [
        F.sum("w").alias("sw"),
        *(F.sum(F.col("w") * F.col(f"n{i}")).alias(f"swx{i}") for i in range(q)),
    ]
    sums += [
        F.sum(F.col("w") * F.col(f"n{i}") * F.col(f"n{j}")).alias(f"swx{i}x{j}")
        for i in range(q)
        for j in range(i, q)
    ]
    return staged.groupBy("grp").agg(*sums, F.max("h").alias("top")).toPandas()
