"""Privacy of 0/1 outcomes published per group: shares, effect sizes, McNemar counts and
companion figures that would reveal fewer than `min_cell` people are blanked, with coded reasons.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.privacy.cells import reason


def outcome_counts(values: Any, units: Any = None) -> list[int]:
    """People with and without a 0/1 outcome, as [with, without] (private, for the privacy rule).

    `values` are 0/1 outcomes, or per-unit averages of them (pre_post): a person counts as
    "with" when one of their values is above 0 and as "without" when one is below 1. With
    `units` (aligned with `values`), distinct units are counted rather than rows.
    """
    v = np.asarray(values, dtype=float).ravel()
    has, lacks = v > 0, v < 1
    if units is None:
        return [int(has.sum()), int(lacks.sum())]
    import pandas as pd

    u = np.asarray(units).ravel()
    return [int(pd.unique(u[has]).size), int(pd.unique(u[lacks]).size)]


def reveals_count(counts: Any, min_cell: int) -> bool:
    """True when a count of people with or without the outcome is between 1 and min_cell − 1."""
    return bool(counts) and any(0 < int(c) < min_cell for c in counts)


def _cell_place(row: dict[str, Any]) -> str:
    """The PLACES key (privacy/cells.py) of a row of `groups` or `cells`."""
    group = str(row.get("group"))
    if row.get("period") in ("before", "after"):
        return f"{group}_{row['period']}"
    return group


def suppress_outcome_shares(result: dict[str, Any], min_cell: int) -> None:
    """Blank, in place, the shares of a 0/1 outcome that reveal fewer than `min_cell` people.

    A share published per group is a count divided by the group size. Designs attach private
    counts of people with and without the outcome (`_counts` on the rows of `groups` and `cells`,
    `_share_counts` for flat diagnostics such as pre_post's `mean_before`, `_group_counts` for
    the groups of the effect sizes); this function removes them in every case. When a count is
    between 1 and min_cell − 1:

    - every mean of the same table goes (with the estimate — a difference of those means, or
      for `did` of the four cell means — one hidden mean would come back), with `sd` (which
      gives p(1 − p)), `raw_did`, and `suppressed: true` plus a reason on each row;
    - the effect sizes go whole (the risks, the risk difference, risk and odds ratios, or d, g
      and the pooled SD of a 0/1 outcome declared continuous: any of them with the estimate
      gives the shares back), and so do `potential_outcome_control` (ipw/aipw/ra; without
      covariates `ra`'s is the comparison group's share) and a regression's coefficients
      other than the reported term (the intercept of `y ~ t` is the comparison group's share);
    - McNemar's table goes whole when improved or worsened counts are in that range (improved −
      worsened = pairs × estimate gives one from the other; the exact test's statistic is the
      smaller count).

    The estimate, its standard error, interval and p-value stay: the difference between groups
    of sufficient size is the published result.
    """
    diagnostics = result.get("diagnostics")
    if not isinstance(diagnostics, dict):
        diagnostics = {}
    places: list[str] = []
    for key in ("groups", "cells"):
        rows = diagnostics.get(key)
        if not isinstance(rows, list):
            continue
        small = [
            i
            for i, row in enumerate(rows)
            if isinstance(row, dict) and reveals_count(row.get("_counts"), min_cell)
        ]
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            row.pop("_counts", None)
            if not small:
                continue
            row["mean"] = None
            if "sd" in row:
                row["sd"] = None
            row["suppressed"] = True
            if i in small:
                row["reason"] = reason("small_outcome_in", min_cell, [_cell_place(row)])
                places.append(_cell_place(row))
            else:
                row["reason"] = reason("hidden_share_companion", min_cell)
        if small and key == "cells":
            diagnostics["raw_did"] = None
    flat_blanked: list[str] = []
    flat = diagnostics.pop("_share_counts", None)
    if isinstance(flat, dict):
        small_flat = [k for k, c in flat.items() if reveals_count(c, min_cell)]
        if small_flat:
            places += [k.removeprefix("mean_") for k in small_flat]
            flat_blanked += list(flat)
    group_counts = result.pop("_group_counts", None)
    if group_counts is not None and not places:  # the tables already name the groups
        for side, counts in zip(("treated", "control"), group_counts):
            if reveals_count(counts, min_cell):
                places.append(side)
    mcnemar = diagnostics.get("mcnemar")
    if isinstance(mcnemar, dict):
        counts = [mcnemar.get("improved"), mcnemar.get("worsened")]
        if reveals_count([c for c in counts if isinstance(c, (int, np.integer))], min_cell):
            for key in ("improved", "worsened", "statistic", "p_value"):
                mcnemar[key] = None
            mcnemar["suppressed"] = True
            mcnemar["reason"] = reason("small_mcnemar", min_cell)
    if not places:
        return
    why = reason("hidden_share_figures", min_cell, places)
    if "potential_outcome_control" in diagnostics:
        flat_blanked.append("potential_outcome_control")
    for key in flat_blanked:
        diagnostics[key] = None
    if flat_blanked:
        diagnostics["suppressed"] = True
        diagnostics["reason"] = why
    sizes = result.get("effect_size")
    if isinstance(sizes, dict):
        blank = {k: None for k in sizes if k not in ("suppressed", "reason")}
        result["effect_size"] = {**blank, "suppressed": True, "reason": why}
    coefficients = diagnostics.get("coefficients")
    term = result.get("term")
    if isinstance(coefficients, dict):
        for name in list(coefficients):
            if name != term:
                coefficients[name] = {
                    "estimate": None,
                    "se": None,
                    "suppressed": True,
                    "reason": why,
                }
