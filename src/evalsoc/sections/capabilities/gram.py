"""Linearised variances of every capability statistic from one Gram matrix of PSU totals.

With persons (or clusters) as PSUs a capability set holds about one cell per person and wave,
and each of its ~140 statistics used to sum its influence per PSU and square the sums: a few
passes over a million cells per statistic. But a statistic's influence on a cell is the cell's
sampling weight times a value that depends only on the cell's *type* — its deprivation
profile, stratum and group labels — since ratios, domains and identification at k are all
functions of those (engine.py builds them so). With W the (PSU × type) matrix of summed cell
weights and φ the per-type influence, the PSU totals are z = W φ, so

    Σ_{u ∈ h} (z_u − z̄_h)² = φ_hᵀ G_h φ_h − (s_hᵀ φ_h)² / n_h,    G = WᵀW,  s = Wᵀ1,

and G (types × types, block-diagonal by stratum) is built once per capability set in one
sparse product. Each statistic then costs O(types²), not O(cells). The sums run in another
order than summing per PSU, so a standard error's last bits may change (relative differences
≤ 1e-12, documented in docs/capabilities.md); point estimates are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evalsoc.sections.capabilities.cells import Cells, Design
from evalsoc.sections.capabilities.identification import _combine

# Above these sizes the per-PSU sums are cheaper (or G would not fit): the cell path is kept.
MAX_TYPES = 2048
MAX_PAIRS_PER_CELL = 16


@dataclass(frozen=True)
class Gram:
    """Cells grouped into types, and the PSU cross-products of the types' weights."""

    kind: np.ndarray  # (R,) type of each cell
    first: np.ndarray  # (T,) one cell of each type
    stratum_of_type: np.ndarray  # (T,) stratum code
    gram: np.ndarray  # (T, T) Σ_u W[u, t1] W[u, t2]
    column_total: np.ndarray  # (T,) Σ_u W[u, t]
    n_h: np.ndarray  # (H,) PSUs per stratum
    factor: np.ndarray  # (H,) n_h / (n_h − 1), 0 for a stratum with one PSU

    @property
    def n_types(self) -> int:
        return int(self.first.size)

    def to_types(self, values: np.ndarray, total: np.ndarray) -> np.ndarray:
        """A per-cell array that is a function of the cell's type, read once per type.

        Checking every cell would cost the passes this module saves; instead the weighted total
        the caller computed over cells (`total` = Σ_c w_c values_c) must equal the one over
        types, which catches an array that varies within a type (a bug: raised, never served).
        """
        typed = values[self.first]
        again = self.column_total @ typed
        scale = self.column_total @ np.abs(typed) + np.abs(total)
        with np.errstate(invalid="ignore"):
            off = np.abs(again - total) > 1e-9 * scale
        if np.any(off):
            raise AssertionError("a capability statistic is not a function of the cell type")
        return np.asarray(typed)

    def variance(self, phi: np.ndarray) -> np.ndarray:
        """Σ_h n_h/(n_h − 1) Σ_{u∈h} (z_u − z̄_h)² for z = W φ; φ is (T,) or (T, m)."""
        matrix = np.nan_to_num(phi if phi.ndim == 2 else phi[:, None])
        n_strata = self.n_h.size
        squares = np.empty((n_strata, matrix.shape[1]))
        linear = np.empty_like(squares)
        quadratic = matrix * (self.gram @ matrix)
        weighted = matrix * self.column_total[:, None]
        for j in range(matrix.shape[1]):
            squares[:, j] = np.bincount(
                self.stratum_of_type, weights=quadratic[:, j], minlength=n_strata
            )
            linear[:, j] = np.bincount(
                self.stratum_of_type, weights=weighted[:, j], minlength=n_strata
            )
        n_h = np.maximum(self.n_h, 1)[:, None]
        within = np.maximum(squares - linear * linear / n_h, 0.0)
        out = np.sum(self.factor[:, None] * within, axis=0)
        return np.asarray(out if phi.ndim == 2 else out[0])


def build_gram(cells: Cells, design: Design) -> Gram | None:
    """The Gram matrix of a clustered design, or None when the cell path is cheaper."""
    if not design.clustered or cells.weight.size == 0:
        return None
    n_cells = cells.weight.size
    stratum = design.unit_stratum[cells.unit]
    columns = [cells.profile_code, stratum, *cells.labels.values()]
    cards = [int(c.max()) + 1 for c in columns]
    kind = _combine(columns, cards, n_cells)
    n_types = int(kind.max()) + 1
    cells_per_unit = np.bincount(cells.unit, minlength=design.unit_stratum.size)
    pairs = int(np.sum(cells_per_unit.astype(np.int64) ** 2))
    if n_types > MAX_TYPES or pairs > MAX_PAIRS_PER_CELL * n_cells:
        return None
    from scipy import sparse  # lazily: only capability sets with PSUs need it

    n_units = design.unit_stratum.size
    w = sparse.csr_matrix((cells.weight, (cells.unit, kind)), shape=(n_units, n_types))
    gram = np.asarray((w.T @ w).toarray(), dtype=np.float64)
    first = np.empty(n_types, dtype=np.int64)
    first[kind[::-1]] = np.arange(n_cells - 1, -1, -1)
    n_h = np.bincount(
        design.unit_stratum, weights=design.unit_mult.astype(np.float64), minlength=design.n_strata
    )
    factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    return Gram(
        kind=kind,
        first=first,
        stratum_of_type=stratum[first],
        gram=gram,
        column_total=np.bincount(kind, weights=cells.weight, minlength=n_types),
        n_h=n_h,
        factor=factor,
    )
