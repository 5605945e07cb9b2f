"""Typed result of one capability set (Alkire–Foster); per-k measures in `results`."""

from __future__ import annotations

from typing import Any

from evalsoc.sections.result_base import Detail, Reason, ResultModel


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
    weights: dict[str, Any] | None = None
    design: Detail | None = None
    cardinal: bool | None = None
    dimensions: dict[str, Any] | None = None
    results: Any = None
    empowerment: Detail | None = None
    change: Detail | None = None
    k_curve: Any = None
    rank_stability: Any = None
    reliability: Any = None
    by: Any = None
    suppressed: bool | None = None
