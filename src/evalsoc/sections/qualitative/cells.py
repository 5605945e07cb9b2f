"""Small-cell protection of rubric and themes counts.

No published figure comes from between 1 and `min_cell` − 1 distinct raters (or sources);
per-role cells below that are suppressed, with secondary suppression (`suppressed_cells`,
`discloses`) so that no hidden cell can be recovered by subtracting the shown ones from a
published total. Separate from the engines so that the rule is read in one place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.privacy.cells import reason, suppressed
from evalsoc.privacy.linear import suppressed_cells
from evalsoc.sections.qualitative.scale import INSUFFICIENT

NO_GROUP = "\x00no group"  # the unpublished cell of rows without a group (role, criterion)


def protect_levels(
    result: dict[str, Any],
    ranks: np.ndarray,
    roles: pd.Series | None,
    scale_ids: list[str],
    threshold: int,
    min_cell: int,
) -> None:
    """Hide, in place, the judgement counts that are small or that the published totals
    would give back. Roles × levels, with each role's rated judgements, judgements saying the
    evidence is insufficient, all judgements and judgements at or above the threshold, and the
    same figures overall (column totals), is one system for the privacy package's algorithm
    (hidden roles and rows without a role are forced hidden rows: their figures are not
    published)."""
    role_values = roles.fillna("").to_numpy() if roles is not None else np.array([""] * len(ranks))
    names = sorted({r or NO_GROUP for r in role_values})
    levels = len(scale_ids)
    extra = ("insufficient", "total", "rated", "above")
    rows = len(names)
    sizes: dict[tuple[int, Any], int] = {}
    for i in range(rows + 1):
        mask = (
            np.ones(len(ranks), dtype=bool)
            if i == rows
            else np.array([(r or NO_GROUP) == names[i] for r in role_values], dtype=bool)
        )
        counts = np.bincount(ranks[mask & (ranks >= 0)], minlength=levels)
        sizes.update({(i, j): int(counts[j]) for j in range(levels)})
        sizes[(i, "insufficient")] = int((ranks[mask] == INSUFFICIENT).sum())
        sizes[(i, "total")] = int(mask.sum())
        sizes[(i, "rated")] = int(counts.sum())
        sizes[(i, "above")] = int(counts[threshold:].sum())
    equations: list[dict[tuple[int, Any], float]] = []
    for i in range(rows + 1):
        inner = {(i, j): 1.0 for j in range(levels)}
        equations.append({**inner, (i, "rated"): -1.0})
        equations.append({(i, "rated"): 1.0, (i, "insufficient"): 1.0, (i, "total"): -1.0})
        above = {(i, j): 1.0 for j in range(threshold, levels)}
        equations.append({**above, (i, "above"): -1.0})
    for column in [*range(levels), *extra]:
        equations.append({**{(i, column): 1.0 for i in range(rows)}, (rows, column): -1.0})
    by_role = result.get("by_role") or {}
    whole = {i for i, name in enumerate(names) if name == NO_GROUP}
    whole |= {i for i, name in enumerate(names) if (by_role.get(name) or {}).get("suppressed")}
    # a share at or above the threshold published with its n gives the people below it: when
    # either side counts 1 to min_cell − 1 raters, the share is hidden (as for a proportion)
    below = {i for i in range(rows + 1) if 0 < sizes[(i, "rated")] - sizes[(i, "above")] < min_cell}
    # the overall n and each role's n are complements of last resort; a row (or the overall)
    # whose n would have to go is hidden whole instead, since its shares would give n back
    keep = [(i, "rated") for i in range(rows + 1)]
    for _ in range(rows + 2):
        forced = [(i, c) for i in whole for c in [*range(levels), *extra]]
        forced += [(i, "above") for i in below]
        hidden = suppressed_cells(sizes, min_cell, forced=forced, totals=equations, keep=keep)
        lost = {i for i in range(rows + 1) if (i, "rated") in hidden} - whole
        if not lost:
            break
        whole |= lost
    if rows in whole:
        result.update(_suppressed_overall(scale_ids, min_cell, result.get("n_raters") or 0))
        result["reason"] = reason("complement", min_cell)
        for cell in by_role.values():
            if not cell.get("suppressed"):
                cell.clear()
                cell.update(n_raters=None, n_judgements=None, **suppressed("complement", min_cell))
        return
    for i in whole - {rows}:
        cell = by_role.get(names[i])
        if cell is not None and not cell.get("suppressed"):
            cell.clear()
            cell.update(n_raters=None, n_judgements=None, **suppressed("complement", min_cell))
    for i in range(rows + 1):
        cell = result if i == rows else by_role.get(names[i])
        if cell is None or cell.get("suppressed"):
            continue
        gone = [c for (r, c) in hidden if r == i]
        if not gone:
            continue
        for c in gone:
            if isinstance(c, int):
                cell["counts"][scale_ids[c]] = None
                cell["shares"][scale_ids[c]] = None
            elif c == "insufficient":
                cell["n_insufficient"] = None
            elif c == "total":
                cell.update(n_judgements=None, n_raters=None)
            elif c == "rated":
                cell["n_rated"] = None
                if i == rows:
                    cell["n"] = None
            elif c == "above":
                cell.update(n_at_or_above=None, share_at_or_above=None)
                if i == rows:
                    code = "small_trait" if i in below else "complement"
                    cell.update(
                        value=None,
                        ci_low=None,
                        ci_high=None,
                        status="suppressed",
                        value_reason=reason(code, min_cell),
                    )
        small = any(0 < sizes[(i, c)] < min_cell for c in gone)
        cell["hidden_counts"] = reason("small_cell" if small else "complement", min_cell)


def _suppressed_overall(scale_ids: list[str], min_cell: int, n_raters: int) -> dict[str, Any]:
    return {
        **suppressed("small_cell", min_cell),
        "status": "suppressed",
        "n_raters": None,
        "n_judgements": None,
        "n_rated": None,
        "n_insufficient": None,
        "n": None,
        "counts": {level: None for level in scale_ids},
        "shares": {level: None for level in scale_ids},
        "median_level": None,
        "lower_quartile_level": None,
        "n_at_or_above": None,
        "share_at_or_above": None,
        "value": None,
        "ci_low": None,
        "ci_high": None,
    }


def role_cells(
    raters: pd.Series, roles: pd.Series | None
) -> tuple[dict[str, int], dict[str, set[Any]]]:
    """Distinct raters (or sources) per role; rows without a role form the unpublished cell
    `NO_GROUP`, which counts as hidden (the total minus the shown roles would give it back)."""
    if roles is None:
        return {}, {}
    role_values = roles.fillna("").to_numpy()
    rater_values = raters.to_numpy()
    members = {
        (role or NO_GROUP): set(rater_values[role_values == role]) - {pd.NA, None}
        for role in pd.unique(role_values)
    }
    return {role: len(people) for role, people in members.items()}, members


def _published(n: int, min_cell: int) -> int | None:
    """A count of distinct sources, or None from 1 to min_cell − 1."""
    return None if 0 < n < min_cell else n
