"""Sorted integer codes of a source's text column, factorized once per run for every section.

Capabilities (persons as their own PSUs across waves) and effects (person fixed effects,
distinct people per group) each need the person ids as integer codes. Factorizing a million
Arrow texts costs ~0.4 s a pass and the demo made ten such passes (two per capability set,
four per DiD effect). Here the whole source column is factorized once, sorted as
`pd.factorize(sort=True)` sorts texts (code point order, as Python sorts `str`); the codes of a
subset of rows are the whole's codes at those rows: they keep the sorted order of the values,
so a section that ranks them densely gets the codes the subset's own sorted factorize gives.

Only text (`str` dtype) columns are shared: a text is its own label, so its order is the one
every caller sorts by (integers or categories sort otherwise: callers keep their own path).
Validated source frames are not modified after intake, so a column's codes stay valid for the
run; the cache holds each frame weakly and checks the column's length and identity.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd

# (id of the source frame, column) → (weak reference to the frame, the column's array, codes)
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Any], Any, np.ndarray]] = {}


def shared_text_codes(source: Any, column: str, values: pd.Series) -> np.ndarray | None:
    """Codes of `values` (`column` of some rows of `source`, by index label), ranking the
    column's texts in sorted order over the whole source, −1 for a missing value; None when the
    column is not text or `values` are not those of `source` at their labels (the caller then
    factorizes itself): the texts are compared, so a frame re-indexed by an engine is refused."""
    if not isinstance(source, pd.DataFrame) or column not in source.columns:
        return None
    series = source[column]
    if not isinstance(series.dtype, pd.StringDtype) or series.dtype != values.dtype:
        return None
    positions = _positions(source.index, values.index)
    if positions is None or not series.array.take(positions).equals(values.array):
        return None
    return np.asarray(_whole_codes(source, column, series)[positions], dtype=np.int64)


def dense_distinct(codes: np.ndarray) -> int:
    """Distinct non-negative codes in `codes` (a count, not a sort)."""
    present = codes[codes >= 0]
    if present.size == 0:
        return 0
    return int(np.count_nonzero(np.bincount(present)))


def _whole_codes(source: pd.DataFrame, column: str, series: pd.Series) -> np.ndarray:
    key = (id(source), column)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is source and hit[1] is series.array:
        return hit[2]
    for stale in [k for k, (ref, _, _) in _CACHE.items() if ref() is None]:
        del _CACHE[stale]
    from evalsoc.data.text_codes import codes_of, sorted_codes

    coded = codes_of(series.array)  # codes the column already has (data/text_codes.py)
    if coded is not None:
        codes = sorted_codes(coded)[0]
    else:
        codes = pd.factorize(series, sort=True, use_na_sentinel=True)[0]
    codes = np.asarray(codes, dtype=np.int64)
    _CACHE[key] = (weakref.ref(source), series.array, codes)
    return codes


def _positions(index: pd.Index, rows: pd.Index) -> np.ndarray | None:
    """Positions in `index` of the labels `rows`; None when one is not there."""
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        if rows.dtype.kind not in "iu":
            return None
        positions = np.asarray(rows.to_numpy(dtype=np.int64), dtype=np.int64)
        if positions.size and (positions.min() < 0 or positions.max() >= len(index)):
            return None
        return positions
    if not index.is_unique:
        return None
    if index.dtype.kind in "iu" and rows.dtype.kind in "iu" and index.is_monotonic_increasing:
        # Rows left by the quarantine: sorted labels with gaps; a binary search, not a hash.
        labels = index.to_numpy()
        wanted = rows.to_numpy()
        positions = np.minimum(np.searchsorted(labels, wanted), max(len(labels) - 1, 0))
        if len(labels) == 0 or not np.array_equal(labels[positions], wanted):
            return None
        return np.asarray(positions, dtype=np.int64)
    found = np.asarray(index.get_indexer(rows), dtype=np.int64)
    return None if (found < 0).any() else found
