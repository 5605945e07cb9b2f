"""Absorbed fixed effects: singleton dropping, the alternating-projections demeaning, and which
effects are nested in the clusters (Cameron & Miller 2015; fixest's convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable


@dataclass
class Absorbed:
    """Fixed effects to absorb: level codes per dimension and their degrees of freedom.

    df: rank of the fixed-effect dummies (exact for one or two dimensions: L₁ + L₂ − number of
    connected components; for three or more, L₁ + Σ(L_j − 1), which assumes a connected design).
    df_not_nested: the part counted in K for CR1 SEs (dimensions nested in clusters are left out,
    the intercept kept).
    leverage: for one dimension, each row's leverage of the absorbed projection (1/n_g), used by
    HC2; None for several dimensions (HC1 is used then).
    """

    names: list[str]
    codes: list[np.ndarray]
    n_levels: list[int]
    df: int
    df_not_nested: int
    leverage: np.ndarray | None
    nested: list[bool] = field(default_factory=list)


def drop_singletons(codes: Sequence[np.ndarray], rows: np.ndarray | None = None) -> np.ndarray:
    """Mask of rows kept after iteratively removing fixed-effect levels seen once (Correia 2015).

    Singletons are fitted exactly; they change no coefficient but would distort the SEs.
    rows: how many rows each entry stands for (an engine's groups of rows); one each if None.
    """
    n = len(codes[0]) if codes else 0
    keep = np.ones(n, dtype=bool)
    while True:
        changed = False
        for c in codes:
            weights = None if rows is None else rows[keep]
            size = int(c.max()) + 1 if c.size else 0
            counts = np.bincount(c[keep], weights=weights, minlength=size)
            single = keep & (counts[c] == 1)
            if single.any():
                keep &= ~single
                changed = True
        if not changed:
            return keep


def absorb_setup(
    labels: Sequence[Any], names: Sequence[str], clusters: np.ndarray | None = None
) -> Absorbed:
    """Describe the fixed effects to absorb (labels per dimension, rows already final)."""
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    codes: list[np.ndarray] = []
    n_levels: list[int] = []
    for lab in labels:
        c, uniq = pd.factorize(pd.Series(lab).reset_index(drop=True), sort=True)
        codes.append(c.astype(np.int64))
        n_levels.append(len(uniq))
    if len(codes) == 1:
        df = n_levels[0]
    elif len(codes) == 2:
        a, b = codes
        L1, L2 = n_levels
        graph = coo_matrix((np.ones(a.size), (a, b + L1)), shape=(L1 + L2, L1 + L2)).tocsr()
        n_comp, _ = connected_components(graph, directed=False)
        df = L1 + L2 - n_comp
    else:
        df = n_levels[0] + sum(L - 1 for L in n_levels[1:])
    df_not_nested = df
    nested = [False] * len(codes)
    if clusters is not None and codes:
        cl = np.asarray(clusters, dtype=np.int64)
        nested_levels = 0
        for i, (c, L) in enumerate(zip(codes, n_levels)):
            lo = np.full(L, np.iinfo(np.int64).max)
            hi = np.full(L, -1)
            np.minimum.at(lo, c, cl)
            np.maximum.at(hi, c, cl)
            if np.all(lo == hi):
                nested_levels += L
                nested[i] = True
        if nested_levels:
            df_not_nested = max(1, df - nested_levels + 1)
    leverage = None
    if len(codes) == 1:
        leverage = 1.0 / np.bincount(codes[0])[codes[0]]
    return Absorbed(list(names), codes, n_levels, int(df), int(df_not_nested), leverage, nested)


def demean(
    M: np.ndarray,
    absorbed: Absorbed,
    tol: float = 1e-13,
    max_iter: int = 10_000,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Within transformation: residuals of each column of M on all fixed effects.

    Alternating projections (method of alternating projections; Gaure 2013, Correia 2017):
    subtract group means dimension by dimension until a full sweep changes no value by more than
    `tol` times the column's scale. One dimension is exact in one sweep. With `weights`, the
    group means are weighted (the residuals of weighted least squares on the effects).
    """
    out = np.array(M, dtype=float, copy=True)
    if out.ndim == 1:
        out = out[:, None]
    counts = [
        np.bincount(c, weights=weights, minlength=L).astype(float)
        for c, L in zip(absorbed.codes, absorbed.n_levels)
    ]
    for j in range(out.shape[1]):
        x = out[:, j]
        scale = max(float(np.abs(x).max()), 1e-300)
        for _ in range(max_iter):
            delta = 0.0
            for c, L, n_g in zip(absorbed.codes, absorbed.n_levels, counts):
                wx = x if weights is None else weights * x
                means = np.bincount(c, weights=wx, minlength=L) / n_g
                x -= means[c]
                delta = max(delta, float(np.abs(means).max()))
            if len(absorbed.codes) == 1 or delta <= tol * scale:
                break
        else:  # pragma: no cover - would need a pathological design
            raise NotEstimable("fixed_effects_no_convergence")
        out[:, j] = x
    return out
