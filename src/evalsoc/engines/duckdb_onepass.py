"""Every in-engine indicator of one source and one `by` from a single scan (issue 16).

duckdb_stats.py and duckdb_audit.py answer one indicator at a time: a GROUP BY for its
statistics, one for its audit cells, two sorts per median. Here the indicators of a source
that share their `by` columns are answered together, as a hand-written statement would:

- **one GROUP BY** over the source computes, for each indicator, its per-group sufficient
  statistics (the aggregates of duckdb_stats.py) and its audit cells (the counts and 64-bit
  XOR signatures of duckdb_audit.py `_measure`), each aggregate restricted by `FILTER (WHERE
  …)` to the rows its own `where` selects (compiled with evalsoc's missing-value semantics,
  duckdb_sql.py), so indicators with different `where` share the scan. A `where`'s groups are
  the `by` combinations present among the rows it selects (`count(*) FILTER`), numbered in
  the same order (missing values last) as duckdb_stats.py;
- **one query per `by` for its medians** (duckdb_fetched_medians.py, round 8): the median
  columns' values of the rows the `where`s select, with their group's key hash, fetched once;
  each group's and the whole's order statistics picked by numpy's exact partition, the
  groups' sizes being the ones this pass counted: never an approximate quantile. Above
  `FETCHED_AT_MOST` values (10^7 rows and more) each median's brackets are narrowed by grouped
  counts instead (duckdb_medians.py), in bounded memory.

Apart from the medians' values, what comes back is a few numbers per group and indicator.
The results are the per-indicator queries' (tests/engines/test_duckdb_onepass.py compares
them figure by figure). Indicators this module does not take (shares, Gini and the other
row-needing kinds, a mean whose values need rescaling, a condition on a 0/1 number column)
keep the per-indicator path.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from evalsoc.engines.audit_figures import AuditCell
from evalsoc.engines.duckdb_audit import SALT, IndicatorRows, _valid_and_trait
from evalsoc.engines.duckdb_sql import BOOL, DATETIME, NUMBER, TEXT, NotCompiled, quote, used_params
from evalsoc.engines.duckdb_stats import _order, median_ranks

if TYPE_CHECKING:
    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.framework.expressions import Expression

KINDS = ("mean", "sum", "median", "proportion", "count", "rate")
_ids = itertools.count()


@dataclass
class Prepared:
    """One indicator's answers: statistics per group, the whole's (medians), its audit rows."""

    where: str | None  # the `where` text it was computed for
    stats: dict[str, Any]
    overall: dict[str, Any] | None
    rows: IndicatorRows


@dataclass
class _Planned:
    spec: Any
    where: Expression | None
    select: str  # the `where` as SQL (TRUE without)
    valid: str
    trait: str | None
    params: dict[str, Any]
    prefix: str
    known: list[str] = field(default_factory=list)  # columns with gaps a counted row fills
    holds: str | None = None  # what a row with the trait adds to `known`
    stats: dict[str, str] = field(default_factory=dict)  # statistic → aggregate alias
    audit: list[str] = field(default_factory=list)  # the cell aggregates' aliases (3 or 6)


class _Aggregates:
    """The SELECT list of the shared query: each distinct aggregate once, under an alias."""

    def __init__(self) -> None:
        self.sql: dict[str, str] = {}

    def add(self, expression: str) -> str:
        if expression not in self.sql:
            self.sql[expression] = f"__a{len(self.sql)}"
        return self.sql[expression]


def prepare(
    engine: DuckDBEngine,
    source: str,
    items: list[tuple[Any, Expression | None]],
    key: list[str],
) -> dict[str, Prepared]:
    """The answers of every indicator of `items` (spec, parsed `where`) this module can take,
    by indicator id; the others are left out (they keep the per-indicator path)."""
    by_groups: dict[tuple[str, ...], list[tuple[Any, Expression | None]]] = {}
    shares: list[tuple[Any, Expression | None]] = []
    for spec, where in items:
        if getattr(spec, "bootstrap", None):
            continue
        if spec.kind in KINDS:
            by_groups.setdefault(tuple(spec.by), []).append((spec, where))
        elif spec.kind == "share":
            shares.append((spec, where))
    prepared = _shares(engine, source, shares, key)
    for by, group in by_groups.items():
        prepared.update(_prepare_by(engine, source, list(by), group, key))
    return prepared


def _identity(engine: DuckDBEngine, source: str, key: list[str]) -> str:
    """The source's rows with their two identity hashes, as duckdb_audit.py `_measure`."""
    view = engine.view(source)
    complete = engine.complete(source, key) if key else set()
    if key and len(complete) == len(key):
        ident = ", ".join(quote(c) for c in key)
        return f"SELECT *, hash({ident}) AS __h1, hash({ident}, {SALT}) AS __h2 FROM {view}"
    return (
        f"SELECT *, hash(__row) AS __h1, hash(__row + {SALT}) AS __h2 "
        f"FROM (SELECT *, row_number() OVER () AS __row FROM {view}) AS n"
    )


def _plan(
    engine: DuckDBEngine, source: str, spec: Any, where: Expression | None, selects: dict[str, Any]
) -> _Planned | None:
    """What one indicator adds to the shared query, or None when it keeps its own path."""
    kinds = engine.kinds(source)
    text = where.text if where is not None else ""
    try:
        if text not in selects:
            selects[text] = engine.condition(source, where, prefix=f"o{next(_ids)}_w")
        select, where_params = selects[text]
        prefix = f"o{next(_ids)}_"
        described = _valid_and_trait(spec, kinds, prefix)
        if described is None:
            return None
        valid, trait, params = described
        if spec.kind == "proportion" and spec.proportion in kinds:
            if kinds[spec.proportion] != BOOL:  # a 0/1 number column: its own path
                return None
        if spec.kind in ("mean", "sum", "median"):
            _number(spec.args, kinds)
        if spec.kind == "rate":
            for column in spec.rate:
                _number(column, kinds)
        known = _known(spec, kinds)
    except NotCompiled:
        return None
    plan = _Planned(spec, where, select, valid, trait, {**where_params, **params}, prefix)
    plan.known, plan.holds = _without_complete(engine, source, plan, known)
    return plan


def _known(spec: Any, kinds: dict[str, str]) -> list[str]:
    """The columns whose presence `_valid_and_trait` requires for a row to count (its `valid`
    for means, medians, rates and proportions; the part of a count's trait before `holds`)."""
    from evalsoc.framework.expressions import parse_expression

    if spec.kind in ("mean", "sum", "median"):
        return [spec.args]
    if spec.kind == "rate":
        return list(spec.rate)
    condition = spec.proportion if spec.kind == "proportion" else spec.count
    if spec.kind == "count" and (condition is True or condition in (None, "", "rows")):
        return []
    if condition in kinds:
        return [condition]
    return list(parse_expression(str(condition)).columns)


def _without_complete(
    engine: DuckDBEngine, source: str, plan: _Planned, known: list[str]
) -> tuple[list[str], str | None]:
    """(the `known` columns that have missing values, what the trait adds to them): a column
    without any missing value needs no `IS NOT NULL`, so indicators over complete columns share
    their audit aggregates. The conditions are `_valid_and_trait`'s, rebuilt without those."""
    complete = engine.complete(source, known)
    left = [c for c in known if c not in complete]
    if plan.trait is None:
        return left, None
    spelled = " AND ".join(f"{quote(c)} IS NOT NULL" for c in known) or "TRUE"
    if not plan.trait.startswith(spelled + " AND "):  # its own spelling: kept whole
        return known, plan.trait
    return left, plan.trait[len(spelled) + 5 :]


def _number(column: Any, kinds: dict[str, str]) -> str:
    if not isinstance(column, str) or kinds.get(column) not in (NUMBER, BOOL):
        raise NotCompiled(str(column))
    return f"CAST({quote(column)} AS DOUBLE)"


def _filter(*conditions: str) -> str:
    """` FILTER (WHERE a AND b)` over the conditions that are not TRUE, one spelling per set."""
    parts = list(dict.fromkeys(c for c in conditions if c != "TRUE"))
    return f" FILTER (WHERE {' AND '.join(f'({c})' for c in parts)})" if parts else ""


def _statistics(plan: _Planned, kinds: dict[str, str], aggregates: _Aggregates) -> None:
    """The kind's statistics as FILTERed aggregates (duckdb_stats.py's, restricted to the
    indicator's `where`), and its audit cells' (duckdb_audit.py `_measure`'s)."""
    spec, sel = plan.spec, plan.select
    known = " AND ".join(f"{quote(c)} IS NOT NULL" for c in plan.known) or "TRUE"
    valid = "TRUE" if spec.kind == "count" else known  # a count's n: every selected row
    counted = aggregates.add("count(*)" + _filter(sel, valid))  # rows behind n, every kind

    def add(name: str, expression: str, *conditions: str) -> None:
        plan.stats[name] = aggregates.add(expression + _filter(sel, *conditions))

    if spec.kind in ("mean", "sum"):
        x = _number(spec.args, kinds)
        plan.stats["n"] = counted
        add("largest", f"max(abs({x}))")
        add("sum", f"fsum({x})")
        add("sumsq", f"fsum({x} * {x})")
    elif spec.kind == "median":
        plan.stats["n"] = counted
    elif spec.kind == "proportion":
        plan.stats["n"] = counted
        add("count", "count(*)", valid, str(plan.holds))
    elif spec.kind == "count":
        plan.stats["n"] = counted
        add("count", "count(*)", known, plan.holds or "TRUE")
    elif spec.kind == "rate":
        y, x = (_number(c, kinds) for c in spec.rate)
        plan.stats["n"] = counted
        for name, value in (("sy", y), ("sx", x), ("syy", f"{y} * {y}"), ("sxx", f"{x} * {x}")):
            add(name, f"fsum({value})", valid)
        add("sxy", f"fsum({x} * {y})", valid)
    cells = [(sel, valid)] + ([(sel, known, plan.holds)] if plan.holds is not None else [])
    plan.audit = [
        aggregates.add(agg + _filter(*cond))
        for cond in cells
        for agg in ("count(*)", "bit_xor(__h1)", "bit_xor(__h2)")
    ]


def _prepare_by(
    engine: DuckDBEngine,
    source: str,
    by: list[str],
    items: list[tuple[Any, Expression | None]],
    key: list[str],
) -> dict[str, Prepared]:
    kinds = engine.kinds(source)
    selects: dict[str, Any] = {}
    plans = [p for spec, where in items if (p := _plan(engine, source, spec, where, selects))]
    if not plans:
        return {}
    aggregates = _Aggregates()
    presence = {
        text: aggregates.add("count(*)" + _filter(sql)) for text, (sql, _) in selects.items()
    }
    for plan in plans:
        _statistics(plan, kinds, aggregates)
    params: dict[str, Any] = {}
    for plan in plans:
        params.update(plan.params)
    keyed = None  # the groups' key hashes, by which the medians' fetched rows find their group
    if by and any(plan.spec.kind == "median" for plan in plans):
        from evalsoc.engines.duckdb_fetched_medians import group_hash

        keyed = aggregates.add(f"min({group_hash(by)})")
    columns = [quote(c) for c in by]
    select = [*columns, *(f"{sql} AS {alias}" for sql, alias in aggregates.sql.items())]
    query = f"SELECT {', '.join(select)} FROM ({_identity(engine, source, key)}) AS r"
    if by:
        query += f" GROUP BY {', '.join(columns)} ORDER BY {_order(by)}"
    at = {alias: len(by) + k for k, alias in enumerate(aggregates.sql.values())}
    fetched = engine.connection.execute(query, used_params(query, params)).fetchall()
    groups = [tuple(row[: len(by)]) for row in fetched]
    prepared: dict[str, Prepared] = {}
    medians: list[tuple[_Planned, list[int]]] = []
    for plan in plans:
        text = plan.where.text if plan.where is not None else ""
        present = [
            i for i, row in enumerate(fetched) if not by or (row[at[presence[text]]] or 0) > 0
        ]
        stats = {
            name: np.array([_float(fetched[i][at[alias]]) for i in present], dtype=float)
            for name, alias in plan.stats.items()
        }
        rows = _rows(engine, source, plan, by, key, [groups[i] for i in present])
        for g, i in enumerate(present):
            n, h1, h2, tn, th1, th2 = [*(int(fetched[i][at[a]] or 0) for a in plan.audit), 0, 0, 0][
                :6
            ]
            if by or fetched[i][at[presence[text]]]:
                rows.cells[(g, -1)] = AuditCell(n, h1, h2, tn, th1, th2)
        if plan.spec.kind in ("mean", "sum"):
            stats = _scaled(engine, source, plan, stats)
        if plan.spec.kind == "median":
            medians.append((plan, present))
        prepared[plan.spec.id] = Prepared(
            plan.where.text if plan.where else None, stats, None, rows
        )
    if medians:
        hashes = None
        if keyed is not None:
            hashes = np.array([int(row[at[keyed]]) for row in fetched], dtype=np.uint64)
        _medians(engine, source, by, hashes, medians, prepared)
    return prepared


def _shares(
    engine: DuckDBEngine, source: str, items: list[tuple[Any, Expression | None]], key: list[str]
) -> dict[str, Prepared]:
    """Shares from their audit cells alone: the cells' counts per (group, category) are their
    statistics (duckdb_stats.py `_share` counted them by a query of their own), the shares of
    one `where` and `by` measured by one scan (duckdb_audit.py `share_rows`)."""
    from evalsoc.engines.duckdb_audit import share_rows

    kinds = engine.kinds(source)
    # duckdb_stats.py `_share` refuses the other kinds too
    taken = [(s, w) for s, w in items if kinds.get(s.share) in (NUMBER, BOOL, DATETIME, TEXT)]
    prepared: dict[str, Prepared] = {}
    for (spec, where), found in zip(taken, share_rows(engine, source, taken, key), strict=True):
        if found is not None:
            rows, measured = found
            statistics = share_statistics(spec, kinds[spec.share], measured)
            prepared[spec.id] = Prepared(where.text if where else None, statistics, None, rows)
    return prepared


def share_statistics(spec: Any, kind: str, measured: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The table (group × category counts) and labels duckdb_stats.py `_share` returns, from
    the audit's cells: categories in DuckDB's order of their values (missing last, dropped)."""
    from evalsoc.engines.duckdb_stats import _group_value
    from evalsoc.sections.indicators.compute import _category_text

    width = len(spec.by)
    values = {int(row[-1]): row[1 + width] for row in measured}
    ngroups = len({int(row[0]) for row in measured}) if spec.by else 1
    table = np.zeros((ngroups, max(len(values), 1)), dtype=float)
    for row in measured:
        if row[1 + width] is not None:
            table[int(row[0]), int(row[-1])] = int(row[2 + width] or 0)
    present = [values[c] for c in range(len(values))]
    if present and present[-1] is None:
        table, present = table[:, :-1], present[:-1]
    labels = [_category_text(_group_value(v, kind)) for v in present]
    return {"table": table, "labels": labels}


def _float(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _rows(
    engine: DuckDBEngine,
    source: str,
    plan: _Planned,
    by: list[str],
    key: list[str],
    groups: list[tuple[Any, ...]],
) -> IndicatorRows:
    """The indicator's audit description (duckdb_audit.py), its cells filled by the caller."""
    complete = engine.complete(source, key) if key else set()
    rows = IndicatorRows(
        engine,
        source,
        plan.spec,
        plan.select,
        plan.valid,
        plan.trait,
        dict(plan.params),
        list(by),
        plan.prefix,
        key=list(key) if key and len(complete) == len(key) else [],
    )
    rows.groups = list(groups) if by else []
    return rows


def _scaled(
    engine: DuckDBEngine, source: str, plan: _Planned, stats: dict[str, Any]
) -> dict[str, Any]:
    """A mean's statistics; values near 1e308 are summed rescaled by their own query."""
    from evalsoc.engines.duckdb_stats import statistics
    from evalsoc.sections.indicators.compute import _power_of_two_scale

    largest = stats.pop("largest")
    if _power_of_two_scale(largest) == 1.0:
        return {**stats, "scale": 1.0}
    rescaled = statistics(engine, source, plan.where, plan.spec)
    if rescaled is None:  # compiled above, so it compiles here
        raise RuntimeError(f"indicator {plan.spec.id!r}: rescaled sums not computed")
    return rescaled


def _bracketed_median(
    engine: DuckDBEngine,
    source: str,
    by: list[str],
    plan: _Planned,
    present: list[int],
    answer: Prepared,
) -> None:
    """One median's figures from duckdb_medians.py: its groups (those with a selected row,
    the shared query's `present`) and the whole."""
    from evalsoc.engines.duckdb_medians import order_statistics

    x = _number(plan.spec.args, engine.kinds(source))
    n, picked = order_statistics(
        engine.connection,
        engine.view(source),
        by,
        x,
        plan.select,
        plan.params,
        lambda size: median_ranks(size)[0],
        whole=bool(by),
    )
    expected = answer.stats["n"]
    groups = len(present) if by else 1
    sizes = np.append(expected, expected.sum()) if by else expected
    if not np.array_equal(n, sizes):
        raise RuntimeError(f"median {plan.spec.id!r}: the groups' sizes differ between queries")
    answer.stats = _median_stats(expected, picked[:groups])
    if by:
        answer.overall = _median_stats(np.array([expected.sum()]), [picked[-1]])


def _medians(
    engine: DuckDBEngine,
    source: str,
    by: list[str],
    hashes: np.ndarray | None,
    medians: list[tuple[_Planned, list[int]]],
    prepared: dict[str, Prepared],
) -> None:
    """Every median of this `by`: their values fetched together when they fit
    (duckdb_fetched_medians.py), else each one's brackets narrowed by counts."""
    from evalsoc.engines import duckdb_fetched_medians as fetching

    kinds = engine.kinds(source)
    batches = fetching.batches(engine.length(source), len(medians))
    numbered: list[tuple[_Planned, list[int]]] = []  # the ones a fetch could not place
    for batch in batches:
        chosen = [medians[m] for m in batch]
        params: dict[str, Any] = {}
        for plan, _ in chosen:
            params.update(plan.params)
        keys, values = fetching.fetch(
            engine.connection,
            engine.view(source),
            by,
            [_number(plan.spec.args, kinds) for plan, _ in chosen],
            [plan.select for plan, _ in chosen],
            params,
        )
        numbers = None
        if by:
            assert keys is not None and hashes is not None  # both asked for with `by`
            numbers = fetching.group_numbers(keys, hashes)
            if numbers is None:  # two groups' keys share a hash: the bracket path
                numbered.extend(chosen)
                continue
        for (plan, present), column in zip(chosen, values, strict=True):
            groups = fetching.split(column, numbers, len(hashes) if hashes is not None else 1)
            _picked(plan, present, groups, by, prepared[plan.spec.id])
    for plan, present in numbered if batches else medians:
        _bracketed_median(engine, source, by, plan, present, prepared[plan.spec.id])


def _picked(
    plan: _Planned, present: list[int], groups: list[np.ndarray], by: list[str], answer: Prepared
) -> None:
    """One median's figures from its fetched values per group (the whole: all of them)."""
    from evalsoc.engines.duckdb_fetched_medians import order_statistics

    n = answer.stats["n"]
    mine = [groups[i] for i in present]
    if [len(values) for values in mine] != [int(size) for size in n]:
        raise RuntimeError(f"median {plan.spec.id!r}: the groups' sizes differ between queries")
    answer.stats = _median_stats(n, [order_statistics(v, median_ranks(len(v))[0]) for v in mine])
    if by:
        whole = np.concatenate(mine) if mine else np.array([], dtype=float)
        answer.overall = _median_stats(
            np.array([n.sum()]), [order_statistics(whole, median_ranks(len(whole))[0])]
        )


def _median_stats(n: np.ndarray, picked: list[Any]) -> dict[str, Any]:
    """n, median and interval bounds per group, as duckdb_stats.py `_median` combines them."""
    med, lo, hi = (np.full(len(n), np.nan) for _ in range(3))
    for g, values in enumerate(picked):
        if not n[g] or not values:
            continue
        a, b = np.float64(values[0]), np.float64(values[1])
        med[g] = float((a + b) / 2)
        if len(values) == 4:
            lo[g], hi[g] = values[2], values[3]
    return {"n": n, "median": med, "lo": lo, "hi": hi}
