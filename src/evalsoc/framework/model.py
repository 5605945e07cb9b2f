"""The typed framework: what `evalsoc run` evaluates. Parsed once from YAML at the boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from evalsoc.framework.base import Label, StrictModel
from evalsoc.framework.sections.capabilities import CapabilitySpec
from evalsoc.framework.sections.effects import EffectSpec
from evalsoc.framework.sections.narrative import NarrativeSpec
from evalsoc.framework.sections.rubrics import RubricArgs, SynthesisSpec, ThemesArgs, VerdictRules
from evalsoc.framework.sections.sroi import SroiSpec
from evalsoc.framework.sections.volunteering import VolunteeringSpec

FORMAT_VERSION = 1

ColumnType = Literal[
    "string", "integer", "number", "boolean", "category", "ordinal", "likert", "date", "text"
]


class Period(StrictModel):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")
        return self


class Privacy(StrictModel):
    min_cell: int = Field(
        10, ge=1, strict=True, description="Cells computed from fewer people are suppressed."
    )
    edition: Literal["public", "funder"] = Field(
        "public",
        description="public: small cells suppressed; funder: a restricted edition showing every "
        "count, each page marked as not to be published.",
    )


class ReportOptions(StrictModel):
    publish_quotes: bool = Field(False, description="Print evidence quotes in the report.")
    date: dt.date | None = Field(
        None, description="Date of the report (default: the end of the period; never the clock)."
    )
    evaluator: Label | None = Field(None, description="Who evaluated (person or organisation).")


class ColumnSpec(StrictModel):
    type: ColumnType = "string"
    label: Label | None = None
    labels: dict[Any, Label] | None = Field(None, description="Labels of coded values, by value.")
    values: list[Any] | None = None
    levels: int | list[Any] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    unique: bool = False
    format: str | None = Field(None, description="Date format (strftime) when not ISO.")

    @model_validator(mode="after")
    def _check_kind(self) -> ColumnSpec:
        if self.type in ("category", "ordinal") and not self.values:
            raise ValueError(f"a column of type {self.type} needs its `values`")
        if self.type == "likert" and self.levels is None:
            raise ValueError("a likert column needs `levels` (a number such as 5, or a list)")
        if self.type == "likert" and isinstance(self.levels, int) and self.levels < 2:
            raise ValueError(f"a likert scale has at least 2 levels, got {self.levels}")
        if self.type == "likert" and isinstance(self.levels, list) and len(self.levels) < 2:
            raise ValueError("a likert scale has at least 2 levels")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("`min` is greater than `max`")
        return self


class DataSource(StrictModel):
    file: str
    format: Literal["csv", "xlsx", "parquet"] | None = None
    sheet: str | int | None = None
    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    key: list[str] = Field(default_factory=list)
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    on_invalid: Literal["quarantine", "stop"] | None = None
    max_invalid_share: float | None = Field(None, ge=0, le=1)
    label: Label | None = None

    @field_validator("key", mode="before")
    @classmethod
    def _key_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class DataPolicy(StrictModel):
    on_invalid: Literal["quarantine", "stop"] = "quarantine"
    max_invalid_share: float = Field(0.05, ge=0, le=1)


# Quantitative indicator kinds: the key that holds the indicator's column names its kind.
QUANTITATIVE_KINDS = ("mean", "proportion", "count", "sum", "median", "rate", "share")
QUALITATIVE_KINDS = ("rubric", "themes")
INDICATOR_KINDS = QUANTITATIVE_KINDS + QUALITATIVE_KINDS


class IndicatorSpec(StrictModel):
    id: str
    label: Label | None = None
    kind: str = Field(description="Set from the key that holds the column: mean, proportion, ...")
    mean: str | None = None
    proportion: str | None = Field(None, description="A boolean column, or a condition.")
    count: str | bool | None = Field(None, description="A condition, or true to count rows.")
    sum: str | None = None
    median: str | None = None
    rate: list[str] | None = Field(None, min_length=2, max_length=2)
    share: str | None = None
    values: list[Any] | None = Field(
        None, description="With `share`: the values whose share is the indicator's value."
    )
    rubric: RubricArgs | None = None
    themes: ThemesArgs | None = None
    data: str | None = None
    where: str | None = None
    by: list[str] = Field(default_factory=list)
    baseline: float | None = None
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    unit: str | None = None
    bootstrap: int | None = Field(None, ge=100, description="Bootstrap replicates (optional).")
    question: Label | None = None

    @model_validator(mode="before")
    @classmethod
    def _detect_kind(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        kinds = [k for k in INDICATOR_KINDS if k in raw]
        if len(kinds) > 1:
            raise ValueError(f"an indicator has one kind; found {', '.join(kinds)}")
        if not kinds:
            if "kind" in raw:
                return raw
            raise ValueError(
                "an indicator names its kind as the key holding its column: one of "
                + ", ".join(INDICATOR_KINDS)
                + " (e.g. `proportion: employed`)"
            )
        return {**raw, "kind": kinds[0]}

    @field_validator("by", mode="before")
    @classmethod
    def _by_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def args(self) -> Any:
        """What the kind's key holds (a column, a condition, [num, den], or a sub-config)."""
        return getattr(self, self.kind)


class CriterionSpec(StrictModel):
    id: str
    label: Label | None = None
    question: Label | None = None
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    verdict: VerdictRules | None = None
    weight: float | None = Field(None, ge=0)


class DimensionSpec(StrictModel):
    id: str
    label: Label | None = None
    criteria: list[CriterionSpec] = Field(default_factory=list)
    weight: float | None = Field(None, ge=0)


class Framework(StrictModel):
    evalsoc: Literal[1] = Field(description="Format version of the framework file.")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: Label
    language: Literal["fr", "en"] = "fr"
    period: Period | None = None
    organisation: Label | None = None
    description: Label | None = None
    seed: int = Field(20250101, ge=0, le=2**32 - 1, strict=True)
    privacy: Privacy = Field(default_factory=Privacy)
    policy: DataPolicy = Field(default_factory=DataPolicy)
    report: ReportOptions = Field(default_factory=ReportOptions)
    data: dict[str, DataSource] = Field(default_factory=dict)
    dimensions: list[DimensionSpec] = Field(default_factory=list)
    effects: list[EffectSpec] = Field(default_factory=list)
    capabilities: list[CapabilitySpec] = Field(default_factory=list)
    sroi: SroiSpec | None = None
    volunteering: VolunteeringSpec | None = None
    synthesis: SynthesisSpec | None = None
    narrative: NarrativeSpec | None = None

    # Set by the loader (not part of the YAML): where the framework file lives.
    base_dir: str | None = Field(None, exclude=True)
    source_path: str | None = Field(None, exclude=True)
    _positions: dict = PrivateAttr(default_factory=dict)

    def all_indicators(self) -> list[tuple[DimensionSpec, CriterionSpec, IndicatorSpec]]:
        return [(d, c, i) for d in self.dimensions for c in d.criteria for i in c.indicators]
