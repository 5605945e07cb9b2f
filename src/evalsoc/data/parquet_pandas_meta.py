"""What a Parquet file written by pandas asks pandas to restore (its `pandas` schema metadata).

The engines' own intakes (DuckDB, Spark) read the stored columns; `pd.read_parquet` also applies
this metadata. Where it would change a cell's text (a stored index, categories, dates), the
engine intake cannot match the pandas intake and leaves the file to it.
"""

from __future__ import annotations

from typing import Any

_PLAIN = frozenset({"object", "str", "string", "unicode", "bytes", "int64", "float64"})
_NULLABLE_INTEGERS = ("Int64", "Int32", "Int16", "Int8")


def pandas_restores(path: Any, also_plain: frozenset[str] = frozenset()) -> set[str] | str:
    """The columns pandas restores as nullable integers; a reason when it restores a type
    outside the plain ones (and `also_plain`, the types an engine prints as pandas does)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).pandas_metadata
    if not meta:
        return set()
    if any(isinstance(index, str) for index in meta.get("index_columns", [])):
        return "a Parquet file with a stored pandas index"
    nullable = set()
    for column in meta.get("columns", []):
        numpy_type = str(column.get("numpy_type"))
        if numpy_type in _NULLABLE_INTEGERS:
            nullable.add(str(column.get("name")))
        elif numpy_type not in _PLAIN and numpy_type not in also_plain:
            return f"a Parquet column pandas restores as {numpy_type}"
    return nullable
