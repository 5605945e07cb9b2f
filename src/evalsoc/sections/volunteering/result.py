"""Typed result of the volunteering section: volume by category and its valuation."""

from __future__ import annotations

from typing import Any

from evalsoc.sections.result_base import Detail, Reason, ResultModel, Text


class VolunteeringResult(ResultModel):
    label: Text | str | None = None
    source: str | None = None
    method: str | None = None
    method_text: Text | None = None
    rate: float | None = None
    rate_source: str | None = None
    currency: str | None = None
    fte_hours: float | None = None
    by_category: list[Detail] = []
    total_persons: int | None = None
    total_persons_note: Any = None
    total_hours: float | None = None
    total_fte: float | None = None
    total_value: float | None = None
    totals_reason: Reason = None
    unvalued_hours: float | None = None
    unvalued_hours_suppressed: bool | None = None
    accounting: Detail | None = None
