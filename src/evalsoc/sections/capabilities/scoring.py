"""Scoring a capability set's dimensions from the data: items, reverse coding, cutoffs or
conditions, the missing-value policy, and the labels of groups and waves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.framework.expressions import parse_expression
from evalsoc.sections.capabilities.identification import _codes
from evalsoc.sections.common import NotEstimable

SECTION = "capabilities"


MISSING_LABEL = "(missing)"


def _column_spec(ctx: Any, source: str, column: str) -> Any:
    framework = getattr(ctx, "framework", None)
    data = getattr(framework, "data", None) or {}
    declared = data.get(source)
    return None if declared is None else declared.columns.get(column)


def _numeric_item(
    series: pd.Series, declared: Any
) -> tuple[np.ndarray, tuple[float, float] | None]:
    """Item values as floats (NaN when missing) and the declared scale's (min, max) if known."""
    levels = getattr(declared, "levels", None)
    values = getattr(declared, "values", None)
    ordered = levels if isinstance(levels, list) else values
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan), (0.0, 1.0)
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if isinstance(levels, int):
            return x, (1.0, float(levels))
        if ordered and all(isinstance(v, (int, float)) for v in ordered):
            return x, (float(min(ordered)), float(max(ordered)))
        return x, None
    if ordered:
        position = {str(v): i + 1.0 for i, v in enumerate(ordered)}
        x = series.astype(object).map(
            lambda v: position.get(str(v), np.nan) if pd.notna(v) else np.nan
        )
        return x.to_numpy(dtype=float), (1.0, float(len(ordered)))
    if isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered:
        codes = series.cat.codes.to_numpy().astype(float)
        codes[codes < 0] = np.nan
        return codes + 1.0, (1.0, float(len(series.dtype.categories)))
    x = pd.to_numeric(series, errors="coerce")
    if x.notna().sum() < series.notna().sum():
        raise NotEstimable("item_not_numeric", item=repr(series.name))
    return x.to_numpy(dtype=float, na_value=np.nan), None


def _score_dimension(dim: Any, frame: pd.DataFrame, spec: Any, ctx: Any) -> dict[str, Any]:
    """Deprived (bool), missing (bool), normalised gap (or None), items matrix for reliability."""
    n = len(frame)
    if dim.deprived is not None:
        expression = parse_expression(dim.deprived)
        expression.check_columns(frame.columns)
        deprived = expression.evaluate(frame).to_numpy(dtype=bool)
        watched = dim.items or expression.columns
        missing = frame[watched].isna().any(axis=1).to_numpy() if watched else np.zeros(n, bool)
        return {"deprived": deprived & ~missing, "missing": missing, "gap": None, "items": None}
    columns = []
    for item in dim.items:
        x, scale = _numeric_item(frame[item], _column_spec(ctx, spec.data, item))
        if item in dim.reverse:
            if scale is None and spec.likert_levels:
                scale = (1.0, float(spec.likert_levels))
            if scale is None:
                observed = x[~np.isnan(x)]
                scale = (float(observed.min()), float(observed.max())) if observed.size else (0, 0)
                low, high = (f"{v:g}".replace(".", ",") for v in scale)
                ctx.warn(
                    SECTION,
                    spec.id,
                    {
                        "fr": f"l'item « {item} » est inversé d'après les valeurs observées (de "
                        f"{low} à {high}) : déclarez ses niveaux de Likert (ou `likert_levels`) "
                        "pour en être sûr",
                        "en": f"item {item!r} is reverse-coded on its observed range {scale}: "
                        "declare its likert levels (or `likert_levels`) to be sure",
                    },
                )
            x = scale[0] + scale[1] - x
        columns.append(x)
    items = np.column_stack(columns)
    missing = np.isnan(items).any(axis=1)
    score = items.sum(axis=1) if dim.combine == "sum" else items.mean(axis=1)
    deprived = np.where(missing, False, score < dim.cutoff)
    gap = None
    if dim.cutoff > 0:
        gap = np.where(deprived, (dim.cutoff - np.nan_to_num(score)) / dim.cutoff, 0.0)
        gap = np.clip(gap, 0.0, None)
    return {"deprived": deprived, "missing": missing, "gap": gap, "items": items}


def _label_text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING_LABEL
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (np.floating,)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _labels(series: pd.Series) -> np.ndarray:
    """Each row's label text: the text of each distinct value, computed once and spread back
    by its factorize code (a million rows hold a handful of sites and waves)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = [
        v if type(v) is str else _label_text(v)  # a text is its own label: skip the call
        for v in pd.Series(uniques).astype(object).tolist()
    ]
    return np.asarray([*texts, MISSING_LABEL], dtype=object)[codes]


def _coded_labels(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """`identification._codes(_labels(series))` without the million label texts: each row's
    code ranking its label text among the distinct texts present, and those texts sorted (the
    engine's codes and `label_values`). Two values sharing a text share a code."""
    if len(series) == 0:
        return _codes(_labels(series))
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = [
        v if type(v) is str else _label_text(v) for v in pd.Series(uniques).astype(object).tolist()
    ]
    values = np.asarray([*texts, MISSING_LABEL], dtype=object)
    codes = np.where(codes < 0, len(uniques), codes)  # a missing value: the last text
    present = np.zeros(len(values), dtype=bool)
    present[np.flatnonzero(np.bincount(codes, minlength=len(values)))] = True
    distinct = np.asarray(sorted(set(values[present].tolist())), dtype=object)
    order = np.argsort(distinct, kind="stable")  # already sorted: as _codes ranks them
    rank_of_text = {text: i for i, text in enumerate(distinct[order].tolist())}
    rank = np.asarray([rank_of_text.get(text, -1) for text in values.tolist()], dtype=np.int64)
    return rank[codes], distinct[order]


def _label_codes(series: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes ranking each row's label text (as `_labels` writes it) in sorted order, and
    the number of distinct values (missing counted once): what the engine needs of PSU labels,
    without building and re-factorizing a million texts."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = [
        v if type(v) is str else _label_text(v) for v in pd.Series(uniques).astype(object).tolist()
    ]
    values = np.asarray([*texts, MISSING_LABEL], dtype=object)
    order = np.argsort(values, kind="stable")  # as identification._codes: fast on sorted ids
    ordered = values[order]
    new_text = np.ones(len(values), dtype=np.int64)
    new_text[0] = 0
    new_text[1:] = ordered[1:] != ordered[:-1]  # two values may share a text
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.cumsum(new_text)
    distinct = len(uniques) + int(bool((codes < 0).any()))
    return rank[codes], distinct


def _sort_labels(values: list[str]) -> list[str]:
    def key(text: str) -> tuple[int, float, str]:
        try:
            return (0, float(text), text)
        except ValueError:
            return (1, 0.0, text)

    return sorted(values, key=key)


def _year_of(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise NotEstimable("date_unreadable", value=repr(value)) from None
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _needed_columns(spec: Any) -> list[str]:
    names: list[str] = []
    for dim in spec.dimensions:
        names += dim.items
        if dim.deprived is not None:
            names += parse_expression(dim.deprived).columns
    names += list(spec.by)
    for extra in (spec.time, spec.weight, spec.cluster, spec.strata, spec.unit):
        if extra:
            names.append(extra)
    if spec.parity is not None:
        names.append(spec.parity.by)
    return list(dict.fromkeys(names))
