"""The pandas evaluator of the `where` AST, on hand-made frames whose selections are worked out
by hand (the missing-value semantics of framework/expressions.py's docstring)."""

import numpy as np
import pandas as pd
import pytest

from evalsoc.engines.pandas_eval import PandasEvaluator, evaluate_mask
from evalsoc.framework.expressions import (
    BoolOp,
    Column,
    Compare,
    ExpressionError,
    InList,
    Literal,
    Not,
    Truthy,
    parse_expression,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.0, 5.0, np.nan, 3.0, 4.0],
            "employed": pd.array([True, False, None, True, False], dtype="boolean"),
            "site": ["Nord", "Sud", None, "Étang", "Nord"],
            "code": pd.Categorical(["a", "b", "a", None, "c"]),
            "n": pd.array([0, 2, None, 1, 0], dtype="Int64"),
        }
    )


def rows(frame: pd.DataFrame, text: str) -> list[int]:
    return list(np.flatnonzero(parse_expression(text).evaluate(frame).to_numpy()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x > 3", [1, 4]),
        # missing x: the comparison is false, so its negation keeps the row
        ("not (x > 3)", [0, 2, 3]),
        ("x != null and not (x > 3)", [0, 3]),
        ("x == null", [2]),
        ("x != null", [0, 1, 3, 4]),
        ("x <= 3 or x == null", [0, 2, 3]),
        # text: `!=` drops missing values, `not (==)` keeps them
        ("site != 'Nord'", [1, 3]),
        ("not (site == 'Nord')", [1, 2, 3]),
        ("site in ['Nord', 'Étang']", [0, 3, 4]),
        ("site not in ['Nord']", [1, 3]),
        ("site in ['Sud', null]", [1, 2]),
        ("code in ('a', 'c')", [0, 2, 4]),
        ("code not in ['a']", [1, 4]),
        # booleans: bare, negated, compared with words the data files use
        ("employed", [0, 3]),
        ("not employed", [1, 2, 4]),
        ("employed == 'oui'", [0, 3]),
        ("employed == faux", [1, 4]),
        ("employed != true", [1, 4]),
        # a numeric column used as a condition: non-zero, missing counting as 0
        ("n", [1, 3]),
        ("n == '2'", [1]),
        ("x >= 3 et site == 'Nord'", [4]),
        ("true", [0, 1, 2, 3, 4]),
    ],
)
def test_selection(frame: pd.DataFrame, text: str, expected: list[int]) -> None:
    assert rows(frame, text) == expected


def test_mask_is_plain_boolean_aligned_on_the_index(frame: pd.DataFrame) -> None:
    frame.index = [10, 11, 12, 13, 14]
    mask = parse_expression("x > 3").evaluate(frame)
    assert mask.dtype == bool
    assert list(mask.index) == [10, 11, 12, 13, 14]
    assert list(mask) == [False, True, False, False, True]


def test_visitor_evaluates_a_hand_built_tree(frame: pd.DataFrame) -> None:
    """The tree is the interface: a tree built without the parser evaluates the same."""
    tree = BoolOp(
        "or",
        (
            Compare(">", Column("x", 0), Literal(4)),
            Not(InList(Column("site", 0), ("Nord", "Sud"), negate=False)),
        ),
    )
    assert list(np.flatnonzero(evaluate_mask(tree, frame, "hand-made"))) == [1, 2, 3]
    assert bool(PandasEvaluator(frame, "t").visit(Truthy(Column("employed", 0))).iloc[0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site > 3", "holds text"),
        ("employed == 'peut-être'", "is boolean"),
        ("site", "is not boolean"),
        ("x > null", "null can only be compared"),
    ],
)
def test_refusals(frame: pd.DataFrame, text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse_expression(text).evaluate(frame)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("site == 'Nord'", [0, 4]),
        ("site != 'Nord'", [1, 3]),  # the missing site (row 2) is in neither
        ("not (site == 'Nord')", [1, 2, 3]),  # ... but `not` keeps it (missing semantics)
        ("site == 'Ouest'", []),
        ("site != 'Ouest'", [0, 1, 3, 4]),
        ("code == 7", [1]),  # a number against text is its text, '7'
        ("site == 'Nord' and code != 7", [0, 4]),
    ],
)
def test_text_equality_by_dictionary_codes(text, expected, monkeypatch):
    """A text column with codes (data/text_codes.py) compares each distinct spelling once:
    the rows are the string comparison's, hand-worked, missing cells included."""
    import evalsoc.engines.pandas_eval as pandas_eval
    from evalsoc.data.text_codes import codes_for

    by_codes = pandas_eval._equal_by_codes
    used: list[bool] = []

    def spy(*args):
        found = by_codes(*args)
        used.append(found is not None)
        return found

    monkeypatch.setattr(pandas_eval, "_equal_by_codes", spy)

    def coded_frame() -> pd.DataFrame:
        return pd.DataFrame(
            {
                "site": pd.array(["Nord", "Sud", None, "Étang", "Nord"], dtype="str"),
                "code": pd.array(["1", "7", "1", None, "3"], dtype="str"),
            }
        )

    plain, coded = coded_frame(), coded_frame()
    for column in coded.columns:
        assert codes_for(coded[column].array) is not None
    assert rows(coded, text) == expected and all(used) and used
    used.clear()
    assert rows(plain, text) == expected and not any(used)
    mask, reference = parse_expression(text).evaluate(coded), parse_expression(text).evaluate(plain)
    pd.testing.assert_series_equal(mask, reference)
