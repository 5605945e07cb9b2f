"""Typed results of qualitative indicators: rubric judgements and coded themes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from evalsoc.sections.result_base import Detail, Number, Reason, ResultModel, Text


class QualitativeIndicator(ResultModel):
    """What rubric and themes indicators share: where they read, their headline and privacy."""

    id: str | None = None
    label: Text | str | None = None
    data: str | None = None
    where: str | None = None
    n: int | None = None
    status: str | None = None
    suppressed: bool = False
    reason: Reason = None
    target: float | None = None
    baseline: float | None = None


class RubricIndicator(QualitativeIndicator):
    kind: Literal["rubric"]
    value: float | None = Field(None, description="Share of judgements at or above threshold.")
    ci_low: float | None = None
    ci_high: float | None = None
    better: str | None = None
    threshold: str | None = None
    insufficient: str | None = None
    scale: list[Detail] | None = None
    counts: dict[str, Number | None] | None = None
    shares: dict[str, float | None] | None = None
    hidden_counts: Any = None
    n_judgements: int | None = None
    n_rated: int | None = None
    n_raters: int | None = None
    n_insufficient: int | None = None
    n_at_or_above: int | None = None
    share_at_or_above: float | None = None
    value_reason: Reason = Field(None, description="Why the headline share is withheld.")
    median_level: str | None = None
    lower_quartile_level: str | None = None
    by_role: Any = None
    by: Any = None
    agreement: Detail | None = None
    disagreement: Any = None
    roles_disagree_most: Any = None
    people_served: Detail | None = None
    rated_criteria: Any = None
    evidence: Any = None


class ThemesIndicator(QualitativeIndicator):
    kind: Literal["themes"]
    value: float | None = None
    n_sources: int | None = None
    n_segments: int | None = None
    codes: Any = None
    frequency: Any = None
    by_role: Any = None
    by_criterion: Any = None
    by: Any = None
    cooccurrence: Any = None
    excerpts: Any = None
    suppressed_codes: Any = None
