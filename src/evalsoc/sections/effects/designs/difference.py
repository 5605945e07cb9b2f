"""Two groups at one time: the difference in mean outcomes, optionally regression-adjusted.

With covariates, Lin's (2013) adjustment: y ~ T + (X − X̄) + T·(X − X̄). The coefficient of T
is the average effect, and with HC2 standard errors the adjustment can only help precision
asymptotically, even when the linear model is wrong (Lin 2013, Ann. Appl. Stat. 7(1)).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.common import (
    balance_table,
    covariate_matrix,
    fit_declared_term,
    is_binary,
    outcome_counts,
    result_from_fit,
    row_weights,
)

TERM = "treated"


def _group_summary(y: np.ndarray, d: np.ndarray, units: Any = None) -> list[dict[str, Any]]:
    """Mean and SD per group; for a 0/1 outcome, private `_counts` of people with and without
    it (distinct `units` when given) for the privacy rule (common.suppress_outcome_shares)."""
    binary = is_binary(y)
    out = []
    for group, value in (("treated", 1), ("control", 0)):
        mask = d == value
        yy = y[mask]
        row: dict[str, Any] = {
            "group": group,
            "n": int(yy.size),
            "mean": float(yy.mean()) if yy.size else None,
            "sd": float(yy.std(ddof=1)) if yy.size > 1 else None,
        }
        if binary:
            row["_counts"] = outcome_counts(yy, None if units is None else units[mask])
        out.append(row)
    return out


def _welch(fit: dict[str, Any], y: np.ndarray, d: np.ndarray, level: float) -> None:
    """Welch's t for a plain difference of two means: the HC2 SE is Welch's SE
    √(s₁²/n₁ + s₀²/n₀), and Welch–Satterthwaite df replace n − 2 (unequal variances)."""
    from evalsoc.sections.effects.common import t_inference
    from evalsoc.stats.variance import welch_df

    y1, y0 = y[d == 1], y[d == 0]
    df = welch_df(float(y1.var(ddof=1)), y1.size, float(y0.var(ddof=1)), y0.size)
    fit.update(t_inference(fit["estimate"], fit["se"], df, level), df=df)
    fit["se_words"] += f", Welch's t with {df:.1f} degrees of freedom (unequal variances)"


def check_two_groups(n1: int, n0: int, constant: Callable[[], bool]) -> None:
    """A difference's refusals before its fit, in order: a group without rows, a group of
    one row (no spread), an outcome that never varies (`constant()`, asked last)."""
    if n1 == 0:
        raise NotEstimable("no_treated")
    if n0 == 0:
        raise NotEstimable("no_comparison")
    if n1 < 2 or n0 < 2:
        raise NotEstimable("groups_too_small_for_spread")
    if constant():
        raise NotEstimable("outcome_constant")


def estimate_difference(frame: pd.DataFrame, spec: Any) -> dict[str, Any]:
    """Difference in means of `_y` between `_d` = 1 and `_d` = 0 rows (Lin-adjusted with covariates)."""
    y = frame["_y"].to_numpy(dtype=float)
    d = frame["_d"].to_numpy(dtype=int)
    n1, n0 = int(d.sum()), int((1 - d).sum())
    check_two_groups(n1, n0, lambda: bool(np.ptp(y) == 0))
    cov, cov_names = covariate_matrix(frame, spec.covariates)
    X = d[:, None].astype(float)
    names = [TERM]
    w = row_weights(frame, spec)
    if cov_names:
        centred = cov - np.average(cov, axis=0, weights=w)  # Lin: centred at the (weighted) mean
        X = np.column_stack([X, centred, centred * d[:, None]])
        names += cov_names + [f"{TERM}:{c}" for c in cov_names]
    fixed = [(col, frame[col].to_numpy()) for col in spec.fixed_effects]
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    fit = fit_declared_term(
        y, X, names, TERM, spec, fixed_effects=fixed, cluster_labels=cluster, treated=d, weights=w
    )
    rows = fit["rows"]
    plain = not cov_names and not fixed and cluster is None and w is None
    if plain and spec.se_type in ("robust", "hc2"):
        _welch(fit, y, d, spec.level)
    if cov_names:
        method = "Regression-adjusted difference in means (Lin 2013: centred covariates "
        method += "interacted with the group) on " + ", ".join(spec.covariates)
    else:
        method = "Difference in mean outcomes between the two groups (OLS)"
    if fit["fixed_effects"]:
        method += "; absorbing fixed effects of " + ", ".join(fit["fixed_effects"])
    method += f"; {fit['se_words']}"
    units_all = frame[spec.unit].to_numpy() if spec.unit else None
    groups = _group_summary(y, d, units_all)
    diagnostics: dict[str, Any] = {
        "groups": groups,
        "fixed_effects": fit["fixed_effects"],
        "singletons_dropped": fit["singletons"],
        "notes": fit["notes"],
    }
    if cov_names:
        diagnostics["balance"] = balance_table(cov, cov_names, d)
    if "analytic" in fit:
        diagnostics["analytic"] = fit["analytic"]
    if spec.unit:
        units = frame[spec.unit].to_numpy()[rows]
        n_treated = int(pd.unique(units[d[rows] == 1]).size)
        n_control = int(pd.unique(units[d[rows] == 0]).size)
    else:
        n_treated, n_control = int(d[rows].sum()), int((1 - d[rows]).sum())
    result = result_from_fit(
        fit,
        n=int(rows.sum()),
        n_treated=n_treated,
        n_control=n_control,
        design="difference",
        method=method,
        diagnostics=diagnostics,
        _groups=(y[d == 1], y[d == 0]),
        _group_counts=tuple(g.get("_counts") for g in groups) if is_binary(y) else None,
    )
    if getattr(spec, "inference", "asymptotic") == "randomisation":
        _randomisation(result, y, d, cov if cov_names else None, frame, spec)
    return result


def _randomisation(
    result: dict[str, Any], y: np.ndarray, d: np.ndarray, cov: Any, frame: Any, spec: Any
) -> None:
    """Replace the p-value and interval by randomisation inference (asymptotic ones kept)."""
    from evalsoc.sections.effects.common import cluster_codes
    from evalsoc.sections.effects.designs.randomisation import randomisation_inference

    if spec.fixed_effects:
        raise NotEstimable("randomisation_no_fixed_effects")
    clusters = cluster_codes(frame[spec.cluster].to_numpy())[0] if spec.cluster else None
    ri = randomisation_inference(
        y,
        d,
        cov,
        clusters,
        observed=result["estimate"],
        level=spec.level,
        reps=spec.permutations,
        seed=spec.seed,
    )
    result["diagnostics"]["asymptotic"] = {k: result[k] for k in ("ci_low", "ci_high", "p_value")}
    result["diagnostics"]["randomisation"] = ri
    result.update(p_value=ri["p_value"], ci_low=ri["ci_low"], ci_high=ri["ci_high"])
    words = "exact" if ri["kind"] == "exact" else f"Monte Carlo ({ri['assignments']} draws)"
    result["method"] += (
        f"; p-value and interval by randomisation inference, {words} over the assignments of "
        f"{ri['units_assigned']} (interval: constant effects not rejected)"
    )
