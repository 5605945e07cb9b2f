"""Wild cluster bootstrap (Cameron, Gelbach & Miller 2008; Roodman et al. 2019).

p-value from the restricted (null imposed) bootstrap of the CR1 t statistic; interval from the
unrestricted bootstrap-t; Rademacher or Webb six-point weights. With absorbed effects that are not
nested in the clusters, bootstrap outcomes are demeaned again after the sign flips.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.ols import _cluster_sums, check_clusters, check_se


def _bootstrap_weights(rng: np.random.Generator, G: int, reps: int, kind: str) -> np.ndarray:
    from evalsoc.sections.memory import check_draws_fit

    check_draws_fit(reps, 2 * G, "effects: bootstrap_reps")  # (G × reps) weights and products
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(G, reps))
    if kind == "webb":
        six = np.sqrt(np.array([0.5, 1.0, 1.5]))
        return rng.choice(np.concatenate([-six, six]), size=(G, reps))
    raise ValueError(f"unknown bootstrap weights {kind!r}")


def _wild_t(
    X: np.ndarray,
    fitted: np.ndarray,
    resid: np.ndarray,
    codes: np.ndarray,
    G: int,
    bread: np.ndarray,
    j: int,
    W: np.ndarray,
    center: float,
    adj: float,
) -> np.ndarray:
    """CR1 t statistics of coefficient j for y* = fitted + resid·w_g, all replications at once.

    Uses the per-cluster algebra of Roodman et al. (2019) so that no replication refits OLS.
    """
    B = X @ bread  # n × k; row i is (X'X)^-1 x_i
    beta0 = B.T @ fitted  # k
    C = _cluster_sums(B * resid[:, None], codes, G).T  # k × G
    beta_star = beta0[:, None] + C @ W  # k × reps
    v = bread[j]  # row j of the bread
    xv = X @ v
    a = np.bincount(codes, weights=xv * fitted, minlength=G)  # G
    c = np.bincount(codes, weights=xv * resid, minlength=G)  # G
    M = _cluster_sums(X * xv[:, None], codes, G)  # G × k: v'X_g'X_g
    u = a[:, None] - M @ beta_star + W * c[:, None]  # G × reps
    var = adj * np.sum(u**2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (beta_star[j] - center) / np.sqrt(var)


def wild_cluster_bootstrap(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    term: str,
    clusters: np.ndarray,
    *,
    reps: int = 999,
    seed: int | None = None,
    weights: str = "rademacher",
    level: float = 0.95,
    absorbed_df_not_nested: int = 0,
) -> dict[str, Any]:
    """Wild cluster bootstrap of coefficient `term`: restricted p-value, bootstrap-t interval.

    Returns {"p_value", "ci_low", "ci_high", "reps", "weights", "t_stat"}. Random draws come
    only from numpy.random.default_rng(seed) (same inputs + seed → same result).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    names = list(names)
    j = names.index(term)
    codes = np.asarray(clusters, dtype=np.int64)
    G = int(codes.max()) + 1
    col = X[:, j]
    binary = np.all((col == 0) | (col == 1)) and 0 < col.sum() < col.size
    check_clusters(codes, col if binary else None, what="a wild cluster bootstrap interval")
    n, k = X.shape
    adj = G / (G - 1) * (n - 1) / (n - k - absorbed_df_not_nested)
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ (X.T @ y)
    fitted = X @ beta
    resid = y - fitted
    scores = _cluster_sums(X * resid[:, None], codes, G)
    v = bread[j]
    se = float(np.sqrt(adj * np.sum((scores @ v) ** 2)))
    check_se(float(beta[j]), se)
    t_obs = float(beta[j] / se)
    rng = np.random.default_rng(seed)
    W = _bootstrap_weights(rng, G, reps, weights)
    # Restricted model (coefficient j set to 0) for the p-value.
    keep = [i for i in range(k) if i != j]
    Xr = X[:, keep]
    if Xr.shape[1]:
        beta_r = np.linalg.lstsq(Xr, y, rcond=None)[0]
        fitted_r = Xr @ beta_r
    else:
        fitted_r = np.zeros_like(y)
    t_null = _wild_t(X, fitted_r, y - fitted_r, codes, G, bread, j, W, 0.0, adj)
    # Unrestricted bootstrap-t for the interval.
    t_alt = _wild_t(X, fitted, resid, codes, G, bread, j, W, float(beta[j]), adj)
    # A replication whose CR1 variance is zero has no t statistic: it is not counted as "less
    # extreme" (which would push the p-value towards 0); too many of them → not estimable.
    ok_null, ok_alt = np.isfinite(t_null), np.isfinite(t_alt)
    if ok_null.mean() < 0.5 or ok_alt.mean() < 0.5:
        raise NotEstimable("wild_bootstrap_failed", clusters=G)
    p_value = float(np.mean(np.abs(t_null[ok_null]) >= abs(t_obs)))
    q = float(np.quantile(np.abs(t_alt[ok_alt]), level))
    return {
        "p_value": p_value,
        "ci_low": float(beta[j] - q * se),
        "ci_high": float(beta[j] + q * se),
        "reps": int(reps),
        "weights": weights,
        "t_stat": t_obs,
    }
