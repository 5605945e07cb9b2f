"""OLS with an intercept from grouped moments, without the rows: the estimate, the classical
variance and the cluster-robust CR1 from one pass; HC0–HC3 from the sums of a second pass.

Input: rows in groups (an engine's GROUP BY). Per group r: its row count n_r, the mean m_r of
every column (the k regressors, then the outcome last) and the co-moments
C_r = Σ_{i∈r}(z_i − m_r)(z_i − m_r)' of the columns that vary within groups (`varying`; a
column constant in every group, such as a dummy the engine grouped by, has none).

Precision (why centred moments, not raw sums): the groups are pooled by the exact
parallel-variance identity M = Σ C_r + Σ n_r (m_r − m̄)(m_r − m̄)' (as stats/did_cells.py),
so the normal equations are the centred ones, M_xx β = M_xy, and the residual sum of squares
is M_yy − β'M_xy: its cancellation is only that of the fit's R² (1/(1 − R²)), never that of
the outcome's mean against its spread (as Σy² − β'X'y would be).

The intercept is left implicit: with centred columns the bread is block-diagonal,
(X'X)⁻¹ = diag(1/n, M_xx⁻¹), so the slopes' sandwich is M_xx⁻¹·meat·M_xx⁻¹ with the meat of
the centred rows, and the leverage of a row is h = 1/n + x̃'M_xx⁻¹x̃. The conventions are those
of sections/effects/ols.py and stats/variance.py (evalsoc's collected path):

- classical: s²·M_xx⁻¹, s² = RSS/(n − K); t(n − K);
- CR1: G/(G − 1)·(n − 1)/(n − K)·M⁻¹(Σ_g s_g s_g')M⁻¹ with the cluster's score
  s_g = Σ_{r∈g}[C_r,xy − C_r,xx β + n_r d_r(d_r,y − d_r'β)] (d_r = m_r − m̄); t(G − 1);
- HC0–HC3: M⁻¹(Σ w_i x̃_i x̃_i')M⁻¹, w = e², e²·n/(n − K), e²/(1 − h), e²/(1 − h)²: the meat
  comes from a second scan of the rows given `second_pass` (residual and leverage per row,
  exact, no fourth moments; a regressor may be a numeric column times a 0/1 group factor, as
  Lin's interactions); t(n − K).

K counts every parameter, the intercept and absorbed ones included (the caller's `n_params`).
Plain numpy: no knowledge of the framework, the engines or the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evalsoc.stats.variance import NotComputable

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Moments:
    """Rows in R groups: `n` (R,), `mean` (R, k + 1: regressors then outcome), `comoment`
    (R, q, q) about each group's mean for the columns `varying` (indices into mean's columns,
    increasing), `cluster` (R,) codes 0..G−1 or None."""

    n: Floats
    mean: Floats
    comoment: Floats
    varying: tuple[int, ...]
    cluster: Ints | None = None


@dataclass(frozen=True)
class Pooled:
    """All the groups' rows: count, column means (k + 1) and centred co-moment matrix."""

    n: float
    mean: Floats
    matrix: Floats


@dataclass(frozen=True)
class Fit:
    """The slopes (k), the intercept, the bread M_xx⁻¹ and the residual sum of squares."""

    coef: Floats
    intercept: float
    bread: Floats
    rss: float
    pooled: Pooled


def _full_comoments(moments: Moments) -> Floats:
    """(R, k + 1, k + 1) co-moments with zeros for the columns constant within groups."""
    R, width = moments.mean.shape
    full = np.zeros((R, width, width))
    idx = np.asarray(moments.varying, dtype=np.int64)
    if idx.size:
        full[:, idx[:, None], idx[None, :]] = moments.comoment
    return full


def pool(moments: Moments) -> Pooled:
    """The groups pooled by the parallel-variance identity (no raw sums of squares)."""
    n_r = np.asarray(moments.n, dtype=float)
    n = float(n_r.sum())
    mean = (n_r[:, None] * moments.mean).sum(axis=0) / n
    dev = moments.mean - mean
    spread = np.einsum("r,ri,rj->ij", n_r, dev, dev)
    idx = np.asarray(moments.varying, dtype=np.int64)
    matrix = spread.copy()
    if idx.size:
        matrix[np.ix_(idx, idx)] += moments.comoment.sum(axis=0)
    return Pooled(n, mean, (matrix + matrix.T) / 2)


def raw_gram(pooled: Pooled) -> Floats:
    """X'X of [1, regressors] (uncentred), as the collected path's rank check reads it."""
    k = pooled.mean.size - 1
    m = pooled.mean[:k]
    out = np.empty((k + 1, k + 1))
    out[0, 0] = pooled.n
    out[0, 1:] = out[1:, 0] = pooled.n * m
    out[1:, 1:] = pooled.matrix[:k, :k] + pooled.n * np.outer(m, m)
    return out


def fit(pooled: Pooled) -> Fit:
    """OLS of the outcome on the regressors and an intercept (full rank checked by the caller:
    np.linalg.solve raises LinAlgError on an exactly singular matrix)."""
    k = pooled.mean.size - 1
    Mxx, Mxy = pooled.matrix[:k, :k], pooled.matrix[:k, k]
    bread = np.linalg.inv(Mxx)
    coef = np.asarray(np.linalg.solve(Mxx, Mxy), dtype=np.float64)
    rss = float(pooled.matrix[k, k] - coef @ Mxy)
    intercept = float(pooled.mean[k] - coef @ pooled.mean[:k])
    return Fit(coef, intercept, (bread + bread.T) / 2, max(rss, 0.0), pooled)


def classical(result: Fit, n_params: int) -> Floats:
    """s²·(X'X)⁻¹ of the slopes, s² = RSS/(n − K)."""
    return result.rss / (result.pooled.n - n_params) * result.bread


def cluster_scores(moments: Moments, result: Fit) -> Floats:
    """(G, k): per cluster, Σ x̃_i e_i over its rows (x̃ the centred regressors)."""
    if moments.cluster is None:
        raise ValueError("cluster scores need the groups' cluster codes")
    k = result.coef.size
    beta = np.append(-result.coef, 1.0)  # e = ỹ − x̃'β: z̃'·[−β, 1]
    dev = moments.mean - result.pooled.mean
    full = _full_comoments(moments)
    per_group = full[:, :k, :] @ beta + moments.n[:, None] * dev[:, :k] * (dev @ beta)[:, None]
    G = int(moments.cluster.max()) + 1
    out = np.empty((G, k))
    for j in range(k):
        out[:, j] = np.bincount(moments.cluster, weights=per_group[:, j], minlength=G)
    return out


def cr1(result: Fit, scores: Floats, n_params: int) -> Floats:
    """CR1 with Stata's factor G/(G − 1)·(n − 1)/(n − K) (stats/variance.py `cr1_cov`)."""
    G, n = scores.shape[0], result.pooled.n
    factor = G / (G - 1) * (n - 1) / (n - n_params)
    return float(factor) * result.bread @ (scores.T @ scores) @ result.bread


@dataclass(frozen=True)
class SecondPass:
    """What a second scan needs to compute each row's residual and leverage. A row of key group
    r has the regressors x = c_r + A_r ñ, ñ its numeric columns centred at `centre` (A_r places
    them, times the group's 0/1 factor for an interaction): then e = y − alpha_r − slope_r'ñ and
    h = h0_r + b_r'ñ + ñ'D_r ñ."""

    centre: Floats  # (q,) means of the numeric columns
    alpha: Floats  # (R,) fitted value at ñ = 0
    slope: Floats  # (R, q) A_r'β
    h0: Floats  # (R,) leverage at ñ = 0 (1/n included)
    b: Floats  # (R, q) 2·A_r'B(c_r − x̄)
    D: Floats  # (R, q, q) A_r'BA_r


def second_pass(result: Fit, constant: Floats, transform: Floats, centre: Floats) -> SecondPass:
    """The per-group terms of the residual and leverage: `constant` (R, k) the regressors at
    ñ = 0, `transform` (R, k, q) the A_r above, B the bread."""
    k = result.coef.size
    u = constant - result.pooled.mean[:k]
    B = result.bread
    alpha = result.pooled.mean[k] + u @ result.coef
    slope = np.einsum("rkq,k->rq", transform, result.coef)
    h0 = 1.0 / result.pooled.n + np.einsum("ri,ij,rj->r", u, B, u)
    b = 2.0 * np.einsum("rkq,kj,rj->rq", transform, B, u)
    D = np.einsum("rkq,kj,rjp->rqp", transform, B, transform)
    return SecondPass(centre, alpha, slope, h0, b, D)


def hc_meat(
    constant: Floats, transform: Floats, result: Fit, w: Floats, wx: Floats, wxx: Floats
) -> Floats:
    """Σ w_i x̃_i x̃_i' (k × k) from the second scan's sums per key group: Σw (R,), Σw·ñ (R, q),
    Σw·ññ' (R, q, q), with x̃ = (c_r − x̄) + A_r ñ (`second_pass`)."""
    k = result.coef.size
    u = constant - result.pooled.mean[:k]
    moved = np.einsum("rkq,rq->rk", transform, wx)
    meat = np.einsum("r,ri,rj->ij", w, u, u)
    meat += np.einsum("ri,rj->ij", u, moved)
    meat += np.einsum("ri,rj->ij", moved, u)
    meat += np.einsum("rkq,rqp,rjp->kj", transform, wxx, transform)
    return np.asarray((meat + meat.T) / 2, dtype=np.float64)


def placement(R: int, k: int, varying: Sequence[int]) -> Floats:
    """(R, k, q) A_r placing q numeric columns at the regressors `varying` in every group."""
    out = np.zeros((R, k, len(varying)))
    for i, j in enumerate(varying):
        out[:, j, i] = 1.0
    return out


def hc_weights_factor(kind: str, n: float, n_params: int) -> float:
    """HC1's n/(n − K); 1 for the others (their weights are made per row)."""
    return n / (n - n_params) if kind == "hc1" else 1.0


def hc(result: Fit, meat: Floats, kind: str, n_params: int, max_leverage: float) -> Floats:
    """HC0–HC3 of the slopes from the second scan's meat (weights e², e²/(1 − h),
    e²/(1 − h)²; HC1 = HC0·n/(n − K)); NotComputable where stats/variance.py `hc_cov` is."""
    if kind in ("hc2", "hc3") and max_leverage >= 1 - 1e-10:
        raise NotComputable(
            f"some observations are fitted exactly (leverage 1): {kind.upper()} standard "
            "errors cannot be computed; too few observations in a group (hc1 needs no "
            "leverage)"
        )
    factor = hc_weights_factor(kind, result.pooled.n, n_params)
    return factor * result.bread @ meat @ result.bread


def schur(matrix: Floats, keep: Sequence[int], out: Sequence[int]) -> Floats:
    """The co-moments of the columns `keep` after their projection on the columns `out`
    (the Gram matrix of the columns residualised on those, e.g. on fixed-effect dummies)."""
    a = np.asarray(list(keep), dtype=np.int64)
    b = np.asarray(list(out), dtype=np.int64)
    if b.size == 0:
        return np.array(matrix[np.ix_(a, a)])
    inner = matrix[np.ix_(b, b)]
    cross = matrix[np.ix_(a, b)]
    return np.array(matrix[np.ix_(a, a)] - cross @ np.linalg.pinv(inner) @ cross.T)
