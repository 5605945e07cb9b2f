"""Which declared checks could fail, found by one cheap pass per column, so that pandera runs
only those (issue 16).

pandera costs 9 ms for a passing `min`/`max` pair and 25 ms for a passing `values` check of
text per 10^6 rows, and its key-uniqueness check 60 ms: most columns of a large file pass. A
column's minimum and maximum, its distinct values, or a count of the key's values decide that
a check cannot fail; when they cannot decide (another dtype, missing values in a column that
may not have any, a key that is not a compact range of whole numbers), pandera checks the
column as before. The checks pandera runs are the same as before, so the failures, and hence
the quarantine, are the same: a column is left out only when none of its checks can fail.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def columns_to_check(source: Any, frame: Any) -> tuple[set[str], bool]:
    """(declared columns one of whose checks may fail, whether the key may repeat)."""
    key = list(source.key or [])
    suspects = {
        name for name, spec in source.columns.items() if _may_fail(frame[name], spec, key == [name])
    }
    return suspects, bool(key) and _key_may_repeat(frame, key)


def _may_fail(series: Any, spec: Any, is_key: bool) -> bool:
    """False only when none of the column's checks (validate.build_schema) can fail."""
    import pandas as pd

    if spec.unique and not is_key:  # its own uniqueness pass (a one-column key's is the key's)
        return True
    if not spec.nullable and bool(series.isna().any()):
        return True
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    if spec.min is not None or spec.max is not None:
        if not numeric:
            return True
        low, high = _range(series)  # missing values skipped, as pandera's checks do
        if not (pd.isna(low) or pd.isna(high)):
            if spec.min is not None and not low >= spec.min:
                return True
            if spec.max is not None and not high <= spec.max:
                return True
    # `values` is a check for these types only (validate._value_check).
    if spec.values is None or spec.type not in (
        "category",
        "ordinal",
        "string",
        "text",
        "integer",
        "number",
    ):
        return False
    if spec.type in ("integer", "number"):
        if not numeric:
            return True
        allowed_numbers = {float(v) for v in spec.values}
        if pd.api.types.is_integer_dtype(series.dtype):
            low, high = _range(series)  # waves 0/1: every whole number between is allowed
            if pd.isna(low) or (
                high - low < 1000 and set(range(int(low), int(high) + 1)) <= allowed_numbers
            ):
                return False
        # Exact membership: a whole number that no float holds is left to pandera.
        return any(v not in allowed_numbers for v in pd.unique(series) if not pd.isna(v))
    if not (pd.api.types.is_string_dtype(series.dtype) and series.dtype != object):
        return True
    from evalsoc.data.convert import distinct_text

    allowed = {str(v) for v in spec.values}
    return any(v not in allowed for v in distinct_text(series) if not pd.isna(v))


def _range(series: Any) -> tuple[Any, Any]:
    """(smallest, largest) value, missing values skipped (both missing when none is present):
    a float column by numpy's min and max (0.3 ms instead of pandas' 2.7 ms per 10^6 values),
    which return NaN when a value is missing; then, or for another dtype, by pandas."""
    if series.dtype == np.float64 and len(series):
        array = series.to_numpy()
        low, high = array.min(), array.max()
        if not (np.isnan(low) or np.isnan(high)):
            return low, high
    return series.min(), series.max()


def _key_may_repeat(frame: Any, key: list[str]) -> bool:
    """False when a one-column key of whole numbers in a compact range holds each value once
    (one count per value of the range: 5 ms for 10^6 rows, pandera's hash check 60 ms);
    True otherwise, and pandera checks it."""
    import pandas as pd

    if len(key) != 1:
        return True
    column = frame[key[0]]
    if not pd.api.types.is_integer_dtype(column.dtype) or bool(column.isna().any()):
        return True
    values = column.to_numpy(dtype=np.int64)
    if not len(values):
        return False
    low, high = int(values.min()), int(values.max())
    if high - low >= 4 * len(values):  # sparse identifiers
        return True
    return bool(np.bincount(values - low).max() > 1)


def rows_to_check(
    source: Any, frame: Any, suspects: set[str], key_may_repeat: bool
) -> np.ndarray | None:
    """Positions of the rows where a check of a suspect column may fail, or None when one of
    the checks compares rows with each other (a uniqueness check) and pandera needs them all.

    Every other check is cell by cell (missing value, min, max, declared values; pandera
    skips missing cells in the last three), so pandera on these rows finds exactly the
    failures it finds on the whole frame: 10^6 rows with two columns failing in 0.1 % of
    them, 86 → ≈ 15 ms of CPU (issue 16). The rows are found by the same pandas comparisons
    pandera makes, or by a text column's codes (data/text_codes.py), never fewer."""
    if key_may_repeat:
        return None
    key = list(source.key or [])
    may = np.zeros(len(frame), dtype=bool)
    for name in suspects:
        spec = source.columns[name]
        if spec.unique and key != [name]:
            return None
        found = _cells_that_may_fail(frame[name], spec)
        if found is None:
            return None
        may |= found
    return np.flatnonzero(may)


def _cells_that_may_fail(series: Any, spec: Any) -> np.ndarray | None:
    """Cells failing one of the column's checks (validate.build_schema), or None when this
    screen does not know the check's dtype (pandera then checks every row)."""
    import pandas as pd

    present: np.ndarray = series.notna().to_numpy(dtype=bool)
    may: np.ndarray = ~present if not spec.nullable else np.zeros(len(series), dtype=bool)
    numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    for bound, passes in ((spec.min, series.__ge__), (spec.max, series.__le__)):
        if bound is not None:
            if not numeric:
                return None
            may |= present & ~passes(bound).to_numpy(dtype=bool, na_value=True)
    if spec.values is None or spec.type not in _VALUE_TYPES:
        return may
    if spec.type in ("integer", "number"):
        if not numeric:
            return None
        allowed = [float(v) for v in spec.values]
        outside: np.ndarray = np.logical_or(
            may, present & ~series.isin(allowed).to_numpy(dtype=bool)
        )
        return outside
    from evalsoc.data.text_codes import codes_of

    coded = codes_of(series.array)
    if coded is None:
        return None
    allowed_text = {str(v) for v in spec.values}
    table = np.array([v not in allowed_text for v in coded.values] + [False])  # −1: missing
    unknown: np.ndarray = np.logical_or(may, table[coded.indices])
    return unknown


_VALUE_TYPES = ("category", "ordinal", "string", "text", "integer", "number")
