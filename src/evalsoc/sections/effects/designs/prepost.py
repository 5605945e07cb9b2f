"""Before/after on the same units: the mean of each unit's change, with a paired t-test.

This is not a counterfactual estimate: everything that would have changed anyway (the economy,
ageing, regression to the mean) is counted in the change. The method text says so, and the
report's sentence too. Robustness checks: Wilcoxon signed-rank test for continuous outcomes,
McNemar's test for binary ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalsoc.problems import worded
from evalsoc.sections.common import NotEstimable, finite_or_none
from evalsoc.sections.effects.common import (
    cluster_codes,
    coefficient_inference,
    is_binary,
    outcome_counts,
    result_from_fit,
)

NOT_COUNTERFACTUAL = (
    "a before/after comparison of the same units, not a counterfactual estimate: it also counts "
    "changes that would have happened without the programme"
)


def _matches(series: pd.Series, value: Any) -> pd.Series:
    """Rows whose period equals `value`, comparing numbers as numbers and the rest as text."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        try:
            return series.astype(float) == float(value)
        except (TypeError, ValueError):
            pass
    return series.astype(str) == str(value)


def period_masks(frame: pd.DataFrame, spec: Any) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the 'before' and 'after' rows (from `_post`, or `time` == before / after)."""
    if "_post" in frame.columns:
        after = frame["_post"].to_numpy(dtype=int) == 1
        return ~after, after
    before = _matches(frame[spec.time], spec.before).to_numpy()
    after = _matches(frame[spec.time], spec.after).to_numpy()
    if not before.any():
        raise NotEstimable(
            "no_rows_in_period", time=spec.time, value=spec.before, period=worded("before")
        )
    if not after.any():
        raise NotEstimable(
            "no_rows_in_period", time=spec.time, value=spec.after, period=worded("after")
        )
    return before, after


def _tests(before: np.ndarray, after: np.ndarray, binary: bool) -> dict[str, Any]:
    from scipy import stats

    diff = after - before
    out: dict[str, Any] = {}
    if np.any(diff != 0):
        if binary:
            from statsmodels.stats.contingency_tables import mcnemar

            b = int(((before == 1) & (after == 0)).sum())
            c = int(((before == 0) & (after == 1)).sum())
            table = [
                [int(((before == 0) & (after == 0)).sum()), c],
                [b, int((before * after).sum())],
            ]
            exact = b + c < 25
            res = mcnemar(table, exact=exact, correction=True)
            out["mcnemar"] = {
                "improved": c,
                "worsened": b,
                "statistic": finite_or_none(res.statistic),
                "p_value": finite_or_none(res.pvalue),
                "exact": exact,
            }
        else:
            res = stats.wilcoxon(after, before, zero_method="wilcox")
            out["wilcoxon"] = {
                "statistic": finite_or_none(res.statistic),
                "p_value": finite_or_none(res.pvalue),
            }
    return out


def estimate_pre_post(frame: pd.DataFrame, spec: Any) -> dict[str, Any]:
    """Mean change after − before over units seen in both periods (rows averaged per unit)."""
    before_mask, after_mask = period_masks(frame, spec)
    y = frame["_y"].astype(float)
    unit = frame[spec.unit]
    by_before = y[before_mask].groupby(unit[before_mask].to_numpy(), sort=True).mean()
    by_after = y[after_mask].groupby(unit[after_mask].to_numpy(), sort=True).mean()
    paired = pd.concat([by_before.rename("before"), by_after.rename("after")], axis=1, join="inner")
    n = len(paired)
    if n < 2:
        raise NotEstimable("too_few_pairs", n=n)
    b = paired["before"].to_numpy()
    a = paired["after"].to_numpy()
    diff = a - b
    if np.ptp(diff) == 0:
        raise NotEstimable("change_constant")
    clusters = None
    n_clusters = None
    if spec.cluster:
        first = frame.groupby(unit.to_numpy(), sort=True)[spec.cluster].first()
        clusters, n_clusters = cluster_codes(first.loc[paired.index].to_numpy())
    se_type = spec.se_type if spec.se_type == "cluster" else "classical"
    fit = coefficient_inference(
        diff,
        np.ones((n, 1)),
        ["mean_change"],
        "mean_change",
        se_type=se_type,
        clusters=clusters,
        level=spec.level,
        small_sample=spec.small_sample,
        bootstrap_reps=spec.bootstrap_reps,
        seed=spec.seed,
    )
    binary = spec.outcome_type == "binary" or (
        spec.outcome_type == "auto" and is_binary(frame["_y"])
    )
    words = "paired t-test" if se_type == "classical" else fit["se_words"]
    method = f"Mean change after − before ({words}); {NOT_COUNTERFACTUAL}"
    diagnostics: dict[str, Any] = {
        "mean_before": float(b.mean()),
        "mean_after": float(a.mean()),
        "n_pairs": n,
        "unpaired_units": int(len(set(by_before.index) ^ set(by_after.index))),
        "units_with_repeated_rows": int(
            (unit[before_mask].value_counts() > 1).sum()
            + (unit[after_mask].value_counts() > 1).sum()
        ),
        "counterfactual": False,
    }
    if is_binary(frame["_y"]):
        # private counts of people with and without the outcome at each time (privacy rule,
        # common.suppress_outcome_shares); a unit with several rows in a period counts as
        # "with" if one of them has the outcome and "without" if one lacks it
        diagnostics["_share_counts"] = {
            "mean_before": outcome_counts(b),
            "mean_after": outcome_counts(a),
        }
    diagnostics.update(_tests(b, a, binary))
    if "analytic" in fit:
        diagnostics["analytic"] = fit["analytic"]
    return result_from_fit(
        fit,
        n=n,
        n_treated=n,
        n_control=None,
        n_clusters=n_clusters if spec.cluster else None,
        design="pre_post",
        method=method,
        diagnostics=diagnostics,
        _groups=(a, b),
        _group_counts=None,  # the groups are the two periods: `_share_counts` covers them
    )
