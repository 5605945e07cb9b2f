"""Dictionary codes of category-like text columns, kept beside the column (issue 16).

Declared `category`, `ordinal` and `boolean` columns of a CSV file are parsed by Arrow as
dictionaries: a few distinct spellings and one integer code per row, found while parsing.
Pandas still receives plain text (the `str` dtype every section, `where`, the audit and the
quarantine writer read, so results are unchanged); the codes are registered here against
that column's array, and the steps that used to hash a million strings reuse them instead:
boolean conversion (each spelling converted once, then taken by code), the distinct values
the category checks look at, the rows kept after the quarantine, and the sorted group codes
of `by` columns (`sorted_codes`, the same codes and labels as `pd.factorize(sort=True)`).

An entry is held weakly by its array and checked by identity, so it never outlives or
mislabels a column: an array not registered here simply takes the hashing path.
"""

from __future__ import annotations

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


# id(array) → (weak reference to the array, the Arrow data it held then, codes)
_REGISTRY: dict[int, tuple[weakref.ref[Any], Any, TextCodes]] = {}


def register(array: Any, codes: TextCodes) -> None:
    """Attach `codes` to a pandas Arrow-backed text array (a column's `.array`)."""
    data = getattr(array, "_pa_array", None)
    if data is None or len(data) != len(codes.indices):
        return
    for dead in [k for k, (ref, _, _) in _REGISTRY.items() if ref() is None]:
        del _REGISTRY[dead]
    _REGISTRY[id(array)] = (weakref.ref(array), data, codes)


def codes_of(array: Any) -> TextCodes | None:
    """The codes registered for this very array, or None; None too once a cell of it was
    assigned (pandas then replaces the Arrow data the array holds)."""
    found = _REGISTRY.get(id(array))
    if (
        found is None
        or found[0]() is not array
        or getattr(array, "_pa_array", None) is not found[1]
    ):
        return None
    return found[2]


def follow_rows(old: Any, new: Any, keep: np.ndarray) -> None:
    """`new` is `old[keep]` (a boolean mask): it gets the codes of the rows kept."""
    codes = codes_of(old)
    if codes is not None:
        register(new, TextCodes(codes.indices[keep], codes.values))


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
    present = np.flatnonzero(counts[1:]).tolist()
    order = sorted(present, key=codes.values.__getitem__) if sort else present
    rank = np.full(len(codes.values) + 1, -1, dtype=np.int64)  # last slot: code −1, missing
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[indices], [codes.values[i] for i in order]


def decode_dictionaries(
    table: Any, names: list[str] | None = None
) -> tuple[Any, dict[str, TextCodes]]:
    """The table with its dictionary columns (`names` only, if given) as plain text (what a
    `pa.string()` read gives) and, by column name, each one's codes over one dictionary for
    the whole file (Arrow builds one per block of a CSV file or row group of a Parquet file:
    they are unified first)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    positions = [
        i
        for i, f in enumerate(table.schema)
        if pa.types.is_dictionary(f.type) and (names is None or f.name in names)
    ]
    if not positions:
        return table, {}
    table = table.unify_dictionaries()
    found = {}
    for position in positions:
        column = table.column(position)
        # One call over the chunks' indices (a call per chunk costs ≈ 0.5 ms each).
        indices = pc.fill_null(pa.chunked_array([c.indices for c in column.chunks], pa.int32()), -1)
        values = column.chunk(0).dictionary.to_pylist() if column.num_chunks else []
        found[table.field(position).name] = TextCodes(
            indices.to_numpy().astype(np.int32, copy=False), values
        )
        text = table.field(position).with_type(pa.string())
        table = table.set_column(position, text, column.cast(pa.string()))
    return table, found


def register_frame(frame: Any, found: dict[str, TextCodes]) -> None:
    """Attach each column's codes to that column of `frame` (read from the same table)."""
    for name, codes in found.items():
        if name in frame.columns and frame.columns.is_unique:
            register(frame[name].array, codes)
