"""Staggered difference-in-differences: group-time effects of Callaway & Sant'Anna (2021).

Units adopt the programme at different periods. For each cohort g (units first treated in g)
and period t, ATT(g,t) compares the change in outcome of cohort g between a base period b and t
with the same change among comparison units (never treated, or not yet treated by t). Standard
errors come from the per-unit influence functions, which also give the aggregates' SEs and the
joint pre-trend test. Everything works on a units × periods matrix, so the cost is one pass of
vector operations per (g,t) cell.

Why one module: one estimator (group-time effects, their aggregates and the pre-trend test) with
its influence-function inference; split, one method would be read across files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalsoc.problems import problem
from evalsoc.sections.common import NotEstimable, finite_or_none
from evalsoc.sections.effects.common import check_clusters, is_binary, outcome_counts

FEW_CLUSTERS = 30
CONTROL_WORDS = {
    "never_treated": "units never treated",
    "not_yet_treated": "units not yet treated (including never treated)",
}


@dataclass
class Panel:
    """A balanced panel: outcome matrix, cohort of each unit, covariates at each period."""

    y: np.ndarray  # (units, periods)
    periods: np.ndarray  # sorted period values
    cohort: np.ndarray  # first treated period per unit; 0 = never treated
    x: np.ndarray | None  # (units, periods, k) covariates incl. no intercept, or None
    cluster: np.ndarray | None  # cluster code per unit (None = the unit itself)
    n_dropped_units: int
    n_always_treated: int


@dataclass
class GroupTime:
    """ATT(g,t) estimates and their influence functions (units × cells)."""

    group: np.ndarray
    time: np.ndarray
    att: np.ndarray
    inf: np.ndarray
    n_treated: np.ndarray
    n_control: np.ndarray
    skipped: list[dict[str, Any]]


def build_panel(
    frame: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    covariates: list[str] | None = None,
    cluster: str | None = None,
) -> Panel:
    """Pivot long data into a balanced panel, dropping units with a missing period or value.

    Cohorts first treated after the last period count as never treated (as in R's `did`);
    units treated from the first period have no pre-period and are dropped.
    """
    covariates = list(covariates or [])
    needed = [outcome, unit, time, first_treated, *covariates] + ([cluster] if cluster else [])
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        raise NotEstimable("data_has_no_columns", columns=", ".join(map(repr, missing)))
    data = frame[list(dict.fromkeys(needed))].copy()
    try:
        data["_t"] = pd.to_numeric(data[time]).astype(float)
    except (TypeError, ValueError):
        raise NotEstimable("time_not_numeric", time=repr(time)) from None
    first = pd.to_numeric(data[first_treated], errors="coerce").astype(float).fillna(0.0)
    data["_g"] = first
    data["_y"] = pd.to_numeric(data[outcome], errors="coerce").astype(float)
    if data[[unit, "_t"]].isna().any(axis=None):
        data = data.dropna(subset=[unit, "_t"])
    if data.duplicated([unit, "_t"]).any():
        raise NotEstimable("unit_period_duplicated", unit=repr(unit), time=repr(time))
    g_per_unit = data.groupby(unit, sort=True, observed=True)["_g"].agg(["min", "max"])
    if (g_per_unit["min"] != g_per_unit["max"]).any():
        raise NotEstimable("first_treated_varies", column=repr(first_treated))
    periods = np.sort(data["_t"].unique())
    if len(periods) < 2:
        raise NotEstimable("staggered_two_periods")

    wide = data.pivot(index=unit, columns="_t", values="_y").reindex(columns=periods)
    keep = wide.notna().all(axis=1)
    covs: np.ndarray | None = None
    if covariates:
        cov_frames = []
        for name in covariates:
            values = pd.to_numeric(data[name], errors="coerce").astype(float)
            col = data.assign(_v=values).pivot(index=unit, columns="_t", values="_v")
            col = col.reindex(index=wide.index, columns=periods)
            keep &= col.notna().all(axis=1)
            cov_frames.append(col.to_numpy())
        covs = np.stack(cov_frames, axis=2)
    cohort = g_per_unit["min"].reindex(wide.index).to_numpy(dtype=float)
    cohort = np.where(cohort > periods[-1], 0.0, cohort)
    always = (cohort > 0) & (cohort <= periods[0])
    keep_arr = keep.to_numpy() & ~always
    cluster_codes = None
    if cluster and cluster != unit:
        per_unit = data.groupby(unit, sort=True, observed=True)[cluster].nunique(dropna=False)
        if (per_unit.reindex(wide.index) > 1).any():
            raise NotEstimable("cluster_varies_within_unit", cluster=repr(cluster))
        first_cluster = data.groupby(unit, sort=True, observed=True)[cluster].first()
        cluster_codes = pd.factorize(first_cluster.reindex(wide.index))[0][keep_arr]
    return Panel(
        y=wide.to_numpy()[keep_arr],
        periods=periods,
        cohort=cohort[keep_arr],
        x=None if covs is None else covs[keep_arr],
        cluster=cluster_codes,
        n_dropped_units=int((~keep.to_numpy() & ~always).sum()),
        n_always_treated=int(always.sum()),
    )


def _regression_att(
    dy: np.ndarray, x: np.ndarray, treated: np.ndarray, n: int
) -> tuple[float, np.ndarray]:
    """Outcome-regression DiD (Sant'Anna & Zhao 2020, `reg_did_panel`) on the cell's units.

    `dy` and `x` are restricted to the cell (treated + comparison units); returns the ATT and
    its influence function on those units, scaled to the full sample of `n` units.
    """
    d = treated.astype(float)
    xc = np.column_stack([np.ones(len(dy)), x])
    control = d == 0
    xtx = xc[control].T @ xc[control]
    if np.linalg.matrix_rank(xtx) < xtx.shape[0]:
        raise np.linalg.LinAlgError("collinear covariates among comparison units")
    beta = np.linalg.solve(xtx, xc[control].T @ dy[control])
    pred = xc @ beta
    m = len(dy)
    mean_d = d.mean()
    eta_treat = (d * dy).mean() / mean_d
    eta_cont = (d * pred).mean() / mean_d
    # Linear representation of the OLS coefficients (controls only).
    xpx_inv = np.linalg.inv(xtx / m)
    lin_ols = ((1 - d) * (dy - pred))[:, None] * xc @ xpx_inv
    inf_treat = (d * dy - d * eta_treat) / mean_d
    inf_cont = (d * pred - d * eta_cont + lin_ols @ (d[:, None] * xc).mean(axis=0)) / mean_d
    return eta_treat - eta_cont, (inf_treat - inf_cont) * n / m


def group_time_att(
    panel: Panel,
    *,
    control: str = "never_treated",
    base_period: str = "varying",
    est_method: str = "dr",
) -> GroupTime:
    """All ATT(g,t) with their influence functions (units × cells), in group then time order.

    With covariates, est_method "dr" (doubly robust, R did's default) or "reg" (outcome
    regression)."""
    from evalsoc.sections.effects.designs.staggered_dr import dr_att

    cell_att = dr_att if est_method == "dr" else _regression_att
    y, periods, cohort = panel.y, panel.periods, panel.cohort
    n = len(cohort)
    groups = np.sort(np.unique(cohort[cohort > 0]))
    never = cohort == 0
    if control == "never_treated" and not never.any():
        raise NotEstimable("no_never_treated")
    rows: list[tuple[float, float, float, np.ndarray, int, int]] = []
    skipped: list[dict[str, Any]] = []
    for g in groups:
        treated = cohort == g
        pre = np.flatnonzero(periods < g)
        last_pre = pre[-1]
        for ti, t in enumerate(periods):
            if t >= g or base_period == "universal":
                bi = last_pre
            else:
                bi = ti - 1
            if bi < 0 or bi == ti:
                continue  # no earlier period (first period) or the reference period itself
            if control == "never_treated":
                comp = never
            else:
                horizon = max(t, periods[bi])
                comp = never | ((cohort > horizon) & (cohort != g))
            n_t, n_c = int(treated.sum()), int(comp.sum())
            if n_c == 0:
                skipped.append({"group": g, "time": t, "reason": problem("cell_no_comparison")})
                continue
            dy = y[:, ti] - y[:, bi]
            inf = np.zeros(n)
            if panel.x is None:
                mu_t, mu_c = dy[treated].mean(), dy[comp].mean()
                inf[treated] = (dy[treated] - mu_t) * n / n_t
                inf[comp] = -(dy[comp] - mu_c) * n / n_c
                att = mu_t - mu_c
            else:
                cell = treated | comp
                try:
                    att, inf_cell = cell_att(dy[cell], panel.x[cell, bi, :], treated[cell], n)
                except np.linalg.LinAlgError:
                    skipped.append(
                        {
                            "group": g,
                            "time": t,
                            "reason": problem("cell_covariates_collinear"),
                        }
                    )
                    continue
                inf[cell] = inf_cell
            rows.append((g, t, att, inf, n_t, n_c))
    if not rows:
        raise NotEstimable("no_group_time_effect")
    return GroupTime(
        group=np.array([r[0] for r in rows]),
        time=np.array([r[1] for r in rows]),
        att=np.array([r[2] for r in rows]),
        inf=np.column_stack([r[3] for r in rows]),
        n_treated=np.array([r[4] for r in rows]),
        n_control=np.array([r[5] for r in rows]),
        skipped=skipped,
    )


def covariance(inf: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    """Var of estimates from influence functions: Σ ψψ'/n², or summed within clusters.

    With clusters the sum is over cluster totals, times G/(G−1) (the usual small-sample factor).
    """
    n = inf.shape[0]
    if cluster is None:
        return inf.T @ inf / n**2
    n_clusters = int(cluster.max()) + 1
    totals = np.zeros((n_clusters, inf.shape[1]))
    np.add.at(totals, cluster, inf)
    factor = n_clusters / (n_clusters - 1) if n_clusters > 1 else np.nan
    return factor * totals.T @ totals / n**2


def _weight_inf(cells: np.ndarray, gt: GroupTime, cohort: np.ndarray) -> np.ndarray:
    """Influence of estimating the cohort shares used as weights (R `did`'s `wif`)."""
    pg = np.array([np.mean(cohort == g) for g in gt.group[cells]])
    member = (cohort[:, None] == gt.group[cells][None, :]).astype(float) - pg[None, :]
    total = pg.sum()
    return member / total - member.sum(axis=1, keepdims=True) * (pg / total**2)[None, :]


def _combine(
    att: np.ndarray, inf: np.ndarray, weights: np.ndarray, wif: np.ndarray | None
) -> tuple[float, np.ndarray]:
    """A weighted mean of estimates and its influence function."""
    psi = inf @ weights
    if wif is not None:
        psi = psi + wif @ att
    return float(att @ weights), psi


def aggregate(gt: GroupTime, cohort: np.ndarray) -> dict[str, Any]:
    """Simple, group and dynamic aggregates with their influence functions (R `did::aggte`)."""
    post = gt.time >= gt.group
    pg_cell = np.array([np.mean(cohort == g) for g in gt.group])
    out: dict[str, Any] = {}
    if post.any():
        cells = np.flatnonzero(post)
        w = pg_cell[cells] / pg_cell[cells].sum()
        out["simple"] = _combine(gt.att[cells], gt.inf[:, cells], w, _weight_inf(cells, gt, cohort))

        groups = np.unique(gt.group[post])
        theta_g, psi_g = [], []
        for g in groups:
            cells_g = np.flatnonzero(post & (gt.group == g))
            est, psi = _combine(
                gt.att[cells_g], gt.inf[:, cells_g], np.full(len(cells_g), 1 / len(cells_g)), None
            )
            theta_g.append(est)
            psi_g.append(psi)
        pg = np.array([np.mean(cohort == g) for g in groups])
        theta_arr, psi_arr = np.array(theta_g), np.column_stack(psi_g)
        proxy = GroupTime(groups, groups, theta_arr, psi_arr, groups, groups, [])
        wif = _weight_inf(np.arange(len(groups)), proxy, cohort)
        overall = _combine(theta_arr, psi_arr, pg / pg.sum(), wif)
        out["group"] = (overall, groups, theta_arr, psi_arr)

    event = gt.time - gt.group
    e_values = np.unique(event)
    theta_e, psi_e = [], []
    for e in e_values:
        cells = np.flatnonzero(event == e)
        w = pg_cell[cells] / pg_cell[cells].sum()
        est, psi = _combine(gt.att[cells], gt.inf[:, cells], w, _weight_inf(cells, gt, cohort))
        theta_e.append(est)
        psi_e.append(psi)
    theta_e_arr, psi_e_arr = np.array(theta_e), np.column_stack(psi_e)
    nonneg = e_values >= 0
    overall_dyn = None
    if nonneg.any():
        k = int(nonneg.sum())
        overall_dyn = _combine(theta_e_arr[nonneg], psi_e_arr[:, nonneg], np.full(k, 1 / k), None)
    out["dynamic"] = (overall_dyn, e_values, theta_e_arr, psi_e_arr)
    return out


def _interval(est: float, se: float | None, z: float) -> dict[str, float | None]:
    if se is None or not np.isfinite(se) or se <= 0:
        return {
            "estimate": finite_or_none(est),
            "se": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
        }
    return {
        "estimate": finite_or_none(est),
        "se": finite_or_none(se),
        "ci_low": finite_or_none(est - z * se),
        "ci_high": finite_or_none(est + z * se),
        "p_value": finite_or_none(2 * stats.norm.sf(abs(est / se))),
    }


def _se_of(psi: np.ndarray, cluster: np.ndarray | None) -> float:
    var = covariance(psi[:, None], cluster)[0, 0]
    return float(np.sqrt(var)) if var >= 0 else float("nan")


def pre_trend_test(gt: GroupTime, cluster: np.ndarray | None) -> dict[str, Any]:
    """Joint Wald test that all pre-period ATT(g,t) are zero (the parallel-trends check)."""
    pre = np.flatnonzero(gt.time < gt.group)
    if len(pre) == 0:
        return {
            "n_pre": 0,
            "statistic": None,
            "df": 0,
            "p_value": None,
            "note": problem("pretrend_no_periods"),
        }
    theta = gt.att[pre]
    vcov = covariance(gt.inf[:, pre], cluster)
    rank = int(np.linalg.matrix_rank(vcov))
    stat = float(theta @ np.linalg.pinv(vcov) @ theta)
    return {
        "n_pre": len(pre),
        "statistic": finite_or_none(stat),
        "df": rank,
        "p_value": finite_or_none(stats.chi2.sf(stat, rank)) if rank > 0 else None,
    }


def staggered_did(
    panel: Panel,
    *,
    control: str = "never_treated",
    base_period: str = "varying",
    level: float = 0.95,
    min_cell: int = 1,
    est_method: str = "dr",
) -> dict[str, Any]:
    """Group-time ATTs, aggregates and pre-trend diagnostics from a balanced panel."""
    gt = group_time_att(panel, control=control, base_period=base_period, est_method=est_method)
    z = float(stats.norm.ppf(0.5 + level / 2))
    cluster = panel.cluster
    vcov = covariance(gt.inf, cluster)
    se_cells = np.sqrt(np.clip(np.diag(vcov), 0, None))
    att_gt = []
    for i in range(len(gt.att)):
        entry: dict[str, Any] = {
            "group": _num(gt.group[i]),
            "time": _num(gt.time[i]),
            "event_time": _num(gt.time[i] - gt.group[i]),
            "post": bool(gt.time[i] >= gt.group[i]),
            "n_treated": int(gt.n_treated[i]),
            "n_control": int(gt.n_control[i]),
        }
        entry.update(_interval(gt.att[i], se_cells[i], z))
        att_gt.append(_private(entry, int(gt.n_treated[i]), min_cell))

    agg = aggregate(gt, panel.cohort)
    if "simple" not in agg:
        raise NotEstimable("no_cohort_after_treatment")
    aggregates: dict[str, Any] = {}
    est, psi = agg["simple"]
    aggregates["simple"] = _interval(est, _se_of(psi, cluster), z)
    (g_est, g_psi), groups, theta_g, psi_g = agg["group"]
    aggregates["group"] = {
        **_interval(g_est, _se_of(g_psi, cluster), z),
        "by_group": [
            _private(
                {
                    "group": _num(g),
                    "n_units": int((panel.cohort == g).sum()),
                    **_interval(theta_g[i], _se_of(psi_g[:, i], cluster), z),
                },
                int((panel.cohort == g).sum()),
                min_cell,
            )
            for i, g in enumerate(groups)
        ],
    }
    overall_dyn, e_values, theta_e, psi_e = agg["dynamic"]
    by_event = []
    for i, e in enumerate(e_values):
        cohorts_at_e = np.unique(gt.group[gt.time - gt.group == e])
        n_e = int(np.isin(panel.cohort, cohorts_at_e).sum())
        entry = {
            "event_time": _num(e),
            "n_units": n_e,
            **_interval(theta_e[i], _se_of(psi_e[:, i], cluster), z),
        }
        by_event.append(_private(entry, n_e, min_cell))
    dyn = _interval(
        *((overall_dyn[0], _se_of(overall_dyn[1], cluster)) if overall_dyn else (np.nan, None)), z
    )
    aggregates["dynamic"] = {**dyn, "by_event_time": by_event}

    n_units = len(panel.cohort)
    n_treated = int((panel.cohort > 0).sum())
    pre_entries = [a for a in att_gt if not a["post"]]
    return {
        "estimate": aggregates["simple"]["estimate"],
        "se": aggregates["simple"]["se"],
        "ci_low": aggregates["simple"]["ci_low"],
        "ci_high": aggregates["simple"]["ci_high"],
        "p_value": aggregates["simple"]["p_value"],
        "n": n_units,
        "n_obs": int(panel.y.size),
        "n_periods": len(panel.periods),
        "n_treated": n_treated,
        "n_control": n_units - n_treated,
        "n_clusters": int(cluster.max()) + 1 if cluster is not None else n_units,
        "att_gt": att_gt,
        "aggregates": aggregates,
        "diagnostics": {
            "pre_trends": {**pre_trend_test(gt, cluster), "estimates": pre_entries},
            "event_study": by_event,
            "skipped_cells": [
                {**s, "group": _num(s["group"]), "time": _num(s["time"])} for s in gt.skipped
            ],
            "dropped_units": panel.n_dropped_units,
            "always_treated_units": panel.n_always_treated,
            "cohorts": [
                {"group": _num(g), "n_units": int((panel.cohort == g).sum())}
                for g in np.unique(panel.cohort[panel.cohort > 0])
            ],
            "never_treated_units": int((panel.cohort == 0).sum()),
        },
    }


def _private(entry: dict[str, Any], n_units: int, min_cell: int) -> dict[str, Any]:
    """Blank an estimate computed from fewer treated units than the privacy threshold."""
    if n_units >= min_cell:
        return entry
    blank = dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "p_value"))
    reason = problem("staggered_few_treated_units", min_cell=min_cell)
    return {**entry, **blank, "suppressed": True, "reason": reason}


def _num(value: float) -> int | float:
    """Periods as integers when they are whole numbers (years), else floats."""
    value = float(value)
    return int(value) if value.is_integer() else value


# --- adapter from a prepared frame and an EffectSpec ----------------------------------------------


def estimate_staggered_did(frame: pd.DataFrame, spec: Any, *, min_cell: int = 1) -> dict[str, Any]:
    """Callaway–Sant'Anna staggered DiD from the rows of one source and an EffectSpec.

    The outcome is `_y` when the dispatcher prepared it, else the `outcome` column. Categorical
    covariates are expanded to 0/1 columns; their base-period values enter the outcome regression.
    """
    from evalsoc.sections.effects.common import RESULT_NUMBERS, covariate_matrix, result_dict

    data = frame.copy()
    first = pd.to_numeric(data[spec.first_treated], errors="coerce")
    if first.isna().any():
        bad = data.loc[first.isna(), spec.first_treated].astype(str).unique()[:3]
        raise NotEstimable(
            "first_treated_invalid",
            column=repr(spec.first_treated),
            values=", ".join(map(repr, bad)),
        )
    # Privacy: a cohort of fewer than min_cell units is left out whole (its effect could
    # otherwise be recovered from the published aggregates and the other cohorts' sizes).
    cohort_units = data.loc[first > 0].groupby(first[first > 0])[spec.unit].nunique()
    small = sorted(g for g, n in cohort_units.items() if 0 < n < min_cell)
    if small:
        data = data.loc[~first.isin(small)]
    outcome = "_y" if "_y" in data.columns else spec.outcome
    covariates: list[str] = []
    cov_names: list[str] = []
    if spec.covariates:
        missing = [c for c in spec.covariates if c not in data.columns]
        if missing:
            raise NotEstimable("data_has_no_columns", columns=", ".join(map(repr, missing)))
        matrix, cov_names = covariate_matrix(data, spec.covariates)
        covariates = [f"_x{j}" for j in range(matrix.shape[1])]
        data = pd.concat([data, pd.DataFrame(matrix, columns=covariates, index=data.index)], axis=1)
    cluster = spec.cluster if spec.se_type == "cluster" else None
    panel = build_panel(
        data,
        outcome=outcome,
        unit=spec.unit,
        time=spec.time,
        first_treated=spec.first_treated,
        covariates=covariates,
        cluster=cluster,
    )
    if not (panel.cohort > 0).any():
        raise NotEstimable("staggered_never_treated")
    if np.ptp(panel.y) == 0:
        raise NotEstimable("outcome_constant")
    if panel.cluster is not None:
        # Treated units against the units that serve as controls for the first cohort.
        first_cohort = panel.cohort[panel.cohort > 0].min()
        if spec.control == "not_yet_treated":
            comparison = (panel.cohort == 0) | (panel.cohort > first_cohort)
        else:
            comparison = panel.cohort == 0
        check_clusters(panel.cluster, panel.cohort > 0, control=comparison)
    out = staggered_did(
        panel,
        control=spec.control,
        base_period=spec.base_period,
        level=spec.level,
        min_cell=min_cell,
        est_method=spec.est_method,
    )
    if spec.base_period == "universal":
        _add_reference_cells(out, panel)
    notes = []
    if small:
        notes.append(
            f"cohort(s) {', '.join(str(_num(g)) for g in small)} left out: fewer than {min_cell} "
            "units each (privacy.min_cell)"
        )
    if panel.n_dropped_units:
        notes.append(
            f"{panel.n_dropped_units} units without a value in every period were left out "
            "(the estimator needs a balanced panel)"
        )
    if panel.n_always_treated:
        notes.append(
            f"{panel.n_always_treated} units treated from the first period have no "
            "before-period and were left out"
        )
    n_clusters = out["n_clusters"]
    if cluster and n_clusters < FEW_CLUSTERS:
        notes.append(
            f"only {n_clusters} clusters of {cluster}: cluster-robust standard errors can be "
            "too small with fewer than 30 clusters; read the intervals with caution"
        )
    if getattr(spec, "small_sample", "none") != "none":
        notes.append(f"small_sample: {spec.small_sample} is not available for staggered_did")
    out["diagnostics"]["notes"] = notes
    post = panel.periods[None, :] >= np.where(panel.cohort > 0, panel.cohort, np.inf)[:, None]
    treated = panel.cohort > 0
    groups = (panel.y[post], panel.y[~treated].ravel())
    group_counts = None
    if is_binary(panel.y):
        # private counts of units with and without the outcome (privacy rule): treated units
        # in their treated periods, never-treated units in every period
        ids = np.broadcast_to(np.arange(len(panel.cohort))[:, None], panel.y.shape)
        group_counts = (
            outcome_counts(panel.y[post], ids[post]),
            outcome_counts(panel.y[~treated], ids[~treated]),
        )
    method = _method_words(spec, cov_names, cluster)
    standard = {k: out.pop(k) for k in RESULT_NUMBERS}
    diagnostics = out.pop("diagnostics")
    return result_dict(
        **standard,
        design="staggered_did",
        method=method,
        diagnostics=diagnostics,
        control=spec.control,
        base_period=spec.base_period,
        level=spec.level,
        df=None,
        _groups=groups,
        _group_counts=group_counts,
        **out,
    )


def _add_reference_cells(out: dict[str, Any], panel: Panel) -> None:
    """With a universal base, show each cohort's reference period (ATT fixed at 0), as R does."""
    ref_cells = []
    for g in np.unique(panel.cohort[panel.cohort > 0]):
        base = panel.periods[panel.periods < g][-1]
        ref_cells.append(
            {
                "group": _num(g),
                "time": _num(base),
                "event_time": _num(base - g),
                "post": False,
                "reference": True,
                "estimate": 0.0,
                "se": None,
                "ci_low": None,
                "ci_high": None,
                "p_value": None,
            }
        )
    cells = out["att_gt"] + ref_cells
    out["att_gt"] = sorted(cells, key=lambda c: (c["group"], c["time"]))
    events = out["aggregates"]["dynamic"]["by_event_time"]
    if not any(e["event_time"] == -1 for e in events) and ref_cells:
        events.append(
            {
                "event_time": -1,
                "reference": True,
                "estimate": 0.0,
                "se": None,
                "ci_low": None,
                "ci_high": None,
                "p_value": None,
            }
        )
        events.sort(key=lambda e: e["event_time"])


def _method_words(spec: Any, cov_names: list[str], cluster: str | None) -> str:
    parts = [
        "Staggered difference-in-differences (Callaway & Sant'Anna 2021): group-time effects "
        f"ATT(g,t) against {CONTROL_WORDS[spec.control]}, {spec.base_period} base period",
        "overall effect = average of post-treatment ATT(g,t) weighted by cohort size",
    ]
    if cov_names and spec.est_method == "dr":
        parts.append(
            "doubly robust adjustment for "
            + ", ".join(spec.covariates)
            + " (logit propensity score and outcome regression on base-period values; "
            "Sant'Anna & Zhao 2020, as R did's default)"
        )
    elif cov_names:
        parts.append(
            "outcome-regression adjustment for "
            + ", ".join(spec.covariates)
            + " (base-period values; Sant'Anna & Zhao 2020)"
        )
    else:
        parts.append("no covariates (unconditional parallel trends)")
    if cluster:
        parts.append(f"analytic standard errors from influence functions clustered by {cluster}")
    else:
        parts.append(f"analytic standard errors from influence functions clustered by {spec.unit}")
    return "; ".join(parts)
