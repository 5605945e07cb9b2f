"""Which effects an engine answers without collecting their rows, and how: the entry of
compute.estimate_effect on DuckDB and Spark.

A 2×2 DiD without covariates or fixed effects is answered from cell sums (did_in_engine.py);
one with covariates or one or two fixed effects, and a difference with covariates or fixed
effects (difference_in_engine.py), from grouped moments (ols_in_engine.py); every other effect
collects its columns, and its `engine` note says why (a coded FR/EN reason). A
refusal the collected path words from the rows (an indicator column that is not 0/1, an
unreadable condition, a column the source lacks) also collects, so its message is pandas'.
"""

from __future__ import annotations

from typing import Any

from evalsoc.sections.effects import did_in_engine, difference_in_engine, ols_in_engine
from evalsoc.sections.effects.answer import Answer
from evalsoc.sections.effects.did_in_engine import note


def _condition(text: str, available: list[str], kinds: dict[str, str]) -> Any:
    """The parsed `treatment`/`post` condition, or None when the collected path must read it
    (a numeric column is 0/1 only by its values; a parse error is worded from the rows)."""
    from evalsoc.engines.duckdb_sql import BOOL
    from evalsoc.framework.expressions import ExpressionError, parse_expression

    if text in available and kinds.get(text) != BOOL:
        return None
    try:
        expression = parse_expression(text)
        expression.check_columns(available)
    except ExpressionError:
        return None
    return expression


def answer(
    spec: Any, ctx: Any, available: list[str]
) -> tuple[Answer | None, dict[str, Any] | None]:
    """(the effect answered from the engine's sums, its note), (None, the note saying why its
    rows are collected), or (None, None) on pandas. Raises NotEstimable as designs/did.py."""
    engine = ctx.engine
    if getattr(engine, "name", "pandas") == "pandas":
        return None, None
    if not hasattr(engine, "did_cells"):
        return None, note(engine, False, "effect_rows_collected_engine")
    difference = spec.design == "difference"
    if difference:
        code = difference_in_engine.why_collected(spec)
    else:
        code = did_in_engine.why_collected(spec)
    if code is not None:
        return None, note(engine, False, code)
    from evalsoc.engines.duckdb_sql import NotCompiled
    from evalsoc.framework.expressions import ExpressionError

    source = ctx._source(spec.data)
    used = [spec.outcome, *([spec.cluster] if spec.cluster else [])]
    used += [*spec.covariates, *spec.fixed_effects]
    kinds = _kinds(engine, source)
    texts = [spec.treatment] if difference else [spec.treatment, spec.post]
    conditions = [_condition(text, available, kinds) for text in texts]
    if any(c not in available for c in used) or any(c is None for c in conditions):
        return None, note(engine, False, "effect_rows_collected_sql")
    if difference:
        conditions.append(None)  # no period: every row is "before"
    if spec.covariates or spec.fixed_effects:  # OLS from the engine's moments
        return ols_in_engine.answer(spec, ctx, available, conditions, kinds)
    where = ctx.expression(spec.where)
    try:
        if where is not None:
            where.check_columns(available)
        sums = engine.did_cells(source, where, spec.outcome, *conditions, spec.cluster)
    except (NotCompiled, ExpressionError):
        return None, note(engine, False, "effect_rows_collected_sql")
    return did_in_engine.estimate(sums, spec, ctx.min_cell), note(engine, True)


def _kinds(engine: Any, source: str) -> dict[str, str]:
    from evalsoc.engines.duckdb_sql import column_kind

    if hasattr(engine, "kinds"):
        return dict(engine.kinds(source))
    return {str(c): column_kind(t) for c, t in engine.frames[source].dtypes.items()}
