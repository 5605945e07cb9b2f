"""Inter-rater agreement on a rubric (Krippendorff's alpha and kin, via stats.agreement).

Its own module: agreement needs the units each rater judged, which the rest of the rubric
engine does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.privacy.cells import reason
from evalsoc.problems import problem
from evalsoc.sections.qualitative.config import RubricArgs
from evalsoc.sections.qualitative.scale import level_ranks
from evalsoc.stats import agreement


def _unit_labels(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if not columns:
        return np.zeros(len(frame), dtype=int)
    return frame.groupby(columns, dropna=False, sort=True, observed=True).ngroup().to_numpy()


def agreement_on(
    frame: pd.DataFrame,
    ranks: np.ndarray,
    *,
    rater: str,
    unit_columns: list[str],
    n_levels: int,
    n_boot: int,
    rng: np.random.Generator,
    min_alpha: float,
) -> dict[str, Any]:
    """Ordinal α of the rated judgements (insufficient evidence = missing), units = groups of
    `unit_columns`; one judgement per rater and unit (the first, if a rater repeats)."""
    keep = ranks >= 0
    rows = frame.loc[keep, [rater, *unit_columns]].copy()
    rows["_unit"] = _unit_labels(rows, unit_columns)
    rows["_rank"] = ranks[keep]
    first = ~rows.duplicated([rater, "_unit"], keep="first").to_numpy()
    repeated = int((~first).sum())
    rows = rows.loc[first]
    counts = agreement.counts_from_long(
        rows["_unit"].to_numpy(), rows["_rank"].to_numpy(), n_levels
    )
    usable = agreement.pairable(counts)
    base = {
        "level_of_measurement": "ordinal",
        "units": unit_columns,
        "n_units": int(usable.shape[0]),
        "n_pairable_values": int(usable.sum()),
        "n_raters": int(rows[rater].nunique()),
        "repeated_judgements_dropped": repeated,
        "min_alpha": min_alpha,
        "method": "unit bootstrap, percentile interval",
    }
    if usable.shape[0] < 2:
        return {
            **base,
            "estimable": False,
            "alpha": None,
            "reason": problem("agreement_few_units"),
        }
    out = agreement.bootstrap_alpha(
        usable, level="ordinal", n_boot=n_boot, rng=rng, min_alpha=min_alpha
    )
    if not np.isfinite(out["alpha"]):
        return {
            **base,
            "estimable": False,
            "alpha": None,
            "reason": problem("agreement_one_level"),
        }
    note = None
    if usable.shape[0] < 10:
        note = problem("agreement_few_units_note", units=usable.shape[0])
    return {**base, **out, "estimable": True, "below_min": out["alpha"] < min_alpha, "note": note}


def _agreement(
    frame: pd.DataFrame,
    ranks: np.ndarray,
    args: RubricArgs,
    rng: np.random.Generator,
    wide: pd.DataFrame | None,
    lookup: dict[str, int],
    min_cell: int,
) -> dict[str, Any]:
    if args.agreement == "none":
        return {"estimable": False, "alpha": None, "reason": problem("agreement_not_asked")}

    def unit_columns(table: pd.DataFrame) -> list[str]:
        return [c for c in (args.criterion, args.unit) if c and c in table.columns]

    def on(table: pd.DataFrame, table_ranks: np.ndarray, scope: str) -> dict[str, Any]:
        out = agreement_on(
            table,
            table_ranks,
            rater=args.rater,
            unit_columns=unit_columns(table),
            n_levels=len(args.scale),
            n_boot=args.bootstrap,
            rng=rng,
            min_alpha=args.min_alpha,
        )
        if out["n_raters"] < min_cell:
            out.update(
                estimable=False,
                suppressed=True,
                alpha=None,
                ci_low=None,
                ci_high=None,
                p_below_min=None,
                below_min=None,
                reason=reason("small_cell", min_cell),
            )
        return {"scope": scope, **out}

    if args.agreement == "source" and wide is not None:
        return on(wide, level_ranks(wide[args.level], lookup), "source")
    rows = on(frame, ranks, "rows")
    if args.agreement == "rows" or rows["n_units"] >= 2 or wide is None:
        return rows
    return on(wide, level_ranks(wide[args.level], lookup), "source")
