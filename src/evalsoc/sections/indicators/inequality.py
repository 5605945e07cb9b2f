"""Inequality indices with linearised intervals: Gini, Theil (GE(1)) and Atkinson.

Each index is a smooth functional of the distribution, so its standard error comes from its
influence function (linearisation; Deville 1999, Binder & Kovacevic 1995): SE² = Σ IFᵢ² /
(n(n − 1)), and the interval is index ± z·SE (normal reference), as R's `convey` does for survey
data. Definitions (unweighted, population formulas, as R `ineq`):

- Gini G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ); IF(x) = (E|x − X| − Δ)/μ − G (x − μ)/μ with Δ = 2Gμ;
- Theil T = (1/n) Σ (xᵢ/μ) ln(xᵢ/μ) (0·ln 0 = 0; needs x ≥ 0);
- Atkinson A_ε = 1 − ede/μ, ede = (mean x^(1−ε))^(1/(1−ε)), or exp(mean ln x) for ε = 1
  (needs x > 0 for ε ≥ 1).
"""

from __future__ import annotations

import functools

import numpy as np

from evalsoc.sections.common import NotEstimable


@functools.lru_cache(maxsize=16)
def _z(level: float) -> float:
    """The normal quantile of a level, computed once (a bootstrap calls the kernels thousands
    of times, and scipy's ppf costs more than the index itself on a small sample)."""
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    return float(stats.norm.ppf(0.5 + level / 2))


def _finish(value: float, influence: np.ndarray, level: float) -> tuple[float, float, float, float]:
    n = influence.size
    se = float(np.sqrt((influence**2).sum() / (n * (n - 1)))) if n > 1 else float("nan")
    z = _z(level)
    return value, se, value - z * se, value + z * se


def _check(x: np.ndarray, positive: bool, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        raise NotEstimable("inequality_two_values", index=name)
    if positive and np.any(x <= 0):
        raise NotEstimable("inequality_positive_values", index=name)
    if np.any(x < 0):
        raise NotEstimable("inequality_non_negative_values", index=name)
    if x.mean() <= 0:
        raise NotEstimable("inequality_positive_mean", index=name)
    return x


def gini(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """(G, SE, low, high); O(n log n) through sorted cumulative sums."""
    x = _check(x, False, "Gini")
    n = x.size
    order = np.argsort(x, kind="stable")
    s = x[order]
    cum = np.cumsum(s)
    total = cum[-1]
    rank = np.arange(n)
    below_sum = np.concatenate([[0.0], cum[:-1]])
    # Σⱼ |xᵢ − xⱼ| for the sorted values (ties contribute 0 whichever side they fall)
    abs_sum_sorted = s * rank - below_sum + (total - cum) - s * (n - 1 - rank)
    abs_sum = np.empty(n)
    abs_sum[order] = abs_sum_sorted
    mu = total / n
    delta = abs_sum.sum() / n**2
    g = delta / (2 * mu)
    influence = (abs_sum / n - delta) / mu - g * (x - mu) / mu
    return _finish(float(g), influence, level)


def theil(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """(T, SE, low, high)."""
    x = _check(x, False, "Theil")
    mu = x.mean()
    xlogx = np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)
    a = xlogx.mean()
    t = a / mu - np.log(mu)
    influence = (xlogx - a) / mu - a * (x - mu) / mu**2 - (x - mu) / mu
    return _finish(float(t), influence, level)


def atkinson(
    x: np.ndarray, epsilon: float = 1.0, level: float = 0.95
) -> tuple[float, float, float, float]:
    """(A_ε, SE, low, high)."""
    if epsilon <= 0:
        raise NotEstimable("atkinson_epsilon")
    x = _check(x, epsilon >= 1, "Atkinson")
    mu = x.mean()
    if epsilon == 1:
        logs = np.log(x)
        ede = float(np.exp(logs.mean()))
        ede_if = ede * (logs - logs.mean())
    else:
        powered = x ** (1 - epsilon)
        m = powered.mean()
        ede = float(m ** (1 / (1 - epsilon)))
        ede_if = ede / ((1 - epsilon) * m) * (powered - m)
    value = 1 - ede / mu
    influence = -(ede_if / mu - ede * (x - mu) / mu**2)
    return _finish(float(value), influence, level)


INDICES = {"gini": gini, "theil": theil, "atkinson": atkinson}
