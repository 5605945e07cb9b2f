"""Typed results of the judgement: a verdict per criterion, a profile per dimension, the
synthesis."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from evalsoc.sections.result_base import Detail, ResultModel, Text


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
    rules: Detail | None = None
    weight: float | None = None
    contribution: float | None = None
    rank: int | None = None
    rank_stability: float | None = None
    narrative: Any = None


class DimensionResult(ResultModel):
    label: Text | None = None
    criteria: list[str] | None = None
    profile: list[Detail] = []
    counts: dict[str, int] = {}
    score: float | None = None
    score_reason: Any = None
    rank: int | None = None
    rank_stability: float | None = None
    weight: float | None = None
    band: str | None = None
    band_stability: float | None = None


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
    weights_drawn_from: Detail | None = Field(
        None,
        description="With elicited weights: the draws take each stakeholder group's own weights "
        "({source: roles, roles: n}); absent: Dirichlet draws around the weights.",
    )
    changed: Any = None
    conclusions: list[Detail] | None = None
