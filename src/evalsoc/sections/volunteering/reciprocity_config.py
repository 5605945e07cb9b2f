"""Config of volunteering beyond money: the volunteers' register (who gives: people served or
not, role, since when, until when) and the prescribed volunteering (planned roles and hours).
Only pydantic and evalsoc.framework here."""

from __future__ import annotations

from pydantic import Field

from evalsoc.framework.base import Label, StrictModel
from evalsoc.framework.columns import READS


class VolunteerRegister(StrictModel):
    """A source with one row per volunteer (the association's register of volunteers)."""

    data: str = Field(description="Source with one row per volunteer.")
    where: str | None = Field(None, json_schema_extra=READS["expression"])
    person: str = Field("person", json_schema_extra=READS["column"])
    served: str | None = Field(
        None,
        description="Boolean column: the volunteer is or was a person served.",
        json_schema_extra=READS["optional_column"],
    )
    role: str | None = Field(
        None, description="The volunteer's main role.", json_schema_extra=READS["optional_column"]
    )
    since: str | None = Field(
        None,
        description="Date the volunteer began (tenure, arrivals).",
        json_schema_extra=READS["optional_column"],
    )
    left: str | None = Field(
        None,
        description="Date the volunteer left; empty while active (turnover).",
        json_schema_extra=READS["optional_column"],
    )


class PlannedRole(StrictModel):
    """A role of the prescribed volunteering (charter, plan): how many people, how many hours."""

    role: str
    label: Label | None = None
    persons: int | None = Field(None, ge=0)
    hours: float | None = Field(None, ge=0, le=1e15)
