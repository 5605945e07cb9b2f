"""The rows of a validated source that are kept, without pandas' per-block take (issue 16).

`frame.loc[keep]` takes every column through pandas' general indexing: 0.25–0.3 s CPU for the
20 columns of 10^6 rows, where compressing each column's array by the mask (numpy for numpy
columns, the extension array's own boolean indexing for nullable and Arrow ones) takes about a
third of it. The frame is the same: columns, dtypes, values and row labels. A large frame's
columns are compressed on threads (data/column_threads.py: numpy's and Arrow's filters release
the GIL), in the frame's order.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def kept_rows(frame: Any, keep: np.ndarray) -> Any:
    """`frame.loc[keep]` for a boolean numpy mask, column by column."""
    import pandas as pd

    if not frame.columns.is_unique or isinstance(frame.columns, pd.MultiIndex):
        return frame.loc[keep]  # a column name twice cannot go through a dict
    from evalsoc.data.column_threads import per_column

    names = list(frame.columns)
    kept = per_column(
        lambda series: _kept_values(series, keep), [frame[n] for n in names], len(frame)
    )
    out = pd.DataFrame(dict(zip(names, kept)), index=frame.index[keep], copy=False)
    out.columns = frame.columns  # the same Index (its dtype and name), not one rebuilt
    return out


def _kept_values(series: Any, keep: np.ndarray) -> Any:
    """The column's array compressed by the mask (numpy's, or the extension array's own)."""
    if isinstance(series.dtype, np.dtype):
        return series.to_numpy()[keep]
    from evalsoc.data.text_codes import follow_rows

    values = series.array[keep]
    follow_rows(series.array, values, keep)  # dictionary codes, if any
    return values
