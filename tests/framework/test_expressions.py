import pandas as pd
import pytest

from evalsoc.framework.expressions import ExpressionError, parse_expression


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": pd.array([0, 1, 1, None], dtype="Int64"),
            "group": ["programme", "comparaison", "programme", None],
            "employed": pd.array([True, False, True, None], dtype="boolean"),
            "age": [20.0, 35.5, 61.0, 44.0],
            "site": pd.Categorical(["Nord", "Sud", "Étang", "Nord"]),
        }
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wave == 1 and group == 'programme'", [False, False, True, False]),
        ("wave = 1", [False, True, True, False]),
        ("wave != 1", [True, False, False, False]),  # missing is never selected by a comparison
        ("age >= 35.5", [False, True, True, True]),
        ("age < 30 or age > 60", [True, False, True, False]),
        ("not (age < 30)", [False, True, True, True]),
        ("group in ['programme', 'autre']", [True, False, True, False]),
        ("group not in ('programme')", [False, True, False, False]),
        ("group == null", [False, False, False, True]),
        ("group != null", [True, True, True, False]),
        ("employed", [True, False, True, False]),
        ("not employed", [False, True, False, True]),
        ("site == 'Étang'", [False, False, True, False]),
        ("wave == '1'", [False, True, True, False]),
        ("age > 30 et group == 'programme'", [False, False, True, False]),
        ("`age` > 50", [False, False, True, False]),
        ("age > 3.5e1", [False, True, True, True]),
        ("wave in [0,1]", [True, True, True, False]),  # a comma in a list separates values
    ],
)
def test_expressions_select_expected_rows(frame, text, expected):
    assert parse_expression(text).evaluate(frame).tolist() == expected


def test_deep_nesting_and_huge_expressions_are_errors(frame):
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("(" * 3000 + "age > 1" + ")" * 3000)
    with pytest.raises(ExpressionError, match="longer than"):
        parse_expression("age > 1 and " * 2000 + "age > 1")


def test_spaces_in_column_names_hint_at_backticks():
    with pytest.raises(ExpressionError, match="backticks"):
        parse_expression("En emploi")


def test_columns_listed_in_order():
    assert parse_expression("a == 1 and (b in [1, 2] or not c)").columns == ["a", "b", "c"]


def test_unknown_column_names_near_matches(frame):
    with pytest.raises(ExpressionError) as info:
        parse_expression("grop == 'programme'").evaluate(frame)
    assert "unknown column 'grop'" in str(info.value)
    assert "did you mean 'group'" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "wave ==",
        "wave == = 1",
        "(wave == 1",
        "wave == 1)",
        "1 == 1",
        "wave in 1",
        "__import__('os')",
    ],
)
def test_malformed_expressions_are_errors_not_code(text):
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_python_code_is_not_executed(frame):
    # Attribute access and calls are not part of the language: parsed as an error.
    for text in ["group.__class__ == 1", "open('x') == 1", "wave == 1; import os"]:
        with pytest.raises(ExpressionError):
            parse_expression(text).evaluate(frame)


def test_non_boolean_column_as_condition_is_explained(frame):
    with pytest.raises(ExpressionError, match="not boolean"):
        parse_expression("group").evaluate(frame)
