"""A parsed `where` tree compiled to one Spark Column, with evalsoc's missing-value semantics.

framework/expressions.py states the semantics: two-valued, every row selected or not. Spark,
like SQL, has three-valued NULL logic (`NOT (x > 3)` is NULL where x is NULL, so the row is
dropped), so every condition here is made non-null as it is built: a comparison is
`coalesce(x > 3, false)`, `in` adds its `is not null`, a bare column is `coalesce(x, false)`.
`not`, `and` and `or` then combine values that are never NULL, as pandas' do.

Literals are coerced against the column exactly as the pandas evaluator does (its helpers are
reused on the validated pandas column), and the comparison is decided in Python when the two
types do not meet (a text literal against a number column: `==` selects nothing, `!=` every
present value, an order is refused), never left to a Spark cast. Column names reach Spark as
positional names (`c0`, `c1`...), so no user text is ever pasted into a SQL string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evalsoc.engines.pandas_eval import _check_order_on_text, _coerce_literal, _LiteralMismatch
from evalsoc.framework.expressions import (
    BoolOp,
    Column,
    Compare,
    ExpressionError,
    InList,
    Literal,
    Not,
    TreeVisitor,
    Truthy,
    _column_pos,
)

# How a column is held in Spark (engines/spark.py, `spark_table`): the kind decides which
# literals it can be compared with.
NUMBER, BOOLEAN, TEXT, DATETIME = "number", "boolean", "text", "datetime"


@dataclass(frozen=True)
class SparkColumn:
    name: str  # the positional name in the Spark DataFrame
    kind: str  # NUMBER, BOOLEAN, TEXT or DATETIME (nanoseconds since 1970 as a long)


def compile_where(tree: Any, text: str, frame: Any, columns: dict[str, SparkColumn]) -> Any:
    """The Spark Column (boolean, never NULL) selecting the rows `tree` selects.

    `frame` is the validated pandas source (its dtypes decide literal coercion, as in pandas);
    `columns` maps each column name to its Spark column."""
    return _Compiler(text, frame, columns).visit(tree)


class _Compiler(TreeVisitor):
    unsupported_code = "where_not_a_condition"

    def __init__(self, text: str, frame: Any, columns: dict[str, SparkColumn]):
        self.text = text
        self.frame = frame
        self.columns = columns

    def col(self, name: str) -> Any:
        from pyspark.sql import functions as F

        return F.col(self.columns[name].name)

    def visit_literal(self, node: Literal) -> Any:
        from pyspark.sql import functions as F

        return F.lit(bool(node.value))

    def visit_bool_op(self, node: BoolOp) -> Any:
        parts = [self.visit(item) for item in node.items]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if node.op == "and" else (out | part)
        return out

    def visit_not(self, node: Not) -> Any:
        return ~self.visit(node.item)

    def visit_truthy(self, node: Truthy) -> Any:
        import pandas as pd
        from pyspark.sql import functions as F

        name = node.column.name
        series = self.frame[name]
        column = self.col(name)
        if self.columns[name].kind == BOOLEAN and (
            pd.api.types.is_bool_dtype(series.dtype) or series.dtype == object
        ):
            return F.coalesce(column, F.lit(False))
        if self.columns[name].kind == NUMBER and pd.api.types.is_numeric_dtype(series.dtype):
            return F.coalesce(column != F.lit(0), F.lit(False))
        raise ExpressionError(
            "where_column_not_boolean", self.text, node.column.pos, column=repr(name)
        )

    def visit_compare(self, node: Compare) -> Any:
        from pyspark.sql import functions as F

        left, right = self._operand(node.left), self._operand(node.right)
        _check_order_on_text(node, left, right, self.text)
        if isinstance(node.left, Column) and isinstance(node.right, Column):
            return self._compare_columns(node)
        column_node = node.left if isinstance(node.left, Column) else node.right
        series = left if column_node is node.left else right
        value = node.right.value if column_node is node.left else node.left.value
        try:
            value = _coerce_literal(series, value)
        except _LiteralMismatch as exc:
            raise ExpressionError(
                "where_boolean_column_literal",
                self.text,
                _column_pos(node, column_node.name),
                **exc.params,
            ) from None
        column = self.col(column_node.name)
        if value is None:
            if node.op == "==":
                return column.isNull()
            if node.op == "!=":
                return column.isNotNull()
            raise ExpressionError("where_null_comparison", self.text, op=node.op)
        literal = _spark_literal(value, self.columns[column_node.name].kind)
        if literal is _MISMATCH:
            return self._mismatch(node.op, column)
        # The literal on the side it was written: `3 < x` is `x > 3`.
        a, b = (column, F.lit(literal)) if column_node is node.left else (F.lit(literal), column)
        return F.coalesce(_OPS[node.op](a, b), F.lit(False))

    def _compare_columns(self, node: Compare) -> Any:
        from pyspark.sql import functions as F

        kinds = {self.columns[node.left.name].kind, self.columns[node.right.name].kind}
        left, right = self.col(node.left.name), self.col(node.right.name)
        if len(kinds) > 1:
            return self._mismatch(node.op, left, right)
        return F.coalesce(_OPS[node.op](left, right), F.lit(False))

    def _mismatch(self, op: str, *columns: Any) -> Any:
        """Values of two types that never meet, as pandas compares them: never equal, always
        different where present, and no order."""
        from pyspark.sql import functions as F

        if op == "==":
            return F.lit(False)
        if op == "!=":
            present = columns[0].isNotNull()
            for column in columns[1:]:
                present = present & column.isNotNull()
            return present
        reason = {"fr": "les types diffèrent", "en": "the types differ"}
        raise ExpressionError("where_cannot_compare", self.text, op=op, reason=reason)

    def visit_in_list(self, node: InList) -> Any:
        from pyspark.sql import functions as F

        if not isinstance(node.operand, Column):
            raise ExpressionError("where_in_needs_column", self.text)
        name = node.operand.name
        series = self.frame[name]
        try:
            values = [_coerce_literal(series, v) for v in node.values if v is not None]
        except _LiteralMismatch as exc:
            raise ExpressionError(
                "where_boolean_column_literal", self.text, _column_pos(node, name), **exc.params
            ) from None
        kind = self.columns[name].kind
        literals = [x for x in (_spark_literal(v, kind) for v in values) if x is not _MISMATCH]
        column = self.col(name)
        result = F.coalesce(column.isin(literals), F.lit(False)) if literals else F.lit(False)
        if any(v is None for v in node.values):
            result = result | column.isNull()
        if node.negate:
            return ~result & column.isNotNull()
        return result

    def _operand(self, node: Any) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Column):
            return self.frame[node.name]
        raise ExpressionError("where_operand_not_column_or_value", self.text)


_MISMATCH = object()

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _spark_literal(value: Any, kind: str) -> Any:
    """The value as the Spark column of `kind` holds it, or _MISMATCH when pandas would find
    the two never equal (a text against a number...)."""
    import pandas as pd

    if kind == NUMBER:
        if isinstance(value, bool):
            return float(value)  # pandas: True == 1
        if isinstance(value, (int, float)):
            return value
        return _MISMATCH
    if kind == BOOLEAN:
        return value if isinstance(value, bool) else _MISMATCH
    if kind == DATETIME:
        if isinstance(value, pd.Timestamp) and value.tzinfo is None:
            return int(value.as_unit("ns").value)
        return _MISMATCH
    return value if isinstance(value, str) else _MISMATCH
