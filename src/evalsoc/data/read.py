"""Read a declared data source: CSV, XLSX and Parquet here, other formats through data/readers/.

The CSV reader lives in csv_file.py and ReadInfo in info.py; ReadInfo, resolve_path and
sha256_file are re-exported here because pipeline.py (another branch's file) imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalsoc.data.csv_file import read_csv, tidy_spreadsheet_export
from evalsoc.data.info import ReadInfo, file_header, resolve_path, sha256_file, string_headers
from evalsoc.errors import DataReadError

__all__ = ["ReadInfo", "read_csv", "read_table", "resolve_path", "sha256_file"]


def _xlsx_problems(path: Path, sheet: Any, frame: Any) -> list[tuple[Any, str, str, str]]:
    """Error cells and formulas without a value, placed on the frame's rows and columns."""
    from evalsoc.data.xlsx_cells import problem_cells

    header_row, cells = problem_cells(path, sheet)
    found = []
    for cell in cells:
        index = cell.row - header_row - 1
        if 0 <= index < len(frame) and cell.column < len(frame.columns):
            found.append((index, str(frame.columns[cell.column]), cell.reason, cell.value))
    return found


def dictionary_columns(source: Any) -> list[str]:
    """Headers of the columns of a few spellings each, read from Parquet as dictionaries whose
    codes the conversion, the checks and `by` groups reuse (data/text_codes.py)."""
    return [
        file_header(source, name, col)
        for name, col in source.columns.items()
        if col.type in ("category", "ordinal", "boolean")
        or (col.type == "integer" and col.values is not None)  # waves, years, codes
    ]


DATA_FILE = {"fr": "fichier de données", "en": "data file"}


def read_table(source: Any, base_dir: str | None) -> tuple[Any, ReadInfo]:
    """Read a declared data source; the frame's index is 0..n-1 in file order."""
    import pandas as pd

    from evalsoc.data.files import check_regular_file, max_data_bytes

    path = resolve_path(base_dir, source.file)
    if not path.exists():
        raise DataReadError("data_file_not_found", path=path)
    check_regular_file(path, DATA_FILE, max_data_bytes(), DataReadError)
    fmt = source.format or {
        ".csv": "csv",
        ".txt": "csv",
        ".tsv": "csv",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".parquet": "parquet",
        ".pq": "parquet",
    }.get(path.suffix.lower())
    from evalsoc.data import readers

    fmt = fmt or readers.format_of(path)
    if fmt is None:
        raise DataReadError("data_file_type_unknown", at=str(path), suffix=repr(path.suffix))
    if readers.handles(fmt, source):
        return readers.read_with(fmt, path, source)
    string_columns = string_headers(source)
    if fmt == "csv":
        return read_csv(
            path,
            encoding=source.encoding,
            delimiter=source.delimiter,
            decimal=source.decimal,
            string_columns=string_columns,
        )
    digest = sha256_file(path)
    info = ReadInfo(str(path), fmt, digest)
    try:
        if fmt == "xlsx":
            sheet = source.sheet if source.sheet is not None else 0
            frame = pd.read_excel(
                path, sheet_name=sheet, engine="openpyxl", dtype={c: str for c in string_columns}
            )
        else:
            from evalsoc.data.parquet_file import read_parquet

            frame = read_parquet(path, dictionary_columns(source))
    except ValueError as exc:
        raise DataReadError("data_file_unreadable", at=str(path), format=fmt, detail=exc) from None
    except Exception as exc:  # openpyxl/pyarrow raise many types for corrupt files
        raise DataReadError(
            "data_file_unreadable", at=str(path), format=fmt, detail=f"{type(exc).__name__}: {exc}"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.reset_index(drop=True)
    if fmt == "xlsx":
        info.cell_problems = _xlsx_problems(path, source.sheet, frame)
    frame = tidy_spreadsheet_export(frame, info)
    info.rows_read = len(frame)
    return frame, info
