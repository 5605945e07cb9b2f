"""Dictionary codes of category-like text columns, found once and kept beside the column
(issue 16).

A column's codes (one int32 per row into its few distinct spellings) come from a Parquet
file's own dictionary (data/parquet_file.py, no hashing), or from the first step that needs
a CSV column's distinct values (`codes_for`: one `dictionary_encode` pass, which the check of
a category's declared values makes). Pandas keeps plain text (the `str` dtype every section,
`where`, the audit and the quarantine writer read, so results are unchanged); the codes are
registered against the Arrow data of that column, and the steps that used to hash it again
reuse them: boolean conversion and `by_distinct` (each spelling converted once, then taken by
code), the distinct values the checks look at, the rows kept after the quarantine, and the
sorted group codes of `by` columns (`sorted_codes`, the codes and labels
`pd.factorize(sort=True)` gives).

Parsing CSV columns as Arrow dictionaries was measured and dropped: the parser then hashes
every cell itself (+0.2-0.3 s of CPU for 7 columns of 10^6 rows), and decoding back to text
costs more (benchmarks/results.md, "Round 7 — pandas data layout").

An entry is held weakly by the Arrow data and checked by identity, so it never outlives or
mislabels a column: data without codes simply take the hashing path.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class TextCodes:
    """`values[indices[i]]` is row i's text; −1 marks a missing cell. `values` may hold
    spellings no row uses (a dictionary is per file, a column may be a subset of rows)."""

    indices: np.ndarray  # int32, one per row
    values: list[str]
    dictionary: Any  # the same values as a pa.Array (sorted by Arrow, in C)


# id(Arrow data) → (weak reference to that pa.ChunkedArray, codes). Keyed by the Arrow data a
# pandas array wraps, not by the wrapper: `reset_index` and other shallow copies make a new
# wrapper of the same data (same codes), while assigning a cell makes new data (no codes).
_REGISTRY: dict[int, tuple[weakref.ref[Any], TextCodes]] = {}
_REGISTRY_LOCK = threading.Lock()  # columns are converted on threads (data/column_threads.py)


def _arrow_text(array: Any) -> Any:
    """The pa.ChunkedArray of strings a pandas Arrow-backed text array holds, or None."""
    import pyarrow as pa

    data = getattr(array, "_pa_array", None)
    if not isinstance(data, pa.ChunkedArray):
        return None
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return None
    return data


def register(array: Any, codes: TextCodes) -> None:
    """Attach `codes` to the Arrow text a pandas array (a column's `.array`) holds."""
    data = _arrow_text(array)
    if data is None or len(data) != len(codes.indices):
        return
    with _REGISTRY_LOCK:
        for dead in [k for k, (ref, _) in _REGISTRY.items() if ref() is None]:
            del _REGISTRY[dead]
        _REGISTRY[id(data)] = (weakref.ref(data), codes)


def codes_of(array: Any) -> TextCodes | None:
    """The codes registered for the Arrow text this array holds, or None."""
    data = getattr(array, "_pa_array", None)
    found = None if data is None else _REGISTRY.get(id(data))
    if found is None or found[0]() is not data:
        return None
    return found[1]


def codes_for(array: Any) -> TextCodes | None:
    """The array's codes, found by one hash pass (Arrow's `dictionary_encode`) the first time
    and registered, so that the next step that needs them does not hash again; None when it
    does not hold Arrow text."""
    found = codes_of(array)
    if found is not None:
        return found
    data = _arrow_text(array)
    if data is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = _dictionary_codes(pa.table({"text": pc.dictionary_encode(data)}).column(0))
    register(array, codes)
    return codes


def follow_rows(old: Any, new: Any, keep: np.ndarray) -> None:
    """`new` is `old[keep]` (a boolean mask): it gets the codes of the rows kept."""
    codes = codes_of(old)
    if codes is not None:
        register(new, TextCodes(codes.indices[keep], codes.values, codes.dictionary))


def present_values(codes: TextCodes) -> tuple[list[str], bool]:
    """(the spellings some row uses, in dictionary order; whether a cell is missing)."""
    counts = np.bincount(codes.indices.astype(np.int64) + 1, minlength=len(codes.values) + 1)
    used = [codes.values[i] for i in np.flatnonzero(counts[1:])]
    return used, bool(counts[0])


def sorted_codes(
    codes: TextCodes, rows: np.ndarray | None = None, sort: bool = True
) -> tuple[np.ndarray, list[str]]:
    """Codes ranking the texts present (in `rows`, a boolean mask, or all) in sorted order,
    −1 for a missing cell, and the sorted texts: `pd.factorize(values, sort=True)` without
    hashing. Arrow sorts text by its UTF-8 bytes and Python by code points: the same order.
    Unsorted (`sort=False`), the texts present come in the dictionary's order."""
    indices = codes.indices if rows is None else codes.indices[rows]
    counts = np.bincount(indices.astype(np.int64) + 1, minlength=len(codes.values) + 1)
    if sort:
        import pyarrow.compute as pc

        everything = np.asarray(pc.array_sort_indices(codes.dictionary), dtype=np.int64)
        order = everything[counts[1:][everything] > 0].tolist()
    else:
        order = np.flatnonzero(counts[1:]).tolist()
    rank = np.full(len(codes.values) + 1, -1, dtype=np.int64)  # last slot: code −1, missing
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[indices], [codes.values[i] for i in order]


def _dictionary_codes(column: Any) -> TextCodes:
    """Codes and values of a dictionary pa.ChunkedArray whose chunks share one dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # One call over the chunks' indices (a call per chunk costs ≈ 0.5 ms each).
    indices = pc.fill_null(pa.chunked_array([c.indices for c in column.chunks], pa.int32()), -1)
    dictionary = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
    indices_array = indices.to_numpy().astype(np.int32, copy=False)
    return TextCodes(indices_array, dictionary.to_pylist(), dictionary)


def decode_dictionaries(table: Any, names: list[str]) -> tuple[Any, dict[str, TextCodes]]:
    """The table with its dictionary columns `names` as plain text (what reading them as text
    gives) and, by column name, each one's codes over one dictionary for the whole file
    (Arrow reads one per row group of a Parquet file: they are unified first)."""
    import pyarrow as pa

    positions = [
        i for i, f in enumerate(table.schema) if pa.types.is_dictionary(f.type) and f.name in names
    ]
    if not positions:
        return table, {}
    table = table.unify_dictionaries()
    found = {}
    for position in positions:
        column = table.column(position)
        found[table.field(position).name] = _dictionary_codes(column)
        text = table.field(position).with_type(column.type.value_type)
        table = table.set_column(position, text, column.cast(column.type.value_type))
    return table, found


def register_frame(frame: Any, found: dict[str, TextCodes]) -> None:
    """Attach each column's codes to that column of `frame` (read from the same table)."""
    for name, codes in found.items():
        if name in frame.columns and frame.columns.is_unique:
            register(frame[name].array, codes)
