"""The 2×2 difference-in-differences from per-cell (and per-cluster) sums, without the rows.

The saturated model y ~ 1 + d + post + d×post fits each of its four cells' mean exactly, so
the OLS coefficient of d×post is the raw DiD Σ_c a_c·ȳ_c (a = +1 treated after, −1 treated
before, −1 control after, +1 control before) and every residual is yᵢ − ȳ_c. Each variance
estimator of evalsoc's OLS (sections/effects/ols.py, stats/variance.py) then reduces to sums:

- classical: s²·Σ_c 1/n_c with s² = Σ_c SS_c/(n − 4) (SS_c: the cell's squared deviations);
- HC0 Σ_c SS_c/n_c², HC1 HC0·n/(n − 4), HC2 Σ_c SS_c/(n_c(n_c − 1)) (leverage 1/n_c),
  HC3 Σ_c SS_c/(n_c − 1)²; `robust` is HC2 in evalsoc;
- CR1 G/(G − 1)·(n − 1)/(n − 4)·Σ_g u_g² with u_g = Σ_c a_c/n_c·(Σy_gc − n_gc·ȳ_c), the
  cluster's score of the d×post coefficient (the bread row of that coefficient times X_g'e_g);
  t with G − 1 degrees of freedom; the others t with n − 4.

Inputs are groups (a cell, or a cell within a cluster) with their row count, sum and squared
deviations about the group's own mean; cells and clusters are combined with the exact
parallel-variance identity, never from raw sums of squares (no cancellation).
Plain numpy: no knowledge of the framework, the engines or the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evalsoc.stats.variance import NotComputable, canonical

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

# The cells in the order of the DiD diagnostics: (treated, post) pairs.
CELLS = ((1, 0), (1, 1), (0, 0), (0, 1))
CONTRAST = np.array([-1.0, 1.0, 1.0, -1.0])  # treated: after − before; control: before − after
PARAMETERS = 4  # intercept, treated, post, treated × post


@dataclass(frozen=True)
class GroupSums:
    """Rows grouped by (treated, post) and, when clustered, by cluster (code 0..G−1)."""

    treated: Ints
    post: Ints
    n: Ints
    total: Floats  # Σy
    ss: Floats  # Σ(y − ȳ_group)²
    cluster: Ints | None = None


@dataclass(frozen=True)
class Cells:
    """The four cells in CELLS order: rows, means, squared deviations about the mean."""

    n: Ints
    mean: Floats
    ss: Floats


def _cell_index(treated: Ints, post: Ints) -> Ints:
    """Position in CELLS of each group: (1,0) 0, (1,1) 1, (0,0) 2, (0,1) 3."""
    return np.asarray((1 - treated) * 2 + post, dtype=np.int64)


def pooled(
    codes: Ints, size: int, n: Ints, total: Floats, ss: Floats
) -> tuple[Ints, Floats, Floats]:
    """Rows, mean and squared deviations of groups pooled by `codes` (0..size−1): SS of the
    pool = Σ SS_group + Σ n_group·(ȳ_group − ȳ_pool)² (exact, no raw sums of squares)."""
    rows = np.bincount(codes, weights=n, minlength=size)
    sums = np.bincount(codes, weights=total, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(rows > 0, sums / np.where(rows > 0, rows, 1), np.nan)
        own = np.where(n > 0, total / np.where(n > 0, n, 1), 0.0)
    spread = n * (own - np.nan_to_num(means[codes])) ** 2
    squares = np.bincount(codes, weights=ss + spread, minlength=size)
    return rows.astype(np.int64), means.astype(np.float64), squares.astype(np.float64)


def cells(groups: GroupSums) -> Cells:
    """The 2×2 table (CELLS order) from the groups; an empty cell has n 0 and mean NaN."""
    n, mean, ss = pooled(
        _cell_index(groups.treated, groups.post), 4, groups.n, groups.total, groups.ss
    )
    return Cells(n, mean, ss)


def estimate(table: Cells) -> float:
    """The raw DiD: (treated after − before) − (control after − before)."""
    return float(CONTRAST @ table.mean)


def variance(
    groups: GroupSums, table: Cells, se_type: str
) -> tuple[float, float | None, int | None]:
    """(variance of the d×post coefficient, its t's degrees of freedom, clusters G or None).

    se_type: evalsoc's names (classical, robust = HC2, cluster = CR1, hc0 … hc3, cr1).
    Raises NotComputable where stats.variance does (HC2/HC3 with a one-row cell).
    """
    kind = canonical(se_type)
    n_c = table.n.astype(float)
    n = float(n_c.sum())
    dof = n - PARAMETERS
    if kind == "classical":
        return float(table.ss.sum() / dof * (1.0 / n_c).sum()), dof, None
    if kind in ("hc0", "hc1", "hc2", "hc3"):
        if kind in ("hc2", "hc3") and np.any(1.0 / n_c >= 1 - 1e-10):
            raise NotComputable(
                f"some observations are fitted exactly (leverage 1): {kind.upper()} standard "
                "errors cannot be computed; too few observations in a group (hc1 needs no "
                "leverage)"
            )
        if kind in ("hc0", "hc1"):
            value = float((table.ss / n_c**2).sum())
            return (value * n / dof if kind == "hc1" else value), dof, None
        per_row = n_c * (n_c - 1) if kind == "hc2" else (n_c - 1) ** 2
        return float((table.ss / per_row).sum()), dof, None
    if kind != "cr1" or groups.cluster is None:
        raise ValueError(f"{se_type!r} is not computed from cell sums")
    G = int(groups.cluster.max()) + 1
    index = _cell_index(groups.treated, groups.post)
    residual_sums = groups.total - groups.n * table.mean[index]
    scores = np.bincount(groups.cluster, weights=CONTRAST[index] / n_c[index] * residual_sums)
    factor = G / (G - 1) * (n - 1) / dof
    return float(factor * (scores @ scores)), float(G - 1), G


def classical_t(table: Cells) -> tuple[float, float] | None:
    """(classical t of the DiD, residual df): what the sensitivity statistics read, or None."""
    dof = float(table.n.sum()) - PARAMETERS
    if dof < 2:
        return None
    se = float(np.sqrt(table.ss.sum() / dof * (1.0 / table.n.astype(float)).sum()))
    if not se > 0:
        return None
    return estimate(table) / se, dof


def icc_oneway(n: Ints, total: Floats, ss: Floats) -> float | None:
    """One-way ANOVA intra-cluster correlation from each cluster's rows, sum and squared
    deviations (sections/effects/sizes.py `icc_oneway` on the rows), ≥ 0; None if undefined."""
    sizes = np.asarray(n, dtype=float)
    G, N = sizes.size, float(sizes.sum())
    if G < 2 or N <= G:
        return None
    means = total / sizes
    grand = float(total.sum()) / N
    msb = float((sizes * (means - grand) ** 2).sum()) / (G - 1)
    msw = float(ss.sum()) / (N - G)
    m0 = (N - float((sizes**2).sum()) / N) / (G - 1)
    denom = msb + (m0 - 1) * msw
    if denom <= 0:
        return None
    return float(max(0.0, (msb - msw) / denom))
