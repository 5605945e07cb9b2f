"""Typed result of the stakeholders' valuation (sections/criteria/elicitation.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from evalsoc.sections.result_base import ResultModel, SuppressionReason


class RoleWeights(ResultModel):
    value: str = Field(description="The role as the data write it.")
    role: str = Field(description="The role (co-construction vocabulary).")
    respondents: int | None = None
    weights: dict[str, float] | None = Field(None, description="Weight of each item; sum 1.")
    mean_ratings: dict[str, float] | None = None
    suppressed: bool = False
    reason: SuppressionReason | None = None


class Spread(ResultModel):
    min: float
    max: float
    sd: float | None = Field(None, description="Standard deviation (n − 1) across roles.")
    roles: int = Field(description="Published roles the spread is taken over.")


class MaterialityResult(ResultModel):
    basis: Literal["weight", "rating"]
    threshold: float
    immaterial: list[str] = Field(description="Items below the threshold (left out of SROI).")
    by_role: dict[str, list[str]] = Field(description="Items each role's weights would exclude.")
    stable: bool = Field(description="Every published role's weights give the same exclusions.")


class ValuationResult(ResultModel):
    """Weights elicited from stakeholders' rankings or ratings (docs/practice.md)."""

    items: Literal["criteria", "outcomes"]
    method: Literal["roc", "rank_sum", "mean_rating"]
    respondents: int | None = None
    weights: dict[str, float] | None = Field(
        None, description="Overall weights: the mean of the roles' weights."
    )
    mean_ratings: dict[str, float] | None = None
    suppressed: bool = False
    reason: SuppressionReason | None = None
    by_role: list[RoleWeights]
    spread: dict[str, Spread]
    materiality: MaterialityResult | None = None
