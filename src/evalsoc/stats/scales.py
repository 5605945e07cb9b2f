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
    return items[~np.isnan(items).any(axis=1)]


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
    cov = np.cov(x, rowvar=False)
    if np.any(np.diag(cov) <= 0):
        return float("nan")
    lam, theta = one_factor_ml(cov)
    common = lam.sum() ** 2
    return float(common / (common + theta.sum()))


def reliability(items: np.ndarray, names: Sequence[str], level: float = 0.95) -> dict[str, Any]:
    """α with Feldt's CI, ω and item-rest correlations of one dimension's items."""
    x = complete_rows(items)
    n, k = x.shape
    out: dict[str, Any] = {"n": int(n), "items": k}
    if k < 2:
        return {**out, "estimable": False, "reason_code": "scale_single_item"}
    if n < 3:
        return {**out, "estimable": False, "reason_code": "scale_few_answers"}
    alpha = _alpha(x)  # x is complete: the kernels skip the listwise pass (a copy per call)
    low, high = feldt_interval(alpha, n, k, level)
    omega = _omega(x)
    rest = _item_rest(x)
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


def _omega_reason(k: int) -> str:
    """A code of evalsoc.problems: the wording lives there."""
    return "omega_few_items" if k < 3 else "omega_not_fitted"


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
