"""Which data columns a framework entry reads, declared once on its config model.

A config field that names columns carries `json_schema_extra=READS[kind]`; `column_references`
walks any entry (effect, capability set, volunteering, rubric, …) and yields what it reads, so
`validate` and `run` check every section the same way and a new design's keys are checked as soon
as they are annotated. Imported at start-up: pydantic only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

READS_KEY = "x-evalsoc-reads"

ReadKind = Literal[
    "column",  # one column, required when the key is set (or has a default)
    "optional_column",  # one column, used when present; checked only when written in the YAML
    "columns",  # a list of columns
    "expression",  # a `where`-language condition
    "column_or_expression",  # a 0/1 column, or a condition
    "outcome",  # a column, or capability.<id>.score / capability.<id>.deprived@<k>
    "formula",  # a regression formula
]

READS: dict[str, dict[str, Any]] = {
    kind: {READS_KEY: kind}
    for kind in (
        "column",
        "optional_column",
        "columns",
        "expression",
        "column_or_expression",
        "outcome",
        "formula",
    )
}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ColumnReference:
    """One key of the framework that names data: where it is, what it holds, which source."""

    loc: Loc
    kind: str
    value: Any
    source: str | None


def read_kind(model: type[BaseModel], name: str) -> str | None:
    extra = model.model_fields[name].json_schema_extra
    return extra.get(READS_KEY) if isinstance(extra, dict) else None  # type: ignore[return-value]


def column_references(
    entry: BaseModel, loc: Loc, source: str | None = None
) -> Iterator[ColumnReference]:
    """Every column-naming key of `entry` and its nested models, with the source it reads.

    A nested model with its own `data` key (a rubric reading another table) switches source.
    """
    own = getattr(entry, "data", None)
    if isinstance(own, str):
        source = own
    for name in type(entry).model_fields:
        value = getattr(entry, name)
        kind = read_kind(type(entry), name)
        if kind is not None:
            if value in (None, "", []):
                continue
            if kind == "optional_column" and name not in entry.model_fields_set:
                continue
            yield ColumnReference(loc + (name,), kind, value, source)
        elif isinstance(value, BaseModel):
            yield from column_references(value, loc + (name,), source)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from column_references(item, loc + (name, i), source)
