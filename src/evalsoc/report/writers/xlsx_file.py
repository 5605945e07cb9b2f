"""results.xlsx: one sheet per section as tidy tables (openpyxl, already a core dependency):
headers in the report's language, frozen header row, number formats, and text that looks like
a formula (=, +, -, @) stored as text — no cell is ever a live formula."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FILENAME = "results.xlsx"
FORMULA_START = ("=", "+", "-", "@")


def write(results: Any, folder: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from evalsoc.report.i18n import t
    from evalsoc.report.tables import all_tables
    from evalsoc.report.writers.reproducible import fixed_moment, pin_zip

    moment = fixed_moment(results)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in all_tables(results):
        sheet = book.create_sheet(t(results.lang, table.code)[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_plain(v) for v in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text begins with
                elif isinstance(cell.value, (int, float)) and cell.column - 1 in table.formats:
                    cell.number_format = table.formats[cell.column - 1]
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in table.rows])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                max(10, width + 2), 60
            )
    book.properties.creator = "evalsoc"
    book.properties.lastModifiedBy = "evalsoc"
    book.properties.created = moment
    book.properties.modified = moment
    path = folder / FILENAME
    book.save(path)
    pin_zip(path, moment)
    return path


def _plain(value: Any) -> Any:
    """Numbers stay numbers; everything else becomes text."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)
