"""A 2×2 difference-in-differences answered by the engine from cell sums: no row collected.

On DuckDB (and Spark), an effect with `design: did`, an outcome that is a numeric or boolean
column of its source, `treatment` and `post` conditions (or boolean columns), no covariates or
`fixed_effects` (those are ols_in_engine.py's), `unit`, `weights` or `time`, and `se`
classical, robust (HC2), HC0–HC3 or cluster (CR1) without a small-sample remedy is computed
from its rows grouped by (treated, post) — and by cluster — in the engine (`did_cells`,
engines/base.py). The saturated model's fit is the four cell means, so the estimate, every one
of those standard errors, the cells, effect sizes, the MDE (with the ICC from per-cluster sums)
and the privacy steps follow from the sums (stats/did_cells.py), with the keys and values of
the collected path (designs/did.py) within the engines' documented 1e-9 relative tolerance.
The cell checks, raw DiD and answer (effect sizes, MDE) are shared with ols_engine_fit.py.

Which effects come here is decided by engine_answer.py; everything else collects the effect's
columns as before, and the effect's `engine` key says which path ran and, when rows were
collected, why (a coded FR/EN reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from evalsoc.problems import problem, worded
from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.answer import Answer, check_group_sizes, mde_from

SE_TYPES = ("classical", "robust", "cluster", "hc0", "hc1", "hc2", "hc3", "cr1")
TERM = "treated:post"


def note(engine: Any, in_engine: bool, code: str | None = None, **params: Any) -> dict[str, Any]:
    """How the effect was computed on a DuckDB or Spark run, and why its rows were collected."""
    return {
        "name": getattr(engine, "name", "pandas"),
        "rows_in_engine": in_engine,
        "reason": problem(code, **params) if code else None,
    }


def needs_rows(spec: Any) -> bool:
    """Options no sums in the engine answer (the DiD's and the difference's alike): units,
    weights, periods, propensities, a design's own columns, CR2 or the bootstrap, another SE
    type, an inequality statistic, no `treatment`."""
    return bool(
        spec.unit
        or getattr(spec, "weights", None)
        or spec.time
        or spec.propensity
        or spec.first_treated
        or spec.design_columns()
        or spec.small_sample != "none"
        or spec.se_type not in SE_TYPES
        or getattr(spec, "outcome_statistic", "mean") != "mean"
        or not spec.treatment
    )


def why_collected(spec: Any) -> str | None:
    """The coded reason a DiD needs its rows (None: the engine can answer it from sums)."""
    if spec.design != "did":
        return "effect_rows_collected_design"
    options = needs_rows(spec) or not spec.post
    if options:
        return "effect_rows_collected_options"
    if not spec.outcome or spec.outcome.startswith("capability."):
        return "effect_rows_collected_outcome"
    return None


@dataclass(frozen=True)
class CheckedCells:
    """A DiD's 2×2 table from the engine's sums, past the refusals designs/did.py makes before
    its fit (no rows, a group under min_cell, an empty cell, a constant outcome)."""

    facts: dict[str, Any]
    groups: Any  # did_cells.GroupSums
    table: Any  # did_cells.Cells
    cells: list[dict[str, Any]]
    treated_rows: int
    control_rows: int


def checked_cells(sums: Any, min_cell: int) -> CheckedCells:
    """The cells of `CellSums` (the published `cells`, with a 0/1 outcome's private counts),
    refused in the order of compute.estimate_effect and designs/did.py."""
    from evalsoc.stats import did_cells

    facts = {"rows": sums.rows, "dropped_missing": sums.rows - sums.kept}
    if sums.kept == 0:
        raise NotEstimable("no_rows_after_missing")
    groups = did_cells.GroupSums(sums.treated, sums.post, sums.n, sums.total, sums.ss, sums.cluster)
    table = did_cells.cells(groups)
    treated_rows = int(table.n[0] + table.n[1])
    control_rows = int(table.n[2] + table.n[3])
    check_group_sizes({"programme group": treated_rows, "comparison group": control_rows}, min_cell)
    cells = []
    for i, (d, p) in enumerate(did_cells.CELLS):
        n = int(table.n[i])
        cell: dict[str, Any] = {
            "group": "treated" if d else "control",
            "period": "after" if p else "before",
            "n": n,
            "mean": float(table.mean[i]) if n else None,
        }
        if sums.binary:
            with_outcome = int(round(float(np.asarray(sums.total)[_in_cell(sums, d, p)].sum())))
            cell["_counts"] = [with_outcome, n - with_outcome]
        cells.append(cell)
    for cell in cells:
        if cell["n"] == 0:
            who = "programme group" if cell["group"] == "treated" else "comparison group"
            raise NotEstimable("did_empty_cell", group=worded(who), period=worded(cell["period"]))
    if sums.low == sums.high:
        raise NotEstimable("outcome_constant")
    return CheckedCells(facts, groups, table, cells, treated_rows, control_rows)


def raw_did(cells: list[dict[str, Any]]) -> float:
    """(treated after − before) − (control after − before) of the published cells' means."""
    m = {(c["group"], c["period"]): c["mean"] for c in cells}
    return float(
        (m["treated", "after"] - m["treated", "before"])
        - (m["control", "after"] - m["control", "before"])
    )


def after_counts(cells: list[dict[str, Any]]) -> tuple[Any, Any]:
    """The after cells' private counts of a 0/1 outcome (treated, control): `_group_counts`."""
    counts = {(c["group"], c["period"]): c.get("_counts") for c in cells}
    return counts["treated", "after"], counts["control", "after"]


def answer_from(result: dict[str, Any], checked: CheckedCells, binary_y: bool, spec: Any) -> Answer:
    """The Answer of an engine's DiD: the after cells' effect sizes and the MDE with the ICC of
    the outcome by cluster, from the same sums."""
    from evalsoc.sections.common import finite_or_none

    binary = spec.outcome_type == "binary" if spec.outcome_type != "auto" else binary_y
    table = checked.table
    after = (table.n[1], table.mean[1], table.ss[1], table.n[3], table.mean[3], table.ss[3])

    def sizes(result: dict[str, Any]) -> dict[str, Any] | None:
        if result.get("estimate") is None:
            return None
        return effect_sizes(*after, result["estimate"], binary, finite_or_none)

    icc, mean_size = clustering(checked.groups, spec)
    return Answer(result, binary, checked.facts, sizes, lambda r: mde_from(r, spec, icc, mean_size))


def estimate(sums: Any, spec: Any, min_cell: int) -> Answer:
    """designs/did.py's result (and compute's shared inputs) from the engine's `CellSums`."""
    from evalsoc.sections.effects.inference import result_dict
    from evalsoc.sections.effects.ols import SE_WORDS, check_clusters, check_se, t_inference
    from evalsoc.stats import did_cells
    from evalsoc.stats.variance import NotComputable

    checked = checked_cells(sums, min_cell)
    groups, table, cells = checked.groups, checked.table, checked.cells
    se_type = spec.se_type
    clustered = se_type in ("cluster", "cr1")
    if clustered:  # one row per (cluster, treated) present: the counts the rows would give
        check_clusters(np.asarray(sums.cluster, dtype=np.int64), np.asarray(sums.treated))
    n = int(table.n.sum())
    if n <= did_cells.PARAMETERS:
        raise NotEstimable("too_few_observations", n=n, parameters=did_cells.PARAMETERS)
    value = did_cells.estimate(table)
    try:
        var, df, n_clusters = did_cells.variance(groups, table, se_type)
    except NotComputable as exc:
        raise NotEstimable("variance_not_computable", detail=str(exc)) from None
    se = float(np.sqrt(max(var, 0.0)))
    check_se(value, se)
    ovb = did_cells.classical_t(table)
    method = (
        f"Difference-in-differences by OLS (programme group × after period); {SE_WORDS[se_type]}"
    )
    diagnostics: dict[str, Any] = {
        "cells": cells,
        "raw_did": raw_did(cells),
        "fixed_effects": {},
        "absorbed_columns": [],
        "singletons_dropped": 0,
        "notes": [],
    }
    result = result_dict(
        estimate=value,
        se=se,
        **t_inference(value, se, df, spec.level),
        n=n,
        n_treated=checked.treated_rows,
        n_control=checked.control_rows,
        n_clusters=n_clusters,
        design="did",
        method=method,
        diagnostics=diagnostics,
        df=df,
        _ovb=None if ovb is None else {"t": ovb[0], "dof": ovb[1]},
        _group_counts=after_counts(cells),
    )
    return answer_from(result, checked, sums.binary, spec)


def _in_cell(sums: Any, d: int, p: int) -> Any:
    return (np.asarray(sums.treated) == d) & (np.asarray(sums.post) == p)


def clustering(groups: Any, spec: Any) -> tuple[float | None, float | None]:
    """(ICC, mean cluster size) of the outcome by `cluster` (None, None without one)."""
    from evalsoc.stats import did_cells

    if not spec.cluster or groups.cluster is None:
        return None, None
    G = int(groups.cluster.max()) + 1
    n, _, ss = did_cells.pooled(groups.cluster, G, groups.n, groups.total, groups.ss)
    totals = np.bincount(groups.cluster, weights=groups.total, minlength=G).astype(np.float64)
    return did_cells.icc_oneway(n, totals, ss), float(n.sum()) / G


def effect_sizes(
    n1: int,
    mean1: float,
    ss1: float,
    n0: int,
    mean0: float,
    ss0: float,
    estimate: float,
    binary: bool,
    finite: Any,
) -> dict[str, Any]:
    """sizes.effect_sizes from the two after-period cells' rows, means and squared deviations
    (the same formulas: risks and ratios for a 0/1 outcome, Cohen's d and Hedges' g else)."""
    if binary:
        if n1 == 0:
            return {"risk_difference": finite(estimate)}
        p1 = float(mean1)
        p0 = p1 - estimate
        ok = 0 < p0 < 1 and 0 < p1 < 1
        return {
            "risk_difference": finite(estimate),
            "risk_treated": finite(p1),
            "risk_counterfactual": finite(p0),
            "risk_ratio": finite(p1 / p0) if ok else None,
            "odds_ratio": finite((p1 / (1 - p1)) / (p0 / (1 - p0))) if ok else None,
        }
    if n1 < 2 or n0 < 2:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": None}
    sd = float(np.sqrt((ss1 + ss0) / (n1 + n0 - 2)))
    if sd <= 0:
        return {"cohens_d": None, "hedges_g": None, "sd_pooled": 0.0}
    d = estimate / sd
    g = d * (1 - 3 / (4 * (n1 + n0) - 9))
    return {"cohens_d": finite(d), "hedges_g": finite(g), "sd_pooled": sd}
