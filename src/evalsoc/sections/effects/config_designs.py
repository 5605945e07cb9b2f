"""Keys of the designs iv, rd and matching (and randomisation inference), kept apart from
`effects.py` so that EffectSpec only inherits them (docs/effects.md describes each key).

Imported by the CLI at start-up: only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from evalsoc.framework.base import StrictModel


class DesignOptions(StrictModel):
    """Options read by the designs iv, rd and matching; ignored by the others."""

    # Instrumental variables
    instruments: list[str] = Field(
        default_factory=list, description="iv: the instrument columns (excluded from the outcome)."
    )
    endogenous: str | None = Field(
        None,
        description="iv: a numeric column instrumented (e.g. years of education); when absent "
        "the 0/1 `treatment` is the instrumented variable.",
    )
    iv_method: Literal["2sls", "liml"] = "2sls"
    # Regression discontinuity
    running: str | None = Field(None, description="rd: the running (score) variable.")
    cutoff: float | None = Field(None, description="rd: the threshold of the running variable.")
    bandwidth: float | None = Field(
        None, gt=0, description="rd: a fixed bandwidth (default: rdrobust's MSE-optimal one)."
    )
    treated_side: Literal["above", "below"] = Field(
        "above", description="rd: the side of the cutoff where the programme applies."
    )
    kernel: Literal["triangular", "epanechnikov", "uniform"] = "triangular"
    polynomial: int = Field(1, ge=0, le=4, description="rd: order of the local polynomial.")
    # Matching
    match_method: Literal["nearest", "exact", "cem"] = "nearest"
    ratio: int = Field(1, ge=1, le=20, description="matching: controls per treated person.")
    replace: bool = Field(False, description="matching: may a control be used several times?")
    caliper: float | None = Field(
        None, gt=0, description="matching: largest distance, in SDs of the propensity score."
    )
    exact: list[str] = Field(
        default_factory=list, description="matching: columns matched exactly (nearest, cem)."
    )
    cem_bins: int | None = Field(
        None,
        ge=2,
        le=100,
        description="cem: equal-width bins per numeric covariate (default: Sturges, as MatchIt).",
    )
    matching_se: Literal["regression", "abadie_imbens"] = Field(
        "regression",
        description="matching: standard error of the weighted regression (MatchIt's), or "
        "Abadie–Imbens (2006) for nearest neighbours with replacement (Stata teffects nnmatch).",
    )
    ai_neighbours: int = Field(
        2,
        ge=1,
        le=20,
        description="matching_se abadie_imbens: neighbours of the same group used to estimate "
        "each outcome's conditional variance (Stata's vce(robust, nn(2)) default).",
    )
    bias_adjust: bool = Field(
        False,
        description="matching_se abadie_imbens: Abadie–Imbens (2011) bias correction by a "
        "regression of the controls' outcomes on the covariates (Stata's biasadj()).",
    )
    # Staggered DiD with covariates
    est_method: Literal["dr", "reg"] = Field(
        "dr",
        description="staggered_did with covariates: doubly robust (R did's default) or "
        "outcome regression.",
    )
    # Inequality as the outcome (difference, did)
    outcome_statistic: Literal["mean", "gini", "theil", "atkinson"] = Field(
        "mean",
        description="difference, did: compare the mean of the outcome (default) or an "
        "inequality index of it (the index difference, or its difference in differences).",
    )
    atkinson_epsilon: float = Field(
        1.0, gt=0, description="outcome_statistic atkinson: inequality aversion ε."
    )
    # Randomisation inference (difference)
    inference: Literal["asymptotic", "randomisation"] = "asymptotic"
    permutations: int = Field(
        10_000,
        ge=99,
        le=1_000_000,
        description="randomisation: Monte Carlo draws when the assignments are too many to list.",
    )

    @field_validator("instruments", "exact", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    def design_columns(self) -> list[str]:
        """Columns these options make an effect read (checked and cleaned like the others)."""
        return [c for c in [*self.instruments, self.endogenous, self.running, *self.exact] if c]
