"""Reliability of multi-item scales: Cronbach's α with Feldt's CI, McDonald's ω, item-rest r.

α = k/(k−1) (1 − Σσ²_item / σ²_total) (Cronbach 1951). Its CI is Feldt's exact interval under
normality: (1 − α)/(1 − α̂) ~ F(n − 1, (n − 1)(k − 1)) (Feldt, Woodruff & Salih 1987, eq. 6–7).
ω = (Σλ)² / ((Σλ)² + Σθ) from a one-factor model fitted by maximum likelihood (the concentrated
likelihood of Jöreskog 1967, as R's `factanal`), on the covariance scale of the raw items, since
the dimension score sums (or averages) the raw items (McDonald 1999, ch. 6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

ALPHA_WARNING = 0.7


def complete_rows(items: np.ndarray) -> np.ndarray:
    """Rows with every item observed (listwise deletion, as the scale score needs)."""
    items = np.asarray(items, dtype=np.float64)
    complete = ~np.isnan(items).any(axis=1)
    return items if complete.all() else items[complete]  # no copy when nothing is missing


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's α of complete rows (n × k, k ≥ 2)."""
    return _alpha(complete_rows(items))


def _alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total <= 0:
        return float("nan")
    return k / (k - 1) * (1.0 - x.var(axis=0, ddof=1).sum() / total)


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's CI for α from n persons and k items."""
    from scipy.stats import f

    if not math.isfinite(alpha) or n < 3 or k < 2:
        return (float("nan"), float("nan"))
    d1, d2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - level) / 2
    low = 1.0 - (1.0 - alpha) * f.ppf(1.0 - tail, d1, d2)
    high = 1.0 - (1.0 - alpha) * f.ppf(tail, d1, d2)
    return (float(low), float(high))


def item_rest_correlations(items: np.ndarray) -> np.ndarray:
    """Correlation of each item with the sum of the other items."""
    return _item_rest(complete_rows(items))


def _item_rest(x: np.ndarray) -> np.ndarray:
    total = x.sum(axis=1)
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        rest = total - x[:, j]
        if x[:, j].std() > 0 and rest.std() > 0:
            out[j] = np.corrcoef(x[:, j], rest)[0, 1]
    return out


def one_factor_ml(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loadings λ and unique variances θ of a one-factor model, fitted by ML on `cov`."""
    from scipy.optimize import minimize

    cov = np.asarray(cov, dtype=np.float64)
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    p = corr.shape[0]
    if p < 3:
        raise ValueError("a one-factor model needs at least three items")

    def loadings_for(psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scale = 1.0 / np.sqrt(psi)
        values, vectors = np.linalg.eigh(corr * np.outer(scale, scale))
        return values, vectors

    def objective(psi: np.ndarray) -> float:
        values = loadings_for(psi)[0][:-1]  # all but the largest eigenvalue
        return float(-np.sum(np.log(values) - values) - p + 1)

    start = (1.0 - 0.5 / p) / np.diag(np.linalg.inv(corr))
    fit = minimize(objective, start, method="L-BFGS-B", bounds=[(0.005, 1.0)] * p)
    psi = fit.x
    values, vectors = loadings_for(psi)
    lam = np.sqrt(psi) * vectors[:, -1] * math.sqrt(max(values[-1] - 1.0, 0.0))
    if lam.sum() < 0:
        lam = -lam
    return lam * sd, psi * sd**2


def mcdonald_omega(items: np.ndarray) -> float:
    """ω total of complete rows from a one-factor ML model (needs ≥ 3 items)."""
    return _omega(complete_rows(items))


def _omega(x: np.ndarray) -> float:
    if x.shape[1] < 3 or x.shape[0] <= x.shape[1]:
        return float("nan")
    return _omega_of(np.cov(x, rowvar=False))


def _omega_of(cov: np.ndarray) -> float:
    if np.any(np.diag(cov) <= 0):
        return float("nan")
    lam, theta = one_factor_ml(cov)
    common = lam.sum() ** 2
    return float(common / (common + theta.sum()))


def reliability(
    items: np.ndarray,
    names: Sequence[str],
    level: float = 0.95,
    counts: np.ndarray | None = None,
) -> dict[str, Any]:
    """α with Feldt's CI, ω and item-rest correlations of one dimension's items.

    `counts`: each row stands for that many persons (groups of identical answers, as the
    DuckDB engine returns them). With integer items every figure comes from exact integer
    moments, so it does not depend on the rows' order or grouping: ω is fitted on the exactly
    rounded covariance matrix, the same bits from persons or from their groups."""
    items = np.asarray(items, dtype=np.float64)
    if counts is None:
        x = complete_rows(items)
        n = int(x.shape[0])
    else:
        complete = ~np.isnan(items).any(axis=1)
        x, counts = items[complete], np.asarray(counts, dtype=np.int64)[complete]
        n = int(counts.sum())
    k = x.shape[1]
    out: dict[str, Any] = {"n": n, "items": k}
    if k < 2:
        return {**out, "estimable": False, "reason_code": "scale_single_item"}
    if n < 3:
        return {**out, "estimable": False, "reason_code": "scale_few_answers"}
    moments = integer_moments(x, counts)
    if moments is None and counts is not None:  # not integers: the persons themselves
        x, counts = np.repeat(x, counts, axis=0), None
    if moments is not None:  # Likert items: α and item-rest r from exact integer moments
        alpha, rest = _exact_alpha(moments), _exact_item_rest(moments)
        omega = _exact_omega(moments)
    else:  # x is complete: the kernels skip the listwise pass (a copy per call)
        alpha, rest = _alpha(x), _item_rest(x)
        omega = _omega(x)
    low, high = feldt_interval(alpha, n, k, level)
    out.update(
        {
            "alpha": _finite(alpha),
            "alpha_ci": [_finite(low), _finite(high)] if math.isfinite(low) else None,
            "alpha_ci_method": "Feldt",
            "omega": _finite(omega),
            "omega_reason_code": None if math.isfinite(omega) else _omega_reason(k),
            "item_rest": {name: _finite(r) for name, r in zip(names, rest)},
            "alpha_below_threshold": bool(math.isfinite(alpha) and alpha < ALPHA_WARNING),
        }
    )
    return out


def integer_moments(
    x: np.ndarray, counts: np.ndarray | None = None
) -> tuple[int, list[int], list[list[int]]] | None:
    """n, the item sums Σx_j and the cross-products Σx_i·x_j of complete rows, as exact
    integers, when every value is an integer and n·max|x|² < 2^53: then every partial sum of
    `x.sum(0)` and `x.T @ x` is an integer float64 holds exactly, whatever the summation order
    (one pass of BLAS instead of the per-item variances and correlations' centred copies).
    `counts`: persons per row (n is their sum). None otherwise (the floating-point kernels)."""
    n = x.shape[0] if counts is None else int(np.sum(counts))
    if x.shape[0] == 0 or x.shape[1] == 0:
        return None
    top = float(np.max(np.abs(x)))
    if not math.isfinite(top) or top * top * n >= 2.0**53 or not np.array_equal(x, np.trunc(x)):
        return None
    if counts is None:
        sums = [int(v) for v in x.sum(axis=0)]
        cross = [[int(v) for v in row] for row in x.T @ x]
    else:
        weighted = x * np.asarray(counts, dtype=np.float64)[:, None]  # integers, exact
        sums = [int(v) for v in weighted.sum(axis=0)]
        cross = [[int(v) for v in row] for row in weighted.T @ x]
    return n, sums, cross


def _scaled_covariance(moments: tuple[int, list[int], list[list[int]]]) -> list[list[int]]:
    """n(n − 1) times the sample covariance matrix, exactly: n·Σx_i x_j − Σx_i·Σx_j."""
    n, sums, cross = moments
    k = len(sums)
    return [[n * cross[i][j] - sums[i] * sums[j] for j in range(k)] for i in range(k)]


def _exact_omega(moments: tuple[int, list[int], list[list[int]]]) -> float:
    """ω fitted on the sample covariance matrix rounded once per entry from exact moments."""
    from fractions import Fraction

    n, sums, _ = moments
    k = len(sums)
    if k < 3 or n <= k:
        return float("nan")
    scale = n * (n - 1)
    cov = np.asarray(
        [[float(Fraction(c, scale)) for c in row] for row in _scaled_covariance(moments)]
    )
    return _omega_of(cov)


def _exact_alpha(moments: tuple[int, list[int], list[list[int]]]) -> float:
    """Cronbach's α from exact moments, rounded once: k/(k−1) (1 − Σ C_jj / Σ C_ij)."""
    from fractions import Fraction

    n, sums, _ = moments
    k = len(sums)
    if k < 2 or n < 2:
        return float("nan")
    c = _scaled_covariance(moments)
    total = sum(sum(row) for row in c)  # n(n − 1) × variance of the row sums
    if total <= 0:
        return float("nan")
    items = sum(c[j][j] for j in range(k))
    return float(Fraction(k, k - 1) * (1 - Fraction(items, total)))


def _exact_item_rest(moments: tuple[int, list[int], list[list[int]]]) -> np.ndarray:
    """Correlation of each item with the sum of the others from exact moments; the square root
    taken with 40 significant digits, so the result is the correctly rounded r."""
    from decimal import Context

    n, sums, _ = moments
    k = len(sums)
    c = _scaled_covariance(moments)
    total = sum(sum(row) for row in c)
    out = np.full(k, np.nan)
    context = Context(prec=40)
    for j in range(k):
        with_rest = sum(c[j]) - c[j][j]
        rest_var = total - 2 * sum(c[j]) + c[j][j]
        if n < 2 or c[j][j] <= 0 or rest_var <= 0:
            continue
        denominator = context.sqrt(context.create_decimal(c[j][j] * rest_var))
        out[j] = float(context.divide(context.create_decimal(with_rest), denominator))
    return out


def _omega_reason(k: int) -> str:
    """A code of evalsoc.problems: the wording lives there."""
    return "omega_few_items" if k < 3 else "omega_not_fitted"


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
