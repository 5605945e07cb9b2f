"""Design-based estimation for survey samples: weighted totals, means and ratios with Taylor
linearisation variances, as R's `survey` package computes them by default (Lumley 2004).

A design is one stage of sampling: weights wᵢ (inverse inclusion probabilities), strata h,
primary sampling units (PSUs) read within their stratum (R's `nest = TRUE`) and, optionally, a
finite population correction per stratum. Every estimator is a smooth function of weighted
totals, so its variance is the variance of the total of its linearised scores zᵢ:

    V = Σ_h (1 − f_h) n_h / (n_h − 1) Σ_{p ∈ h} (z_p − z̄_h)²,

with z_p the total of z over PSU p, n_h the number of PSUs the design has in stratum h and f_h
its sampling fraction (0 without `fpc`: PSUs treated as drawn with replacement). A domain (a
`by` group, a `where` condition, rows with a value) is a subpopulation of the one design: its
scores are zero outside it and n_h stays the design's (R's `svyby`/`subset` convention), never
a separate design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
LonelyPsu = Literal["fail", "certainty"]


class DesignError(ValueError):
    """A design that cannot be used: `problem` names what is wrong, `rows` the first rows."""

    def __init__(self, problem: str, detail: str, rows: list[int] | None = None) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.rows = rows or []


@dataclass(frozen=True)
class Design:
    """One-stage stratified cluster design, rows aligned with the data."""

    weights: Floats  # (n,) > 0
    stratum: Ints  # (n,) codes 0..H−1
    psu: Ints  # (n,) codes 0..P−1, distinct across strata
    psu_stratum: Ints  # (P,) stratum of each PSU
    fraction: Floats  # (H,) sampling fraction of PSUs f_h (0: with replacement)
    lonely_psu: LonelyPsu = "fail"

    @property
    def n_psu(self) -> int:
        return int(self.psu_stratum.size)

    @property
    def n_strata(self) -> int:
        return int(self.fraction.size)

    @property
    def psus_per_stratum(self) -> Ints:
        return np.bincount(self.psu_stratum, minlength=self.n_strata).astype(np.int64)

    @property
    def lonely_strata(self) -> int:
        return int(np.sum(self.psus_per_stratum == 1))


def _codes(values: NDArray[np.generic]) -> Ints:
    _, inverse = np.unique(values.astype(str), return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def make_design(
    weights: Floats,
    strata: NDArray[np.generic] | None = None,
    psu: NDArray[np.generic] | None = None,
    fpc: Floats | None = None,
    lonely_psu: LonelyPsu = "fail",
) -> Design:
    """Check and build a design. `fpc` per row: a sampling fraction (≤ 1) or the stratum's
    population size in PSUs (> 1), constant within a stratum, as R's `svydesign(fpc=)` reads it.
    Without `psu` every row is its own PSU (R's `id = ~1`)."""
    w = np.asarray(weights, dtype=np.float64)
    n = w.size
    bad = np.flatnonzero(~(np.isfinite(w) & (w > 0)))
    if bad.size:
        raise DesignError("weight", "weights must be present and above 0", bad[:5].tolist())
    stratum = np.zeros(n, dtype=np.int64) if strata is None else _codes(np.asarray(strata))
    n_strata = int(stratum.max()) + 1 if n else 0
    if psu is None:
        psu_codes = np.arange(n, dtype=np.int64)
    else:  # PSU labels are read within their stratum (R's nest = TRUE)
        within = _codes(np.asarray(psu))
        psu_codes = _codes(
            np.char.add(np.char.add(stratum.astype(str), "\x1f"), within.astype(str))
        )
    n_psu = int(psu_codes.max()) + 1 if n else 0
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu_codes] = stratum
    n_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    fraction = np.zeros(n_strata, dtype=np.float64)
    if fpc is not None:
        f = np.asarray(fpc, dtype=np.float64)
        bad = np.flatnonzero(~(np.isfinite(f) & (f > 0)))
        if bad.size:
            raise DesignError("fpc", "fpc must be present and above 0", bad[:5].tolist())
        first = np.full(n_strata, np.nan)
        first[stratum[::-1]] = f[::-1]
        varies = np.flatnonzero(f != first[stratum])
        if varies.size:
            raise DesignError(
                "fpc_varies", "fpc must be the same within a stratum", varies[:5].tolist()
            )
        fraction = np.where(first <= 1, first, n_h / first)
        too_big = np.flatnonzero(fraction > 1 + 1e-12)
        if too_big.size:
            rows = np.flatnonzero(np.isin(stratum, too_big))[:5].tolist()
            raise DesignError("fpc_size", "fpc is smaller than the number of PSUs sampled", rows)
        fraction = np.minimum(fraction, 1.0)
    if lonely_psu == "fail":
        lonely = np.flatnonzero(n_h == 1)
        if lonely.size:
            rows = np.flatnonzero(np.isin(stratum, lonely))[:5].tolist()
            raise DesignError("lonely_psu", "a stratum has only one PSU", rows)
    return Design(w, stratum, psu_codes, psu_stratum, fraction, lonely_psu)


def variance(design: Design, scores: Floats) -> float:
    """Linearised variance of the total of `scores` (one per row), PSUs with replacement within
    strata unless a sampling fraction is given; a stratum with a single PSU adds nothing
    (`certainty`; `fail` refuses such designs when they are made)."""
    per_psu = np.bincount(design.psu, weights=scores, minlength=design.n_psu)
    n_h = design.psus_per_stratum.astype(np.float64)
    mean_h = np.bincount(design.psu_stratum, weights=per_psu, minlength=design.n_strata)
    mean_h = np.divide(mean_h, n_h, out=np.zeros_like(mean_h), where=n_h > 0)
    deviation = per_psu - mean_h[design.psu_stratum]
    squares = np.bincount(design.psu_stratum, weights=deviation**2, minlength=design.n_strata)
    scale = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0) * (1 - design.fraction)
    return float(np.sum(scale * squares))


@dataclass(frozen=True)
class Estimate:
    """A design-based estimate: value, standard error, design degrees of freedom, and the
    unweighted number of rows it comes from."""

    value: float
    se: float
    df: int
    rows: int


def degrees_of_freedom(design: Design, rows: Bools) -> int:
    """R's `degf` of the design restricted to `rows`: PSUs minus strata holding them."""
    psus = np.unique(design.psu[rows])
    return int(psus.size - np.unique(design.psu_stratum[psus]).size)


def total(design: Design, y: Floats, domain: Bools) -> Estimate:
    """Σ wᵢ yᵢ over the domain (R's `svytotal`)."""
    scores = np.where(domain, design.weights * y, 0.0)
    value = float(scores.sum())
    return Estimate(
        value,
        math.sqrt(variance(design, scores)),
        degrees_of_freedom(design, domain),
        int(domain.sum()),
    )


def ratio(design: Design, y: Floats, x: Floats, domain: Bools) -> Estimate:
    """Σ wᵢ yᵢ / Σ wᵢ xᵢ over the domain (R's `svyratio`); scores wᵢ (yᵢ − R xᵢ) / Σ wᵢ xᵢ."""
    w = np.where(domain, design.weights, 0.0)
    ty, tx = float(w @ np.where(domain, y, 0.0)), float(w @ np.where(domain, x, 0.0))
    if tx == 0:
        return Estimate(math.nan, math.nan, degrees_of_freedom(design, domain), int(domain.sum()))
    value = ty / tx
    scores = np.where(domain, w * (y - value * x) / tx, 0.0)
    se = math.sqrt(variance(design, scores))
    return Estimate(value, se, degrees_of_freedom(design, domain), int(domain.sum()))


def mean(design: Design, y: Floats, domain: Bools) -> Estimate:
    """Weighted mean over the domain (R's `svymean`, `svyby(..., svymean)` for a group)."""
    return ratio(design, y, np.ones_like(y), domain)


def t_interval(estimate: Estimate, level: float = 0.95) -> tuple[float, float]:
    """value ± t(df)·SE, as `confint(est, df = degf(design))`; NaN without a degree of freedom."""
    if estimate.df < 1 or not math.isfinite(estimate.se):
        return math.nan, math.nan
    from scipy import stats  # lazily: `evalsoc validate` loads no scipy

    q = float(stats.t.ppf(0.5 + level / 2, estimate.df))
    return estimate.value - q * estimate.se, estimate.value + q * estimate.se


def logit_interval(estimate: Estimate, level: float = 0.95) -> tuple[float, float]:
    """A proportion's interval as R's `svyciprop(method = "logit")`: the Wald interval of the
    logit with SE/(p(1 − p)) (delta method) and t(df) quantiles, mapped back. NaN at 0 or 1."""
    p = estimate.value
    if not (0 < p < 1) or estimate.df < 1 or not math.isfinite(estimate.se):
        return math.nan, math.nan
    from scipy import stats  # lazily: `evalsoc validate` loads no scipy

    q = float(stats.t.ppf(0.5 + level / 2, estimate.df))
    centre = math.log(p / (1 - p))
    half = q * estimate.se / (p * (1 - p))
    return _expit(centre - half), _expit(centre + half)


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))
