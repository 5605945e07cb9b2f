"""A 2×2 DiD's cell sums computed in DuckDB (`DuckDBEngine.did_cells`): one scan, no row
collected.

The rows are those `compute.prepare_frame` would keep of the collected columns: the effect's
`where` selects them, a missing value (NULL, or NaN in a float column, as pandas' `notna`) in
the outcome, the cluster or a column of the `treatment`/`post` conditions drops them (counted),
and the two conditions are then compiled with evalsoc's missing-value semantics
(engines/duckdb_sql.py), which on complete rows is plain SQL logic. Rows are grouped by
(treated, post) — and by cluster when one is given — with per group the count, DuckDB's
compensated sums `fsum` of y and y² (exact for a 0/1 outcome; the squared deviations
Σy² − (Σy)²/n of a continuous one lose the digits of mean²/variance, well within the
documented 1e-9 when the outcome's coefficient of variation exceeds 10⁻³), its min and max,
and whether every value is 0 or 1.

Anything the compiler cannot express as pandas would read it raises `NotCompiled`: the effect
then collects its columns as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.engines.base import CellSums
from evalsoc.engines.duckdb_sql import BOOL, NUMBER, OTHER, NotCompiled, compile_where, quote
from evalsoc.framework.expressions import Expression


def present_sql(name: str, kind: str) -> str:
    """`name` holds a value pandas' notna counts (NaN is missing in a float column)."""
    test = f"{quote(name)} IS NOT NULL"
    if kind == NUMBER:
        test += f" AND NOT isnan(CAST({quote(name)} AS DOUBLE))"
    return test


def did_cells(
    engine: Any,
    source: str,
    where: Expression | None,
    outcome: str,
    treatment: Expression,
    post: Expression,
    cluster: str | None,
) -> CellSums:
    """The groups of a DiD's rows (see the module docstring); NotCompiled when SQL cannot."""
    kinds = engine.kinds(source)
    if kinds.get(outcome) not in (NUMBER, BOOL):
        raise NotCompiled(outcome)
    if cluster is not None and kinds.get(cluster, OTHER) == OTHER:
        raise NotCompiled(cluster)
    used = list(dict.fromkeys([outcome, *([cluster] if cluster else [])]))
    used += [c for c in [*treatment.columns, *post.columns] if c not in used]
    if any(kinds.get(c, OTHER) == OTHER for c in used):
        raise NotCompiled("column kind")
    selected, params = engine.condition(source, where, "w")
    treated = compile_where(treatment.tree, kinds, "t")
    after = compile_where(post.tree, kinds, "a")
    params = {**params, **treated.params, **after.params}
    complete = " AND ".join(present_sql(c, kinds[c]) for c in used)
    y = f"CAST({quote(outcome)} AS DOUBLE)"
    by = ["ok", "d", "p", *(["g"] if cluster else [])]
    cluster_sql = f", {quote(cluster)} AS g" if cluster else ""
    query = (
        f"SELECT {', '.join(by)}, count(*) AS n, fsum(y) AS sy, fsum(y * y) AS syy, "
        "min(y) AS lo, max(y) AS hi, bool_and(y = 0 OR y = 1) AS binary "
        f"FROM (SELECT ({complete}) AS ok, {y} AS y, CAST({treated.sql} AS INTEGER) AS d, "
        f"CAST({after.sql} AS INTEGER) AS p{cluster_sql} "
        f"FROM {engine.view(source)} WHERE {selected}) GROUP BY {', '.join(by)}"
    )
    found = engine.connection.execute(query, params).fetchdf()
    return cell_sums(found, cluster is not None)


def cell_sums(found: Any, clustered: bool) -> CellSums:
    """CellSums from the grouped answer (columns ok, d, p, [g], n, sy, syy, lo, hi, binary),
    shared with the Spark engine. Groups are sorted (treated, post, cluster) so that the sums
    over them are made in one order, whatever order the engine answered in."""
    import pandas as pd

    rows = int(found["n"].sum())
    kept = found[found["ok"].astype(bool)]
    labels = None
    if clustered:
        codes, _ = pd.factorize(kept["g"], sort=True)
        kept = kept.assign(_code=codes).sort_values(["d", "p", "_code"], kind="stable")
        labels = kept["_code"].to_numpy(dtype=np.int64)
    else:
        kept = kept.sort_values(["d", "p"], kind="stable")
    n = kept["n"].to_numpy(dtype=np.int64)
    total = kept["sy"].to_numpy(dtype=float)
    squares = kept["syy"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = np.where(n > 0, squares - total * total / np.where(n > 0, n, 1), 0.0)
    return CellSums(
        rows=rows,
        kept=int(n.sum()),
        treated=kept["d"].to_numpy(dtype=np.int64),
        post=kept["p"].to_numpy(dtype=np.int64),
        n=n,
        total=total,
        ss=np.maximum(ss, 0.0),
        cluster=labels,
        low=float(kept["lo"].min()) if len(kept) else None,
        high=float(kept["hi"].max()) if len(kept) else None,
        binary=bool(len(kept)) and bool(kept["binary"].astype(bool).all()),
    )
