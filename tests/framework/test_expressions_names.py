"""Column names as survey tools write them, in `where` and as indicator arguments."""

from __future__ import annotations

import pandas as pd
import pytest

from evalsoc.framework.expressions import ExpressionError, looks_like_column_name, parse_expression


@pytest.mark.parametrize(
    "text, name",
    [
        ("identite/age >= 18", "identite/age"),
        ("age > 3 and PA[SQ001] == 'Y'", "PA[SQ001]"),
        ("meta-instanceID != null", "meta-instanceID"),
    ],
)
def test_error_suggests_backticks(text, name):
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert f"to name the column {name}, write `{name}` between backticks" in str(caught.value)


def test_backticks_name_any_column():
    frame = pd.DataFrame({"identite/age": [17, 30], "PA[SQ001]": ["Y", None], "âge": [1, 2]})
    mask = parse_expression("`identite/age` >= 18 or `PA[SQ001]` == 'Y'").evaluate(frame)
    assert mask.tolist() == [True, True]
    assert parse_expression("âge > 1").evaluate(frame).tolist() == [False, True]


def test_whole_argument_is_a_column_name():
    assert looks_like_column_name("activites/sport") and looks_like_column_name("PA[SQ001]")
    assert not looks_like_column_name("employed")  # a plain name is parsed as before
    assert not looks_like_column_name("age > 3")
