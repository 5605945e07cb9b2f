"""Typed result of the volunteering section: volume by category and its valuation."""

from __future__ import annotations

from pydantic import Field

from evalsoc.sections.result_base import Reason, ResultModel, SuppressionReason, Text


class ServedFigures(ResultModel):
    count: int | None = Field(description="Volunteers who are or were people served.")
    share: float | None
    n: int | None = Field(description="Volunteers whose answer is known.")
    suppressed: bool
    reason: Reason = None


class TenureFigures(ResultModel):
    n: int | None
    median_years: float | None
    share_one_year_or_more: float | None
    suppressed: bool
    reason: Reason = None


class TurnoverFigures(ResultModel):
    at_start: int | None
    departures: int | None
    arrivals: int | None
    rate: float | None = Field(description="Departures during the period / present at start.")
    suppressed: bool
    reason: Reason = None


class RoleFigures(ResultModel):
    role: str | None
    label: Text
    planned_persons: int | None
    planned_hours: float | None
    persons: int | None
    hours: float | None
    gap_persons: int | None = Field(description="Real − planned.")
    gap_hours: float | None = Field(description="Real − planned.")
    suppressed: bool
    reason: Reason = None


class Reciprocity(ResultModel):
    people_source: str | None
    volunteers: int | None
    volunteers_suppressed: bool
    served: ServedFigures | None
    tenure: TenureFigures | None
    turnover: TurnoverFigures | None
    roles: list[RoleFigures]
    planned_hours: float | None
    planned_persons: float | None


class CategoryRow(ResultModel):
    """One volunteering category (or the anonymous row of hidden undeclared ones)."""

    category: str | None
    label: Text
    persons: int | None
    hours: float | None
    fte: float | None
    rate: float | None
    rate_source: Text | None
    value: float | None
    suppressed: bool
    reason: Reason = None


class VolunteeringResult(ResultModel):
    label: Text | str | None = None
    source: str | None = None
    method: str | None = None
    method_text: Text | None = None
    rate: float | None = None
    rate_source: Text | None = None
    currency: str | None = None
    fte_hours: float | None = None
    by_category: list[CategoryRow] = []
    total_persons: int | None = None
    total_persons_note: SuppressionReason | None = Field(
        None, description="Why the total may count a person twice (declared categories summed)."
    )
    total_hours: float | None = None
    total_fte: float | None = None
    total_value: float | None = None
    totals_reason: Reason = None
    unvalued_hours: float | None = None
    unvalued_hours_suppressed: bool | None = None
    accounting: Text | None = Field(None, description="How it enters the accounts.")
    reciprocity: Reciprocity | None = None
