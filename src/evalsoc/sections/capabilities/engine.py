"""The Alkire–Foster counting engine: exact identification, decomposition, design-based SEs.

Pure numpy. Persons are collapsed into *cells* of identical deprivation profiles (and identical
design position and group labels), so that a million persons with ten 0/1 indicators reduce to
at most 2^10 cells per design unit: every estimate and every standard error is then computed on
the cells, exactly as on the persons.

Identification is exact: weights are fractions turned into integer units over their common
denominator D, a person's score is an integer number of units, and c_i ≥ k = p/q is tested as
q·score ≥ p·D in integers, so persons tied at k are never lost to floating-point rounding.

Standard errors (methods.md): Taylor linearisation with PSUs sampled with replacement within
strata (R `survey`'s default), V = Σ_h n_h/(n_h − 1) Σ_j (u_hj − ū_h)²; or a seeded Rao–Wu
rescaling bootstrap (n_h − 1 PSUs drawn with replacement in each stratum). A stratum with a single
PSU adds no variance ("certainty" convention). Confidence intervals are Wald intervals with the
normal quantile, clipped to [0, 1] for shares.

References: Alkire & Foster (2011), J. Public Econ. 95: 476–487; Alkire, Foster, Seth, Santos,
Roche & Ballon (2015), Multidimensional Poverty Measurement and Analysis, ch. 5 and 8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

Z95 = 1.959963984540054
_MAX_EXACT = 2**62


# --- exact weights and identification ------------------------------------------------------


def weight_units(weights: Sequence[Fraction | int | str]) -> tuple[np.ndarray, int]:
    """Weights normalised to sum to 1, as integers over their common denominator D."""
    fractions = [Fraction(w) for w in weights]
    if not fractions or any(w <= 0 for w in fractions):
        raise ValueError("every dimension needs a positive weight")
    total = sum(fractions, Fraction(0))
    normalised = [w / total for w in fractions]
    denominator = math.lcm(*(w.denominator for w in normalised))
    units = [int(w * denominator) for w in normalised]
    if denominator >= 2**52:
        raise ValueError("the weights' common denominator is too large for exact counting")
    return np.asarray(units, dtype=np.int64), denominator


def identify(scores: np.ndarray, total: int, k: Fraction) -> np.ndarray:
    """c_i ≥ k tested exactly: q·score ≥ p·D in integer arithmetic."""
    p, q = _k_terms(k, total)
    return scores * q >= p * total


def tied(scores: np.ndarray, total: int, k: Fraction) -> np.ndarray:
    """Persons whose score equals k exactly."""
    p, q = _k_terms(k, total)
    return scores * q == p * total


def _k_terms(k: Fraction, total: int) -> tuple[int, int]:
    k = Fraction(k)
    if not 0 < k <= 1:
        raise ValueError(f"k must be in (0, 1], got {k}")
    if k.denominator * total >= _MAX_EXACT:
        raise ValueError("k's denominator times the weights' denominator is too large")
    return k.numerator, k.denominator


# --- collapsing persons into cells ----------------------------------------------------------


def _dense_codes(key: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive codes for the distinct values of `key` (in [0, bound)): (inverse, firsts)."""
    n = key.shape[0]
    if bound <= max(4 * n, 1 << 20):
        present = np.bincount(key, minlength=bound) > 0
        mapping = np.cumsum(present) - 1
        inverse = mapping[key]
        values = np.flatnonzero(present)
    else:
        values, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64, copy=False), values


def _combine(columns: Sequence[np.ndarray], cards: Sequence[int], n: int) -> np.ndarray:
    """One code per distinct combination of integer columns (each in [0, card))."""
    kept = [(c, k) for c, k in zip(columns, cards) if int(k) > 1]
    columns, cards = [c for c, _ in kept], [k for _, k in kept]
    if not columns:
        return np.zeros(n, dtype=np.int64)
    if len(columns) == 1:
        return _dense_codes(np.asarray(columns[0], dtype=np.int64), int(cards[0]))[0]
    bound = 1
    for card in cards:
        bound *= max(int(card), 1)
    if bound < _MAX_EXACT:
        key = np.zeros(n, dtype=np.int64)
        for column, card in zip(columns, cards):
            key = key * max(int(card), 1) + column
        return _dense_codes(key, bound)[0]
    stacked = np.stack(columns, axis=1)
    return np.unique(stacked, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of any 1-D array (labels, weights, ids) and the distinct values."""
    uniques, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), uniques


def profile_codes(deprived: np.ndarray) -> tuple[np.ndarray, int]:
    """An integer code per deprivation profile (row of 0/1) and the number of possible codes."""
    n, d = deprived.shape
    if d <= 62:
        kind = np.uint32 if d <= 32 else np.uint64
        code = np.zeros(n, dtype=kind)
        for j in range(d):
            code |= deprived[:, j].astype(kind) << kind(j)
        return code.astype(np.int64), 1 << d
    inverse = np.unique(deprived, axis=0, return_inverse=True)[1].reshape(-1)
    return inverse.astype(np.int64), int(inverse.max()) + 1 if n else 1


@dataclass(frozen=True)
class Cells:
    """Persons grouped by identical profile, design position and labels."""

    profiles: np.ndarray  # (R, d) bool
    profile_code: np.ndarray  # (R,) int
    score: np.ndarray  # (R,) int64 score in weight units
    weight: np.ndarray  # (R,) summed sampling weights
    weight_sq: np.ndarray  # (R,) summed squared sampling weights
    count: np.ndarray  # (R,) persons
    omega: np.ndarray  # (R,) weight of one variance unit of the cell (bootstrap)
    unit: np.ndarray  # (R,) variance unit (PSU, or the cell's identical persons)
    labels: dict[str, np.ndarray]  # name → (R,) code
    person_cell: np.ndarray  # (n,) cell of each person


@dataclass(frozen=True)
class Design:
    """Variance units (PSUs, or persons when there are no clusters) and their strata."""

    unit_stratum: np.ndarray  # (U,) stratum code of each unit
    unit_mult: np.ndarray  # (U,) persons a unit stands for (1 for a PSU)
    n_strata: int
    n_psu: int | None  # number of PSUs when clustered
    lonely_strata: int  # strata with a single unit (no variance contribution)
    clustered: bool = False


def collapse(
    deprived: np.ndarray,
    units: np.ndarray,
    *,
    sample_weight: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
    labels: Mapping[str, np.ndarray] | None = None,
    split_weights: bool = False,
) -> tuple[Cells, Design]:
    """Group persons into cells; labels/strata/cluster are integer codes (any ints for cluster).

    Without clusters, persons with different sampling weights may share a cell (the linearised
    variance only needs Σs and Σs² per cell); `split_weights` keeps them apart, as the bootstrap
    needs identical persons within a cell.
    """
    deprived = np.asarray(deprived, dtype=bool)
    n = deprived.shape[0]
    labels = dict(labels or {})
    code, n_profiles = profile_codes(deprived)
    columns: list[np.ndarray] = [code]
    cards: list[int] = [n_profiles]
    stratum = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata, np.int64)
    n_strata = int(stratum.max()) + 1 if n else 1
    columns.append(stratum)
    cards.append(n_strata)
    psu_of_person: np.ndarray | None = None
    if cluster is not None:
        psu_of_person = _combine([stratum, _codes(np.asarray(cluster))[0]], [n_strata, n], n)
        columns.append(psu_of_person)
        cards.append(int(psu_of_person.max()) + 1 if n else 1)
    elif sample_weight is not None and split_weights:
        weight_code, weight_values = _codes(np.asarray(sample_weight, dtype=np.float64))
        columns.append(weight_code)
        cards.append(len(weight_values))
    for values in labels.values():
        values = np.asarray(values, dtype=np.int64)
        columns.append(values)
        cards.append(int(values.max()) + 1 if n else 1)
    person_cell = _combine(columns, cards, n)
    n_cells = int(person_cell.max()) + 1 if n else 0
    representative = np.empty(n_cells, dtype=np.int64)
    representative[person_cell] = np.arange(n)  # any member will do: members share everything
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    weight = np.bincount(person_cell, weights=s, minlength=n_cells)
    weight_sq = np.bincount(person_cell, weights=s * s, minlength=n_cells)
    count = np.bincount(person_cell, minlength=n_cells).astype(np.int64)
    profiles = deprived[representative]
    score = profiles.astype(np.int64) @ units.astype(np.int64)
    cell_stratum = stratum[representative]
    if psu_of_person is not None:
        unit_code, _ = _codes(psu_of_person[representative])
        n_units = int(unit_code.max()) + 1 if n_cells else 0
        unit_stratum = np.zeros(n_units, dtype=np.int64)
        unit_stratum[unit_code] = cell_stratum
        unit_mult = np.ones(n_units, dtype=np.int64)
        omega = weight
        n_psu: int | None = n_units
    else:
        unit_code = np.arange(n_cells, dtype=np.int64)
        unit_stratum = cell_stratum
        unit_mult = count
        omega = weight / np.maximum(count, 1)
        n_psu = None
    units_per_stratum = np.bincount(unit_stratum, weights=unit_mult, minlength=n_strata)
    lonely = int(np.sum(units_per_stratum == 1))
    cells = Cells(
        profiles=profiles,
        profile_code=code[representative],
        score=score,
        weight=weight,
        weight_sq=weight_sq,
        count=count,
        omega=omega,
        unit=unit_code,
        labels={name: np.asarray(v, np.int64)[representative] for name, v in labels.items()},
        person_cell=person_cell,
    )
    design = Design(unit_stratum, unit_mult, n_strata, n_psu, lonely, psu_of_person is not None)
    return cells, design


# --- estimates with their linearised influence or bootstrap replicates ---------------------


@dataclass(frozen=True)
class Stat:
    """An estimate (scalar or vector) with what its standard error needs."""

    value: np.ndarray
    infl: np.ndarray | None  # (R,) or (R, m): per-cell influence, summed per variance unit
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
        if self.replicate_weights is None:
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


# --- the Alkire–Foster measures -------------------------------------------------------------


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


class AlkireFoster:
    """A deprivation matrix with its weights and survey design, ready to measure at any k."""

    def __init__(
        self,
        deprived: np.ndarray,
        weights: Sequence[Fraction | int | str],
        *,
        dimension_ids: Sequence[str] | None = None,
        sample_weight: np.ndarray | None = None,
        strata: np.ndarray | None = None,
        cluster: np.ndarray | None = None,
        labels: Mapping[str, np.ndarray] | None = None,
        gaps: np.ndarray | None = None,
        se: str = "linearization",
        bootstrap_reps: int = 500,
        rng: np.random.Generator | None = None,
    ):
        """`labels`: name → array of strings (or ints) per person, for subgroups and waves."""
        self.deprived = np.asarray(deprived, dtype=bool)
        n, d = self.deprived.shape
        self.n = n
        self.dimension_ids = list(dimension_ids or [f"d{j + 1}" for j in range(d)])
        self.fractions = [Fraction(w) for w in weights]
        total = sum(self.fractions, Fraction(0))
        self.fractions = [w / total for w in self.fractions]
        self.units, self.total = weight_units(self.fractions)
        self.w = np.asarray([float(w) for w in self.fractions])
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight, float)
        self.label_values: dict[str, np.ndarray] = {}
        codes: dict[str, np.ndarray] = {}
        for name, values in (labels or {}).items():
            codes[name], self.label_values[name] = _codes(np.asarray(values))
        strata_codes = None if strata is None else _codes(np.asarray(strata))[0]
        self.cells, self.design = collapse(
            self.deprived,
            self.units,
            sample_weight=self.sample_weight,
            strata=strata_codes,
            cluster=cluster,
            labels=codes,
            split_weights=se == "bootstrap",
        )
        self.survey = Survey(self.cells, self.design, method=se, reps=bootstrap_reps, rng=rng)
        self.gaps = None if gaps is None else np.asarray(gaps, dtype=np.float64)
        self.c = self.cells.score / self.total

    # -- person-level views, for the effects engine and for peers --
    def person_scores(self) -> np.ndarray:
        """c_i per person, as a float share of the total weight."""
        return self.c[self.cells.person_cell]

    def person_identified(self, k: Fraction) -> np.ndarray:
        return identify(self.cells.score, self.total, Fraction(k))[self.cells.person_cell]

    def domain(self, **conditions: Any) -> np.ndarray:
        """Cells whose labels equal the given values (e.g. domain(t=2, area="1"))."""
        mask = np.ones(len(self.cells.weight), dtype=bool)
        for name, value in conditions.items():
            values = self.label_values[name]
            hits = np.flatnonzero(values == np.asarray(value, dtype=values.dtype))
            if hits.size == 0:
                return np.zeros_like(mask)
            mask &= self.cells.labels[name] == hits[0]
        return mask

    def persons_in(self, domain: np.ndarray | None) -> int:
        return int(self.cells.count.sum() if domain is None else self.cells.count[domain].sum())

    # -- measures at one k --
    def at_k(self, k: Fraction, domain: np.ndarray | None = None) -> dict[str, Any]:
        """H, A, M0 (and M1, M2 with gaps), censored headcounts, contributions, SEs."""
        k = Fraction(k)
        cells, survey = self.cells, self.survey
        dom = np.ones(len(cells.weight), bool) if domain is None else np.asarray(domain, bool)
        poor = identify(cells.score, self.total, k) & dom
        at_tie = tied(cells.score, self.total, k) & dom
        domf = dom.astype(np.float64)
        poorf = poor.astype(np.float64)
        H = survey.ratio(poorf, domf)
        M0 = survey.ratio(poorf * self.c, domf)
        A = survey.ratio(poorf * self.c, poorf)
        censored = survey.ratio(cells.profiles * poorf[:, None], domf)
        values = {name: stat for name, stat in (("H", H), ("A", A), ("M0", M0))}
        out: dict[str, Any] = {
            "k": str(k),
            "k_value": float(k),
            "n": self.persons_in(dom),
            "n_identified": int(cells.count[poor].sum()),
            "n_tied": int(cells.count[at_tie].sum()),
        }
        for name, stat in values.items():
            se = float(self.survey.se(stat))
            value = _num(stat.value)
            out[name] = value
            out[f"{name}_se"] = _num(se)
            out[f"{name}_ci"] = _ci(value, _num(se))
        m0 = out["M0"]
        h = np.asarray(censored.value, dtype=np.float64)
        h_se = self.survey.se(censored)
        absolute = self.w * h
        out["censored_headcount"] = dict(zip(self.dimension_ids, map(_num, h)))
        out["censored_headcount_se"] = dict(zip(self.dimension_ids, map(_num, h_se)))
        out["contribution_absolute"] = dict(zip(self.dimension_ids, map(_num, absolute)))
        share = absolute / m0 if m0 else np.full_like(absolute, np.nan)
        out["contribution"] = dict(zip(self.dimension_ids, map(_num, share)))
        out.update(self._cardinal(k, dom))
        return out

    def _cardinal(self, k: Fraction, dom: np.ndarray) -> dict[str, Any]:
        """M1, M2 from normalised gaps, computed per person (gaps do not collapse)."""
        if self.gaps is None:
            return {"M1": None, "M2": None}
        cell = self.cells.person_cell
        poor = (identify(self.cells.score, self.total, k) & dom)[cell]
        in_dom = dom[cell]
        s = np.ones(self.n) if self.sample_weight is None else self.sample_weight
        denominator = float(s[in_dom].sum())
        if denominator <= 0:
            return {"M1": None, "M2": None}
        g1 = self.gaps @ self.w
        g2 = (self.gaps**2) @ self.w
        return {
            "M1": _num(np.sum(s * poor * g1) / denominator),
            "M2": _num(np.sum(s * poor * g2) / denominator),
        }

    def uncensored(self, domain: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Uncensored headcount ratio per dimension and its SE."""
        stat = self.survey.mean(self.cells.profiles.astype(np.float64), domain)
        return np.asarray(stat.value, dtype=np.float64), self.survey.se(stat)

    def population_share(self, group: np.ndarray, within: np.ndarray | None) -> float:
        w = self.cells.weight
        base = w.sum() if within is None else w[within].sum()
        inside = w[group & (within if within is not None else True)].sum()
        return float(inside / base) if base > 0 else float("nan")

    # -- robustness over k --
    def k_curve(self, domain: np.ndarray | None = None) -> list[dict[str, Any]]:
        """H, M0 and A at every distinct positive score (every k that changes who is poor)."""
        dom = np.ones(len(self.cells.weight), bool) if domain is None else domain
        scores = self.cells.score[dom]
        weight = self.cells.weight[dom]
        total_w = weight.sum()
        if total_w <= 0:
            return []
        values, inverse = np.unique(scores, return_inverse=True)
        w_at = np.bincount(inverse, weights=weight, minlength=len(values))
        wc_at = w_at * values / self.total
        h = np.cumsum(w_at[::-1])[::-1] / total_w
        m0 = np.cumsum(wc_at[::-1])[::-1] / total_w
        out = []
        for value, hh, mm in zip(values, h, m0):
            if value <= 0:
                continue
            k = Fraction(int(value), self.total)
            out.append(
                {
                    "k": str(k),
                    "k_value": float(k),
                    "H": _num(hh),
                    "M0": _num(mm),
                    "A": _num(mm / hh) if hh > 0 else None,
                }
            )
        return out

    # -- empowerment reading --
    def empowerment(self, share: Fraction, domain: np.ndarray | None = None) -> dict[str, Any]:
        """WEAI-style: empowered when adequate in ≥ `share` of weighted dimensions."""
        dis = self._disempowered(share)
        dom = np.ones(len(self.cells.weight), bool) if domain is None else domain
        index, h_n, a_n = self._empowerment_stats(dis, dom)
        out: dict[str, Any] = {"threshold": str(Fraction(share))}
        se_index = float(self.survey.se(index))
        h_value = _num(h_n.value)
        out["share_empowered"] = None if h_value is None else 1.0 - h_value
        out["share_empowered_se"] = _num(self.survey.se(h_n))
        out["H_disempowered"] = h_value
        out["A_disempowered"] = _num(a_n.value)
        out["index"] = _num(index.value)
        out["index_se"] = _num(se_index)
        out["index_ci"] = _ci(out["index"], out["index_se"])
        return out

    def _disempowered(self, share: Fraction) -> np.ndarray:
        share = Fraction(share)
        # c_i > 1 − share  ⇔  q·score > (q − p)·D, in integers
        return (
            self.cells.score * share.denominator
            > (share.denominator - share.numerator) * self.total
        )

    def _empowerment_stats(self, dis: np.ndarray, dom: np.ndarray) -> tuple[Stat, Stat, Stat]:
        domf = dom.astype(np.float64)
        disf = (dis & dom).astype(np.float64)
        m0_n = self.survey.ratio(disf * self.c, domf)
        h_n = self.survey.ratio(disf, domf)
        a_n = self.survey.ratio(disf * self.c, disf)
        return complement(m0_n), h_n, a_n

    def parity(self, share: Fraction, reference: np.ndarray, focal: np.ndarray) -> dict[str, Any]:
        """Focal/reference ratio and difference of the empowerment index (UNESCO-style GPI)."""
        dis = self._disempowered(share)
        ref = self._empowerment_stats(dis, reference)[0]
        foc = self._empowerment_stats(dis, focal)[0]
        ratio = quotient(foc, ref)
        gap = difference(foc, ref)
        return {
            "index_reference": _num(ref.value),
            "index_focal": _num(foc.value),
            "ratio": _num(ratio.value),
            "ratio_se": _num(self.survey.se(ratio)),
            "difference": _num(gap.value),
            "difference_se": _num(self.survey.se(gap)),
            "difference_ci": _ci(_num(gap.value), _num(self.survey.se(gap)), bounded=False),
        }

    # -- change over time --
    def change(
        self, k: Fraction, earlier: np.ndarray, later: np.ndarray, years: float | None
    ) -> dict[str, Any]:
        """Absolute, relative and annualised change of M0, H, A between two domains."""
        k = Fraction(k)
        out: dict[str, Any] = {"k": str(k), "k_value": float(k)}
        for name in ("M0", "H", "A"):
            first = self._measure(name, k, earlier)
            second = self._measure(name, k, later)
            out[name] = self._change_stats(first, second, years)
        return out

    def _measure(self, name: str, k: Fraction, dom: np.ndarray) -> Stat:
        poorf = (identify(self.cells.score, self.total, k) & dom).astype(np.float64)
        domf = dom.astype(np.float64)
        if name == "H":
            return self.survey.ratio(poorf, domf)
        if name == "M0":
            return self.survey.ratio(poorf * self.c, domf)
        return self.survey.ratio(poorf * self.c, poorf)

    def _change_stats(self, first: Stat, second: Stat, years: float | None) -> dict[str, Any]:
        se = self.survey.se
        absolute = difference(second, first)
        relative = combine(
            lambda a, b: b / a - 1.0, lambda a, b: (-b / a**2, 1.0 / a), first, second
        )
        out: dict[str, Any] = {
            "from": _num(first.value),
            "to": _num(second.value),
            "absolute": _num(absolute.value),
            "absolute_se": _num(se(absolute)),
            "relative": _num(relative.value),
            "relative_se": _num(se(relative)),
        }
        out["absolute_ci"] = _ci(out["absolute"], out["absolute_se"], bounded=False)
        if years:
            yearly = combine(
                lambda a, b: (b - a) / years, lambda a, b: (-1 / years, 1 / years), first, second
            )
            annual = combine(
                lambda a, b: (b / a) ** (1.0 / years) - 1.0,
                lambda a, b: (
                    -((b / a) ** (1.0 / years)) / (years * a),
                    (b / a) ** (1.0 / years) / (years * b),
                ),
                first,
                second,
            )
            out["annualised_absolute"] = _num(yearly.value)
            out["annualised_absolute_se"] = _num(se(yearly))
            out["annualised_relative"] = _num(annual.value)
            out["annualised_relative_se"] = _num(se(annual))
        return out

    # -- ranking robustness --
    def rank_stability(
        self,
        groups: Sequence[np.ndarray],
        k: Fraction,
        draws: int,
        rng: np.random.Generator,
        spread: float = 0.5,
    ) -> dict[str, Any]:
        """Share of weight perturbations (each w_j × U(1 − spread, 1 + spread), renormalised)
        that keep the subgroups' M0 ranking, and the share of pairs keeping their order."""
        k_value = float(Fraction(k))
        masks = [np.asarray(g, bool) for g in groups]
        key = np.full(len(self.cells.weight), -1, dtype=np.int64)
        for index, mask in enumerate(masks):
            key[mask] = index
        keep = key >= 0
        combo = key[keep] * (int(self.cells.profile_code.max()) + 1) + self.cells.profile_code[keep]
        inverse, firsts = _dense_codes_unique(combo)
        profiles = self.cells.profiles[keep][firsts].astype(np.float64)
        group = key[keep][firsts]
        weight = np.bincount(inverse, weights=self.cells.weight[keep], minlength=len(firsts))
        group_weight = np.bincount(group, weights=weight, minlength=len(masks))

        def m0_by_group(w: np.ndarray) -> np.ndarray:  # w: (d, B) weight vectors
            scores = profiles @ w
            censored = np.where(scores >= k_value - 1e-12, scores, 0.0)
            indicator = np.zeros((len(masks), len(group)))
            indicator[group, np.arange(len(group))] = weight
            return (indicator @ censored) / group_weight[:, None]

        nominal = m0_by_group(self.w[:, None])[:, 0]
        factors = rng.uniform(1 - spread, 1 + spread, size=(len(self.w), draws))
        perturbed = self.w[:, None] * factors
        perturbed /= perturbed.sum(axis=0, keepdims=True)
        m0 = m0_by_group(perturbed)
        i, j = np.triu_indices(len(masks), 1)
        nominal_sign = np.sign(nominal[i] - nominal[j])
        signs = np.sign(m0[i, :] - m0[j, :])
        same_pair = signs == nominal_sign[:, None]
        return {
            "k": str(Fraction(k)),
            "nominal_M0": [_num(v) for v in nominal],
            "share_same_ranking": _num(np.mean(np.all(same_pair, axis=0))) if len(i) else None,
            "pairwise_agreement": _num(np.mean(same_pair)) if len(i) else None,
            "draws": draws,
            "perturbation": f"each weight × U({1 - spread:g}, {1 + spread:g}), renormalised",
        }


def _dense_codes_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inverse, index of one member per distinct value)."""
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first
