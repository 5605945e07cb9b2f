"""Text declared boolean in a Parquet source read by Spark (data/spark_intake.py): a register
exported with its answers as words (`oui`/`non`). Its distinct spellings are few, so they are
converted on the driver by data/convert.py, exactly as the pandas intake converts them, and
joined back in Spark from a small broadcast table; the rows never leave Spark."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spark_intake imports this module (lazily): no import circle
    from evalsoc.data.spark_intake import Plan


def boolean_spellings(session: Any, raw: Any, plans: list[Plan], raw_names: list[str]) -> bool:
    """Each text column declared boolean: its distinct spellings (one aggregation for all),
    converted on the driver by data/convert.py as the pandas intake converts them, and left
    as a small broadcast table (`<r>_x`, `<r>_v`, `<r>_bad`) on the plan. False when a
    column has too many spellings (more than MAX_DISTINCT): the caller keeps the pandas path."""
    import pandas as pd
    from pyspark.sql import functions as F

    from evalsoc.data.convert import convert_column

    mapped = [(p, n) for p, n in zip(plans, raw_names, strict=True) if p.mapped]
    if not mapped:
        return True
    found = distinct_spellings(raw, [F.col(name) for _, name in mapped])
    if found is None:
        return False
    for (plan, name), spellings in zip(mapped, found, strict=True):
        original = pd.Series(spellings, dtype="str")
        values, bad, _ = convert_column(original, plan.spec, ".")
        table = pd.DataFrame(
            {
                f"{name}_x": original.astype(object),
                f"{name}_v": pd.Series(values.to_numpy(dtype=object), dtype="boolean"),
                f"{name}_bad": bad.to_numpy(dtype=bool),
            }
        )
        schema = f"{name}_x string, {name}_v boolean, {name}_bad boolean"
        plan.mapping = F.broadcast(session.createDataFrame(table, schema=schema))
    return True


def distinct_spellings(raw: Any, columns: list[Any]) -> list[list[str]] | None:
    """Each of `columns`' distinct texts, sorted, from one aggregation over `raw` (a Spark
    Column per column, NULL where a cell needs no conversion); None when there are more than
    MAX_DISTINCT per column on average (the intake then keeps the pandas path). Shared by the
    Parquet and CSV Spark intakes."""
    from pyspark.sql import functions as F

    from evalsoc.data.duckdb_columns import MAX_DISTINCT

    pairs = [F.struct(F.lit(j).alias("j"), c.alias("x")) for j, c in enumerate(columns)]
    limit = len(columns) * (MAX_DISTINCT + 1)
    spelled = (
        raw.select(F.inline(F.array(*pairs))).filter(F.col("x").isNotNull()).distinct().limit(limit)
    )
    found = spelled.toArrow()
    if found.num_rows >= limit:
        return None
    which = found.column("j").to_pylist()
    texts = found.column("x").to_pylist()
    return [
        sorted(t for k, t in zip(which, texts, strict=True) if k == j) for j in range(len(columns))
    ]
