"""A share's codes by counting whole numbers equal pandas' sorted factorization
(sections/indicators/share_codes.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.indicators.compute import MISSING_GROUP, factorize_column
from evalsoc.sections.indicators.share_codes import share_codes, whole_number_codes


def _labels(values: list) -> list[str]:
    from evalsoc.sections.indicators.compute import _category_text

    return [_category_text(v) for v in values]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([2.0, 1.0, np.nan, 2.0, 5.0]),  # a Likert item with a missing answer
        pd.Series([3.0, 3.0, 4.0]),  # nothing missing, values 1 and 2 absent
        pd.Series([-3.0, 7.0, 0.0, -0.0, 7.0]),  # negative values, both zeros
        pd.Series(np.array([5, 1, 1, 9, 4000], dtype=np.int64)),
        pd.Series(np.array([3, 0, 2], dtype=np.uint8)),
        pd.Series(np.array([-100, 100, 0], dtype=np.int8)),  # 200 apart: beyond int8
        pd.Series(np.random.default_rng(3).integers(1, 6, 10_000).astype(float)),
    ],
)
def test_codes_and_labels_are_factorize_columns(series):
    fast = whole_number_codes(series, MISSING_GROUP)
    assert fast is not None
    codes, values = fast
    expected_codes, expected_values = factorize_column(series)
    assert codes.dtype == np.int64 and codes.tolist() == expected_codes.tolist()
    assert values == expected_values
    assert _labels(values) == _labels(expected_values)
    assert [type(v) for v in values] == [type(v) for v in expected_values]


def test_hand_worked_codes():
    codes, values = whole_number_codes(pd.Series([4.0, np.nan, 2.0, 4.0, 5.0]), MISSING_GROUP)
    assert codes.tolist() == [1, 3, 0, 1, 2]
    assert values == [2.0, 4.0, 5.0, MISSING_GROUP]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([1.0, 2.5]),  # not whole numbers
        pd.Series([1.0, np.inf]),  # infinite
        pd.Series([0.0, 5000.0]),  # a span beyond SPAN offsets
        pd.Series([np.nan, np.nan]),  # nothing present
        pd.Series(["a", "b"]),  # text
        pd.Series([1, None], dtype="Int64"),  # pandas' masked integers
        pd.Series(np.array([1.0, 2.0], dtype=np.float32)),
        pd.Series(np.array([1, 2], dtype=np.uint64)),
    ],
)
def test_other_columns_are_left_to_factorize(series):
    assert whole_number_codes(series, MISSING_GROUP) is None


def test_share_codes_fall_back_to_factorize():
    frame = pd.DataFrame({"q": [1.5, 0.5, np.nan], "t": ["b", "a", "b"]})
    codes, values = share_codes(frame, "q", factorize_column, MISSING_GROUP)
    assert codes.tolist() == [1, 0, 2] and values == [0.5, 1.5, MISSING_GROUP]
    codes, values = share_codes(frame, "t", factorize_column, MISSING_GROUP)
    assert codes.tolist() == [1, 0, 1] and values == ["a", "b"]
