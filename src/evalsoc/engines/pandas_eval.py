"""Evaluation of a parsed `where` expression on a pandas DataFrame: a visitor over the AST.

The AST (framework/expressions.py) is engine-neutral; this module is the pandas reading of it,
and the reference for every other engine's: its docstring there states the missing-value
semantics this code implements. Each node type has one method; `evaluate_mask` is the entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from evalsoc.framework.expressions import (
    FALSE_WORDS,
    TRUE_WORDS,
    BoolOp,
    Column,
    Compare,
    ExpressionError,
    InList,
    Literal,
    Node,
    Not,
    TreeVisitor,
    Truthy,
    _column_pos,
)


def evaluate_mask(tree: Node, frame: Any, text: str) -> Any:
    """A boolean pandas Series (no missing values) aligned on `frame`'s index."""
    import pandas as pd

    result = PandasEvaluator(frame, text).visit(tree)
    if isinstance(result, (bool, np.bool_)):
        return pd.Series(bool(result), index=frame.index)
    return _as_mask(result, text)


class PandasEvaluator(TreeVisitor):
    """Walks the AST bottom-up; a node gives a boolean Series (or a bool for a literal)."""

    def __init__(self, frame: Any, text: str):
        self.frame = frame
        self.text = text

    def visit_compare(self, node: Compare) -> Any:
        return _compare(node, self.frame, self.text)

    def visit_in_list(self, node: InList) -> Any:
        import pandas as pd

        text = self.text
        operand = _value(node.operand, self.frame, text)
        if not isinstance(operand, pd.Series):
            raise ExpressionError("where_in_needs_column", text)
        try:
            values = [_coerce_literal(operand, v) for v in node.values if v is not None]
        except _LiteralMismatch as exc:
            raise ExpressionError(
                "where_boolean_column_literal",
                text,
                _column_pos(node, node.operand.name),
                **exc.params,
            ) from None
        series = (
            operand.astype(object) if isinstance(operand.dtype, pd.CategoricalDtype) else operand
        )
        result = series.isin(values)
        if any(v is None for v in node.values):
            result = result | operand.isna()
        else:
            result = result & operand.notna()
        result = result.astype(bool)
        return ~result & operand.notna() if node.negate else result

    def visit_bool_op(self, node: BoolOp) -> Any:
        parts = [_as_series(self.visit(item), self.frame) for item in node.items]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if node.op == "and" else (out | part)
        return out

    def visit_not(self, node: Not) -> Any:
        return ~_as_series(self.visit(node.item), self.frame)

    def visit_truthy(self, node: Truthy) -> Any:
        import pandas as pd

        col = self.frame[node.column.name]
        if pd.api.types.is_bool_dtype(col.dtype) or (
            col.dtype == object and col.dropna().map(type).isin([bool, np.bool_]).all()
        ):
            return col.astype("boolean").fillna(False).astype(bool)
        if pd.api.types.is_numeric_dtype(col.dtype):
            return (col.fillna(0) != 0).astype(bool)
        raise ExpressionError(
            "where_column_not_boolean", self.text, node.column.pos, column=repr(node.column.name)
        )

    def visit_literal(self, node: Literal) -> bool:
        return bool(node.value)


def _as_mask(series: Any, text: str) -> Any:
    import pandas as pd

    if isinstance(series, pd.Series):
        if series.dtype == bool:
            return series
        return series.fillna(False).astype(bool)
    raise ExpressionError("where_not_a_condition", text)


def _value(node: Node, frame: Any, text: str) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Column):
        return frame[node.name]
    raise ExpressionError("where_operand_not_column_or_value", text)


def _coerce_literal(series: Any, value: Any) -> Any:
    """Compare like with like: '3' against a numeric column is the number 3, etc."""
    import pandas as pd

    if value is None or isinstance(value, bool):
        return value
    if pd.api.types.is_bool_dtype(series.dtype):
        return _boolean_literal(series, value)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        if isinstance(value, str):
            try:
                return float(value.replace(",", "."))
            except ValueError:
                return value
        return value
    if pd.api.types.is_datetime64_any_dtype(series.dtype) and isinstance(value, str):
        try:
            return pd.Timestamp(value)
        except ValueError:
            return value
    if (
        isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or series.dtype == object
    ):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value if series.dtype == object and _looks_numeric(series) else _num_text(value)
    return value


class _LiteralMismatch(Exception):
    """A literal that cannot be compared with a boolean column: its `column` and `value`, the
    parameters of the `where_boolean_column_literal` wording (what to write instead)."""

    def __init__(self, column: str, value: str):
        super().__init__(column, value)
        self.params = {"column": column, "value": value}


def _boolean_literal(series: Any, value: Any) -> Any:
    """A boolean column holds true/false whatever the file wrote (oui/non, 1/0...): compare
    it with those same spellings, not with the text, which would select no row at all."""
    from evalsoc.data.convert import FALSE_WORDS as DATA_FALSE
    from evalsoc.data.convert import TRUE_WORDS as DATA_TRUE

    word = _num_text(value).strip().lower() if not isinstance(value, str) else value.strip().lower()
    if word in DATA_TRUE or word in TRUE_WORDS:
        return True
    if word in DATA_FALSE or word in FALSE_WORDS:
        return False
    raise _LiteralMismatch(repr(series.name), repr(value))


def _looks_numeric(series: Any) -> bool:
    sample = series.dropna().head(20)
    return len(sample) > 0 and all(isinstance(v, (int, float, np.number)) for v in sample)


def _num_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(node: Compare, frame: Any, text: str) -> Any:
    import pandas as pd

    left = _value(node.left, frame, text)
    right = _value(node.right, frame, text)
    _check_order_on_text(node, left, right, text)
    try:
        if isinstance(left, pd.Series) and not isinstance(right, pd.Series):
            right = _coerce_literal(left, right)
        elif isinstance(right, pd.Series) and not isinstance(left, pd.Series):
            left = _coerce_literal(right, left)
    except _LiteralMismatch as exc:
        raise ExpressionError(
            "where_boolean_column_literal",
            text,
            _column_pos(node, _first_column(node)),
            **exc.params,
        ) from None
    series = left if isinstance(left, pd.Series) else right
    other = right if series is left else left
    if other is None:
        if node.op == "==":
            return series.isna()
        if node.op == "!=":
            return series.notna()
        raise ExpressionError("where_null_comparison", text, op=node.op)
    coded = _equal_by_codes(series, other, node.op)
    if coded is not None:
        return pd.Series(coded, index=frame.index, name=series.name)
    try:
        if isinstance(series.dtype, pd.CategoricalDtype):
            if series is left:
                left = left.astype(object)
            else:
                right = right.astype(object)
        result = _OPS[node.op](left, right)
    except TypeError as exc:
        # pandas' own reason is English: the French reader is told what it means.
        reason = {"fr": "les types des valeurs diffèrent", "en": str(exc)}
        raise ExpressionError("where_cannot_compare", text, op=node.op, reason=reason) from None
    missing = left.isna() if isinstance(left, pd.Series) else False
    if isinstance(right, pd.Series):
        missing = missing | right.isna()
    result = pd.Series(result, index=frame.index)
    if result.dtype != bool:
        result = result.astype("boolean").fillna(False).astype(bool)
    if isinstance(missing, pd.Series):
        result = result & ~missing.to_numpy(dtype=bool)
    return result


def _equal_by_codes(series: Any, other: Any, op: str) -> Any:
    """`series == text` (or `!=`) from the column's dictionary codes when it has some
    (data/text_codes.py): one comparison per distinct spelling, then a lookup per row, instead
    of comparing 10^6 strings (11 → 5 ms). A missing cell is False either way, as below.
    None when the column has no codes or the comparison is another one."""
    if op not in ("==", "!=") or not isinstance(other, str):
        return None
    from evalsoc.data.text_codes import codes_of

    coded = codes_of(series.array)
    if coded is None:
        return None
    same = [value == other for value in coded.values]
    table = np.array([*same, False] if op == "==" else [not s for s in same] + [False])
    return table[coded.indices]  # code −1, a missing cell: the last slot


def _first_column(node: Any) -> str:
    for side in (node.left, node.right):
        if isinstance(side, Column):
            return side.name
    return ""


def _is_text(series: Any) -> bool:
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        return not pd.api.types.is_numeric_dtype(series.dtype.categories.dtype)
    if pd.api.types.is_string_dtype(series.dtype):
        return True
    return series.dtype == object and not _looks_numeric(series)


def _check_order_on_text(node: Compare, left: Any, right: Any, text: str) -> None:
    """`code > 9` on a text column would compare text ('10' < '9'): refuse, and say what to do."""
    import pandas as pd

    if node.op not in ("<", "<=", ">", ">="):
        return
    series, other = (left, right) if isinstance(left, pd.Series) else (right, left)
    if isinstance(other, pd.Series) or not _is_text(series):
        return
    numeric = isinstance(other, (int, float)) and not isinstance(other, bool)
    if isinstance(other, str):
        try:
            float(other.replace(",", "."))
            numeric = True
        except ValueError:
            numeric = False
    if numeric:
        name = _first_column(node)
        raise ExpressionError(
            "where_order_on_text",
            text,
            _column_pos(node, name),
            column=repr(name),
            op=repr(node.op),
        )


def _as_series(value: Any, frame: Any) -> Any:
    import pandas as pd

    if isinstance(value, pd.Series):
        return value.astype(bool)
    return pd.Series(bool(value), index=frame.index)
