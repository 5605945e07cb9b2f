"""How each column of a CSV read by Spark becomes what the pandas intake makes of it: the same
values, per-cell failures and dtype, by the rules of data/duckdb_columns.py written as Spark
column expressions.

*Plain* cells (`^[0-9]{1,15}$` for an integer, zero-padded ISO or French dates between 1700
and 2199, texts without spaces around them) are converted by a Spark cast whose result equals
pandas' on them; every other distinct spelling is converted on the driver by data/convert.py
itself (convert_column, as `by_distinct` does) and joined back from a small table broadcast to
the executors (spelling, value, failed, the text the quarantine shows). Above MAX_DISTINCT
non-plain spellings in a column, the source goes to the pandas intake, said why.

Columns the pandas reader lets pyarrow type (`number`, `likert`, undeclared) are typed as
pyarrow would: every present cell an integer → int64 (float64 with a gap), every one a decimal
→ float64, a cell no parser but text's takes (neither a number, a boolean spelling nor made of
digits and date punctuation) → text; otherwise the source goes to the pandas intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalsoc.data.duckdb_columns import (
    DIGITS,
    FLOAT_CODE,
    FR_DATE,
    INT_CELL,
    ISO_DATE,
    MAX_DISTINCT,
    TEXT_TYPES,
    decimal_cell,
    pandas_dtype,
)

READ_AS_TEXT = (*TEXT_TYPES, "date", "boolean", "integer")
NANOS_PER_DAY = 86_400 * 10**9
# Python's str.strip() whitespace as a Java class: a plain text has none around it.
_WS = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
STRIPPED = rf"(?s)[^{_WS}](.*[^{_WS}])?"
# What pyarrow could still type as something else than text (booleans, dates, times,
# timestamps, infinities): a cell matching none of these is text for it.
_MAYBE_TYPED = r"(?i)[0-9\s:./+\-TZ,]*|true|false|[+-]?(inf|infinity|nan)"


def full(pattern: str) -> str:
    """A Java pattern matching the whole cell (rlike finds a match anywhere)."""
    return rf"\A(?:{pattern})\z"


@dataclass
class CsvPlan:
    """One column: how pyarrow reads it, how it is declared, and its conversion."""

    name: str
    raw: str  # r0, r1... in the raw frame
    spec: Any  # None: undeclared
    read: str  # text, int, int_nulls or float
    decimal: str
    dtype: Any = None
    check: str = ""  # the wording of a conversion failure
    mapping: Any = None  # the broadcast table of non-plain spellings (x, v, bad, shown)

    @property
    def can_fail(self) -> bool:
        if self.spec is None:
            return False
        return self.mapping is not None or self.spec.type in ("likert", "date")

    @property
    def read_dtype(self) -> str:
        """How pandas holds the cell before conversion (a failure's `_value` prints it)."""
        return {"text": "str", "int": "int64"}.get(self.read, "float64")

    @property
    def kind(self) -> str:
        from evalsoc.engines.spark_columns import BOOLEAN, DATETIME, NUMBER, TEXT

        if self.spec is None:
            return TEXT if self.read == "text" else NUMBER
        return {"boolean": BOOLEAN, "date": DATETIME}.get(
            self.spec.type, TEXT if self.spec.type in TEXT_TYPES else NUMBER
        )

    @property
    def plain(self) -> str | None:
        """Java pattern of a plain cell; None: every cell mapped; "": every cell plain."""
        spec = self.spec
        if spec is None or (self.read != "text" and spec.type in ("number", "likert")):
            return ""
        kind = spec.type
        if kind in TEXT_TYPES:
            return full(STRIPPED)
        if kind == "integer":
            return full(DIGITS)
        if kind == "number":
            return full(decimal_cell(self.decimal))
        if kind == "likert":
            return full(decimal_cell("."))
        if kind == "date" and not spec.format:
            return full(f"{ISO_DATE}|{FR_DATE}")
        return None  # booleans, dates with a format

    def plain_test(self, x: Any) -> Any:
        """Whether the present cell `x` is plain (a Spark Column)."""
        from pyspark.sql import functions as F

        pattern = self.plain
        if pattern is None:
            return F.lit(False)
        if pattern == "":
            return F.lit(True)
        test = x.rlike(pattern)
        if self.spec.type in ("category", "ordinal") and _integer_coded(self.spec):
            test = test & ~x.rlike(full(FLOAT_CODE))
        return test


def _integer_coded(spec: Any) -> bool:
    from evalsoc.data.prepare import _integer_values

    return bool(_integer_values(spec.values))


def infer_counts(plan_index: int, x: Any, decimal: str) -> list[Any]:
    """Aggregates deciding how pyarrow types a column: integers, numbers, sure texts."""
    from pyspark.sql import functions as F

    integer = x.rlike(full(INT_CELL))
    number = integer | x.rlike(full(decimal_cell(decimal)))
    return [
        F.count(F.when(integer, 1)).alias(f"int{plan_index}"),
        F.count(F.when(number, 1)).alias(f"num{plan_index}"),
        # Tested only on cells that are no number (And stops at its first false operand).
        F.count(F.when(~number & ~x.rlike(full(_MAYBE_TYPED)), 1)).alias(f"text{plan_index}"),
    ]


def inferred_kind(found: dict[str, int], j: int, total: int) -> str | None:
    """text, int, int_nulls or float as pyarrow reads the column; None when unsure."""
    present = found[f"present{j}"]
    if not present:
        return None  # pyarrow's null type: left to the pandas intake
    if found[f"int{j}"] == present:
        return "int" if present == total else "int_nulls"
    if found[f"num{j}"] == present:
        return "float"
    return "text" if found[f"text{j}"] else None


def set_dtype(plan: CsvPlan) -> None:
    """The pandas intake's dtype of the column, and its conversion failure's wording."""
    import pandas as pd

    from evalsoc.data.convert import convert_column

    spec = plan.spec
    if spec is None:
        plan.dtype = pandas_dtype(
            {"text": "str", "int": "int64", "int_nulls": "float64"}.get(plan.read, "float64")
        )
        return
    plan.check = convert_column(pd.Series([], dtype=pandas_dtype("str")), spec, plan.decimal)[2]
    plan.dtype = pandas_dtype(
        {
            "integer": "Int64",
            "number": "float64",
            "likert": "float64",
            "boolean": "boolean",
            "date": "datetime",
        }.get(spec.type, "str")
    )


def mapping_frame(plan: CsvPlan, spellings: list[str]) -> Any:
    """The non-plain spellings converted by data/convert.py: a pandas frame (x, v, bad,
    shown), or a reason (str) when the pandas intake must read the column."""
    import pandas as pd

    from evalsoc.data.convert import convert_column
    from evalsoc.data.duckdb_columns import prepared_text

    spec = plan.spec
    original = pd.Series(spellings, dtype=pandas_dtype("str"))
    prepared = prepared_text(original, spec)
    values, bad, _ = convert_column(prepared, spec, plan.decimal)
    if spec.type in TEXT_TYPES and any(u != u.strip() or not u for u in prepared.dropna()):
        return "texts"
    values = pd.Series(values.to_numpy(dtype=object), dtype=object)
    if spec.type in ("number", "likert"):
        typed = values.astype("Float64")
    elif spec.type == "integer":
        typed = values.astype("Int64")
    elif spec.type == "boolean":
        typed = values.astype("boolean")
    elif spec.type == "date":  # nanoseconds since 1970, as the Spark engine holds dates
        stamps = pd.to_datetime(values).astype("datetime64[ns]")
        typed = pd.Series(stamps.to_numpy().view("int64"), dtype="Int64").mask(stamps.isna())
    else:
        typed = values.astype(pandas_dtype("string"))
    shown = prepared.astype(object).where(prepared.notna(), None)
    return pd.DataFrame(
        {
            "x": original.astype(object),
            "v": typed,
            "bad": bad.to_numpy(dtype=bool),
            "shown": shown.astype(object),
        }
    )


SPARK_TYPES = {
    "number": "double",
    "likert": "double",
    "integer": "long",
    "boolean": "boolean",
    "date": "long",
}


def spark_type(plan: CsvPlan) -> str:
    return SPARK_TYPES.get(plan.spec.type, "string")


def cast(plan: CsvPlan, x: Any) -> Any:
    """The value of a plain cell (Spark Column), typed as the Spark engine holds it."""
    from pyspark.sql import functions as F

    spec = plan.spec
    number = F.regexp_replace(x, "," if plan.decimal == "," else r"\.", ".").try_cast("double")
    if spec is None:
        if plan.read == "text":
            return x
        return x.try_cast("long") if plan.read == "int" else number
    kind = spec.type
    if kind in TEXT_TYPES:
        return x
    if kind == "integer":
        return x.try_cast("long")
    if kind == "number":
        return number
    if kind == "likert":  # to_likert reads text with "." (pyarrow's numbers with the mark)
        return x.try_cast("double") if plan.read == "text" else number
    if kind == "boolean":  # every spelling mapped
        return F.lit(None).cast("boolean")
    if kind == "date":
        return F.unix_date(_date(x)).cast("long") * F.lit(NANOS_PER_DAY)
    raise ValueError(f"no plain cast for type {kind!r}")


def _date(x: Any) -> Any:
    """An ISO or French (dd/mm/yyyy) date cell as a Spark date; NULL when it is no date."""
    from pyspark.sql import functions as F

    iso = F.when(
        x.rlike(full(FR_DATE)),
        F.concat(
            F.substring(x, 7, 4), F.lit("-"), F.substring(x, 4, 2), F.lit("-"), F.substring(x, 1, 2)
        ),
    ).otherwise(x)
    return iso.try_cast("date")


def cast_bad(plan: CsvPlan, x: Any) -> Any:
    """Whether a plain cell fails its conversion (never NULL)."""
    from pyspark.sql import functions as F

    if plan.spec is None:
        return F.lit(False)
    kind = plan.spec.type
    if kind == "likert":
        value = cast(plan, x)
        top = float(plan.spec.levels)
        outside = (value < F.lit(1.0)) | (value > F.lit(top)) | (F.floor(value) != value)
        return F.coalesce(outside, F.lit(False))
    if kind == "date":
        return _date(x).isNull()
    return F.lit(False)


__all__ = ["MAX_DISTINCT", "READ_AS_TEXT", "CsvPlan"]
