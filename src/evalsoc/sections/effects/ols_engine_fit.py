"""The fit of ols_in_engine.py: designs/did.py's result from the engine's grouped moments, with
the collected path's conventions (sections/effects/linear.py, ols.py, absorb.py) step by step,
in the collected path's order of refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects import ols_engine_fixed
from evalsoc.sections.effects.answer import Answer
from evalsoc.sections.effects.did_in_engine import TERM
from evalsoc.sections.effects.ols_engine_design import FAMILY, NEAR_ABSORBED, Design
from evalsoc.sections.effects.ols_engine_fixed import codes_of


def cell_sums(groups: Any, spec: Any) -> Any:
    """did_in_engine's CellSums from the groups: pooled by (treated, post[, cluster])."""
    from evalsoc.engines.base import CellSums
    from evalsoc.stats.did_cells import pooled

    table = groups.table
    keys = ["d", "p", *(["g"] if spec.cluster else [])]
    frame = table[keys].reset_index(drop=True)
    codes, size = codes_of(list(frame.itertuples(index=False, name=None)))
    first = np.unique(codes, return_index=True)[1]
    total = groups.sums[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        n, _, ss = pooled(codes, size, groups.n, total, groups.comoment[:, -1, -1])
    sums = np.asarray(np.bincount(codes, weights=total, minlength=size), dtype=np.float64)
    cell_keys = frame.iloc[first].reset_index(drop=True)
    return CellSums(
        rows=groups.rows,
        kept=groups.kept,
        treated=cell_keys["d"].to_numpy(dtype=np.int64),
        post=cell_keys["p"].to_numpy(dtype=np.int64),
        n=n,
        total=sums,
        ss=np.maximum(ss, 0.0),
        cluster=cell_keys["g"].to_numpy(dtype=np.int64) if spec.cluster else None,
        low=groups.low,
        high=groups.high,
        binary=groups.binary,
    )


def _moments(
    groups: Any, values: np.ndarray, varying: list[int], rows: np.ndarray, mix: np.ndarray
) -> Any:
    """ols_moments.Moments of the groups `rows` for the regressors `values` (R × k) whose
    columns `varying` are mixes of the numeric columns (`mix`, R × len(varying) × q): their
    co-moments T·C·T' from the numeric columns' and the outcome's C."""
    from evalsoc.stats.ols_moments import Moments

    n = groups.n[rows]
    y = groups.sums[rows, -1] / n
    k = values.shape[1]
    cluster, _ = codes_of(groups.table["g"].to_numpy()[rows])
    m, v, q = mix[rows].shape
    T = np.zeros((m, v + 1, q + 1))
    T[:, :v, :q] = mix[rows]
    T[:, v, q] = 1.0
    comoment = np.einsum("rai,rij,rbj->rab", T, groups.comoment[rows], T)
    return Moments(n, np.column_stack([values[rows], y]), comoment, (*varying, k), cluster)


def _absorbed(design: Design, pooled: Any, fe_cols: list[int], fixed: Any, values: Any) -> Any:
    """The columns the fixed effects absorb (indices), or a fallback code when one is too
    nearly absorbed for the sums to say (linear.py drops a column whose norm falls to 1e-9 of
    its own once the effects are removed): a column constant within each level of one effect
    is absorbed exactly; one that keeps less than NEAR_ABSORBED of its squares otherwise is
    left to the rows."""
    import pandas as pd

    from evalsoc.stats.ols_moments import raw_gram, schur

    k = len(design.names)
    before = np.diag(raw_gram(pooled))[1 : k + 1]
    after = np.diag(schur(pooled.matrix, range(k), fe_cols))
    out = []
    for j in range(k):
        if j not in design.varying:
            column = pd.Series(values[:, j])
            spreads = [column.groupby(c).agg(["min", "max"]) for c in fixed.codes]
            if any(bool((sp["min"] == sp["max"]).all()) for sp in spreads):
                out.append(j)
                continue
        if after[j] <= NEAR_ABSORBED * max(before[j], 1e-300):
            return "effect_rows_collected_absorbed"
    return out


@dataclass
class Fitted:
    """The declared term's inference (`inferred`: estimate, se, df, n_clusters, ci, p, _ovb)
    and what the designs publish of the fit."""

    inferred: dict[str, Any]
    n: int
    n_treated: int
    levels: dict[str, int]
    absorbed: list[str]
    singletons: int
    notes: list[str]
    se_type: str

    def result(
        self, design: str, method: str, diagnostics: dict[str, Any], counts: Any
    ) -> dict[str, Any]:
        """inference.result_from_fit of the term: `method` followed by the SE's words."""
        from evalsoc.sections.effects.inference import result_from_fit
        from evalsoc.sections.effects.ols import SE_WORDS

        return result_from_fit(
            self.inferred,
            n=self.n,
            n_treated=self.n_treated,
            n_control=self.n - self.n_treated,
            design=design,
            method=f"{method}; {SE_WORDS[self.se_type]}",
            diagnostics=diagnostics,
            _group_counts=counts,
        )


def fit_term(
    groups: Any, design: Design, term: str, spec: Any, engine: Any, request: Any
) -> Fitted | str:
    """linear_term's steps for `term` on the design (fixed effects, absorbed columns, the HC2
    rule, cluster checks, K, rank, the SE type's variance), or the code of a fallback."""
    from evalsoc.sections.effects.ols import (
        check_clusters,
        check_full_rank_gram,
        check_se,
        t_inference,
    )
    from evalsoc.stats import ols_moments
    from evalsoc.stats.variance import NotComputable, canonical

    R = len(groups.table)
    rows = np.ones(R, dtype=bool)
    values = design.values
    k = len(design.names)
    fixed: ols_engine_fixed.Fixed | None = None
    fe_cols: list[int] = []
    absorbed: list[int] = []
    notes: list[str] = []
    if design.fixed:
        fixed = ols_engine_fixed.setup(design.fixed, design.fixed_names, groups.n)
        rows = fixed.rows
        values = np.column_stack([values, fixed.dummies])
        every = list(range(k, values.shape[1]))
        moments_all = _moments(groups, values, design.varying, rows, design.mix)
        pooled_all = ols_moments.pool(moments_all)
        found = _absorbed(design, pooled_all, every, fixed, values[rows])
        if isinstance(found, str):
            return found
        absorbed = found
        if design.names.index(term) in absorbed:
            raise NotEstimable("term_absorbed", term=term, fixed=", ".join(fixed.names))
        gram = pooled_all.matrix[np.ix_(every, every)]
        fe_cols = [every[i] for i in ols_engine_fixed.independent(gram)]
    kept = [j for j in range(k) if j not in absorbed]
    names = [design.names[j] for j in kept]
    se_type = spec.se_type
    if fixed is not None:
        se_type, notes = ols_engine_fixed.hc_rule(se_type, fixed, int(groups.n[rows].sum()))
    columns = kept + fe_cols
    which = [i for i, j in enumerate(design.varying) if j in kept]
    varying = [columns.index(design.varying[i]) for i in which]
    mix = design.mix[:, which, :]
    moments = _moments(groups, values[:, columns], varying, rows, mix)
    d_rows = groups.table["d"].to_numpy()[rows]
    kind = canonical(se_type)
    if kind == "cr1":
        check_clusters(moments.cluster, d_rows)
    n = int(moments.n.sum())
    K = len(kept) + (fixed.df if fixed is not None else 1)
    if n <= K:
        raise NotEstimable("too_few_observations", n=n, parameters=K)
    pooled = ols_moments.pool(moments)
    width = len(columns)
    if fixed is not None:
        gram = ols_moments.schur(pooled.matrix, range(len(kept)), range(len(kept), width))
        check_full_rank_gram(gram, names, [term])
    else:
        check_full_rank_gram(ols_moments.raw_gram(pooled), ["const", *names], [term])
    try:
        fit = ols_moments.fit(pooled)
    except np.linalg.LinAlgError as exc:
        raise NotEstimable("collinear_regressors") from exc
    j = names.index(term)
    n_clusters: int | None = None
    try:
        if kind == "classical":
            cov = ols_moments.classical(fit, K)
            df: int = n - K
        elif kind == "cr1":
            outside = 1
            if fixed is not None:
                outside = ols_engine_fixed.df_not_nested(fixed, moments.cluster)
            n_params = len(kept) + outside
            scores = ols_moments.cluster_scores(moments, fit)
            cov = ols_moments.cr1(fit, scores, n_params)
            n_clusters = int(scores.shape[0])
            df = n_clusters - 1
        else:
            terms_of = numeric_terms(values[:, columns], varying, mix, design.offset[which])
            cov = second_scan_hc(
                engine, request, groups, rows, fit, kind, K, terms_of, design.centre
            )
            df = n - K
    except NotComputable as exc:
        raise NotEstimable("variance_not_computable", detail=str(exc)) from None
    value = float(fit.coef[j])
    se = float(np.sqrt(max(cov[j, j], 0.0)))
    check_se(value, se)
    inferred: dict[str, Any] = {"estimate": value, "se": se, "df": df, "n_clusters": n_clusters}
    inferred.update(t_inference(value, se, df, spec.level))
    inferred["_ovb"] = _classical_t(fit, j, n - K)
    levels = dict(zip(fixed.names, fixed.levels)) if fixed is not None else {}
    treated = int(groups.n[rows][d_rows == 1].sum())
    return Fitted(
        inferred,
        n,
        treated,
        levels,
        [design.names[i] for i in absorbed],
        fixed.singletons if fixed is not None else 0,
        notes,
        se_type,
    )


def estimate(
    groups: Any, design: Design, spec: Any, min_cell: int, engine: Any, request: Any
) -> Answer | str:
    """The effect (designs/did.py's keys and values), or the code of a fallback to the rows."""
    from evalsoc.sections.effects import did_in_engine

    checked = did_in_engine.checked_cells(cell_sums(groups, spec), min_cell)
    fitted = fit_term(groups, design, TERM, spec, engine, request)
    if isinstance(fitted, str):
        return fitted
    parts = ["Difference-in-differences by OLS (programme group × after period)"]
    if spec.covariates:
        parts.append("adjusted for " + ", ".join(spec.covariates))
    if fitted.levels:
        parts.append("absorbing fixed effects of " + ", ".join(fitted.levels))
    cells = checked.cells
    diagnostics: dict[str, Any] = {
        "cells": cells,
        "raw_did": did_in_engine.raw_did(cells),
        "fixed_effects": fitted.levels,
        "absorbed_columns": fitted.absorbed,
        "singletons_dropped": fitted.singletons,
        "notes": fitted.notes,
    }
    if design.covariate_names:
        diagnostics["balance_before"] = balance_rows(groups, design)
    method = "; ".join(parts)
    result = fitted.result("did", method, diagnostics, did_in_engine.after_counts(cells))
    return did_in_engine.answer_from(result, checked, groups.binary, spec)


def _classical_t(fit: Any, j: int, df_resid: int) -> dict[str, float] | None:
    """inference._classical_t from the fit's RSS and bread: what sensitivity reads."""
    if df_resid < 2:
        return None
    se = float(np.sqrt(fit.rss / df_resid * fit.bread[j, j]))
    if not se > 0:
        return None
    return {"t": float(fit.coef[j]) / se, "dof": float(df_resid)}


def numeric_terms(
    values: np.ndarray, varying: list[int], mix: np.ndarray, offset: np.ndarray
) -> tuple[Any, Any]:
    """(constant, transform) of `ols_moments.second_pass`: each varying regressor at its
    offset (ñ = 0), and its mix of the numeric columns placed at its column."""
    constant = np.array(values, dtype=float)
    constant[:, varying] = offset
    transform = np.zeros((len(values), values.shape[1], mix.shape[2]))
    transform[:, varying, :] = mix
    return constant, transform


def second_scan_hc(
    engine: Any,
    request: Any,
    groups: Any,
    rows: np.ndarray,
    fit: Any,
    kind: str,
    K: int,
    terms_of: tuple[Any, Any],
    centre: np.ndarray,
) -> np.ndarray:
    """HC0–HC3 from the engine's second scan over the fit's rows (key groups: clusters pooled;
    `terms_of`: (constant, transform) over the groups, as `numeric_terms`)."""
    from evalsoc.stats import ols_moments

    constant_all, transform_all = terms_of
    key_columns = [c for c in groups.table.columns if c != "g"]
    keys = groups.table.loc[rows, key_columns].reset_index(drop=True)
    first = ~keys.duplicated().to_numpy()
    constant = constant_all[rows][first]
    transform = transform_all[rows][first]
    terms_keys = keys[first].reset_index(drop=True)
    q = transform.shape[2]
    terms = ols_moments.second_pass(fit, constant, transform, centre)
    columns: dict[str, Any] = {"grp": np.arange(len(terms_keys)), "alpha": terms.alpha}
    columns["h0"] = terms.h0
    for i in range(q):
        columns[f"b{i}"] = terms.b[:, i]
        columns[f"s{i}"] = terms.slope[:, i]
        for j in range(q):
            columns[f"D{i}_{j}"] = terms.D[:, i, j]
    frame = terms_keys.assign(**columns)
    frame.attrs = {"centre": centre}
    found = engine.ols_second_pass(request, frame, kind).set_index("grp")
    found = found.reindex(np.arange(len(terms_keys))).fillna(0.0)
    sw = found["sw"].to_numpy(dtype=float)
    swx = np.zeros((len(found), q))
    for i in range(q):
        swx[:, i] = found[f"swx{i}"].to_numpy(dtype=float)
    swxx = np.zeros((len(found), q, q))
    for a in range(q):
        for b in range(a, q):
            swxx[:, a, b] = swxx[:, b, a] = found[f"swx{a}x{b}"].to_numpy(dtype=float)
    meat = ols_moments.hc_meat(constant, transform, fit, sw, swx, swxx)
    top = float(found["top"].max()) if len(found) else 0.0
    return ols_moments.hc(fit, meat, kind, K, top)


def balance_rows(groups: Any, design: Design) -> list[dict[str, Any]]:
    """balance.balance_table of the covariates before (post 0), from the groups' sums."""
    from evalsoc.sections.effects.balance import balance_row

    table = groups.table
    pre = table["p"].to_numpy() == 0
    d = table["d"].to_numpy()
    first = 3
    stats: dict[str, dict[str, Any]] = {}
    for offset, name in enumerate(design.covariate_names):
        j = first + offset
        per: dict[str, Any] = {}
        for arm, mask in (("treated", pre & (d == 1)), ("control", pre & (d == 0))):
            n_r = groups.n[mask]
            size = float(n_r.sum())
            if j in design.varying:
                v = design.varying.index(j)
                total = float(groups.sums[mask, v].sum())
                mean = total / size if size else np.nan
                within = float(groups.comoment[mask, v, v].sum())
                own = groups.sums[mask, v] / np.where(n_r > 0, n_r, 1)
                zero_one = bool(groups.zero_one[pre, v].all())
            else:
                own = design.values[mask, j]
                total = float((n_r * own).sum())
                mean = total / size if size else np.nan
                within, zero_one = 0.0, True
            ss = within + float((n_r * (own - mean) ** 2).sum())
            per[arm] = (size, mean, ss / (size - 1) if size > 1 else 0.0, total, zero_one)
        stats[name] = per
    families: dict[str, list[str]] = {}
    for name in design.covariate_names:
        m = FAMILY.fullmatch(name)
        if m and design.names.index(name) not in design.varying:
            families.setdefault(m.group(1), []).append(name)
    reference: dict[str, dict[str, int]] = {}
    for members in families.values():
        left = {
            arm: int(round(stats[members[0]][arm][0] - sum(stats[c][arm][3] for c in members)))
            for arm in ("treated", "control")
        }
        for name in members:
            reference[name] = left
    rows = []
    for name in design.covariate_names:
        t, c = stats[name]["treated"], stats[name]["control"]
        if t[0] == 0 or c[0] == 0:
            continue
        row = balance_row(name, t[1], c[1], t[2], c[2])
        if t[4] and c[4]:
            counts = {}
            for arm, s in (("treated", t), ("control", c)):
                with_trait = int(round(s[3]))
                counts[arm] = [with_trait, int(s[0]) - with_trait]
                if name in reference:
                    counts[arm].append(reference[name][arm])
            row["_counts"] = counts
        rows.append(row)
    return rows
