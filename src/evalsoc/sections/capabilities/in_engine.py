"""A capability set scored where its data live: DuckDB and Spark return cells, not persons.

On the DuckDB engine, a set whose scoring SQL can express (engines/duckdb_capabilities.py) is
scored row by row in DuckDB and grouped there; the rows never come to memory. On Spark, the
same scoring as Column expressions (engines/spark_capabilities.py), weights summed exactly as
decimals. The groups carry
what the estimator needs of persons (their count, summed weights and summed squared weights),
so `AlkireFoster` builds the same cells and every estimate and standard error follows. The
figures equal the pandas path's apart from the order of floating-point sums (weights summed
in DuckDB, M1/M2 and Cronbach's α over groups rather than persons): within the documented
1e-9 relative tolerance of docs/scale.md; counts are exact.

A set keeps the collect (its rows scored on pandas, as before) when an effect reads its
persons' scores (`capability.<id>.…` outcomes need one value per row), when the bootstrap
must split cells by each person's weight, or when a declaration has no SQL reading equal to
pandas'; the set's result then says why under `engine` (a coded FR/EN reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.problems import problem
from evalsoc.sections.capabilities.scoring import _column_spec, _needed_columns
from evalsoc.sections.common import NotEstimable


@dataclass
class Scored:
    """A set's scored rows: persons (pandas) or groups of identical persons (in the engine)."""

    rows: pd.DataFrame  # label and design columns, one row per person or group (text PSU or
    # person ids as the rank of their text, in the engine)
    dims: list[dict[str, Any]]  # per dimension: deprived, missing, gap, items (per row), or
    # items_counted: (distinct complete answers of the persons kept, their persons)
    design_ok: np.ndarray  # (r,) bool: a usable sampling weight, cluster and stratum
    count: np.ndarray | None = None  # (r,) persons per row; None: one person each
    weight_sum: np.ndarray | None = None  # (r,) summed sampling weights (groups only)
    weight_sq_sum: np.ndarray | None = None  # (r,) summed squared weights (groups only)
    ranked_ids: bool = False  # the PSU or person ids came as the ranks of their texts


def engine_note(engine: Any, in_engine: bool, code: str | None = None) -> dict[str, Any]:
    """How the set was computed: the engine, and why its rows were collected if they were."""
    return {
        "name": getattr(engine, "name", "pandas"),
        "rows_in_engine": in_engine,
        "reason": problem(code) if code else None,
    }


def score_in_engine(spec: Any, ctx: Any) -> tuple[Scored | None, dict[str, Any] | None]:
    """(the set's groups, the note) when the engine scored it; (None, the note) when its rows
    must be collected; (None, None) on pandas, where the rows are already in memory."""
    engine = getattr(ctx, "engine", None)
    name = getattr(engine, "name", "pandas")
    if name == "pandas":
        return None, None
    if name not in ("duckdb", "spark"):
        return None, engine_note(engine, False, "capability_rows_collected_engine")
    if _persons_needed(spec, ctx):
        return None, engine_note(engine, False, "capability_rows_collected_effect")
    if spec.se == "bootstrap" and spec.weight and not spec.cluster:
        return None, engine_note(engine, False, "capability_rows_collected_bootstrap")
    from evalsoc.engines.duckdb_sql import NotCompiled

    try:
        groups = _groups(spec, ctx, engine)
    except NotCompiled as exc:
        from evalsoc.engines.spark_capabilities import BeyondDecimal

        beyond = isinstance(exc, BeyondDecimal)
        code = "capability_rows_collected_decimal" if beyond else "capability_rows_collected_sql"
        return None, engine_note(engine, False, code)
    return groups, engine_note(engine, True)


def _persons_needed(spec: Any, ctx: Any) -> bool:
    """Whether an effect reads this set's per-person score or identification."""
    framework = getattr(ctx, "framework", None)
    prefix = f"capability.{spec.id}."
    return any(
        str(getattr(effect, "outcome", "") or "").startswith(prefix)
        for effect in getattr(framework, "effects", None) or []
    )


def _groups(spec: Any, ctx: Any, engine: Any) -> Scored:
    from evalsoc.engines.duckdb_capabilities import DESIGN_OK, PERSONS, WEIGHT, WEIGHT_SQ
    from evalsoc.engines.duckdb_sql import TEXT
    from evalsoc.errors import FrameworkError
    from evalsoc.framework.expressions import ExpressionError

    source = ctx._source(spec.data)
    where = ctx.expression(spec.where)
    columns = engine.columns(source)
    if where is not None:
        try:
            where.check_columns(columns)
        except ExpressionError as exc:
            raise FrameworkError("where_invalid", at="where", detail=exc.words()) from None
    absent = [c for c in _needed_columns(spec) if c not in columns]
    if absent:
        raise NotEstimable("columns_not_in_data", source=repr(source), columns=", ".join(absent))
    keys = _key_columns(spec)
    declared = {c: _column_spec(ctx, source, c) for dim in spec.dimensions for c in dim.items}
    ids = spec.cluster or (spec.unit if spec.time else None)
    cardinal = all(d.cutoff is not None and d.cutoff > 0 for d in spec.dimensions)
    scales = [j for j, d in enumerate(spec.dimensions) if d.cutoff is not None and len(d.items) > 1]
    if engine.name == "spark":  # Column expressions (engines/spark_capabilities.py)
        from evalsoc.engines import spark_capabilities as spark

        ranked = [ids] if ids and spark.column_kinds(engine, source).get(ids) == TEXT else []
        query = (engine, source, where, spec, declared)
        frame = spark.scored_cells(*query, keys, keep_scores=cardinal, ranked=ranked)
        answers = spark.reliability_cells(*query, scales) if scales else None
    else:
        from evalsoc.engines import duckdb_capabilities as duckdb

        condition = engine.condition(source, where)  # NotCompiled: pandas' evaluator decides
        kinds = engine.kinds(source)
        ranked = [ids] if ids and kinds.get(ids) == TEXT else []
        sql = (engine.connection, engine.view(source), condition, spec, kinds, declared)
        frame = duckdb.scored_cells(*sql, keys, keep_scores=cardinal, ranked=ranked)
        answers = duckdb.reliability_cells(*sql, scales) if scales else None
    dims = []
    for j, dim in enumerate(spec.dimensions):
        deprived = frame[f"d{j}"].to_numpy(dtype=bool)
        gap = None
        if cardinal:  # scoring._score_dimension's gap, from each group's score
            score = frame[f"s{j}"].to_numpy(dtype=float, na_value=np.nan)
            gap = np.where(deprived, (dim.cutoff - np.nan_to_num(score)) / dim.cutoff, 0.0)
            gap = np.clip(gap, 0.0, None)
        counted = None
        if answers is not None and j in scales:  # the complete answers of the persons kept
            complete = answers["_keep"].to_numpy(bool) & ~answers[f"m{j}"].to_numpy(bool)
            x = [
                answers[f"x{j}_{i}"].to_numpy(float, na_value=np.nan) for i in range(len(dim.items))
            ]
            counted = (np.column_stack(x)[complete], answers[PERSONS].to_numpy(np.int64)[complete])
        dims.append(
            {
                "deprived": deprived,
                "missing": frame[f"m{j}"].to_numpy(dtype=bool),
                "gap": gap,
                "items": None,
                "items_counted": counted,
            }
        )
    weighted = bool(spec.weight)
    return Scored(
        rows=frame[keys],
        dims=dims,
        design_ok=frame[DESIGN_OK].to_numpy(dtype=bool),
        count=frame[PERSONS].to_numpy(dtype=np.int64),
        weight_sum=frame[WEIGHT].to_numpy(dtype=float, na_value=np.nan) if weighted else None,
        weight_sq_sum=frame[WEIGHT_SQ].to_numpy(dtype=float, na_value=np.nan) if weighted else None,
        ranked_ids=bool(ranked),
    )


def _key_columns(spec: Any) -> list[str]:
    """The label and design columns the cells keep: groups, wave, parity, strata, PSUs (or
    the person ids that pair waves)."""
    names = [*spec.by, spec.time, spec.parity.by if spec.parity else None, spec.strata]
    names.append(spec.cluster or (spec.unit if spec.time else None))
    return list(dict.fromkeys(n for n in names if n))


def paired_units(
    rows: pd.DataFrame, spec: Any, count: np.ndarray, ranked: bool
) -> np.ndarray | None:
    """design._cluster_values on groups: the PSUs' codes, or the person ids' when some person
    has several rows (counted in persons, not groups). `ranked`: the ids came as the ranks of
    their texts (in_engine's query), already in the order `_label_codes` gives them."""
    from evalsoc.sections.capabilities.scoring import _label_codes

    column = spec.cluster or (spec.unit if spec.time else None)
    if column is None:
        return None
    codes: np.ndarray
    if ranked:
        codes = rows[column].to_numpy(dtype=np.int64)
        distinct = int(np.unique(codes).size)
    else:
        codes, distinct = _label_codes(rows[column])
    if spec.cluster:
        return codes
    return codes if distinct < int(count.sum()) else None
