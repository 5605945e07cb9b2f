"""The typed framework: what `evalsoc run` evaluates. Parsed once from YAML at the boundary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from evalsoc.errors import ConfigValueError
from evalsoc.framework.base import Label, StrictModel
from evalsoc.framework.engine_settings import EngineName, EngineSettings
from evalsoc.framework.section_models import LAZY_SECTIONS, section_types
from evalsoc.sections.criteria.coconstruction_config import CoConstruction
from evalsoc.sections.indicators.config import SurveyDesignSpec
from evalsoc.sections.indicators.references import ReferenceSpec, check_references
from evalsoc.sections.qualitative.config import RubricArgs, SynthesisSpec, ThemesArgs, VerdictRules

if TYPE_CHECKING:  # imported when a framework declares them (framework/section_models.py)
    from evalsoc.framework.narrative import NarrativeSpec
    from evalsoc.sections.capabilities.config import CapabilitySpec
    from evalsoc.sections.costs.config import CostsSpec
    from evalsoc.sections.criteria.elicitation_config import ValuationSpec
    from evalsoc.sections.effects.config import EffectSpec
    from evalsoc.sections.resources.config import ResourcesSpec
    from evalsoc.sections.sroi.config import SroiSpec
    from evalsoc.sections.volunteering.config import VolunteeringSpec

FORMAT_VERSION = 1

ColumnType = Literal[
    "string",
    "integer",
    "number",
    "boolean",
    "category",
    "ordinal",
    "likert",
    "date",
    "text",
    "multiple",
]


class Period(StrictModel):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.start > self.end:
            raise ConfigValueError("period_reversed", start=self.start, end=self.end)
        return self


class Privacy(StrictModel):
    min_cell: int = Field(
        10, ge=1, strict=True, description="Cells computed from fewer people are suppressed."
    )
    edition: Literal["public", "funder"] = Field(
        "public",
        description="public: small cells suppressed; funder: a restricted edition showing every "
        "count, each page marked as not to be published.",
    )


class ReportOptions(StrictModel):
    publish_quotes: bool = Field(False, description="Print evidence quotes in the report.")
    date: dt.date | None = Field(
        None, description="Date of the report (default: the end of the period; never the clock)."
    )
    evaluator: Label | None = Field(None, description="Who evaluated (person or organisation).")


class ColumnSpec(StrictModel):
    type: ColumnType = "string"
    label: Label | None = None
    labels: dict[Any, Label] | None = Field(None, description="Labels of coded values, by value.")
    values: list[Any] | None = None
    levels: int | list[Any] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    unique: bool = False
    format: str | None = Field(None, description="Date format (strftime) when not ISO.")
    # Intake options (docs/data.md): the file's own header, codes meaning missing, etc.
    name: str | None = Field(None, description="The header as the file has it (default: the id).")
    missing_values: list[Any] | None = Field(None, description="Codes that mean a missing answer.")
    empty_means: bool | None = Field(
        None, description="multiple: `false` reads an empty box as not ticked (LimeSurvey)."
    )
    unit: Literal["percent"] | None = Field(
        None, description="percent: '45 %', '45' and '45,0' are all stored as the proportion 0.45."
    )

    @model_validator(mode="after")
    def _check_kind(self) -> ColumnSpec:
        if self.type in ("category", "ordinal", "multiple") and not self.values:
            raise ConfigValueError("column_needs_values", type=self.type)
        if self.type == "likert" and self.levels is None:
            raise ConfigValueError("likert_needs_levels")
        if self.type == "likert" and isinstance(self.levels, int) and self.levels < 2:
            raise ConfigValueError("likert_too_few_levels_got", given=self.levels)
        if self.type == "likert" and isinstance(self.levels, list) and len(self.levels) < 2:
            raise ConfigValueError("likert_too_few_levels")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ConfigValueError("column_min_above_max")
        return self

    @field_validator("format")
    @classmethod
    def _known_directives(cls, value: str | None) -> str | None:
        from evalsoc.framework.date_format import check_date_format

        return None if value is None else check_date_format(value)


class JoinSpec(StrictModel):
    left: str = Field(description="The source whose rows are kept (the many side, if any).")
    right: str
    on: list[str] | dict[str, str] = Field(description="Key columns, or {left column: right}.")
    how: Literal["one_to_one", "many_to_one"] = "one_to_one"

    @field_validator("on", mode="before")
    @classmethod
    def _on_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, raw: Any) -> Any:
        """YAML 1.1 reads an unquoted `on:` key as the boolean true: take it as `on`."""
        if isinstance(raw, dict) and True in raw and "on" not in raw:
            raw = {("on" if k is True else k): v for k, v in raw.items()}
        return raw


class StackSpec(StrictModel):
    sources: list[str] = Field(min_length=2)
    column: str = Field("source", description="The column saying which source a row comes from.")
    values: dict[str, Any] | None = Field(None, description="Its value per source (default: name).")


class WideToLongSpec(StrictModel):
    source: str
    waves: list[str] = Field(min_length=2, description="Prefixes such as baseline, followup.")
    separator: str = "_"
    column: str = "wave"


class DataSource(StrictModel):
    file: str | None = None
    format: (
        Literal[
            "csv",
            "xlsx",
            "parquet",
            "ods",
            "spss",
            "stata",
            "sas",
            "xport",
            "kobo",
            "odk",
            "limesurvey",
        ]
        | None
    ) = None
    header_row: int | None = Field(None, ge=1, description="Line of the header (1 = first).")
    skip_rows: int | None = Field(None, ge=0, description="Lines above the header to skip.")
    rename: dict[str, str] = Field(
        default_factory=dict, description="{header in the file: column id}"
    )
    missing_values: list[Any] | None = Field(None, description="Codes meaning missing, any column.")
    where: str | None = Field(None, description="Keep only these rows (the others: filtered out).")
    table: str | None = Field(None, description="Member of a zip export (ODK Central repeat).")
    join: JoinSpec | None = None
    stack: StackSpec | None = None
    wide_to_long: WideToLongSpec | None = None
    sheet: str | int | None = None
    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    key: list[str] = Field(default_factory=list)
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    on_invalid: Literal["quarantine", "stop"] | None = None
    max_invalid_share: float | None = Field(None, ge=0, le=1)
    label: Label | None = None
    engine: EngineName | None = Field(
        None, description="The engine that reads this source (default: the framework's)."
    )
    design: SurveyDesignSpec | None = Field(
        None, description="Sampling design: its indicators are design-based (docs/survey.md)."
    )

    @field_validator("key", mode="before")
    @classmethod
    def _key_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_origin(self) -> DataSource:
        origins = [k for k in ("file", "join", "stack", "wide_to_long") if getattr(self, k)]
        if len(origins) != 1:
            found = (
                {"fr": f" ; trouvé {', '.join(origins)}", "en": f"; found {', '.join(origins)}"}
                if origins
                else {"fr": "", "en": ""}
            )
            raise ConfigValueError("source_one_origin", found=found)
        if self.header_row is not None and self.skip_rows is not None:
            if self.header_row != self.skip_rows + 1:
                raise ConfigValueError("header_row_skip_rows")
        return self

    @property
    def derived(self) -> bool:
        """Built from other sources rather than read from a file."""
        return self.file is None

    @property
    def lines_above_header(self) -> int:
        if self.skip_rows is not None:
            return self.skip_rows
        return (self.header_row or 1) - 1


class DataPolicy(StrictModel):
    on_invalid: Literal["quarantine", "stop"] = "quarantine"
    max_invalid_share: float = Field(0.05, ge=0, le=1)


# Quantitative indicator kinds: the key that holds the indicator's column names its kind.
QUANTITATIVE_KINDS = (
    "mean",
    "proportion",
    "count",
    "sum",
    "median",
    "rate",
    "share",
    "gini",
    "theil",
    "atkinson",
    "gap",
)
QUALITATIVE_KINDS = ("rubric", "themes")
INDICATOR_KINDS = QUANTITATIVE_KINDS + QUALITATIVE_KINDS


class IndicatorSpec(CoConstruction):
    id: str
    label: Label | None = None
    kind: str = Field(description="Set from the key that holds the column: mean, proportion, ...")
    mean: str | None = None
    proportion: str | None = Field(None, description="A boolean column, or a condition.")
    count: str | bool | None = Field(None, description="A condition, or true to count rows.")
    sum: str | None = None
    median: str | None = None
    rate: list[str] | None = Field(None, min_length=2, max_length=2)
    share: str | None = None
    values: list[Any] | None = Field(
        None, description="With `share`: the values whose share is the indicator's value."
    )
    gini: str | None = Field(None, description="Gini index of a numeric column (≥ 0).")
    theil: str | None = Field(None, description="Theil index of a numeric column (≥ 0).")
    atkinson: str | None = Field(None, description="Atkinson index of a numeric column.")
    epsilon: float = Field(1.0, gt=0, description="With `atkinson`: inequality aversion ε.")
    gap: str | None = Field(None, description="Gap in the mean of a column between two groups.")
    between: str | None = Field(None, description="With `gap`: the column of the groups.")
    groups: list[Any] | None = Field(
        None, min_length=2, max_length=2, description="With `gap`: [first, second]: first − second."
    )
    over: str | None = Field(
        None, description="With `gap`: a wave column; the value is the change of the gap."
    )
    rubric: RubricArgs | None = None
    themes: ThemesArgs | None = None
    data: str | None = None
    where: str | None = None
    by: list[str] = Field(default_factory=list)
    baseline: float | None = None
    target: float | None = None
    better: Literal["higher", "lower"] = "higher"
    unit: str | None = None
    bootstrap: int | None = Field(
        None, ge=100, le=100_000, description="Bootstrap replicates (optional)."
    )
    question: Label | None = None
    design: SurveyDesignSpec | Literal["none"] | None = Field(
        None,
        description="Sampling design of this indicator's rows (default: its source's); "
        "`none` to ignore the source's design.",
    )
    references: list[ReferenceSpec] = Field(
        default_factory=list, description="Territorial reference values (docs/practice.md)."
    )

    @model_validator(mode="before")
    @classmethod
    def _detect_kind(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        kinds = [k for k in INDICATOR_KINDS if k in raw]
        if len(kinds) > 1:
            raise ConfigValueError("indicator_kinds_many", kinds=", ".join(kinds))
        if not kinds:
            if "kind" in raw:
                return raw
            raise ConfigValueError("indicator_kind_missing", kinds=", ".join(INDICATOR_KINDS))
        return {**raw, "kind": kinds[0]}

    @field_validator("by", mode="before")
    @classmethod
    def _by_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_gap(self) -> IndicatorSpec:
        if self.kind == "gap" and (not self.between or not self.groups):
            raise ConfigValueError("gap_needs_groups", indicator=repr(self.id))
        check_references(self.kind, self.references, self.values)
        return self

    @property
    def args(self) -> Any:
        """What the kind's key holds (a column, a condition, [num, den], or a sub-config)."""
        return getattr(self, self.kind)


class CriterionSpec(CoConstruction):
    id: str
    label: Label | None = None
    question: Label | None = None
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    verdict: VerdictRules | None = None
    weight: float | None = Field(None, ge=0)


class DimensionSpec(CoConstruction):
    id: str
    label: Label | None = None
    criteria: list[CriterionSpec] = Field(default_factory=list)
    weight: float | None = Field(None, ge=0)


# The whole framework. Its section configs (LAZY_SECTIONS) are named, not imported: the schema is
# built at first use with all of them (`Framework` itself) or, when a file is loaded, with only
# those it declares (`declared_model.framework_model`). No docstring: it would enter the schema.
class Framework(StrictModel):
    # The lazy sections this class's schema validates (a loading subclass declares fewer).
    declared_sections: ClassVar[frozenset[str]] = frozenset(LAZY_SECTIONS)

    evalsoc: Literal[1] = Field(description="Format version of the framework file.")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: Label
    language: Literal["fr", "en"] = "fr"
    period: Period | None = None
    organisation: Label | None = None
    description: Label | None = None
    seed: int = Field(20250101, ge=0, le=2**32 - 1, strict=True)
    privacy: Privacy = Field(default_factory=Privacy)
    policy: DataPolicy = Field(default_factory=DataPolicy)
    report: ReportOptions = Field(default_factory=ReportOptions)
    engine: EngineSettings = Field(default_factory=EngineSettings)
    data: dict[str, DataSource] = Field(default_factory=dict)
    dimensions: list[DimensionSpec] = Field(default_factory=list)
    effects: list[EffectSpec] = Field(default_factory=list)
    capabilities: list[CapabilitySpec] = Field(default_factory=list)
    sroi: SroiSpec | None = None
    volunteering: VolunteeringSpec | None = None
    resources: ResourcesSpec | None = None
    costs: CostsSpec | None = None
    synthesis: SynthesisSpec | None = None
    valuation: ValuationSpec | None = None
    narrative: NarrativeSpec | None = None

    # Set by the loader (not part of the YAML): where the framework file lives.
    base_dir: str | None = Field(None, exclude=True)
    source_path: str | None = Field(None, exclude=True)
    _positions: dict = PrivateAttr(default_factory=dict)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Mapping[str, Any] | None = None,
    ) -> bool | None:
        """pydantic's rebuild, with the config classes of the sections this class declares."""
        namespace = {**section_types(cls.declared_sections), **(_types_namespace or {})}
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth,
            _types_namespace=namespace,
        )

    def all_indicators(self) -> list[tuple[DimensionSpec, CriterionSpec, IndicatorSpec]]:
        return [(d, c, i) for d in self.dimensions for c in d.criteria for i in c.indicators]
