"""Abadie–Imbens (2006) standard error of a nearest-neighbour matching estimate of the effect on
the treated (ATT), matching with replacement on a fixed number of neighbours.

With τ̂ = (1/N₁) Σ_{treated i} (Yᵢ − Ŷᵢ(0)), Ŷᵢ(0) = Σ_j w_ij Y_j over i's matched controls,
each control j has K(j) = Σᵢ w_ij (the weight it carries in total) and K′(j) = Σᵢ w_ij². The
variance of the population ATT (Abadie & Imbens 2006, Theorem 7; Stata `teffects nnmatch`
`vce(robust)`, R `Matching::Match`'s `se`) is estimated by

    V̂ = (1/N₁²) [ Σ_{treated} (Yᵢ − Ŷᵢ(0) − τ̂)² + Σ_{controls} (K(j)² − K′(j)) σ̂²(j) ],

where σ̂²(j), the conditional variance of a control's outcome, is estimated by matching it to
the J nearest units of its own group on the same distance (Stata's `nn(J)`, R's `Var.calc =
J`): the sample variance (divisor J) of Y_j and its J neighbours' outcomes, as R's `Matching`
package computes it (Sekhon 2011; checked against Matching 4.10-8). Abadie & Imbens (2006,
eq. 14) write J/(J + 1) · (Y_j − mean of the J neighbours)²; both are unbiased when the
neighbours share j's conditional mean, and evalsoc follows the peer it can be checked against.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def conditional_variances(y: Floats, score: Floats, neighbours: int) -> Floats:
    """σ̂²ᵢ: the sample variance of yᵢ and the outcomes of i's J nearest other units on
    `score` (R Matching's `Var.calc = J`). Neighbours are taken by walking outwards in score
    order; equal distances go to the lower score first. NaN when the group has J units or
    fewer."""
    n = y.size
    out = np.full(n, np.nan)
    if n <= neighbours:
        return out
    order = np.argsort(score, kind="stable")
    s, ys = score[order], y[order]
    left = np.arange(n) - 1
    right = np.arange(n) + 1
    total, squares = ys.copy(), ys**2
    for _ in range(neighbours):
        d_left = np.where(left >= 0, s - s[np.maximum(left, 0)], np.inf)
        d_right = np.where(right < n, s[np.minimum(right, n - 1)] - s, np.inf)
        take_left = d_left <= d_right
        pick = np.where(take_left, left, right)
        total += ys[pick]
        squares += ys[pick] ** 2
        left = left - take_left
        right = right + ~take_left
    j = float(neighbours)
    out[order] = np.maximum(squares - total**2 / (j + 1), 0.0) / j
    return out


def att_variance(
    y_treated: Floats,
    y_control: Floats,
    matches: list[list[int]],
    sigma2_control: Floats,
    covariates: tuple[Floats, Floats] | None = None,
) -> tuple[float, float]:
    """(ATT, its Abadie–Imbens SE) from each treated person's matched controls (indices into
    the controls, equal weights 1/#matches); treated people without a match are left out.

    `covariates` (treated rows, control rows) adds Abadie & Imbens's (2011) bias correction:
    μ̂₀ is the least-squares fit of the controls' outcomes on the covariates, each control
    weighted by K(j), and a match's outcome becomes Y_j + μ̂₀(Xᵢ) − μ̂₀(X_j) (R Matching's
    `BiasAdjust = TRUE`, Stata's `biasadj()`); the variance uses the corrected gaps."""
    matched = [i for i, m in enumerate(matches) if m]
    n1 = len(matched)
    k = np.zeros(y_control.size)
    k2 = np.zeros(y_control.size)
    for i in matched:
        found = np.asarray(matches[i], dtype=np.int64)
        w = 1.0 / found.size
        np.add.at(k, found, w)
        np.add.at(k2, found, w * w)
    slope = None
    if covariates is not None:
        z_c = covariates[1]
        used = k > 0
        design = np.column_stack([np.ones(int(used.sum())), z_c[used]])
        root = np.sqrt(k[used])
        coef = np.linalg.lstsq(design * root[:, None], y_control[used] * root, rcond=None)[0]
        slope = coef[1:]
    gaps = np.empty(n1)
    for row, i in enumerate(matched):
        found = np.asarray(matches[i], dtype=np.int64)
        gaps[row] = y_treated[i] - float(np.mean(y_control[found]))
        if slope is not None and covariates is not None:
            shift = covariates[0][i] - covariates[1][found].mean(axis=0)
            gaps[row] -= float(shift @ slope)
    tau = float(gaps.mean())
    used = k > 0
    term = float(np.sum((k[used] ** 2 - k2[used]) * sigma2_control[used]))
    variance = (float(np.sum((gaps - tau) ** 2)) + term) / n1**2
    return tau, math.sqrt(variance) if variance >= 0 else math.nan
