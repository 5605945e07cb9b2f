"""The restricted `where` language: its grammar, parser and engine-neutral syntax tree.

Never `eval`, `pandas.eval` or `DataFrame.query` on user text: an expression is tokenised and
parsed into a tree of the few node types below. This module only parses; an engine evaluates
the tree (pandas: evalsoc/engines/pandas_eval.py; a SQL engine compiles it), and
`Expression.evaluate(frame)` delegates to the pandas evaluator.

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
Keywords have French spellings (`et`, `ou`, `non`; `vrai`, `faux`), case-insensitive.

The tree (frozen dataclasses; `Node` is their union):

- `Literal(value)`: an int, float, str, bool or None (`null`/`none`/`nan`). Only at the top
  when boolean (`true`: every row); otherwise an operand of `Compare`.
- `Column(name, pos)`: a column's name and its offset in the text (for error pointers).
- `Compare(op, left, right)`: `op` in `== != < <= > >=` (`=` is read as `==`); each side a
  `Column` or a `Literal`, at least one a `Column`. A `null` side only with `==` / `!=`.
- `InList(operand, values, negate)`: `operand` a `Column`, `values` a tuple of literal
  values (may hold None), `negate` for `not in`.
- `BoolOp(op, items)`: `op` "and" or "or" over two or more items (flattened: `a and b and c`
  is one node).
- `Not(item)`: negation of any condition node.
- `Truthy(column)`: a bare column used as a condition (`employed`).

Missing-value semantics (two-valued: every row is selected or not, never "unknown"; this is
what the pandas evaluator does and what every engine must reproduce; it is *not* SQL's
three-valued NULL logic, so a SQL compiler adds explicit null tests):

- `x == null` is true exactly where x is missing, `x != null` where it is present.
- Any other comparison with a missing side (`x > 3`, `x == 'a'`, `x != 'a'`, `x < y`) is false.
- `x in [...]` is false where x is missing, unless the list holds `null` (then true there);
  `x not in [...]` is false where x is missing, whatever the list.
- `not c` is the plain complement of c's already-two-valued result: `not (x > 3)` keeps rows
  where x is missing (write `x != null and not (x > 3)` to exclude them); likewise
  `not (x == 'a')` keeps missing x while `x != 'a'` drops it.
- `and` / `or` combine those two-valued results.
- A bare column (`Truthy`): a boolean column is true where true, false where false or
  missing; a numeric column is true where non-zero, missing counting as 0 (false); text is
  an error.

Literals are compared like with like: `'3'` against a numeric column is the number 3; a
number against a text column is its text (`3` → `'3'`, `3.0` → `'3'`) unless that column holds
numbers in an untyped (object) column; a boolean column is compared with true/false whatever
spelling is written (`'oui'`, `1`, `'non'`...; other text is an error); a date column reads a
text literal as a date. `<`, `<=`, `>`, `>=` between a text column and a number are refused
(they would compare letter by letter).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from evalsoc.framework.expression_error import ExpressionError as ExpressionError

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


Node = Literal | Column | Compare | InList | BoolOp | Not | Truthy
"""Any node of the tree (see the module docstring for what each one means)."""

_VISITS = {
    Compare: "visit_compare",
    InList: "visit_in_list",
    BoolOp: "visit_bool_op",
    Not: "visit_not",
    Truthy: "visit_truthy",
    Literal: "visit_literal",
}


class TreeVisitor:
    """Dispatch on a node's type to the subclass' `visit_<kind>` method: the one walk that each
    engine's evaluator or compiler (pandas, Spark) shares. A node it has no method for (a bare
    column where a condition is expected) is the ExpressionError coded `unsupported_code`."""

    unsupported_code = "where_unsupported"
    text: str

    def visit(self, node: Any) -> Any:
        name = _VISITS.get(type(node))
        method = getattr(self, name, None) if name else None
        if method is None:
            raise ExpressionError(self.unsupported_code, self.text)
        return method(node)


# A column name as survey tools write them (identite/age, PA[SQ001], meta-instanceID):
# what the parser sees when such a name is written without backticks.
_NAME_LIKE = re.compile(r"[^\s=<>!'\"(),`]+")


def _backtick_hint(text: str, pos: int) -> dict[str, str] | str:
    """'unexpected character /' inside `identite/age`: say how to name such a column."""
    start = pos
    while start > 0 and _NAME_LIKE.fullmatch(text[start - 1]):
        start -= 1
    match = _NAME_LIKE.match(text, start)
    if not match or match.end() <= pos:
        return ""
    name = match.group()
    return {
        "fr": f" ; pour désigner la colonne {name}, écrivez `{name}` entre accents graves",
        "en": f"; to name the column {name}, write `{name}` between backticks",
    }


def _tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExpressionError(
                "where_unexpected_character",
                text,
                pos,
                character=repr(text[pos]),
                hint=_backtick_hint(text, pos),
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
                "where_nested_too_deeply_levels",
                self.text[:60] + ("…" if len(self.text) > 60 else ""),
                levels=MAX_NESTING,
            )

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def peek_word(self) -> str | None:
        tok = self.peek()
        return tok.text.lower() if tok is not None and tok.kind == "name" else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("where_unexpected_end", self.text, len(self.text))
        self.i += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.take()
        if tok.text != text:
            raise ExpressionError(
                "where_expected_token",
                self.text,
                tok.pos,
                expected=repr(text),
                found=repr(tok.text),
            )
        return tok

    def parse(self) -> Any:
        if not self.tokens:
            raise ExpressionError("where_empty", self.text, 0)
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            prev = self.tokens[self.i - 1] if self.i else None
            hint: dict[str, str] | str = ""
            if tok.kind == "name" and prev is not None and prev.kind == "name":
                spaced = f"`{prev.text} {tok.text}`"
                hint = {
                    "fr": f" (un nom de colonne avec des espaces s'écrit entre accents graves : "
                    f"{spaced})",
                    "en": f" (a column name with spaces goes in backticks: {spaced})",
                }
            elif prev is not None and prev.kind == "name" and prev.pos + len(prev.text) == tok.pos:
                hint = _backtick_hint(self.text, tok.pos)  # PA[SQ001]: a name glued to a '['

            raise ExpressionError(
                "where_unexpected_token", self.text, tok.pos, token=repr(tok.text), hint=hint
            )
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
                raise ExpressionError("where_comparison_needs_column", self.text, tok.pos)
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
            raise ExpressionError("where_literal_alone", self.text, None)
        return left

    def _next_is_in(self) -> bool:
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return nxt is not None and nxt.kind == "name" and nxt.text.lower() == "in"

    def parse_list(self) -> tuple:
        tok = self.take()
        closing = {"[": "]", "(": ")"}.get(tok.text)
        if closing is None:
            raise ExpressionError("where_in_needs_list", self.text, tok.pos)
        values: list[Any] = []
        while True:
            nxt = self.peek()
            if nxt is not None and nxt.text == closing:
                self.take()
                break
            item = self.parse_operand()
            if not isinstance(item, Literal):
                raise ExpressionError("where_list_literals_only", self.text, tok.pos)
            values.append(item.value)
            nxt = self.take()
            if nxt.text == closing:
                break
            if nxt.text != ",":
                raise ExpressionError(
                    "where_expected_comma", self.text, nxt.pos, closing=repr(closing)
                )
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
                raise ExpressionError(
                    "where_unexpected_keyword", self.text, tok.pos, keyword=repr(tok.text)
                )
            return Column(tok.text, tok.pos)
        raise ExpressionError(
            "where_unexpected_token", self.text, tok.pos, token=repr(tok.text), hint=""
        )


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
                names_near = ", ".join(repr(n) for n in near)
                hint: dict[str, str] | str = ""
                if near:
                    hint = {
                        "fr": f" ; vouliez-vous dire {names_near} ?",
                        "en": f"; did you mean {names_near}?",
                    }
                pos = _column_pos(self.tree, col)
                raise ExpressionError(
                    "where_unknown_column", self.text, pos, column=repr(col), hint=hint
                )

    def evaluate(self, frame: Any) -> Any:
        """A boolean pandas Series (no missing values) aligned on `frame`'s index."""
        from evalsoc.engines.pandas_eval import evaluate_mask

        self.check_columns(frame.columns)
        return evaluate_mask(self.tree, frame, self.text)


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


MAX_LENGTH = 10_000
MAX_NESTING = 100  # levels of `not` and parentheses; keeps evaluation's recursion bounded


def parse_expression(text: str) -> Expression:
    """Parse `text` into an Expression, raising ExpressionError with the position on failure."""
    if not isinstance(text, str):
        raise ExpressionError("where_not_text", str(text))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            "where_too_long",
            text[:60] + "…",
            limit={"fr": f"{MAX_LENGTH:,}".replace(",", "\u202f"), "en": f"{MAX_LENGTH:,}"},
        )
    try:
        return Expression(text, _Parser(text).parse())
    except RecursionError:
        raise ExpressionError("where_nested_too_deeply", text[:60] + "…") from None


def looks_like_column_name(text: str) -> bool:
    """A whole indicator argument that is one name as tools write them (`activites/sport`,
    `PA[SQ001]`): a column, checked against the data once read, not an expression."""
    return bool(_NAME_LIKE.fullmatch(text.strip())) and not _TOKEN.fullmatch(text.strip())
