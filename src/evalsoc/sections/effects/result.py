"""Typed result of one effect, whatever its design; design-specific numbers are in
`diagnostics` (documented per design in docs/effects.md)."""

from __future__ import annotations

from pydantic import Field

from evalsoc.sections.result_base import Detail, Reason, ResultModel, SuppressionReason, Text


class EffectSize(ResultModel):
    """Standardised (continuous outcome) or relative (0/1 outcome) versions of the estimate;
    every figure null and `suppressed` when they would reveal a small count."""

    cohens_d: float | None = None
    hedges_g: float | None = None
    sd_pooled: float | None = None
    risk_difference: float | None = None
    risk_treated: float | None = None
    risk_counterfactual: float | None = None
    risk_ratio: float | None = None
    odds_ratio: float | None = None
    suppressed: bool | None = None
    reason: Reason = None


class MinimumDetectableEffect(ResultModel):
    value: float | None
    power: float
    level: float
    icc: float | None
    mean_cluster_size: float | None
    design_effect: float | None
    design_effect_applied: bool
    note: SuppressionReason | None = None


class EValue(ResultModel):
    risk_ratio: float | None
    risk_ratio_ci: list[float | None]
    evalue: float | None
    evalue_ci: float | None
    basis: str = Field(description="How the risk ratio was obtained (English, with its source).")


class BenchmarkBound(ResultModel):
    """Cinelli & Hazlett bounds: a confounder `multiple` times as strong as a covariate."""

    benchmark: str
    multiple: int | float
    r2dz_x: float | None
    r2yz_dx: float | None
    adjusted_estimate: float | None
    adjusted_se: float | None
    adjusted_ci: list[float | None]


class Robustness(ResultModel):
    partial_r2: float | None
    robustness_value: float | None
    robustness_value_alpha: float | None
    alpha: float
    t_classical: float
    dof: float
    bounds: list[BenchmarkBound] | None = None


class EffectSensitivity(ResultModel):
    """Sensitivity to unmeasured confounding: the E-value and, for a regression, the
    robustness value."""

    evalue: EValue | None = None
    robustness: Robustness | None = None


class EffectEngine(ResultModel):
    """How the effect was computed on a DuckDB or Spark run (absent on pandas): from cell sums
    in the engine (a 2×2 DiD, no row collected) or from its columns collected, and why."""

    name: str = Field(description="The run's engine: duckdb or spark.")
    rows_in_engine: bool = Field(
        description="True: computed from per-cell (and per-cluster) sums made by the engine, "
        "no row collected."
    )
    reason: Reason = Field(None, description="Why the columns were collected (a coded reason).")


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
    effect_size: EffectSize | None = None
    mde: MinimumDetectableEffect | None = None
    diagnostics: Detail | None = None
    aggregates: Detail | None = None
    att_gt: list[Detail] | None = None
    sentence: Text
    sensitivity: EffectSensitivity | None = None
    engine: EffectEngine | None = None
