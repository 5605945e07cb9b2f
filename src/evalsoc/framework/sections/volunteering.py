"""Config model of the `volunteering:` section (placeholder until the volunteering engine lands)."""

from __future__ import annotations

from pydantic import ConfigDict

from evalsoc.framework.base import StrictModel


class VolunteeringSpec(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)
