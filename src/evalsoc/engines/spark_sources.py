"""A validated source that stays in Spark (data/spark_intake.py): a small handle standing where
a pandas DataFrame would, so that a register larger than the driver's memory never reaches it.

The Spark engine (engines/spark.py) reads its DataFrame directly: `_row`, the row's position
among the clean rows (0..n-1, in file order, as the engine's masks and group codes count
them), `_file_row`, its position in the file (the pandas intake's row label), then one
positional column per source column (`c0`, `c1`...), typed as engines/spark.py's
`spark_table` types a pandas frame (numbers, booleans, text, dates as nanoseconds).

What the rest of the pipeline asks of a source is answered without collecting rows: its
length, columns and dtypes (the pandas intake's own dtypes), and a column's *type*:
`table[name]` is an empty Series of that dtype (the `where` compiler and the group ordering
read only `.dtype`). Rows reach memory only through `to_pandas` (the engine's `rows`: the
columns and rows a section asked for) and `head`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ROW = "_row"  # the position among the clean rows (what the engine's masks index)
FILE_ROW = "_file_row"  # the position in the file (the pandas intake's row label)


@dataclass
class SparkTable:
    data: Any  # the Spark DataFrame: _row, _file_row, c0, c1...
    spark_columns: dict[str, Any]  # column → SparkColumn (positional name and kind)
    dtype_of: dict[str, Any]  # column → the pandas dtype the pandas intake gives it
    length: int

    def __len__(self) -> int:
        return self.length

    @property
    def columns(self) -> Any:
        import pandas as pd

        return pd.Index(list(self.dtype_of), dtype=object)

    @property
    def dtypes(self) -> Any:
        import pandas as pd

        return pd.Series(self.dtype_of, dtype=object)

    def __getitem__(self, key: Any) -> Any:
        """A column's type as an empty Series of its dtype (never its rows: see the module
        docstring); a list of columns as an empty frame."""
        import pandas as pd

        if isinstance(key, str):
            return pd.Series([], dtype=self.dtype_of[key], name=key)
        return pd.DataFrame({k: pd.Series([], dtype=self.dtype_of[k]) for k in key})

    def to_pandas(
        self, columns: Sequence[str] | None = None, condition: Any = None, limit: int | None = None
    ) -> Any:
        """The rows meeting `condition` (a Spark Column), in file order, labelled by their
        row in the file, with the pandas intake's dtypes."""
        import pandas as pd
        import pyarrow as pa

        names = list(self.dtype_of if columns is None else columns)
        selected = self.data if condition is None else self.data.filter(condition)
        positional = [self.spark_columns[n].name for n in names]
        selected = selected.select(ROW, FILE_ROW, *positional).orderBy(ROW)
        if limit is not None:
            selected = selected.limit(int(limit))
        arrow = selected.toArrow()
        frame = pd.DataFrame(index=arrow.column(FILE_ROW).to_numpy())
        for name, column in zip(names, positional, strict=True):
            values = arrow.column(column)
            frame[name] = _as_pandas(values, self.dtype_of[name], pa, pd)
        return frame

    def head(self, n: int = 5) -> Any:
        return self.to_pandas(limit=n)


def _as_pandas(values: Any, dtype: Any, pa: Any, pd: Any) -> Any:
    """An Arrow column collected from Spark as the pandas intake's dtype holds it."""
    import numpy as np

    if pd.api.types.is_datetime64_any_dtype(dtype):  # nanoseconds since 1970 (spark_table)
        stamps = pd.to_datetime(pd.Series(values.to_pandas(), dtype="Int64"), unit="ns")
        return stamps.astype(dtype).to_numpy()
    if str(dtype) == "Int64":
        numbers = values.cast(pa.int64())
        filled = numbers.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        missing = numbers.is_null().to_numpy(zero_copy_only=False)
        return pd.arrays.IntegerArray(filled, missing)
    if str(dtype) == "boolean":
        flags = values.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        return pd.arrays.BooleanArray(flags, values.is_null().to_numpy(zero_copy_only=False))
    series = values.to_pandas()
    if isinstance(dtype, np.dtype):
        return series.astype(dtype).to_numpy()
    return series.astype(dtype).array  # an array: no alignment on the Series' own labels


def is_spark_table(frame: Any) -> bool:
    return isinstance(frame, SparkTable)
