"""CSV text that a spreadsheet opens safely: no cell becomes a live formula, and every row
reads back as one row (RFC 4180 quoting of line breaks)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# What Excel, LibreOffice and Google Sheets read as the start of a formula (OWASP "CSV
# injection"); TAB and CR too, since some importers strip them and then meet a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise(value: str) -> str:
    """Prefix a formula-leading cell with `'` (the spreadsheet convention for "this is text");
    a plain number such as -3 or -1,5 stays as it is, a number."""
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    """Quoted where needed, CRLF line ends (RFC 4180), so a cell holding CR or LF stays in its row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writerow([neutralise(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return buffer.getvalue()


def encode_like_source(text: str, encoding: str | None) -> tuple[bytes, str]:
    """Bytes in the source's encoding (a Windows-1252 export gets a Windows-1252 quarantine);
    UTF-8 with a BOM when a character has no place in it. Returns (bytes, encoding used)."""
    wanted = encoding or "utf-8"
    try:
        return text.encode(wanted), wanted
    except (UnicodeEncodeError, LookupError):
        return text.encode("utf-8-sig"), "utf-8-sig"
