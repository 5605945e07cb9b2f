"""Properties of the `where` language: a generated expression gives the same rows as a
row-by-row reference evaluation written here; random text never raises anything but
ExpressionError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalsoc.framework.expressions import ExpressionError, parse_expression
from fuzz.strategies import EXPRESSION_ALPHABET, expressions, frame, reference, rows, written

FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
FRAME = frame()
ROWS = rows(FRAME)


@FAST
@given(data=st.data())
def test_where_matches_the_reference(data):
    tree = data.draw(expressions())
    text = data.draw(written(tree))
    mask = parse_expression(text).evaluate(FRAME)
    expected = [reference(tree, row) for row in ROWS]
    assert mask.tolist() == expected, text


@FAST
@given(text=st.lists(EXPRESSION_ALPHABET, max_size=25).map("".join))
def test_random_text_raises_only_expression_errors(text):
    try:
        mask = parse_expression(text).evaluate(FRAME)
    except ExpressionError:
        return
    assert mask.dtype == bool and len(mask) == len(FRAME)
