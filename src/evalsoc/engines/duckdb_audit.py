"""The disclosure audit's questions answered inside DuckDB: no row, mask or group code leaves it.

The audit (privacy/audit.py) needs, for every published figure of an indicator, the set of
source rows behind it: its size, an identity (two figures on the same rows are one population)
and, for pairs of populations of nearly equal size, the size of their symmetric difference.
On pandas these are packed bit masks. Here each indicator's rows are described by SQL over its
source (the `where`, the rows a statistic counts, the `by` group, the trait or category), and:

- one GROUP BY query per indicator returns, for every (`by` group, share category) cell, the
  number of rows and two 64-bit XOR-of-hash signatures of their identities in the source (the
  source's declared `key` when it has no missing value, which validation keeps unique; else
  the row's position, `row_number() OVER ()`; hashed, and hashed with a salt): a figure's size
  and signature are sums
  and XORs of its disjoint cells', the union of shown groups included. Equal (size, 128-bit
  signature) is taken as the same population, as the pandas audit takes an equal 128-bit
  BLAKE2 digest of the mask;
- the shares of one source with the same `where` and `by` are measured together: one
  `GROUPING SETS` scan, a set per share column, instead of one GROUP BY each (the rows are
  hashed and scanned once; every cell is the one its own query counts);
- a pair's symmetric difference is |a| + |b| − 2·|a ∩ b|, the sizes known from the cells and
  the intersection counted by `sum(CASE WHEN a AND b THEN 1 ELSE 0 END)` over the source, for
  every pair in one scan, asked only for the few pairs whose sizes differ by less than
  `min_cell` (audit.PopulationAudit). A conjunction under CASE is evaluated on the rows its
  first terms keep (about 2.5× less CPU than `count(*) FILTER (WHERE a <> b)`, which
  evaluates both whole conditions on every row); an intersection larger than either
  population raises (a bug, exit 3).

The rows each figure counts mirror sections/indicators/compute.py `row_support` kind by kind;
kinds it does not describe (gini, theil, atkinson, gap) return None and the source's audit
then uses the pandas masks for all its indicators (the two identities are never mixed).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evalsoc.engines.audit_figures import AuditCell, apart_within, published_figures, union_of_cells
from evalsoc.engines.duckdb_sql import (
    BOOL,
    NUMBER,
    NotCompiled,
    compile_where,
    quote,
    used_params,
)

if TYPE_CHECKING:
    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.framework.expressions import Expression

SALT = 0x9E3779B97F4A7C15  # the second signature hashes the position plus this constant
PAIRS_PER_QUERY = 64
_ids = itertools.count()


@dataclass
class Population:
    """One published figure's rows: size, signature and their SQL condition."""

    size: int
    signature: bytes
    condition: str  # a conjunction: a row whose condition is NULL is not in the population
    params: dict[str, Any]
    owner: Any = None  # the IndicatorRows it comes from
    cells: frozenset[tuple[int, int]] = frozenset()  # its (group, category) cells
    trait: bool = False  # only the rows with the trait of those cells

    def disjoint(self, other: Population) -> bool:
        """Whether the two are restricted to different values of the same `by` columns (a row
        has one value: no row in both), whatever their `where`."""
        a, b = self._restriction(), other._restriction()
        return a is not None and b is not None and a[0] == b[0] and not a[1] & b[1]

    def _restriction(self) -> tuple[tuple[str, ...], set[tuple[Any, ...]]] | None:
        owner = self.owner
        groups = {g for g, _ in self.cells}
        if owner is None or not owner.by or len(groups) == len(owner.groups):
            return None  # every group: not restricted
        return tuple(owner.by), {owner.groups[g] for g in groups}


@dataclass
class IndicatorRows:
    """The rows behind one indicator's figures, as SQL over its source."""

    engine: DuckDBEngine
    source: str
    spec: Any
    select: str  # the `where` (TRUE without)
    valid: str  # rows behind n
    trait: str | None  # rows with the trait (proportion, count of a condition)
    params: dict[str, Any]
    by: list[str]
    prefix: str
    key: list[str] = field(default_factory=list)  # unique, complete columns naming a row
    groups: list[tuple[Any, ...]] = field(default_factory=list)  # raw `by` values per code
    categories: list[list[Any]] = field(default_factory=list)  # raw share values per position
    cells: dict[tuple[int, int], AuditCell] = field(default_factory=dict)  # (group, category)

    def figures(self, result: dict[str, Any]) -> Iterator[tuple[tuple[str, Any], Population]]:
        """(figure key, population) of every published figure, as privacy/indicators.py
        `figures` yields them from masks (same keys, same order)."""
        return published_figures(
            result,
            self.spec.kind,
            list(range(len(self.groups) or 1)),
            self.trait is not None,
            self._population,
        )

    def count_apart(self, source: str, pairs: list[tuple[Population, Population]]) -> list[int]:
        """Pairs of one indicator from its cells; pairs of two indicators by one scan."""

        def known(a: Population, b: Population) -> int | None:
            if a.owner is b.owner:
                return int(a.owner.apart_within(a, b))
            return a.size + b.size if a.disjoint(b) else None

        answers = [known(a, b) for a, b in pairs]
        across = [pair for pair, n in zip(pairs, answers) if n is None]
        scanned = iter(count_apart(self.engine, source, across))
        return [next(scanned) if n is None else n for n in answers]

    def group_table(self) -> Any:
        """The table of groups (a DataFrame, one row per code), as engines/base.py `groups`."""
        import pandas as pd

        from evalsoc.engines.duckdb_stats import _group_value

        kinds = self.engine.kinds(self.source)
        rows = [[_group_value(v, kinds[c]) for v, c in zip(g, self.by)] for g in self.groups]
        return pd.DataFrame(rows, columns=self.by) if rows else pd.DataFrame(columns=self.by)

    def _population(self, groups: list[int], category: int | None, trait: bool) -> Population:
        total, chosen = union_of_cells(self.cells, groups, category, trait)
        params = dict(self.params)
        parts = [self.select, self.valid]
        if trait and self.trait is not None:
            parts.append(self.trait)
        if self.by and len(groups) < len(self.groups):
            parts.append("(" + " OR ".join(self._group(g, params) for g in groups) + ")")
        if category is not None:
            parts.append(self._category(category, params))
        condition = " AND ".join(f"({p})" for p in parts)
        trait = trait and self.trait is not None
        return Population(total.size, total.signature(), condition, params, self, chosen, trait)

    def apart_within(self, a: Population, b: Population) -> int:
        """Rows in exactly one of two populations of this indicator, from its cells' counts."""
        return apart_within(self.cells, a, b)

    def _group(self, g: int, params: dict[str, Any]) -> str:
        tests = []
        for column, value in zip(self.by, self.groups[g]):
            if value is None:
                tests.append(f"{quote(column)} IS NULL")
            else:
                name = f"{self.prefix}g{g}_{len(tests)}"
                params[name] = value
                tests.append(f"{quote(column)} = ${name}")
        return "(" + " AND ".join(tests) + ")"

    def _category(self, j: int, params: dict[str, Any]) -> str:
        tests = []
        for k, value in enumerate(self.categories[j]):
            name = f"{self.prefix}c{j}_{k}"
            params[name] = value
            tests.append(f"{quote(self.spec.share)} = ${name}")
        return "(" + " OR ".join(tests) + ")"


def indicator_rows(
    engine: DuckDBEngine,
    source: str,
    where: Expression | None,
    spec: Any,
    key: list[str],
    measured: list[tuple[Any, ...]] | None = None,
) -> IndicatorRows | None:
    """The rows behind `spec`'s figures, sizes and signatures computed; None when a piece does
    not compile (the pandas masks are used then). `measured` receives the cells' query rows
    (group code, `by` values, category, six aggregates, category rank): a share's statistics
    are read from them (duckdb_onepass.py `share_statistics`)."""
    rows = _described(engine, source, where, spec, key)
    if rows is not None:
        fetched = _measure(rows)
        if measured is not None:
            measured.extend(fetched)
    return rows


def share_rows(
    engine: DuckDBEngine,
    source: str,
    items: list[tuple[Any, Expression | None]],
    key: list[str],
) -> list[tuple[IndicatorRows, list[tuple[Any, ...]]] | None]:
    """`indicator_rows` of each share of `items` (spec, parsed `where`) with its cells' query
    rows, in order: the shares with the same `where` and `by` measured by one scan
    (`_measure_together`); None for a share whose pieces do not compile."""
    described = [_described(engine, source, where, spec, key) for spec, where in items]
    batches: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    alone: list[list[int]] = []
    for i, rows in enumerate(described):
        if rows is not None and rows.spec.share in rows.by:  # also a group: its own query
            alone.append([i])
        elif rows is not None:
            where = items[i][1]
            text = None if where is None else where.text
            batches.setdefault((text, tuple(rows.by)), []).append(i)
    measured: dict[int, list[tuple[Any, ...]]] = {}
    for batch in [*batches.values(), *alone]:
        together = [r for i in batch if (r := described[i]) is not None]
        found = _measure_together(together) if len(batch) > 1 else [_measure(together[0])]
        measured.update(zip(batch, found))
    return [None if rows is None else (rows, measured[i]) for i, rows in enumerate(described)]


def _described(
    engine: DuckDBEngine, source: str, where: Expression | None, spec: Any, key: list[str]
) -> IndicatorRows | None:
    """An indicator's rows as SQL, before any query; None when a piece does not compile."""
    kinds = engine.kinds(source)
    prefix = f"a{next(_ids)}_"
    try:
        select, params = engine.condition(source, where, prefix=prefix + "w")
        described = _valid_and_trait(spec, kinds, prefix)
    except NotCompiled:
        return None
    if described is None:
        return None
    valid, trait, more = described
    complete = engine.complete(source, key) if key else set()
    return IndicatorRows(
        engine,
        source,
        spec,
        select,
        valid,
        trait,
        {**params, **more},
        list(spec.by),
        prefix,
        key=list(key) if key and len(complete) == len(key) else [],
    )


def _valid_and_trait(
    spec: Any, kinds: dict[str, str], prefix: str
) -> tuple[str, str | None, dict[str, Any]] | None:
    """(rows behind n, rows with the trait, parameters), as `row_support` counts them."""
    from evalsoc.framework.expressions import ExpressionError, parse_expression

    def numeric(column: Any) -> str:
        if not isinstance(column, str) or kinds.get(column) not in (NUMBER, BOOL):
            raise NotCompiled(str(column))
        return f"{quote(column)} IS NOT NULL"

    def condition(text: str) -> tuple[str, str, dict[str, Any]]:
        if text in kinds:
            column = quote(text)
            if kinds[text] == BOOL:
                return f"{column} IS NOT NULL", f"coalesce({column}, FALSE)", {}
            raise NotCompiled(text)  # a 0/1 number column: left to the masks
        try:
            expression = parse_expression(text)
            expression.check_columns(list(kinds))
        except ExpressionError:
            raise NotCompiled(text) from None
        compiled = compile_where(expression.tree, kinds, prefix=prefix + "t")
        known = " AND ".join(f"{quote(c)} IS NOT NULL" for c in expression.columns) or "TRUE"
        return known, compiled.sql, compiled.params

    kind = spec.kind
    if kind in ("mean", "sum", "median"):
        return numeric(spec.args), None, {}
    if kind == "rate":
        return " AND ".join(numeric(c) for c in spec.rate), None, {}
    if kind == "proportion":
        valid, holds, params = condition(spec.proportion)
        return valid, f"{valid} AND {holds}", params
    if kind == "count":
        if spec.count is True or spec.count in (None, "", "rows"):
            return "TRUE", None, {}
        valid, holds, params = condition(str(spec.count))
        return "TRUE", f"{valid} AND {holds}", params
    if kind == "share":
        if kinds.get(spec.share) is None:
            raise NotCompiled(str(spec.share))
        return f"{quote(spec.share)} IS NOT NULL", None, {}
    return None  # gini, theil, atkinson, gap: the masks


def _measure(rows: IndicatorRows) -> list[tuple[Any, ...]]:
    """Sizes and signatures of every (group, category) cell: one GROUP BY over the source."""
    from evalsoc.engines.duckdb_stats import _order

    engine, share = rows.engine, rows.spec.kind == "share"
    by = [quote(c) for c in rows.by]
    category = quote(rows.spec.share) if share else "NULL"
    trait = rows.trait or "FALSE"
    keys = [*by, "__cat"]
    aggregates = [
        f"count(*) FILTER (WHERE {rows.valid})",
        f"bit_xor(__h1) FILTER (WHERE {rows.valid})",
        f"bit_xor(__h2) FILTER (WHERE {rows.valid})",
        f"count(*) FILTER (WHERE {rows.valid} AND {trait})",
        f"bit_xor(__h1) FILTER (WHERE {rows.valid} AND {trait})",
        f"bit_xor(__h2) FILTER (WHERE {rows.valid} AND {trait})",
    ]
    code = f"dense_rank() OVER (ORDER BY {_order(rows.by)}) - 1" if rows.by else "0"
    rank = "dense_rank() OVER (ORDER BY __cat ASC NULLS LAST) - 1"  # a share's category order
    sql = (
        f"SELECT {code} AS __g, {', '.join(keys)}, {', '.join(aggregates)}, {rank} FROM ("
        f"SELECT *, {category} AS __cat, {_hashes(rows)}) AS r "
        f"WHERE {rows.select} GROUP BY {', '.join(keys)}"
    )
    fetched: list[tuple[Any, ...]] = engine.connection.execute(sql, rows.params).fetchall()
    _fill(rows, fetched)
    return fetched


def _hashes(rows: IndicatorRows) -> str:
    """`__h1, __h2 FROM …`: the two identity hashes of each source row (its key, or its
    position), the same for every indicator of the source."""
    view = rows.engine.view(rows.source)
    if rows.key:
        ident = ", ".join(quote(c) for c in rows.key)
        return f"hash({ident}) AS __h1, hash({ident}, {SALT}) AS __h2 FROM {view}"
    return (
        f"hash(__row) AS __h1, hash(__row + {SALT}) AS __h2 "
        f"FROM (SELECT *, row_number() OVER () AS __row FROM {view}) AS n"
    )


def _measure_together(shares: list[IndicatorRows]) -> list[list[tuple[Any, ...]]]:
    """`_measure` of several shares with one `where` and one `by` (none of them grouped by its
    own column), from one scan: `GROUP BY GROUPING SETS ((by…, c) for each share column c)`.

    Each set's rows are the cells `_measure` counts for a share of c: the same groups (every
    selected row has a category, missing included, in every set: the `by` values present are
    the same), the same category ranks (the other sets' columns are NULL in a set, so ordering
    by all of them orders by c), the same counts and XOR signatures (a cell of a category that
    is not missing holds only rows where the share's `valid`, c IS NOT NULL, holds; the missing
    category's aggregates are those of no row: 0 and NULL). The rows come back in `_measure`'s
    layout, one list per share."""
    from evalsoc.engines.duckdb_stats import _order

    first = shares[0]
    engine, width = first.engine, len(first.by)
    columns = list(dict.fromkeys(rows.spec.share for rows in shares))
    by, cats = [quote(c) for c in first.by], [quote(c) for c in columns]
    which = " ".join(f"WHEN GROUPING({c}) = 0 THEN {k}" for k, c in enumerate(cats))
    sets = ", ".join("(" + ", ".join([*by, c]) + ")" for c in cats)
    grouped = (
        f"SELECT CASE {which} END AS __set, {', '.join([*by, *cats])}, count(*) AS __n, "
        f"bit_xor(__h1) AS __x1, bit_xor(__h2) AS __x2 "
        f"FROM (SELECT *, {_hashes(first)}) AS r "
        f"WHERE {first.select} GROUP BY GROUPING SETS ({sets})"
    )
    code = f"dense_rank() OVER (PARTITION BY __set ORDER BY {_order(first.by)}) - 1"
    order = ", ".join(f"{c} ASC NULLS LAST" for c in cats)
    rank = f"dense_rank() OVER (PARTITION BY __set ORDER BY {order}) - 1"
    sql = (
        f"SELECT __set, {code if by else '0'}, {', '.join([*by, *cats])}, __n, __x1, __x2, "
        f"{rank} FROM ({grouped}) AS g"
    )
    fetched = engine.connection.execute(sql, used_params(sql, first.params)).fetchall()
    per_column: dict[int, list[tuple[Any, ...]]] = {k: [] for k in range(len(columns))}
    for row in fetched:
        k = int(row[0])
        value = row[2 + width + k]
        n, x1, x2 = (0, None, None) if value is None else row[2 + width + len(cats) : -1]
        per_column[k].append(
            (row[1], *row[2 : 2 + width], value, n, x1, x2, 0, None, None, row[-1])
        )
    measured = []
    for rows in shares:
        found = per_column[columns.index(rows.spec.share)]
        _fill(rows, found)
        measured.append(found)
    return measured


def _fill(rows: IndicatorRows, fetched: list[tuple[Any, ...]]) -> None:
    """The groups, categories and cells of `rows` from its cells' query rows (`_measure`)."""
    from evalsoc.engines.duckdb_stats import _group_value
    from evalsoc.sections.indicators.compute import _category_text, _natural

    engine, share = rows.engine, rows.spec.kind == "share"
    kinds = engine.kinds(rows.source)
    by = rows.by
    groups: dict[int, tuple[Any, ...]] = {}
    labels: dict[Any, str] = {}
    for row in fetched:
        groups[int(row[0])] = tuple(row[1 : 1 + len(by)])
        if share and row[1 + len(by)] is not None:
            value = row[1 + len(by)]
            labels[value] = _category_text(_group_value(value, kinds.get(rows.spec.share, "")))
    rows.groups = [groups[g] for g in range(len(groups))] if rows.by else []
    ordered = sorted(set(labels.values()), key=_natural)
    position = {label: j for j, label in enumerate(ordered)}
    rows.categories = [[v for v, lab in labels.items() if lab == label] for label in ordered]
    chosen = {str(v) for v in (getattr(rows.spec, "values", None) or [])} if share else set()
    if share and chosen:
        picked = [v for v, lab in labels.items() if lab in chosen]
        rows.trait = _in_values(rows.spec.share, picked, rows.prefix, rows.params)
    for row in fetched:
        g, value = int(row[0]), row[1 + len(by)]
        n, h1, h2, tn, th1, th2 = (int(x or 0) for x in row[2 + len(by) : 8 + len(by)])
        if share:
            if value is None:
                continue  # not counted: the valid rows have a category
            j = position[labels[value]]
            if labels[value] in chosen:
                tn, th1, th2 = n, h1, h2
        else:
            j = -1
        cell = rows.cells.setdefault((g, j), AuditCell())
        cell.add(AuditCell(n, h1, h2))
        cell.trait_size += tn
        cell.trait_h1 ^= th1
        cell.trait_h2 ^= th2


def _in_values(column: str, values: list[Any], prefix: str, params: dict[str, Any]) -> str:
    if not values:
        return "FALSE"
    names = []
    for k, value in enumerate(values):
        names.append(f"${prefix}s{k}")
        params[f"{prefix}s{k}"] = value
    return f"{quote(column)} IN ({', '.join(names)})"


def count_apart(
    engine: DuckDBEngine, source: str, pairs: list[tuple[Population, Population]]
) -> list[int]:
    """Rows in exactly one population of each pair, |a| + |b| − 2·|a ∩ b|: the intersections
    counted by one query over the source for all pairs."""
    if len(pairs) > PAIRS_PER_QUERY:  # a query of thousands of aggregates is slow to plan
        return [
            n
            for start in range(0, len(pairs), PAIRS_PER_QUERY)
            for n in count_apart(engine, source, pairs[start : start + PAIRS_PER_QUERY])
        ]
    if not pairs:
        return []
    params: dict[str, Any] = {}
    aggregates = []
    for a, b in pairs:
        params.update(a.params)
        params.update(b.params)
        in_both = f"({a.condition}) AND ({b.condition})"  # NULL: not in both
        aggregates.append(f"sum(CASE WHEN {in_both} THEN 1 ELSE 0 END)")
    sql = f"SELECT {', '.join(aggregates)} FROM {engine.view(source)}"
    bound = used_params(sql, params)  # an entry's parameters not in these conditions
    (row,) = engine.connection.execute(sql, bound).fetchall()  # fetched whole: see duckdb_table
    apart = []
    for (a, b), counted in zip(pairs, row, strict=True):
        both = int(counted or 0)  # a sum over no row is NULL
        if not 0 <= both <= min(a.size, b.size):  # the cells and the conditions disagree: a bug
            raise RuntimeError(f"{both} rows in two populations of {a.size} and {b.size}")
        apart.append(a.size + b.size - 2 * both)
    return apart
