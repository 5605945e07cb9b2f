"""A DiD with covariates and one or two fixed effects of few levels, answered from moments
the engine computes: no row collected.

On DuckDB and Spark, an effect that did_in_engine.py would answer from cell sums but for its
`covariates` (numeric, boolean, categorical) or `fixed_effects` (one or two columns) is fitted
from its complete rows grouped in the engine by (treated, post, cluster, the boolean and
categorical covariates, the fixed effects): per group the count and the sums and co-moments of
the numeric covariates and the outcome (`ols_moments`, engines/base.py). The design of
designs/did.py — treated, post, treated×post, the covariates (a categorical one as dummies of
its sorted levels but the first, as common.covariate_matrix) — with the fixed effects as dummy
columns instead of absorbed by the within transformation (the same coefficients by
Frisch–Waugh–Lovell, and the hat matrix's diagonal is the absorbed one's plus the effects'
leverage, which is evalsoc's HC2 rule) is then solved from those moments
(stats/ols_moments.py): the estimate, classical and CR1 standard errors at once, HC0–HC3 after
a second scan that sums each row's weight (e², e²/(1 − h), e²/(1 − h)²). The collected path's
conventions are kept (ols_engine_fixed.py, ols_engine_fit.py): singleton levels dropped,
columns the effects absorb dropped and listed (the term absorbed refused), K counting the
effects' degrees of freedom (fewer for CR1 when nested in the clusters), the HC2 rule of two
effects, the rank check's message, the balance table, cells, effect sizes, MDE and privacy
steps (did_in_engine.py's from the same sums).

What it does not answer collects the effect's columns with a coded reason (`engine` key): three
or more fixed effects, more than MAX_DUMMIES dummy columns or MAX_GROUPS groups of rows, a
column (nearly) absorbed by the effects but not constant within one effect's levels (whether
it is absorbed is for the rows to say), a column of a kind SQL does not read as pandas does.
"""

from __future__ import annotations

from typing import Any

from evalsoc.sections.effects.answer import Answer
from evalsoc.sections.effects.did_in_engine import note

MAX_FIXED_EFFECTS = 2  # absorb.py's degrees of freedom are exact for one or two
MAX_DUMMIES = 100  # categorical covariates' and the fixed effects' dummy columns, in all
MAX_GROUPS = 100_000  # groups of rows the engine returns (d × post × clusters × keys)


def why_collected(spec: Any) -> str | None:
    """The coded reason this DiD needs its rows, given it has covariates or fixed effects."""
    if len(spec.fixed_effects) > MAX_FIXED_EFFECTS:
        return "effect_rows_collected_fixed_effects"
    overlap = set(spec.fixed_effects) & set(spec.covariates)
    repeated = any(len(set(names)) < len(names) for names in (spec.covariates, spec.fixed_effects))
    if overlap or repeated or spec.cluster in spec.covariates:
        return "effect_rows_collected_options"  # the collected path words what this does
    if spec.se_type in ("cluster", "cr1") and not spec.cluster:
        return "effect_rows_collected_options"  # refused by the collected path, as it words it
    return None


def answer(
    spec: Any, ctx: Any, available: list[str], conditions: list[Any], kinds: dict[str, str]
) -> tuple[Answer | None, dict[str, Any]]:
    """(the effect from the engine's moments, its note) or (None, the note saying why its
    rows are collected). Raises NotEstimable as designs/did.py (difference.py) would."""
    from evalsoc.engines.base import MomentRequest, TooManyGroups
    from evalsoc.engines.duckdb_sql import BOOL, NUMBER, TEXT, NotCompiled
    from evalsoc.framework.expressions import ExpressionError

    engine = ctx.engine
    if not hasattr(engine, "ols_moments"):
        return None, note(engine, False, "effect_rows_collected_engine")
    code = why_collected(spec)
    if code is not None:
        return None, note(engine, False, code)
    covariates = list(dict.fromkeys(spec.covariates))
    if any(kinds.get(c) not in (NUMBER, BOOL, TEXT) for c in covariates):
        return None, note(engine, False, "effect_rows_collected_sql")
    numeric = tuple(c for c in covariates if kinds[c] == NUMBER)
    keys = tuple(c for c in covariates if kinds[c] != NUMBER) + tuple(spec.fixed_effects)
    where = ctx.expression(spec.where)
    treatment, post = conditions
    request = MomentRequest(
        source=ctx._source(spec.data),
        where=where,
        outcome=spec.outcome,
        treatment=treatment,
        post=post,
        cluster=spec.cluster,
        numeric=numeric,
        keys=keys,
        max_groups=MAX_GROUPS,
    )
    try:
        if where is not None:
            where.check_columns(available)
        groups = engine.ols_moments(request)
    except (NotCompiled, ExpressionError):
        return None, note(engine, False, "effect_rows_collected_sql")
    except TooManyGroups:
        return None, note(engine, False, "effect_rows_collected_groups", **LIMITS)
    from evalsoc.sections.effects.ols_engine_design import Design

    design = Design.of(groups, spec, covariates, kinds)
    if design.dummies > MAX_DUMMIES:
        return None, note(engine, False, "effect_rows_collected_groups", **LIMITS)
    if spec.design == "difference":
        from evalsoc.sections.effects.difference_in_engine import estimate
    else:
        from evalsoc.sections.effects.ols_engine_fit import estimate
    found = estimate(groups, design, spec, ctx.min_cell, engine, request)
    if isinstance(found, str):
        return None, note(engine, False, found)
    return found, note(engine, True)


LIMITS = {
    "dummies": str(MAX_DUMMIES),
    "groups": {"fr": f"{MAX_GROUPS:,}".replace(",", "\u202f"), "en": f"{MAX_GROUPS:,}"},
}
