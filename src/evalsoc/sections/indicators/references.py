"""Territorial references: an indicator set beside a published value (the neighbourhood's
unemployment rate, the département's poverty rate) with its source, year and territory.

The comparison says whether the difference exceeds the uncertainty (docs/practice.md):
- both sides have an uncertainty: |d| > z·√(se_ind² + se_ref²) (two independent estimates),
  each se read from its 95 % interval as (high − low) / (2·z) or given as `se`;
- the reference has none (a register count, a census figure used as exact): the reference
  lies outside the indicator's interval;
- the indicator is exact (a count or sum of records) and the reference has an uncertainty:
  |d| > z·se_ref;
- neither has one: an exact count against an exact figure, any non-zero difference is real;
  an indicator without an interval (too few rows) cannot be judged (`beyond_uncertainty` null).
A suppressed or not estimable indicator publishes no difference: with the reference published,
the difference would give the hidden value back.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

from pydantic import Field, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, StrictModel
from evalsoc.problems import problem

LEVEL = 0.95
Z = NormalDist().inv_cdf(0.5 + LEVEL / 2)  # 1.959964
EXACT_KINDS = ("count", "sum")  # computed from every record: no sampling interval
PROPORTION_KINDS = ("proportion", "share")
COMPARABLE_KINDS = (
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
)


class ReferenceSpec(StrictModel):
    """A published value to set the indicator beside, in the indicator's unit."""

    value: float = Field(description="The reference value, in the indicator's unit (0.23, not 23).")
    source: Label = Field(description="Who published it (e.g. INSEE, RP 2021).")
    year: int = Field(ge=1800, le=2200, strict=True, description="Year the value refers to.")
    territory: Label = Field(description="The territory (e.g. QPV Les Tilleuls, Nord).")
    label: Label | None = None
    low: float | None = Field(None, description="Lower bound of the source's interval.")
    high: float | None = Field(None, description="Upper bound of the source's interval.")
    level: float = Field(LEVEL, gt=0, lt=1, description="Confidence level of low/high.")
    se: float | None = Field(None, gt=0, description="Standard error, when the source gives it.")

    @model_validator(mode="after")
    def _consistent(self) -> ReferenceSpec:
        if (self.low is None) != (self.high is None):
            raise ConfigValueError("reference_interval_half")
        if self.low is not None and self.se is not None:
            raise ConfigValueError("reference_interval_and_se")
        if self.low is not None and self.high is not None:
            if not self.low <= self.value <= self.high:
                raise ConfigValueError(
                    "reference_outside_interval", value=self.value, low=self.low, high=self.high
                )
        return self

    @property
    def standard_error(self) -> float | None:
        if self.se is not None:
            return self.se
        if self.low is None or self.high is None:
            return None
        z = NormalDist().inv_cdf(0.5 + self.level / 2)
        return (self.high - self.low) / (2 * z)


def check_references(kind: str, references: list[ReferenceSpec], values: Any) -> None:
    """Refuse references the indicator cannot be compared with (raised at load: file:line)."""
    if not references:
        return
    if kind not in COMPARABLE_KINDS:
        raise ConfigValueError("reference_kind_not_comparable", kind=kind)
    if kind == "share" and not values:
        raise ConfigValueError("reference_share_needs_values")
    if kind in PROPORTION_KINDS:
        for i, ref in enumerate(references, start=1):
            for name in ("value", "low", "high"):
                number = getattr(ref, name)
                if number is not None and not 0 <= number <= 1:
                    raise ConfigValueError(
                        "reference_not_a_proportion",
                        i=i,
                        source=_plain(ref.source),
                        year=ref.year,
                        kind=kind,
                        name=name,
                        number=number,
                    )


def _plain(label: Label) -> str:
    return label if isinstance(label, str) else (label.fr or label.en or "")


def _label_out(label: Label | None) -> Any:
    if label is None or isinstance(label, str):
        return label
    return {"fr": label.fr, "en": label.en}


def _indicator_se(result: dict[str, Any]) -> float | None:
    low, high = result.get("ci_low"), result.get("ci_high")
    if low is None or high is None:
        return None
    return (float(high) - float(low)) / (2 * Z)


def compare(kind: str, result: dict[str, Any], ref: ReferenceSpec) -> dict[str, Any]:
    """One reference beside an indicator's published overall value."""
    out: dict[str, Any] = {
        "value": ref.value,
        "source": _label_out(ref.source),
        "year": ref.year,
        "territory": _label_out(ref.territory),
        "label": _label_out(ref.label),
        "ci_low": ref.low,
        "ci_high": ref.high,
        "se": ref.standard_error,
        "difference": None,
        "difference_relative": None,
        "beyond_uncertainty": None,
        "rule": None,
        "margin": None,
        "suppressed": False,
        "reason": None,
    }
    if result.get("suppressed"):
        # The difference with a published value would give the hidden value back.
        return {**out, "suppressed": True, "reason": result.get("reason")}
    value = result.get("value")
    if value is None:
        return {**out, "reason": problem("reference_no_value")}
    difference = value - ref.value
    out["difference"] = difference
    out["difference_relative"] = difference / ref.value if ref.value else None
    se_ind, se_ref = _indicator_se(result), ref.standard_error
    exact = kind in EXACT_KINDS and se_ind is None
    if se_ind is not None and se_ref is not None:
        margin = Z * math.sqrt(se_ind**2 + se_ref**2)
        out.update(rule="combined", margin=margin, beyond_uncertainty=abs(difference) > margin)
    elif se_ind is not None:
        beyond = ref.value < result["ci_low"] or ref.value > result["ci_high"]
        out.update(rule="indicator_interval", beyond_uncertainty=beyond)
    elif exact and se_ref is not None:
        margin = Z * se_ref
        out.update(
            rule="reference_interval", margin=margin, beyond_uncertainty=abs(difference) > margin
        )
    elif exact:
        out.update(rule="both_exact", beyond_uncertainty=difference != 0)
    else:
        out["reason"] = problem("reference_no_interval")
    return out


def attach_references(framework: Any, results: dict[str, Any]) -> None:
    """Add, in place, each declared reference's comparison to its indicator's result (after the
    privacy rule and the disclosure audit, so that a withheld value shows no difference)."""
    for _dim, _crit, ind in framework.all_indicators():
        if ind.references and isinstance(results.get(ind.id), dict):
            result = results[ind.id]
            result["references"] = [compare(ind.kind, result, ref) for ref in ind.references]
