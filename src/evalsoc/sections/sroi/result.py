"""Typed result of the SROI section: values, ratio, sensitivity and Monte Carlo.

Every nested object is declared (no free `dict`), so a key the engine adds without declaring it
here fails the run's self-check instead of reaching results.json undocumented."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from evalsoc.sections.result_base import Reason, ResultModel, SuppressionReason, Text

# A label as the framework gave it: one text, or its French and/or English wording.
LabelJson = str | dict[str, str]
Pair = list[float | None]
Parameter = Literal[
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "duration",
    "discount_rate",
]


class DiscountStep(ResultModel):
    from_: int = Field(alias="from")
    to: int | None
    rate: float


class Conventions(ResultModel):
    adjustments: Literal["multiplicative", "additive"]
    discount_first_year: bool
    discount_rate: float | list[DiscountStep]
    discount_rate_range: Pair | None = Field(None, description="Low and high declared rates.")


class InputLine(ResultModel):
    label: LabelJson | None
    source: LabelJson | None
    kind: Literal["money", "volunteer_hours", "volunteering"]
    amount: float
    hours: float | None = None
    rate: float | None = None
    category: str | None = None


class QuantitySource(ResultModel):
    """Where an outcome's quantity comes from (a declared number, an indicator, an effect or a
    capability result) and which uncertainty it carries into the simulation."""

    kind: Literal["declared", "indicator", "effect", "capability"]
    ref: str | None = None
    field: str | None = None
    estimate: float | None = None
    times: float | None = None
    k: str | float | None = None
    interval: str | None = Field(None, description="The uncertainty taken over (English).")


class ProxyRecord(ResultModel):
    value: float
    unit: LabelJson | None
    source: LabelJson | None
    evidence: str | None


class ParameterRecord(ResultModel):
    value: float
    low: float | None
    high: float | None
    distribution: str | None
    declared: bool
    reason: LabelJson | None


class Deductions(ResultModel):
    deadweight: float
    displacement: float
    attribution: float


class AnnualValue(Deductions):
    gross: float
    net: float


class Totals(Deductions):
    drop_off: float


class OutcomeYear(ResultModel):
    year: int
    share_of_year: float
    gross: float
    deductions: Deductions
    drop_off: float
    net: float
    discount_factor: float
    present_value: float


class OutcomeAccount(ResultModel):
    id: str
    label: LabelJson | None
    stakeholder: LabelJson | None
    quantity: float
    quantity_source: QuantitySource
    proxy: ProxyRecord
    parameters: dict[Parameter, ParameterRecord]
    annual: AnnualValue
    gross_value: float
    deductions: Totals
    net_value: float
    discounting: float
    discounted_value: float
    by_year: list[OutcomeYear]
    share_of_present_value: float | None


class Year(ResultModel):
    year: int
    gross: float
    net: float
    discount_factor: float
    present_value: float
    cumulative_present_value: float


class Waterfall(Totals):
    gross: float
    discounting: float
    present_value: float


class OneAtATime(ResultModel):
    outcome: str | None
    parameter: Parameter
    central: float
    low: float
    high: float
    ratio_central: float
    ratio_low: float
    ratio_high: float
    swing: float


class SwitchingValue(ResultModel):
    outcome: str | None
    parameter: Parameter
    central: float
    range: Pair
    ratio_at_range: Pair
    switching_value: float | None
    change: float | None = None
    relative_change: float | None = None
    code: Literal["no_effect", "always_above", "always_below"] | None = Field(
        None, description="Why there is no switching value (the reason's short form)."
    )
    reason: SuppressionReason | None = None


class ParameterRef(ResultModel):
    outcome: str | None
    parameter: Parameter


class Sensitivity(ResultModel):
    one_at_a_time: list[OneAtATime]
    switching_values: list[SwitchingValue]
    without_range: list[ParameterRef]
    estimable: bool | None = None
    reason: Reason = None


class Histogram(ResultModel):
    edges: list[float]
    counts: list[int]


class MonteCarlo(ResultModel):
    estimable: bool
    reason: Reason = None
    median: float | None = None
    mean: float | None = None
    ci90: Pair | None = None
    ci95: Pair | None = None
    p_ratio_above_1: float | None = None
    draws: int | None = None
    seed: int | None = None
    histogram: Histogram | None = None
    uncertain_parameters: int | None = None


class NonMonetised(ResultModel):
    id: str
    label: LabelJson | None
    stakeholder: LabelJson | None
    cause: Literal["not_material", "no_proxy", "quantity_not_estimable"]
    reason: SuppressionReason | LabelJson | None
    criteria: list[str]


class CountShare(ResultModel):
    outcomes: int
    non_monetised: int
    share: float | None


class StakeholderShare(CountShare):
    stakeholder: LabelJson | None


class NonMonetisedShare(ResultModel):
    by_count: CountShare
    by_stakeholder: list[StakeholderShare]


class SroiWarning(ResultModel):
    id: str | None
    code: str
    parameter: Parameter | None
    message: Text


class SroiResult(ResultModel):
    estimable: bool
    reason: Reason = None
    currency: str | None = None
    conventions: Conventions | None = None
    present_value: float | None = None
    npv: float | None = None
    ratio: float | None = None
    net_ratio: float | None = None
    payback_months: float | None = None
    payback_reason: Reason = None
    inputs_total: float | None = None
    inputs: list[InputLine] = []
    by_outcome: dict[str, OutcomeAccount] = {}
    by_year: list[Year] = []
    waterfall: Waterfall | None = None
    sensitivity: Sensitivity | None = None
    monte_carlo: MonteCarlo | None = None
    non_monetised: list[NonMonetised] = []
    non_monetised_share: NonMonetisedShare | None = None
    warnings: list[SroiWarning] = []
