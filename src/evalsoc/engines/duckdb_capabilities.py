"""A capability set scored row by row in DuckDB, then grouped: the cells, not the persons.

Each selected row's dimension flags are SQL expressions written from the set's declarations
exactly as sections/capabilities/scoring.py computes them on pandas: items read as numbers
(booleans 0/1, declared ordered levels mapped to 1..L), reverse coding over the declared scale
(`(low + high) − x`), a dimension's score as the items' sum or mean (added left to right, then
divided: numpy's order), `score < cutoff`, or a `deprived:` condition compiled by
engines/duckdb_sql.py with evalsoc's missing-value semantics; a row is missing on a dimension
when one of its watched columns is missing (NULL or NaN). One `GROUP BY ALL` then returns one
row per distinct combination of flags, scores (when the set is cardinal), design position and
labels, with its persons (`count(*)`), summed weights and summed squared
weights: the estimator's `collapse` turns those rows into its cells as it would the persons.
A second `GROUP BY` returns the distinct answers to the items of multi-item dimensions with
their persons, for the scales' reliability.

Anything whose pandas reading depends on more than the declarations and the column's type
(an untyped column, a reverse item without a declared scale, a condition the compiler refuses)
raises `NotCompiled`: the caller then collects the rows and scores them on pandas, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evalsoc.engines.duckdb_sql import (
    BOOL,
    NUMBER,
    TEXT,
    NotCompiled,
    compile_where,
    quote,
    used_params,
)
from evalsoc.framework.expressions import parse_expression

PERSONS, WEIGHT, WEIGHT_SQ, DESIGN_OK = "n_persons", "weight_sum", "weight_sq_sum", "design_ok"
MISSING_TEXT = "(missing)"  # scoring.MISSING_LABEL: a missing id's label, sorted among texts


@dataclass
class CellsQuery:
    """The SELECT list of the scored rows and the bound parameters, built column by column."""

    kinds: dict[str, str]
    select: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        name = f"cap{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def add(self, sql: str, alias: str) -> None:
        self.select.append(f"{sql} AS {quote(alias)}")

    def missing(self, column: str) -> str:
        """SQL true when `column` is missing as pandas' `isna` sees it (NULL, or NaN)."""
        kind = self.kinds.get(column)
        if kind == NUMBER:
            return f"({quote(column)} IS NULL OR isnan(CAST({quote(column)} AS DOUBLE)))"
        if kind in (BOOL, TEXT):
            return f"({quote(column)} IS NULL)"
        raise NotCompiled(f"column {column!r} has no type SQL reads as pandas does")


def item_sql(
    query: CellsQuery, column: str, declared: Any
) -> tuple[str, tuple[float, float] | None]:
    """An item as a DOUBLE (NULL when missing) and its declared scale: scoring._numeric_item."""
    kind = query.kinds.get(column)
    levels = getattr(declared, "levels", None)
    values = getattr(declared, "values", None)
    ordered = levels if isinstance(levels, list) else values
    name = quote(column)
    if kind == BOOL:
        return f"CAST({name} AS DOUBLE)", (0.0, 1.0)
    if kind == NUMBER:
        number = f"CAST({name} AS DOUBLE)"
        sql = f"(CASE WHEN isnan({number}) THEN NULL ELSE {number} END)"
        if isinstance(levels, int):
            return sql, (1.0, float(levels))
        if ordered and all(isinstance(v, (int, float)) for v in ordered):
            return sql, (float(min(ordered)), float(max(ordered)))
        return sql, None
    if kind == TEXT and ordered:
        cases = " ".join(
            f"WHEN {query.bind(str(v))} THEN {query.bind(i + 1.0)}" for i, v in enumerate(ordered)
        )
        return f"(CASE CAST({name} AS VARCHAR) {cases} ELSE NULL END)", (1.0, float(len(ordered)))
    raise NotCompiled(f"item {column!r} is not read as a number without its rows")


def add_dimension(query: CellsQuery, j: int, dim: Any, spec: Any, declared: dict[str, Any]) -> bool:
    """Adds d{j} (deprived), m{j} (missing) and, for a cutoff, s{j} (score) and x{j}_{i} (the
    items, reverse-coded). Returns whether the dimension has a cutoff (a score)."""
    if dim.deprived is not None:
        expression = parse_expression(dim.deprived)
        compiled = compile_where(expression.tree, query.kinds, prefix=f"cap_d{j}_")
        query.params.update(compiled.params)
        watched = dim.items or expression.columns
        missing = " OR ".join(query.missing(c) for c in watched) if watched else "FALSE"
        query.add(f"({missing})", f"m{j}")
        query.add(f"(({compiled.sql}) AND NOT ({missing}))", f"d{j}")
        return False
    items = []
    for i, column in enumerate(dim.items):
        sql, scale = item_sql(query, column, declared.get(column))
        if column in dim.reverse:
            if scale is None and spec.likert_levels:
                scale = (1.0, float(spec.likert_levels))
            if scale is None:
                raise NotCompiled(f"reverse item {column!r} without a declared scale")
            sql = f"({query.bind(float(scale[0] + scale[1]))}::DOUBLE - {sql})"
        query.add(sql, f"x{j}_{i}")
        items.append(quote(f"x{j}_{i}"))
    total = " + ".join(items)
    score = f"({total})" if dim.combine == "sum" else f"(({total}) / {float(len(items))!r})"
    missing = " OR ".join(f"{x} IS NULL" for x in items)
    cutoff = query.bind(float(dim.cutoff))
    return_sql = f"coalesce({score} < {cutoff}::DOUBLE, FALSE) AND NOT ({missing})"
    query.select.append(f"({missing}) AS {quote(f'm{j}')}")
    query.select.append(f"{score} AS {quote(f's{j}')}")
    query.select.append(f"({return_sql}) AS {quote(f'd{j}')}")
    return True


def _scored(
    view: str,
    where: tuple[str, dict[str, Any]],
    spec: Any,
    kinds: dict[str, str],
    declared: dict[str, Any],
    keys: list[str],
) -> tuple[str, dict[str, Any], list[bool]]:
    """The CTE of the selected rows scored (flags, scores, items, design, keys), its
    parameters, and which dimensions have a cutoff (a score)."""
    query = CellsQuery(kinds)
    cutoffs = [
        add_dimension(query, j, dim, spec, declared) for j, dim in enumerate(spec.dimensions)
    ]
    ok = ["TRUE"]
    if spec.weight:
        if kinds.get(spec.weight) != NUMBER:
            raise NotCompiled(f"sampling weight {spec.weight!r} is not a number column")
        w = f"CAST({quote(spec.weight)} AS DOUBLE)"
        ok.append(f"coalesce(isfinite({w}) AND {w} > 0, FALSE)")
        query.add(f"CASE WHEN {' AND '.join(ok)} THEN {w} END", "_w")
    for column in (spec.cluster, spec.strata):
        if column:
            ok.append(f"NOT {query.missing(column)}")
    reserved = {DESIGN_OK, "_w", "_keep", PERSONS, WEIGHT, WEIGHT_SQ}
    for j, dim in enumerate(spec.dimensions):
        reserved |= {f"d{j}", f"m{j}", f"s{j}"} | {f"x{j}_{i}" for i in range(len(dim.items))}
    for column in keys:
        if column in reserved:
            raise NotCompiled(f"column {column!r} has a name the query uses")
        query.missing(column)  # a type SQL reads as pandas does, or NotCompiled
        query.select.append(quote(column))
    query.add(" AND ".join(ok), DESIGN_OK)
    condition, where_params = where
    cte = f"WITH scored AS (SELECT {', '.join(query.select)} FROM {view} WHERE {condition})"
    return cte, {**where_params, **query.params}, cutoffs


def scored_cells(
    connection: Any,
    view: str,
    where: tuple[str, dict[str, Any]],
    spec: Any,
    kinds: dict[str, str],
    declared: dict[str, Any],
    keys: list[str],
    *,
    keep_scores: bool,
    ranked: Sequence[str] = (),
) -> Any:
    """One row per distinct (flags, scores, design position, labels) with its persons, summed
    weights and summed squared weights, as a pandas DataFrame. `keys`: the label and design
    columns, grouped by their raw values (named as in the data); `keep_scores`: keep each
    cutoff dimension's score (the normalised gaps of M1, M2); `ranked`: text keys returned as
    the dense rank of their text (missing written "(missing)", as scoring._label_text does),
    not as texts: the PSU or person ids, one per person at most, cost no Python string."""
    cte, params, cutoffs = _scored(view, where, spec, kinds, declared, keys)
    outer = [quote(f"d{j}") for j in range(len(spec.dimensions))]
    outer += [quote(f"m{j}") for j in range(len(spec.dimensions))]
    for j, has_score in enumerate(cutoffs):
        if has_score and keep_scores:
            outer.append(quote(f"s{j}"))
    outer += [quote(c) for c in keys]
    outer.append(quote(DESIGN_OK))
    sums = [f"count(*) AS {PERSONS}"]
    if spec.weight:
        sums += [f"fsum(_w) AS {WEIGHT}", f"fsum(_w * _w) AS {WEIGHT_SQ}"]
    grouped = f"SELECT {', '.join(outer)}, {', '.join(sums)} FROM scored GROUP BY ALL"
    if ranked:
        for column in ranked:
            if kinds.get(column) != TEXT:
                raise ValueError(f"only text keys are ranked, not {column!r}")
        names = ", ".join(quote(c) for c in ranked)
        ranks = ", ".join(
            f"dense_rank() OVER (ORDER BY coalesce(CAST({quote(c)} AS VARCHAR), "
            f"'{MISSING_TEXT}')) AS {quote(c)}"
            for c in ranked
        )
        grouped = f"SELECT * EXCLUDE ({names}), {ranks} FROM ({grouped})"
    sql = f"{cte} {grouped}"
    return connection.execute(sql, used_params(sql, params)).df()


def reliability_cells(
    connection: Any,
    view: str,
    where: tuple[str, dict[str, Any]],
    spec: Any,
    kinds: dict[str, str],
    declared: dict[str, Any],
    dimensions: Sequence[int],
) -> Any:
    """The reverse-coded items of `dimensions` of the persons the set keeps, one row per
    distinct answers with its persons (`_keep`: kept by the design and the missing-value
    policy; `m{j}`: the dimension's answers incomplete): what Cronbach's α, ω and the
    item-rest correlations need, a few hundred rows for Likert items."""
    cte, params, _ = _scored(view, where, spec, kinds, declared, [])
    missing = " OR ".join(quote(f"m{j}") for j in range(len(spec.dimensions)))
    keep = quote(DESIGN_OK) + (f" AND NOT ({missing})" if spec.missing == "drop" else "")
    outer = [f"({keep}) AS _keep"]
    for j in dimensions:
        outer.append(quote(f"m{j}"))
        outer += [quote(f"x{j}_{i}") for i in range(len(spec.dimensions[j].items))]
    sql = f"{cte} SELECT {', '.join(outer)}, count(*) AS {PERSONS} FROM scored GROUP BY ALL"
    return connection.execute(sql, used_params(sql, params)).df()
