"""Typed result classes of compare.json; its JSON Schema is generated from them
(`evalsoc schema --compare`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Interval = list[float | None]
Text = dict[str, str]


class Reason(BaseModel):
    """Why a figure is not compared, pooled or published: a code of evalsoc.problems and its
    French and English wording."""

    model_config = ConfigDict(extra="forbid")

    code: str
    fr: str
    en: str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunInfo(_Model):
    label: str
    source: str
    framework_id: str
    title: Text
    period: dict[str, Any]
    min_cell: int
    definitions_from: Literal["yaml", "results"]
    framework_sha256: str | None


class UtilityEvidence(_Model):
    id: str
    source: str | None
    kind: str | None
    level: str | None
    used: bool
    value: float | None = None
    ci: Interval | None = None
    n: int | None = None
    status: str | None = None
    target: float | None = None
    median_level: str | None = None
    n_rated: int | None = None
    alpha: float | None = None
    alpha_ci: Interval | None = None
    reading: str | None = None
    change: dict[str, Any] | None = None


class UtilityReading(_Model):
    verdict: str | None
    can_judge: bool
    strength: Literal["positive", "weak"] | None
    evidence: list[UtilityEvidence]


class EffectReading(_Model):
    id: str
    estimate: float | None
    se: float | None
    ci: Interval
    better: str | None
    reading: str | None
    estimable: bool


class SroiOutcome(_Model):
    id: str
    monetised: bool
    present_value: float | None
    share_of_present_value: float | None
    cause: str | None


class ImpactReading(_Model):
    can_judge: bool
    direction: Literal["favourable", "unfavourable", "no_established_effect"] | None
    status: Literal["no_counterfactual", "not_monetised", "monetised", "effect_only"]
    effects: list[EffectReading]
    sroi_outcomes: list[SroiOutcome]
    sroi_value: float | None


class CriterionReadings(_Model):
    criterion: str
    dimension: str | None
    label: Text
    utility: UtilityReading
    impact: ImpactReading
    agreement: Literal["agree", "disagree", "only_utility", "only_impact", "neither"]


class ReadingSummary(_Model):
    criteria_declared: int
    utility_judges: int
    impact_judges: int
    share_utility_judges: float | None
    share_impact_judges: float | None
    sroi_outcomes: int | None
    sroi_outcomes_not_monetised: int | None
    share_outcomes_not_monetised: float | None
    criteria_without_sroi_value: int
    share_criteria_without_sroi_value: float | None
    sroi_present_value: float | None
    sroi_value_on_weak_criteria: float | None
    share_sroi_value_on_weak_criteria: float | None
    agreement: dict[str, int]
    unjudged_verdict: str


class RunReadings(_Model):
    run: str
    criteria: list[CriterionReadings]
    summary: ReadingSummary
    text: Text


class Point(_Model):
    run: str
    value: float | None
    ci: Interval
    n: int | None
    count: int | None
    status: str | None
    suppressed: bool


class Change(_Model):
    site: str
    from_: str = Field(alias="from")
    to: str
    definition_changed: bool
    difference: float | None
    exceeds_uncertainty: bool | None
    reason: Reason | None
    ci: Interval | None = None
    se: float | None = None
    z: float | None = None
    p_value: float | None = None
    test: Literal["two_proportion_z", "independent_estimates_z"] | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Consolidated(_Model):
    period: str
    kind: str
    runs: list[str]
    value: float | None
    n: int | None = None
    count: int | None = None
    sd: float | None = None
    ci: Interval | None = None
    suppressed: bool | None = None
    method: str | None = None
    reason: Reason | None = None
    ci_reason: Reason | None = None


class IndicatorComparison(_Model):
    id: str
    kind: str
    points: list[Point]
    changes: list[Change]
    consolidated: list[Consolidated]


class Pool(_Model):
    method: str
    estimable: bool
    reason: Reason | None = None
    k: int | None = None
    estimate: float | None = None
    se: float | None = None
    ci: Interval | None = None
    tau2: float | None = None
    tau: float | None = None
    i2: float | None = None
    q: float | None = None
    q_df: int | None = None
    q_p_value: float | None = None
    prediction_interval: Interval | None = None
    weights: list[float] | None = None


class PooledEffect(_Model):
    effect: str
    period: str
    runs: list[str]
    estimates: list[float]
    se: list[float]
    ci: list[Interval]
    better: str
    methods: dict[Literal["dl", "pm", "reml"], Pool]


class Rankings(_Model):
    runs: list[str]
    seed: int
    utility: dict[str, Any]
    impact: dict[str, Any]
    agreement: dict[str, Any] | None


class CompareResult(_Model):
    format: Literal[1]
    mode: Literal["one", "many"]
    runs: list[RunInfo]
    readings: list[RunReadings]
    indicators: list[IndicatorComparison]
    unmatched: dict[str, list[str]]
    pooled_effects: list[PooledEffect]
    rankings: Rankings | None
    labels: dict[str, Text]
    text: Text | None


def validate(result: dict[str, Any]) -> dict[str, Any]:
    """Check the result against the typed classes (a mismatch is a bug: it raises)."""
    CompareResult.model_validate(result)
    return result


def compare_schema_json() -> str:
    import json

    schema = CompareResult.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "evalsoc compare.json"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
