"""The results.json contract (format 2): typed models of every published key, from which the
JSON Schema is generated (`evalsoc schema --results`). `build_results` validates each run's
document against them, so a section cannot publish a key that no model declares (a private
`_groups`, a misspelling): that is an internal error, found by the tests, not a silent drift."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field

from evalsoc.sections.capabilities.result import CapabilityResult
from evalsoc.sections.costs.result import CostsResult
from evalsoc.sections.criteria.coconstruction_result import CoConstructionResult
from evalsoc.sections.criteria.elicitation_result import ValuationResult
from evalsoc.sections.criteria.result import CriterionResult, DimensionResult, SynthesisResult
from evalsoc.sections.effects.result import EffectResult
from evalsoc.sections.indicators.result import QuantitativeIndicator
from evalsoc.sections.qualitative.result import RubricIndicator, ThemesIndicator
from evalsoc.sections.resources.result import ResourcesResult
from evalsoc.sections.result_base import ResultModel, Scalar, SuppressionReason, Text
from evalsoc.sections.sroi.result import SroiResult
from evalsoc.sections.volunteering.result import VolunteeringResult

RESULTS_FORMAT: Literal[2] = 2
SCHEMA_ID = "https://evalsoc.org/schema/results-2.json"

Indicator = Annotated[
    QuantitativeIndicator | RubricIndicator | ThemesIndicator, Field(discriminator="kind")
]


class Period(ResultModel):
    start: str | None = None
    end: str | None = None


class FrameworkInfo(ResultModel):
    id: str
    title: str
    language: Literal["fr", "en"]
    organisation: str | None = None
    description: str | None = None
    period: Period
    min_cell: int
    edition: str | None = None


class JoinReport(ResultModel):
    """A source built by joining two others: their keys' matches, row by row."""

    left: str
    right: str
    how: str
    left_rows: int
    left_unmatched: int
    right_rows: int
    right_unmatched: int
    many_side_repeated_rows: int
    renamed_columns: dict[str, str]


class SourceReport(ResultModel):
    """What happened to each data source: rows read = used + quarantined + filtered (+ unmatched
    for sources built by a join)."""

    file: str | None = None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    rows_read: int
    rows_used: int
    rows_quarantined: int
    rows_filtered: int = 0
    rows_unmatched: int = 0
    failures: dict[str, int] = {}
    undeclared_columns: list[str] = []
    notes: list[str] = Field(
        default_factory=list, description="Data notes in English; both languages in warnings."
    )
    missing_codes: dict[str, dict[str, int]] = {}
    tool: str | None = Field(None, description="The survey tool that wrote the export.")
    system_columns: list[str] | None = Field(
        None, description="The tool's own columns (kept out of warnings, usable in filters)."
    )
    value_labels: dict[str, dict[str, str | dict[str, str]]] | None = Field(
        None, description="Labels of coded values, by column (from the file or the framework)."
    )
    join: JoinReport | None = Field(None, description="Keys, kind and unmatched rows of a join.")
    stack: dict[str, int] | None = Field(None, description="Rows taken from each stacked source.")


class WithheldFigure(ResultModel):
    """A figure the disclosure audit withheld, named without its numbers."""

    section: str
    id: str
    figure: str
    group: dict[str, Scalar] | None = None
    category: Scalar = None
    reason: SuppressionReason


class PrivacyRecord(ResultModel):
    min_cell: int
    edition: str
    suppression: bool
    withheld: list[WithheldFigure] = []


class Warning(ResultModel):
    section: str
    id: str | None = None
    message: str
    messages: Text


class InputFile(ResultModel):
    file: str
    sha256: str


class Provenance(ResultModel):
    versions: dict[str, str]
    framework_sha256: str
    inputs: dict[str, InputFile]
    seed: int


class NotDeclared(ResultModel):
    """A section the framework does not declare: published as `{}` (no key allowed, so that a
    declared section's result is always checked against its own model, never waved through)."""


class ResultsDocument(ResultModel):
    """results.json: one evaluation's published figures."""

    format: Literal[2] = RESULTS_FORMAT
    framework: FrameworkInfo
    data: dict[str, SourceReport]
    indicators: dict[str, Indicator]
    criteria: dict[str, CriterionResult]
    dimensions: dict[str, DimensionResult]
    synthesis: SynthesisResult | NotDeclared
    effects: dict[str, EffectResult]
    capabilities: dict[str, CapabilityResult]
    volunteering: VolunteeringResult | NotDeclared
    sroi: SroiResult | NotDeclared
    resources: ResourcesResult | NotDeclared = NotDeclared()
    costs: CostsResult | NotDeclared = NotDeclared()
    co_construction: CoConstructionResult | NotDeclared = NotDeclared()
    valuation: ValuationResult | NotDeclared = NotDeclared()
    privacy: PrivacyRecord | NotDeclared = NotDeclared()
    warnings: list[Warning]
    provenance: Provenance


def results_schema() -> dict[str, Any]:
    """The JSON Schema of results.json, generated from the models above."""
    schema = ResultsDocument.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def results_schema_text() -> str:
    return json.dumps(results_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def check_document(data: dict[str, Any]) -> ResultsDocument:
    """Validate a results document (raises pydantic.ValidationError naming the bad key)."""
    return ResultsDocument.model_validate(data)


SHIPPED_SCHEMA = "schemas/results-2.schema.json"  # package data, kept equal to results_schema()


def _type_text(node: dict[str, Any]) -> str:
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in node:
        return " or ".join(_type_text(n) for n in node["anyOf"])
    if "oneOf" in node:
        return " or ".join(_type_text(n) for n in node["oneOf"])
    kind = node.get("type", "any")
    if kind == "array":
        return f"list of {_type_text(node.get('items', {}))}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map of {_type_text(node['additionalProperties'])}"
    if "const" in node:
        return repr(node["const"])
    if "enum" in node:
        return " | ".join(repr(v) for v in node["enum"])
    return str(kind).replace("null", "null")


def results_reference_markdown() -> str:
    """The key-by-key reference of results.json, generated from the schema (docs/results.md)."""
    schema = results_schema()
    defs = schema.get("$defs", {})
    order = ["ResultsDocument", *sorted(defs)]
    lines = []
    for name in order:
        node = schema if name == "ResultsDocument" else defs[name]
        props = node.get("properties")
        if not props:
            continue
        lines.append(f"### {name}")
        if node.get("description"):
            lines.append("")
            lines.append(" ".join(node["description"].split()))
        lines += ["", "| key | type | required | meaning |", "|---|---|---|---|"]
        required = set(node.get("required", []))
        for key, prop in props.items():
            meaning = " ".join(str(prop.get("description", "")).split())
            req = "yes" if key in required else ""
            lines.append(f"| `{key}` | {_type_text(prop)} | {req} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m evalsoc.results_schema: refresh the shipped copies
    from pathlib import Path

    here = Path(__file__).parent
    (here / SHIPPED_SCHEMA).write_text(results_schema_text(), encoding="utf-8")
    print(f"wrote {here / SHIPPED_SCHEMA}")
