"""Percentages (`unit: percent`): « 45 % », "80%", "12,5" and 45 are all percentage points and
are stored as proportions (0.45, 0.80, 0.125), the scale of every proportion evalsoc reports.
A spreadsheet cell formatted as a percentage already holds the proportion (0.45): declare such
a column without `unit: percent`."""

from __future__ import annotations

from typing import Any


def _parse(text: str) -> float | None:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").rstrip("%")
    cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned) / 100.0
    except ValueError:
        return None


def percent_to_proportion(series: Any) -> Any:
    """Numbers divided by 100; text that is not a percentage is left for the failure report."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64") / 100.0
    uniques = pd.unique(series.dropna())
    mapping: dict[Any, Any] = {}
    for u in uniques:
        if isinstance(u, (int, float)) and not isinstance(u, bool):
            mapping[u] = float(u) / 100.0
        elif isinstance(u, str):
            value = _parse(u)
            mapping[u] = value if value is not None else u
        else:
            mapping[u] = u
    if all(isinstance(v, float) for v in mapping.values()):
        return series.map(mapping).astype("float64")
    # Some text is not a percentage: keep it for the failure report, and write the parsed
    # values in exponent form, which no decimal-comma or thousands rule can misread.
    as_text = {k: (f"{v:.17e}" if isinstance(v, float) else v) for k, v in mapping.items()}
    return series.map(as_text).astype(object).where(series.notna())
