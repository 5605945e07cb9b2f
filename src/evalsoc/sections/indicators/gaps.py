"""Gaps between two groups (women − men, one neighbourhood − another) and whether a gap narrows
between waves: the difference in gaps, each with its interval.

gap = mean(group A) − mean(group B); with `over` (a wave column), the change of the gap from the
first to the last wave: (Ā_last − B̄_last) − (Ā_first − B̄_first). The groups are independent
samples, so the variance is the sum of the means' variances s²/n, and the interval uses
Welch–Satterthwaite's degrees of freedom, df = (Σ vᵢ)² / Σ vᵢ²/(nᵢ − 1) (Welch's t-test for one
gap). `smallest` is the size of the smallest group compared: the privacy rule applies to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _text(values: Any) -> np.ndarray:
    return np.array([str(v) for v in values], dtype=object)


def gap(
    y: np.ndarray,
    between: np.ndarray,
    groups: tuple[Any, Any],
    over: np.ndarray | None = None,
    level: float = 0.95,
) -> dict[str, float]:
    """{value, se, ci_low, ci_high, df, smallest}; NaN value when a compared cell is empty or
    holds one row."""
    from scipy import stats  # lazily: scipy costs ~0.6 s to import

    y = np.asarray(y, dtype=float)
    labels = _text(between)
    first, second = str(groups[0]), str(groups[1])
    cells: list[tuple[np.ndarray, float]] = []  # (values, sign)
    if over is None:
        cells = [(y[labels == first], 1.0), (y[labels == second], -1.0)]
    else:
        waves = sorted(set(np.asarray(over).tolist()))
        if len(waves) < 2:
            return _empty(0)
        w = np.asarray(over)
        lo_w, hi_w = w == waves[0], w == waves[-1]
        cells = [
            (y[hi_w & (labels == first)], 1.0),
            (y[hi_w & (labels == second)], -1.0),
            (y[lo_w & (labels == first)], -1.0),
            (y[lo_w & (labels == second)], 1.0),
        ]
    sizes = [c.size for c, _ in cells]
    if min(sizes) < 2:
        return _empty(min(sizes))
    value = sum(sign * c.mean() for c, sign in cells)
    variances = np.array([c.var(ddof=1) / c.size for c, _ in cells])
    se = float(np.sqrt(variances.sum()))
    denominator = float(sum(v**2 / (n - 1) for v, n in zip(variances, sizes)))
    df = variances.sum() ** 2 / denominator if denominator > 0 else float("inf")
    crit = float(stats.t.ppf(0.5 + level / 2, df)) if np.isfinite(df) else 0.0
    return {
        "value": float(value),
        "se": se,
        "ci_low": float(value - crit * se),
        "ci_high": float(value + crit * se),
        "df": float(df),
        "smallest": float(min(sizes)),
    }


def _empty(smallest: int) -> dict[str, float]:
    nan = float("nan")
    return {
        "value": nan,
        "se": nan,
        "ci_low": nan,
        "ci_high": nan,
        "df": nan,
        "smallest": float(smallest),
    }
