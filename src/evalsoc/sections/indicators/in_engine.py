"""A quantitative indicator computed without its rows leaving the engine.

On an engine that describes rows in its own terms (the DuckDB engine's `audit_rows`,
engines/duckdb_audit.py), an indicator's statistics per group, its overall value (a median's
too) and the populations the disclosure audit compares are all aggregates computed in the
engine: no mask, group code or column of the source is fetched into Python. The numbers are the
pandas path's (tests/engines/test_engine_equality.py). Anything else (bootstrap intervals, the
kinds the engine does not describe, a `where` it does not compile) returns None and takes the
row path of pipeline.py.
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
    rows = audit_rows(source, where, ind, key=list(getattr(declared, "key", None) or []))
    if rows is None:
        return None
    needed = columns_needed(ind, available)
    stats = ctx.engine.grouped_statistics(source, where, ind, needed)
    overall = None
    if ind.by and not QUANTITATIVE[ind.kind].additive:  # a median: the whole's own statistics
        whole = ind.model_copy(update={"by": []})
        overall = ctx.engine.grouped_statistics(source, where, whole, needed)
    grouping = (None, rows.group_table()) if ind.by else None
    raw = raw_quantitative(
        ind, pd.DataFrame(columns=needed), ctx.seed, grouping, stats, overall_stats=overall
    )
    entry = Entry(spec=ind, raw=raw, source=source, rows=rows, arrays=_arrays(ind, source, ctx))
    return publish_quantitative(ind, raw, ctx.policy), entry


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
