"""Typed result of the costs section (results.json `costs`)."""

from __future__ import annotations

from pydantic import Field

from evalsoc.sections.result_base import Reason, ResultModel, Text


class CostBaseResult(ResultModel):
    amount: float
    origin: str = Field(description="declared or resources")
    source: Text | None = None
    basis: str | None = None
    year: int | None = None
    include_reciprocity: bool | None = None


class CostRatioResult(ResultModel):
    label: Text
    per: str = Field(description="person, output, outcome or additional_outcome")
    indicator: str | None
    effect: str | None
    unit: Text | None
    estimable: bool
    value: float | None = Field(description="Cost per person / output / outcome.")
    reason: Reason = None
    denominator: float | None = None
    treated: int | None = None
    level: float | None = None
    additional_outcomes: float | None = Field(None, description="Effect × number treated.")
    additional_outcomes_low: float | None = None
    additional_outcomes_high: float | None = None
    ci_low: float | None = Field(None, description="Cost / (N × effect's upper bound).")
    ci_high: float | None = Field(None, description="Cost / (N × effect's lower bound).")
    delta_se: float | None = Field(None, description="Delta method: value × SE(effect)/effect.")
    delta_ci_low: float | None = None
    delta_ci_high: float | None = None


class CostReferenceResult(ResultModel):
    ratio: str
    label: Text
    value: float
    source: Text
    year: int | None
    difference: float | None = Field(description="Programme's ratio − reference.")
    relative: float | None = Field(description="Programme's ratio / reference.")
    reading: str | None = Field(description="lower, higher, equal or within (the interval).")
    reading_text: Text | None


class CostsResult(ResultModel):
    label: Text | None = None
    currency: str
    cost: CostBaseResult
    ratios: dict[str, CostRatioResult]
    references: list[CostReferenceResult]
