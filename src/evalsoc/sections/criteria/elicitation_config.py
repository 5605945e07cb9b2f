"""`valuation:` — stakeholders' rankings or ratings of the importance of the criteria or of the
SROI outcomes, by role (Social Value International's principles 3 and 4: value what matters,
include only what is material). See docs/practice.md."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import StrictModel
from evalsoc.sections.criteria.coconstruction_config import known_roles


class Materiality(StrictModel):
    """An item below the threshold is not material: an SROI outcome is then left out."""

    min_weight: float | None = Field(None, gt=0, lt=1, description="On the elicited weight.")
    min_rating: float | None = Field(None, description="On the mean rating (ratings only).")

    @model_validator(mode="after")
    def _one(self) -> Materiality:
        if (self.min_weight is None) == (self.min_rating is None):
            raise ConfigValueError("materiality_one_threshold")
        return self


class ValuationSpec(StrictModel):
    """A long table: one row per respondent × item, with the role, and a rank or a rating."""

    data: str = Field(description="The data source of the rankings or ratings.")
    items: Literal["criteria", "outcomes"] = Field(
        description="What is ranked or rated: the criteria' ids, or the SROI outcomes' ids."
    )
    respondent: str = Field("respondent", description="Column of the respondent's id.")
    role: str = Field("role", description="Column of the respondent's role.")
    item: str = Field("item", description="Column of the criterion or outcome id.")
    rank: str | None = Field(None, description="Column of the rank (1 = most important).")
    rating: str | None = Field(None, description="Column of the rating (higher = more important).")
    method: Literal["roc", "rank_sum", "mean_rating"] | None = Field(
        None, description="roc (default with ranks), rank_sum, or mean_rating (with ratings)."
    )
    roles: dict[str, str] = Field(
        description="{value in the role column: role} (people_served, staff, volunteers…)."
    )
    materiality: Materiality | None = None

    @field_validator("roles")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        known_roles(list(value.values()))
        if not value:
            raise ConfigValueError("valuation_roles_empty")
        return value

    @model_validator(mode="after")
    def _rank_or_rating(self) -> ValuationSpec:
        if (self.rank is None) == (self.rating is None):
            raise ConfigValueError("valuation_rank_or_rating")
        if self.method is None:
            object.__setattr__(self, "method", "roc" if self.rank else "mean_rating")
        if self.rank and self.method == "mean_rating":
            raise ConfigValueError("valuation_mean_rating_needs_rating")
        if self.rating and self.method in ("roc", "rank_sum"):
            raise ConfigValueError("valuation_method_needs_rank", method=self.method)
        if self.materiality and self.materiality.min_rating is not None and not self.rating:
            raise ConfigValueError("valuation_min_rating_needs_ratings")
        return self

    @property
    def value_column(self) -> str:
        return str(self.rank or self.rating)

    def columns(self) -> list[Any]:
        return [self.respondent, self.role, self.item, self.value_column]
