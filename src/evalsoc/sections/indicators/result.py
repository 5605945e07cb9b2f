"""Typed results of quantitative indicators (mean, proportion, count, sum, median, rate,
share), overall and by group."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from evalsoc.sections.result_base import Number, Reason, ResultModel, Scalar, Text


class Category(ResultModel):
    """One value of a `share` indicator: its count and share of the cell's people."""

    value: Scalar
    count: Number | None = None
    share: float | None = None
    suppressed: bool = False
    reason: Reason = None


class Cell(ResultModel):
    """The figures of one population: overall, or one `by` group."""

    value: float | None = Field(None, description="The indicator's value.")
    ci_low: float | None = Field(None, description="Lower bound of the 95% interval.")
    ci_high: float | None = Field(None, description="Upper bound of the 95% interval.")
    n: int | None = Field(None, description="People (rows) the value comes from.")
    count: Number | None = Field(None, description="People counted (proportion, count, share).")
    status: str | None = Field(None, description="met, not_met, no_target, suppressed, …")
    suppressed: bool = False
    reason: Reason = None
    ci_reason: Reason = Field(None, description="Why there is no interval.")
    change: float | None = Field(None, description="Value minus baseline.")
    change_relative: float | None = None
    categories: list[Category] | None = None
    se: float | None = Field(None, description="Design-based standard error (sampling design).")
    df: int | None = Field(None, description="Design degrees of freedom of the interval.")


class GroupCell(Cell):
    group: dict[str, Scalar] = Field(description="The `by` columns and their values.")


class ReferenceComparison(ResultModel):
    """A territorial reference beside the indicator's overall value (docs/practice.md)."""

    value: float = Field(description="The reference value, in the indicator's unit.")
    source: str | dict[str, str | None]
    year: int
    territory: str | dict[str, str | None]
    label: str | dict[str, str | None] | None = None
    ci_low: float | None = Field(None, description="The source's interval, when given.")
    ci_high: float | None = None
    se: float | None = Field(
        None, description="The reference's standard error (given or from its interval)."
    )
    difference: float | None = Field(
        None, description="Indicator minus reference; null when suppressed."
    )
    difference_relative: float | None = None
    beyond_uncertainty: bool | None = Field(
        None, description="Whether the difference exceeds the uncertainty (rule)."
    )
    rule: Literal["combined", "indicator_interval", "reference_interval", "both_exact"] | None = (
        None
    )
    margin: float | None = Field(None, description="z·√(se_ind² + se_ref²) or z·se_ref.")
    suppressed: bool = False
    reason: Reason = None


class MultipleChoice(ResultModel):
    columns: list[str]
    note: Text


class DesignRecord(ResultModel):
    """The sampling design a design-based indicator was estimated on."""

    weights: str
    strata: str | None
    psu: str | None
    fpc: str | None
    replacement: bool
    lonely_psu: Literal["fail", "certainty"]
    n_psu: int
    n_strata: int
    df: int
    variance: str


class QuantitativeIndicator(Cell):
    kind: Literal[
        "mean",
        "proportion",
        "count",
        "sum",
        "median",
        "rate",
        "share",
        "gini",
        "theil",
        "atkinson",
        "gap",
    ]
    ci_method: str | None = None
    target: float | None = None
    baseline: float | None = None
    better: Literal["higher", "lower"] = "higher"
    unit: str | None = None
    by: list[GroupCell] = Field(default_factory=list)
    multiple: MultipleChoice | None = Field(
        None, description="select_multiple columns and the note."
    )
    design: DesignRecord | None = Field(
        None, description="The sampling design of a design-based indicator (docs/survey.md)."
    )
    references: list[ReferenceComparison] | None = None
