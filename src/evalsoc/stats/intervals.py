"""Confidence intervals from sufficient statistics (counts, sums, sums of squares).

Pure functions on numpy arrays, vectorised over groups, so that any engine able to aggregate
(pandas, DuckDB, Spark) can feed them. References in ../shared/methods.md and docs/methods.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np


def wilson(
    successes: np.ndarray, n: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (Wilson 1927); NaN where n == 0."""
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def mean_t(
    n: np.ndarray, total: np.ndarray, total_sq: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and t interval x̄ ± t_{n−1} s/√n from n, Σx, Σx²; NaN interval where n < 2."""
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    n = np.asarray(n, dtype=float)
    total = np.asarray(total, dtype=float)
    total_sq = np.asarray(total_sq, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        var = np.maximum(total_sq - n * mean**2, 0.0) / (n - 1)
        se = np.sqrt(var / n)
        t = stats.t.ppf(0.5 + level / 2, np.where(n > 1, n - 1, np.nan))
    return mean, mean - t * se, mean + t * se


def ratio_delta(
    n: np.ndarray,
    sum_y: np.ndarray,
    sum_x: np.ndarray,
    sum_yy: np.ndarray,
    sum_xx: np.ndarray,
    sum_xy: np.ndarray,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R = Σy/Σx with the delta-method interval Var(R) ≈ (s_y² − 2R s_xy + R² s_x²)/(n x̄²)."""
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = sum_y / sum_x
        xbar = sum_x / n
        ybar = sum_y / n
        s_yy = (sum_yy - n * ybar**2) / (n - 1)
        s_xx = (sum_xx - n * xbar**2) / (n - 1)
        s_xy = (sum_xy - n * xbar * ybar) / (n - 1)
        var = (s_yy - 2 * ratio * s_xy + ratio**2 * s_xx) / (n * xbar**2)
        se = np.sqrt(np.maximum(var, 0.0))
    z = stats.norm.ppf(0.5 + level / 2)
    return ratio, ratio - z * se, ratio + z * se


@functools.lru_cache(maxsize=4096)
def median_order_ranks(n: int, level: float = 0.95) -> tuple[int, int] | None:
    """1-based ranks (j, k) with P(X_(j) ≤ median ≤ X_(k)) ≥ level, symmetric, from Binomial(n, ½).

    Returns None when no pair reaches the level (n < 6 at 95%). Kept per (n, level): medians
    of columns without missing values by the same groups share their sizes, and each search
    calls scipy's binomial 3 to 5 times (≈ 0.6 ms).
    """
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    if n < 1:
        return None
    # Coverage of [X_(j), X_(n+1-j)] is 1 − 2 P(B ≤ j − 1), B ~ Bin(n, 1/2).
    alpha = 1 - level
    j = int(stats.binom.ppf(alpha / 2, n, 0.5))  # largest j with P(B ≤ j-1) ≤ alpha/2 ...
    while j >= 1 and 1 - 2 * stats.binom.cdf(j - 1, n, 0.5) < level:
        j -= 1
    while j + 1 <= n // 2 and 1 - 2 * stats.binom.cdf(j, n, 0.5) >= level:
        j += 1
    if j < 1:
        return None
    return j, n + 1 - j


def median_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Median and its distribution-free order-statistic interval (NaN bounds when n is too small).

    By selection rather than a full sort (stats/selection.py): `values` need not be sorted.
    """
    from evalsoc.stats.selection import order_statistics

    return median_interval_of(len(values), lambda kth: order_statistics(values, kth), level)


def median_interval_of(
    n: int, select: Callable[[list[int]], np.ndarray], level: float = 0.95
) -> tuple[float, float, float]:
    """`median_interval` of n values whose 0-based order statistics `select(kth)` gives (as
    `np.partition(values, kth)[kth]`): the same ranks and arithmetic whichever way they are
    found (a selection, or counts of a few whole numbers: sections/indicators/median_counts.py)."""
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    ranks = median_order_ranks(n, level)
    mid = [(n - 1) // 2, n // 2]
    kth = sorted(set(mid + ([ranks[0] - 1, ranks[1] - 1] if ranks else [])))
    part = dict(zip(kth, select(kth)))
    median = float((part[mid[0]] + part[mid[1]]) / 2)
    if ranks is None:
        return median, float("nan"), float("nan")
    return median, float(part[ranks[0] - 1]), float(part[ranks[1] - 1])
