"""Typed result of the co-construction record (sections/criteria/coconstruction.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from evalsoc.sections.result_base import ResultModel, Text


class ValidationRecord(ResultModel):
    date: str = Field(description="ISO date of the validation.")
    body: Text = Field(description="The body that validated (e.g. comité de pilotage).")
    roles: list[str] = Field(default_factory=list, description="Roles present in the body.")


class BodyValidation(ValidationRecord):
    criteria: list[str] = Field(description="The criteria this body validated on that date.")


class GridItem(ResultModel):
    level: Literal["dimension", "criterion", "indicator"]
    id: str
    label: Text
    proposed_by: list[str] = Field(
        description="Roles who proposed it (a criterion without its own: its dimension's)."
    )
    from_people_served: bool = Field(description="Proposed by people served or residents.")
    validated: ValidationRecord | None = Field(
        None, description="Who validated it (a criterion without its own: its dimension's)."
    )
    notes: Text | None = None


class CoConstructionResult(ResultModel):
    """How the grid was built (docs/practice.md): counts by role, validations, gaps."""

    criteria_total: int
    proposed_by_role: dict[str, int] = Field(description="Criteria proposed by each role.")
    without_proposer: list[str] = Field(description="Criteria whose proposer is not recorded.")
    from_people_served: list[str] = Field(description="Criteria proposed by the people served.")
    validations: list[BodyValidation]
    unvalidated: list[str] = Field(description="Criteria no body validated (flagged).")
    items: list[GridItem]
