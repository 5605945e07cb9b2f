"""ODS sheets (odfpy through pandas) and spreadsheets or CSVs with title lines above the header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalsoc.data.csv_file import read_csv, tidy_spreadsheet_export
from evalsoc.data.info import ReadInfo, file_header, sha256_file
from evalsoc.errors import DataReadError


def _string_headers(source: Any) -> dict[str, Any]:
    text_types = ("string", "text", "category", "ordinal", "date", "boolean", "multiple")
    return {
        file_header(source, name, col): str
        for name, col in source.columns.items()
        if col.type in text_types
    }


def read_spreadsheet(path: Path, source: Any) -> tuple[Any, ReadInfo]:
    """One sheet of an .ods/.xlsx file; `header_row` (or `skip_rows`) skips title lines."""
    import pandas as pd

    engine = "odf" if path.suffix.lower() == ".ods" or source.format == "ods" else "openpyxl"
    sheet = source.sheet if source.sheet is not None else 0
    info = ReadInfo(str(path), "ods" if engine == "odf" else "xlsx", sha256_file(path))
    try:
        frame = pd.read_excel(
            path,
            sheet_name=sheet,
            engine=engine,
            header=source.lines_above_header,
            dtype=_string_headers(source),
        )
    except ImportError:
        raise DataReadError(
            "reader_needs_package",
            what={"fr": "lire des fichiers .ods", "en": "reading .ods files"},
            package="odfpy",
        ) from None
    except ValueError as exc:
        raise DataReadError(
            "data_file_unreadable", at=str(path), format=info.format, detail=str(exc)
        ) from None
    except Exception as exc:  # odfpy/openpyxl raise many types for corrupt files
        raise DataReadError(
            "data_file_unreadable",
            at=str(path),
            format=info.format,
            detail=f"{type(exc).__name__}: {exc}",
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = tidy_spreadsheet_export(frame.reset_index(drop=True), info)
    if source.lines_above_header:
        info.notes.append(
            {
                "fr": f"{source.lines_above_header} ligne(s) de titre avant l'en-tête ignorée(s)",
                "en": f"{source.lines_above_header} title line(s) above the header skipped",
            }
        )
    info.rows_read = len(frame)
    return frame, info


def read_with_title_rows(path: Path, source: Any) -> tuple[Any, ReadInfo]:
    if source.format == "csv" or path.suffix.lower() in (".csv", ".txt", ".tsv"):
        frame, info = read_csv(
            path,
            encoding=source.encoding,
            delimiter=source.delimiter,
            decimal=source.decimal,
            string_columns=list(_string_headers(source)),
            skip_rows=source.lines_above_header,
        )
        info.notes.append(
            {
                "fr": f"{source.lines_above_header} ligne(s) de titre avant l'en-tête ignorée(s)",
                "en": f"{source.lines_above_header} title line(s) above the header skipped",
            }
        )
        return frame, info
    return read_spreadsheet(path, source)
