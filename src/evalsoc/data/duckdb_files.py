"""A CSV or Parquet file as DuckDB's raw table (c0, c1...), with what the pandas reader would
have found: the detected encoding, delimiter and decimal mark (data/csv_file.py's detection),
the header's names, and how pandas types each column (Parquet as stored; a CSV as pyarrow
types it for the pandas reader, or all text). A reason (str) instead when the file needs the
pandas reader (data/duckdb_intake.py)."""

from __future__ import annotations

from typing import Any

from evalsoc.data.info import ReadInfo
from evalsoc.data.parquet_pandas_meta import pandas_restores

_LATIN1 = {"cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1"}


def _has_c1_bytes(path: Any) -> bool:
    """Bytes 0x80–0x9F, the only ones Windows-1252 and Latin-1 decode differently."""
    c1 = bytes(range(0x80, 0xA0))
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if len(chunk.translate(None, c1)) != len(chunk):
                return True
    return False


def _header(path: Any, encoding: str, delimiter: str, quotes: bool) -> list[str]:
    """The header as the pandas reader names it (pyarrow, first block only)."""
    import pyarrow.csv as pacsv

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="utf8" if encoding == "utf-8" else encoding),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quotes),
    )
    names = [n.strip() for n in reader.schema.names]
    reader.close()
    return names


def csv_raw(
    connection: Any, raw: str, path: Any, source: Any
) -> tuple[ReadInfo, list[str], list[str | None] | None, str] | str:
    """The CSV file as `raw` (c0, c1...), with what the pandas reader would have detected and
    the raw's form (`drop_raw`): typed as the pandas reader types it, with how pandas holds
    each column (data/duckdb_csv_typed.py), or else a table of text, every cell text, NULL
    where the pandas reader reads a missing value (kinds None: data/duckdb_intake.read_kinds
    then reproduces pyarrow's typing)."""
    from concurrent.futures import ThreadPoolExecutor

    import duckdb

    from evalsoc.data.csv_file import (
        NULL_VALUES,
        _refuse_unclosed_quote,
        _scan_bytes,
        detect_dialect,
    )
    from evalsoc.data.duckdb_csv_typed import typed_copy
    from evalsoc.errors import DataReadError

    try:
        chosen, delimiter, decimal, head = detect_dialect(
            path, source.encoding, source.delimiter, source.decimal
        )
    except DataReadError:
        return "the pandas reader words this file's error"
    # As the pandas reader does, the file is hashed (and its encoding and quotes checked) on
    # a thread while pyarrow reads a UTF-8 file with the quotes its head shows; a guess the
    # scan contradicts is dropped and the file read again below.
    guess, on_guess = b'"' in head, chosen in ("utf-8", "utf8")
    typed = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(_scan_bytes, path)
        if on_guess:
            typed = typed_copy(connection, raw, path, (chosen, delimiter, decimal, guess), source)
        digest, utf8, _, quotes = scan.result()
    guess_held = on_guess and utf8 and quotes == guess  # read already, with the right settings
    if typed is not None and not guess_held:
        drop_raw(connection, raw, typed[1])
        typed = None

    def refused(why: str) -> str:
        if typed is not None:
            drop_raw(connection, raw, typed[1])
        return why

    if source.encoding is None and not utf8:
        from evalsoc.data.mixed_encoding import split_mixed_lines

        if split_mixed_lines(path) is not None:
            return "mixed encodings"
        chosen = "cp1252" if chosen == "utf-8" else chosen
    if chosen in ("utf-8", "utf8"):
        encoding = "utf-8"
    elif chosen.lower() in _LATIN1 and not _has_c1_bytes(path):
        encoding = "latin-1"
    else:
        return f"encoding {chosen}"
    if quotes:
        try:
            _refuse_unclosed_quote(path, delimiter)
        except DataReadError:
            return refused("the pandas reader words this file's error")
    try:
        names = _header(path, encoding, delimiter, quotes)
    except Exception:  # pyarrow's own errors: the pandas reader words them
        return refused("the pandas reader words this file's error")
    info = ReadInfo(str(path), "csv", digest, chosen, delimiter, decimal)
    if typed is None and not guess_held:
        typed = typed_copy(connection, raw, path, (chosen, delimiter, decimal, quotes), source)
    if typed is not None:
        return info, names, *typed
    sql_columns = [f"c{j}" for j in range(len(names))]
    types = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in sql_columns) + "}"
    nulls = "[" + ", ".join(f"'{v}'" for v in NULL_VALUES) + "]"
    try:
        connection.execute(
            f"CREATE TABLE {raw} AS SELECT * FROM read_csv($path, delim = $delim, "
            f"header = true, quote = '\"', escape = '\"', columns = {types}, nullstr = {nulls}, "
            "auto_detect = false, encoding = $encoding, strict_mode = true)",
            {"path": str(path), "delim": delimiter, "encoding": encoding},
        )
    except duckdb.Error as exc:
        connection.execute(f"DROP TABLE IF EXISTS {raw}")
        return f"DuckDB could not read it the pandas way ({str(exc).splitlines()[0]})"
    return info, names, None, "table"


# Parquet types → how pandas' read_parquet holds the column (int64 with a gap: float64).
_PARQUET_READS = {"VARCHAR": "text", "BIGINT": "int", "INTEGER": "int", "DOUBLE": "float"}
FILE_ROW = "file_row_number"  # read_parquet's position of each row in the file (0-based)


def parquet_raw(
    connection: Any, raw: str, path: Any
) -> tuple[ReadInfo, list[str], list[str | None], str] | str:
    """The Parquet file as the *view* `raw` (_row, c0, c1...: nothing is copied; each query
    scans only the columns it reads), typed as stored: text stays text, integers and doubles
    stay numbers (NaN, missing for pandas, becomes NULL), with how pandas reads each column:
    text, int, Int64 (nullable, from pandas metadata), int_nulls (a gap: floats) or float.
    A reason for another type, an infinite number, or a column named like DuckDB's row
    number (the pandas intake reads those)."""
    import duckdb

    from evalsoc.data.info import sha256_file

    try:
        described = connection.execute(
            "DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}
        ).fetchall()
    except duckdb.Error:
        return "the pandas reader words this file's error"
    names = [str(row[0]).strip() for row in described]
    kinds: list[str | None] = [_PARQUET_READS.get(str(row[1])) for row in described]
    if None in kinds:
        return "a Parquet column of a type other than text, integer or double"
    if FILE_ROW in (str(row[0]) for row in described):
        return f"a column named {FILE_ROW} (DuckDB's row position)"
    restored = pandas_restores(path)
    if isinstance(restored, str):
        return restored
    cells = []
    for j, (row, kind) in enumerate(zip(described, kinds, strict=True)):
        column = '"' + str(row[0]).replace('"', '""') + '"'
        if kind == "float":
            column = f"CASE WHEN isnan({column}) THEN NULL ELSE {column} END"
        cells.append(f"{column} AS c{j}")
    scan = f"{raw}_file"
    connection.read_parquet(str(path), file_row_number=True).create_view(scan)
    connection.execute(
        f"CREATE VIEW {raw} AS SELECT {FILE_ROW} AS _row, {', '.join(cells)} FROM {scan}"
    )
    gaps, infinite = [], []
    for j, kind in enumerate(kinds):
        if kind == "int":
            gaps.append(f"count(*) - count(c{j}) AS g{j}")
        elif kind == "float":
            infinite.append(f"count(*) FILTER (WHERE isinf(c{j}))")
    found = (
        connection.execute(f"SELECT {', '.join([*gaps, *infinite])} FROM {raw}").fetchall()[0]
        if gaps or infinite
        else ()
    )
    if any(found[len(gaps) :]):
        drop_raw(connection, raw, "views")
        return "an infinite number in a Parquet column"
    counted = iter(found[: len(gaps)])
    for j, kind in enumerate(kinds):
        if kind == "int" and str(described[j][0]) in restored:
            next(counted)
            kinds[j] = "Int64"  # pandas restores a nullable integer column (its metadata)
        elif kind == "int":
            kinds[j] = "int_nulls" if next(counted) else "int"
    return ReadInfo(str(path), "parquet", sha256_file(path)), names, kinds, "views"


def drop_raw(connection: Any, raw: str, form: str) -> None:
    """Drop the raw of a file by its form: a "table" (a CSV copied into DuckDB), the two
    "views" of a Parquet file, or an "arrow" table registered (a CSV read whole by pyarrow)."""
    if form == "views":
        connection.execute(f"DROP VIEW IF EXISTS {raw}")
        connection.execute(f"DROP VIEW IF EXISTS {raw}_file")
    elif form == "arrow":
        connection.unregister(raw)
    else:
        connection.execute(f"DROP TABLE IF EXISTS {raw}")
