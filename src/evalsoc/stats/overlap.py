"""Overlap of propensity scores: tolerance, trimming bounds (Crump et al. 2009) and weights.

Plain numpy: no knowledge of the framework or the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def crump_alpha(p: np.ndarray) -> float:
    """Optimal trimming threshold α of Crump, Hotz, Imbens & Mitnik (2009, Biometrika).

    Keeping units with α ≤ p ≤ 1 − α minimises the asymptotic variance of the (sub-sample) ATE.
    With g = 1/(p(1 − p)): α = 0 when max g ≤ 2·E[g]; otherwise γ = 1/(α(1 − α)) solves
    γ = 2·E[g | g ≤ γ] (the smallest root: E[g | g ≤ γ] is constant between sorted values of g,
    so the root is 2·m_k for the first k with g_(k) ≤ 2·m_k < g_(k+1), m_k the mean of the k
    smallest g), and α = 1/2 − √(1/4 − 1/γ).
    """
    p = np.asarray(p, dtype=float)
    g = np.sort(1.0 / (p * (1.0 - p)))
    if g[-1] <= 2.0 * g.mean():
        return 0.0
    means = np.cumsum(g) / np.arange(1, g.size + 1)
    upper = np.append(g[1:], np.inf)
    hits = np.flatnonzero((g <= 2 * means) & (2 * means < upper))
    gamma = float(2 * means[hits[0]])
    return float(0.5 - np.sqrt(0.25 - 1.0 / gamma))


@dataclass
class OutsideTolerance:
    """People whose propensity lies outside [tolerance, 1 − tolerance], by group."""

    treated: int
    control: int
    smallest: float
    largest: float

    @property
    def any(self) -> bool:
        return self.treated + self.control > 0


def outside_tolerance(p: np.ndarray, d: np.ndarray, tolerance: float) -> OutsideTolerance:
    """Count the propensities below `tolerance` or above 1 − `tolerance` (Stata's
    `pstolerance()`), in the programme group (d = 1) and the comparison group."""
    p = np.asarray(p, dtype=float)
    out = (p < tolerance) | (p > 1 - tolerance)
    t = np.asarray(d) == 1
    return OutsideTolerance(
        int((out & t).sum()), int((out & ~t).sum()), float(p.min()), float(p.max())
    )


def overlap_weights(p: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Overlap weights of Li, Morgan & Zaslavsky (2018): 1 − p for the programme group, p for
    the comparison group; bounded by 1, they target the overlap population (ATO)."""
    d = np.asarray(d, dtype=float)
    return d * (1 - p) + (1 - d) * p
