"""The co-construction record of the grid: who proposed a dimension, criterion or indicator,
which body validated it and when (Social Value International's principle 1, involve
stakeholders). Roles come from one vocabulary so that the report names them in French and
English and knows which ones are the people served themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, StrictModel

# role → (French, English); the report's method section counts criteria by these roles.
ROLES: dict[str, tuple[str, str]] = {
    "people_served": ("personnes accompagnées", "people served"),
    "residents": ("habitants", "residents"),
    "volunteers": ("bénévoles", "volunteers"),
    "staff": ("salariés", "staff"),
    "board": ("conseil d'administration", "board"),
    "steering_committee": ("comité de pilotage", "steering committee"),
    "funders": ("financeurs", "funders"),
    "partners": ("partenaires", "partners"),
    "evaluator": ("évaluateur", "evaluator"),
}
# The roles whose proposals "come from the people served themselves".
PEOPLE_SERVED_ROLES = ("people_served", "residents")


class Validation(StrictModel):
    """Which body validated an item of the grid, and when."""

    date: dt.date
    body: Label = Field(description="e.g. comité de pilotage avec des personnes accompagnées.")
    roles: list[str] = Field(
        default_factory=list, description="Roles present in the body (same vocabulary)."
    )

    @field_validator("roles", mode="before")
    @classmethod
    def _known_roles(cls, value: Any) -> Any:
        return known_roles(value)


def known_roles(value: Any) -> Any:
    """A role or a list of roles, each from `ROLES` (a clear error naming the known ones)."""
    roles = [value] if isinstance(value, str) else value
    if isinstance(roles, list):
        for role in roles:
            if isinstance(role, str) and role not in ROLES:
                raise ConfigValueError("role_unknown", role=repr(role), roles=", ".join(ROLES))
    return roles


class CoConstruction(StrictModel):
    """Keys shared by dimensions, criteria and indicators to record how the grid was built."""

    proposed_by: list[str] = Field(
        default_factory=list, description="Roles who proposed the item (e.g. people_served)."
    )
    validated: Validation | None = Field(None, description="{date, body}: who validated it.")
    notes: Label | None = Field(None, description="How the item was discussed or changed.")

    @field_validator("proposed_by", mode="before")
    @classmethod
    def _known_roles(cls, value: Any) -> Any:
        return known_roles(value)

    @property
    def recorded(self) -> bool:
        """Whether any co-construction key is declared."""
        return bool(self.proposed_by) or self.validated is not None or self.notes is not None
