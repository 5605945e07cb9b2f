"""Config models of qualitative indicator kinds (`rubric:`, `themes:`); placeholder for now."""

from __future__ import annotations

from pydantic import ConfigDict

from evalsoc.framework.base import StrictModel


class RubricArgs(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class ThemesArgs(StrictModel):
    model_config = ConfigDict(extra="allow", frozen=True)
