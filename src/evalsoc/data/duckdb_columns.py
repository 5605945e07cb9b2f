"""How each column of a CSV read by DuckDB becomes what the pandas intake makes of it: the
same values, the same per-cell failures, the same dtype.

Two routes per column, chosen per cell so that both give the pandas path's answer:
- *plain* cells (a pattern such as `^[0-9]{1,15}$` for integers, zero-padded ISO dates between
  1700 and 2199) are converted by a SQL cast whose result is known to equal pandas' on them;
- every other distinct spelling is converted by data/convert.py itself (convert_column on the
  distinct values, as `by_distinct` does) and joined back as a small mapping table. The
  conversions are per-cell functions, so the values, failures and reasons are pandas' own.
Above `MAX_DISTINCT` distinct non-plain spellings in a column, the source falls back to the
pandas intake (said, with the reason).

Columns the pandas reader does not force to text (`number`, and undeclared columns) are typed
by pyarrow's inference there; `read_kinds` (data/duckdb_intake.py) reproduces it: all cells
plain integers → int64 (float64 when a cell is missing, as pyarrow's conversion to pandas does), plain decimals →
float64, otherwise pyarrow itself is asked about the non-plain spellings, and only a `string`
answer is accepted (anything else falls back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_DISTINCT = 100_000
# Up to this many non-plain spellings, a column's mapping is a pair of bound lists looked up
# per row (list_position): no join, so the converted table keeps the file's row order without
# a sort. Beyond it, a mapping table joined, then the rows sorted back (ORDER BY).
SMALL_MAPPING = 64
ROW = "_evalsoc_row"  # the converted table's row position (engines/duckdb_table.py's ROW)
# Python's str.strip() whitespace, as an RE2 class (pandas strips text with it).
_WS = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
STRIPPED = rf"(?s)[^{_WS}](.*[^{_WS}])?"
INT_CELL = r"-?[0-9]{1,18}"
DIGITS = r"[0-9]{1,15}"
ISO_DATE = r"(1[7-9]|2[01])[0-9]{2}-[0-9]{2}-[0-9]{2}"
FR_DATE = r"[0-9]{2}/[0-9]{2}/(1[7-9]|2[01])[0-9]{2}"
FLOAT_CODE = r"-?[0-9]+\.0+"
TEXT_TYPES = ("string", "text", "category", "ordinal")


def decimal_cell(decimal: str) -> str:
    mark = r"\." if decimal == "." else decimal
    return rf"-?[0-9]{{1,15}}({mark}[0-9]{{1,15}})?"


@dataclass
class Plan:
    """One column's conversion: SQL for plain cells, a mapping table for the others."""

    name: str
    sql_column: str  # c0, c1... in the raw table
    spec: Any  # None: undeclared
    read: str  # how pandas read it: text, int, int_nulls (as floats), Int64, float
    native: bool = False  # the raw cell is a number as stored (Parquet), not its text
    plain: str = "TRUE"  # SQL predicate on the cell @X@
    cast: str = "@X@"  # SQL value of a plain cell
    cast_bad: str = "FALSE"  # SQL: the plain cell fails
    check: str = ""
    mapping: str | None = None  # name of the mapping table (text, value, bad)
    lists: dict[str, Any] | None = None  # a small mapping as bound lists (keys, values, bad)
    sql_type: str = "VARCHAR"
    dtype: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def pandas_dtype(kind: str) -> Any:
    import pandas as pd

    return {
        "str": pd.Series([], dtype="str").dtype,
        "string": pd.StringDtype(),
        "Int64": pd.Int64Dtype(),
        "int64": "int64",
        "float64": "float64",
        "boolean": pd.BooleanDtype(),
        "datetime": "datetime64[us]",
        "object": "object",
    }[kind]


def prepared_text(series: Any, spec: Any) -> Any:
    """The per-cell changes data/prepare.py makes before conversion (and which the quarantine
    shows): dates written in words → ISO, 1.0 → 1 for categories coded by integers."""
    from evalsoc.data.prepare import _float_codes_as_integers, _integer_values

    if spec is None:
        return series
    if spec.type == "date":
        from evalsoc.data.dates_text import words_to_iso

        return words_to_iso(series)
    if spec.type in ("category", "ordinal") and _integer_values(spec.values):
        return _float_codes_as_integers(series)
    return series


def value_name(j: int) -> str:
    """The converted table's column of the j-th column's value."""
    return f"_evalsoc_v{j}"


def failed_name(j: int) -> str:
    """The converted table's column saying the j-th column's cell failed its conversion."""
    return f"_evalsoc_b{j}"


def can_fail(plan: Plan) -> bool:
    """Whether a cell of this declared column can fail its conversion (a failure column)."""
    return plan.spec is not None and (
        plan.mapping is not None or plan.lists is not None or plan.cast_bad != "FALSE"
    )


def plan_column(plan: Plan, decimal: str) -> None:
    """Fill the plain-cell SQL and the dtype of a column (the mapping comes after)."""
    spec = plan.spec
    number = (
        "CAST(@X@ AS DOUBLE)" if plan.native else f"CAST(replace(@X@, '{decimal}', '.') AS DOUBLE)"
    )
    if spec is None:  # undeclared: kept as read
        plan.dtype = pandas_dtype(
            {
                "text": "str",
                "int": "int64",
                "Int64": "Int64",
                "int_nulls": "float64",
                "null": "object",
            }.get(plan.read, "float64")
        )
        if plan.read == "null":  # no value in any row: NULL as text (pandas: None objects)
            plan.cast = "CAST(@X@ AS VARCHAR)"
        elif plan.read != "text":
            plan.cast = number
            if plan.read in ("int", "Int64"):
                plan.cast = "CAST(@X@ AS BIGINT)"
        return
    kind = spec.type
    if kind in TEXT_TYPES:
        plan.plain = f"regexp_full_match(@X@, '{STRIPPED}')"
        if kind in ("category", "ordinal") and _integer_coded(spec):
            plan.plain += f" AND NOT regexp_full_match(@X@, '{FLOAT_CODE}')"
        plan.dtype = pandas_dtype("str")
    elif kind == "integer" and plan.read != "text":  # a Parquet integer column
        plan.cast = "CAST(@X@ AS BIGINT)"
        plan.dtype = pandas_dtype("Int64")
    elif kind == "integer":
        plan.plain = f"regexp_full_match(@X@, '{DIGITS}')"
        plan.cast = "CAST(@X@ AS BIGINT)"
        plan.dtype = pandas_dtype("Int64")
    elif kind == "number":
        plan.dtype = pandas_dtype("float64")
        plan.cast = number
        if plan.read == "text":
            plan.plain = f"regexp_full_match(@X@, '{decimal_cell(decimal)}')"
    elif kind == "likert":  # levels a number (why_not): to_likert reads numbers with "."
        plan.dtype = pandas_dtype("float64")
        if plan.read == "text":
            plan.plain = rf"regexp_full_match(@X@, '{decimal_cell('.')}')"
            plan.cast = "CAST(@X@ AS DOUBLE)"
        else:
            plan.cast = number
        plan.cast_bad = _off_scale(plan.cast, int(spec.levels))
    elif kind == "boolean":
        plan.plain = "FALSE"
        plan.dtype = pandas_dtype("boolean")
    elif kind == "date":
        plan.dtype = pandas_dtype("datetime")
        if spec.format:
            plan.plain = "FALSE"
        else:
            plan.plain = (
                f"(regexp_full_match(@X@, '{ISO_DATE}') OR regexp_full_match(@X@, '{FR_DATE}'))"
            )
            plan.cast = (
                f"CASE WHEN regexp_full_match(@X@, '{ISO_DATE}') THEN CAST(TRY_CAST(@X@ AS DATE) "
                "AS TIMESTAMP) ELSE TRY_STRPTIME(@X@, '%d/%m/%Y') END"
            )
            plan.cast_bad = f"({plan.cast}) IS NULL"
    else:
        raise ValueError(f"no SQL plan for type {kind!r}")


LISTED_LEVELS = 50


def _off_scale(value: str, levels: int) -> str:
    """SQL: the number `value` is not a whole level 1..levels. Up to LISTED_LEVELS levels, as
    one `NOT IN` list of the levels: the cast is written once (DuckDB evaluated the three
    comparisons' casts apart: 0.36 CPU-s instead of 0.11 for 4 columns of 10^6 rows). The same
    answer for every finite number (its cells are numbers: NaN is missing, infinity refused)."""
    if 1 <= levels <= LISTED_LEVELS:
        listed = ", ".join(f"{float(level)!r}" for level in range(1, levels + 1))
        return f"({value} NOT IN ({listed}))"
    top = float(levels)
    return f"({value} < 1 OR {value} > {top!r} OR floor({value}) != {value})"


def _integer_coded(spec: Any) -> bool:
    from evalsoc.data.prepare import _integer_values

    return _integer_values(spec.values)


def build_mapping(
    connection: Any, raw: str, plan: Plan, table: str, decimal: str, texts: Any
) -> str | None:
    """Convert the column's non-plain spellings `texts` (`gathered_spellings`) with
    data/convert.py and store them as `table` (text, value, bad); a reason (str) when there
    are too many to map."""
    import pandas as pd

    from evalsoc.data.convert import convert_column

    spec = plan.spec
    plan.check = _check_name(spec, decimal)
    if plan.plain == "TRUE":  # every cell is plain (a typed column): nothing to map
        return None
    if len(texts) > MAX_DISTINCT:
        return (
            f"column {plan.name!r} has more than {MAX_DISTINCT} distinct spellings that need "
            "pandas' conversion"
        )
    if not len(texts):
        return None
    original = pd.Series(list(texts), dtype=pandas_dtype("str"))
    prepared = prepared_text(original, spec)
    values, bad, _ = convert_column(prepared, spec, decimal)
    if spec.type in TEXT_TYPES and any(u != u.strip() or not u for u in prepared.dropna()):
        plan.dtype = pandas_dtype("string")  # to_category strips the whole column: `string`
    values = pd.Series(values.to_numpy(dtype=object), dtype=object)
    if spec.type in ("number", "likert"):
        values = values.astype("Float64")
    elif spec.type == "integer":
        values = values.astype("Int64")
    elif spec.type == "boolean":
        values = values.astype("boolean")
    elif spec.type == "date":
        values = pd.to_datetime(values).astype("datetime64[us]")
    else:
        values = values.astype(pandas_dtype("string"))
    plan.sql_type = _SQL_TYPES.get(spec.type, "VARCHAR")
    if len(texts) <= SMALL_MAPPING:
        plan.lists = {
            "keys": [str(x) for x in original],
            "values": [_python(v) for v in values.astype(object)],
            "bad": [bool(b) for b in bad.to_numpy(dtype=bool)],
        }
        return None
    mapping = pd.DataFrame(
        {"x": original.astype(object), "v": values, "bad": bad.to_numpy(dtype=bool)}
    )
    connection.register("evalsoc_mapping", mapping)
    connection.execute(f"CREATE TABLE {table} AS SELECT * FROM evalsoc_mapping")
    connection.unregister("evalsoc_mapping")
    plan.mapping = table
    return None


def _check_name(spec: Any, decimal: str) -> str:
    """The conversion check's name as data/convert.py gives it, asked once per kind of column
    (its conversion of an empty column costs ≈ 5 ms of pandas, 20 columns ≈ 0.1 s)."""
    levels = spec.levels if isinstance(spec.levels, int | None) else tuple(spec.levels)
    values = None if spec.values is None else tuple(map(str, spec.values))
    return _check_of(spec.type, levels, values, spec.format, decimal, spec)


_CHECKS: dict[tuple[Any, ...], str] = {}


def _check_of(kind: str, levels: Any, values: Any, form: Any, decimal: str, spec: Any) -> str:
    import pandas as pd

    from evalsoc.data.convert import convert_column

    key = (kind, levels, values, form, decimal)
    if key not in _CHECKS:
        empty = pd.Series([], dtype=pandas_dtype("str"))
        _CHECKS[key] = convert_column(empty, spec, decimal)[2]
    return _CHECKS[key]


# Below this many distinct cells (estimated), a column's spellings are gathered first and only
# they are tested (one regular expression per spelling, not per row: 10^7 rows of 20 sites cost
# 0.1 s instead of 1.3 s CPU); above it, the test runs per row and streams (a list of millions
# of distinct texts would not spill to disk). Not tried on `number` columns.
FEW_DISTINCT = 50_000


def gathered_spellings(connection: Any, raw: str, plans: list[Plan]) -> dict[str, Any]:
    """Each declared column's distinct non-plain spellings (at most MAX_DISTINCT + 1), by
    its SQL column: the estimates of distinct cells in one query, then every column's
    spellings in one UNION ALL (round 11: one query each before, ≈ 0.1 s of wall time for 9
    columns of 10^6 rows, mostly each query's own start)."""
    import numpy as np

    asked = [p for p in plans if p.spec is not None and p.plain != "TRUE"]
    if not asked:
        return {}
    # Measured numbers take many values: the estimate would be a scan for nothing.
    estimated = [p for p in asked if p.plain != "FALSE" and p.spec.type != "number"]
    few: set[str] = set()
    if estimated:
        listed = ", ".join(f"approx_count_distinct({p.sql_column})" for p in estimated)
        counts = connection.execute(f"SELECT {listed} FROM {raw}").fetchall()[0]
        few = {
            p.sql_column
            for p, n in zip(estimated, counts, strict=True)
            if int(n or 0) < FEW_DISTINCT
        }
    union = " UNION ALL ".join(
        f"SELECT {i} AS i, x FROM ({_spellings_query(raw, p, p.sql_column in few)})"
        for i, p in enumerate(asked)
    )
    found = connection.execute(union).fetchnumpy()
    which, texts = np.asarray(found["i"]), np.asarray(found["x"], dtype=object)
    return {p.sql_column: texts[which == i] for i, p in enumerate(asked)}


def _spellings_query(raw: str, plan: Plan, few: bool) -> str:
    """SQL of the column's distinct non-plain spellings (at most MAX_DISTINCT + 1 of them);
    `few`: fewer than FEW_DISTINCT distinct cells (estimated)."""
    column, limit = plan.sql_column, MAX_DISTINCT + 1
    if few:
        # list(DISTINCT) then unnest: DuckDB would otherwise push the test below DISTINCT.
        return (
            f"SELECT x FROM (SELECT unnest(list(DISTINCT {column})) AS x FROM {raw}) "
            f"WHERE x IS NOT NULL AND NOT ({on(plan.plain, 'x')}) LIMIT {limit}"
        )
    return (
        f"SELECT DISTINCT {column} AS x FROM {raw} WHERE {column} IS NOT NULL "
        f"AND NOT ({on(plan.plain, column)}) LIMIT {limit}"
    )


_SQL_TYPES = {
    "number": "DOUBLE",
    "likert": "DOUBLE",
    "integer": "BIGINT",
    "boolean": "BOOLEAN",
    "date": "TIMESTAMP",
}


def _python(value: Any) -> Any:
    """A mapped value as a plain Python value for a bound list (missing: None)."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def on(sql: str, column: str) -> str:
    """`sql` (a plan's predicate or cast, written on the cell @X@) on `column`."""
    return sql.replace("@X@", column)


def value_sql(plan: Plan, alias: str, params: dict[str, Any]) -> tuple[str, str]:
    """(value, failed) SQL for the column in the SELECT of the converted table; a small
    mapping's lists are added to `params` (bound, never pasted into the SQL)."""
    x = f"r.{plan.sql_column}"
    plain, cast, cast_bad = on(plan.plain, x), on(plan.cast, x), on(plan.cast_bad, x)
    if plan.lists is not None:
        for part, values in plan.lists.items():
            params[f"{alias}_{part}"] = values
        at = f"list_position(${alias}_keys, {x})"
        mapped_value = f"CAST(${alias}_values AS {plan.sql_type}[])[{at}]"
        mapped_bad = f"CAST(${alias}_bad AS BOOLEAN[])[{at}]"
        return _with_mapping(plan, x, plain, cast, cast_bad, mapped_value, mapped_bad)
    if plan.mapping is None:
        return (
            f"CASE WHEN {x} IS NULL THEN NULL ELSE {cast} END",
            f"coalesce({x} IS NOT NULL AND ({cast_bad}), FALSE)",
        )
    return _with_mapping(plan, x, plain, cast, cast_bad, f"{alias}.v", f"{alias}.bad")


def _with_mapping(
    plan: Plan, x: str, plain: str, cast: str, cast_bad: str, value: str, bad: str
) -> tuple[str, str]:
    if plan.plain == "FALSE":  # every spelling mapped (booleans, dates with a format)
        return (
            f"CASE WHEN {x} IS NULL THEN NULL ELSE {value} END",
            f"CASE WHEN {x} IS NULL THEN FALSE ELSE {bad} END",
        )
    return (
        f"CASE WHEN {x} IS NULL THEN NULL WHEN {plain} THEN {cast} ELSE {value} END",
        f"CASE WHEN {x} IS NULL THEN FALSE WHEN {plain} THEN coalesce({cast_bad}, FALSE) "
        f"ELSE {bad} END",
    )
