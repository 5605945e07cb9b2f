"""An OLS's grouped moments computed in DuckDB (`DuckDBEngine.ols_moments`, `ols_second_pass`):
two scans, no row collected.

The rows are those `compute.prepare_frame` keeps, as in duckdb_cells.py: the effect's `where`
selects them, a missing value (NULL, or NaN in a float column) in the outcome, the cluster, a
covariate, a fixed effect or a column of the `treatment`/`post` conditions drops them
(counted), and the conditions are compiled with evalsoc's missing-value semantics.

First scan: grouped by (treated, post, cluster, keys), per group the count, DuckDB's
compensated sums `fsum` of each numeric column and of the outcome, and their co-moments
`covar_pop × n` (DuckDB updates them with Welford's algorithm and merges threads' partial
states by the parallel identity: no raw sums of squares), the outcome's min and max and
whether each is 0/1. The groups are made in a temporary table and fetched only when they are
at most `request.max_groups` (else `TooManyGroups`: the effect collects its columns). Keys are booleans (as 0/1) and texts (as DuckDB's VARCHAR, the text pandas
holds), whose values are then constant within a group.

Second scan (HC0–HC3): the same rows joined to a small table of the key groups' fitted value
and leverage terms (registered from pandas: no value written into the SQL text), per row
e = y − α − β'ñ and h = h0 + b'ñ + ñ'Dñ, and per key group fsum of w, w·ñ and w·ñññ' with
w = e², e²/(1 − h) or e²/(1 − h)².
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from evalsoc.engines.base import MomentGroups, MomentRequest, TooManyGroups
from evalsoc.engines.duckdb_cells import present_sql
from evalsoc.engines.duckdb_sql import (
    BOOL,
    DATETIME,
    NUMBER,
    TEXT,
    NotCompiled,
    compile_where,
    quote,
)

LEVERAGE_POWER = {"hc0": 0, "hc1": 0, "hc2": 1, "hc3": 2}


def _rows_sql(engine: Any, request: MomentRequest) -> tuple[str, dict[str, Any], list[str]]:
    """(SELECT of each selected row's ok, y, d, p, g, x0…, k0…; parameters; numeric names)."""
    kinds = engine.kinds(request.source)
    if kinds.get(request.outcome) not in (NUMBER, BOOL):
        raise NotCompiled(request.outcome)
    if request.cluster is not None and kinds.get(request.cluster) not in (NUMBER, BOOL, TEXT):
        raise NotCompiled(request.cluster)
    if any(kinds.get(c) != NUMBER for c in request.numeric):
        raise NotCompiled("numeric column kind")
    if any(kinds.get(c) not in (BOOL, TEXT, NUMBER) for c in request.keys):
        raise NotCompiled("key column kind")
    used = [request.outcome, *([request.cluster] if request.cluster else [])]
    used += [*request.numeric, *request.keys]
    used += [*request.treatment.columns, *(request.post.columns if request.post else [])]
    used = list(dict.fromkeys(used))
    if any(kinds.get(c) not in (NUMBER, BOOL, TEXT, DATETIME) for c in used):
        raise NotCompiled("column kind")
    selected, params = engine.condition(request.source, request.where, "w")
    treated = compile_where(request.treatment.tree, kinds, "t")
    params = {**params, **treated.params}
    after_sql = "0"
    if request.post is not None:
        after = compile_where(request.post.tree, kinds, "a")
        params.update(after.params)
        after_sql = after.sql
    complete = " AND ".join(present_sql(c, kinds[c]) for c in used)
    columns = [
        f"({complete}) AS ok",
        f"CAST({quote(request.outcome)} AS DOUBLE) AS y",
        f"CAST({treated.sql} AS INTEGER) AS d",
        f"CAST({after_sql} AS INTEGER) AS p",
        f"{quote(request.cluster)} AS g" if request.cluster else "0 AS g",
    ]
    columns += [f"CAST({quote(c)} AS DOUBLE) AS x{i}" for i, c in enumerate(request.numeric)]
    for i, c in enumerate(request.keys):
        kind = {BOOL: "INTEGER", TEXT: "VARCHAR", NUMBER: "DOUBLE"}[kinds[c]]
        columns.append(f"CAST({quote(c)} AS {kind}) AS k{i}")
    sql = f"SELECT {', '.join(columns)} FROM {engine.view(request.source)} WHERE {selected}"
    return sql, params, [f"x{i}" for i in range(len(request.numeric))]


def ols_moments(engine: Any, request: MomentRequest) -> MomentGroups:
    """The first scan (module docstring); NotCompiled when SQL cannot read it as pandas."""
    rows, params, numeric = _rows_sql(engine, request)
    varying = [*numeric, "y"]
    keys = [f"k{i}" for i in range(len(request.keys))]
    by = ["ok", "d", "p", "g", *keys]
    aggregates = ["count(*) AS n", *(f"fsum({v}) AS s_{v}" for v in varying)]
    aggregates += [
        f"covar_pop({a}, {b}) * count(*) AS c_{a}_{b}"
        for a, b in itertools.combinations_with_replacement(varying, 2)
    ]
    aggregates += [f"bool_and({v} = 0 OR {v} = 1) AS zo_{v}" for v in varying]
    aggregates += ["min(y) AS lo", "max(y) AS hi"]
    query = (
        f"SELECT {', '.join(by)}, {', '.join(aggregates)} FROM ({rows}) GROUP BY {', '.join(by)}"
    )
    table = f"evalsoc_ols_groups_{id(request)}"
    connection = engine.connection
    connection.execute(f"CREATE TEMP TABLE {table} AS {query}", params)
    try:
        (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count > request.max_groups:
            raise TooManyGroups(count)
        found = connection.execute(f"SELECT * FROM {table}").fetchdf()
    finally:
        connection.execute(f"DROP TABLE {table}")
    return moment_groups(found, len(request.numeric), len(request.keys))


def moment_groups(found: Any, q: int, n_keys: int) -> MomentGroups:
    """MomentGroups from the grouped answer (columns of `ols_moments`' query), shared with the
    Spark engine. Groups are sorted (d, p, cluster, keys): sums over them are made in one order,
    whatever order the engine answered in."""
    import pandas as pd

    rows = int(found["n"].sum())
    kept = found[found["ok"].astype(bool)]
    codes, _ = pd.factorize(kept["g"], sort=True)
    keys = [f"k{i}" for i in range(n_keys)]
    kept = kept.assign(g=codes.astype(np.int64)).sort_values(["d", "p", "g", *keys], kind="stable")
    varying = [*(f"x{i}" for i in range(q)), "y"]
    n = kept["n"].to_numpy(dtype=float)
    sums = np.column_stack([kept[f"s_{v}"].to_numpy(dtype=float) for v in varying])
    comoment = np.zeros((len(kept), q + 1, q + 1))
    for (i, a), (j, b) in itertools.combinations_with_replacement(enumerate(varying), 2):
        values = kept[f"c_{a}_{b}"].to_numpy(dtype=float)
        comoment[:, i, j] = comoment[:, j, i] = values
    zero_one = np.column_stack(
        [kept[f"zo_{v}"].astype(bool).to_numpy() for v in varying[:-1]]
        or [np.zeros((len(kept), 0), dtype=bool)]
    ).reshape(len(kept), q)
    table = kept[["d", "p", "g", *keys]].reset_index(drop=True)
    table[["d", "p"]] = table[["d", "p"]].astype(np.int64)
    return MomentGroups(
        rows=rows,
        kept=int(n.sum()),
        table=table,
        n=n,
        sums=sums,
        comoment=comoment,
        zero_one=zero_one,
        low=float(kept["lo"].min()) if len(kept) else None,
        high=float(kept["hi"].max()) if len(kept) else None,
        binary=bool(len(kept)) and bool(kept["zo_y"].astype(bool).all()),
    )


def ols_second_pass(engine: Any, request: MomentRequest, terms: Any, kind: str) -> Any:
    """The second scan (module docstring). `terms`: a DataFrame with one row per key group:
    grp (its position), d, p, k0…, alpha, h0, b0…, s0…, D0_0…, and in `terms.attrs` the
    numeric columns' centre. Returns a DataFrame per grp: sw, swx0…, swx{i}x{j}…, top (max h)."""
    rows, params, numeric = _rows_sql(engine, request)
    q = len(numeric)
    centre = terms.attrs["centre"]
    keys = [f"k{i}" for i in range(len(request.keys))]
    name = f"evalsoc_ols_terms_{id(terms)}"
    parts = {f"n{i}": f"(r.x{i} - $c{i})" for i in range(q)}
    params.update({f"c{i}": float(centre[i]) for i in range(q)})
    fitted = " + ".join(["t.alpha", *(f"t.s{i} * {parts[f'n{i}']}" for i in range(q))])
    leverage = " + ".join(
        ["t.h0"]
        + [f"t.b{i} * {parts[f'n{i}']}" for i in range(q)]
        + [f"t.D{i}_{j} * {parts[f'n{i}']} * {parts[f'n{j}']}" for i in range(q) for j in range(q)]
    )
    power = LEVERAGE_POWER[kind]
    weight = "e * e" if power == 0 else f"e * e / pow(1 - h, {power})"
    join = " AND ".join(f"r.{c} = t.{c}" for c in ["d", "p", *keys])
    inner = (
        f"SELECT t.grp AS grp, r.y - ({fitted}) AS e, {leverage} AS h"
        + "".join(f", {parts[f'n{i}']} AS n{i}" for i in range(q))
        + f" FROM ({rows}) AS r JOIN {name} AS t ON {join} WHERE r.ok"
    )
    sums = ["fsum(w) AS sw", *(f"fsum(w * n{i}) AS swx{i}" for i in range(q))]
    sums += [f"fsum(w * n{i} * n{j}) AS swx{i}x{j}" for i in range(q) for j in range(i, q)]
    query = (
        f"SELECT grp, {', '.join(sums)}, max(h) AS top "
        f"FROM (SELECT *, {weight} AS w FROM ({inner})) GROUP BY grp"
    )
    table = terms.drop(columns=[]).copy()
    table.attrs = {}
    engine.connection.register(name, table)
    try:
        return engine.connection.execute(query, params).fetchdf()
    finally:
        engine.connection.unregister(name)
