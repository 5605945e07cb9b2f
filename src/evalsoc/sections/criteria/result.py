"""Typed results of the judgement: a verdict per criterion, a profile per dimension, the
synthesis."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from evalsoc.sections.qualitative.config import VerdictRules
from evalsoc.sections.result_base import Reason, ResultModel, Text


class Reading(ResultModel):
    """One piece of evidence read for a verdict: what it is, its level, and why."""

    id: str
    source: str | None = None
    kind: str | None = None
    level: str | None = None
    used: bool | None = None
    cap: str | None = None
    reading: Text | str | None = None
    rationale: Text | None = None


class CriterionResult(ResultModel):
    dimension: str
    label: Text | None = None
    question: Text | None = None
    verdict: str | None
    verdict_label: Text | None = None
    rationale: Text | None = None
    summary: Text | None = None
    indicators: list[Reading | str] = []
    evidence: list[Reading | str] = []
    rules: VerdictRules | None = Field(None, description="The verdict rules applied.")
    weight: float | None = None
    contribution: float | None = None
    rank: int | None = None
    rank_stability: float | None = None
    narrative: Text | None = None


class ProfileItem(ResultModel):
    criterion: str
    label: Text
    verdict: str


class DimensionResult(ResultModel):
    label: Text | None = None
    criteria: list[str] | None = None
    profile: list[ProfileItem] = []
    counts: dict[str, int] = {}
    score: float | None = None
    score_reason: Reason = None
    rank: int | None = None
    rank_stability: float | None = None
    weight: float | None = None
    band: str | None = None
    band_stability: float | None = None


class WeightsSource(ResultModel):
    source: Literal["roles"]
    roles: int


class Conclusion(ResultModel):
    """One conclusion of the synthesis and the share of weight draws in which it holds."""

    id: str
    text: Text
    stable_share: float
    robust: bool


class SynthesisResult(ResultModel):
    mode: str
    score: float | None = None
    band: str | None = None
    points: dict[str, float] | None = None
    interval_90: list[float] | None = None
    draws: int | None = None
    seed: int | None = None
    robust_share: float | None = None
    concentration: float | None = None
    weights_drawn_from: WeightsSource | None = Field(
        None,
        description="With elicited weights: the draws take each stakeholder group's own weights "
        "({source: roles, roles: n}); absent: Dirichlet draws around the weights.",
    )
    changed: list[str] | None = Field(None, description="Conclusions that are not robust.")
    conclusions: list[Conclusion] | None = None
