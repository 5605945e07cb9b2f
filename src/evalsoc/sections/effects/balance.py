"""Balance tables (standardised mean differences, weighted and not) and their privacy rule:
shares of a 0/1 covariate that would reveal fewer than `min_cell` people are blanked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.privacy.cells import reason
from evalsoc.sections.common import finite_or_none


def _weighted_mean_var(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    sw = w.sum()
    m = float((w * x).sum() / sw)
    v = float((w * (x - m) ** 2).sum() / sw)
    return m, v


def balance_table(
    X: np.ndarray,
    names: Sequence[str],
    treated: np.ndarray,
    weights: np.ndarray | None = None,
    threshold: float = 0.1,
) -> list[dict[str, Any]]:
    """Standardised mean differences of covariates between treated and controls.

    SMD = (m₁ − m₀) / √((s₁² + s₀²)/2) with the unweighted variances in the denominator (so that
    the before and after weighting SMDs share one scale; Austin 2009). With `weights`, the means
    are weighted and each row also reports `smd_weighted`. |SMD| > threshold is flagged.

    For a 0/1 covariate the group means are shares that reveal counts of people, so each row
    carries a private `_counts` entry (unweighted counts with and without the trait per group,
    and for a dummy of a categorical column the count of the left-out level, which the other
    levels' shares give away) for `suppress_balance`, which the dispatcher applies with
    `privacy.min_cell` and which removes `_counts`.
    """
    X = np.asarray(X, dtype=float)
    t = np.asarray(treated).astype(bool)
    names = list(names)
    reference = _reference_counts(X, names, t)
    rows: list[dict[str, Any]] = []
    for j, name in enumerate(names):
        x1, x0 = X[t, j], X[~t, j]
        if x1.size == 0 or x0.size == 0:
            continue
        v1 = float(x1.var(ddof=1)) if x1.size > 1 else 0.0
        v0 = float(x0.var(ddof=1)) if x0.size > 1 else 0.0
        row = balance_row(name, float(x1.mean()), float(x0.mean()), v1, v0, threshold)
        scale = np.sqrt((v1 + v0) / 2)
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            wm1, _ = _weighted_mean_var(x1, w[t])
            wm0, _ = _weighted_mean_var(x0, w[~t])
            wsmd = (wm1 - wm0) / scale if scale > 0 else 0.0
            row.update(
                {
                    "mean_treated_weighted": wm1,
                    "mean_control_weighted": wm0,
                    "smd_weighted": finite_or_none(wsmd),
                    "flagged_weighted": bool(abs(wsmd) > threshold),
                }
            )
        if np.all((X[:, j] == 0) | (X[:, j] == 1)):
            counts = {}
            for group, x in (("treated", x1), ("control", x0)):
                with_trait = int(x.sum())
                counts[group] = [with_trait, int(x.size) - with_trait]
                if name in reference:
                    counts[group].append(reference[name][group])
            row["_counts"] = counts
        rows.append(row)
    return rows


def balance_row(
    name: str, m1: float, m0: float, v1: float, v0: float, threshold: float = 0.1
) -> dict[str, Any]:
    """One covariate's row: group means and SMD = (m₁ − m₀)/√((s₁² + s₀²)/2) from the groups'
    means and variances (ddof 1), whether from rows or from an engine's sums."""
    scale = np.sqrt((v1 + v0) / 2)
    smd = (m1 - m0) / scale if scale > 0 else 0.0
    return {
        "covariate": name,
        "mean_treated": m1,
        "mean_control": m0,
        "smd": finite_or_none(smd),
        "flagged": bool(abs(smd) > threshold),
    }


def _reference_counts(
    X: np.ndarray, names: Sequence[str], t: np.ndarray
) -> dict[str, dict[str, int]]:
    """For dummies `col[level]` of one categorical column, the left-out level's count per group.

    With every other level's share published, the left-out level's share is 1 minus their sum,
    so its count must pass the privacy rule too. Only 0/1 dummies that never overlap in a row
    are treated as one column's levels.
    """
    import re

    families: dict[str, list[int]] = {}
    for j, name in enumerate(names):
        m = re.fullmatch(r"(.+)\[[^\[\]]*\]", name)
        if m:
            families.setdefault(m.group(1), []).append(j)
    out: dict[str, dict[str, int]] = {}
    for cols in families.values():
        block = X[:, cols]
        if not np.all((block == 0) | (block == 1)) or np.any(block.sum(axis=1) > 1):
            continue
        left_out = block.sum(axis=1) == 0
        counts = {"treated": int(left_out[t].sum()), "control": int(left_out[~t].sum())}
        for j in cols:
            out[names[j]] = counts
    return out


GROUP_KEYS = {
    "treated": ("mean_treated", "mean_treated_weighted"),
    "control": ("mean_control", "mean_control_weighted"),
}


def suppress_balance(rows: list[dict[str, Any]], min_cell: int) -> list[dict[str, Any]]:
    """Blank balance-table shares that reveal fewer than `min_cell` people (privacy).

    For a 0/1 covariate, a group's share (weighted or not) is blanked when the number of people
    of that group with, or without, the trait — or in the left-out level of the same categorical
    column — is between 1 and min_cell − 1. The SMDs are then blanked too (with the other
    group's share they would give the blanked one back) and the row says `suppressed: true` with
    the reason. The private `_counts` entries are removed in every case.
    """
    out = []
    for row in rows:
        row = dict(row)
        counts = row.pop("_counts", None)
        if counts:
            small = [
                group
                for group in ("treated", "control")
                if any(0 < c < min_cell for c in counts.get(group, []))
            ]
            if small:
                for group in small:
                    for key in GROUP_KEYS[group]:
                        if key in row:
                            row[key] = None
                for key in ("smd", "flagged", "smd_weighted", "flagged_weighted"):
                    if key in row:
                        row[key] = None
                row["suppressed"] = True
                row["reason"] = reason("small_trait_in", min_cell, small)
        out.append(row)
    return out
