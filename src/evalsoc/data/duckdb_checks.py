"""The checks of data/validate.py (pandera's schema there) as SQL over the converted table of
the DuckDB intake, each failure worded and valued as pandera reports it.

Conversion failures; `nullable: false`; `min`, `max`; allowed `values` (text compared as text,
numbers as numbers); `unique` (missing values are not duplicates); the source `key` (missing
values are equal there, as pandas' `duplicated` has it, and only present values are listed).
Missing values pass `min`, `max` and `values`, as pandera's checks ignore them.
"""

from __future__ import annotations

from typing import Any

from evalsoc.data.duckdb_columns import ROW, TEXT_TYPES, Plan, can_fail, failed_name, value_name
from evalsoc.engines.duckdb_table import quoted


def _problems(rows: Any, column: str, check: str, values: Any) -> Any:
    import pandas as pd

    return pd.DataFrame({"_row": rows, "_column": column, "_check": check, "_value": values})


def _shown(values: Any) -> Any:
    """Values as pandera's failure cases print them (str of each; missing stays missing)."""
    import pandas as pd

    return pd.Series(values, dtype=object).astype(str).to_numpy()


def _select(connection: Any, table: str, plan: Plan, column: str, where: str) -> Any:
    """(rows, values as pandas holds them) where `where` holds."""
    frame = (
        connection.sql(
            f"SELECT {ROW} AS _row, {column} AS v FROM {table} WHERE {where} ORDER BY {ROW}"
        )
        .to_arrow_table()
        .to_pandas()
    )
    values = frame["v"].astype(plan.dtype).astype(object).to_numpy()
    return frame["_row"].to_numpy(dtype="int64"), values


def failures_of(
    connection: Any, table: str, plans: list[Plan], source: Any, originals: Any
) -> list[Any]:
    """Frames of (_row, _column, _check, _value), as data/validate.py gathers them: the key's
    duplicates first, as pandera lists its schema-wide check before the columns' (a cell that
    is both a duplicate key and a duplicate `unique` value keeps the key's reason)."""
    problems = []
    if source.key:
        problems.extend(_key_duplicates(connection, table, plans, list(source.key)))
    for j, plan in enumerate(plans):
        spec = plan.spec
        if spec is None:
            continue
        value = value_name(j)
        rows: Any = []
        if can_fail(plan):
            rows = connection.execute(
                f"SELECT {ROW} AS _row FROM {table} WHERE {failed_name(j)} ORDER BY {ROW}"
            ).fetchnumpy()["_row"]
        if len(rows):
            cells = originals.column(plan, rows).astype(str).to_numpy()
            problems.append(_problems(rows, plan.name, plan.check, cells))
        checks: list[tuple[str, str]] = []
        if not spec.nullable:
            checks.append(("missing value (not nullable)", f"{value} IS NULL"))
        if spec.min is not None:
            checks.append((f"min {spec.min:g}", f"{value} < {float(spec.min)!r}"))
        if spec.max is not None:
            checks.append((f"max {spec.max:g}", f"{value} > {float(spec.max)!r}"))
        if spec.values is not None and spec.type in TEXT_TYPES:
            allowed = [str(v) for v in spec.values]
            listed = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed)
            checks.append((f"one of {', '.join(allowed)}", f"{value} NOT IN ({listed})"))
        elif spec.values is not None and spec.type in ("integer", "number"):
            listed = ", ".join(repr(float(v)) for v in spec.values)
            shown = ", ".join(map(str, spec.values))
            checks.append((f"one of {shown}", f"CAST({value} AS DOUBLE) NOT IN ({listed})"))
        if spec.unique:
            checks.append(
                (
                    "duplicate value (unique)",
                    f"{value} IN (SELECT {value} FROM {table} WHERE {value} IS NOT NULL "
                    f"GROUP BY {value} HAVING count(*) > 1)",
                )
            )
        for check, where in checks:
            found, values = _select(connection, table, plan, value, where)
            if len(found):
                problems.append(_problems(found, plan.name, check, _shown(values)))
    return problems


def _key_duplicates(connection: Any, table: str, plans: list[Plan], key: list[str]) -> list[Any]:
    """Rows whose key repeats another row's (missing equal to missing), one failure per key
    column holding a value, as pandera's multiple_fields_uniqueness lists them."""
    position = {p.name: j for j, p in enumerate(plans)}
    columns = [value_name(position[k]) for k in key]
    listed = ", ".join(columns)
    matched = " AND ".join(f"t.{c} IS NOT DISTINCT FROM d.{c}" for c in columns)
    dup_rows = (
        f"SELECT t.{ROW} FROM {table} t JOIN (SELECT {listed} FROM {table} GROUP BY ALL "
        f"HAVING count(*) > 1) d ON {matched}"
    )
    check = f"duplicate key ({', '.join(key)})"
    problems = []
    for name, column in zip(key, columns, strict=True):
        plan = plans[position[name]]
        where = f"{ROW} IN ({dup_rows}) AND {column} IS NOT NULL"
        found, values = _select(connection, table, plan, column, where)
        if len(found):
            problems.append(_problems(found, name, check, _shown(values)))
    return problems


__all__ = ["failures_of", "quoted"]
