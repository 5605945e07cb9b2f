"""The `where` tree compiled to a DuckDB SQL condition with evalsoc's missing-value semantics.

The semantics are those of framework/expressions.py (two-valued: a row is selected or not):
every comparison is wrapped as ``coalesce(<comparison>, false)`` so that a missing side makes
it false, `x == null` / `x != null` become ``IS NULL`` / ``IS NOT NULL``, `in` adds ``OR x IS
NULL`` when its list holds null and `not in` adds ``AND x IS NOT NULL``; `not`, `and`, `or` then
combine results that are never NULL, so SQL's three-valued logic never shows.

Identifiers are quoted (``"name"``, inner quotes doubled) and every literal is bound as a named
parameter (``$p0``...): no text of the framework is pasted into SQL. Literals are coerced like
the pandas evaluator does (engines/pandas_eval.py: '3' against a number is 3, 3 against text
is '3', a boolean column reads oui/non...). A case whose pandas reading depends on more than
the column's type (untyped object columns, comparisons pandas refuses or answers with an
error, categories that are not text) raises `NotCompiled`: the engine then evaluates that one
expression with the pandas evaluator, so results and error messages stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalsoc.framework.expressions import (
    BoolOp,
    Column,
    Compare,
    InList,
    Literal,
    Not,
    Truthy,
)

# Column kinds the compiler knows, from the pandas dtype of the registered frame.
BOOL, NUMBER, TEXT, DATETIME, OTHER = "bool", "number", "text", "datetime", "other"

_SQL_OPS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class NotCompiled(Exception):
    """This expression is evaluated by the pandas evaluator instead (see module docstring)."""


def quote(name: str) -> str:
    """A SQL identifier for any column name."""
    return '"' + str(name).replace('"', '""') + '"'


def used_params(query: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters the query names (DuckDB refuses unused ones)."""
    import re

    names = set(re.findall(r"\$(\w+)", query))
    return {k: v for k, v in params.items() if k in names}


def column_kind(dtype: Any) -> str:
    """BOOL, NUMBER, TEXT, DATETIME or OTHER for a pandas dtype."""
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        return TEXT if pd.api.types.is_string_dtype(dtype.categories.dtype) else OTHER
    if pd.api.types.is_bool_dtype(dtype):
        return BOOL
    if pd.api.types.is_numeric_dtype(dtype):
        return NUMBER
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return OTHER if getattr(dtype, "tz", None) is not None else DATETIME
    if isinstance(dtype, pd.StringDtype) or (
        isinstance(dtype, pd.ArrowDtype) and pd.api.types.is_string_dtype(dtype)
    ):
        return TEXT
    return OTHER  # object: its values decide (pandas_eval._looks_numeric), so pandas does


def column_sql(name: str, kind: str) -> str:
    """A column as read in conditions: categories (DuckDB ENUM) compared as their text."""
    return f"CAST({quote(name)} AS VARCHAR)" if kind == TEXT else quote(name)


@dataclass
class Compiled:
    sql: str
    params: dict[str, Any] = field(default_factory=dict)


class Compiler:
    """Compiles one tree; `kinds` gives each column's kind (column_kind)."""

    def __init__(self, kinds: dict[str, str], prefix: str = "p"):
        self.kinds = kinds
        self.params: dict[str, Any] = {}
        self.prefix = prefix

    def compile(self, tree: Any) -> Compiled:
        return Compiled(self.visit(tree), self.params)

    def bind(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def kind(self, column: Column) -> str:
        kind = self.kinds[column.name]
        if kind == OTHER:
            raise NotCompiled(column.name)
        return kind

    def visit(self, node: Any) -> str:
        if isinstance(node, Literal) and isinstance(node.value, bool):
            return "TRUE" if node.value else "FALSE"
        if isinstance(node, BoolOp):
            joiner = " AND " if node.op == "and" else " OR "
            return "(" + joiner.join(self.visit(item) for item in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.visit(node.item)})"
        if isinstance(node, Truthy):
            return self.truthy(node.column)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, InList):
            return self.in_list(node)
        raise NotCompiled(type(node).__name__)

    def truthy(self, column: Column) -> str:
        kind = self.kind(column)
        if kind == BOOL:
            return f"coalesce({quote(column.name)}, FALSE)"
        if kind == NUMBER:
            return f"coalesce({quote(column.name)} <> 0, FALSE)"
        raise NotCompiled(column.name)  # text: the pandas evaluator words the error

    def literal(self, kind: str, value: Any) -> Any:
        """The literal as the pandas evaluator coerces it for a column of `kind`."""
        if isinstance(value, bool):
            if kind != BOOL:
                raise NotCompiled(repr(value))
            return value
        if kind == BOOL:
            from evalsoc.data.convert import FALSE_WORDS as DATA_FALSE
            from evalsoc.data.convert import TRUE_WORDS as DATA_TRUE
            from evalsoc.engines.pandas_eval import _num_text
            from evalsoc.framework.expressions import FALSE_WORDS, TRUE_WORDS

            word = value.strip().lower() if isinstance(value, str) else _num_text(value).lower()
            if word in DATA_TRUE or word in TRUE_WORDS:
                return True
            if word in DATA_FALSE or word in FALSE_WORDS:
                return False
            raise NotCompiled(repr(value))  # an error the pandas evaluator words
        if kind == NUMBER:
            if isinstance(value, str):
                try:
                    return float(value.replace(",", "."))
                except ValueError:
                    raise NotCompiled(repr(value)) from None
            return value
        if kind == TEXT:
            if isinstance(value, (int, float)):
                from evalsoc.engines.pandas_eval import _num_text

                return _num_text(value)
            return value
        if kind == DATETIME:
            import pandas as pd

            if not isinstance(value, str):
                raise NotCompiled(repr(value))
            try:
                return pd.Timestamp(value).to_pydatetime()
            except ValueError:
                raise NotCompiled(repr(value)) from None
        raise NotCompiled(repr(value))

    def compare(self, node: Compare) -> str:
        left, right = node.left, node.right
        if isinstance(left, Column) and isinstance(right, Column):
            kinds = {self.kind(left), self.kind(right)}
            if len(kinds) != 1 or kinds == {BOOL}:
                raise NotCompiled(node.op)
            kind = kinds.pop()
            a, b = column_sql(left.name, kind), column_sql(right.name, kind)
            return f"coalesce({a} {_SQL_OPS[node.op]} {b}, FALSE)"
        column, value, flipped = (
            (left, right.value, False) if isinstance(left, Column) else (right, left.value, True)
        )
        kind = self.kind(column)
        if value is None:
            if node.op == "==":
                return f"({quote(column.name)} IS NULL)"
            if node.op == "!=":
                return f"({quote(column.name)} IS NOT NULL)"
            raise NotCompiled(node.op)
        if node.op not in ("==", "!=") and kind == TEXT and not isinstance(value, str):
            raise NotCompiled(node.op)  # refused by the pandas evaluator (order on text)
        if node.op not in ("==", "!=") and kind == TEXT and _numeric_text(value):
            raise NotCompiled(node.op)
        if node.op not in ("==", "!=") and kind == BOOL:
            raise NotCompiled(node.op)
        param = self.bind(self.literal(kind, value))
        col = column_sql(column.name, kind)
        a, b = (param, col) if flipped else (col, param)
        return f"coalesce({a} {_SQL_OPS[node.op]} {b}, FALSE)"

    def in_list(self, node: InList) -> str:
        if not isinstance(node.operand, Column):
            raise NotCompiled("in")
        column = node.operand
        kind = self.kind(column)
        values = [self.literal(kind, v) for v in node.values if v is not None]
        col = column_sql(column.name, kind)
        name = quote(column.name)
        found = (
            f"coalesce({col} IN ({', '.join(self.bind(v) for v in values)}), FALSE)"
            if values
            else "FALSE"
        )
        if any(v is None for v in node.values):
            found = f"({found} OR {name} IS NULL)"
        if node.negate:
            return f"((NOT {found}) AND {name} IS NOT NULL)"
        return found


def _numeric_text(value: Any) -> bool:
    """'3' or '2,5': a number written as text, which pandas refuses to order text by."""
    try:
        float(str(value).replace(",", "."))
    except ValueError:
        return False
    return True


def compile_where(tree: Any, kinds: dict[str, str], prefix: str = "p") -> Compiled:
    """The SQL condition of `tree` (never NULL) and its parameters; raises NotCompiled."""
    return Compiler(kinds, prefix).compile(tree)
