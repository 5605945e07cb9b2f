"""Config model of the `volunteering:` section: volume of volunteer time and its valuation.

Volume comes from a data source (one row per person × category × activity, with hours) or from
totals declared per category. The valuation is always declared, never guessed: replacement
cost (what the same work would cost if paid, a rate per category) or opportunity cost (one
hourly rate, e.g. the legal minimum wage with employer charges). It is a contribution in kind
(class 8 of French association accounts), reported apart and never mixed into outcomes.
Only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, StrictModel
from evalsoc.framework.columns import READS
from evalsoc.sections.volunteering.reciprocity_config import PlannedRole, VolunteerRegister


class VolunteerCategory(StrictModel):
    """A kind of volunteering (governance, activity, occasional...) with its optional totals."""

    id: str
    label: Label | None = None
    rate: float | None = Field(
        None, ge=0, le=1e15, description="Hourly replacement cost (replacement_cost)."
    )
    persons: int | None = Field(None, ge=0, description="Declared number of volunteers.")
    hours: float | None = Field(None, ge=0, le=1e15, description="Declared hours over the period.")
    rate_source: Label | None = Field(None, description="Where this category's rate comes from.")
    sensitive: bool = Field(
        True,
        description="false: the category's figures are public (e.g. governance hours a funder "
        "asks for) and are shown even below min_cell; the other categories stay protected.",
    )


class Valuation(StrictModel):
    method: Literal["replacement_cost", "opportunity_cost", "none"]
    rate: float | None = Field(
        None,
        ge=0,
        le=1e15,
        description="The one hourly rate of opportunity_cost (e.g. minimum wage + charges).",
    )
    source: Label | None = Field(None, description="Where the rate(s) come from, in words.")
    currency: str = "EUR"


class VolunteeringSpec(StrictModel):
    """`volunteering:` — volume by category (persons, hours) and its declared valuation."""

    label: Label | None = None
    data: str | None = Field(None, description="Source with one row per volunteering record.")
    where: str | None = Field(None, json_schema_extra=READS["expression"])
    category: str = Field(
        "category", description="Column holding the category id.", json_schema_extra=READS["column"]
    )
    hours: str = Field(
        "hours", description="Column holding hours.", json_schema_extra=READS["column"]
    )
    person: str | None = Field(
        "person",
        description="Column identifying the volunteer.",
        json_schema_extra=READS["optional_column"],
    )
    role: str | None = Field(
        None,
        description="Column of the hours records holding the role the hours were given in.",
        json_schema_extra=READS["optional_column"],
    )
    people: VolunteerRegister | None = Field(
        None, description="The volunteers' register: people served or not, role, tenure."
    )
    planned: list[PlannedRole] = Field(
        default_factory=list, description="Prescribed volunteering: planned roles and hours."
    )
    categories: list[VolunteerCategory] = Field(default_factory=list)
    total_persons: int | None = Field(
        None, ge=0, description="Declared distinct volunteers (a person may be in two categories)."
    )
    valuation: Valuation = Field(default_factory=lambda: Valuation(method="none"))
    fte_hours: float = Field(1607.0, gt=0, description="Annual hours of one full-time job (FR).")
    suppress_small_cells: bool = Field(
        True, description="Hide per-category figures from fewer than min_cell volunteers."
    )

    @model_validator(mode="after")
    def _check(self) -> VolunteeringSpec:
        ids = [c.id for c in self.categories]
        if len(set(ids)) != len(ids):
            raise ConfigValueError("volunteering_category_twice")
        if self.data is None:
            if not self.categories:
                raise ConfigValueError("volunteering_needs_hours")
            undeclared = [c.id for c in self.categories if c.hours is None]
            if undeclared:
                raise ConfigValueError(
                    "volunteering_category_needs_hours", categories=", ".join(undeclared)
                )
        method = self.valuation.method
        if method == "opportunity_cost":
            if self.valuation.rate is None:
                raise ConfigValueError("opportunity_cost_needs_rate")
            with_rates = [c.id for c in self.categories if c.rate is not None]
            if with_rates:
                raise ConfigValueError(
                    "opportunity_cost_category_rates", categories=", ".join(with_rates)
                )
        if method == "replacement_cost":
            if self.valuation.rate is not None:
                raise ConfigValueError("replacement_cost_one_rate")
            if not self.categories:
                raise ConfigValueError("replacement_cost_needs_categories")
            missing = [c.id for c in self.categories if c.rate is None]
            if missing:
                raise ConfigValueError(
                    "replacement_cost_rates_missing", categories=", ".join(missing)
                )
        return self
