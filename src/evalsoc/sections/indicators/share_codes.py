"""A share's category codes: by counting when the column holds a few whole numbers (issue 16).

A share of a Likert item (answers 1..5 held as float64) needs each row's category code in the
sorted order of the values. `pd.factorize(sort=True)` hashes every cell (≈ 25 ms per 10^6
rows); when the values are whole numbers in a short range, the value minus the smallest one is
already a sorted code, and a count of each offset says which values occur (≈ 9 ms). The codes
and the values' labels are those `factorize_column` gives: the same numbers, in the same order,
missing values as one more code at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

Codes = tuple[np.ndarray, list[Any]]

SPAN = 4096  # whole numbers from the smallest to the largest: at most this many offsets


def whole_number_codes(series: pd.Series, missing_label: str) -> Codes | None:
    """(codes, values) as `factorize_column(series)` gives them (`missing_label` last when a
    value is missing), or None when the column is not numpy float64 or integers, or its values
    are not whole numbers within `SPAN`."""
    dtype = series.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in "fiu":
        return None
    if (dtype.kind == "f" and dtype != np.float64) or (dtype.kind == "u" and dtype.itemsize == 8):
        return None  # float32 labels print otherwise; uint64 may not fit int64
    values = series.to_numpy()
    if values.size == 0:
        return None
    missing = None
    present = values
    low, high = values.min(), values.max()  # NaN when a value is missing
    if dtype.kind == "f" and (np.isnan(low) or np.isnan(high)):
        missing = np.isnan(values)
        present = values[~missing]
        if present.size == 0:
            return None
        low, high = present.min(), present.max()
    if dtype.kind == "f" and not (np.isfinite(low) and np.isfinite(high)):
        return None
    if float(high) - float(low) >= SPAN:
        return None
    if dtype.kind == "f":
        differences = present - low
        offsets = differences.astype(np.int64)
        if not (offsets == differences).all():
            return None  # not whole numbers (0.5 would be cut to 0)
    else:  # in int64 first: int8 values −100 and 100 are 200 apart
        offsets = present.astype(np.int64) - np.int64(low)
    counts = np.bincount(offsets, minlength=int(high) - int(low) + 1)
    used = np.flatnonzero(counts)
    found = [(low + u).item() for u in used]  # Python numbers, as factorize_column's `.item()`
    if len(used) < len(counts):  # values absent between the smallest and the largest
        dense = np.full(len(counts), -1, dtype=np.int64)
        dense[used] = np.arange(len(used))
        offsets = dense[offsets]
    if missing is None:
        return offsets, found
    codes = np.full(len(values), len(found), dtype=np.int64)
    codes[~missing] = offsets
    found.append(missing_label)
    return codes, found


def share_codes(
    frame: pd.DataFrame, column: str, factorize: Callable[[pd.Series], Codes], missing_label: str
) -> Codes:
    """A share's codes and values, once per frame (reuse.py): its statistics and its rows for
    the disclosure audit both read them. `factorize` (compute.py's `factorize_column`, passed
    in: no import circle) codes any other column."""
    from evalsoc.sections.indicators.reuse import once_per

    def find() -> Codes:
        found = whole_number_codes(frame[column], missing_label)
        return found if found is not None else factorize(frame[column])

    return once_per(frame, ("share codes", column), find)
