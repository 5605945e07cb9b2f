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

The parts live in short modules of this folder: identification.py (exact weights and the
k test), cells.py (collapsing persons into cells) and survey.py (design-based SEs). This module
keeps the `AlkireFoster` class whole (~330 lines): one estimator whose methods share the
collapsed cells, the design and the identification at k, so splitting it would scatter one
state across modules.

References: Alkire & Foster (2011), J. Public Econ. 95: 476–487; Alkire, Foster, Seth, Santos,
Roche & Ballon (2015), Multidimensional Poverty Measurement and Analysis, ch. 5 and 8.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from evalsoc.sections.capabilities.cells import collapse
from evalsoc.sections.capabilities.identification import (
    _codes,
    _dense_codes,
    _dense_codes_unique,
    identify,
    tied,
    weight_units,
)
from evalsoc.sections.capabilities.survey import (
    Stat,
    Survey,
    _ci,
    _num,
    combine,
    complement,
    difference,
    quotient,
)


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
        labels: Mapping[str, np.ndarray | tuple[np.ndarray, np.ndarray]] | None = None,
        gaps: np.ndarray | None = None,
        se: str = "linearization",
        bootstrap_reps: int = 500,
        rng: np.random.Generator | None = None,
        frequency: np.ndarray | None = None,
        weight_sq: np.ndarray | None = None,
    ):
        """`labels`: name → array of strings (or ints) per person, for subgroups and waves, or
        already coded: (codes, distinct values sorted), as `_codes` gives them.

        `frequency`: rows that are groups of identical persons (the DuckDB engine's cells:
        sections/capabilities/in_engine.py), each standing for that many persons; then
        `sample_weight` and `weight_sq` are each group's summed weights and squared weights
        (None: unweighted), and the person-level views (`person_scores`) are not available."""
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
        self.frequency = None if frequency is None else np.asarray(frequency, np.int64)
        self.label_values: dict[str, np.ndarray] = {}
        codes: dict[str, np.ndarray] = {}
        for name, values in (labels or {}).items():
            if isinstance(values, tuple):
                codes[name], self.label_values[name] = values
            else:
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
            frequency=self.frequency,
            weight_sq=weight_sq,
        )
        self.survey = Survey(self.cells, self.design, method=se, reps=bootstrap_reps, rng=rng)
        self.gaps = None if gaps is None else np.asarray(gaps, dtype=np.float64)
        self._gap_sums: Any = None
        self.c = self.cells.score / self.total
        self._at_k: dict[tuple[Fraction, bytes | None], dict[str, Any]] = {}

    # -- person-level views, for the effects engine and for peers --
    def person_scores(self) -> np.ndarray:
        """c_i per person, as a float share of the total weight."""
        self._persons_only()
        return self.c[self.cells.person_cell]

    def person_identified(self, k: Fraction) -> np.ndarray:
        self._persons_only()
        return identify(self.cells.score, self.total, Fraction(k))[self.cells.person_cell]

    def _persons_only(self) -> None:
        if self.frequency is not None:
            raise RuntimeError("built from groups of persons: there is no per-person view")

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
        """Persons in the cells of `domain` (a mask): an integer dot product, exact, and cheaper
        than gathering a million cells through the mask (called ~30 times per set)."""
        count = self.cells.count
        return int(count.sum() if domain is None else np.dot(count, np.asarray(domain, bool)))

    # -- measures at one k --
    def at_k(self, k: Fraction, domain: np.ndarray | None = None) -> dict[str, Any]:
        """H, A, M0 (and M1, M2 with gaps), censored headcounts, contributions, SEs. Computed
        once per k and domain: the last wave's figures are both the set's results and a wave
        of its change over time (a shallow copy each time: callers add keys of their own)."""
        key = (Fraction(k), None if domain is None else np.asarray(domain, bool).tobytes())
        if key not in self._at_k:
            self._at_k[key] = self._measure_at_k(Fraction(k), domain)
        return dict(self._at_k[key])

    def _measure_at_k(self, k: Fraction, domain: np.ndarray | None) -> dict[str, Any]:
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
            "n_identified": self.persons_in(poor),
            "n_tied": self.persons_in(at_tie),
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
        """M1, M2 from normalised gaps, per person (gaps do not collapse into cells). Each sum
        is Σ_v v·(weight of the persons whose weighted gap is v), over the distinct values v in
        sorted order: unweighted, the per-value weights are integers, exact in any order, so
        persons and their groups (the DuckDB engine's rows) give the same bits."""
        if self.gaps is None:
            return {"M1": None, "M2": None}
        cell = self.cells.person_cell
        poor = (identify(self.cells.score, self.total, k) & dom)[cell]
        in_dom = dom[cell]
        s, (code1, value1), (code2, value2) = self._person_gaps()
        denominator = float(s[in_dom].sum())
        if denominator <= 0:
            return {"M1": None, "M2": None}
        poor_weight = s * poor
        at1 = np.bincount(code1, weights=poor_weight, minlength=len(value1))
        at2 = np.bincount(code2, weights=poor_weight, minlength=len(value2))
        return {
            "M1": _num(float(np.dot(at1, value1)) / denominator),
            "M2": _num(float(np.dot(at2, value2)) / denominator),
        }

    def _person_gaps(
        self,
    ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Sampling weights per person (or group), and the codes and sorted distinct values of
        the weighted gaps Σ_j w_j g_ij and Σ_j w_j g_ij², computed once for every k and wave."""
        if self._gap_sums is None:
            assert self.gaps is not None
            s = np.ones(self.n) if self.sample_weight is None else self.sample_weight
            if self.sample_weight is None and self.frequency is not None:
                s = self.frequency.astype(np.float64)  # a group of identical persons
            g1 = _sorted_value_codes(self.gaps @ self.w)
            g2 = _sorted_value_codes((self.gaps**2) @ self.w)
            self._gap_sums = (s, g1, g2)
        return self._gap_sums

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
        inverse, values = _dense_codes(scores, int(scores.max()) + 1)  # scores: small ints ≥ 0
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


def _sorted_value_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_inverse=True)` as (inverse, distinct values sorted), by
    hashing (pandas.factorize) and sorting only the few distinct values: weighted gaps take a
    handful of values over a million persons, and sorting the million is the slow part."""
    import pandas as pd

    codes, distinct = pd.factorize(np.asarray(values, dtype=np.float64))
    order = np.argsort(distinct, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[codes], np.asarray(distinct, dtype=np.float64)[order]
