"""The medians of one `by` from their values fetched once (issue 16, round 8).

The one pass (duckdb_onepass.py) has already counted each group's values (`n`, exact). When a
source's values fit one fetch (`FETCHED_AT_MOST`, rows × medians), the medians of one `by` are
answered by one scan that fetches, for each row its `where`s select, each median column's value
and the 64-bit `hash` of the row's group key; the values are split by group in numpy and each
needed rank picked by numpy's exact partition, as the pandas engine's
`stats.intervals.median_interval` does. The whole's values are the groups' values together (the
groups of the selected rows partition them), so they are not fetched twice.

Before this (round 7), a median at 10^6 rows took two scans of its own (duckdb_medians.py: n,
minimum and maximum per group, then every group's and the whole's values through a join on the
groups' keys, 2 × 10^6 values). Above `FETCHED_AT_MOST` values the brackets of
duckdb_medians.py keep the memory bounded (10^7 and 10^8 rows), as before.

A group is recognised by its key's `hash`, computed by the one pass per group and here per
row. Two groups with the same hash (a 64-bit collision) cannot be told apart: `answer` then
returns False and the caller takes the bracket path, which joins on the keys themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.engines.duckdb_sql import quote, used_params

FETCHED_AT_MOST = 4_000_000
"""Values one fetch may bring to memory (rows × medians of one query): 8 bytes each and 8 per
row for the group's hash, ≈ 40 MB at 10^6 rows and four medians. Above it for a single median,
the bracket path (duckdb_medians.py) answers with bounded memory."""

MASKS_AT_MOST = 16
"""Groups split by one mask each (a sort of 10^6 group numbers cost more); beyond, one sort."""


def group_hash(by: Sequence[str]) -> str:
    """The SQL of a row's group key hash (the same expression in the one pass and here)."""
    return f"hash({', '.join(quote(c) for c in by)})"


def batches(length: int, count: int) -> list[list[int]]:
    """The medians (0..count−1) of one `by`, in fetches of at most FETCHED_AT_MOST values;
    an empty list when one median's values alone exceed it (the bracket path then)."""
    if not count or length > FETCHED_AT_MOST:
        return []
    per_fetch = max(1, FETCHED_AT_MOST // max(length, 1))
    return [list(range(k, min(k + per_fetch, count))) for k in range(0, count, per_fetch)]


def fetch(
    connection: Any,
    view: str,
    by: Sequence[str],
    columns: Sequence[str],
    selects: Sequence[str],
    params: dict[str, Any],
) -> tuple[np.ndarray | None, list[np.ma.MaskedArray]]:
    """(each fetched row's group hash, or None without `by`; each median's values, masked where
    missing or where its own `where` leaves the row out). `columns` are SQL numbers, `selects`
    their `where`s as SQL (TRUE without)."""
    shared = len(set(selects)) == 1
    values = [
        x if shared else f"CASE WHEN ({s}) THEN {x} END"
        for x, s in zip(columns, selects, strict=True)
    ]
    listed = [f"{v} AS __x{m}" for m, v in enumerate(values)]
    if by:
        listed.insert(0, f"{group_hash(by)} AS __k")
    rows = " OR ".join(f"({s})" for s in dict.fromkeys(selects))
    query = f"SELECT {', '.join(listed)} FROM {view} WHERE {rows}"
    found = connection.execute(query, used_params(query, params)).fetchnumpy()
    keys = np.asarray(found["__k"], dtype=np.uint64) if by else None
    return keys, [np.ma.asarray(found[f"__x{m}"], dtype=float) for m in range(len(columns))]


def group_numbers(keys: np.ndarray, hashes: np.ndarray) -> np.ndarray | None:
    """Each row's group number (its position in `hashes`, the one pass's groups), or None when
    two groups share a hash. A row whose hash is no group's is a bug: loud."""
    if len(np.unique(hashes)) != len(hashes):
        return None
    order = np.argsort(hashes, kind="stable")
    at = np.searchsorted(hashes[order], keys)
    at[at == len(hashes)] = 0
    numbers = order[at]
    if len(keys) and not np.array_equal(hashes[numbers], keys):
        raise RuntimeError("medians: a fetched row's group is not among the one pass's groups")
    return numbers


def split(values: np.ma.MaskedArray, numbers: np.ndarray | None, groups: int) -> list[np.ndarray]:
    """The present values of each group (all of them as one group without `by`)."""
    present = ~np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if numbers is None:
        return [data[present]]
    kept, which = data[present], numbers[present]
    if groups <= MASKS_AT_MOST:
        return [kept[which == g] for g in range(groups)]
    order = np.argsort(which, kind="stable")
    starts = np.searchsorted(which[order], np.arange(groups + 1))
    return [kept[order[starts[g] : starts[g + 1]]] for g in range(groups)]


def order_statistics(values: np.ndarray, ranks: Sequence[int]) -> list[float]:
    """The values at 1-based `ranks` among `values`, by numpy's exact partition."""
    if not len(ranks):
        return []
    wanted = sorted({r - 1 for r in ranks})
    parted = np.partition(values, wanted)
    return [float(parted[r - 1]) for r in ranks]
