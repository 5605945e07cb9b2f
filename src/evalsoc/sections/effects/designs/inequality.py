"""Inequality as an effect outcome: the Gini, Theil or Atkinson index of the outcome compared
between the programme and comparison groups (`difference`), or its change between the two
periods compared between the groups (`did`: did the programme reduce inequality among its
participants more than it fell in the comparison group?).

The indices and their influence functions are the indicators' kernels
(sections/indicators/inequality.py: population formulas, as R `ineq`). Inference:

- independent samples (no `unit` and no `cluster`): the cells (group, or group × period) are
  independent, so the variance of the contrast is the sum of the cells' linearised variances
  (Σ IFᵢ² / (n(n − 1)) each, as R `convey`), with a normal reference;
- a panel (`unit`: the same people in both periods) or clustered rows (`cluster`): the cells are
  not independent, so the standard error is that of a seeded bootstrap that resamples whole
  units (or clusters) with replacement, within the programme and comparison groups when each
  unit belongs to one group (two independent samples, sizes kept), over all units otherwise; the
  interval is estimate ± z·SE (normal reference, Stata's `bootstrap` default) and the percentile
  interval is kept in the diagnostics.

A 0/1 outcome is refused: its Gini is the share without the outcome, which with the group size
counts people. Every cell must hold at least `min_cell` people (privacy rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.sections.common import NotEstimable

INDEX_NAMES = {"gini": "Gini", "theil": "Theil", "atkinson": "Atkinson"}
CELL_WORDS = {
    ("treated", None): {"fr": "groupe du dispositif", "en": "programme group"},
    ("control", None): {"fr": "groupe de comparaison", "en": "comparison group"},
    ("treated", "before"): {"fr": "groupe du dispositif avant", "en": "programme group before"},
    ("treated", "after"): {"fr": "groupe du dispositif après", "en": "programme group after"},
    ("control", "before"): {"fr": "groupe de comparaison avant", "en": "comparison group before"},
    ("control", "after"): {"fr": "groupe de comparaison après", "en": "comparison group after"},
}

Index = Callable[[np.ndarray], tuple[float, float, float, float]]


def index_function(spec: Any) -> Index:
    """The index kernel the spec names (`outcome_statistic`, with `atkinson_epsilon`)."""
    from evalsoc.sections.indicators.inequality import atkinson, gini, theil

    if spec.outcome_statistic == "gini":
        return gini
    if spec.outcome_statistic == "theil":
        return theil
    epsilon = float(spec.atkinson_epsilon)
    return lambda x: atkinson(x, epsilon)


def _cell_layout(post: np.ndarray | None) -> list[tuple[str, str | None, float]]:
    """(group, period, sign) of each cell in the contrast."""
    if post is None:
        return [("treated", None, 1.0), ("control", None, -1.0)]
    return [
        ("treated", "after", 1.0),
        ("treated", "before", -1.0),
        ("control", "after", -1.0),
        ("control", "before", 1.0),
    ]


def _mask(d: np.ndarray, post: np.ndarray | None, group: str, period: str | None) -> np.ndarray:
    mask: np.ndarray = d == (1 if group == "treated" else 0)
    if period is not None and post is not None:
        mask &= post == (1 if period == "after" else 0)
    return mask


def _contrast(
    index: Index, y: np.ndarray, masks: list[tuple[np.ndarray, float]]
) -> tuple[float, list[tuple[float, float]]]:
    """The signed sum of the cells' indices, and each cell's (index, linearised SE)."""
    cells = [index(y[mask])[:2] for mask, _ in masks]
    return float(sum(sign * v for (v, _), (_, sign) in zip(cells, masks))), cells


def _bootstrap(
    index: Index,
    y: np.ndarray,
    masks: list[tuple[np.ndarray, float]],
    labels: np.ndarray,
    d: np.ndarray,
    reps: int,
    seed: int | None,
) -> tuple[np.ndarray, bool]:
    """Replicates of the contrast, resampling whole units (clusters); whether stratified."""
    codes, uniques = pd.factorize(pd.Series(labels), sort=True)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    rows_of = [order[starts[k] : starts[k + 1]] for k in range(len(uniques))]
    unit_group = pd.Series(d).groupby(codes).agg(["min", "max"])
    stratified = bool((unit_group["min"] == unit_group["max"]).all())
    strata = (
        [np.flatnonzero(unit_group["min"].to_numpy() == g) for g in (1, 0)]
        if stratified
        else [np.arange(len(uniques))]
    )
    rng = np.random.default_rng(seed)
    cell_masks = np.column_stack([m for m, _ in masks])
    signs = [s for _, s in masks]
    out = np.empty(reps)
    for r in range(reps):
        drawn = np.concatenate([rng.choice(s, s.size, replace=True) for s in strata])
        rows = np.concatenate([rows_of[k] for k in drawn])
        yy, mm = y[rows], cell_masks[rows]
        out[r] = sum(sign * index(yy[mm[:, j]])[0] for j, sign in enumerate(signs))
    return out, stratified


def estimate_inequality(frame: pd.DataFrame, spec: Any, *, min_cell: int = 1) -> dict[str, Any]:
    """The difference (or difference in differences) of an inequality index of `_y`."""
    from scipy import stats

    from evalsoc.sections.effects.inference import result_dict
    from evalsoc.sections.effects.ols import is_binary

    y = frame["_y"].to_numpy(dtype=float)
    d = frame["_d"].to_numpy(dtype=int)
    post = frame["_post"].to_numpy(dtype=int) if spec.design == "did" else None
    name = INDEX_NAMES[spec.outcome_statistic]
    if is_binary(y):
        raise NotEstimable("inequality_binary_outcome", index=name)
    if not (d == 1).any():
        raise NotEstimable("no_treated")
    if not (d == 0).any():
        raise NotEstimable("no_comparison")
    units = frame[spec.unit].to_numpy() if spec.unit else None
    resample = spec.cluster or spec.unit
    layout = _cell_layout(post)
    masks: list[tuple[np.ndarray, float]] = []
    cells: list[dict[str, Any]] = []
    for group, period, sign in layout:
        mask = _mask(d, post, group, period)
        people = int(pd.unique(units[mask]).size) if units is not None else int(mask.sum())
        if people < min_cell:
            cell_words = CELL_WORDS[(group, period)]
            raise NotEstimable("inequality_cell_below_min_cell", min_cell=min_cell, cell=cell_words)
        masks.append((mask, sign))
        cells.append({"group": group, "period": period, "n": people})
    index = index_function(spec)
    estimate, values = _contrast(index, y, masks)
    for cell, (value, se) in zip(cells, values):
        cell.update(value=value, se=se)
        if cell["period"] is None:
            del cell["period"]
    z = float(stats.norm.ppf(0.5 + spec.level / 2))
    details: dict[str, Any] = {
        "index": spec.outcome_statistic,
        "epsilon": float(spec.atkinson_epsilon) if spec.outcome_statistic == "atkinson" else None,
        "cells": cells,
    }
    n_clusters = None
    if resample:
        labels = frame[resample].to_numpy()
        replicates, stratified = _bootstrap(
            index, y, masks, labels, d, spec.bootstrap_reps, spec.seed
        )
        se = float(np.std(replicates, ddof=1))
        alpha = 1 - spec.level
        low_p, high_p = np.quantile(replicates, [alpha / 2, 1 - alpha / 2])
        details["inference"] = "bootstrap"
        details["bootstrap"] = {
            "replications": spec.bootstrap_reps,
            "resampled": resample,
            "stratified_by_group": stratified,
            "seed": spec.seed,
            "percentile_interval": [float(low_p), float(high_p)],
        }
        n_clusters = int(pd.unique(labels).size)
        how = (
            f"bootstrap standard error resampling {resample} ({spec.bootstrap_reps} "
            f"replications, seed {spec.seed}), normal reference"
        )
    else:
        se = float(np.sqrt(sum(s**2 for _, s in values)))
        details["inference"] = "linearised"
        how = "linearised standard errors (influence functions, independent samples), normal reference"
    if not np.isfinite(se) or se <= 0:
        raise NotEstimable("inequality_no_spread", index=name)
    p_value = float(2 * stats.norm.sf(abs(estimate) / se))
    index_words = name + (f" (ε = {spec.atkinson_epsilon:g})" if details["epsilon"] else "")
    what = (
        f"Difference in the {index_words} index of {spec.outcome} between the two groups"
        if post is None
        else f"Difference-in-differences of the {index_words} index of {spec.outcome} "
        "(programme group × after period)"
    )
    treated_rows, control_rows = d == 1, d == 0
    if units is not None:
        n_treated = int(pd.unique(units[treated_rows]).size)
        n_control = int(pd.unique(units[control_rows]).size)
    else:
        n_treated, n_control = int(treated_rows.sum()), int(control_rows.sum())
    return result_dict(
        estimate=estimate,
        se=se,
        ci_low=estimate - z * se,
        ci_high=estimate + z * se,
        p_value=p_value,
        n=int(y.size),
        n_treated=n_treated,
        n_control=n_control,
        n_clusters=n_clusters if spec.cluster else None,
        design=spec.design,
        method=f"{what}; {how}",
        diagnostics={"inequality": details},
        df=None,
    )
