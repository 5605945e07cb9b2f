"""Typed result of the SROI section: values, ratio, sensitivity and Monte Carlo."""

from __future__ import annotations

from typing import Any

from evalsoc.sections.result_base import Detail, Reason, ResultModel


class SroiResult(ResultModel):
    estimable: bool
    reason: Reason = None
    currency: str | None = None
    conventions: Detail | None = None
    present_value: float | None = None
    npv: float | None = None
    ratio: float | None = None
    net_ratio: float | None = None
    payback_months: float | None = None
    payback_reason: Reason = None
    inputs_total: float | None = None
    inputs: list[Detail] = []
    by_outcome: dict[str, Detail] = {}
    by_year: Any = None
    waterfall: Any = None
    sensitivity: Any = None
    monte_carlo: Detail | None = None
    non_monetised: Any = None
    non_monetised_share: float | None = None
    warnings: Any = None
