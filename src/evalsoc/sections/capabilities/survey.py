"""Design-based standard errors on cells (methods.md): Taylor linearisation with PSUs sampled
with replacement within strata (R `survey`'s default), or a seeded Rao–Wu rescaling bootstrap;
a stratum with a single PSU adds no variance. Wald intervals with the normal quantile.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.sections.capabilities.cells import Cells, Design
from evalsoc.sections.capabilities.gram import Gram, build_gram

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Stat:
    """An estimate (scalar or vector) with what its standard error needs."""

    value: np.ndarray
    infl: np.ndarray | None  # (R,) or (R, m) per cell, or per type with a Gram matrix
    reps: np.ndarray | None  # (B,) or (B, m): bootstrap replicates


class Survey:
    """Weighted ratios of cell totals, and their design-based variances."""

    def __init__(
        self,
        cells: Cells,
        design: Design,
        *,
        method: str = "linearization",
        reps: int = 500,
        rng: np.random.Generator | None = None,
    ):
        self.cells = cells
        self.design = design
        self.method = method
        self.replicate_weights: np.ndarray | None = None
        self.gram: Gram | None = None
        if method == "linearization":
            self.gram = build_gram(cells, design)  # None: influences stay per cell
        if method == "bootstrap":
            from evalsoc.sections.memory import check_draws_fit

            # (reps × units) then (reps × cells) float64 arrays are held at once.
            width = len(design.unit_mult) + len(cells.unit)
            check_draws_fit(reps, width, "capabilities: bootstrap_reps")
            self.replicate_weights = _rao_wu_weights(cells, design, reps, rng)
        elif method != "linearization":
            raise ValueError(f"unknown variance method {method!r}")

    def ratio(self, a: np.ndarray, b: np.ndarray) -> Stat:
        """Σ W a / Σ W b over cells (a, b per-person values; a may be (R, m))."""
        w = self.cells.weight
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        ta = w @ a
        tb = w @ b
        with np.errstate(invalid="ignore", divide="ignore"):
            value = ta / tb
        infl = reps = None
        if self.gram is not None:  # per type: the Gram matrix carries the cells' weights
            at, bt = self.gram.to_types(a, ta), self.gram.to_types(b, tb)
            bb = bt if bt.ndim == at.ndim else bt[:, None]
            with np.errstate(invalid="ignore", divide="ignore"):
                infl = (at - value * bb) / tb
        elif self.replicate_weights is None:
            bb = b if b.ndim == a.ndim else b[:, None]
            with np.errstate(invalid="ignore", divide="ignore"):
                w_cells = w if a.ndim == 1 else w[:, None]
                infl = w_cells * (a - value * bb) / tb
        else:
            rw = self.replicate_weights
            with np.errstate(invalid="ignore", divide="ignore"):
                reps = (rw @ a) / (rw @ b if b.ndim == a.ndim else (rw @ b)[:, None])
        return Stat(np.asarray(value), infl, reps)

    def mean(self, y: np.ndarray, domain: np.ndarray | None = None) -> Stat:
        dom = np.ones(len(self.cells.weight)) if domain is None else domain.astype(np.float64)
        y = np.asarray(y, dtype=np.float64)
        return self.ratio(y * (dom if y.ndim == 1 else dom[:, None]), dom)

    def se(self, stat: Stat) -> np.ndarray:
        if stat.reps is not None:
            with np.errstate(invalid="ignore"):
                return np.asarray(np.std(stat.reps, axis=0, ddof=1))
        assert stat.infl is not None
        if self.gram is not None:
            return np.sqrt(self.gram.variance(stat.infl))
        return np.sqrt(self._linearised_variance(stat.infl))

    def _linearised_variance(self, infl: np.ndarray) -> np.ndarray:
        """`infl` holds each cell's total influence Σ_i u_i (persons of a cell share φ: u_i = s_i φ)."""
        design = self.design
        matrix = infl if infl.ndim == 2 else infl[:, None]
        matrix = np.nan_to_num(matrix)
        if not design.clustered:
            return self._persons_variance(matrix, infl.ndim)
        n_units = len(design.unit_mult)
        mult = design.unit_mult.astype(np.float64)
        stratum = design.unit_stratum
        n_h = np.bincount(stratum, weights=mult, minlength=design.n_strata)
        out = np.empty(matrix.shape[1])
        for j in range(matrix.shape[1]):
            per_unit = np.bincount(self.cells.unit, weights=matrix[:, j], minlength=n_units)
            mean_h = np.bincount(stratum, weights=mult * per_unit, minlength=design.n_strata)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean_h = np.where(n_h > 0, mean_h / n_h, 0.0)
            dev = per_unit - mean_h[stratum]
            ss_h = np.bincount(stratum, weights=mult * dev * dev, minlength=design.n_strata)
            factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
            out[j] = float(np.sum(factor * ss_h))
        return out if infl.ndim == 2 else out[0]

    def _persons_variance(self, matrix: np.ndarray, ndim: int) -> np.ndarray:
        """Persons as PSUs: Σ_h n_h/(n_h − 1) (Σ_i u_i² − (Σ_i u_i)²/n_h), from cell sums."""
        cells, design = self.cells, self.design
        stratum = design.unit_stratum  # one unit per cell
        n_h = np.bincount(stratum, weights=cells.count, minlength=design.n_strata)
        ratio = cells.weight_sq / np.maximum(cells.weight, 1e-300) ** 2
        out = np.empty(matrix.shape[1])
        factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
        for j in range(matrix.shape[1]):
            column = matrix[:, j]
            s1 = np.bincount(stratum, weights=column, minlength=design.n_strata)
            s2 = np.bincount(stratum, weights=column * column * ratio, minlength=design.n_strata)
            with np.errstate(invalid="ignore", divide="ignore"):
                within = np.where(n_h > 0, s2 - s1 * s1 / np.maximum(n_h, 1), 0.0)
            out[j] = float(np.sum(factor * np.maximum(within, 0.0)))
        return out if ndim == 2 else out[0]


def combine(f: Callable[..., Any], gradient: Callable[..., Sequence[Any]], *stats: Stat) -> Stat:
    """A smooth function of estimates; its influence by the delta method, replicates exactly."""
    values = [s.value for s in stats]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.asarray(f(*values))
        infl = reps = None
        if all(s.infl is not None for s in stats):
            grads = gradient(*values)
            infl = sum(g * s.infl for g, s in zip(grads, stats))
        if all(s.reps is not None for s in stats):
            reps = np.asarray(f(*[s.reps for s in stats]))
    return Stat(value, infl, reps)


def difference(later: Stat, earlier: Stat) -> Stat:
    return combine(lambda a, b: a - b, lambda a, b: (1.0, -1.0), later, earlier)


def quotient(num: Stat, den: Stat) -> Stat:
    return combine(lambda a, b: a / b, lambda a, b: (1.0 / b, -a / b**2), num, den)


def complement(stat: Stat) -> Stat:
    return combine(lambda a: 1.0 - a, lambda a: (-1.0,), stat)


def _rao_wu_weights(
    cells: Cells, design: Design, reps: int, rng: np.random.Generator | None
) -> np.ndarray:
    """(B, R) replicate cell weights: n_h − 1 units drawn with replacement per stratum."""
    rng = rng or np.random.default_rng(0)
    draws = np.tile(design.unit_mult.astype(np.float64), (reps, 1))  # certainty strata: as is
    order = np.argsort(design.unit_stratum, kind="stable")
    bounds = np.searchsorted(design.unit_stratum[order], np.arange(design.n_strata + 1))
    for h in range(design.n_strata):
        members = order[bounds[h] : bounds[h + 1]]
        mult = design.unit_mult[members].astype(np.float64)
        n_h = mult.sum()
        if n_h < 2:
            continue
        counts = rng.multinomial(int(n_h) - 1, mult / n_h, size=reps)
        draws[:, members] = counts * (n_h / (n_h - 1))
    return draws[:, cells.unit] * cells.omega[None, :]


def _ci(value: float | None, se: float | None, bounded: bool = True) -> list[float] | None:
    if value is None or se is None or not (math.isfinite(value) and math.isfinite(se)):
        return None
    low, high = value - Z95 * se, value + Z95 * se
    if bounded:
        low, high = max(low, 0.0), min(high, 1.0)
    return [low, high]


def _num(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None
