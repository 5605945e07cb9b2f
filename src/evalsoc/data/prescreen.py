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
    from evalsoc.data.column_threads import per_column

    key = list(source.key or [])
    declared = [(name, frame[name], spec) for name, spec in source.columns.items()]
    # Each column's pass (isna, min, max: numpy releases the GIL) on threads for a large frame.
    may_fail = per_column(
        lambda item: _may_fail(item[1], item[2], key == [item[0]]), declared, len(frame)
    )
    suspects = {name for (name, _, _), fails in zip(declared, may_fail) if fails}
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
