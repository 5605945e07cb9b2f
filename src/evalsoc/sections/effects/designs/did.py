"""2×2 difference-in-differences by OLS: y ~ treated + post + treated×post (+ covariates).

With `unit`, unit fixed effects; with `fixed_effects`, more absorbed effects (sites, periods,
...). Fixed effects are absorbed by the within transformation (common.demean) rather than built
as dummy columns, so hundreds of levels cost no more than a few passes over the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.problems import worded
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
from evalsoc.sections.effects.compute import UNIT_CODE

TERM = "treated:post"


def _cells(
    y: np.ndarray, d: np.ndarray, post: np.ndarray, units: Any = None
) -> list[dict[str, Any]]:
    """The 2×2 table of means and row counts; for a 0/1 outcome, private `_counts` of people
    with and without it (distinct `units` when given) for common.suppress_outcome_shares."""
    binary = is_binary(y)
    cells = []
    for group, gd in (("treated", 1), ("control", 0)):
        for period, pp in (("before", 0), ("after", 1)):
            mask = (d == gd) & (post == pp)
            n = int(mask.sum())
            cell: dict[str, Any] = {
                "group": group,
                "period": period,
                "n": n,
                "mean": float(y[mask].mean()) if n else None,
            }
            if binary:
                cell["_counts"] = outcome_counts(y[mask], None if units is None else units[mask])
            cells.append(cell)
    return cells


def estimate_did(frame: pd.DataFrame, spec: Any) -> dict[str, Any]:
    """The DiD effect of `_d` (programme group, 0/1) in `_post` rows, from a prepared frame."""
    y = frame["_y"].to_numpy(dtype=float)
    d = frame["_d"].to_numpy(dtype=int)
    post = frame["_post"].to_numpy(dtype=int)
    # Units as integer codes, once: counting distinct people hashes ints, not a million texts.
    # The run's shared codes (compute._with_unit_codes) are sorted: the fixed effects take them.
    shared = UNIT_CODE in frame
    unit_codes = None
    if shared:
        unit_codes = frame[UNIT_CODE].to_numpy()
    elif spec.unit:
        unit_codes = pd.factorize(frame[spec.unit])[0]
    cells = _cells(y, d, post, unit_codes)
    for cell in cells:
        if cell["n"] == 0:
            who = "programme group" if cell["group"] == "treated" else "comparison group"
            raise NotEstimable("did_empty_cell", group=worded(who), period=worded(cell["period"]))
    if np.ptp(y) == 0:
        raise NotEstimable("outcome_constant")
    cov, cov_names = covariate_matrix(frame, spec.covariates)
    X = np.column_stack([d, post, d * post, cov])
    names = ["treated", "post", TERM, *cov_names]
    fixed = [
        (col, unit_codes if shared else frame[col].to_numpy())
        for col in ([spec.unit] if spec.unit else [])
    ]
    fixed += [(col, frame[col].to_numpy()) for col in spec.fixed_effects if col != spec.unit]
    cluster = frame[spec.cluster].to_numpy() if spec.cluster else None
    fit = fit_declared_term(
        y,
        X,
        names,
        TERM,
        spec,
        fixed_effects=fixed,
        cluster_labels=cluster,
        treated=d,
        weights=row_weights(frame, spec),
    )
    rows = fit["rows"]
    m = {(c["group"], c["period"]): c["mean"] for c in cells}
    raw = (m["treated", "after"] - m["treated", "before"]) - (
        m["control", "after"] - m["control", "before"]
    )
    if spec.unit:
        units = unit_codes[rows]
        n_treated = int(pd.unique(units[d[rows] == 1]).size)
        n_control = int(pd.unique(units[d[rows] == 0]).size)
    else:
        n_treated, n_control = int((d[rows] == 1).sum()), int((d[rows] == 0).sum())
    parts = ["Difference-in-differences by OLS (programme group × after period)"]
    if spec.covariates:
        parts.append("adjusted for " + ", ".join(spec.covariates))
    if fit["fixed_effects"]:
        parts.append("absorbing fixed effects of " + ", ".join(fit["fixed_effects"]))
    method = "; ".join(parts) + f"; {fit['se_words']}"
    diagnostics: dict[str, Any] = {
        "cells": cells,
        "raw_did": raw,
        "fixed_effects": fit["fixed_effects"],
        "absorbed_columns": fit["absorbed"],
        "singletons_dropped": fit["singletons"],
        "notes": fit["notes"],
    }
    if cov_names:
        pre = post == 0
        diagnostics["balance_before"] = balance_table(cov[pre], cov_names, d[pre])
    if "analytic" in fit:
        diagnostics["analytic"] = fit["analytic"]
    cell_counts = {(c["group"], c["period"]): c.get("_counts") for c in cells}
    treated_after = (d == 1) & (post == 1)
    control_after = (d == 0) & (post == 1)
    return result_from_fit(
        fit,
        n=int(rows.sum()),
        n_treated=n_treated,
        n_control=n_control,
        design="did",
        method=method,
        diagnostics=diagnostics,
        _groups=(y[treated_after], y[control_after]),
        _group_counts=(
            cell_counts[("treated", "after")],
            cell_counts[("control", "after")],
        ),
    )
