"""A CSV file read by Spark as the pandas reader (data/csv_file.py, pyarrow) reads it: the same
detected encoding, delimiter, decimal mark and header; every cell text, missing where pyarrow
reads a missing value; each row numbered by its position among the file's records, as the
pandas intake labels it (data/spark_csv.py converts and validates).

Spark reads the file itself (`spark.read.csv`, every column a string, quotes doubled inside
quoted cells as pyarrow has them), split in blocks read in parallel, or as one stream
(`multiLine`) only when a quoted cell holds a line break. Spark's CSV source has no row index
(`_metadata` gives a row's block, not its position), so the position is rebuilt exactly: each
row's `monotonically_increasing_id` counts it within its task; the first scan counts the rows
of each block and the first id in it, and a row's position is the rows of the blocks before
its own plus its rank in its block. Cost: no extra scan (the counts ride on the first one),
one expression per row.

What the two parsers would read differently sends the file to the pandas reader, said why:
an encoding other than UTF-8 or Latin-1, mixed encodings, a quote left open, a line of
spaces only (Spark skips it, pyarrow reads a row), a row with too few or too many cells
(pyarrow refuses the file: the pandas intake words the error), a cell holding a quote
(the parsers part ways on a malformed quoted cell such as `"ab"c`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalsoc.data.spark_intake import Reason, _reason

CORRUPT = "_corrupt"  # Spark's column of the rows whose cell count is not the header's
BLOCK, ID = "_block", "_id"
_CHUNK = 1 << 20
# A line of blanks only (Spark's reader trims and skips it; pyarrow keeps it as a row); a
# lone "\r" is a line break for both.
_BLANK_LINE = re.compile(rb"(?:^|\n)[\x00-\x09\x0b\x0c\x0e-\x20]+\r?(?=\n|$)")


PANDAS_WORDS_IT = _reason(
    "le lecteur pandas décrit l'erreur de ce fichier", "the pandas reader words this file's error"
)


@dataclass
class CsvFile:
    """What the pandas reader would detect, and how Spark must read the file."""

    info: Any  # ReadInfo: path, digest, encoding, delimiter, decimal
    names: list[str]  # the header as the pandas reader names it
    encoding: str  # Spark's name of the charset
    multiline: bool  # a quoted cell holds a line break
    quotes: bool  # the file has a quote character


def _line_facts(path: Path) -> tuple[bool, bool]:
    """(a line of blanks only, a line with an odd number of quotes: a quoted cell spans a
    line break), in one pass over the bytes."""
    blank = odd = False
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                tail = data
                continue
            lines, tail = data[: cut + 1], data[cut + 1 :]
            blank = blank or _BLANK_LINE.search(lines[:-1]) is not None
            if not odd and b'"' in lines:
                odd = any(line.count(b'"') % 2 for line in lines.split(b"\n"))
    if tail:
        blank = blank or _BLANK_LINE.fullmatch(tail) is not None
        odd = odd or tail.count(b'"') % 2 == 1
    return blank, odd


def detect(path: Path, source: Any) -> CsvFile | Reason:
    """The file's dialect and header as the pandas reader finds them, or why it must read it."""
    from evalsoc.data.csv_file import _refuse_unclosed_quote, _scan_bytes, detect_dialect
    from evalsoc.data.duckdb_files import _has_c1_bytes, _header
    from evalsoc.data.info import ReadInfo
    from evalsoc.errors import DataReadError

    try:
        chosen, delimiter, decimal, _ = detect_dialect(
            path, source.encoding, source.delimiter, source.decimal
        )
    except DataReadError:
        return PANDAS_WORDS_IT
    digest, utf8, _, quotes = _scan_bytes(path)
    if source.encoding is None and not utf8:
        from evalsoc.data.mixed_encoding import split_mixed_lines

        if split_mixed_lines(path) is not None:
            return _reason("des encodages mélangés", "mixed encodings")
        chosen = "cp1252" if chosen == "utf-8" else chosen
    latin1 = {"cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1"}
    if chosen in ("utf-8", "utf8", "utf-8-sig"):
        encoding = "UTF-8"
    elif chosen.lower() in latin1 and not _has_c1_bytes(path):
        encoding = "ISO-8859-1"  # Windows-1252 without its bytes 0x80-0x9F
    else:
        return _reason(f"l'encodage {chosen}", f"the {chosen} encoding")
    if quotes:
        try:
            _refuse_unclosed_quote(path, delimiter)
        except DataReadError:
            return PANDAS_WORDS_IT
    blank, odd = _line_facts(path)
    if blank:
        return _reason(
            "une ligne faite seulement d'espaces (Spark l'ignore, pyarrow la lit)",
            "a line of spaces only (Spark skips it, pyarrow reads it)",
        )
    try:
        names = _header(path, "utf-8" if encoding == "UTF-8" else "latin-1", delimiter, quotes)
    except Exception:  # pyarrow's own errors: the pandas reader words them
        return PANDAS_WORDS_IT
    info = ReadInfo(str(path), "csv", digest, chosen, delimiter, decimal)
    return CsvFile(info, names, encoding, odd, quotes)


def raw_frame(session: Any, path: Path, found: CsvFile) -> Any:
    """The file as text columns r0, r1... (NULL where pyarrow reads a missing value), with
    Spark's flag of a row of the wrong length (CORRUPT), its block and its id in its task."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    from evalsoc.data.csv_file import NULL_VALUES

    names = [f"r{j}" for j in range(len(found.names))]
    fields = [StructField(n, StringType()) for n in [*names, CORRUPT]]
    data = session.read.csv(
        str(path),
        schema=StructType(fields),
        sep=found.info.delimiter,
        header=True,
        encoding=found.encoding,
        quote='"',
        escape='"',
        multiLine=found.multiline,
        mode="PERMISSIVE",
        columnNameOfCorruptRecord=CORRUPT,
        ignoreLeadingWhiteSpace=False,
        ignoreTrailingWhiteSpace=False,
        enforceSchema=True,
    )
    nulls = [v for v in NULL_VALUES if v]
    cells = [F.when(F.col(n).isin(nulls), F.lit(None)).otherwise(F.col(n)).alias(n) for n in names]
    return data.select(
        *cells,
        F.col(CORRUPT).isNotNull().alias(CORRUPT),
        F.col("_metadata.file_block_start").alias(BLOCK),
        F.monotonically_increasing_id().alias(ID),
    )


def block_counts() -> list[Any]:
    """The aggregates giving each block's rows and first id (grouped by BLOCK)."""
    from pyspark.sql import functions as F

    return [F.count(F.lit(1)).alias("_rows"), F.min(ID).alias("_first")]


def file_row(blocks: list[tuple[int, int, int]]) -> Any:
    """Each row's position among the file's records from (block start, rows, first id)."""
    from pyspark.sql import functions as F

    position: Any = None
    before = 0
    for start, rows, first in sorted(blocks):
        here = F.col(ID) - F.lit(first) + F.lit(before)
        position = (
            F.when(F.col(BLOCK) == F.lit(start), here)
            if position is None
            else position.when(F.col(BLOCK) == F.lit(start), here)
        )
        before += rows
    return F.lit(0).cast("long") if position is None else position
