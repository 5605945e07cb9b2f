"""Typed results of qualitative indicators: rubric judgements and coded themes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from evalsoc.sections.result_base import (
    Detail,
    Number,
    Reason,
    ResultModel,
    Scalar,
    SuppressionReason,
    Text,
)


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


class Quote(ResultModel):
    """A judgement's evidence text, best level first; the role only when its cell is shown."""

    criterion: Scalar
    level: str | None
    role: Scalar
    text: str


class RoleDisagreement(ResultModel):
    roles: list[Scalar]
    median_levels: list[str | None]
    cliffs_delta: float


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
    hidden_counts: SuppressionReason | None = Field(
        None, description="Why the counts by level are withheld."
    )
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
    disagreement: list[RoleDisagreement] | None = None
    roles_disagree_most: list[Scalar] | None = None
    people_served: Detail | None = None
    rated_criteria: list[Scalar] | None = None
    evidence: list[Quote] | None = None


class Code(ResultModel):
    id: str
    label: dict[str, str]


class Excerpt(ResultModel):
    criterion: Scalar
    code: str
    role: Scalar
    text: str


class CodeFrequency(ResultModel):
    n_sources: int
    share_of_sources: float
    n_segments: int


class Cooccurrence(ResultModel):
    """Sources citing both codes (null where the count is withheld)."""

    codes: list[str]
    n_sources: list[list[int | None]]


class ThemesIndicator(QualitativeIndicator):
    kind: Literal["themes"]
    value: float | None = None
    n_sources: int | None = None
    n_segments: int | None = None
    codes: list[Code] | None = None
    frequency: dict[str, CodeFrequency] | None = None
    by_role: Any = None
    by_criterion: dict[str, dict[str, int | None]] | None = Field(
        None, description="Sources citing each code, by criterion (null: withheld)."
    )
    by: Any = None
    cooccurrence: Cooccurrence | None = None
    excerpts: list[Excerpt] | None = None
    suppressed_codes: list[str] | None = None
