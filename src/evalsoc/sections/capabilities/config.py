"""Config model of `capabilities:` entries: an Alkire–Foster capability (pouvoir d'agir) set.

Imported by the CLI at start-up: only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import ExactFraction, Label, StrictModel, parse_fraction
from evalsoc.framework.columns import READS


def _as_list(value: Any) -> Any:
    return (
        [value] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value
    )


class CapabilityDimension(StrictModel):
    """One dimension: items combined into a score, then a cutoff or a deprivation condition."""

    id: str
    label: Label | None = None
    items: list[str] = Field(
        default_factory=list,
        description="Columns combined into the score.",
        json_schema_extra=READS["columns"],
    )
    reverse: list[str] = Field(default_factory=list, description="Reverse-coded Likert items.")
    combine: Literal["mean", "sum"] = "mean"
    cutoff: float | None = Field(None, description="Deprived when the score is below the cutoff.")
    deprived: str | None = Field(
        None,
        description="A where-style condition meaning 'deprived'.",
        json_schema_extra=READS["expression"],
    )
    weight: ExactFraction | None = Field(None, description="A number or a fraction such as 1/18.")

    @field_validator("items", "reverse", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @model_validator(mode="after")
    def _check(self) -> CapabilityDimension:
        if (self.cutoff is None) == (self.deprived is None):
            raise ConfigValueError("capability_cutoff_or_deprived", dimension=repr(self.id))
        if self.cutoff is not None and not self.items:
            raise ConfigValueError("capability_cutoff_without_items", dimension=repr(self.id))
        unknown = [c for c in self.reverse if c not in self.items]
        if unknown:
            raise ConfigValueError(
                "capability_reverse_not_items", dimension=repr(self.id), items=unknown
            )
        if len(set(self.items)) != len(self.items):
            raise ConfigValueError("capability_item_twice", dimension=repr(self.id))
        if self.weight is not None and self.weight <= 0:
            raise ConfigValueError(
                "capability_weight_not_positive", dimension=repr(self.id), given=self.weight
            )
        return self


class ParitySpec(StrictModel):
    """Two groups compared by their empowerment index (reference first, focal second)."""

    by: str = Field(json_schema_extra=READS["column"])
    groups: list[str] = Field(min_length=2, max_length=2)

    @field_validator("groups", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, list):  # numbers name groups too; a mapping or list does not
            return [v if isinstance(v, (dict, list)) else str(v) for v in value]
        return value


class CapabilitySpec(StrictModel):
    """A capability set scored by the Alkire–Foster counting method (see docs/capabilities.md)."""

    id: str
    label: Label | None = None
    data: str
    unit: str | None = Field(
        None,
        description="Person identifier (pairs waves for change).",
        json_schema_extra=READS["column"],
    )
    where: str | None = Field(None, json_schema_extra=READS["expression"])
    dimensions: list[CapabilityDimension] = Field(min_length=1)
    k: list[str] = Field(
        default_factory=lambda: ["1/3"],
        description="Poverty cutoff(s): share of total weight in (0, 1], fractions allowed.",
    )
    by: list[str] = Field(default_factory=list, json_schema_extra=READS["columns"])
    time: str | None = Field(
        None,
        description="Wave/round column for change over time.",
        json_schema_extra=READS["column"],
    )
    dates: dict[str, str | float] | None = Field(
        None, description="Wave → date (YYYY-MM-DD) or year, for annualised change."
    )
    weight: str | None = Field(
        None, description="Sampling weight column.", json_schema_extra=READS["column"]
    )
    cluster: str | None = Field(
        None, description="Primary sampling unit column.", json_schema_extra=READS["column"]
    )
    strata: str | None = Field(
        None, description="Stratum column.", json_schema_extra=READS["column"]
    )
    missing: Literal["drop", "deprived", "error"] = "drop"
    se: Literal["linearization", "bootstrap"] = "linearization"
    bootstrap_reps: int = Field(500, ge=50, le=100_000)
    empowered_share: ExactFraction = Field(
        Fraction(4, 5), description="Adequate in at least this share of weighted dimensions."
    )
    parity: ParitySpec | None = None
    likert_levels: int | None = Field(None, ge=2, description="Levels 1..L for reverse coding.")
    weight_draws: int = Field(1000, ge=0, le=100_000)
    seed: int | None = None

    @field_validator("k", mode="before")
    @classmethod
    def _k_text(cls, value: Any) -> Any:
        values = _as_list(value)
        if not isinstance(values, list) or not values:
            raise ConfigValueError("capability_k_missing")
        texts = []
        seen: dict[Any, Any] = {}
        for item in values:
            share = parse_fraction(item)
            if not 0 < share <= 1:
                raise ConfigValueError("capability_k_not_share", given=item)
            if share in seen:
                raise ConfigValueError("capability_k_twice", first=seen[share], second=item)
            seen[share] = item
            texts.append(str(item).strip() if isinstance(item, str) else repr(item))
        return texts

    @field_validator("by", mode="before")
    @classmethod
    def _by_list(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("dates", mode="before")
    @classmethod
    def _dates_text(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for wave, when in value.items():
            key = str(int(wave)) if isinstance(wave, float) and wave.is_integer() else str(wave)
            if hasattr(when, "isoformat"):
                when = when.isoformat()
            if isinstance(when, bool) or not isinstance(when, (str, int, float)):
                raise ConfigValueError("capability_wave_date_invalid", wave=repr(wave))
            out[key] = float(when) if isinstance(when, int) else when
        return out

    @model_validator(mode="after")
    def _check(self) -> CapabilitySpec:
        ids = [d.id for d in self.dimensions]
        if len(set(ids)) != len(ids):
            raise ConfigValueError("capability_dimension_id_twice", set=repr(self.id))
        given = [d.weight is not None for d in self.dimensions]
        if any(given) and not all(given):
            raise ConfigValueError("capability_weights_partial", set=repr(self.id))
        if not 0 < self.empowered_share <= 1:
            raise ConfigValueError("capability_empowered_share", given=self.empowered_share)
        return self

    @property
    def thresholds(self) -> list[tuple[str, Fraction]]:
        """Each k as written in the framework and as an exact fraction."""
        return [(text, parse_fraction(text)) for text in self.k]

    @property
    def dimension_weights(self) -> list[Fraction]:
        """Weights normalised to sum to 1 (equal weights when none are given)."""
        raw = [d.weight if d.weight is not None else Fraction(1) for d in self.dimensions]
        total = sum(raw, Fraction(0))
        return [w / total for w in raw]
