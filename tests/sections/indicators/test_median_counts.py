"""Medians by group of a few whole numbers from counts (median_counts.py) equal the selection's
(each group's values partitioned by numpy), bit for bit, and a hand-worked case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalsoc.sections.indicators import compute
from evalsoc.sections.indicators.median_counts import medians_by_counts
from evalsoc.stats.intervals import median_interval


def _by_selection(values: np.ndarray, codes: np.ndarray, ngroups: int) -> np.ndarray:
    out = np.full((3, ngroups), np.nan)
    for g in range(ngroups):
        group = values[codes == g]
        if len(group):
            out[:, g] = median_interval(group, 0.95)
    return out


def test_hand_worked_groups():
    # Group 0: 1, 2, 2, 3, 3, 3, 4, 5 (n = 8): median (3 + 3) / 2 = 3; at n = 8 the 95 %
    # ranks are (1, 8) (1 − 2 P(B ≤ 0) = 1 − 2/256 = 99.2 %, while ranks (2, 7) cover
    # 1 − 2 × 9/256 = 93.0 %): the interval is [1, 5].
    # Group 1: 4, 4, 4, 4, 5 (n = 5): median 4, no pair of ranks reaches 95 % below n = 6.
    # Group 2: no row.
    values = np.array([1, 2, 2, 3, 3, 3, 4, 5, 4, 4, 4, 4, 5], dtype=float)
    codes = np.array([0] * 8 + [1] * 5)
    med, lo, hi = medians_by_counts(values, codes, 3, 0.95)
    assert med.tolist()[:2] == [3.0, 4.0] and np.isnan(med[2])
    assert lo[0] == 1.0 and hi[0] == 5.0
    assert np.isnan(lo[1]) and np.isnan(hi[1])


@pytest.mark.parametrize("levels", [(1, 5), (0, 10), (-3, 3)])
def test_equal_to_the_selection_by_group(levels):
    rng = np.random.default_rng(20261130)
    n, ngroups = 200_000, 23
    values = rng.integers(levels[0], levels[1] + 1, n).astype(float)
    codes = rng.integers(0, ngroups - 1, n)  # the last group is empty
    codes[:7] = ngroups - 2  # and one group gets a few more
    got = np.array(medians_by_counts(values, codes, ngroups, 0.95))
    assert got.tobytes() == _by_selection(values, codes, ngroups).tobytes()


def test_other_columns_are_left_to_the_selection():
    codes = np.zeros(4, dtype=np.int64)
    assert medians_by_counts(np.array([1.5, 2.0, 3.0, 4.0]), codes, 2, 0.95) is None
    assert medians_by_counts(np.array([-0.0, 0.0, 1.0, 2.0]), codes, 2, 0.95) is None
    assert medians_by_counts(np.arange(4, dtype=float) * 10_000, codes, 2, 0.95) is None


def test_a_likert_median_by_site_through_the_indicator():
    rng = np.random.default_rng(5)
    n = 60_000
    frame = pd.DataFrame(
        {"q": rng.integers(1, 6, n).astype(float), "site": rng.choice(list("abcdefg"), n)}
    )
    frame.loc[::97, "q"] = np.nan
    spec = compute.QUANTITATIVE["median"]
    codes, groups = compute.group_codes(frame, ["site"])

    class Spec:
        median = "q"

    got = spec.stats(Spec, frame, codes, len(groups))
    ok = frame["q"].notna().to_numpy()
    expected = _by_selection(frame["q"].to_numpy()[ok], codes[ok], len(groups))
    assert np.array([got["median"], got["lo"], got["hi"]]).tobytes() == expected.tobytes()
    assert got["n"].tolist() == np.bincount(codes[ok], minlength=len(groups)).tolist()
