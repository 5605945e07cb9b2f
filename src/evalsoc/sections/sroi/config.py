"""Config model of the `sroi:` section: inputs, outcomes with their adjustments, discounting and
the uncertainty of every parameter (Social Value International, "A Guide to SROI", 2012).

Only pydantic and evalsoc.framework.base are imported here: the CLI imports this at start-up.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import ExactFraction, Label, StrictModel

Distribution = Literal["triangular", "uniform", "normal", "beta"]
SHARE_PARAMETERS = ("deadweight", "displacement", "attribution", "drop_off")
MAX_DURATION_YEARS = 100
DEFAULT_DISCOUNT_RATE = 0.035  # the SVI guide's and HM Treasury Green Book's 3.5%
DEFAULT_DRAWS = 100_000


def _num(x: float) -> str:
    return f"{x:g}"


def _which(key: str) -> str:
    """' (`high`)' when the faulty number is a range bound rather than the value itself."""
    return "" if key == "value" else f" (`{key}`)"


# Money and hours above 10^15 (a million billion) are a typing or unit mistake; the limit keeps
# present values, ratios and Monte Carlo sums finite in float64 (docs/framework.md).
MAX_AMOUNT = 1e15


def _too_large(key: str, x: float) -> ConfigValueError:
    return ConfigValueError("sroi_amount_too_large", key=key, given=_num(x))


class UncertainParameter(StrictModel):
    """A number and, optionally, how uncertain it is.

    ``0.2`` (fixed); ``{value: 0.2, low: 0.1, high: 0.3}`` (a range: triangular peaked at value);
    ``{low: 0.1, high: 0.3}`` (uniform); or ``{distribution: normal, mean: 0.2, sd: 0.05}`` etc.
    A `reason` says why the value was chosen (required in spirit when an adjustment is 0).
    """

    value: float | None = None
    low: float | None = None
    high: float | None = None
    distribution: Distribution | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    alpha: float | None = None
    beta: float | None = None
    reason: Label | None = None  # "text" or {fr: ..., en: ...}: shown in the report

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, raw: Any) -> Any:
        if isinstance(raw, bool):
            raise ConfigValueError("sroi_parameter_not_number")
        if isinstance(raw, (int, float)):
            return {"value": raw}
        return raw

    @model_validator(mode="after")
    def _check(self) -> UncertainParameter:
        numbers = {
            k: getattr(self, k)
            for k in ("value", "low", "high", "mode", "mean", "sd", "alpha", "beta")
            if getattr(self, k) is not None
        }
        for key, x in numbers.items():
            if not math.isfinite(x):
                raise ConfigValueError("sroi_not_finite", key=key, given=x)
        dist = self.distribution
        if dist is None and (self.low is None) != (self.high is None):
            raise ConfigValueError("sroi_range_needs_both")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ConfigValueError("sroi_low_above_high", low=_num(self.low), high=_num(self.high))
        owners = {
            "mode": "triangular",
            "mean": "normal",
            "sd": "normal",
            "alpha": "beta",
            "beta": "beta",
        }
        for key, owner in owners.items():
            if key in numbers and dist != owner:
                raise ConfigValueError("sroi_key_needs_distribution", key=key, distribution=owner)
        if dist in ("uniform", "triangular") and (self.low is None or self.high is None):
            raise ConfigValueError("sroi_distribution_needs_range", distribution=dist)
        if dist == "normal":
            if self.sd is None or self.sd <= 0:
                raise ConfigValueError("sroi_normal_needs_sd")
            if self.mean is None and self.value is None:
                raise ConfigValueError("sroi_normal_needs_mean")
        if dist == "beta" and not (
            self.alpha is not None and self.beta is not None and self.alpha > 0 and self.beta > 0
        ):
            raise ConfigValueError("sroi_beta_needs_alpha_beta")
        if self.low is not None and self.high is not None:
            for key in ("value", "mode", "mean"):
                x = numbers.get(key)
                if x is not None and not self.low <= x <= self.high:
                    raise ConfigValueError(
                        "sroi_outside_range",
                        key=key,
                        given=_num(x),
                        low=_num(self.low),
                        high=_num(self.high),
                    )
        if not numbers:
            raise ConfigValueError("sroi_parameter_needs_value")
        return self

    @property
    def central(self) -> float:
        """The value used for the point estimate."""
        if self.value is not None:
            return self.value
        if self.mode is not None:
            return self.mode
        if self.mean is not None:
            return self.mean
        if self.distribution == "beta" and self.alpha is not None and self.beta is not None:
            return self.alpha / (self.alpha + self.beta)
        assert self.low is not None and self.high is not None
        return (self.low + self.high) / 2

    @property
    def resolved_distribution(self) -> str | None:
        """The Monte Carlo distribution: declared, else triangular (with a value) or uniform."""
        if self.distribution is not None:
            return self.distribution
        if self.low is None:
            return None
        return "triangular" if self.value is not None else "uniform"

    def location_numbers(self) -> dict[str, float]:
        """The numbers that must lie in the parameter's feasible range."""
        keys = ("value", "low", "high", "mode", "mean")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


def _parameter(raw: Any) -> Any:
    return (
        raw
        if raw is None or isinstance(raw, UncertainParameter)
        else UncertainParameter.model_validate(raw)
    )


class IndicatorRef(StrictModel):
    """`{indicator: id, field: value|n|count, times: k}`: a computed indicator result."""

    indicator: str
    field: Literal["value", "n", "count"] = "value"
    times: float | None = Field(None, gt=0)
    uncertainty: Literal["ci", "none"] = Field(
        "ci", description="ci: the indicator's interval feeds the sensitivity and the Monte Carlo."
    )


class EffectRef(StrictModel):
    """`{effect: id}`: the effect's estimate × the number treated (or × `times`)."""

    effect: str
    times: float | None = Field(None, gt=0)
    uncertainty: Literal["ci", "none"] = Field(
        "ci", description="ci: the effect's interval feeds the sensitivity and the Monte Carlo."
    )


class CapabilityRef(StrictModel):
    """`{capability: id, field: H, k: 1/3, times: 120}`: a capability result (for one k)."""

    capability: str
    field: str
    k: ExactFraction | None = None
    times: float | None = Field(None, gt=0)


QuantityRef = IndicatorRef | EffectRef | CapabilityRef
REFERENCE_KINDS = {"indicator": IndicatorRef, "effect": EffectRef, "capability": CapabilityRef}


class Proxy(StrictModel):
    """A financial proxy: value per unit of quantity, where it comes from, how good it is."""

    value: UncertainParameter
    unit: Label | None = None  # "text" or {fr: ..., en: ...}
    source: Label
    evidence: Literal["green", "amber", "red"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat_uncertainty(cls, raw: Any) -> Any:
        """Accept `{value: 12000, low: 9000, high: 15000, source: ...}` as well as a nested value."""
        if not isinstance(raw, dict):
            raise ConfigValueError("sroi_proxy_not_mapping")
        if not raw.get("source"):
            raise ConfigValueError("sroi_proxy_needs_source")
        keys = ("low", "high", "distribution", "mode", "mean", "sd", "alpha", "beta")
        moved = {k: raw[k] for k in keys if k in raw}
        if not moved:
            return raw
        rest = {k: v for k, v in raw.items() if k not in keys}
        value = rest.get("value")
        if isinstance(value, dict):
            raise ConfigValueError("sroi_proxy_range_twice")
        if value is not None:
            moved["value"] = value
        return {**rest, "value": moved}

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, raw: Any) -> Any:
        return _parameter(raw)

    @field_validator("value")
    @classmethod
    def _not_beta(cls, param: UncertainParameter) -> UncertainParameter:
        if param.distribution == "beta":
            raise ConfigValueError("sroi_proxy_beta")
        for key in ("value", "low", "high", "mode", "mean", "sd"):
            x = getattr(param, key, None)
            if x is not None and abs(x) > MAX_AMOUNT:
                raise _too_large(key, x)
        return param


class SroiOutcome(StrictModel):
    """One line of the impact map."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    label: Label | None = None
    stakeholder: Label | None = None
    quantity: UncertainParameter | IndicatorRef | EffectRef | CapabilityRef | None = None
    proxy: Proxy | None = None
    reason: Label | None = Field(
        None, description="Why the outcome is not monetised (proxy: none)."
    )
    deadweight: UncertainParameter | None = None
    displacement: UncertainParameter | None = None
    attribution: UncertainParameter | None = None
    drop_off: UncertainParameter | None = None
    duration: UncertainParameter | None = None

    @model_validator(mode="before")
    @classmethod
    def _proxy_none(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        if "proxy" not in raw:
            raise ConfigValueError("sroi_outcome_needs_proxy")
        proxy = raw["proxy"]
        if proxy is None or (isinstance(proxy, str) and proxy.strip().lower() in ("none", "aucun")):
            return {**raw, "proxy": None}
        return raw

    @field_validator("quantity", mode="before")
    @classmethod
    def _quantity(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            kinds = [k for k in REFERENCE_KINDS if k in raw]
            if len(kinds) > 1:
                raise ConfigValueError("sroi_quantity_one_reference", kinds=", ".join(kinds))
            if kinds:
                return REFERENCE_KINDS[kinds[0]].model_validate(raw)
        return _parameter(raw)

    @field_validator(*SHARE_PARAMETERS, "duration", mode="before")
    @classmethod
    def _parameters(cls, raw: Any) -> Any:
        return _parameter(raw)

    @field_validator(*SHARE_PARAMETERS)
    @classmethod
    def _share(cls, param: UncertainParameter | None, info: ValidationInfo) -> Any:
        if param is not None:
            for key, x in param.location_numbers().items():
                if not 0 <= x <= 1:
                    raise ConfigValueError(
                        "sroi_not_a_share", field=info.field_name, which=_which(key), given=_num(x)
                    )
        return param

    @field_validator("duration")
    @classmethod
    def _duration(cls, param: UncertainParameter | None) -> Any:
        if param is None:
            return param
        for key, x in param.location_numbers().items():
            if x <= 0:
                raise ConfigValueError(
                    "sroi_duration_not_positive", which=_which(key), given=_num(x)
                )
            if x > MAX_DURATION_YEARS:
                raise ConfigValueError(
                    "sroi_duration_too_long",
                    which=_which(key),
                    limit=MAX_DURATION_YEARS,
                    given=_num(x),
                )
        if param.distribution == "beta":
            raise ConfigValueError("sroi_beta_only_shares", key="duration")
        return param

    @field_validator("quantity")
    @classmethod
    def _quantity_range(cls, param: Any) -> Any:
        if isinstance(param, UncertainParameter):
            if param.distribution == "beta":
                raise ConfigValueError("sroi_beta_only_shares", key="quantity")
            for key, x in param.location_numbers().items():
                if x < 0:
                    raise ConfigValueError(
                        "sroi_quantity_negative", which=_which(key), given=_num(x)
                    )
        return param

    @property
    def monetised(self) -> bool:
        return self.proxy is not None

    @model_validator(mode="after")
    def _check(self) -> SroiOutcome:
        if not self.monetised:
            if not self.reason:
                raise ConfigValueError("sroi_outcome_reason_needed", outcome=repr(self.id))
            return self
        if self.reason:
            raise ConfigValueError("sroi_outcome_reason_with_proxy", outcome=repr(self.id))
        if self.quantity is None:
            raise ConfigValueError("sroi_outcome_needs_quantity", outcome=repr(self.id))
        if self.duration is None:
            raise ConfigValueError("sroi_outcome_needs_duration", outcome=repr(self.id))
        return self


class SroiInput(StrictModel):
    """What was invested: money, volunteer hours × a rate, or the volunteering section's value."""

    label: Label
    source: Label | None = None
    amount: float | None = None
    hours: float | None = None
    rate: float | None = None
    volunteering: bool | str | None = Field(
        None, description="true: the volunteering section's total value; a name: one category."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> SroiInput:
        kinds = [
            self.amount is not None,
            self.hours is not None or self.rate is not None,
            self.volunteering not in (None, False),
        ]
        if sum(kinds) != 1:
            raise ConfigValueError("sroi_input_one_kind")
        if self.volunteering is False:
            raise ConfigValueError("sroi_input_volunteering_false")
        if (self.hours is None) != (self.rate is None):
            raise ConfigValueError("sroi_input_hours_and_rate")
        for key in ("amount", "hours", "rate"):
            x = getattr(self, key)
            if x is not None and (not math.isfinite(x) or x < 0):
                raise ConfigValueError("sroi_not_negative", key=key, given=_num(x))
            if x is not None and x > MAX_AMOUNT:
                raise _too_large(key, x)
        return self


class DiscountPeriod(StrictModel):
    """One step of a declining schedule: `{from: 31, to: 75, rate: 0.03}` (years of discounting)."""

    start: int = Field(alias="from", ge=1)
    end: int | None = Field(None, alias="to", ge=1)
    rate: float

    @model_validator(mode="after")
    def _check(self) -> DiscountPeriod:
        if self.end is not None and self.end < self.start:
            raise ConfigValueError("sroi_discount_step_reversed", end=self.end, start=self.start)
        if not 0 <= self.rate <= 1:
            raise ConfigValueError("sroi_discount_rate_out_of_range", given=_num(self.rate))
        return self


class MonteCarloSpec(StrictModel):
    draws: int = Field(DEFAULT_DRAWS, ge=0, le=10_000_000, description="0 switches it off.")
    seed: int | None = Field(None, description="Defaults to the framework's seed.")


class SroiSpec(StrictModel):
    """The `sroi:` section."""

    label: Label | None = None
    currency: str = "EUR"
    inputs: list[SroiInput]
    outcomes: list[SroiOutcome]
    discount_rate: UncertainParameter | list[DiscountPeriod] = Field(
        default_factory=lambda: UncertainParameter(value=DEFAULT_DISCOUNT_RATE)
    )
    discount_first_year: bool = Field(True, description="SVI 2012: year 1 is discounted.")
    adjustments: Literal["multiplicative", "additive"] = "multiplicative"
    monte_carlo: MonteCarloSpec = Field(default_factory=MonteCarloSpec)

    @field_validator("discount_rate", mode="before")
    @classmethod
    def _rate(cls, raw: Any) -> Any:
        if isinstance(raw, list):
            if not raw:
                raise ConfigValueError("sroi_discount_schedule_empty")
            return raw
        return _parameter(raw)

    @field_validator("discount_rate")
    @classmethod
    def _rate_range(cls, rate: Any) -> Any:
        if isinstance(rate, UncertainParameter):
            for key, x in rate.location_numbers().items():
                if not 0 <= x <= 1:
                    raise ConfigValueError(
                        "sroi_discount_rate_not_share", which=_which(key), given=_num(x)
                    )
            return rate
        expected = 1
        for i, step in enumerate(rate):
            if step.start != expected:
                raise ConfigValueError(
                    "sroi_discount_steps_gap", step=i + 1, start=step.start, expected=expected
                )
            if step.end is None and i < len(rate) - 1:
                raise ConfigValueError("sroi_discount_last_step_open")
            expected = (step.end or 0) + 1
        return rate

    @field_validator("inputs")
    @classmethod
    def _some_inputs(cls, inputs: list[SroiInput]) -> list[SroiInput]:
        if not inputs:
            raise ConfigValueError("sroi_needs_input")
        return inputs

    @field_validator("outcomes")
    @classmethod
    def _some_outcomes(cls, outcomes: list[SroiOutcome]) -> list[SroiOutcome]:
        if not outcomes:
            raise ConfigValueError("sroi_needs_outcome")
        seen: set[str] = set()
        for outcome in outcomes:
            if outcome.id in seen:
                raise ConfigValueError("sroi_outcome_id_twice", outcome=repr(outcome.id))
            seen.add(outcome.id)
        return outcomes
