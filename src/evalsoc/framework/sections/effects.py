"""Config model of `effects:` entries: one counterfactual (or before/after) estimate each.

Imported by the CLI at start-up: only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.framework.base import Label
from evalsoc.framework.sections.effect_designs import DesignOptions

Design = Literal[
    "difference",
    "pre_post",
    "did",
    "staggered_did",
    "ipw",
    "aipw",
    "ra",
    "regression",
    "iv",
    "rd",
    "matching",
]

# Keys each design needs, with the sentence shown when one is missing.
_REQUIRED: dict[str, list[tuple[str, str]]] = {
    "difference": [("treatment", "the column or condition that marks the programme group")],
    "did": [
        ("treatment", "the column or condition that marks the programme group"),
        ("post", "the condition that marks the period after the programme started"),
    ],
    "staggered_did": [
        ("unit", "the column identifying each unit followed over time"),
        ("time", "the column giving the period"),
        ("first_treated", "the column giving each unit's first treated period (0 if never)"),
    ],
    "ipw": [("treatment", "the column or condition that marks the programme group")],
    "aipw": [("treatment", "the column or condition that marks the programme group")],
    "ra": [("treatment", "the column or condition that marks the programme group")],
    "regression": [
        ("formula", "the regression formula, e.g. 'y ~ treat + age'"),
        ("term", "the coefficient to report, e.g. 'treat'"),
    ],
    "iv": [("instruments", "the instrument column(s), e.g. [offer]")],
    "rd": [
        ("running", "the running variable whose threshold decides who takes part"),
        ("cutoff", "the threshold of the running variable"),
    ],
    "matching": [("treatment", "the column or condition that marks the programme group")],
}


class EffectSpec(DesignOptions):
    """One effect to estimate; which keys apply depends on `design` (docs/effects.md)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    label: Label | None = None
    data: str = Field(description="The data source holding the rows.")
    design: Design
    outcome: str | None = Field(
        None, description="A column, or capability.<id>.score / capability.<id>.deprived@<k>."
    )
    outcome_type: Literal["auto", "continuous", "binary"] = "auto"
    treatment: str | None = Field(None, description="A 0/1 or boolean column, or a condition.")
    where: str | None = None
    covariates: list[str] = Field(default_factory=list)
    unit: str | None = None
    cluster: str | None = None
    se: Literal["classical", "robust", "cluster"] | None = None
    level: float = Field(0.95, gt=0, lt=1)
    time: str | None = None
    before: Any = None
    after: Any = None
    post: str | None = Field(None, description="The condition marking the 'after' rows.")
    fixed_effects: list[str] = Field(default_factory=list)
    first_treated: str | None = None
    control: Literal["never_treated", "not_yet_treated"] = "never_treated"
    base_period: Literal["varying", "universal"] = "varying"
    propensity: list[str] | None = None
    propensity_model: Literal["logit", "probit"] = Field(
        "logit", description="Treatment model for ipw/aipw."
    )
    trim: float | None = Field(
        None,
        gt=0,
        lt=0.5,
        description="Drop people whose propensity lies outside [trim, 1 − trim].",
    )
    dr_method: Literal["aipw", "aipw_wls", "ipwra"] = Field(
        "aipw", description="Doubly robust variant."
    )
    estimand: Literal["ate", "att"] = "ate"
    formula: str | None = None
    term: str | None = None
    small_sample: Literal["none", "wild_bootstrap", "cr2"] = "none"
    bootstrap_reps: int = Field(999, ge=99, le=100_000)
    seed: int | None = None
    better: Literal["higher", "lower"] = Field(
        "higher", description="Which direction of the outcome is good (verdicts read it)."
    )
    unit_label: Label | None = Field(None, description="Unit of the outcome, e.g. points or €.")
    outcome_label: Label | None = Field(None, description="What is measured, in words.")

    @field_validator("covariates", "fixed_effects", "propensity", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _default_se(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and raw.get("se") is None:
            return {**raw, "se": "cluster" if raw.get("cluster") else "robust"}
        return raw

    @model_validator(mode="after")
    def _check_design_keys(self) -> EffectSpec:
        where = f"effect {self.id!r} (design {self.design})"
        for key, meaning in _REQUIRED.get(self.design, []):
            if getattr(self, key) in (None, "", []):
                raise ValueError(f"{where} needs `{key}`: {meaning}")
        if self.design != "regression" and not self.outcome:
            raise ValueError(f"{where} needs `outcome`: the column measuring the result")
        if self.design == "pre_post":
            self._check_pre_post(where)
        if self.design == "iv" and not (self.endogenous or self.treatment):
            raise ValueError(
                f"{where} needs `endogenous` (a numeric column) or `treatment` (0/1): the "
                "variable whose effect the instruments identify"
            )
        if self.se == "cluster" and not self.cluster:
            raise ValueError(f"{where}: se: cluster needs `cluster`, the column of the clusters")
        if self.small_sample != "none" and not self.cluster:
            raise ValueError(
                f"{where}: small_sample: {self.small_sample} is a remedy for few clusters and "
                "needs `cluster`"
            )
        if self.fixed_effects and self.design not in ("did", "difference"):
            raise ValueError(f"{where}: `fixed_effects` applies to designs did and difference")
        return self

    def _check_pre_post(self, where: str) -> None:
        if not self.unit:
            raise ValueError(
                f"{where} needs `unit`: the column identifying each person, to pair their "
                "before and after values"
            )
        has_time = self.time is not None
        if self.post and has_time:
            raise ValueError(
                f"{where}: give either `post` or `time` with `before`/`after`, not both"
            )
        if not self.post:
            if not has_time or self.before is None or self.after is None:
                raise ValueError(
                    f"{where} needs `time` with its `before` and `after` values "
                    "(e.g. time: wave, before: 0, after: 1), or a `post` condition"
                )
        if self.treatment:
            raise ValueError(
                f"{where}: a before/after comparison follows the same people and takes no "
                "`treatment`; choose them with `where`, or use design did to compare with a "
                "group that did not take part"
            )

    @property
    def se_type(self) -> str:
        """The SE type after defaults (cluster when a cluster column is given, else robust)."""
        return self.se or ("cluster" if self.cluster else "robust")
