"""The columns of its source an effect reads, known before any row is collected.

An effect's design sees only the rows `compute.prepare_frame` prepares, and those hold only the
columns listed here (plus `_y`, `_d`, `_post`). So the engine collects just these columns of the
selected rows (`ctx.rows`), never the whole source: at 10^8 rows × 20 columns the whole source
does not fit in memory, three columns do (docs/scale.md, round 8).

`declared_columns` is the list prepare_frame checks and keeps, in its order; `effect_columns`
adds the columns of the `treatment` and `post` conditions and of a regression's formula, and
keeps those the source has. A column the source lacks is not collected: prepare_frame then
refuses the effect with the same message as when it had every column (its hint is drawn from
the source's column names, passed to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def declared_columns(spec: Any) -> list[str]:
    """The columns the effect's keys name (outcome, unit, cluster, weights, time, covariates,
    fixed effects, propensity, each design's own: instruments, endogenous, running, exact;
    first_treated), in the order prepare_frame checks them; a capability outcome included."""
    names = [
        spec.outcome,
        spec.unit,
        spec.cluster,
        getattr(spec, "weights", None),
        spec.time,
        *spec.covariates,
        *spec.fixed_effects,
        *(spec.propensity or []),
        *spec.design_columns(),
        spec.first_treated,
    ]
    return [name for name in names if name]


def condition_columns(text: str, available: Sequence[str]) -> list[str]:
    """The columns a `treatment` or `post` reads: itself when it names a column, else those of
    the condition it parses to (none when it does not parse: prepare_frame says why)."""
    from evalsoc.framework.expressions import ExpressionError, parse_expression

    if text in available:
        return [text]
    try:
        return list(parse_expression(text).columns)
    except ExpressionError:
        return []


def effect_columns(spec: Any, available: Sequence[str]) -> list[str]:
    """The columns of a source with columns `available` that the effect `spec` reads, each
    once, in a fixed order (the collected frame's column order does not reach any result)."""
    names = declared_columns(spec)
    for text in (spec.treatment, spec.post):
        if text:
            names += condition_columns(text, available)
    if spec.design == "regression" and spec.formula:
        from evalsoc.sections.effects.designs.regression import FormulaError, formula_columns

        # a capability outcome is a column of the prepared rows (prepare_frame adds it)
        with_outcome = [*available, *([spec.outcome] if spec.outcome else [])]
        try:
            names += formula_columns(spec.formula, with_outcome)
        except FormulaError:
            pass  # refused by prepare_frame, with the reason, whatever is collected
    present = set(available)
    return [name for name in dict.fromkeys(names) if name in present]
