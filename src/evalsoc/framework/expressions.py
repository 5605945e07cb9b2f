"""The restricted `where` language, parsed by a small grammar and evaluated vectorised.

Never `eval`, `pandas.eval` or `DataFrame.query` on user text: an expression is tokenised,
parsed into a tree of the few node types below, and each node maps to a pandas operation.

Grammar::

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                         | ["not"] "in" list)?
    operand  := literal | column | "(" expr ")"
    list     := ("[" | "(") literal ("," literal)* [","] ("]" | ")")
    literal  := number | 'string' | "string" | true | false | null
    column   := identifier | `any text`

A column whose name is not an identifier (`identite/age`, `PA[SQ001]`, `date d'entrée`,
`meta-instanceID`) is written between backticks; letters with accents need none (`âge`).
As the whole argument of `proportion:` or `count:`, a column's name is enough without them.

`x == null` / `x != null` test for missing values. A comparison involving a missing value is
false (so `not (x > 3)` keeps rows where x is missing: write `x != null and ...` to exclude them).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

TRUE_WORDS = {"true", "vrai"}
FALSE_WORDS = {"false", "faux"}
NULL_WORDS = {"null", "none", "nan"}
KEYWORDS = {"and", "or", "not", "in", "et", "ou", "non"}
COMPARATORS = ("==", "!=", "<=", ">=", "<", ">")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?(?![\w]))
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<backtick>`[^`]+`)
  | (?P<op>==|!=|<=|>=|<|>|=)
  | (?P<punct>[()\[\],])
  | (?P<name>[^\W\d][\w.]*)
    """,
    re.VERBOSE | re.UNICODE,
)


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; the message says where and why."""

    def __init__(self, message: str, expression: str, position: int | None = None):
        self.expression = expression
        self.position = position
        pointer = ""
        if position is not None:
            pointer = f"\n    {expression}\n    {' ' * position}^"
        super().__init__(f"{message} in expression {expression!r}{pointer}")
        self.short_message = message


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


# --- tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Column:
    name: str
    pos: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class InList:
    operand: Any
    values: tuple
    negate: bool


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


@dataclass(frozen=True)
class Truthy:
    """A bare column used as a condition (`employed`, `not employed`)."""

    column: Column


# A column name as survey tools write them (identite/age, PA[SQ001], meta-instanceID):
# what the parser sees when such a name is written without backticks.
_NAME_LIKE = re.compile(r"[^\s=<>!'\"(),`]+")


def _backtick_hint(text: str, pos: int) -> str:
    """'unexpected character /' inside `identite/age`: say how to name such a column."""
    start = pos
    while start > 0 and _NAME_LIKE.fullmatch(text[start - 1]):
        start -= 1
    match = _NAME_LIKE.match(text, start)
    if not match or match.end() <= pos:
        return ""
    name = match.group()
    return f"; to name the column {name}, write `{name}` between backticks"


def _tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExpressionError(
                f"unexpected character {text[pos]!r}{_backtick_hint(text, pos)}", text, pos
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenise(text)
        self.i = 0
        self.depth = 0

    def nest(self, pos: int) -> None:
        """Count one level of `not` or parentheses; evaluation recurses as deep as parsing."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_NESTING} levels of 'not' or "
                "parentheses)",
                self.text[:60] + ("…" if len(self.text) > 60 else ""),
            )

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def peek_word(self) -> str | None:
        tok = self.peek()
        return tok.text.lower() if tok is not None and tok.kind == "name" else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("unexpected end", self.text, len(self.text))
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.take()
        if tok.text != text:
            raise ExpressionError(f"expected {text!r}, found {tok.text!r}", self.text, tok.pos)
        return tok

    def parse(self) -> Any:
        if not self.tokens:
            raise ExpressionError("empty expression", self.text, 0)
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            prev = self.tokens[self.i - 1] if self.i else None
            hint = ""
            if tok.kind == "name" and prev is not None and prev.kind == "name":
                hint = f" (a column name with spaces goes in backticks: `{prev.text} {tok.text}`)"
            elif prev is not None and prev.kind == "name" and prev.pos + len(prev.text) == tok.pos:
                hint = _backtick_hint(self.text, tok.pos)  # PA[SQ001]: a name glued to a '['

            raise ExpressionError(f"unexpected {tok.text!r}{hint}", self.text, tok.pos)
        return node

    def parse_or(self) -> Any:
        items = [self.parse_and()]
        while self.peek_word() in ("or", "ou"):
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def parse_and(self) -> Any:
        items = [self.parse_not()]
        while self.peek_word() in ("and", "et"):
            self.take()
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def parse_not(self) -> Any:
        if self.peek_word() in ("not", "non"):
            self.nest(self.take().pos)
            node = Not(self.parse_not())
            self.depth -= 1
            return node
        return self.parse_compare()

    def parse_compare(self) -> Any:
        left = self.parse_operand()
        tok = self.peek()
        if tok is not None and tok.kind == "op":
            self.take()
            op = "==" if tok.text == "=" else tok.text
            right = self.parse_operand()
            if isinstance(left, Literal) and isinstance(right, Literal):
                raise ExpressionError("a comparison needs at least one column", self.text, tok.pos)
            return Compare(op, left, right)
        word = self.peek_word()
        negate = False
        if word in ("not", "non") and self._next_is_in():
            self.take()
            negate = True
            word = "in"
        if word == "in":
            self.take()
            return InList(left, self.parse_list(), negate)
        if isinstance(left, Column):
            return Truthy(left)
        if isinstance(left, Literal):
            if isinstance(left.value, bool):
                return left
            raise ExpressionError("a literal alone is not a condition", self.text, None)
        return left

    def _next_is_in(self) -> bool:
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return nxt is not None and nxt.kind == "name" and nxt.text.lower() == "in"

    def parse_list(self) -> tuple:
        tok = self.take()
        closing = {"[": "]", "(": ")"}.get(tok.text)
        if closing is None:
            raise ExpressionError("expected a list such as [1, 2] after 'in'", self.text, tok.pos)
        values: list[Any] = []
        while True:
            nxt = self.peek()
            if nxt is not None and nxt.text == closing:
                self.take()
                break
            item = self.parse_operand()
            if not isinstance(item, Literal):
                raise ExpressionError("a list holds literal values only", self.text, tok.pos)
            values.append(item.value)
            nxt = self.take()
            if nxt.text == closing:
                break
            if nxt.text != ",":
                raise ExpressionError(f"expected ',' or {closing!r}", self.text, nxt.pos)
        return tuple(values)

    def parse_operand(self) -> Any:
        tok = self.take()
        if tok.text == "(":
            self.nest(tok.pos)
            node = self.parse_or()
            self.expect(")")
            self.depth -= 1
            return node
        if tok.kind == "number":
            text = tok.text
            value: Any = float(text) if any(c in text for c in ".eE") else int(text)
            return Literal(value)
        if tok.kind == "string":
            body = tok.text[1:-1]
            return Literal(re.sub(r"\\(.)", r"\1", body))
        if tok.kind == "backtick":
            return Column(tok.text[1:-1], tok.pos)
        if tok.kind == "name":
            low = tok.text.lower()
            if low in TRUE_WORDS:
                return Literal(True)
            if low in FALSE_WORDS:
                return Literal(False)
            if low in NULL_WORDS:
                return Literal(None)
            if low in KEYWORDS:
                raise ExpressionError(f"unexpected keyword {tok.text!r}", self.text, tok.pos)
            return Column(tok.text, tok.pos)
        raise ExpressionError(f"unexpected {tok.text!r}", self.text, tok.pos)


@dataclass(frozen=True)
class Expression:
    """A parsed `where` expression."""

    text: str
    tree: Any

    @property
    def columns(self) -> list[str]:
        """The columns the expression reads, in order of appearance."""
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, Column):
                if node.name not in found:
                    found.append(node.name)
            elif isinstance(node, Compare):
                walk(node.left)
                walk(node.right)
            elif isinstance(node, InList):
                walk(node.operand)
            elif isinstance(node, BoolOp):
                for item in node.items:
                    walk(item)
            elif isinstance(node, Not):
                walk(node.item)
            elif isinstance(node, Truthy):
                walk(node.column)

        walk(self.tree)
        return found

    def check_columns(self, available: Iterable[str]) -> None:
        """Raise ExpressionError naming the first unknown column and its near matches."""
        names = list(available)
        for col in self.columns:
            if col not in names:
                near = difflib.get_close_matches(col, names, n=3, cutoff=0.6)
                hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
                pos = _column_pos(self.tree, col)
                raise ExpressionError(f"unknown column {col!r}{hint}", self.text, pos)

    def evaluate(self, frame: Any) -> Any:
        """A boolean pandas Series (no missing values) aligned on `frame`'s index."""
        import pandas as pd

        self.check_columns(frame.columns)
        result = _evaluate(self.tree, frame, self.text)
        if isinstance(result, (bool, np.bool_)):
            return pd.Series(bool(result), index=frame.index)
        return _as_mask(result, self.text)


def _column_pos(node: Any, name: str) -> int | None:
    if isinstance(node, Column):
        return node.pos if node.name == name else None
    children: list[Any] = []
    if isinstance(node, Compare):
        children = [node.left, node.right]
    elif isinstance(node, InList):
        children = [node.operand]
    elif isinstance(node, BoolOp):
        children = list(node.items)
    elif isinstance(node, Not):
        children = [node.item]
    elif isinstance(node, Truthy):
        children = [node.column]
    for child in children:
        pos = _column_pos(child, name)
        if pos is not None:
            return pos
    return None


def _as_mask(series: Any, text: str) -> Any:
    import pandas as pd

    if isinstance(series, pd.Series):
        if series.dtype == bool:
            return series
        return series.fillna(False).astype(bool)
    raise ExpressionError("the expression does not give a condition", text)


def _value(node: Any, frame: Any, text: str) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Column):
        return frame[node.name]
    raise ExpressionError("a comparison operand must be a column or a value", text)


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
    """A literal that cannot be compared with a column's type (message: what to write)."""


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
    raise _LiteralMismatch(
        f"column {series.name!r} is boolean: compare it with true or false (or oui/non), "
        f"not {value!r}"
    )


def _looks_numeric(series: Any) -> bool:
    sample = series.dropna().head(20)
    return len(sample) > 0 and all(isinstance(v, (int, float, np.number)) for v in sample)


def _num_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_OPS = {
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
        raise ExpressionError(str(exc), text, _column_pos(node, _first_column(node))) from None
    series = left if isinstance(left, pd.Series) else right
    other = right if series is left else left
    if other is None:
        if node.op == "==":
            return series.isna()
        if node.op == "!=":
            return series.notna()
        raise ExpressionError(f"null can only be compared with == or !=, not {node.op}", text)
    try:
        if isinstance(series.dtype, pd.CategoricalDtype):
            if series is left:
                left = left.astype(object)
            else:
                right = right.astype(object)
        result = _OPS[node.op](left, right)
    except TypeError as exc:
        raise ExpressionError(f"cannot compare with {node.op}: {exc}", text) from None
    missing = left.isna() if isinstance(left, pd.Series) else False
    if isinstance(right, pd.Series):
        missing = missing | right.isna()
    result = pd.Series(result, index=frame.index)
    if result.dtype != bool:
        result = result.astype("boolean").fillna(False).astype(bool)
    if isinstance(missing, pd.Series):
        result = result & ~missing.to_numpy(dtype=bool)
    return result


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
            f"column {name!r} holds text, so {node.op!r} would compare it letter by letter "
            f"('10' < '9'); declare the column `type: number` or `integer` in `columns:`, "
            "or compare it with == / != / in",
            text,
            _column_pos(node, name),
        )


def _evaluate(node: Any, frame: Any, text: str) -> Any:
    import pandas as pd

    if isinstance(node, Compare):
        return _compare(node, frame, text)
    if isinstance(node, InList):
        operand = _value(node.operand, frame, text)
        if not isinstance(operand, pd.Series):
            raise ExpressionError("'in' needs a column on its left", text)
        try:
            values = [_coerce_literal(operand, v) for v in node.values if v is not None]
        except _LiteralMismatch as exc:
            raise ExpressionError(str(exc), text, _column_pos(node, node.operand.name)) from None
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
    if isinstance(node, BoolOp):
        parts = [_as_series(_evaluate(item, frame, text), frame) for item in node.items]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if node.op == "and" else (out | part)
        return out
    if isinstance(node, Not):
        return ~_as_series(_evaluate(node.item, frame, text), frame)
    if isinstance(node, Truthy):
        col = frame[node.column.name]
        if pd.api.types.is_bool_dtype(col.dtype) or (
            col.dtype == object and col.dropna().map(type).isin([bool, np.bool_]).all()
        ):
            return col.astype("boolean").fillna(False).astype(bool)
        if pd.api.types.is_numeric_dtype(col.dtype):
            return (col.fillna(0) != 0).astype(bool)
        raise ExpressionError(
            f"column {node.column.name!r} is not boolean: compare it with a value",
            text,
            node.column.pos,
        )
    if isinstance(node, Literal):
        return bool(node.value)
    raise ExpressionError("unsupported expression", text)


def _as_series(value: Any, frame: Any) -> Any:
    import pandas as pd

    if isinstance(value, pd.Series):
        return value.astype(bool)
    return pd.Series(bool(value), index=frame.index)


MAX_LENGTH = 10_000
MAX_NESTING = 100  # levels of `not` and parentheses; keeps evaluation's recursion bounded


def parse_expression(text: str) -> Expression:
    """Parse `text` into an Expression, raising ExpressionError with the position on failure."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be text", str(text))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is longer than {MAX_LENGTH:,} characters", text[:60] + "…"
        )
    try:
        return Expression(text, _Parser(text).parse())
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply", text[:60] + "…") from None


def looks_like_column_name(text: str) -> bool:
    """A whole indicator argument that is one name as tools write them (`activites/sport`,
    `PA[SQ001]`): a column, checked against the data once read, not an expression."""
    return bool(_NAME_LIKE.fullmatch(text.strip())) and not _TOKEN.fullmatch(text.strip())
