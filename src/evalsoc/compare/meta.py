"""Random-effects meta-analysis of one effect estimated in several runs.

DerSimonian–Laird and Paule–Mandel come from statsmodels' `combine_effects` (a maintained
implementation checked against R's metafor); REML, which `combine_effects` lacks, is the
standard fixed-point iteration (Viechtbauer 2005, eq. 12), as metafor's default `rma()`.
Conventions, as metafor's defaults: normal-quantile intervals; I² = τ² / (τ² + s²) with s² the
"typical" within-study variance (Higgins & Thompson 2002), which equals (Q − df)/Q for DL;
prediction interval μ ± z·√(SE² + τ²)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from evalsoc.problems import problem

Z95 = 1.959963984540054
METHODS = {"dl": "DerSimonian–Laird", "pm": "Paule–Mandel", "reml": "REML"}


def reml_tau2(y: np.ndarray, v: np.ndarray, tol: float = 1e-10, max_iter: int = 1000) -> float:
    """REML between-study variance by the fixed-point iteration, started at the DL value."""
    w = 1 / v
    mu = float((w * y).sum() / w.sum())
    q = float((w * (y - mu) ** 2).sum())
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    for _ in range(max_iter):
        w = 1 / (v + tau2)
        mu = float((w * y).sum() / w.sum())
        new = float((w**2 * ((y - mu) ** 2 - v)).sum() / (w**2).sum() + 1 / w.sum())
        new = max(0.0, new)
        if abs(new - tau2) < tol:
            return new
        tau2 = new
    raise ArithmeticError("REML τ² did not converge in 1000 iterations")


def typical_variance(v: np.ndarray) -> float:
    w = 1 / v
    return float((len(v) - 1) * w.sum() / (w.sum() ** 2 - (w**2).sum()))


def pool(estimates: list[float], variances: list[float], method: str = "reml") -> dict[str, Any]:
    """Pooled estimate, 95% CI, τ², I², Q and the 95% prediction interval."""
    y = np.asarray(estimates, dtype=float)
    v = np.asarray(variances, dtype=float)
    k = len(y)
    if k < 2:
        return {
            "method": METHODS[method],
            "estimable": False,
            "reason": problem("meta_few_estimates"),
        }
    if not np.all(np.isfinite(y)) or not np.all(v > 0):
        return {
            "method": METHODS[method],
            "estimable": False,
            "reason": problem("meta_missing_se"),
        }
    if method == "reml":
        tau2 = reml_tau2(y, v)
    else:
        from statsmodels.stats.meta_analysis import combine_effects

        tau2 = max(0.0, float(combine_effects(y, v, method_re=method).tau2))
    w = 1 / (v + tau2)
    mu = float((w * y).sum() / w.sum())
    se = math.sqrt(1 / w.sum())
    w_fe = 1 / v
    mu_fe = (w_fe * y).sum() / w_fe.sum()
    q = float((w_fe * (y - mu_fe) ** 2).sum())
    s2 = typical_variance(v)
    pred = Z95 * math.sqrt(se**2 + tau2)
    return {
        "method": METHODS[method],
        "estimable": True,
        "k": k,
        "estimate": mu,
        "se": se,
        "ci": [mu - Z95 * se, mu + Z95 * se],
        "tau2": tau2,
        "tau": math.sqrt(tau2),
        "i2": tau2 / (tau2 + s2),
        "q": q,
        "q_df": k - 1,
        "q_p_value": float(_chi2_sf(q, k - 1)),
        "prediction_interval": [mu - pred, mu + pred],
        "weights": [float(x) for x in w / w.sum()],
    }


def _chi2_sf(x: float, df: int) -> float:
    from scipy.stats import chi2

    return float(chi2.sf(x, df))
