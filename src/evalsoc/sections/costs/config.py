"""Config model of the `costs:` section: a cost, what it is divided by, and public references.

The cost is declared (`amount`, with its source) or taken from the resources section's total
(actual by default; monetary resources only unless `include_reciprocity`). A ratio divides it
by an indicator's count (people accompanied, outputs, outcomes) or by the additional outcomes
an effect attributes to the programme (effect × number treated). A reference is the cost of a
comparable public alternative for one ratio (value, source, year). Only pydantic here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, StrictModel


class CostBase(StrictModel):
    """What is divided: a declared amount, or the resources section's total."""

    amount: float | None = Field(None, ge=0, le=1e15, description="Declared cost.")
    source: Label | None = Field(None, description="Where the declared cost comes from.")
    resources: Literal["actual", "forecast"] | None = Field(
        None, description="Take the resources section's total of this basis (latest year)."
    )
    year: int | None = Field(None, description="Year of the resources' total (default: latest).")
    include_reciprocity: bool = Field(
        False,
        description="true: add valued reciprocity (volunteering, gifts, in kind) to the cost "
        "(the full economic cost); false: monetary resources only.",
    )

    @model_validator(mode="after")
    def _check(self) -> CostBase:
        if (self.amount is None) == (self.resources is None):
            raise ConfigValueError("cost_amount_or_resources")
        if self.amount is not None and (self.year is not None or self.include_reciprocity):
            raise ConfigValueError("cost_year_with_resources")
        return self


class CostRatio(StrictModel):
    """One cost ratio: per person / output / outcome (an indicator) or per additional outcome
    (an effect)."""

    id: str
    label: Label | None = None
    per: Literal["person", "output", "outcome", "additional_outcome"] | None = None
    indicator: str | None = Field(None, description="A count, or a proportion's count.")
    effect: str | None = Field(None, description="An effect: cost / (effect × treated).")
    treated: int | None = Field(
        None, gt=0, description="Number treated (default: the effect's n_treated)."
    )
    unit: Label | None = Field(None, description="What one outcome is, in words (the reader's).")

    @model_validator(mode="after")
    def _check(self) -> CostRatio:
        if (self.indicator is None) == (self.effect is None):
            raise ConfigValueError("cost_ratio_one_base", ratio=repr(self.id))
        if self.effect is not None and self.per not in (None, "additional_outcome"):
            raise ConfigValueError("cost_ratio_effect_per", ratio=repr(self.id))
        if self.indicator is not None and self.per == "additional_outcome":
            raise ConfigValueError("cost_ratio_per_needs_effect", ratio=repr(self.id))
        if self.treated is not None and self.effect is None:
            raise ConfigValueError("cost_ratio_treated_with_effect", ratio=repr(self.id))
        return self

    @property
    def kind(self) -> str:
        return self.per or ("additional_outcome" if self.effect else "outcome")


class CostReference(StrictModel):
    """The cost of a comparable public alternative, set beside one ratio."""

    ratio: str
    label: Label | None = None
    value: float = Field(gt=0, le=1e15)
    source: Label
    year: int | None = Field(None, ge=1900, le=2200)


class CostsSpec(StrictModel):
    """`costs:` — the cost, its ratios and the references they are compared with."""

    label: Label | None = None
    currency: str = "EUR"
    cost: CostBase
    ratios: list[CostRatio] = Field(min_length=1)
    references: list[CostReference] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> CostsSpec:
        ids = [r.id for r in self.ratios]
        if len(set(ids)) != len(ids):
            raise ConfigValueError("cost_ratio_ids_repeat")
        for ref in self.references:
            if ref.ratio not in ids:
                raise ConfigValueError(
                    "cost_reference_unknown_ratio", ratio=repr(ref.ratio), ids=", ".join(ids)
                )
        return self
