"""data/keep_rows.py: the kept rows of a validated source are `frame.loc[keep]`, exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.data.keep_rows import kept_rows


def _frame(n: int, index: pd.Index) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    words = np.array(["nord", "sud", None], dtype=object)[rng.integers(0, 3, n)]
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": pd.Series(rng.integers(0, 9, n), dtype="Int64").where(rng.random(n) > 0.1).array,
            "b": pd.array(rng.random(n) > 0.5, dtype="boolean"),
            "site": pd.Series(words, dtype="str"),
            "text": pd.Series(words, dtype="string"),
            "when": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 90, n), "D"),
            "cat": pd.Categorical(words),
            "mixed": pd.Series([1, "a", None] * (n // 3) + [2.5] * (n % 3), dtype=object),
            "flag": rng.random(n) > 0.5,
        }
    ).set_axis(index)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.5, 1.0])
@pytest.mark.parametrize("labels", ["range", "filtered"])
def test_kept_rows_are_loc(share, labels):
    n = 1000
    index = pd.RangeIndex(n) if labels == "range" else pd.Index(np.arange(0, 3 * n, 3))
    frame = _frame(n, index)
    keep = np.random.default_rng(5).random(n) >= share
    got, expected = kept_rows(frame, keep), frame.loc[keep]
    pd.testing.assert_frame_equal(got, expected, check_index_type=True, check_column_type=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert type(got.index) is type(expected.index)


def test_a_column_name_twice_goes_through_loc():
    frame = pd.DataFrame([[1, 2], [3, 4], [5, 6]], columns=["a", "a"])
    keep = np.array([True, False, True])
    pd.testing.assert_frame_equal(kept_rows(frame, keep), frame.loc[keep])
