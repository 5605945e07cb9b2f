"""Groups read back from Spark, ordered and typed as the pandas engine orders them.

Apart from engines/spark.py so that the grouped indicators (spark_grouped.py) and the engine
share it without importing each other.
"""

from __future__ import annotations

from typing import Any


def ordered_groups(
    frame: Any, by: list[str], keys: list[tuple[Any, ...]], engine: Any
) -> tuple[Any, list[int]]:
    """The table of groups as pandas' `group_codes` makes it (sorted per column by its pandas
    type, missing last) and, for each group in that order, its index in `keys`."""
    import pandas as pd

    from evalsoc.sections.indicators.compute import factorize_column

    per_column: list[tuple[Any, list[Any]]] = []
    for j, column in enumerate(by):
        series = as_pandas_values([k[j] for k in keys], frame[column])
        per_column.append(factorize_column(series))
    combined = [tuple(int(codes[i]) for codes, _ in per_column) for i in range(len(keys))]
    order = sorted(range(len(keys)), key=lambda i: combined[i])
    rows = [[per_column[j][1][combined[i][j]] for j in range(len(by))] for i in order]
    table = pd.DataFrame(rows, columns=by) if rows else pd.DataFrame(columns=by)
    return table, order


def as_pandas_values(values: list[Any], original: Any) -> Any:
    """Values read back from Spark as a pandas Series of the source column's own type (so that
    factorize sorts and prints them exactly as the pandas engine does)."""
    import pandas as pd

    dtype = original.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = pd.to_datetime(pd.Series(values, dtype="Int64"), unit="ns")
        return stamps.astype(dtype) if getattr(dtype, "tz", None) is None else stamps
    if pd.api.types.is_object_dtype(dtype):
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=dtype)
