"""Hypothesis strategies shared by the fuzz tests and the long run (tests/fuzz/long_run.py).

- frameworks: documents generated from the framework's JSON Schema (`evalsoc schema`), dumped
  as YAML, then mutated (characters deleted, YAML punctuation inserted, lines repeated...);
- where expressions: trees over a small frame, written with random spacing and spellings, and a
  row-by-row reference evaluation independent of evalsoc's vectorised one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from hypothesis import strategies as st

# --- frameworks from the JSON Schema ---------------------------------------------------------

NAMES = ["x", "site", "employed", "income", "age", "people", "id", "a", "b"]
_YAML_PUNCTUATION = list(":[]{}-&*!|>'\"#%@`,? \n\t") + ["\x00", "\ud7ff", "é", "\u2028"]


@cache
def framework_schema() -> dict:
    from evalsoc.framework.schema import framework_schema_json

    return json.loads(framework_schema_json())


def _resolve(schema: dict) -> dict:
    defs = framework_schema()["$defs"]
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), st.text(max_size=12))


def from_schema(schema: dict, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value the schema describes (mostly valid; the model's validators refuse the rest)."""
    schema = _resolve(schema)
    if depth > 6:
        return st.none()
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(s, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        if not properties:
            extra = schema.get("additionalProperties")
            values = from_schema(extra, depth + 1) if isinstance(extra, dict) else _text()
            return st.dictionaries(st.sampled_from(NAMES), values, max_size=2)
        required = {k: from_schema(properties[k], depth + 1) for k in schema.get("required", [])}
        optional = {
            k: from_schema(v, depth + 1) for k, v in properties.items() if k not in required
        }
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "array":
        items = schema.get("items", {})
        return st.lists(from_schema(items, depth + 1) if items else _text(), max_size=2)
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) < 30)
        if schema.get("format") == "date":
            return st.dates().map(str)
        return _text()
    if kind == "integer":
        return st.integers(
            min_value=schema.get("minimum", -(10**6)), max_value=schema.get("maximum", 10**6)
        )
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.one_of(st.none(), st.booleans(), st.integers(), _text())


@cache
def framework_documents() -> st.SearchStrategy[Any]:
    """Built once: the strategy tree mirrors the whole schema."""
    return from_schema(framework_schema())


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    """A framework document from the schema, dumped, then edited 0 to 3 times."""
    document = draw(framework_documents())
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["delete", "insert", "repeat-line", "indent", "truncate"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        elif op == "insert":
            text = text[:at] + draw(st.sampled_from(_YAML_PUNCTUATION)) + text[at:]
        elif op == "repeat-line":
            lines = text.splitlines(True) or [""]
            i = at % len(lines)
            text = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])
        elif op == "indent":
            text = text[:at] + " " * draw(st.integers(1, 4)) + text[at:]
        else:
            text = text[:at]
    return text


# --- where expressions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    kind: str  # compare | in | and | or | not | truthy | isnull | notnull
    args: tuple


NUMERIC = ["n", "i"]
COMPARATORS = ["==", "!=", "<", "<=", ">", ">="]
CATEGORIES = ["nord", "sud", "Étang"]


def frame() -> Any:
    """The small frame every expression is evaluated on (missing values in every column)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "n": [1.5, -2.0, None, 0.0, 3.0, 10.0, -0.5, 2.0],
            "i": pd.array([1, 2, None, 0, 3, 10, -1, 2], dtype="Int64"),
            "b": pd.array([True, False, None, True, False, True, None, False], dtype="boolean"),
            "s": ["nord", "sud", None, "Étang", "nord", "sud", "nord", None],
            "column with space": [1.0, 2.0, 3.0, None, 5.0, 6.0, 7.0, 8.0],
        }
    )


def _numbers() -> st.SearchStrategy[float | int]:
    return st.one_of(st.integers(-3, 11), st.sampled_from([0.5, -0.5, 1.5, 2.0, 1e3, -1e-3, 10.0]))


def _leaf() -> st.SearchStrategy[Node]:
    numeric = st.builds(
        lambda c, op, v: Node("compare", (c, op, v)),
        st.sampled_from(NUMERIC + ["column with space"]),
        st.sampled_from(COMPARATORS),
        _numbers(),
    )
    text = st.builds(
        lambda op, v: Node("compare", ("s", op, v)),
        st.sampled_from(["==", "!="]),
        st.sampled_from(CATEGORIES + ["absent"]),
    )
    boolean = st.builds(
        lambda op, v: Node("compare", ("b", op, v)),
        st.sampled_from(["==", "!="]),
        st.sampled_from([True, False, "oui", "non", "vrai", "faux"]),
    )
    membership = st.builds(
        lambda c, values, negate: Node("in", (c, tuple(values), negate)),
        st.sampled_from(["s", "i"]),
        st.lists(st.sampled_from(CATEGORIES + [1, 2, 3, None]), min_size=1, max_size=3),
        st.booleans(),
    )
    nulls = st.builds(
        lambda c, k: Node(k, (c,)),
        st.sampled_from(["n", "i", "b", "s"]),
        st.sampled_from(["isnull", "notnull"]),
    )
    truthy = st.builds(lambda c: Node("truthy", (c,)), st.sampled_from(["b", "n", "i"]))
    return st.one_of(numeric, text, boolean, membership, nulls, truthy)


def expressions() -> st.SearchStrategy[Node]:
    return st.recursive(
        _leaf(),
        lambda children: st.one_of(
            st.builds(lambda a: Node("not", (a,)), children),
            st.builds(
                lambda op, items: Node(op, tuple(items)),
                st.sampled_from(["and", "or"]),
                st.lists(children, min_size=2, max_size=3),
            ),
        ),
        max_leaves=8,
    )


def _literal(value: Any, quote: str) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"{quote}{value}{quote}"
    return repr(value)


@st.composite
def written(draw: st.DrawFn, node: Node) -> str:
    """The expression as a person could write it (spacing, et/ou/non, quotes, parentheses)."""
    space = draw(st.sampled_from([" ", "  ", " "]))
    quote = draw(st.sampled_from(["'", '"']))

    def column(name: str) -> str:
        return f"`{name}`" if " " in name else name

    def out(n: Node) -> str:
        if n.kind == "compare":
            c, op, v = n.args
            return f"{column(c)}{space}{op}{space}{_literal(v, quote)}"
        if n.kind == "in":
            c, values, negate = n.args
            inside = f",{space}".join(_literal(v, quote) for v in values)
            return f"{c} {'not in' if negate else 'in'} [{inside}]"
        if n.kind == "isnull":
            return f"{n.args[0]} == null"
        if n.kind == "notnull":
            return f"{n.args[0]} != null"
        if n.kind == "truthy":
            return n.args[0]
        if n.kind == "not":
            word = draw(st.sampled_from(["not", "non"]))
            return f"{word} ({out(n.args[0])})"
        words = {"and": ["and", "et"], "or": ["or", "ou"]}[n.kind]
        word = draw(st.sampled_from(words))
        return f"{space}{word}{space}".join(f"({out(a)})" for a in n.args)

    return out(node)


_TRUE = {"oui", "vrai", True}


def reference(node: Node, row: dict) -> bool:
    """The documented meaning, row by row: a comparison with a missing value is false, `not`
    negates, `x == null` tests for missing, a boolean column compares with oui/non too."""

    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    if node.kind == "compare":
        c, op, v = node.args
        value = row[c]
        if missing(value):
            return False
        if c == "b":
            v = v in _TRUE
        return {
            "==": value == v,
            "!=": value != v,
            "<": value < v,
            "<=": value <= v,
            ">": value > v,
            ">=": value >= v,
        }[op]
    if node.kind == "in":
        c, values, negate = node.args
        value = row[c]
        if missing(value):
            return (not negate) and any(v is None for v in values)
        inside = any(
            v is not None and (value == v if c == "i" else str(value) == str(v)) for v in values
        )
        return not inside if negate else inside
    if node.kind == "isnull":
        return missing(row[node.args[0]])
    if node.kind == "notnull":
        return not missing(row[node.args[0]])
    if node.kind == "truthy":
        value = row[node.args[0]]
        return False if missing(value) else bool(value)
    if node.kind == "not":
        return not reference(node.args[0], row)
    parts = [reference(a, row) for a in node.args]
    return all(parts) if node.kind == "and" else any(parts)


def rows(table: Any) -> list[dict]:
    """The frame's rows as plain Python values (None for every missing value)."""
    out = []
    for record in table.astype(object).to_dict("records"):
        out.append({k: None if _is_na(v) else v for k, v in record.items()})
    return out


def _is_na(value: Any) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# Characters a person may type into a `where`, including the grammar's and a few hostile ones.
EXPRESSION_ALPHABET = st.sampled_from(
    list("nisb ()[],'\"`=!<>-.0123456789eE") + ["and", "or", "not", "in", "null", "é", "\x00"]
)
