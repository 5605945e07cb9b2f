"""The checks of data/validate.py (pandera's schema there) as Spark column expressions over the
converted rows of the Spark intake (data/spark_intake.py), each failure worded and valued as
pandera reports it (the same rules as data/duckdb_checks.py, tested against the pandas
intake).

Every check is counted in one aggregation (one scan); only a check that fails is read again
for its rows, and only those rows reach the driver. Conversion failures (an infinite number in
a `number` column); `nullable: false`; `min`, `max`; allowed `values` (text compared as text,
numbers as numbers); `unique` (missing values are not duplicates); the source `key` (missing
values equal there, as pandas' `duplicated` has it, and only present values listed). Missing
values pass `min`, `max` and `values`, as pandera's checks ignore them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FILE_ROW = "_file_row"


def _problems(rows: Any, column: str, check: str, values: Any) -> Any:
    import pandas as pd

    return pd.DataFrame({"_row": rows, "_column": column, "_check": check, "_value": values})


def _collected(selected: Any, plan: Any, value: str) -> tuple[Any, Any]:
    """(rows, values as pandas holds them: a Series of the column's dtype) of the rows of
    `selected`, in file order."""
    import pandas as pd

    arrow = selected.select(FILE_ROW, value).orderBy(FILE_ROW).toArrow()
    rows = arrow.column(FILE_ROW).to_numpy().astype("int64")
    cells = arrow.column(value).to_pandas()
    if pd.api.types.is_datetime64_any_dtype(plan.dtype):
        cells = pd.to_datetime(pd.Series(cells, dtype="Int64"), unit="ns")
    return rows, pd.Series(cells).astype(plan.dtype)


def _shown(found: list[tuple[Any, str, str, Any]]) -> list[Any]:
    """The schema checks' failures with their values printed as pandera prints them: pandera
    concatenates every failing check's cases into one `failure_case` column, whose common
    dtype decides the text (an integer id beside a failing double prints `0.0`)."""
    import pandas as pd

    if not found:
        return []
    values = pd.concat([cells for *_, cells in found], ignore_index=True).astype(str).to_numpy()
    problems, start = [], 0
    for rows, column, check, cells in found:
        problems.append(_problems(rows, column, check, values[start : start + len(cells)]))
        start += len(cells)
    return problems


def _column_checks(plan: Any, value: Any) -> list[tuple[str, Any]]:
    """(pandera's wording, Spark condition selecting the failing rows) of a declared column,
    `unique` apart."""
    from pyspark.sql import functions as F

    spec = plan.spec
    checks: list[tuple[str, Any]] = []
    if not spec.nullable:
        checks.append(("missing value (not nullable)", value.isNull()))
    if spec.min is not None:
        checks.append((f"min {spec.min:g}", value < F.lit(float(spec.min))))
    if spec.max is not None:
        checks.append((f"max {spec.max:g}", value > F.lit(float(spec.max))))
    if spec.values is not None and spec.type in ("string", "text", "category", "ordinal"):
        allowed = [str(v) for v in spec.values]
        checks.append((f"one of {', '.join(allowed)}", ~value.isin(allowed)))
    elif spec.values is not None:
        listed = [float(v) for v in spec.values]
        shown = ", ".join(map(str, spec.values))
        checks.append((f"one of {shown}", ~value.cast("double").isin(listed)))
    return checks


def failures_of(converted: Any, plans: list[Any], source: Any) -> list[Any]:
    """Frames of (_row, _column, _check, _value), as data/validate.py gathers them: the key's
    duplicates first, as pandera lists its schema-wide check before the columns'."""
    from pyspark.sql import functions as F

    value_of = {p.name: f"c{j}" for j, p in enumerate(plans)}
    flags: dict[str, Any] = {}  # name → aggregate saying whether a row fails
    checks: dict[int, list[tuple[str, Any]]] = {}
    for j, plan in enumerate(plans):
        if plan.spec is None:
            continue
        value = F.col(f"c{j}")
        if plan.can_fail:
            flags[f"failed{j}"] = F.max(F.when(F.col(f"f{j}"), 1))
        checks[j] = _column_checks(plan, value)
        for k, (_, condition) in enumerate(checks[j]):
            flags[f"check{j}_{k}"] = F.max(F.when(condition, 1))
        if plan.spec.unique:  # fewer distinct present values than present values
            flags[f"unique{j}"] = F.count_distinct(value) < F.count(value)
    key = list(source.key)
    if len(key) == 1:  # missing equals missing, as pandas' duplicated has it: one more key
        # The same distinct count as a `unique` column's: Spark then counts one distinct
        # expression, not two (two make it copy every row once per expression: Expand).
        single = F.col(value_of[key[0]])
        gap = F.max(F.when(single.isNull(), 1).otherwise(0))
        flags["key"] = F.count_distinct(single) + gap < F.count(F.lit(1))
    elif key:  # a struct is never NULL: missing equals missing, as pandas' duplicated has it
        keyed = F.struct(*[F.col(value_of[k]) for k in key])
        flags["key"] = F.count_distinct(keyed) < F.count(F.lit(1))
    if not flags:
        return []
    found = converted.agg(*[v.alias(n) for n, v in flags.items()]).collect()[0].asDict()

    problems = []  # conversion failures: the cells as read
    schema: list[tuple[Any, str, str, Any]] = []  # pandera's checks: (rows, column, check, values)
    if key and found["key"]:
        schema.extend(_key_duplicates(converted, plans, key, value_of))
    for j, plan in enumerate(plans):
        if plan.spec is None:
            continue
        if found.get(f"failed{j}"):
            read = _Read(plan.read_dtype)
            rows, cells = _collected(converted.filter(F.col(f"f{j}")), read, f"o{j}")
            problems.append(_problems(rows, plan.name, plan.check, cells.astype(str).to_numpy()))
        for k, (check, condition) in enumerate(checks[j]):
            if found[f"check{j}_{k}"]:
                rows, cells = _collected(converted.filter(condition), plan, f"c{j}")
                schema.append((rows, plan.name, check, cells))
        if found.get(f"unique{j}"):
            name = f"c{j}"
            repeated = (
                converted.filter(F.col(name).isNotNull())
                .groupBy(name)
                .count()
                .filter(F.col("count") > 1)
                .select(F.col(name).alias("_dup"))
            )
            dups = converted.join(repeated, converted[name] == repeated["_dup"], "left_semi")
            rows, cells = _collected(dups, plan, name)
            schema.append((rows, plan.name, "duplicate value (unique)", cells))
    return [*problems, *_shown(schema)]


class _Read:
    """The cell as pd.read_parquet holds it, for a conversion failure's `_value`."""

    def __init__(self, dtype: str):
        self.dtype = dtype


def _key_duplicates(
    converted: Any, plans: list[Any], key: list[str], value_of: dict[str, str]
) -> list[tuple[Any, str, str, Any]]:
    """Rows whose key repeats another row's (missing equal to missing), one failure per key
    column holding a value, as pandera's multiple_fields_uniqueness lists them."""
    from pyspark.sql import functions as F

    columns = [value_of[k] for k in key]
    repeated = (
        converted.groupBy(*columns)
        .count()
        .filter(F.col("count") > 1)
        .select(*[F.col(c).alias(f"_k{i}") for i, c in enumerate(columns)])
    )
    on = None
    for i, column in enumerate(columns):
        test = converted[column].eqNullSafe(repeated[f"_k{i}"])
        on = test if on is None else on & test
    dups = converted.join(repeated, on, "left_semi").cache()
    check = f"duplicate key ({', '.join(key)})"
    by_name = {p.name: p for p in plans}
    problems = []
    for name, column in zip(key, columns, strict=True):
        rows, cells = _collected(dups.filter(F.col(column).isNotNull()), by_name[name], column)
        if len(rows):
            problems.append((rows, name, check, cells))
    dups.unpersist()
    return problems


def settled(
    name: str,
    info: Any,
    plans: list[Any],
    source: Any,
    converted: Any,
    originals: Callable[[list[int]], Any],
) -> tuple[Any, Any, list[int]]:
    """(report, quarantine, failing rows) of a source Spark read and checked: the pandas
    intake's own functions settle, count and write the failures, so the quarantine and the
    report are those of the pandas intake; `originals(rows)` gives the failing rows' cells as
    the pandas intake held them (only those rows are collected)."""
    from evalsoc.data.validate import (
        SourceReport,
        count_failures,
        note_undeclared,
        quarantine_table,
        settle_failures,
    )

    report = SourceReport(name, info, rows_read=info.rows_read)
    report.notes.extend(info.notes)
    note_undeclared(report, [p.name for p in plans if p.spec is None])
    failures = settle_failures(failures_of(converted, plans, source), list(source.key))
    bad = sorted({int(r) for r in failures["_row"]}) if len(failures) else []
    report.rows_quarantined = len(bad)
    report.rows_used = report.rows_read - report.rows_quarantined
    count_failures(report, failures)
    quarantine = failures
    if len(failures):
        cells = originals(bad)
        quarantine = quarantine_table(
            failures, cells.loc[failures["_row"].to_numpy()].reset_index(drop=True)
        )
    return report, quarantine, bad
