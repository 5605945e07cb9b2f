"""Config model of `capabilities:` entries (placeholder until the capability engine lands)."""

from __future__ import annotations

from pydantic import ConfigDict

from evalsoc.framework.base import Label, StrictModel


class CapabilitySpec(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: str
    label: Label | None = None
