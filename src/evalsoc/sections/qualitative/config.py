"""Config models of qualitative indicators (`rubric:`, `themes:`), verdict rules and synthesis.

A rubric indicator reads a judgements table (one row per rater × criterion); a themes indicator
reads a coding table (one row per coded segment). `verdict:` on a criterion says how its
evidence becomes a level on the verdict scale; the top-level `synthesis:` sets the optional
weighted score and its sensitivity analysis. Only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, LocalisedText, StrictModel
from evalsoc.framework.columns import READS

# The verdict scale of the profile grid (evaluative-rubric style), from worst to best.
VERDICT_LEVELS: tuple[str, ...] = ("insuffisant", "fragile", "satisfaisant", "remarquable")
# "Not enough evidence to judge": a level of its own, never averaged in.
INSUFFICIENT_EVIDENCE = "preuves_insuffisantes"

VerdictLevel = Literal["insuffisant", "fragile", "satisfaisant", "remarquable"]

LEVEL_LABELS: dict[str, dict[str, str]] = {
    "insuffisant": {"fr": "Insuffisant", "en": "Insufficient"},
    "fragile": {"fr": "Fragile", "en": "Fragile"},
    "satisfaisant": {"fr": "Satisfaisant", "en": "Satisfactory"},
    "remarquable": {"fr": "Remarquable", "en": "Outstanding"},
    INSUFFICIENT_EVIDENCE: {"fr": "Preuves insuffisantes", "en": "Insufficient evidence"},
}

LEVEL_DESCRIPTORS: dict[str, dict[str, str]] = {
    "insuffisant": {
        "fr": "Peu ou pas de résultats ; des manques importants.",
        "en": "Little or no result; serious shortcomings.",
    },
    "fragile": {
        "fr": "Des résultats partiels ou instables ; des faiblesses notables.",
        "en": "Partial or unstable results; notable weaknesses.",
    },
    "satisfaisant": {
        "fr": "Les résultats attendus sont atteints pour l'essentiel.",
        "en": "The expected results are mostly achieved.",
    },
    "remarquable": {
        "fr": "Des résultats nettement au-delà des attentes, solides et durables.",
        "en": "Results clearly beyond expectations, solid and lasting.",
    },
}


def level_key(text: str) -> str:
    """Level names compared loosely: case, spaces, hyphens and French accents ignored."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "_".join(plain.lower().replace("-", " ").replace("_", " ").split())


class ScaleLevel(StrictModel):
    """One level of a rubric scale; `aliases` are other spellings found in the data (e.g. 3)."""

    id: str
    label: Label | None = None
    descriptor: Label | None = None
    aliases: list[str | int] = Field(default_factory=list)
    verdict: VerdictLevel | None = Field(
        None, description="The verdict level this level counts as (default: by id or position)."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, raw: Any) -> Any:
        return {"id": raw} if isinstance(raw, str) else raw


def default_scale() -> list[ScaleLevel]:
    """insuffisant < fragile < satisfaisant < remarquable, labelled and described in FR/EN."""
    return [
        ScaleLevel(
            id=level,
            label=LocalisedText(**LEVEL_LABELS[level]),
            descriptor=LocalisedText(**LEVEL_DESCRIPTORS[level]),
        )
        for level in VERDICT_LEVELS
    ]


class RubricArgs(StrictModel):
    """`rubric:` — raters' judgements of a criterion on an ordered scale of levels."""

    data: str | None = Field(None, description="The judgements table (overrides the indicator's).")
    where: str | None = Field(
        None,
        description="Row filter (overrides the indicator's `where`).",
        json_schema_extra=READS["expression"],
    )
    level: str = Field(
        "level", description="Column holding the level given.", json_schema_extra=READS["column"]
    )
    rater: str = Field(
        "rater",
        description="Column identifying the rater (never published).",
        json_schema_extra=READS["column"],
    )
    role: str | None = Field(
        "role",
        description="Column holding the rater's stakeholder group.",
        json_schema_extra=READS["optional_column"],
    )
    evidence: str | None = Field(
        "evidence",
        description="Column of free-text evidence.",
        json_schema_extra=READS["optional_column"],
    )
    criterion: str | None = Field(
        "criterion",
        description="Column naming the rated criterion.",
        json_schema_extra=READS["optional_column"],
    )
    unit: str | None = Field(
        None,
        description="Column naming what is rated within a criterion (site, case, item).",
        json_schema_extra=READS["column"],
    )
    scale: list[ScaleLevel] = Field(default_factory=default_scale, min_length=2)
    insufficient: str = Field(
        INSUFFICIENT_EVIDENCE, description="The level meaning 'not enough evidence to judge'."
    )
    threshold: str = Field("satisfaisant", description="Share of judgements at or above it.")
    people_served_roles: list[str] = Field(
        default_factory=list, description="Roles that are the people served by the programme."
    )
    agreement: Literal["auto", "rows", "source", "none"] = Field(
        "auto",
        description="Units of Krippendorff's alpha: the indicator's rows, the whole judgements "
        "table (all criteria), or auto (rows if they hold two units or more, else the table).",
    )
    agreement_where: str | None = Field(
        None,
        description="Row filter for the table-wide alpha.",
        json_schema_extra=READS["expression"],
    )
    bootstrap: int = Field(1000, ge=0, description="Bootstrap replicates for alpha's CI (0: none).")
    min_alpha: float = Field(0.667, ge=0, le=1, description="Warn when alpha is below this.")

    @field_validator("people_served_roles", mode="before")
    @classmethod
    def _roles_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_scale(self) -> RubricArgs:
        ids = [level_key(level.id) for level in self.scale]
        if len(set(ids)) != len(ids):
            raise ConfigValueError("rubric_level_twice")
        if level_key(self.insufficient) in ids:
            raise ConfigValueError("rubric_insufficient_is_level", value=repr(self.insufficient))
        if level_key(self.threshold) not in ids:
            levels = ", ".join(level.id for level in self.scale)
            raise ConfigValueError(
                "rubric_threshold_unknown", threshold=repr(self.threshold), levels=levels
            )
        return self


class CodebookEntry(StrictModel):
    label: Label | None = None
    description: Label | None = None


class ThemesArgs(StrictModel):
    """`themes:` — coded qualitative material: one row per coded segment of a source."""

    data: str | None = Field(None, description="The coding table (overrides the indicator's).")
    where: str | None = Field(
        None,
        description="Row filter (overrides the indicator's `where`).",
        json_schema_extra=READS["expression"],
    )
    source: str = Field(
        "source",
        description="Column identifying the interview/document.",
        json_schema_extra=READS["column"],
    )
    code: str = Field(
        "code", description="Column holding the theme code.", json_schema_extra=READS["column"]
    )
    role: str | None = Field(
        "role",
        description="Column holding the source's stakeholder group.",
        json_schema_extra=READS["optional_column"],
    )
    excerpt: str | None = Field(
        "excerpt",
        description="Column of quoted excerpts.",
        json_schema_extra=READS["optional_column"],
    )
    criterion: str | None = Field(
        "criterion",
        description="Column naming the criterion.",
        json_schema_extra=READS["optional_column"],
    )
    codebook: dict[str, Label | CodebookEntry] = Field(
        default_factory=dict, description="Labels of the codes."
    )


class QuantitativeRule(StrictModel):
    """Ratios of the value to its target (target/value when lower is better) marking levels."""

    remarquable: float = Field(1.2, gt=0)
    satisfaisant: float = Field(1.0, gt=0)
    fragile: float = Field(
        0.8,
        gt=0,
        description="Below target but at least this ratio (and no worse than the "
        "baseline, if any): fragile; lower: insuffisant.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> QuantitativeRule:
        if not self.remarquable > self.satisfaisant > self.fragile:
            got = f"{self.remarquable}, {self.satisfaisant}, {self.fragile}"
            raise ConfigValueError("verdict_ratios_order", given=got)
        return self


EvidenceWeight = Literal["cite", "cap", "level"]


class VerdictRules(StrictModel):
    """`verdict:` — how a criterion's indicators and cited evidence become one level."""

    quantitative: QuantitativeRule = Field(default_factory=QuantitativeRule)
    rubric: Literal["median", "lower_quartile"] = "median"
    combine: Literal["median", "min", "worst", "max"] = Field(
        "median", description="How indicator levels combine (median is the lower median)."
    )
    effects: EvidenceWeight = Field(
        "cap",
        description="cite: named only; cap: an inconclusive effect caps the verdict at "
        "satisfaisant, an unfavourable one at fragile; level: the effect is one more level.",
    )
    capabilities: EvidenceWeight = Field(
        "level", description="As `effects`, read from the change in M0 between waves."
    )
    better: dict[str, Literal["higher", "lower"]] = Field(
        default_factory=dict, description="Favourable direction of cited effects (default higher)."
    )
    significance: float = Field(0.05, gt=0, lt=1, description="Used when no CI is given.")


class SynthesisSpec(StrictModel):
    """`synthesis:` — optional weighted score of the profile and its weight sensitivity."""

    score: bool | None = Field(
        None, description="Compute a weighted score (default: when any weight is declared)."
    )
    draws: int = Field(1000, ge=10, le=1_000_000, description="Dirichlet weight draws.")
    concentration: float = Field(
        20.0, gt=0, description="Dirichlet concentration: larger keeps draws nearer the weights."
    )
    seed: int | None = Field(None, description="Seed of the draws (default: the framework's).")
    points: dict[VerdictLevel, float] = Field(
        default_factory=lambda: {
            "insuffisant": 1.0,
            "fragile": 2.0,
            "satisfaisant": 3.0,
            "remarquable": 4.0,
        },
        description="Points of each verdict level in the weighted score.",
    )
    robust_share: float = Field(
        0.9, gt=0, le=1, description="A conclusion is robust if it holds in this share of draws."
    )
    verdict: VerdictRules | None = Field(None, description="Default rules for every criterion.")
    weights: Literal["declared", "elicited"] = Field(
        "declared",
        description="elicited: the criteria's weights from `valuation` (items: criteria), a "
        "dimension weighing the sum of its criteria's (docs/practice.md).",
    )

    @field_validator("points")
    @classmethod
    def _all_levels(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [level for level in VERDICT_LEVELS if level not in value]
        if missing:
            raise ConfigValueError("verdict_points_missing", missing=missing)
        ordered = [value[level] for level in VERDICT_LEVELS]
        if any(b <= a for a, b in zip(ordered, ordered[1:])):
            raise ConfigValueError("verdict_points_order")
        return value
