"""Config model of `effects:` entries (placeholder until the effects engine lands)."""

from __future__ import annotations

from pydantic import ConfigDict

from evalsoc.framework.base import Label, StrictModel


class EffectSpec(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: str
    label: Label | None = None
