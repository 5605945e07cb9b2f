"""A mean's sufficient statistics (compute.stats_mean): a complete column read by its extremes
alone (no mask of the values present), one with missing values masked; hand-worked sums."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evalsoc.sections.indicators.compute import stats_mean


def test_complete_column_by_hand():
    st = stats_mean(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 0, 1, 1]), 2)
    assert st["n"].tolist() == [2.0, 2.0]
    assert st["sum"].tolist() == [3.0, 7.0]
    assert st["sumsq"].tolist() == [5.0, 25.0]
    assert st["scale"] == 1.0


def test_missing_values_are_left_out():
    st = stats_mean(np.array([1.0, 2.0, np.nan, 4.0]), np.array([0, 0, 1, 1]), 2)
    assert st["n"].tolist() == [2.0, 1.0]
    assert st["sum"].tolist() == [3.0, 4.0]
    assert st["sumsq"].tolist() == [5.0, 16.0]


@pytest.mark.parametrize("missing", [False, True])
def test_values_near_the_largest_float_are_scaled(missing):
    # 1.5e308 < 2^1024: the scale is 2^1022, and the sums of the scaled values stay finite.
    values = np.array([1e308, 1.5e308] + ([np.nan] if missing else []))
    st = stats_mean(values, np.zeros(len(values), dtype=np.int64), 1)
    assert st["scale"] == math.ldexp(1.0, 1022)
    assert st["n"].tolist() == [2.0]
    assert st["sum"][0] * st["scale"] == pytest.approx(2.5e308, rel=1e-15)


def test_infinite_values_are_values():
    st = stats_mean(np.array([np.inf, 1.0]), np.zeros(2, dtype=np.int64), 1)
    assert st["n"].tolist() == [2.0] and st["sum"].tolist() == [np.inf] and st["scale"] == 1.0


def test_no_row():
    st = stats_mean(np.array([]), np.array([], dtype=np.int64), 1)
    assert st["n"].tolist() == [0.0] and st["sum"].tolist() == [0.0]
