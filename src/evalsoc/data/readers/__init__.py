"""Readers beyond CSV/XLSX/Parquet, looked up by format name in a small registry.

Each reader returns (frame, IntakeInfo): the frame as the file holds it (headers untouched,
codes not yet labelled) and what the file says about itself (value labels, user-missing codes,
the tool that exported it). data/prepare.py then applies the framework's declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalsoc.data.info import ReadInfo


@dataclass
class IntakeInfo(ReadInfo):
    """ReadInfo plus what a statistical file or a survey tool's export tells about its columns."""

    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    missing_codes: dict[str, list[Any]] = field(default_factory=dict)  # user-missing, by column
    missing_ranges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    tool: str | None = None  # kobo, odk, limesurvey, spss...


Reader = Callable[[Path, Any], tuple[Any, ReadInfo]]

# Extensions beyond those read.py knows; a format name → the module and function reading it.
EXTENSIONS = {
    ".sav": "spss",
    ".zsav": "spss",
    ".dta": "stata",
    ".sas7bdat": "sas",
    ".xpt": "xport",
    ".ods": "ods",
    ".zip": "odk",
}
_REGISTRY: dict[str, tuple[str, str]] = {
    "spss": ("evalsoc.data.readers.statistical", "read_statistical"),
    "stata": ("evalsoc.data.readers.statistical", "read_statistical"),
    "sas": ("evalsoc.data.readers.statistical", "read_statistical"),
    "xport": ("evalsoc.data.readers.statistical", "read_statistical"),
    "ods": ("evalsoc.data.readers.spreadsheet", "read_spreadsheet"),
    "odk": ("evalsoc.data.readers.surveys", "read_odk"),
    "kobo": ("evalsoc.data.readers.surveys", "read_survey_export"),
    "limesurvey": ("evalsoc.data.readers.surveys", "read_survey_export"),
}


def format_of(path: Path) -> str | None:
    return EXTENSIONS.get(path.suffix.lower())


def handles(fmt: str, source: Any) -> bool:
    """Formats read here; XLSX and CSV too when a title row sits above the header."""
    if fmt in _REGISTRY:
        return True
    return fmt in ("xlsx", "csv") and source.lines_above_header > 0


def read_with(fmt: str, path: Path, source: Any) -> tuple[Any, ReadInfo]:
    import importlib

    if fmt in ("xlsx", "csv"):
        module, function = "evalsoc.data.readers.spreadsheet", "read_with_title_rows"
    else:
        module, function = _REGISTRY[fmt]
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader(path, source)
