"""Exact order statistics (medians and their intervals' bounds) of a large source, within
DuckDB's memory limit (issue 16).

duckdb_stats.py `_sorted_lists` sorts each group's values into one DuckDB list (`list_sort`)
and reads the needed ranks from it; duckdb_fetched_medians.py fetches them to numpy. Lists are
held in memory and do not spill, and a fetch is bounded by FETCHED_AT_MOST: at 10^8 rows one
column's lists (its groups' and the whole's, 2 × 10^8 doubles) exceed a 6 GB `memory_limit`.
Here each needed rank is found by narrowing a value bracket with grouped counts (hash GROUP BY,
which spills) and reading only a few thousand values:

1. one GROUP BY: per group (and for the whole) n, the finite minimum and maximum and the
   counts of −∞ and +∞: each needed rank's first bracket [min, max] and the count below it;
2. a bracket with more than READ_AT_MOST values is cut into BINS equal-width bins, and one
   GROUP BY (bracket, bin) counts each bin's values and takes their minimum and maximum: the
   bin holding a rank (from the exact cumulative counts) is that rank's next bracket. It always
   holds the rank, and it strictly shrinks (the bracket's minimum and maximum fall in its
   first and last bins), so the narrowing ends;
3. a bracket of at most READ_AT_MOST values (or whose values are all equal) is read back and
   the exact order statistic picked by numpy's partition (`_pick`; a bracket larger than a read
   that cannot be cut, as (value, count) pairs and their cumulative counts). When
   all the pending brackets together hold at most READ_BATCH values, they are all read by that
   one query rather than cut first: at 10^6 rows a median's groups and whole are read in one
   scan instead of a cut scan and a read scan (round 7; 10^7 and 10^8 rows are cut as before).

Every count is exact: nothing approximate chooses a figure, so there is no "missed bracket"
to detect and widen, as there would be with brackets placed by `approx_quantile` (DuckDB's
t-digest gives no guaranteed rank error). Counting bins rather than sorting rows: a window
`row_number() OVER (PARTITION BY … ORDER BY x)` sorts every row (10^8) where three or four
grouped scans count them. Bins are equal-width in value (x/2 − lo/2 over (hi/2 − lo/2)/BINS,
halved so that no difference of doubles overflows): monotone in x, so a bin is the value
interval [its minimum, its maximum]. tests/engines/test_duckdb_medians.py compares every figure
with numpy's order statistics on the same values (ties, infinities, missing values, `where`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from evalsoc.engines.duckdb_sql import quote, used_params

BINS = 4096
"""Bins a bracket is cut into per pass: at 10^8 roughly normal values, one pass leaves about
10^5 values around the median (the interval's ranks span ±10^4), which are then read."""

READ_AT_MOST = 250_000
"""A bracket with at most this many values is read back (value, count) rather than cut."""

READ_BATCH = 4_000_000
"""Values read back to Python by one query (several brackets' values), at most: 3 × 8 bytes
each as fetched (bracket, value, count), ≈ 100 MB at most."""

MASKS_AT_MOST = 16
"""A read of at most this many brackets splits its values by one mask per bracket (a sort of
10^6 bracket numbers cost more), beyond it by one sort."""

_ids = itertools.count()


@dataclass(frozen=True)
class _Scan:
    """What every pass over one median's values shares: where the values are, which rows,
    and the temporary table of the positions' keys (`whole_at`: the whole's position, or −1)."""

    connection: Any
    view: str
    by: list[str]
    x: str
    select: str
    params: dict[str, Any]
    keys: str
    whole_at: int


@dataclass
class _Bracket:
    """Values of one position (group or whole) between lo and hi, holding some needed ranks."""

    position: int
    lo: float
    hi: float
    below: int  # the position's values smaller than lo
    inside: int  # its values in [lo, hi]
    ranks: list[int]  # 1-based ranks among the position's values

    def width(self) -> float:
        """One bin's width in halved values (0 when the bracket cannot be cut)."""
        width = (self.hi * 0.5 - self.lo * 0.5) / BINS
        return width if np.isfinite(width) and width > 0 else 0.0


def order_statistics(
    connection: Any,
    view: str,
    by: list[str],
    x: str,
    select: str,
    params: dict[str, Any],
    ranks: Callable[[int], list[int]],
    whole: bool,
) -> tuple[np.ndarray, list[list[float]]]:
    """(n per position, the values at `ranks(n)` per position) of the non-missing values of
    `x` among rows where `select` holds: positions are the `by` groups of the selected rows
    (in `duckdb_stats._order`), then the whole when `whole` (the only one without `by`)."""
    keys = f"__mk{next(_ids)}"
    try:
        scan = _Scan(connection, view, by, x, select, params, keys, whole_at=-1)
        found = _positions(scan, whole)
        n = np.array([row[2] for row in found], dtype=float)
        values: list[dict[int, float]] = [{} for _ in found]
        pending: list[_Bracket] = []
        for p, (_, _, size, below, above, lo, hi) in enumerate(found):
            inside = int(size) - int(below) - int(above)
            middle = []
            for rank in sorted(set(ranks(int(size)))):
                if rank <= below:
                    values[p][rank] = float("-inf")
                elif rank > size - above:
                    values[p][rank] = float("inf")
                else:
                    middle.append(rank)
            if middle:
                pending.append(_Bracket(p, float(lo), float(hi), int(below), inside, middle))
        if whole or not by:  # the whole is the last position
            scan = replace(scan, whole_at=len(found) - 1)
        while pending:
            read: list[_Bracket] = []
            cut: list[_Bracket] = []
            at_once = sum(b.inside for b in pending) <= READ_BATCH  # one read: no cut scan
            for bracket in pending:
                small = at_once or bracket.inside <= READ_AT_MOST or not bracket.width()
                (read if bracket.lo == bracket.hi or small else cut).append(bracket)
            for bracket in read:
                if bracket.lo == bracket.hi:
                    values[bracket.position].update(dict.fromkeys(bracket.ranks, bracket.lo))
            _read(scan, [b for b in read if b.lo != b.hi], values)
            pending = _cut(scan, cut)
        return n, [
            [values[p][rank] for rank in ranks(int(size))]
            for p, (_, _, size, *_) in enumerate(found)
        ]
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {keys}")


def _positions(scan: _Scan, whole: bool) -> list[tuple[Any, ...]]:
    """Step 1: (position, set, n, −∞ count, +∞ count, finite min, finite max) per position;
    the groups' key values kept in the temporary table `keys` for the later joins."""
    connection, view, by, x, select, keys = (
        scan.connection, scan.view, scan.by, scan.x, scan.select, scan.keys,
    )  # fmt: skip
    finite = f"FILTER (WHERE isfinite({x}))"
    aggregates = (
        f"count({x}) AS __n, count(*) FILTER (WHERE {x} = '-infinity'::DOUBLE) AS __below, "
        f"count(*) FILTER (WHERE {x} = 'infinity'::DOUBLE) AS __above, "
        f"min({x}) {finite} AS __lo, max({x}) {finite} AS __hi"
    )
    if by:
        columns = ", ".join(quote(c) for c in by)
        named = ", ".join(f"{quote(c)} AS __k{i}" for i, c in enumerate(by))
        order = ", ".join(f"__k{i} ASC NULLS LAST" for i in range(len(by)))
        sets = f"GROUPING SETS (({columns}), ())" if whole else columns
        grouping = f"GROUPING({columns})" if whole else "0"
        inner = (
            f"SELECT {named}, {grouping} AS __set, {aggregates} FROM {view} WHERE {select} "
            f"GROUP BY {sets}"
        )
        numbered = (
            f"SELECT *, row_number() OVER (ORDER BY __set, {order}) - 1 AS __g FROM ({inner}) s"
        )
    else:
        numbered = f"SELECT 0 AS __set, {aggregates}, 0 AS __g FROM {view} WHERE {select}"
    connection.execute(
        f"CREATE TEMP TABLE {keys} AS {numbered}", used_params(numbered, scan.params)
    )
    query = f"SELECT __g, __set, __n, __below, __above, __lo, __hi FROM {keys} ORDER BY __g"
    return [tuple(row) for row in connection.execute(query).fetchall()]


def _rows(scan: _Scan, brackets: list[_Bracket]) -> tuple[str, dict[str, Any]]:
    """SQL of the rows inside `brackets` as (__b: bracket index, __x: value, __lo, __w: its
    lower bound and bin width), with its parameters: a group's rows by a hash join on the
    group's keys (missing equals missing), the whole's by a CASE over its few brackets."""
    view, by, x, select, keys, whole_at = (
        scan.view, scan.by, scan.x, scan.select, scan.keys, scan.whole_at,
    )  # fmt: skip
    params: dict[str, Any] = {
        "__bb": list(range(len(brackets))),
        "__bg": [b.position for b in brackets],
        "__bl": [b.lo for b in brackets],
        "__bh": [b.hi for b in brackets],
        "__bw": [b.width() for b in brackets],
    }
    table = (
        "(SELECT unnest($__bb) AS __b, unnest($__bg) AS __g, unnest($__bl) AS __lo, "
        "unnest($__bh) AS __hi, unnest($__bw) AS __w)"
    )
    parts = []
    if any(b.position != whole_at for b in brackets):
        names = ", ".join(f"k.__k{i}" for i in range(len(by)))
        same = " AND ".join(f"{quote(c)} IS NOT DISTINCT FROM b.__k{i}" for i, c in enumerate(by))
        parts.append(
            f"SELECT b.__b, {x} AS __x, b.__lo, b.__w FROM {view} "
            f"JOIN (SELECT {names}, u.* FROM {keys} k JOIN {table} u ON u.__g = k.__g "
            f"WHERE k.__set = 0) b ON {same} AND {x} BETWEEN b.__lo AND b.__hi WHERE {select}"
        )
    whole = [(i, b) for i, b in enumerate(brackets) if b.position == whole_at]
    if whole:
        cases = " ".join(f"WHEN {x} BETWEEN $__wl{i} AND $__wh{i} THEN {i}" for i, _ in whole)
        for i, b in whole:
            params[f"__wl{i}"], params[f"__wh{i}"] = b.lo, b.hi
        parts.append(
            f"SELECT u.__b, s.__x, u.__lo, u.__w FROM (SELECT CASE {cases} END AS __b, "
            f"{x} AS __x FROM {view} WHERE {select}) s JOIN {table} u ON u.__b = s.__b"
        )
    return " UNION ALL ".join(parts), params


def _cut(scan: _Scan, brackets: list[_Bracket]) -> list[_Bracket]:
    """Step 2: each bracket's bins counted, and the bins holding its ranks as new brackets."""
    if not brackets:
        return []
    rows, own = _rows(scan, brackets)
    query = (
        f"SELECT __b, least({BINS - 1}, greatest(0, floor((__x * 0.5 - __lo * 0.5) / __w)))"
        f"::BIGINT AS __bin, count(*) AS __c, min(__x) AS __lo, max(__x) AS __hi "
        f"FROM ({rows}) r GROUP BY __b, __bin ORDER BY __b, __bin"
    )
    found = scan.connection.execute(query, used_params(query, {**scan.params, **own})).fetchnumpy()
    narrower = []
    for index, bracket in enumerate(brackets):
        mine = found["__b"] == index
        counts = np.asarray(found["__c"][mine], dtype=np.int64)
        lows, highs = np.asarray(found["__lo"][mine]), np.asarray(found["__hi"][mine])
        cumulative = np.cumsum(counts)
        _check(bracket, int(cumulative[-1]) if len(counts) else 0)
        held: dict[int, list[int]] = {}
        for rank in bracket.ranks:
            held.setdefault(int(np.searchsorted(cumulative, rank - bracket.below)), []).append(rank)
        for k, ranks in held.items():
            before = int(cumulative[k - 1]) if k else 0
            narrower.append(
                _Bracket(
                    bracket.position,
                    float(lows[k]),
                    float(highs[k]),
                    bracket.below + before,
                    int(counts[k]),
                    ranks,
                )
            )
    return narrower


def _read(scan: _Scan, brackets: list[_Bracket], values: list[dict[int, float]]) -> None:
    """Step 3: the brackets' values read as (value, count), a batch of brackets per query,
    and each needed rank's value picked from the cumulative counts."""
    batches: list[list[_Bracket]] = []
    size = READ_BATCH
    for bracket in brackets:
        if size + bracket.inside > READ_BATCH:
            batches.append([])
            size = 0
        batches[-1].append(bracket)
        size += bracket.inside
    for batch in batches:
        rows, own = _rows(scan, batch)
        if sum(b.inside for b in batch) <= READ_BATCH:  # the values themselves, at most READ_BATCH
            _pick(scan, batch, rows, own, values)
            continue
        # One bracket larger than READ_BATCH that cannot be cut (a bin narrower than a double's
        # step): its few distinct values, counted.
        query = (
            f"SELECT __b, __x, count(*) AS __c FROM ({rows}) r GROUP BY __b, __x ORDER BY __b, __x"
        )
        found = scan.connection.execute(
            query, used_params(query, {**scan.params, **own})
        ).fetchnumpy()
        for index, bracket in enumerate(batch):
            mine = found["__b"] == index
            cumulative = np.cumsum(np.asarray(found["__c"][mine], dtype=np.int64))
            _check(bracket, int(cumulative[-1]) if len(cumulative) else 0)
            read = np.asarray(found["__x"][mine], dtype=float)
            for rank in bracket.ranks:
                at = int(np.searchsorted(cumulative, rank - bracket.below))
                values[bracket.position][rank] = float(read[at])


def _pick(
    scan: _Scan,
    batch: list[_Bracket],
    rows: str,
    own: dict[str, Any],
    values: list[dict[int, float]],
) -> None:
    """The brackets' values fetched as they are (no GROUP BY: hashing 10^6 distinct doubles
    cost more than fetching them) and each rank's value picked by numpy's exact partition."""
    query = f"SELECT __b, __x FROM ({rows}) r"
    found = scan.connection.execute(query, used_params(query, {**scan.params, **own})).fetchnumpy()
    which = np.asarray(found["__b"], dtype=np.int64)
    xs = np.asarray(found["__x"], dtype=float)
    if len(batch) > MASKS_AT_MOST:  # many brackets: one sort by bracket, not a mask each
        order = np.argsort(which, kind="stable")
        starts = np.searchsorted(which[order], np.arange(len(batch) + 1))
    for index, bracket in enumerate(batch):
        if len(batch) > MASKS_AT_MOST:
            mine = xs[order[starts[index] : starts[index + 1]]]
        else:
            mine = xs[which == index]
        _check(bracket, len(mine))
        wanted = sorted({rank - bracket.below - 1 for rank in bracket.ranks})
        parted = np.partition(mine, wanted)
        for rank in bracket.ranks:
            values[bracket.position][rank] = float(parted[rank - bracket.below - 1])


def _check(bracket: _Bracket, counted: int) -> None:
    """The values found in a bracket are the ones counted for it (else a bug: loud)."""
    if counted != bracket.inside:
        raise RuntimeError(
            f"order statistics: {counted} values in [{bracket.lo!r}, {bracket.hi!r}] "
            f"where {bracket.inside} were counted"
        )
