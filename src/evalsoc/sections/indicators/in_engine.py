"""A quantitative indicator computed without its rows leaving the engine.

On an engine that describes rows in its own terms (the DuckDB engine's `audit_rows`,
engines/duckdb_audit.py), an indicator's statistics per group, its overall value (a median's
too) and the populations the disclosure audit compares are all aggregates computed in the
engine: no mask, group code or column of the source is fetched into Python. The numbers are the
pandas path's (tests/engines/test_engine_equality.py). Anything else (bootstrap intervals, the
kinds the engine does not describe, a `where` it does not compile) returns None and takes the
row path of pipeline.py.

`planned_indicators` chooses, once per run, the indicators whose statistics the engine will be
asked for; the pipeline hands them to the engine's `plan_indicators` (engines/base.py). The
DuckDB engine then answers all of a source's in-engine indicators at the first one's call, one
scan per `by` (engines/duckdb_onepass.py); each takes its own answers (`prepared`).
"""

from __future__ import annotations

from typing import Any

IN_ENGINE = ("mean", "sum", "median", "proportion", "count", "rate", "share")


def compute_in_engine(
    ind: Any, source: str, ctx: Any, available: list[str]
) -> tuple[dict[str, Any], Any] | None:
    """(published result, disclosure-audit entry) of `ind`, or None for the row path."""
    import pandas as pd

    from evalsoc.framework.expressions import ExpressionError
    from evalsoc.privacy.indicators import Entry
    from evalsoc.sections.indicators.compute import (
        QUANTITATIVE,
        columns_needed,
        publish_quantitative,
        raw_quantitative,
    )

    audit_rows = getattr(ctx.engine, "audit_rows", None)
    if audit_rows is None or ind.bootstrap or ind.kind not in IN_ENGINE:
        return None
    where = ctx.expression(ind.where)
    if where is not None:
        try:
            where.check_columns(available)
        except ExpressionError:  # the pandas path words it as that indicator's error
            return None
    declared = ctx.framework.data.get(source) if ctx.framework is not None else None
    key = list(getattr(declared, "key", None) or [])
    found = _prepared(ind, source, ctx, where)
    if found is not None:  # answered with its siblings in one scan (engines/duckdb_onepass.py)
        rows, stats, overall = found.rows, found.stats, found.overall
    else:
        rows = audit_rows(source, where, ind, key=key)
        if rows is None:
            return None
        needed = columns_needed(ind, available)
        stats = ctx.engine.grouped_statistics(source, where, ind, needed)
        overall = None
        if ind.by and not QUANTITATIVE[ind.kind].additive:  # a median: the whole's statistics
            whole = ind.model_copy(update={"by": []})
            overall = ctx.engine.grouped_statistics(source, where, whole, needed)
    grouping = (None, rows.group_table()) if ind.by else None
    raw = raw_quantitative(
        ind,
        pd.DataFrame(columns=columns_needed(ind, available)),
        ctx.seed,
        grouping,
        stats,
        overall_stats=overall,
    )
    entry = Entry(spec=ind, raw=raw, source=source, rows=rows, arrays=_arrays(ind, source, ctx))
    return publish_quantitative(ind, raw, ctx.policy), entry


def _prepared(ind: Any, source: str, ctx: Any, where: Any) -> Any:
    """The answers the engine computed for `ind` with its planned siblings, or None (its own
    queries then)."""
    prepared = getattr(ctx.engine, "prepared", None)
    return None if prepared is None else prepared(source, ind, where)


def plan(framework: Any, ctx: Any) -> None:
    """Tells an engine that plans (`plan_indicators`, engines/base.py) the run's indicators."""
    hook = getattr(ctx.engine, "plan_indicators", None)
    if hook is not None and framework is not None:
        hook(planned_indicators(framework, ctx))


def planned_indicators(framework: Any, ctx: Any) -> list[Any]:
    """The framework's indicators whose statistics `compute_indicators` (pipeline.py) will ask
    the engine for, as `PlannedIndicator`s: the same tests as its own, in its order. One whose
    source, `where` or columns are wrong is left out: its own path words the error."""
    from evalsoc.engines.base import PlannedIndicator
    from evalsoc.errors import FrameworkError
    from evalsoc.framework.expressions import ExpressionError
    from evalsoc.framework.references import indicator_source
    from evalsoc.sections.indicators.multiple_choice import multiple_columns_used
    from evalsoc.sections.indicators.reads import columns_used, effective_design

    planned = []
    sources = set(ctx.engine.sources())
    for _dim, _crit, ind in framework.all_indicators():
        if ind.kind in ("rubric", "themes"):
            continue
        try:
            source = indicator_source(framework, ind)
            if source is None or source not in sources:
                continue
            if effective_design(framework, ind, source) is not None:
                continue
            available = ctx.engine.columns(source)
            where = ctx.expression(ind.where)
            if where is not None:
                where.check_columns(available)
        except (FrameworkError, ExpressionError):
            continue
        if multiple_columns_used(framework, ind, available):
            continue
        if any(c not in available for c in columns_used(ind)):
            continue
        declared = framework.data.get(source)
        key = tuple(getattr(declared, "key", None) or ())
        in_engine = ind.kind in IN_ENGINE and not ind.bootstrap
        planned.append(PlannedIndicator(source, ind, where, key, in_engine))
    return planned


def _arrays(ind: Any, source: str, ctx: Any) -> Any:
    """Fills an entry's row arrays, for a source the engine cannot audit alone."""

    def fill(entry: Any) -> None:
        import numpy as np

        from evalsoc.sections.indicators.compute import columns_needed, row_support

        frame = ctx.rows(source, ind.where, columns_needed(ind, ctx.engine.columns(source)))
        entry.positions = ctx.positions(source, ind.where)
        entry.source_rows = ctx.engine.length(source)
        entry.support = row_support(ind, frame)
        where = ctx.expression(ind.where)
        entry.codes = (
            ctx.engine.groups(source, where, ind.by)[0]
            if ind.by
            else np.zeros(len(frame), dtype=np.int64)
        )

    return fill
