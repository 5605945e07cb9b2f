"""What a reader learned about a file (ReadInfo) and the helpers every reader shares.

Kept apart from read.py so that the readers in data/readers/ and data/prepare.py import it
without importing read.py, which dispatches to them (no import circle).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


@dataclass
class ReadInfo:
    path: str
    format: str
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    rows_read: int = 0
    notes: list[dict[str, str]] = field(default_factory=list)  # each {"fr": ..., "en": ...}
    # Cells the reader saw but pandas could not (XLSX errors): (row index, column, check, value).
    cell_problems: list[tuple[Any, str, str, str]] = field(default_factory=list)


def resolve_path(base_dir: str | None, file: str) -> Path:
    """Data paths are relative to the framework file (absolute paths are kept as given)."""
    path = Path(file).expanduser()
    if not path.is_absolute() and base_dir:
        path = Path(base_dir) / path
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_header(source: Any, column: str, spec: Any) -> str:
    """The header the file gives a declared column: its `name:`, a `rename` entry, or its id."""
    if spec.name:
        return spec.name
    for header, target in source.rename.items():
        if target == column:
            return header
    return column


READ_AS_TEXT = ("string", "text", "category", "ordinal", "date", "boolean", "integer", "multiple")
"""Declared types whose cells a CSV or Excel reader keeps as text (the intake converts them);
integers too: their text keeps 2^53 + 1 exact and 1e+20 as written."""


def string_headers(source: Any) -> list[str]:
    """The file headers of the columns read as text (READ_AS_TEXT), as the readers name them."""
    return [
        file_header(source, name, col)
        for name, col in source.columns.items()
        if col.type in READ_AS_TEXT
    ]


def header_renames(
    source: Any, names: Any, headers: dict[str, str] | None = None
) -> dict[str, str]:
    """{file header: column id} for the file's `names`: a declared column's header first, then
    the source's `rename` entries; every intake renames the file's columns by this one map."""
    if headers is None:
        headers = {col: file_header(source, col, spec) for col, spec in source.columns.items()}
    renames = {h: col for col, h in headers.items() if h != col and h in names}
    renames.update({h: c for h, c in source.rename.items() if h in names and h not in renames})
    return renames
