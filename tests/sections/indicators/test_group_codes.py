"""Group codes of one `by` column are its sorted codes themselves (compute.py
`_single_column_groups`), the same codes and table of groups as the combination's path, with
the rows per group counted once; a hand-worked case and a code without rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.sections.indicators import compute


def test_hand_worked_single_column():
    frame = pd.DataFrame({"site": ["b", "a", None, "b", "c"]})
    codes, groups = compute.group_codes(frame, ["site"])
    # sorted a < b < c, the missing value last
    assert codes.tolist() == [1, 0, 3, 1, 2]
    assert groups["site"].tolist() == ["a", "b", "c", compute.MISSING_GROUP]
    assert compute._group_sizes(codes, 4).tolist() == [1.0, 2.0, 1.0, 1.0]


def test_same_as_the_combination_path():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"site": rng.choice(["s1", "s10", "s2", "é", None], 5_000)})
    codes, groups = compute.group_codes(frame, ["site"])
    # the combination's path: two columns, one of them constant
    frame["one"] = "x"
    both, pairs = compute.group_codes(frame, ["site", "one"])
    assert codes.tolist() == both.tolist()
    assert groups["site"].tolist() == pairs["site"].tolist()


def test_a_code_without_rows_is_made_dense():
    def factorize(column):
        return np.array([0, 2, 2, 0], dtype=np.int64), ["x", "y", "z"]

    frame = pd.DataFrame({"g": ["x", "z", "z", "x"]})
    codes, groups = compute.group_codes(frame, ["g"], factorize)
    assert codes.tolist() == [0, 1, 1, 0]
    assert groups["g"].tolist() == ["x", "z"]
