"""Typed result of one effect, whatever its design; design-specific numbers are in
`diagnostics` (documented per design in docs/effects.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from evalsoc.sections.result_base import Detail, Reason, ResultModel, Text


class EffectResult(ResultModel):
    id: str
    design: str
    estimable: bool
    reason: Reason = Field(None, description="Why the effect could not be estimated.")
    estimate: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_value_holm: float | None = None
    p_value_bh: float | None = None
    df: float | None = None
    level: float | None = None
    n: int | None = None
    n_obs: int | None = None
    n_treated: int | None = None
    n_control: int | None = None
    n_clusters: int | None = None
    n_periods: int | None = None
    method: str | Text | None = Field(
        None, description="How it was estimated (English; a design may give {fr, en})."
    )
    se_type: str | None = None
    small_sample: str | None = None
    outcome: str | None = None
    outcome_type: str | None = None
    term: str | None = None
    endogenous: str | None = Field(None, description="iv: the instrumented variable.")
    better: str | None = None
    estimand: str | None = None
    control: str | None = None
    base_period: str | None = None
    effect_size: Detail | None = None
    mde: Detail | None = None
    diagnostics: Detail | None = None
    aggregates: Detail | None = None
    att_gt: list[Detail] | None = None
    sentence: Text
    sensitivity: Detail | None = None
    extra: Any = None
