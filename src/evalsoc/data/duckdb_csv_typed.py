"""A CSV typed as the pandas reader types it, for the DuckDB intake (data/duckdb_files.py):
pyarrow reads it with the pandas reader's own options (csv_file.arrow_options: the same null
spellings, decimal mark, declared text columns), so no text of a number is stored and no cast
or regular expression repeats pyarrow's typing (data/duckdb_intake.read_kinds, the text
copy's way). Two forms, the same types and cells:

- a file up to WHOLE_FILE_AT_MOST bytes is read whole by pyarrow's multi-threaded reader, the
  pandas reader itself, and DuckDB scans the Arrow table where it lies ("arrow": registered,
  with each row's position as `_row`); 10^6 rows of bench_scale's file (97 MB): 1.05 CPU-s
  and 0.57 s to the converted table, against 1.5 CPU-s and 0.92 s streamed;
- a larger file streams block by block into a DuckDB table ("table"; memory: a block).

The streamed form has the whole-file reader's types: the streaming reader infers each
column's type on the first block and stops with an error when a later block holds a cell
that type cannot; the whole-file reader takes, per column, the first type of its fixed order
(null, int64, ..., double, ..., string) that holds every cell. When no block fails, the first
block's type holds every cell and no earlier type held even the first block's: it is the
whole-file reader's type.

None (the text copy then decides, as before, with the pandas intake's reasons) for a failed
block, a NaN or an infinity in a number column (read as numbers by pyarrow, which the text
copy's rules do not model), or a type other than text, int64, double or null.

Both forms read into the system allocator's memory (malloc), not pyarrow's default pool
(mimalloc in the wheels): a fresh process's first read of 10^6 rows took about 0.1 s less
wall time and 0.15 CPU-s less that way (jemalloc: the same as malloc; three paired runs of
the whole workload, round 11).
"""

from __future__ import annotations

from typing import Any

WHOLE_FILE_AT_MOST = 256 * 2**20
"""Bytes up to which a CSV is read whole in memory (about 1.5 times the file as Arrow), as the
pandas engine would; above, streamed into DuckDB, which spills beyond its memory limit."""

# pyarrow's type of a CSV column → how pandas holds it (int64 with a gap: float64), as for
# Parquet (duckdb_files._PARQUET_READS); "null": a column without any value (an export's empty
# column), which pandas holds as objects, all None.
_ARROW_READS = {"string": "text", "int64": "int", "double": "float", "null": "null"}


def _kinds(schema: Any) -> list[str | None] | None:
    """How pandas holds each column of pyarrow's `schema` (before gaps are counted), or None
    when a type has no counterpart here."""
    kinds: list[str | None] = [_ARROW_READS.get(str(field.type)) for field in schema]
    return None if None in kinds else kinds


def typed_copy(
    connection: Any, raw: str, path: Any, dialect: tuple[str, str, str, bool], source: Any
) -> tuple[list[str | None], str] | None:
    """(how pandas holds each column: text, int, int_nulls, float or null; the raw's form)
    with the CSV at `raw` (c0, c1...), or None: the text copy must read it."""
    import pyarrow as pa

    from evalsoc.data.csv_file import arrow_options
    from evalsoc.data.info import string_headers

    encoding, delimiter, decimal, quotes = dialect
    text = {name: pa.string() for name in string_headers(source)}
    options = arrow_options(encoding, delimiter, decimal, quotes, text)
    if path.stat().st_size <= WHOLE_FILE_AT_MOST:
        return _whole(connection, raw, path, options)
    return _streamed(connection, raw, path, options)


def _whole(
    connection: Any, raw: str, path: Any, options: dict[str, Any]
) -> tuple[list[str | None], str] | None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(path, memory_pool=pa.system_memory_pool(), **options)
    except (pa.ArrowInvalid, UnicodeError):
        return None
    kinds = _kinds(table.schema)
    if kinds is None:
        return None
    for j, kind in enumerate(kinds):
        column = table.column(j)
        if kind == "int" and column.null_count:
            kinds[j] = "int_nulls"
        elif kind == "float" and pc.any(pc.invert(pc.is_finite(column))).as_py():
            return None  # NaN (missing for pandas) or infinity
    table = table.rename_columns([f"c{j}" for j in range(len(kinds))])
    table = table.append_column("_row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    connection.register(raw, table)
    return kinds, "arrow"


def _streamed(
    connection: Any, raw: str, path: Any, options: dict[str, Any]
) -> tuple[list[str | None], str] | None:
    import duckdb
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        reader = pacsv.open_csv(path, memory_pool=pa.system_memory_pool(), **options)
    except (pa.ArrowInvalid, UnicodeError):
        return None
    kinds = _kinds(reader.schema)
    if kinds is None:
        reader.close()
        return None
    # Batches renamed c0, c1...: DuckDB's names ignore case, a file's need not.
    schema = pa.schema([pa.field(f"c{j}", f.type) for j, f in enumerate(reader.schema)])
    batches = (pa.RecordBatch.from_arrays(b.columns, schema=schema) for b in reader)
    connection.register("evalsoc_csv", pa.RecordBatchReader.from_batches(schema, batches))
    try:
        connection.execute(f"CREATE TABLE {raw} AS SELECT * FROM evalsoc_csv")
    except duckdb.Error:  # a later block's cell that the first block's type cannot hold
        connection.execute(f"DROP TABLE IF EXISTS {raw}")
        return None
    finally:
        connection.unregister("evalsoc_csv")
    counted = [f"count(*) - count(c{j})" for j, kind in enumerate(kinds) if kind == "int"]
    counted += [
        f"count(*) FILTER (WHERE isnan(c{j}) OR isinf(c{j}))"
        for j, kind in enumerate(kinds)
        if kind == "float"
    ]
    found = (
        connection.execute(f"SELECT {', '.join(counted)} FROM {raw}").fetchall()[0]
        if counted
        else ()
    )
    gaps = iter(found)
    for j, kind in enumerate(kinds):
        if kind == "int":
            kinds[j] = "int_nulls" if next(gaps) else "int"
    if any(gaps):  # NaN (missing for pandas) or infinity
        connection.execute(f"DROP TABLE {raw}")
        return None
    return kinds, "table"
