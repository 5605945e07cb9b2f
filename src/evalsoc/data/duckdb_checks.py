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
    connection: Any,
    table: str,
    plans: list[Plan],
    source: Any,
    originals: Any,
    complete: set[str] | None = None,
    rows: int | None = None,
) -> list[Any]:
    """Frames of (_row, _column, _check, _value), as data/validate.py gathers them: the key's
    duplicates first, as pandera lists its schema-wide check before the columns' (a cell that
    is both a duplicate key and a duplicate `unique` value keeps the key's reason).

    Every check is first counted in one aggregate pass over `table` (one scan, as a
    hand-written statement would); only a check that fails is read again for its rows.
    `complete`, when given, receives the columns without a missing value in any row (so
    none among the rows kept either), counted in the same pass. `rows` (the table's, when
    known) lets a number column's uniqueness be tested without count(DISTINCT) (`_distinct`)."""
    checks = _checks(table, plans)
    fetched = rows is not None and rows <= UNIQUE_FETCHED_AT_MOST
    counts = _counted(connection, table, plans, source, checks, fetched)
    if complete is not None:
        complete.update(p.name for j, p in enumerate(plans) if counts.pop(f"complete{j}"))
    problems = []
    if source.key and counts.pop("key"):
        problems.extend(_key_duplicates(connection, table, plans, list(source.key)))
    for j, plan in enumerate(plans):
        if plan.spec is None:
            continue
        if counts.get(f"failed{j}"):
            rows = connection.execute(
                f"SELECT {ROW} AS _row FROM {table} WHERE {failed_name(j)} ORDER BY {ROW}"
            ).fetchnumpy()["_row"]
            cells = originals.column(plan, rows).astype(str).to_numpy()
            problems.append(_problems(rows, plan.name, plan.check, cells))
        for k, (check, where, _) in enumerate(checks[j]):
            if not counts[f"check{j}_{k}"]:
                continue
            found, values = _select(connection, table, plan, value_name(j), where)
            problems.append(_problems(found, plan.name, check, _shown(values)))
    return problems


def _checks(table: str, plans: list[Plan]) -> dict[int, list[tuple[str, str, str]]]:
    """Each declared column's checks: (pandera's wording, SQL selecting its failing rows, an
    aggregate saying whether any row fails: min/max/count where they say it, as they cost
    less than a test per row; "" for `unique`, counted apart)."""
    found: dict[int, list[tuple[str, str, str]]] = {}
    for j, plan in enumerate(plans):
        spec = plan.spec
        if spec is None:
            continue
        value = value_name(j)
        checks: list[tuple[str, str, str]] = found.setdefault(j, [])
        if not spec.nullable:
            checks.append(
                ("missing value (not nullable)", f"{value} IS NULL", f"count({value}) < count(*)")
            )
        if spec.min is not None:
            least = f"{float(spec.min)!r}"
            checks.append((f"min {spec.min:g}", f"{value} < {least}", f"min({value}) < {least}"))
        if spec.max is not None:
            most = f"{float(spec.max)!r}"
            checks.append((f"max {spec.max:g}", f"{value} > {most}", f"max({value}) > {most}"))
        if spec.values is not None and spec.type in TEXT_TYPES:
            allowed = [str(v) for v in spec.values]
            listed = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed)
            where = f"{value} NOT IN ({listed})"
            checks.append((f"one of {', '.join(allowed)}", where, f"bool_or({where})"))
        elif spec.values is not None and spec.type in ("integer", "number"):
            listed = ", ".join(repr(float(v)) for v in spec.values)
            shown = ", ".join(map(str, spec.values))
            where = f"CAST({value} AS DOUBLE) NOT IN ({listed})"
            checks.append((f"one of {shown}", where, f"bool_or({where})"))
        if spec.unique:
            checks.append(
                (
                    "duplicate value (unique)",
                    f"{value} IN (SELECT {value} FROM {table} WHERE {value} IS NOT NULL "
                    f"GROUP BY {value} HAVING count(*) > 1)",
                    "",
                )
            )
    return found


def _counted(
    connection: Any,
    table: str,
    plans: list[Plan],
    source: Any,
    checks: dict[int, list[tuple[str, str, str]]],
    fetched: bool = False,
) -> dict[str, bool]:
    """Whether each check has a failing row, from one aggregate query: `key` (the source key
    repeats, missing equal to missing, as count(DISTINCT row(...)) counts them), `failed{j}`
    (a conversion failure), `check{j}_{k}` (the k-th check of column j; `unique` as fewer
    distinct present values than present values). Each aggregate is computed once (a
    count(DISTINCT) of a 10^7-row column costs seconds; a key is often also `unique`).
    With `fetched`, an integer or number column's count(DISTINCT) is `_distinct`'s instead."""
    position = {p.name: j for j, p in enumerate(plans)}
    aggregates: dict[str, str] = {}  # SQL → alias
    apart: dict[str, str] = {}  # alias → the column whose distinct values `_distinct` counts
    numeric = {value_name(j) for j, p in enumerate(plans) if _numeric(p)} if fetched else set()

    def add(sql: str) -> str:
        found = aggregates.setdefault(sql, f"a{len(aggregates)}")
        column = sql[len("count(DISTINCT ") : -1] if sql.startswith("count(DISTINCT ") else ""
        if column in numeric:
            apart[found] = column
        return found

    tests: dict[str, Any] = {}  # check name → function of the aggregates' values
    if len(source.key) == 1:  # missing values are one more distinct key
        value = value_name(position[source.key[0]])
        distinct, present, rows = (
            add(f"count(DISTINCT {value})"),
            add(f"count({value})"),
            add("count(*)"),
        )
        tests["key"] = lambda v: v[distinct] + (v[rows] > v[present]) < v[rows]
    elif source.key:
        listed = ", ".join(value_name(position[k]) for k in source.key)
        distinct, rows = add(f"count(DISTINCT row({listed}))"), add("count(*)")
        tests["key"] = lambda v: v[distinct] < v[rows]
    for j, plan in enumerate(plans):
        if plan.spec is not None and can_fail(plan):
            tests[f"failed{j}"] = _flag(add(f"bool_or({failed_name(j)})"))
        value = value_name(j)
        tests[f"complete{j}"] = _flag(add(f"count({value}) = count(*)"))
        for k, (_, _, aggregate) in enumerate(checks.get(j, [])):
            if not aggregate:  # unique
                distinct, present = add(f"count(DISTINCT {value})"), add(f"count({value})")
                tests[f"check{j}_{k}"] = _fewer(distinct, present)
            else:
                tests[f"check{j}_{k}"] = _flag(add(aggregate))
    if not aggregates:
        return {}
    passed = {sql: alias for sql, alias in aggregates.items() if alias not in apart}
    values: dict[str, Any] = {}
    if passed:
        selected = ", ".join(f"{sql} AS {alias}" for sql, alias in passed.items())
        found = connection.execute(f"SELECT {selected} FROM {table}").fetchall()[0]
        values = dict(zip(passed.values(), found, strict=True))
    for alias, column in apart.items():
        values[alias] = _distinct(connection, table, column)
    return {name: bool(test(values)) for name, test in tests.items()}


UNIQUE_FETCHED_AT_MOST = 20_000_000
"""Rows up to which a number column's uniqueness is tested on its fetched values (`_distinct`:
8 bytes a row, 160 MB at most); above, by count(DISTINCT) in the checks' pass, as before."""


def _numeric(plan: Plan) -> bool:
    return plan.spec is not None and plan.spec.type in ("integer", "number")


def _distinct(connection: Any, table: str, column: str) -> int:
    """count(DISTINCT column) of a number column, exactly. Keys and `unique` columns usually
    come in order (1, 2, 3...): when the present values, as fetched, strictly increase or
    strictly decrease, they are all distinct, and no hash table is built (count(DISTINCT) cost
    ≈ 0.15 s CPU at 10^6 rows, the fetch and the test ≈ 0.035 s). Otherwise count(DISTINCT)."""
    import numpy as np

    found = connection.execute(
        f"SELECT {column} AS v FROM {table} WHERE {column} IS NOT NULL"
    ).fetchnumpy()["v"]
    values = np.asarray(found)
    if values.dtype.kind in "iuf":  # NaN compares false either way: counted below
        if (values[1:] > values[:-1]).all() or (values[1:] < values[:-1]).all():
            return len(values)
    counted = connection.execute(f"SELECT count(DISTINCT {column}) FROM {table}").fetchall()
    return int(counted[0][0])


def _flag(alias: str) -> Any:
    return lambda values: bool(values[alias])  # bool_or of no row, or of NULLs only: NULL


def _fewer(distinct: str, present: str) -> Any:
    return lambda values: values[distinct] < values[present]


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
