"""Group codes and per-kind sufficient statistics as DuckDB SQL (engines/base.py lists them).

Groups are numbered as pandas does (sections/indicators/compute.py `group_codes`): the `by`
combinations present among the selected rows, sorted column by column (text by code point,
categories in their declared order, numbers, dates, false before true) with missing values
last. Sums are DuckDB's `fsum` (compensated, so the order of a parallel scan does not change
them beyond rounding); counts are exact integers. Mean and sum divide the values by the same
power of two as the pandas path when they approach 1e308 (`scale`). Medians and their
order-statistic interval are read at exact ranks (row_number over the sorted values of each
group) and combined with the same arithmetic as stats/intervals.py `median_interval`.

`statistics` returns None for what it does not translate (a column of the wrong type, a
condition the compiler leaves to pandas, kinds that need each group's rows): the engine then
uses the pandas reductions, which also word the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from evalsoc.engines.duckdb_sql import (
    BOOL,
    DATETIME,
    NUMBER,
    TEXT,
    NotCompiled,
    compile_where,
    quote,
)

if TYPE_CHECKING:
    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.framework.expressions import Expression

LEVEL = 0.95  # sections/indicators/compute.py LEVEL

SORTED_LISTS_AT_MOST = 500_000
"""Rows of a source above which a median's order statistics come from duckdb_medians.py's
brackets (grouped counts, which spill) rather than from each group's values sorted into a
DuckDB list (held in memory: at 10^8 rows one column's lists exceeded a 6 GB memory_limit).
Measured on one median by group (benchmarks/bench_medians.py, CPU): 10^5 rows, lists 0.07 s
and brackets 0.06 s (lists one query, brackets three: quicker in wall time); 10^6 rows, 0.56
against 0.34 s; 10^7 rows, 7.1 against 2.9 s. Same figures either way. The one pass
(duckdb_onepass.py) fetches its medians' values up to FETCHED_AT_MOST instead (round 8)."""


def median_ranks(size: int) -> tuple[list[int], tuple[int, int] | None]:
    """1-based ranks of the median's two middle values and of its interval's bounds, and the
    interval's ranks (None when n is too small for one): what both median paths read."""
    from evalsoc.stats.intervals import median_order_ranks

    if not size:
        return [], None
    found = median_order_ranks(size, LEVEL)
    extra = [found[0], found[1]] if found else []
    return [(size - 1) // 2 + 1, size // 2 + 1, *extra], found


def _order(by: list[str], table: str = "") -> str:
    prefix = f"{table}." if table else ""
    return ", ".join(f"{prefix}{quote(c)} ASC NULLS LAST" for c in by)


def _same(by: list[str], left: str, right: str, complete: set[str]) -> str:
    """Rows of the same group: `=` on columns without a missing value (a hash join), `IS NOT
    DISTINCT FROM` (missing equals missing) on the others."""

    def same(c: str) -> str:
        op = "=" if c in complete else "IS NOT DISTINCT FROM"
        return f"{left}.{quote(c)} {op} {right}.{quote(c)}"

    return " AND ".join(same(c) for c in by)


def _group_value(value: Any, kind: str) -> Any:
    from evalsoc.sections.indicators.compute import MISSING_GROUP

    if value is None:
        return MISSING_GROUP
    if kind == DATETIME:
        import pandas as pd

        return pd.Timestamp(value)
    return value


def group_codes(
    engine: DuckDBEngine, source: str, where: Expression | None, by: list[str]
) -> tuple[np.ndarray, Any]:
    """(group code of each selected row, table of groups): engines/base.py `groups`."""
    import pandas as pd

    cond, params = engine.condition(source, where)
    columns = ", ".join(quote(c) for c in by)
    cte = (
        f"WITH sel AS (SELECT row_number() OVER () AS __row, {columns} "
        f"FROM {engine.view(source)} WHERE {cond}), "
        f"g AS (SELECT {columns}, row_number() OVER (ORDER BY {_order(by)}) - 1 AS __code "
        f"FROM (SELECT DISTINCT {columns} FROM sel) AS d) "
    )
    con = engine.connection
    codes_query = (
        f"{cte}SELECT g.__code FROM sel JOIN g ON {_same(by, 'sel', 'g', engine.complete(source, by))} "
        "ORDER BY sel.__row"
    )
    codes = np.asarray(con.execute(codes_query, params).fetchnumpy()["__code"], dtype=np.int64)
    table = con.execute(f"{cte}SELECT {columns} FROM g ORDER BY __code", params).fetchall()
    kinds = engine.kinds(source)
    rows = [[_group_value(v, kinds[c]) for v, c in zip(row, by)] for row in table]
    groups = pd.DataFrame(rows, columns=by) if rows else pd.DataFrame(columns=by)
    return codes.reshape(-1), groups


def statistics(
    engine: DuckDBEngine, source: str, where: Expression | None, spec: Any
) -> dict[str, Any] | None:
    """The kind's statistics per group of `spec.by` (one group without), or None (pandas)."""
    reducer = _REDUCERS.get(spec.kind)
    if reducer is None:
        return None
    try:
        return reducer(_Query(engine, source, where, list(spec.by)), spec)
    except NotCompiled:
        return None


class _Query:
    """The selected rows of one source and their groups, as SQL fragments."""

    def __init__(self, engine: DuckDBEngine, source: str, where: Expression | None, by: list[str]):
        self.engine = engine
        self.source = source
        self.where = where
        self.by = by
        self.kinds = engine.kinds(source)
        self.cond, self.params = engine.condition(source, where)

    def ngroups(self) -> int:
        """The number of `by` groups among the selected rows (counted in DuckDB)."""
        if not self.by:
            return 1
        columns = ", ".join(quote(c) for c in self.by)
        query = (
            f"SELECT count(*) FROM (SELECT DISTINCT {columns} "
            f"FROM {self.engine.view(self.source)} WHERE {self.cond}) AS d"
        )
        ((count,),) = self.engine.connection.execute(query, self.params).fetchall()
        return int(count)

    def numeric(self, column: Any) -> str:
        """A column read as float64, as `_numeric` does (booleans as 0/1); else NotCompiled."""
        if not isinstance(column, str) or self.kinds.get(column) not in (NUMBER, BOOL):
            raise NotCompiled(str(column))
        return f"CAST({quote(column)} AS DOUBLE)"

    def aggregate(
        self, aggregates: list[str], params: dict[str, Any] | None = None
    ) -> list[np.ndarray]:
        """One float array per aggregate, one value per group in group order (NULL → 0)."""
        query = f"SELECT {', '.join(aggregates)} FROM {self.engine.view(self.source)} "
        query += f"WHERE {self.cond}"
        if self.by:
            columns = ", ".join(quote(c) for c in self.by)
            query += f" GROUP BY {columns} ORDER BY {_order(self.by)}"
        rows = self.engine.connection.execute(query, {**self.params, **(params or {})}).fetchall()
        if not self.by and not rows:
            rows = [tuple(None for _ in aggregates)]
        return [
            np.array([0.0 if row[i] is None else float(row[i]) for row in rows], dtype=float)
            for i in range(len(aggregates))
        ]

    def condition(self, text: str) -> tuple[str, str, dict[str, Any]]:
        """(rows where `text` can be decided, rows where it holds, parameters), as `_condition`
        in sections/indicators/compute.py: a 0/1 or boolean column, or an expression."""
        from evalsoc.framework.expressions import ExpressionError, parse_expression

        if text in self.kinds:
            kind = self.kinds[text]
            column = quote(text)
            if kind == BOOL:
                return f"{column} IS NOT NULL", f"coalesce({column}, FALSE)", {}
            if kind != NUMBER or not self._zero_one(text):
                raise NotCompiled(text)  # pandas words the error
            return f"{column} IS NOT NULL", f"coalesce({column} = 1, FALSE)", {}
        try:
            expression = parse_expression(text)
            expression.check_columns(list(self.kinds))
        except ExpressionError:
            raise NotCompiled(text) from None
        compiled = compile_where(expression.tree, self.kinds, prefix="c")
        valid = " AND ".join(f"{quote(c)} IS NOT NULL" for c in expression.columns) or "TRUE"
        return valid, compiled.sql, compiled.params

    def _zero_one(self, column: str) -> bool:
        query = (
            f"SELECT coalesce(bool_and({quote(column)} IN (0, 1)), TRUE) "
            f"FROM {self.engine.view(self.source)} WHERE {self.cond}"
        )
        ((zero_one,),) = self.engine.connection.execute(query, self.params).fetchall()
        return bool(zero_one)


def _mean(query: _Query, spec: Any) -> dict[str, Any]:
    from evalsoc.sections.indicators.compute import _power_of_two_scale

    x = query.numeric(spec.args)
    n, largest, s, ss = query.aggregate(
        [f"count({x})", f"max(abs({x}))", f"fsum({x})", f"fsum({x} * {x})"]
    )
    scale = _power_of_two_scale(largest)
    if scale != 1.0:
        scaled = f"({x} / $scale)"
        n, s, ss = query.aggregate(
            [f"count({x})", f"fsum({scaled})", f"fsum({scaled} * {scaled})"], {"scale": scale}
        )
    return {"n": n, "sum": s, "sumsq": ss, "scale": scale}


def _proportion(query: _Query, spec: Any) -> dict[str, Any]:
    valid, holds, params = query.condition(spec.proportion)
    n, count = query.aggregate(
        [f"count(*) FILTER (WHERE {valid})", f"count(*) FILTER (WHERE {valid} AND {holds})"],
        params,
    )
    return {"n": n, "count": count}


def _count(query: _Query, spec: Any) -> dict[str, Any]:
    if spec.count is True or spec.count in (None, "", "rows"):
        n, count = query.aggregate(["count(*)", "count(*)"])
    else:
        valid, holds, params = query.condition(str(spec.count))
        n, count = query.aggregate(
            ["count(*)", f"count(*) FILTER (WHERE {valid} AND {holds})"], params
        )
    return {"n": n, "count": count}


def _rate(query: _Query, spec: Any) -> dict[str, Any]:
    y, x = (query.numeric(c) for c in spec.rate)
    ok = f"({y} IS NOT NULL AND {x} IS NOT NULL)"
    sums = [f"fsum({e}) FILTER (WHERE {ok})" for e in (y, x, f"{y} * {y}", f"{x} * {x}")]
    n, sy, sx, syy, sxx, sxy = query.aggregate(
        [f"count(*) FILTER (WHERE {ok})", *sums, f"fsum({x} * {y}) FILTER (WHERE {ok})"]
    )
    return {"n": n, "sy": sy, "sx": sx, "syy": syy, "sxx": sxx, "sxy": sxy}


def _grouped_cte(query: _Query, value: str) -> str:
    """`sel` (group code __g, value __v) over the selected rows, groups numbered as pandas."""
    view = query.engine.view(query.source)
    if not query.by:
        return f"WITH sel AS (SELECT 0 AS __g, {value} AS __v FROM {view} WHERE {query.cond}) "
    columns = ", ".join(quote(c) for c in query.by)
    return (
        f"WITH rows_ AS (SELECT {columns}, {value} AS __v FROM {view} WHERE {query.cond}), "
        f"g AS (SELECT {columns}, row_number() OVER (ORDER BY {_order(query.by)}) - 1 AS __g "
        f"FROM (SELECT DISTINCT {columns} FROM rows_) AS d), "
        f"sel AS (SELECT g.__g, rows_.__v FROM rows_ JOIN g "
        f"ON {_same(query.by, 'rows_', 'g', query.engine.complete(query.source, query.by))}) "
    )


def _share(query: _Query, spec: Any) -> dict[str, Any]:
    from evalsoc.sections.indicators.compute import _category_text

    column = spec.share
    kind = query.kinds.get(column)
    if kind not in (NUMBER, BOOL, DATETIME, TEXT):
        raise NotCompiled(str(column))
    sql = _grouped_cte(query, quote(column)) + (
        "SELECT __g, dense_rank() OVER (ORDER BY __v ASC NULLS LAST) - 1 AS __c, __v, n "
        "FROM (SELECT __g, __v, count(*) AS n FROM sel GROUP BY __g, __v) AS counts"
    )
    counts = query.engine.connection.execute(sql, query.params).fetchall()
    values: dict[int, Any] = {c: v for _, c, v, _ in counts}
    ncat = len(values)
    ngroups = query.ngroups()
    table = np.zeros((ngroups, max(ncat, 1)), dtype=float)
    for g, c, _, n in counts:
        table[g, c] = n
    present = [values[c] for c in range(ncat)]
    if present and present[-1] is None:
        table, present = table[:, :-1], present[:-1]
    labels = [_category_text(_group_value(v, kind or "")) for v in present]
    return {"table": table, "labels": labels}


def _median(query: _Query, spec: Any) -> dict[str, Any]:
    """Each group's sorted values as one DuckDB list (`list_sort`), and only the order
    statistics the median and its interval need read from it (`list_select` at exact ranks):
    two aggregate queries, a handful of numbers back, no row numbers or joins."""
    value = query.numeric(spec.args)
    (n,) = query.aggregate([f"count({value})"])
    ngroups = len(n)
    med, lo, hi = (np.full(ngroups, np.nan) for _ in range(3))
    wanted: list[list[int]] = []
    intervals: list[tuple[int, int] | None] = []
    for g in range(ngroups):
        size = int(n[g])
        ranks, found = median_ranks(size)
        intervals.append(found)
        wanted.append(ranks)
    if not any(wanted):
        return {"n": n, "median": med, "lo": lo, "hi": hi}
    if query.engine.length(query.source) > SORTED_LISTS_AT_MOST:  # lists would not fit
        picked = _bracketed(query, value, n)
    else:
        picked = _sorted_lists(query, value, wanted)
    for g, found in enumerate(intervals):
        if not wanted[g]:
            continue
        stats = picked[g]
        a, b = np.float64(stats[0]), np.float64(stats[1])
        med[g] = float((a + b) / 2)
        if found:
            lo[g], hi[g] = stats[2], stats[3]
    return {"n": n, "median": med, "lo": lo, "hi": hi}


def _bracketed(query: _Query, value: str, n: np.ndarray) -> list[list[float]]:
    """The order statistics from duckdb_medians.py's brackets (grouped counts, which spill)."""
    from evalsoc.engines.duckdb_medians import order_statistics

    sizes, picked = order_statistics(
        query.engine.connection,
        query.engine.view(query.source),
        query.by,
        value,
        query.cond,
        query.params,
        lambda size: median_ranks(size)[0],
        whole=False,
    )
    if not np.array_equal(sizes, n):
        raise RuntimeError("median: the groups' sizes differ between queries")
    return picked


def _sorted_lists(query: _Query, value: str, wanted: list[list[int]]) -> list[Any]:
    """The order statistics read from each group's values sorted into one DuckDB list."""
    view = query.engine.view(query.source)
    sorted_values = f"list_sort(list({value}) FILTER (WHERE {value} IS NOT NULL))"
    if query.by:
        columns = ", ".join(quote(c) for c in query.by)
        grouped = (
            f"SELECT row_number() OVER (ORDER BY {_order(query.by)}) AS __g, "
            f"{sorted_values} AS __l FROM {view} WHERE {query.cond} GROUP BY {columns}"
        )
    else:
        grouped = f"SELECT 1 AS __g, {sorted_values} AS __l FROM {view} WHERE {query.cond}"
    sql = f"SELECT list_select(__l, $__ranks[__g]) FROM ({grouped}) AS s ORDER BY __g"
    params = {**query.params, "__ranks": wanted}
    return [row[0] for row in query.engine.connection.execute(sql, params).fetchall()]


_REDUCERS = {
    "mean": _mean,
    "sum": _mean,
    "proportion": _proportion,
    "count": _count,
    "rate": _rate,
    "share": _share,
    "median": _median,
}
