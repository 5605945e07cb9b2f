"""Effect sizes (risk difference and ratios, Cohen's d, Hedges' g), the one-way ICC and the
minimum detectable effect.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.sections.common import finite_or_none


def effect_sizes(
    y_treated: np.ndarray, y_control: np.ndarray, estimate: float, binary: bool
) -> dict[str, Any]:
    """Standardised or relative versions of `estimate`.

    Continuous: Cohen's d = estimate / s_pooled (pooled SD of the two groups' outcomes) and
    Hedges' g = d·(1 − 3/(4(n₁ + n₀) − 9)).
    Binary: risk difference = estimate; the treated risk p₁ is the observed mean of y_treated and
    the counterfactual risk p₀ = p₁ − estimate; risk ratio p₁/p₀, odds ratio
    [p₁/(1 − p₁)]/[p₀/(1 − p₀)] (None when p₀ or p₁ fall outside (0, 1)).
    """
    y1 = np.asarray(y_treated, dtype=float)
    y0 = np.asarray(y_control, dtype=float)
    n1, n0 = y1.size, y0.size
    if binary:
        if n1 == 0:
            return {"risk_difference": finite_or_none(estimate)}
        p1 = float(y1.mean())
        p0 = p1 - estimate
        ok = 0 < p0 < 1 and 0 < p1 < 1
        return {
            "risk_difference": finite_or_none(estimate),
            "risk_treated": finite_or_none(p1),
            "risk_counterfactual": finite_or_none(p0),
            "risk_ratio": finite_or_none(p1 / p0) if ok else None,
            "odds_ratio": finite_or_none((p1 / (1 - p1)) / (p0 / (1 - p0))) if ok else None,
        }
    if n1 < 2 or n0 < 2:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": None}
    s2 = ((n1 - 1) * y1.var(ddof=1) + (n0 - 1) * y0.var(ddof=1)) / (n1 + n0 - 2)
    sd = float(np.sqrt(s2))
    if sd <= 0:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": 0.0}
    d = estimate / sd
    g = d * (1 - 3 / (4 * (n1 + n0) - 9))
    return {"cohens_d": finite_or_none(d), "hedges_g": finite_or_none(g), "sd_pooled": sd}


def icc_oneway(y: np.ndarray, clusters: np.ndarray) -> float | None:
    """Intra-cluster correlation by one-way ANOVA, ρ = (MSB − MSW)/(MSB + (m₀ − 1)MSW), ≥ 0."""
    y = np.asarray(y, dtype=float)
    codes = np.asarray(clusters, dtype=np.int64)
    G = int(codes.max()) + 1 if codes.size else 0
    N = y.size
    if G < 2 or N <= G:
        return None
    sizes = np.bincount(codes, minlength=G).astype(float)
    means = np.bincount(codes, weights=y, minlength=G) / sizes
    grand = y.mean()
    ssb = float((sizes * (means - grand) ** 2).sum())
    ssw = float(((y - means[codes]) ** 2).sum())
    msb = ssb / (G - 1)
    msw = ssw / (N - G)
    m0 = (N - (sizes**2).sum() / N) / (G - 1)
    denom = msb + (m0 - 1) * msw
    if denom <= 0:
        return None
    return float(max(0.0, (msb - msw) / denom))


def minimum_detectable_effect(
    se: float,
    level: float = 0.95,
    df: float | None = None,
    power: float = 0.8,
    design_effect: float = 1.0,
) -> float | None:
    """MDE = (t_{1−α/2} + t_{power}) · SE · √design_effect (Bloom 1995)."""
    from scipy import stats

    if se is None or not np.isfinite(se) or se <= 0:
        return None
    dist = stats.t(df) if df is not None and np.isfinite(df) and df > 0 else stats.norm()
    multiplier = float(dist.ppf(0.5 + level / 2) + dist.ppf(power))
    return multiplier * se * float(np.sqrt(design_effect))
