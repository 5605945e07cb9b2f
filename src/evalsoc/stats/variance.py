"""Sandwich variance estimators of OLS coefficients, chosen by name, and their degrees of freedom.

Names (`ESTIMATORS`; aliases in `ALIASES`):
- ``classical``: σ̂²(X'X)⁻¹, σ̂² = e'e/(n − K).
- ``hc0`` … ``hc3``: (X'X)⁻¹ X' diag(ωᵢ) X (X'X)⁻¹ with ωᵢ = eᵢ² (HC0, White 1980),
  eᵢ²·n/(n − K) (HC1, Stata's `robust`), eᵢ²/(1 − hᵢ) (HC2) and eᵢ²/(1 − hᵢ)² (HC3), MacKinnon &
  White (1985); hᵢ the leverage.
- ``cr1``: G/(G − 1)·(n − 1)/(n − K)·(X'X)⁻¹ Σ_g X_g'e_g e_g'X_g (X'X)⁻¹ (Stata, statsmodels).
- ``cr2``: Bell & McCaffrey (2002), e_g pre-multiplied by A_g = (I − H_gg)^(−1/2), the symmetric
  generalised inverse square root when (I − H_gg) is singular (eigenvalues below 10⁻¹² of the
  largest set to zero), as R clubSandwich and estimatr do; with fixed effects, X holds the
  regressors and the effects *not* nested in clusters, demeaned by the nested ones only
  (Pustejovsky & Tipton 2018, Theorem 2), so H keeps the leverage of the non-nested effects.

Degrees of freedom: `cr2_satterthwaite_df` is the Bell–McCaffrey/Satterthwaite approximation of
clubSandwich's `coef_test(..., test = "Satterthwaite")` and estimatr's CR2 default (working model
Φ = I); with one row per cluster and two groups it is Welch's df (`welch_df`).

Plain numpy: no knowledge of the framework or the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

ALIASES = {"robust": "hc2", "robust_hc1": "hc1", "cluster": "cr1"}
ESTIMATORS = {
    "classical": "classical (homoskedastic) standard errors",
    "hc0": "heteroskedasticity-robust (HC0, White) standard errors",
    "hc1": "heteroskedasticity-robust (HC1) standard errors",
    "hc2": "heteroskedasticity-robust (HC2) standard errors",
    "hc3": "heteroskedasticity-robust (HC3) standard errors",
    "cr1": "cluster-robust (CR1) standard errors",
    "cr2": "bias-reduced cluster-robust (CR2, Bell–McCaffrey) standard errors",
}
CLUSTERED = ("cr1", "cr2")
NEEDS_LEVERAGE = ("hc2", "hc3")
EIGEN_TOL = 1e-12  # relative: eigenvalues of (I − H_gg) below this share of the largest are zero
MAX_CR2_CLUSTER_SIZE = 5000


class NotComputable(ValueError):
    """The variance cannot be computed from these data; the message says why."""


def canonical(name: str) -> str:
    """The registry name of an estimator (`robust` → `hc2`, `cluster` → `cr1`)."""
    name = ALIASES.get(name, name)
    if name not in ESTIMATORS:
        raise ValueError(f"unknown variance estimator {name!r} (known: {', '.join(ESTIMATORS)})")
    return name


def cluster_sums(M: np.ndarray, codes: np.ndarray, G: int) -> np.ndarray:
    """Column sums of M within each cluster (G × k), via bincount (fast for many rows)."""
    out = np.empty((G, M.shape[1]))
    for j in range(M.shape[1]):
        out[:, j] = np.bincount(codes, weights=M[:, j], minlength=G)
    return out


def leverage(X: np.ndarray, bread: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    """Diagonal of the hat matrix, plus the absorbed effects' leverage when given."""
    h = ((X @ bread) * X).sum(axis=1)  # BLAS, not einsum's k² loop per row
    return h if extra is None else h + extra


def classical_cov(resid: np.ndarray, bread: np.ndarray, n_params: int) -> np.ndarray:
    return float(resid @ resid) / (resid.size - n_params) * bread


def hc_cov(
    X: np.ndarray,
    resid: np.ndarray,
    bread: np.ndarray,
    kind: str,
    n_params: int,
    leverage_extra: np.ndarray | None = None,
) -> np.ndarray:
    """HC0–HC3 sandwich; n_params = K counts absorbed effects too (HC1's n/(n − K))."""
    n = resid.size
    if kind == "hc0":
        w = resid**2
    elif kind == "hc1":
        w = resid**2 * n / (n - n_params)
    elif kind in NEEDS_LEVERAGE:
        h = leverage(X, bread, leverage_extra)
        if np.any(h >= 1 - 1e-10):
            raise NotComputable(
                f"some observations are fitted exactly (leverage 1): {kind.upper()} standard "
                "errors cannot be computed; too few observations in a group (hc1 needs no "
                "leverage)"
            )
        w = resid**2 / (1 - h) ** (1 if kind == "hc2" else 2)
    else:
        raise ValueError(f"{kind!r} is not a heteroskedasticity-robust estimator")
    meat = (X * w[:, None]).T @ X
    return bread @ meat @ bread


def cr1_cov(
    X: np.ndarray, resid: np.ndarray, codes: np.ndarray, G: int, bread: np.ndarray, n_params: int
) -> np.ndarray:
    """CR1 with Stata's small-sample factor G/(G − 1)·(n − 1)/(n − K)."""
    n = resid.size
    scores = cluster_sums(X * resid[:, None], codes, G)
    return G / (G - 1) * (n - 1) / (n - n_params) * bread @ (scores.T @ scores) @ bread


def sym_inv_sqrt(M: np.ndarray, tol: float = EIGEN_TOL) -> tuple[np.ndarray, bool]:
    """Symmetric (generalised) inverse square root of a symmetric PSD matrix, and whether it
    was singular (eigenvalues ≤ tol × the largest are treated as zero, as clubSandwich)."""
    vals, vecs = np.linalg.eigh(M)
    top = max(float(np.abs(vals).max()), 1e-300) if vals.size else 1.0
    keep = vals > tol * top
    inv_sqrt = np.where(keep, 1 / np.sqrt(np.where(keep, vals, 1.0)), 0.0)
    return (vecs * inv_sqrt) @ vecs.T, bool(not keep.all())


@dataclass
class CR2:
    """CR2 covariance, the Satterthwaite df of the requested coefficients, and whether a
    generalised inverse was needed (a cluster fitted exactly in some direction)."""

    cov: np.ndarray
    df: dict[int, float] = field(default_factory=dict)
    singular_clusters: int = 0


def _nested_projection(u: np.ndarray, nested: Sequence[np.ndarray]) -> np.ndarray:
    """Projection of u (one cluster's rows) on the dummies of the nested absorbed effects."""
    if not nested:
        return np.zeros_like(u)
    if len(nested) == 1:
        c = np.unique(nested[0], return_inverse=True)[1]
        means = np.bincount(c, weights=u) / np.bincount(c)
        return means[c]
    D = np.column_stack(
        [(codes[:, None] == np.unique(codes)[None, :]).astype(float) for codes in nested]
    )
    return D @ np.linalg.lstsq(D, u, rcond=None)[0]


def cr2_cov(
    X: np.ndarray,
    resid: np.ndarray,
    codes: np.ndarray,
    G: int,
    bread: np.ndarray,
    *,
    df_for: Sequence[int] = (),
    nested: Sequence[np.ndarray] = (),
) -> CR2:
    """Bell–McCaffrey CR2 and, for the columns in `df_for`, the Satterthwaite df.

    X: the regressors and the effects not nested in clusters, demeaned by the nested effects
    (or holding the intercept when none is absorbed). nested: codes per row of the absorbed
    effects nested in clusters (their projection is part of the full hat matrix in the df).
    The df of coefficient j is (tr Γ)²/‖Γ‖²_F with Γ_gh = q_g'q_h, q_g = (I − H)_{·g} A_g X_g
    (X'X)⁻¹ e_j (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018, eq. 11, Φ = I).
    """
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(G + 1))
    k = X.shape[1]
    meat = np.zeros((k, k))
    js = list(df_for)
    own = np.zeros((len(js), G))  # u_g'(I − P_T,gg)u_g per coefficient and cluster
    cross = np.zeros((len(js), k, G))  # X_g'u_g per coefficient and cluster
    singular = 0
    for g in range(G):
        rows = order[bounds[g] : bounds[g + 1]]
        if rows.size > MAX_CR2_CLUSTER_SIZE:
            raise NotComputable(
                f"CR2 needs clusters of at most {MAX_CR2_CLUSTER_SIZE} rows; use the wild "
                "cluster bootstrap instead"
            )
        Xg = X[rows]
        adj, was_singular = sym_inv_sqrt(np.eye(rows.size) - Xg @ bread @ Xg.T)
        singular += was_singular
        s = Xg.T @ (adj @ resid[rows])
        meat += np.outer(s, s)
        sub = [c[rows] for c in nested]
        for i, j in enumerate(js):
            u = adj @ (Xg @ bread[:, j])
            own[i, g] = u @ u - u @ _nested_projection(u, sub)
            cross[i, :, g] = Xg.T @ u
    out = CR2(bread @ meat @ bread, singular_clusters=singular)
    for i, j in enumerate(js):
        gamma = np.diag(own[i]) - cross[i].T @ bread @ cross[i]
        denom = float(np.sum(gamma**2))
        out.df[j] = float(np.trace(gamma) ** 2 / denom) if denom > 0 else float("nan")
    return out


def welch_df(var1: float, n1: int, var0: float, n0: int) -> float:
    """Welch–Satterthwaite df of a difference of two means with unequal variances."""
    a, b = var1 / n1, var0 / n0
    return float((a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n0 - 1)))
