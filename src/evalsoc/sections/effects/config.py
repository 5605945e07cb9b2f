"""Config model of `effects:` entries: one counterfactual (or before/after) estimate each.

Imported by the CLI at start-up: only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.framework.base import Label
from evalsoc.framework.columns import READS
from evalsoc.sections.effects.config_designs import DesignOptions
from evalsoc.sections.effects.designs import DESIGNS

# The design names come from the one list of designs (sections/effects/designs/__init__.py).
Design = Literal[tuple(DESIGNS)]  # type: ignore[valid-type]

# Keys each design needs, with the sentence shown when one is missing.
_REQUIRED: dict[str, list[tuple[str, str]]] = {
    name: list(entry.requires) for name, entry in DESIGNS.items()
}


class EffectSpec(DesignOptions):
    """One effect to estimate; which keys apply depends on `design` (docs/effects.md)."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    label: Label | None = None
    data: str = Field(description="The data source holding the rows.")
    design: Design
    outcome: str | None = Field(
        None,
        description="A column, or capability.<id>.score / capability.<id>.deprived@<k>.",
        json_schema_extra=READS["outcome"],
    )
    outcome_type: Literal["auto", "continuous", "binary"] = "auto"
    treatment: str | None = Field(
        None,
        description="A 0/1 or boolean column, or a condition.",
        json_schema_extra=READS["column_or_expression"],
    )
    where: str | None = Field(None, json_schema_extra=READS["expression"])
    covariates: list[str] = Field(default_factory=list, json_schema_extra=READS["columns"])
    unit: str | None = Field(None, json_schema_extra=READS["column"])
    cluster: str | None = Field(None, json_schema_extra=READS["column"])
    benchmark_covariates: list[str] = Field(
        default_factory=list,
        description="regression: terms a hidden confounder is compared with (Cinelli–Hazlett).",
        json_schema_extra=READS["columns"],
    )
    weights: str | None = Field(
        None,
        description="Column of sampling or analytic weights (difference, did, regression).",
        json_schema_extra=READS["column"],
    )
    se: (
        Literal["classical", "robust", "cluster", "hc0", "hc1", "hc2", "hc3", "cr1", "cr2"] | None
    ) = Field(None, description="Variance estimator by name (docs/effects.md).")
    cr2_df: Literal["satterthwaite", "clusters"] = Field(
        "satterthwaite", description="Reference t of CR2: Bell–McCaffrey df, or G − 1."
    )
    level: float = Field(0.95, gt=0, lt=1)
    time: str | None = Field(None, json_schema_extra=READS["column"])
    before: Any = None
    after: Any = None
    post: str | None = Field(
        None,
        description="The condition marking the 'after' rows.",
        json_schema_extra=READS["column_or_expression"],
    )
    fixed_effects: list[str] = Field(default_factory=list, json_schema_extra=READS["columns"])
    first_treated: str | None = Field(None, json_schema_extra=READS["column"])
    control: Literal["never_treated", "not_yet_treated"] = "never_treated"
    base_period: Literal["varying", "universal"] = "varying"
    propensity: list[str] | None = Field(None, json_schema_extra=READS["columns"])
    propensity_model: Literal["logit", "probit"] = Field(
        "logit", description="Treatment model for ipw/aipw."
    )
    trim: float | Literal["crump"] | list[float] | None = Field(
        None,
        description="Drop people whose propensity lies outside [trim, 1 − trim], outside "
        "[low, high], or outside Crump et al. (2009)'s optimal bounds ('crump').",
    )
    pstolerance: float = Field(
        1e-5, ge=0, lt=0.5, description="Refuse propensities outside [tol, 1 − tol] (Stata)."
    )
    dr_method: Literal["aipw", "aipw_wls", "ipwra"] = Field(
        "aipw", description="Doubly robust variant."
    )
    estimand: Literal["ate", "att", "ato"] = "ate"
    formula: str | None = Field(None, json_schema_extra=READS["formula"])
    term: str | None = None
    small_sample: Literal["none", "wild_bootstrap", "cr2"] = "none"
    bootstrap_reps: int = Field(999, ge=99, le=100_000)
    seed: int | None = None
    better: Literal["higher", "lower"] = Field(
        "higher", description="Which direction of the outcome is good (verdicts read it)."
    )
    unit_label: Label | None = Field(None, description="Unit of the outcome, e.g. points or €.")
    outcome_label: Label | None = Field(None, description="What is measured, in words.")

    @field_validator("trim")
    @classmethod
    def _check_trim(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not 0 < value < 0.5:
            raise ValueError("trim: a share between 0 and 0.5 (e.g. 0.05), 'crump' or [low, high]")
        if isinstance(value, list) and not (len(value) == 2 and 0 <= value[0] < value[1] <= 1):
            raise ValueError("trim: [low, high] needs two numbers with 0 ≤ low < high ≤ 1")
        return value

    @field_validator(
        "covariates", "fixed_effects", "propensity", "benchmark_covariates", mode="before"
    )
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _default_se(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and raw.get("se") is None:
            return {**raw, "se": "cluster" if raw.get("cluster") else "robust"}
        if isinstance(raw, dict) and raw.get("se") in ("cr1", "cr2"):
            # `se: cr2` is `se: cluster` with the CR2 small-sample remedy.
            small = raw.get("small_sample", "none")
            if raw["se"] == "cr2" and small not in (None, "none", "cr2"):
                return raw  # reported by _check_design_keys
            extra = {"small_sample": "cr2"} if raw["se"] == "cr2" else {}
            return {**raw, "se": "cluster", **extra}
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
        if self.se == "cr2":
            raise ValueError(
                f"{where}: se: cr2 already is a small-sample remedy; drop `small_sample: "
                f"{self.small_sample}` or write se: cluster"
            )
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
        if self.matching_se == "abadie_imbens" and not (
            self.design == "matching" and self.match_method == "nearest" and self.replace
        ):
            raise ValueError(
                f"{where}: matching_se: abadie_imbens applies to design matching with "
                "match_method: nearest and replace: true (Abadie & Imbens 2006)"
            )
        if self.bias_adjust and self.matching_se != "abadie_imbens":
            raise ValueError(f"{where}: bias_adjust needs matching_se: abadie_imbens")
        if self.benchmark_covariates and self.design != "regression":
            raise ValueError(f"{where}: `benchmark_covariates` applies to design regression")
        if self.weights and self.design not in ("did", "difference", "regression"):
            raise ValueError(
                f"{where}: `weights` applies to designs difference, did and regression"
            )
        if self.fixed_effects and self.design not in ("did", "difference"):
            raise ValueError(f"{where}: `fixed_effects` applies to designs did and difference")
        if self.outcome_statistic != "mean":
            self._check_inequality(where)
        return self

    def _check_inequality(self, where: str) -> None:
        """An inequality index as the outcome: two groups (difference) or 2×2 (did), unadjusted."""
        key = f"outcome_statistic: {self.outcome_statistic}"
        if self.design not in ("difference", "did"):
            raise ValueError(f"{where}: {key} applies to designs difference and did")
        refused = {
            "covariates": self.covariates,
            "fixed_effects": self.fixed_effects,
            "weights": self.weights,
            "small_sample": self.small_sample != "none",
            "inference: randomisation": self.inference == "randomisation",
        }
        for name, given in refused.items():
            if given:
                raise ValueError(
                    f"{where}: {key} compares unadjusted, unweighted indices; remove `{name}` "
                    "(docs/effects.md, inequality as the outcome)"
                )

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
