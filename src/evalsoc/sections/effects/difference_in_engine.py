"""`design: difference` with covariates or fixed effects, answered from the engine's moments:
no row collected (the same machinery as ols_in_engine.py's DiD, no `post`).

designs/difference.py's model: Lin's (2013) adjustment y ~ treated + (X − X̄) + treated·(X − X̄)
(+ fixed effects), X̄ the covariates' means over the effect's rows. In a group of rows sharing
(treated, cluster, booleans, categories, fixed effects), a numeric covariate's centred value
and its interaction are mixes of the row's numeric column (the interaction's mix is the
group's 0/1 treated), so their co-moments and the second scan's residuals and leverages come
from the same sums (ols_engine_design.Design `mix`). The published items are difference.py's:
the two groups' rows, means and SDs (a 0/1 outcome's private counts), the balance table over
all rows, the fixed effects and singletons, effect sizes from the two groups, the MDE.

A plain difference (no covariate column, no fixed effect: Welch's t) and randomisation
inference keep collecting their columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.answer import Answer
from evalsoc.sections.effects.ols_engine_design import Design

TERM = "treated"


def why_collected(spec: Any) -> str | None:
    """The coded reason this difference needs its rows (None: the moments can answer it)."""
    from evalsoc.sections.effects.did_in_engine import needs_rows

    options = (
        needs_rows(spec) or getattr(spec, "inference", "asymptotic") != "asymptotic" or spec.post
    )
    if options:
        return "effect_rows_collected_options"
    if not spec.outcome or spec.outcome.startswith("capability."):
        return "effect_rows_collected_outcome"
    if not (spec.covariates or spec.fixed_effects):
        return "effect_rows_collected_design"
    return None


def lin_design(base: Design, groups: Any) -> Design:
    """Lin's design: treated, the covariates centred at their means over every row, and the
    centred covariates times treated; numeric ones as mixes of the numeric columns."""
    cov = base.values[:, 3:]
    names = base.covariate_names
    numeric = [v - 3 for v in base.varying]
    R, m, q = len(cov), len(names), len(numeric)
    mean_all = (groups.n[:, None] * cov).sum(axis=0) / groups.n.sum()
    centred = cov - mean_all
    d = base.values[:, 0]
    values = np.column_stack([d, centred, centred * d[:, None]])
    mix = np.zeros((R, 2 * q, q))
    mix[:, np.arange(q), np.arange(q)] = 1.0
    mix[:, q + np.arange(q), np.arange(q)] = d[:, None]
    return Design(
        values,
        [TERM, *names, *(f"{TERM}:{c}" for c in names)],
        [1 + p for p in numeric] + [1 + m + p for p in numeric],
        list(names),
        base.fixed,
        base.fixed_names,
        base.dummies,
        mix,
        base.centre,
        np.zeros(2 * q),
    )


def estimate(
    groups: Any, design: Design, spec: Any, min_cell: int, engine: Any, request: Any
) -> Answer | str:
    """designs/difference.py's result from the engine's groups (`design`: Design.of's layout,
    whose post columns are 0), or a fallback code."""
    from evalsoc.sections.common import finite_or_none
    from evalsoc.sections.effects import did_in_engine
    from evalsoc.sections.effects.answer import check_group_sizes, mde_from
    from evalsoc.sections.effects.designs.difference import check_two_groups
    from evalsoc.sections.effects.ols_engine_fit import balance_rows, cell_sums, fit_term
    from evalsoc.stats import did_cells

    if not design.covariate_names and not spec.fixed_effects:
        return "effect_rows_collected_design"  # a plain difference: Welch's t, from the rows
    facts = {"rows": groups.rows, "dropped_missing": groups.rows - groups.kept}
    if groups.kept == 0:
        raise NotEstimable("no_rows_after_missing")
    sums = cell_sums(groups, spec)
    arms = did_cells.GroupSums(sums.treated, sums.post, sums.n, sums.total, sums.ss, sums.cluster)
    size, mean, ss = did_cells.pooled(1 - arms.treated, 2, arms.n, arms.total, arms.ss)
    n1, n0 = int(size[0]), int(size[1])
    check_group_sizes({"programme group": n1, "comparison group": n0}, min_cell)
    check_two_groups(n1, n0, lambda: groups.low == groups.high)
    fitted = fit_term(groups, lin_design(design, groups), TERM, spec, engine, request)
    if isinstance(fitted, str):
        return fitted
    summary = []
    for i, (group, n) in enumerate((("treated", n1), ("control", n0))):
        row: dict[str, Any] = {
            "group": group,
            "n": n,
            "mean": float(mean[i]),
            "sd": float(np.sqrt(ss[i] / (n - 1))),
        }
        if groups.binary:
            with_outcome = int(round(float(sums.total[arms.treated == 1 - i].sum())))
            row["_counts"] = [with_outcome, n - with_outcome]
        summary.append(row)
    if design.covariate_names:
        method = "Regression-adjusted difference in means (Lin 2013: centred covariates "
        method += "interacted with the group) on " + ", ".join(spec.covariates)
    else:
        method = "Difference in mean outcomes between the two groups (OLS)"
    if fitted.levels:
        method += "; absorbing fixed effects of " + ", ".join(fitted.levels)
    diagnostics: dict[str, Any] = {
        "groups": summary,
        "fixed_effects": fitted.levels,
        "singletons_dropped": fitted.singletons,
        "notes": fitted.notes,
    }
    if design.covariate_names:
        diagnostics["balance"] = balance_rows(groups, design)
    counts = tuple(g.get("_counts") for g in summary) if groups.binary else None
    result = fitted.result("difference", method, diagnostics, counts)
    binary = spec.outcome_type == "binary" if spec.outcome_type != "auto" else groups.binary

    def sizes(result: dict[str, Any]) -> dict[str, Any] | None:
        if result.get("estimate") is None:
            return None
        arm = (n1, mean[0], ss[0], n0, mean[1], ss[1])
        return did_in_engine.effect_sizes(*arm, result["estimate"], binary, finite_or_none)

    icc, mean_size = did_in_engine.clustering(arms, spec)
    return Answer(result, binary, facts, sizes, lambda r: mde_from(r, spec, icc, mean_size))
