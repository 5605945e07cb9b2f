"""Quantitative indicators: value, confidence interval, n, status against target, by groups.

Each kind reduces its rows to per-group sufficient statistics (n, Σx, Σx², Σxy...) and then
computes value and interval from them (stats/intervals.py): the same code would serve
statistics aggregated by a database engine. Kinds are looked up in a registry, so qualitative
kinds (rubric, themes) plug in beside the quantitative ones.

Why one module: it is the registry of kinds with each kind's statistics and finish side by side
(mean, proportion, rate, share, median...), so that a kind reads in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.framework.expressions import ExpressionError, parse_expression
from evalsoc.privacy.cells import suppressed, suppressed_cell
from evalsoc.privacy.policy import PrivacyPolicy, as_policy
from evalsoc.privacy.tables import protect_line, protect_table
from evalsoc.problems import problem
from evalsoc.sections.common import finite_or_none
from evalsoc.sections.indicators.reads import columns_used
from evalsoc.sections.indicators.shared_sums import group_sums
from evalsoc.stats.intervals import mean_t, median_interval, ratio_delta, wilson

MISSING_GROUP = "(manquant)"
LEVEL = 0.95


class IndicatorError(ValueError):
    """A problem with an indicator's declaration found when its data are known (unknown column)."""


# ---------------------------------------------------------------------------------------------
# Sufficient statistics per group


def factorize_column(series: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Sorted codes of a column's values, with missing values as one more code at the end;
    from the codes of the file's dictionary when the column has them (data/text_codes.py)."""
    from evalsoc.data.text_codes import codes_of, sorted_codes

    coded = codes_of(series.array)
    if coded is not None:
        return missing_last(*sorted_codes(coded))
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    return missing_last(codes, [v.item() if hasattr(v, "item") else v for v in uniques])


def missing_last(codes: np.ndarray, values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Sorted codes (−1: missing) and their values, missing made the last group."""
    if (codes < 0).any():
        codes = np.where(codes < 0, len(values), codes)
        values.append(MISSING_GROUP)
    return codes.astype(np.int64, copy=False), values  # codes made here: no copy needed


def group_codes(
    frame: pd.DataFrame, by: list[str], factorize: Callable[[str], tuple] | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row and the table of group values (sorted, missing last).

    `factorize(column)` may supply cached per-column codes for this frame.
    """
    if not by:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=[0])
    if len(by) == 1:
        single = _single_column_groups(frame, by[0], factorize)
        if single is not None:
            return single
    combined = np.zeros(len(frame), dtype=np.int64)
    levels = []
    for col in by:
        codes, values = factorize(col) if factorize else factorize_column(frame[col])
        combined = combined * max(len(values), 1) + codes
        levels.append(values)
    space = int(np.prod([max(len(v), 1) for v in levels]))
    if space <= 1 << 20:
        # Few possible combinations: dense codes by a lookup table, O(n) instead of a sort.
        present = np.bincount(combined, minlength=space) > 0
        used = np.flatnonzero(present)
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        dense = lookup[combined]
    else:
        used, dense = np.unique(combined, return_inverse=True)
    rows = []
    for code in used:
        parts = []
        for values in reversed(levels):
            size = max(len(values), 1)
            parts.append(values[code % size])
            code //= size
        rows.append(list(reversed(parts)))
    groups = pd.DataFrame(rows, columns=by) if rows else pd.DataFrame(columns=by)
    return dense.astype(np.int64, copy=False).reshape(-1), groups  # made here: no copy


def _single_column_groups(
    frame: pd.DataFrame, column: str, factorize: Callable[[str], tuple] | None
) -> tuple[np.ndarray, pd.DataFrame] | None:
    """`group_codes` of one column whose every sorted code has a row (factorize_column's
    always do): the codes are the groups' already, without the combination's arithmetic and
    lookup (≈ 6 ms per 10^6 rows). The rows per group, counted to check it, are kept for the
    indicators reading these codes (`_group_sizes`). None when a code has no row."""
    from evalsoc.sections.indicators.reuse import once_per

    codes, values = factorize(column) if factorize else factorize_column(frame[column])
    ngroups = len(values)
    if ngroups == 0 or codes.dtype != np.int64 or codes.ndim != 1:
        return None
    counts = np.bincount(codes, minlength=ngroups)
    if len(counts) != ngroups or not counts.all():
        return None
    once_per(codes, ("sizes", ngroups), lambda: counts.astype(float))
    return codes, pd.DataFrame([[v] for v in values], columns=[column])


def group_values(groups: pd.DataFrame, by: list[str]) -> list[dict[str, Any]]:
    """Each group's values exactly as `groups.iloc[g][col]` gives them (a row's boxed scalars:
    pandas casts a row of int and float columns to float), read once per table of groups
    (reuse.py): reading a row of a pandas 3 frame costs ≈ 0.5 ms, and 420 cells at 10^6 rows
    took 0.28 s (issue 16)."""
    from evalsoc.sections.indicators.reuse import once_per

    def read() -> list[dict[str, Any]]:
        values = []
        for g in range(len(groups)):
            row = groups.iloc[g]
            values.append({col: row[col] for col in by})
        return values

    return once_per(groups, ("group values", tuple(by)), read)


def _sums(codes: np.ndarray, ngroups: int, *arrays: np.ndarray) -> list[np.ndarray]:
    """Per-group sums; a plain sum when there is one group (the overall value)."""
    if ngroups == 1:
        return [np.array([np.sum(a, dtype=float)]) for a in arrays]
    return [np.bincount(codes, weights=a, minlength=ngroups) for a in arrays]


def _group_sizes(codes: np.ndarray, ngroups: int) -> np.ndarray:
    """Rows per group as floats, counted once per array of codes (reuse.py): the indicators
    sharing rows and `by` (8 means by site) share their codes (engines/pandas.py)."""
    from evalsoc.sections.indicators.reuse import once_per

    if ngroups == 1:
        return np.array([float(len(codes))])
    sizes = once_per(
        codes, ("sizes", ngroups), lambda: np.bincount(codes, minlength=ngroups).astype(float)
    )
    return sizes.copy()


def _stable_order(codes: np.ndarray, ngroups: int) -> np.ndarray:
    """Positions of the rows sorted by group, file order kept within a group (a radix sort in
    one pass when the codes fit in 16 bits)."""
    small = np.int16 if ngroups < 1 << 15 else np.int64
    return np.argsort(codes.astype(small), kind="stable")


def _group_order(codes: np.ndarray, ngroups: int) -> np.ndarray:
    """`_stable_order`, once per array of codes (reuse.py), kept as 32-bit positions when they
    fit (4 MB instead of 8 per 10^6 rows, held as long as the codes)."""
    from evalsoc.sections.indicators.reuse import once_per

    def order() -> np.ndarray:
        found = _stable_order(codes, ngroups)
        return found.astype(np.int32) if len(codes) < 1 << 31 else found

    return once_per(codes, ("order", ngroups), order)


def _valid_counts(codes: np.ndarray, ngroups: int, ok: np.ndarray) -> np.ndarray:
    """Rows with a value per group: `_sums` of `ok` as 0.0/1.0, or, when no row lacks a value,
    the group sizes (the same floats: sums of ones below 2^53 are exact in any order)."""
    if ok.all():
        return _group_sizes(codes, ngroups)
    return _sums(codes, ngroups, ok.astype(float))[0]


# ---------------------------------------------------------------------------------------------
# Kinds: each returns a list of cells (overall first, then groups) as dicts of raw numbers.


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    col = frame[column]
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.astype("Float64").astype("float64")
    if not pd.api.types.is_numeric_dtype(col.dtype):
        raise IndicatorError(
            f"column {column!r} is not numeric (declare it as number, integer or likert)"
        )
    return col.astype("float64")


def _condition(frame: pd.DataFrame, text: str) -> tuple[pd.Series, pd.Series]:
    """(values 0/1, rows where the condition can be decided) for a column or an expression,
    once per frame (reuse.py): a proportion's statistics and its rows for the audit both read
    it (callers must not modify the series)."""
    from evalsoc.sections.indicators.reuse import once_per

    return once_per(frame, ("condition", text), lambda: _evaluate_condition(frame, text))


def _evaluate_condition(frame: pd.DataFrame, text: str) -> tuple[pd.Series, pd.Series]:
    if text in frame.columns:
        col = frame[text]
        if pd.api.types.is_bool_dtype(col.dtype) or col.dropna().isin([0, 1, True, False]).all():
            valid = col.notna()
            values = col.to_numpy(dtype=np.float64, na_value=0.0)
            return pd.Series(values, index=col.index), valid
        raise IndicatorError(
            f"column {text!r} is not boolean: write a condition such as `{text} == 'value'`"
        )
    try:
        expr = parse_expression(text)
        expr.check_columns(frame.columns)
        mask = expr.evaluate(frame)
    except ExpressionError as exc:
        raise IndicatorError(str(exc)) from None
    valid = (
        frame[expr.columns].notna().all(axis=1)
        if expr.columns
        else pd.Series(True, index=frame.index)
    )
    return mask.astype("float64"), valid


# Each additive kind is split in two: `stats` reduces rows to per-group sufficient statistics
# (arrays with one row per group), `finish` turns statistics into values and intervals. The
# overall value is then the sum of the groups' statistics: one pass over the rows, not two.


def _power_of_two_scale(values: np.ndarray, extremes: tuple[float, float] | None = None) -> float:
    """1, or a power of two bringing values near 1e308 down so that their sum and sum of squares
    stay finite; dividing by a power of two is exact, so the scaled mean is the mean.
    `extremes`: (max, min) of `values` when the caller has them."""
    if extremes is None and values.size:
        extremes = float(np.max(values)), float(np.min(values))
    # max(max, −min) is max(|x|) without making the array of |x| (a NaN gives NaN either way)
    largest = max(extremes[0], -extremes[1]) if extremes is not None else 0.0
    if not np.isfinite(largest) or largest < 1e100:
        return 1.0
    _, exponent = math.frexp(largest)  # largest < 2**exponent, exponent <= 1024
    return math.ldexp(1.0, exponent - 2)  # scaled values stay below 4


def stats_mean(values: np.ndarray, codes: np.ndarray, ngroups: int) -> dict[str, Any]:
    # A NaN makes the largest and the smallest NaN: without one, the column is complete and
    # its extremes are the scale's (two passes, not four: no mask of the values present).
    extremes = (float(np.max(values)), float(np.min(values))) if values.size else None
    complete = extremes is None or not (math.isnan(extremes[0]) or math.isnan(extremes[1]))
    if complete:
        v, scale = values, _power_of_two_scale(values, extremes)  # no copy
        n = _group_sizes(codes, ngroups)  # every row has a value
    else:
        ok = ~np.isnan(values)
        v = np.where(ok, values, 0.0)
        scale = _power_of_two_scale(v)
        n = _valid_counts(codes, ngroups, ok)
    if scale != 1.0:
        v = v / scale
    if complete and scale == 1.0:  # the column as it is: sums shared with a rate's
        s, ss = (group_sums(codes, ngroups, values, power) for power in (1, 2))
    else:
        s, ss = _sums(codes, ngroups, v, v * v)
    # "scale" is a plain float: total_stats keeps it as is, finish multiplies back.
    return {"n": n, "sum": s, "sumsq": ss, "scale": scale}


def _unscaled(st: dict, *arrays: np.ndarray) -> list[np.ndarray]:
    scale = st.get("scale", 1.0)
    if scale == 1.0:
        return list(arrays)
    with np.errstate(over="ignore"):  # beyond float64 even after scaling: inf, said so later
        return [a * scale for a in arrays]


def _mean_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    return stats_mean(_numeric(frame, spec.mean).to_numpy(), codes, ngroups)


def _mean_finish(spec: Any, st: dict) -> list[dict]:
    value, lo, hi = _unscaled(st, *mean_t(st["n"], st["sum"], st["sumsq"], LEVEL))
    return _cells(st["n"], value, lo, hi, "t interval")


def _proportion_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    values, valid = _condition(frame, spec.proportion)
    ok = valid.to_numpy()
    x = np.where(ok, values.to_numpy(), 0.0)
    n = _valid_counts(codes, ngroups, ok)
    (s,) = _sums(codes, ngroups, x)
    return {"n": n, "count": s}


def _proportion_finish(spec: Any, st: dict) -> list[dict]:
    n, s = st["n"], st["count"]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = s / n
    lo, hi = wilson(s, n, LEVEL)
    cells = _cells(n, p, lo, hi, "Wilson score interval")
    for cell, k in zip(cells, s):
        cell["count"] = float(k)
    return cells


def _count_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    if spec.count is True or spec.count in (None, "", "rows"):
        hits = np.ones(len(frame))
    else:
        values, valid = _condition(frame, str(spec.count))
        hits = values.to_numpy(dtype=np.float64) * valid.to_numpy(dtype=bool)  # float64
    (count,) = _sums(codes, ngroups, hits)
    return {"n": _group_sizes(codes, ngroups), "count": count}


def _count_finish(spec: Any, st: dict) -> list[dict]:
    nan = np.full(len(st["n"]), np.nan)
    cells = _cells(st["n"], st["count"], nan, nan, "exact count of the records")
    for cell, k in zip(cells, st["count"]):
        cell["count"] = float(k)
    return cells


def _sum_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    return stats_mean(_numeric(frame, spec.sum).to_numpy(), codes, ngroups)


def _sum_finish(spec: Any, st: dict) -> list[dict]:
    nan = np.full(len(st["n"]), np.nan)
    (total,) = _unscaled(st, st["sum"])
    return _cells(st["n"], total, nan, nan, "exact total of the records")


def _median_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    """Not additive: the median and its interval per group, from the values themselves."""
    from evalsoc.sections.indicators.median_counts import medians_by_counts

    values = _numeric(frame, spec.median).to_numpy()
    ok = ~np.isnan(values)
    complete = bool(ok.all())
    v, c = (values, codes) if complete else (values[ok], codes[ok])
    med, lo, hi = (np.full(ngroups, np.nan) for _ in range(3))
    n = _group_sizes(c, ngroups) if complete else np.bincount(c, minlength=ngroups).astype(float)
    counted = None if ngroups == 1 else medians_by_counts(v, c, ngroups, LEVEL)
    if counted is not None:  # a few whole numbers (median_counts.py)
        med, lo, hi = counted
    elif ngroups == 1:
        med[0], lo[0], hi[0] = median_interval(v, LEVEL)
    else:
        # Each group's values as contiguous slices, in their order in the file (a stable sort of
        # the codes) instead of one mask per group (20 sites: 20 passes over the rows); the
        # order is sorted once per array of codes when no value is missing (4 medians by group).
        v = v[_group_order(c, ngroups) if complete else _stable_order(c, ngroups)]
        starts = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(int)
        for g in range(ngroups):
            if n[g] > 0:
                med[g], lo[g], hi[g] = median_interval(v[starts[g] : starts[g] + int(n[g])], LEVEL)
    return {"n": n, "median": med, "lo": lo, "hi": hi}


def _median_finish(spec: Any, st: dict) -> list[dict]:
    return _cells(
        st["n"], st["median"], st["lo"], st["hi"], "order-statistic interval (distribution-free)"
    )


def _rate_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    num_col, den_col = spec.rate
    y = _numeric(frame, num_col).to_numpy()
    x = _numeric(frame, den_col).to_numpy()
    ok = ~(np.isnan(y) | np.isnan(x))
    n = _valid_counts(codes, ngroups, ok)
    if ok.all():  # the columns as they are: Σ and Σ² shared with their means' (shared_sums.py)
        sy, sx, syy, sxx = (group_sums(codes, ngroups, a, p) for p in (1, 2) for a in (y, x))
        (sxy,) = _sums(codes, ngroups, x * y)
    else:
        y, x = np.where(ok, y, 0.0), np.where(ok, x, 0.0)
        sy, sx, syy, sxx, sxy = _sums(codes, ngroups, y, x, y * y, x * x, x * y)
    return {"n": n, "sy": sy, "sx": sx, "syy": syy, "sxx": sxx, "sxy": sxy}


def _rate_finish(spec: Any, st: dict) -> list[dict]:
    ratio, lo, hi = ratio_delta(st["n"], st["sy"], st["sx"], st["syy"], st["sxx"], st["sxy"], LEVEL)
    return _cells(st["n"], ratio, lo, hi, "delta method")


def _inequality_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    """Not additive: the index and its linearised interval per group (measures.inequality)."""
    from evalsoc.sections.common import NotEstimable
    from evalsoc.sections.indicators.inequality import INDICES

    values = _numeric(frame, spec.args).to_numpy()
    ok = ~np.isnan(values)
    v, c = values[ok], codes[ok]
    n = np.bincount(c, minlength=ngroups).astype(float)
    value, lo, hi = (np.full(ngroups, np.nan) for _ in range(3))
    kwargs = {"epsilon": spec.epsilon} if spec.kind == "atkinson" else {}
    for g in range(ngroups):
        if n[g] > 1:
            try:
                value[g], _, lo[g], hi[g] = INDICES[spec.kind](v[c == g], level=LEVEL, **kwargs)
            except NotEstimable:  # negative values, zero mean: published as not computable
                continue
    return {"n": n, "value": value, "lo": lo, "hi": hi}


def _inequality_finish(spec: Any, st: dict) -> list[dict]:
    return _cells(st["n"], st["value"], st["lo"], st["hi"], "linearisation (influence function)")


def _gap_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    """Not additive: the gap (or change of the gap) per `by` group (measures.gaps)."""
    from evalsoc.sections.indicators.gaps import gap

    y = _numeric(frame, spec.args).to_numpy()
    between = frame[spec.between].to_numpy()
    over = frame[spec.over].to_numpy() if spec.over else None
    ok = ~np.isnan(y) & pd.notna(between) & (pd.notna(over) if over is not None else True)
    n = np.bincount(codes[ok], minlength=ngroups).astype(float)
    out = {k: np.full(ngroups, np.nan) for k in ("value", "ci_low", "ci_high", "smallest")}
    for g in range(ngroups):
        rows = ok & (codes == g)
        res = gap(
            y[rows],
            between[rows],
            tuple(spec.groups),
            None if over is None else over[rows],
            LEVEL,
        )
        for k in out:
            out[k][g] = res[k]
    return {"n": n, **out}


def _gap_finish(spec: Any, st: dict) -> list[dict]:
    cells = _cells(st["n"], st["value"], st["ci_low"], st["ci_high"], "Welch–Satterthwaite t")
    for cell, smallest in zip(cells, st["smallest"]):
        cell["smallest"] = smallest
    return cells


def _category_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _share_stats(spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> dict:
    from evalsoc.sections.indicators.share_codes import share_codes

    cat_codes, cat_values = share_codes(frame, spec.share, factorize_column, MISSING_GROUP)
    missing = MISSING_GROUP in cat_values and cat_values[-1] == MISSING_GROUP
    labels = [_category_text(v) for v in cat_values]
    ncat = max(len(labels), 1)
    table = (
        np.bincount(codes * ncat + cat_codes, minlength=ngroups * ncat)
        .reshape(ngroups, ncat)
        .astype(float)
    )
    if missing:
        table, labels = table[:, :-1], labels[:-1]
    return {"table": table, "labels": labels}


def _share_finish(spec: Any, st: dict) -> list[dict]:
    table, labels = st["table"], st["labels"]
    ngroups = table.shape[0]
    n = table.sum(axis=1)
    selected = {str(v) for v in (spec.values or [])}
    if selected:
        s = table[:, [i for i, lab in enumerate(labels) if lab in selected]].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = s / n
        lo, hi = wilson(s, n, LEVEL)
    else:
        p = lo = hi = np.full(ngroups, np.nan)
    cells = _cells(n, p, lo, hi, "Wilson score interval")
    if selected:
        for cell, k in zip(cells, s):
            cell["count"] = float(k)
    order = sorted(range(len(labels)), key=lambda i: _natural(labels[i]))
    for g, cell in enumerate(cells):
        cell["categories"] = [
            {"value": labels[i], "count": float(table[g, i]), "share": _div(table[g, i], n[g])}
            for i in order
        ]
    return cells


def _natural(value: str) -> tuple:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _div(a: float, b: float) -> float | None:
    return float(a / b) if b else None


def _cells(n, value, lo, hi, method: str) -> list[dict]:
    return [
        {
            "n": float(n[g]),
            "value": value[g],
            "ci_low": lo[g],
            "ci_high": hi[g],
            "ci_method": method,
        }
        for g in range(len(n))
    ]


@dataclass(frozen=True)
class Kind:
    """A quantitative kind: rows → per-group statistics → values with intervals."""

    stats: Callable[[Any, pd.DataFrame, np.ndarray, int], dict]
    finish: Callable[[Any, dict], list[dict]]
    additive: bool = True  # statistics of the whole are the sum of the groups'

    def cells(self, spec: Any, frame: pd.DataFrame, codes: np.ndarray, ngroups: int) -> list[dict]:
        return self.finish(spec, self.stats(spec, frame, codes, ngroups))


def total_stats(stats: dict) -> dict:
    """The overall statistics from the groups' (additive kinds only)."""
    return {
        k: v.sum(axis=0, keepdims=True) if isinstance(v, np.ndarray) else v
        for k, v in stats.items()
    }


QUANTITATIVE: dict[str, Kind] = {
    "mean": Kind(_mean_stats, _mean_finish),
    "proportion": Kind(_proportion_stats, _proportion_finish),
    "count": Kind(_count_stats, _count_finish),
    "sum": Kind(_sum_stats, _sum_finish),
    "median": Kind(_median_stats, _median_finish, additive=False),
    "rate": Kind(_rate_stats, _rate_finish),
    "share": Kind(_share_stats, _share_finish),
    **{
        name: Kind(_inequality_stats, _inequality_finish, additive=False)
        for name in ("gini", "theil", "atkinson")
    },
    "gap": Kind(_gap_stats, _gap_finish, additive=False),
}


def columns_needed(spec: Any, available: list[str]) -> list[str]:
    """Every column an indicator reads, conditions included (unknown names are left to the
    checks that explain them)."""
    cols = list(columns_used(spec))
    if spec.kind in ("proportion", "count") and isinstance(spec.args, str):
        if spec.args in available:
            cols.append(spec.args)
        else:
            try:
                cols.extend(parse_expression(spec.args).columns)
            except ExpressionError:
                pass
    return [c for c in dict.fromkeys(cols) if c in available]


# ---------------------------------------------------------------------------------------------
# From raw cells to published results: privacy, status, baseline, JSON-safe numbers


def _status(value: float | None, spec: Any) -> str:
    if value is None:
        return "not_estimable"
    if spec.target is None:
        return "no_target"
    met = value >= spec.target if spec.better == "higher" else value <= spec.target
    return "met" if met else "not_met"


def _privacy_code(cell: dict, spec: Any, policy: PrivacyPolicy) -> str | None:
    """Why a cell may not be published: too few people, or too few with (or without) the trait
    a proportion or share counts (its value × n would give that small count)."""
    n, count = cell["n"], cell.get("count")
    if policy.is_small(n) or (spec.kind == "count" and policy.is_small(count)):
        return "small_cell"
    if spec.kind == "gap" and policy.is_small(cell.get("smallest")):
        return "small_cell"
    if spec.kind in ("proportion", "share") and count is not None:
        if policy.is_small(count) or policy.is_small(n - count):
            return "small_trait"
    return None


def _hidden_category(category: dict, code: str, min_cell: int) -> dict:
    return {"value": category["value"], **suppressed(code, min_cell, count=None, share=None)}


def publish_cell(cell: dict, spec: Any, policy: PrivacyPolicy | int) -> dict:
    """Apply the privacy rule to one cell and compute status and change from baseline."""
    policy = as_policy(policy)
    n = cell["n"]
    count = cell.get("count")
    out: dict[str, Any] = {}
    code = _privacy_code(cell, spec, policy)
    if code:
        return suppressed_cell(code, policy.min_cell)
    value = finite_or_none(cell["value"])
    out.update(
        value=value,
        ci_low=finite_or_none(cell["ci_low"]),
        ci_high=finite_or_none(cell["ci_high"]),
        n=int(n),
        status=_status(value, spec),
        suppressed=False,
    )
    if value is None:
        out["reason"] = problem("no_rows_with_value" if n == 0 else "value_not_computable")
    elif out["ci_low"] is None and spec.kind in ("mean", "median", "rate", "proportion"):
        out["ci_reason"] = problem("interval_too_few_rows" if n < 6 else "interval_no_variation")
    if count is not None and spec.kind in ("proportion", "count", "share"):
        out["count"] = int(count)
    if spec.baseline is not None and value is not None:
        out["change"] = value - spec.baseline
        out["change_relative"] = (value - spec.baseline) / spec.baseline if spec.baseline else None
    if "categories" in cell:
        out["categories"] = [
            {**c, "count": int(c["count"]), "suppressed": False} for c in cell["categories"]
        ]
    return out


def _parts(cell: dict, spec: Any) -> list[float]:
    """A cell's people split as the published figures split them: [with, without] the trait
    counted (proportion, count, share of values), else [n]."""
    n, count = float(cell["n"]), cell.get("count")
    if count is not None and spec.kind in ("proportion", "count", "share"):
        return [float(count), n - float(count)]
    return [n]


def protect_by_cells(
    spec: Any,
    overall: dict,
    cells: list[dict],
    published: list[dict],
    overall_shown: bool,
    policy: PrivacyPolicy,
    forced: Iterable[int] = (),
) -> None:
    """Hide, in place, the `by` cells that the overall value minus the shown cells would give
    back: the groups × [with, without] table with its margins goes through the one algorithm."""
    table = np.array([_parts(c, spec) for c in cells], dtype=float)
    if not len(cells):
        return
    rows, cols = table.shape
    hide = {g for g, c in enumerate(published) if c.get("suppressed")} | set(forced)
    for _ in range(len(cells) + 1):
        fixed = [(g, j) for g in hide for j in range(cols + 1)]
        if not overall_shown:
            fixed += [(rows, j) for j in range(cols + 1)]
        positions = protect_table(
            table, policy.threshold, row_totals=cols > 1, col_totals=True, forced=fixed
        )
        now = {i for i, _ in positions if i < rows} | hide
        if now == hide:
            break
        hide = now
    for g in sorted(hide):
        if not published[g].get("suppressed"):
            code = "nested_population" if g in set(forced) else "complement"
            keep = {"group": published[g]["group"]} if "group" in published[g] else {}
            published[g].clear()
            published[g].update(keep, **suppressed_cell(code, policy.min_cell))


def protect_categories(
    overall: dict,
    rows: list[dict],
    raw_overall: dict,
    raw_rows: list[dict],
    policy: PrivacyPolicy,
    forced: Iterable[tuple[int, int]] = (),
) -> None:
    """A share's distribution by group is a table whose row totals (each group's n) and column
    totals (the overall distribution) are published: the one algorithm hides its cells."""
    labels = [c["value"] for c in raw_overall["categories"]]
    if not labels:
        return
    if not rows:  # no groups: one row whose total (the overall n) is published
        counts = [c["count"] for c in raw_overall["categories"]]
        audited = {j for _, j in forced}
        hidden_line = protect_line(counts, policy.threshold, forced=audited)
        for j in sorted(hidden_line):
            code = "small_cell" if policy.is_small(counts[j]) else "complement"
            code = "nested_population" if j in audited else code
            overall["categories"][j] = _hidden_category(
                overall["categories"][j], code, policy.min_cell
            )
        return
    table = np.array([[c["count"] for c in raw["categories"]] for raw in raw_rows], dtype=float)
    table = table.reshape(len(raw_rows), len(labels))
    nrows = len(raw_rows)
    fixed = [
        (g, j)
        for g, row in enumerate(rows)
        if row.get("suppressed")
        for j in range(len(labels) + 1)
    ]
    if overall.get("suppressed"):
        fixed += [(nrows, j) for j in range(len(labels) + 1)]
    audited = set(forced)
    hidden = protect_table(table, policy.threshold, forced=fixed + sorted(audited))
    # The margins (j == len(labels): a group's n; i == nrows: the overall row) can be in
    # `hidden` too; only the category cells are marked below.
    primary = {
        (i, j)
        for i, j in hidden
        if j < len(labels) and policy.is_small(table[i, j] if i < nrows else table[:, j].sum())
    }
    for i, cell in enumerate([*rows, overall]):
        if cell.get("suppressed") or "categories" not in cell:
            continue
        cats = cell["categories"]
        for j in range(len(labels)):
            if (i, j) in hidden:
                code = "small_cell" if (i, j) in primary else "complement"
                code = "nested_population" if (i, j) in audited else code
                cats[j] = _hidden_category(cats[j], code, policy.min_cell)


def bootstrap_interval(
    spec: Any, frame: pd.DataFrame, reps: int, seed: int
) -> tuple[float, float] | None:
    """Percentile bootstrap of the overall value (optional; the analytic interval is the default)."""
    kind = QUANTITATIVE[spec.kind]
    rng = np.random.default_rng(seed)
    n = len(frame)
    if n < 2:
        return None
    draws = np.empty(reps)
    zeros = np.zeros(n, dtype=np.int64)
    for b in range(reps):
        sample = frame.iloc[rng.integers(0, n, n)]
        draws[b] = kind.cells(spec, sample, zeros, 1)[0]["value"]
    draws = draws[np.isfinite(draws)]
    if len(draws) < reps / 2:
        return None
    return float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))


def raw_quantitative(
    spec: Any,
    frame: pd.DataFrame,
    seed: int,
    grouping: tuple | None = None,
    stats: dict | None = None,
    *,
    overall_stats: dict | None = None,
) -> dict[str, Any]:
    """One indicator's raw cells (overall and `by` groups), before the privacy rule.

    `grouping` (codes, groups) may be passed when several indicators share the same rows and `by`;
    `stats`, the kind's statistics per group of `grouping` (one group without `by`), when an
    engine computed them (engines/base.py). Medians' overall value and bootstrap read `frame`,
    unless the engine gives the whole's statistics (`overall_stats`).
    """
    missing = [c for c in columns_used(spec) if c not in frame.columns]
    if missing:
        import difflib

        near = difflib.get_close_matches(missing[0], list(frame.columns), n=3)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        raise IndicatorError(f"unknown column {missing[0]!r}{hint}")
    kind = QUANTITATIVE[spec.kind]
    cells: list[dict] = []
    groups = None
    if spec.by:
        codes_all, groups = grouping if grouping is not None else group_codes(frame, spec.by)
        if stats is None:
            stats = kind.stats(spec, frame, codes_all, len(groups))
        cells = kind.finish(spec, stats)
    if spec.by and kind.additive:
        overall = kind.finish(spec, total_stats(stats))[0]
    elif not spec.by and stats is not None:
        overall = kind.finish(spec, stats)[0]
    elif overall_stats is not None:
        overall = kind.finish(spec, overall_stats)[0]
    else:
        overall = kind.cells(spec, frame, np.zeros(len(frame), dtype=np.int64), 1)[0]
    interval = None
    if spec.bootstrap and spec.kind in ("mean", "proportion", "median", "rate"):
        if finite_or_none(overall["value"]) is not None:
            interval = bootstrap_interval(spec, frame, spec.bootstrap, seed)
    return {
        "overall": overall,
        "cells": cells,
        "groups": groups,
        "interval": interval,
        "seed": seed,
    }


def publish_quantitative(
    spec: Any,
    raw: dict[str, Any],
    policy: PrivacyPolicy | int,
    *,
    forced_groups: Iterable[int] = (),
    hide_overall: bool = False,
    forced_categories: Iterable[tuple[int, int]] = (),
) -> dict[str, Any]:
    """The published result of one indicator: the privacy rule applied to its raw cells.

    `forced_groups`, `hide_overall` and `forced_categories` ((group or len(groups) for the
    overall, category)) are figures the disclosure audit withholds."""
    policy = as_policy(policy)
    overall, cells, groups = raw["overall"], raw["cells"], raw["groups"]
    published = publish_cell(overall, spec, policy)
    if hide_overall and not published.get("suppressed"):
        published = suppressed_cell("nested_population", policy.min_cell)
    result: dict[str, Any] = {"kind": spec.kind, **published}
    result["ci_method"] = overall["ci_method"]
    interval, seed = raw["interval"], raw["seed"]
    if interval and result.get("value") is not None:
        result["ci_low"], result["ci_high"] = interval
        result["ci_method"] = f"percentile bootstrap ({spec.bootstrap} draws, seed {seed})"
    result.update(target=spec.target, baseline=spec.baseline, better=spec.better, unit=spec.unit)
    if not spec.by:
        result["by"] = []
        if result.get("categories"):
            protect_categories(result, [], overall, [], policy, forced_categories)
        return result
    by_cells = []
    for cell, values in zip(cells, group_values(groups, list(spec.by))):
        by_cells.append({"group": dict(values), **publish_cell(cell, spec, policy)})
    protect_by_cells(
        spec, overall, cells, by_cells, not result.get("suppressed"), policy, forced_groups
    )
    if spec.kind == "share" and "categories" in overall:
        protect_categories(result, by_cells, overall, cells, policy, forced_categories)
    result["by"] = by_cells
    return result


def compute_quantitative(
    spec: Any,
    frame: pd.DataFrame,
    min_cell: PrivacyPolicy | int,
    seed: int,
    grouping: tuple | None = None,
) -> dict[str, Any]:
    """One indicator's published result: overall cell, `by` cells, and its declaration echoed."""
    return publish_quantitative(spec, raw_quantitative(spec, frame, seed, grouping), min_cell)


def row_support(spec: Any, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which rows each published figure of an indicator counts (for the disclosure audit):
    `valid` (the rows behind n), `trait` (those with the characteristic a proportion, count or
    share of values counts) and `category` (a share's category codes, −1 when missing)."""
    kind = spec.kind
    out: dict[str, np.ndarray] = {}
    if kind in ("mean", "sum", "median", "gini", "theil", "atkinson"):
        out["valid"] = ~np.isnan(_numeric(frame, spec.args).to_numpy())
    elif kind == "gap":  # the people of the two compared groups with a value
        in_groups = frame[spec.between].astype(str).isin([str(g) for g in spec.groups])
        out["valid"] = ~np.isnan(_numeric(frame, spec.gap).to_numpy()) & in_groups.to_numpy()
    elif kind == "rate":
        num, den = spec.rate
        out["valid"] = ~(
            np.isnan(_numeric(frame, num).to_numpy()) | np.isnan(_numeric(frame, den).to_numpy())
        )
    elif kind == "proportion":
        values, valid = _condition(frame, spec.proportion)
        out["valid"] = valid.to_numpy(dtype=bool)
        out["trait"] = out["valid"] & (values.to_numpy() > 0)
    elif kind == "count":
        out["valid"] = np.ones(len(frame), dtype=bool)
        if not (spec.count is True or spec.count in (None, "", "rows")):
            values, valid = _condition(frame, str(spec.count))
            out["trait"] = valid.to_numpy(dtype=bool) & (values.to_numpy() > 0)
    elif kind == "share":
        from evalsoc.sections.indicators.share_codes import share_codes

        codes = share_codes(frame, spec.share, factorize_column, MISSING_GROUP)
        out.update(_share_support(spec, *codes))
    return out


def _share_support(spec: Any, codes: np.ndarray, values: list[Any]) -> dict[str, np.ndarray]:
    """A share's rows with a value, their category's position in the published order (−1 when
    missing) and the rows in its selected categories, from the column's sorted codes. When the
    published order is the codes' own (sorted labels read as numbers keep their order) and
    nothing is missing, the positions are the codes themselves; a few selected codes are
    compared rather than looked up (each lookup: ≈ 5 ms per 10^6 rows)."""
    labels = [_category_text(v) for v in values]
    missing = bool(values) and values[-1] == MISSING_GROUP
    if missing:
        codes = np.where(codes == len(values) - 1, -1, codes)
        labels = labels[:-1]
    order = sorted(range(len(labels)), key=lambda i: _natural(labels[i]))
    out: dict[str, np.ndarray] = {}
    if missing:
        out["valid"] = codes >= 0
        position = np.full(len(labels) + 1, -1, dtype=np.int64)
        position[order] = np.arange(len(order))
        out["category"] = np.where(codes >= 0, position[codes], -1)
    else:
        out["valid"] = np.ones(len(codes), dtype=bool)
        if order == list(range(len(labels))):
            out["category"] = codes
        else:
            out["category"] = np.asarray(order, dtype=np.int64).argsort()[codes]
    selected = {str(v) for v in (spec.values or [])}
    if selected:
        chosen_codes = [i for i, lab in enumerate(labels) if lab in selected]
        if len(chosen_codes) <= 3:
            trait = np.zeros(len(codes), dtype=bool)
            for i in chosen_codes:
                trait |= codes == i
            out["trait"] = trait
        else:
            chosen = np.zeros(len(labels) + 1, dtype=bool)  # last slot: code −1, missing
            chosen[chosen_codes] = True
            out["trait"] = chosen[codes]  # a lookup: np.isin took 18 ms per 10^6 rows
    return out
