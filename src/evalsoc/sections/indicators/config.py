"""A sampling design declared on a data source or an indicator (docs/survey.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import StrictModel

DESIGN_KINDS = ("mean", "proportion", "sum", "count", "rate")


class SurveyDesignSpec(StrictModel):
    """Weights, strata, PSUs (clusters) and finite population corrections of a survey sample:
    the indicators reading it are design-based (weighted, Taylor-linearised intervals)."""

    weights: str = Field(
        description="Column of sampling weights (inverse inclusion probabilities, > 0)."
    )
    strata: str | None = Field(None, description="Column of strata (none: one stratum).")
    psu: str | None = Field(
        None, description="Column of primary sampling units (clusters), read within strata."
    )
    fpc: str | None = Field(
        None,
        description="Column of the finite population correction per stratum: the population "
        "size in PSUs (> 1) or the sampling fraction (≤ 1). None: PSUs drawn with replacement.",
    )
    replacement: bool | None = Field(
        None,
        description="PSUs drawn with replacement (default: true without `fpc`, false with it).",
    )
    lonely_psu: Literal["fail", "certainty"] = Field(
        "fail",
        description="A stratum with one PSU: `fail` (refuse, R's default) or `certainty` "
        "(it adds no variance).",
    )

    @model_validator(mode="after")
    def _replacement_matches_fpc(self) -> SurveyDesignSpec:
        if self.replacement is False and not self.fpc:
            raise ConfigValueError("design_needs_fpc")
        if self.replacement is True and self.fpc:
            raise ConfigValueError("design_fpc_with_replacement")
        return self

    def columns(self) -> list[str]:
        return [c for c in (self.weights, self.strata, self.psu, self.fpc) if c]
