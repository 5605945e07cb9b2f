"""Typed result of one capability set (Alkire–Foster); per-k measures in `results`."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from evalsoc.sections.result_base import Detail, Reason, ResultModel, Scalar


class CapabilityDesign(ResultModel):
    """The sampling design the intervals account for."""

    weight: str | None
    cluster: str | None
    strata: str | None
    se: str
    bootstrap_reps: int | None
    n_psu: int | None
    n_strata: int
    lonely_strata: int
    ci: str


class KPoint(ResultModel):
    """H, A and M0 at one poverty cutoff k (the k curve)."""

    k: str
    k_value: float
    H: float | None
    M0: float | None
    A: float | None


class RankStability(ResultModel):
    """How often random weights keep the groups' M0 ranking."""

    k: str
    by: str
    groups: list[Scalar]
    nominal_M0: list[float | None]
    share_same_ranking: float | None
    pairwise_agreement: float | None
    draws: int
    perturbation: str


class CapabilityEngine(ResultModel):
    """How the set was computed on a DuckDB or Spark run (absent on pandas): in the engine
    (cells grouped there) or from rows collected to memory, and why."""

    name: str = Field(description="The run's engine: duckdb or spark.")
    rows_in_engine: bool = Field(
        description="True: scored and grouped into cells by the engine, no row collected."
    )
    reason: Reason = Field(None, description="Why the rows were collected (a coded reason).")


class CapabilityResult(ResultModel):
    id: str
    estimable: bool
    reason: Reason = None
    n: int | None = None
    n_rows_used: int | None = None
    n_missing_dropped: int | None = None
    n_missing_imputed: int | None = None
    n_design_dropped: int | None = None
    missing_policy: str | None = None
    wave: str | None = None
    weights: dict[str, str] | None = Field(None, description="Each dimension's weight, exact.")
    design: CapabilityDesign | None = None
    cardinal: bool | None = None
    dimensions: dict[str, Any] | None = None
    results: Any = None
    empowerment: Detail | None = None
    change: Detail | None = None
    k_curve: list[KPoint] | None = None
    rank_stability: list[RankStability] | None = None
    suppressed: bool | None = None
    engine: CapabilityEngine | None = Field(
        None, description="How the set was computed (DuckDB and Spark runs only)."
    )
