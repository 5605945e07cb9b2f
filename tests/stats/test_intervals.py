"""Intervals against independent implementations (statsmodels, scipy) and textbook values."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from evalsoc.stats.intervals import (
    mean_t,
    median_interval,
    median_order_ranks,
    ratio_delta,
    wilson,
)


@pytest.mark.parametrize(("x", "n"), [(0, 10), (3, 10), (10, 10), (57, 324), (1, 1_000_000)])
def test_wilson_matches_statsmodels(x, n):
    lo, hi = wilson(np.array([x]), np.array([n]))
    ref_lo, ref_hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert lo[0] == pytest.approx(ref_lo, abs=1e-12)
    assert hi[0] == pytest.approx(ref_hi, abs=1e-12)


def test_t_interval_matches_scipy():
    rng = np.random.default_rng(1)
    values = rng.normal(10, 3, 37)
    mean, lo, hi = mean_t(np.array([37]), np.array([values.sum()]), np.array([(values**2).sum()]))
    ref = stats.t.interval(0.95, 36, loc=values.mean(), scale=stats.sem(values))
    assert mean[0] == pytest.approx(values.mean(), rel=1e-12)
    assert (lo[0], hi[0]) == pytest.approx(ref, rel=1e-10)


def test_median_ranks_match_binomial_textbook_values():
    # n = 10: [X(2), X(9)] covers 97.9%; n = 100: [X(40), X(61)] (Conover, Practical
    # Nonparametric Statistics, table A3 / the usual normal approximation gives 40 and 61).
    assert median_order_ranks(10) == (2, 9)
    assert median_order_ranks(100) == (40, 61)
    assert median_order_ranks(5) is None  # 1 − 2/32 = 93.75% < 95%: no interval exists
    for n in range(6, 200):
        j, k = median_order_ranks(n)
        coverage = 1 - 2 * stats.binom.cdf(j - 1, n, 0.5)
        assert coverage >= 0.95
        assert 1 - 2 * stats.binom.cdf(j, n, 0.5) < 0.95 or j == n // 2  # shortest such pair


def test_median_interval_coverage_by_simulation():
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(400):
        sample = np.sort(rng.exponential(1.0, 40))
        _, lo, hi = median_interval(sample)
        hits += lo <= np.log(2) <= hi
    assert 0.93 <= hits / 400 <= 0.995


def test_ratio_delta_matches_direct_formula():
    rng = np.random.default_rng(5)
    x = rng.uniform(1, 5, 200)
    y = 2 * x + rng.normal(0, 1, 200)
    r, lo, hi = ratio_delta(
        np.array([200]),
        np.array([y.sum()]),
        np.array([x.sum()]),
        np.array([(y * y).sum()]),
        np.array([(x * x).sum()]),
        np.array([(x * y).sum()]),
    )
    ratio = y.sum() / x.sum()
    # Direct: variance of the linearised variable (y − R x) / x̄.
    z = (y - ratio * x) / x.mean()
    se = z.std(ddof=1) / np.sqrt(200)
    assert r[0] == pytest.approx(ratio)
    assert hi[0] - r[0] == pytest.approx(1.959963984540054 * se, rel=1e-9)
