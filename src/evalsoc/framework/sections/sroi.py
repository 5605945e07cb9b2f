"""Config model of the `sroi:` section (placeholder until the SROI engine lands)."""

from __future__ import annotations

from pydantic import ConfigDict

from evalsoc.framework.base import StrictModel


class SroiSpec(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)
