"""Config model of `effects:` entries: one counterfactual (or before/after) estimate each.

Imported by the CLI at start-up: only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.errors import ConfigValueError, either
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
# The same sentences in French, by key (a plug-in design's own keys fall back to its English).
_REQUIRED_FR: dict[str, str] = {
    "treatment": "la colonne ou la condition qui marque le groupe du programme",
    "post": "la condition qui marque la période après le début du programme",
    "unit": "la colonne qui identifie chaque unité suivie dans le temps",
    "time": "la colonne qui donne la période",
    "first_treated": (
        "la colonne qui donne la première période traitée de chaque unité (0 si jamais)"
    ),
    "formula": "la formule de la régression, par exemple 'y ~ treat + age'",
    "term": "le coefficient à publier, par exemple 'treat'",
    "instruments": "la ou les colonnes d'instruments, par exemple [offer]",
    "running": "la variable de classement dont le seuil décide qui participe",
    "cutoff": "le seuil de la variable de classement",
    "outcome": "la colonne qui mesure le résultat",
    "unit_pre_post": (
        "la colonne qui identifie chaque personne, pour apparier ses valeurs avant et après"
    ),
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
            raise ConfigValueError("effect_trim_invalid")
        if isinstance(value, list) and not (len(value) == 2 and 0 <= value[0] < value[1] <= 1):
            raise ConfigValueError("effect_trim_bounds_invalid")
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
        where = either(
            f"l'effet {self.id!r} (plan {self.design})",
            f"effect {self.id!r} (design {self.design})",
        )
        for key, meaning in _REQUIRED.get(self.design, []):
            if getattr(self, key) in (None, "", []):
                raise ConfigValueError(
                    "effect_key_needed",
                    where=where,
                    key=key,
                    meaning=either(_REQUIRED_FR.get(key, meaning), meaning),
                )
        if self.design != "regression" and not self.outcome:
            raise ConfigValueError(
                "effect_key_needed",
                where=where,
                key="outcome",
                meaning=either(_REQUIRED_FR["outcome"], "the column measuring the result"),
            )
        if self.design == "pre_post":
            self._check_pre_post(where)
        if self.se == "cr2":
            raise ConfigValueError(
                "effect_cr2_small_sample", where=where, small_sample=self.small_sample
            )
        if self.design == "iv" and not (self.endogenous or self.treatment):
            raise ConfigValueError("effect_iv_needs_endogenous", where=where)
        if self.se == "cluster" and not self.cluster:
            raise ConfigValueError("effect_se_cluster_needs_cluster", where=where)
        if self.small_sample != "none" and not self.cluster:
            raise ConfigValueError(
                "effect_small_sample_needs_cluster", where=where, small_sample=self.small_sample
            )
        if self.matching_se == "abadie_imbens" and not (
            self.design == "matching" and self.match_method == "nearest" and self.replace
        ):
            raise ConfigValueError("effect_abadie_imbens_scope", where=where)
        if self.bias_adjust and self.matching_se != "abadie_imbens":
            raise ConfigValueError("effect_bias_adjust_needs_abadie_imbens", where=where)
        if self.benchmark_covariates and self.design != "regression":
            raise ConfigValueError(
                "effect_key_design_scope",
                where=where,
                key="benchmark_covariates",
                designs="regression",
            )
        if self.weights and self.design not in ("did", "difference", "regression"):
            raise ConfigValueError(
                "effect_key_designs_scope",
                where=where,
                key="weights",
                designs=either("difference, did et regression", "difference, did and regression"),
            )
        if self.fixed_effects and self.design not in ("did", "difference"):
            raise ConfigValueError(
                "effect_key_designs_scope",
                where=where,
                key="fixed_effects",
                designs=either("did et difference", "did and difference"),
            )
        if self.outcome_statistic != "mean":
            self._check_inequality(where)
        return self

    def _check_inequality(self, where: dict[str, str]) -> None:
        """An inequality index as the outcome: two groups (difference) or 2×2 (did), unadjusted."""
        key = f"outcome_statistic: {self.outcome_statistic}"
        if self.design not in ("difference", "did"):
            raise ConfigValueError("effect_inequality_designs", where=where, key=key)
        refused = {
            "covariates": self.covariates,
            "fixed_effects": self.fixed_effects,
            "weights": self.weights,
            "small_sample": self.small_sample != "none",
            "inference: randomisation": self.inference == "randomisation",
        }
        for name, given in refused.items():
            if given:
                raise ConfigValueError(
                    "effect_inequality_unadjusted", where=where, key=key, name=name
                )

    def _check_pre_post(self, where: dict[str, str]) -> None:
        if not self.unit:
            raise ConfigValueError(
                "effect_key_needed",
                where=where,
                key="unit",
                meaning=either(
                    _REQUIRED_FR["unit_pre_post"],
                    "the column identifying each person, to pair their before and after values",
                ),
            )
        has_time = self.time is not None
        if self.post and has_time:
            raise ConfigValueError("effect_post_or_time", where=where)
        if not self.post:
            if not has_time or self.before is None or self.after is None:
                raise ConfigValueError("effect_pre_post_needs_time", where=where)
        if self.treatment:
            raise ConfigValueError("effect_pre_post_no_treatment", where=where)

    @property
    def se_type(self) -> str:
        """The SE type after defaults (cluster when a cluster column is given, else robust)."""
        return self.se or ("cluster" if self.cluster else "robust")
