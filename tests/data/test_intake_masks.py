"""Two masks of the intake computed without a pass over every cell or label (issue 16), equal to
the pandas expressions they replace, on hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.data.csv_file import _all_missing_rows
from evalsoc.data.validate import _kept


def test_all_missing_rows_is_isna_all():
    frame = pd.DataFrame(
        {
            "a": pd.array(["1", None, None, "4", None], dtype="str"),
            "b": [np.nan, np.nan, 2.0, np.nan, np.nan],
            "c": pd.array([None, None, None, True, False], dtype="boolean"),
        }
    )
    found = _all_missing_rows(frame)
    assert found.tolist() == [False, True, False, False, False]  # only row 1 is empty
    pd.testing.assert_series_equal(found, frame.isna().all(axis=1), check_names=False)
    full = frame.dropna(subset=["a"])  # a first column always filled: decided at once
    assert not _all_missing_rows(full).any()
    one = frame[["b"]]
    pd.testing.assert_series_equal(
        _all_missing_rows(one), one.isna().all(axis=1), check_names=False
    )


def test_kept_rows_mask_is_isin_on_any_index():
    bad = np.array([3, 0, 3])
    assert _kept(pd.RangeIndex(5), bad).tolist() == [False, True, True, False, True]
    labels = pd.Index([0, 2, 3, 7, 9])  # rows left by a source's `where`
    assert _kept(labels, bad).tolist() == [False, True, False, True, True]
    assert _kept(pd.RangeIndex(2, 7), bad).tolist() == (~pd.RangeIndex(2, 7).isin(bad)).tolist()
    assert _kept(pd.RangeIndex(4), []).all()
