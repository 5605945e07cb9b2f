"""Cells of an XLSX sheet that hold no value pandas can see: error values (`#DIV/0!`, `#N/A`,
`#REF!`...) and formulas saved without their computed value (files written by a program, not by
a spreadsheet). pandas reads both as empty cells; the same text in a CSV is quarantined, so these
are found in the sheet's XML and quarantined with their reason too.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(frozen=True)
class CellProblem:
    row: int  # 1-based row of the sheet
    column: int  # 0-based column (A = 0)
    value: str  # what the cell holds: the error value, or "=formula"
    reason: str


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_member(archive: zipfile.ZipFile, sheet: Any) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = workbook.findall(f"{_NS}sheets/{_NS}sheet")
    if isinstance(sheet, int):
        chosen = sheets[sheet] if 0 <= sheet < len(sheets) else None
    else:
        chosen = next((s for s in sheets if s.get("name") == sheet), None)
    if chosen is None:
        return None
    rel_id = chosen.get(f"{_REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def problem_cells(path: Path, sheet: Any) -> tuple[int, list[CellProblem]]:
    """(the sheet's first non-empty row, the error and uncomputed-formula cells)."""
    with zipfile.ZipFile(path) as archive:
        member = _sheet_member(archive, 0 if sheet is None else sheet)
        if member is None:
            return 1, []
        with archive.open(member) as fh:  # a quick look first: most sheets have neither
            raw = fh.read()
        if b't="e"' not in raw and b"<f" not in raw:
            return 1, []
        first_row = 0
        found: list[CellProblem] = []
        for _, element in ElementTree.iterparse(io.BytesIO(raw)):
            if element.tag != f"{_NS}c":
                continue
            match = _REF.match(element.get("r", ""))
            value = element.find(f"{_NS}v")
            formula = element.find(f"{_NS}f")
            text = value.text if value is not None else None
            if match:
                row = int(match.group(2))
                if not first_row and (
                    text or formula is not None or element.find(f"{_NS}is") is not None
                ):
                    first_row = row
                column = _column_index(match.group(1))
                if element.get("t") == "e":
                    found.append(CellProblem(row, column, text or "#ERROR", "spreadsheet error"))
                elif formula is not None and not text:
                    found.append(
                        CellProblem(
                            row,
                            column,
                            "=" + (formula.text or ""),
                            "formula without a saved value (open and save the file in a "
                            "spreadsheet program to compute it)",
                        )
                    )
            element.clear()
        return first_row or 1, found
