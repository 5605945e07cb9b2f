"""Out-of-core intake for the DuckDB engine: a CSV source scanned, converted and validated
inside DuckDB, its clean rows left there as a table (engines/duckdb_table.py), never a pandas
DataFrame.

The result is the pandas intake's (data/read.py, prepare.py, validate.py): the same detected
encoding, delimiter and decimal mark (data/csv_file.py's detection), the same values and
per-cell failures (data/duckdb_columns.py), the same checks (data/duckdb_checks.py), the same
quarantine table and report. Whatever this module cannot reproduce exactly sends the source
back to the pandas intake, with the reason (`why_not` and the `str` returned by `read_source`):
tests/engines/test_engine_equality.py compares both intakes on generated files.
"""

from __future__ import annotations

from typing import Any

from evalsoc.data.duckdb_columns import (
    INT_CELL,
    ROW,
    Plan,
    can_fail,
    decimal_cell,
    failed_name,
    on,
    value_name,
)
from evalsoc.data.info import READ_AS_TEXT, ReadInfo, header_renames, resolve_path

HANDLED = (
    "string",
    "text",
    "category",
    "ordinal",
    "integer",
    "number",
    "boolean",
    "date",
    "likert",
)


def why_not(source: Any, read_by_derived: bool) -> str | None:
    """Why the declarations of a source need the pandas intake (None: DuckDB reads it);
    `read_by_derived`: a join, stack or wide_to_long reads it (they need its frame)."""
    if read_by_derived:
        return "read by a derived source (join, stack, wide_to_long)"
    fmt = source.format or _suffix_format(source.file)
    if fmt not in ("csv", "parquet"):
        return f"{fmt or 'unknown'} format (DuckDB reads CSV and Parquet files)"
    if source.lines_above_header:
        return "title lines above the header"
    if source.where:
        return "a source `where` filter"
    if source.missing_values:
        return "codes declared as missing values"
    for column, spec in source.columns.items():
        if spec.type not in HANDLED:
            return f"column {column!r} of type {spec.type}"
        if spec.missing_values:
            return f"column {column!r} declares missing-value codes"
        if spec.type == "likert" and not isinstance(spec.levels, int):
            return f"column {column!r} is a likert scale with labelled levels"
        if spec.labels:
            return f"column {column!r} has value labels"
        if spec.unit:
            return f"column {column!r} is a percentage"
        if (spec.min is not None or spec.max is not None) and spec.type not in (
            "integer",
            "number",
        ):
            return f"column {column!r} has bounds on a {spec.type}"
        if spec.unique and spec.type in ("boolean", "date"):
            return f"column {column!r} is a unique {spec.type}"
        if spec.values is not None and spec.type not in (*HANDLED[:4], "integer", "number"):
            return f"column {column!r} lists values for a {spec.type}"
    return None


def _suffix_format(file: str | None) -> str | None:
    from pathlib import Path

    suffix = Path(file or "").suffix.lower()
    return {
        ".csv": "csv",
        ".txt": "csv",
        ".tsv": "csv",
        ".parquet": "parquet",
        ".pq": "parquet",
    }.get(suffix)


def _pyarrow_type(values: list[str], decimal: str) -> str:
    """The type pyarrow's CSV inference gives these cells ('string' or another name)."""
    import io

    import pyarrow.csv as pacsv

    from evalsoc.data.csv_file import NULL_VALUES

    data = ("v\n" + "\n".join(values) + "\n").encode("utf-8")
    table = pacsv.read_csv(
        io.BytesIO(data),
        parse_options=pacsv.ParseOptions(delimiter="\x1f"),
        convert_options=pacsv.ConvertOptions(
            null_values=NULL_VALUES,
            strings_can_be_null=True,
            decimal_point=decimal,
            true_values=["true", "True", "TRUE"],
            false_values=["false", "False", "FALSE"],
        ),
    )
    return str(table.schema.field(0).type)


def read_kinds(connection: Any, raw: str, columns: list[str], decimal: str) -> list[str | None]:
    """How pyarrow types each of `columns` (columns the pandas reader lets it infer): text,
    int, int_nulls or float; None when unsure (the source then goes to the pandas intake).
    The regular expressions run on each column's distinct cells (a GROUP BY, which spills),
    not on every row: `bool_and` over the distinct present cells is `bool_and` over all of
    them. Round 10: 0.47 CPU-s instead of 1.87 for 12 columns of 10^6 rows (≈ 11 000
    distinct numbers each); a column of all-distinct cells costs its hashing more."""
    if not columns:
        return []
    number = decimal_cell(decimal)
    counted = ", ".join(f"count({column})" for column in columns)
    found_counts = connection.execute(f"SELECT count(*), {counted} FROM {raw}").fetchall()
    rows, *present_counts = found_counts[0]
    integer = f"regexp_full_match(x, '{INT_CELL}')"
    tests = " UNION ALL ".join(
        f"SELECT {i} AS i, bool_and({integer}) AS ints, "
        f"bool_and({integer} OR regexp_full_match(x, '{number}')) AS decimals "
        f"FROM (SELECT DISTINCT {column} AS x FROM {raw})"
        for i, column in enumerate(columns)
    )
    found = {i: (ints, decimals) for i, ints, decimals in connection.execute(tests).fetchall()}
    kinds: list[str | None] = []
    for i, column in enumerate(columns):
        ints, decimals = found[i]
        present = present_counts[i]
        if not present:
            kinds.append(None)  # pyarrow's null type: left to pandas
        elif ints:
            kinds.append("int" if present == rows else "int_nulls")
        elif decimals:
            kinds.append("float")
        else:
            kinds.append(_text_or_unsure(connection, raw, column, number, decimal))
    return kinds


def _text_or_unsure(
    connection: Any, raw: str, column: str, number: str, decimal: str
) -> str | None:
    """'text' when pyarrow reads a column holding cells that are not numbers as text."""
    others = connection.execute(
        f"SELECT DISTINCT {column} FROM {raw} WHERE {column} IS NOT NULL AND NOT "
        f"(regexp_full_match({column}, '{INT_CELL}') OR regexp_full_match({column}, '{number}')) "
        "LIMIT 1000"
    ).fetchnumpy()[column]
    values = [str(v) for v in others]
    if any(ch in v for v in values for ch in ('"', "\n", "\r", "\x1f")):
        return "text"  # no number, boolean or date holds a quote or a line break
    return "text" if _pyarrow_type(values, decimal) in ("string", "large_string") else None


def read_source(
    connection: Any, index: int, name: str, source: Any, base_dir: str | None
) -> tuple[Any, Any, Any] | str:
    """(DuckDBTable, SourceReport, quarantine) for a CSV or Parquet source, or why the pandas
    intake must read it (any doubt: the pandas intake then also words the file's errors)."""
    from evalsoc.data.csv_file import _UNNAMED
    from evalsoc.data.duckdb_checks import failures_of
    from evalsoc.data.duckdb_columns import (
        build_mapping,
        gathered_spellings,
        plan_column,
        value_sql,
    )
    from evalsoc.data.readers.surveys import detect_tool

    path = resolve_path(base_dir, source.file)
    if not path.is_file():
        return "file not found"
    raw, clean = f"intake_raw_{index}", f"intake_{index}"
    found: tuple[ReadInfo, list[str], list[str | None] | None, str] | str
    from evalsoc.data.duckdb_files import csv_raw, drop_raw, parquet_raw

    parquet = (source.format or _suffix_format(source.file)) == "parquet"
    if parquet:
        found = parquet_raw(connection, raw, path)
    else:
        found = csv_raw(connection, raw, path, source)
    if isinstance(found, str):
        return found
    info, names, kinds, form = found
    decimal = info.decimal or "."

    def give_up(why: str, plans: list[Plan]) -> str:
        drop_raw(connection, raw, form)
        _drop(connection, *_mappings(plans))
        return why

    why_pandas = None
    if any(not n or _UNNAMED.match(n) for n in names) or len(set(names)) != len(names):
        why_pandas = "a header cell is empty, unnamed or repeated"
    elif detect_tool(names):
        why_pandas = "a survey tool's export"
    renames = header_renames(source, names)
    renamed = [renames.get(n, n) for n in names]
    if len(set(renamed)) != len(renamed):
        why_pandas = why_pandas or "two columns get the same name"
    elif len({name.casefold() for name in renamed}) != len(renamed):
        why_pandas = why_pandas or "two columns' names differ only by case (DuckDB's do not)"
    if any(c not in renamed for c in [*source.columns, *source.key]):
        why_pandas = why_pandas or "a declared column is missing (the pandas intake says which)"
    if any(c.startswith("_evalsoc_") for c in renamed):  # the intake's own column names
        why_pandas = why_pandas or "a column named like the intake's own (_evalsoc_...)"
    if why_pandas:
        return give_up(why_pandas, [])
    sql_columns = [f"c{j}" for j in range(len(names))]
    row = "r.rowid" if form == "table" else "r._row"  # the row's position in the file
    # Rows whose cells are all missing are skipped, as the pandas readers skip them (CSV and
    # Parquet alike: data/csv_file.py).
    keep = "NOT (" + " AND ".join(f"r.{c} IS NULL" for c in sql_columns) + ")"
    total, empty = _empty_rows(connection, raw, sql_columns, keep)
    if empty:
        info.notes.append(
            {
                "fr": f"{empty} ligne(s) vide(s) (seulement des séparateurs) ignorée(s)",
                "en": f"{empty} empty row(s) (only delimiters) skipped",
            }
        )
    info.rows_read = total - empty

    inferred: dict[int, str | None] = {}
    if kinds is None:  # a CSV: the columns pyarrow types, tested in one scan
        typed = [
            j
            for j, column in enumerate(renamed)
            if (spec := source.columns.get(column)) is None or spec.type not in READ_AS_TEXT
        ]
        found_kinds = read_kinds(connection, raw, [sql_columns[j] for j in typed], decimal)
        inferred = dict(zip(typed, found_kinds, strict=True))
    plans: list[Plan] = []
    for j, column in enumerate(renamed):
        spec = source.columns.get(column)
        read: str | None = kinds[j] if kinds is not None else "text"
        if j in inferred:
            read = inferred[j]
            if read is None:
                return give_up(f"column {column!r}: pyarrow's inference not reproduced", plans)
        if not _typed_as_pandas_converts(connection, raw, sql_columns[j], read, spec):
            return give_up(
                f"column {column!r}: a Parquet type the SQL intake does not convert", plans
            )
        assert read is not None  # checked above
        plan = Plan(column, sql_columns[j], spec, read, native=kinds is not None and read != "text")
        plan_column(plan, decimal)
        plans.append(plan)
    spellings = gathered_spellings(connection, raw, plans)
    for j, plan in enumerate(plans):
        if plan.spec is not None:
            texts = spellings.get(plan.sql_column)
            mapping = f"intake_map_{index}_{j}"
            why_pandas = build_mapping(connection, raw, plan, mapping, decimal, texts)
            if why_pandas:
                return give_up(why_pandas, plans)

    # One pass: every column converted and its conversion failures flagged, into the one
    # table that becomes the clean source (quarantined rows deleted from it below).
    selects, joins = [f"{row} AS {ROW}"], []
    params: dict[str, Any] = {}
    for j, plan in enumerate(plans):
        alias = f"m{j}"
        value, failed = value_sql(plan, alias, params)
        selects.append(f"{value} AS {value_name(j)}")
        if can_fail(plan):
            selects.append(f"{failed} AS {failed_name(j)}")
        if plan.mapping:
            joins.append(f"LEFT JOIN {plan.mapping} {alias} ON r.{plan.sql_column} = {alias}.x")
    # A Parquet file, or a CSV read whole into Arrow, whose conversions are all per-cell
    # expressions (no mapping table to join) is not copied: the converted rows are a view
    # over the file (or the Arrow table), and the clean source a view of it without the
    # quarantined rows (data/duckdb_direct.py). A CSV of 10^6 rows: 0.35 s less to read, 0.23 s
    # more for the indicators' scans, which convert the cells they read (round 11).
    direct = form != "table" and not joins
    converted = f"intake_conv_{index}" if direct else clean
    kept = f" WHERE {keep}" if empty else ""  # the test reads every column: only if needed
    order = f" ORDER BY {ROW}" if joins else ""  # a join does not keep the rows' order
    select = f"SELECT {', '.join(selects)} FROM {raw} r {' '.join(joins)}{kept}{order}"
    if direct:
        from evalsoc.data.duckdb_direct import create_view

        create_view(connection, converted, select, params)
    else:
        connection.execute(f"CREATE TABLE {clean} AS {select}", params or None)
        _drop(connection, *_mappings(plans))

    from evalsoc.data.validate import (
        SourceReport,
        count_failures,
        note_undeclared,
        quarantine_table,
        settle_failures,
    )

    report = SourceReport(name, info, rows_read=info.rows_read)
    report.notes.extend(info.notes)
    note_undeclared(report, [p.name for p in plans if p.spec is None])
    originals = _Originals(connection, raw, plans, row)
    complete: set[str] = set()
    failures = settle_failures(
        failures_of(connection, converted, plans, source, originals, complete, info.rows_read),
        list(source.key),
    )
    bad = failures[["_row"]].drop_duplicates().astype("int64")
    if direct:
        from evalsoc.data.duckdb_direct import clean_view

        clean_view(connection, clean, converted, bad, [p.name for p in plans], index)
    elif len(bad):
        connection.register("evalsoc_bad_rows", bad)
        connection.execute(
            f"DELETE FROM {clean} WHERE {ROW} IN (SELECT _row FROM evalsoc_bad_rows)"
        )
        connection.unregister("evalsoc_bad_rows")
    report.rows_quarantined = len(bad)
    report.rows_used = report.rows_read - report.rows_quarantined
    count_failures(report, failures)
    quarantine = failures
    if len(failures):
        quarantine = quarantine_table(failures, originals.rows(failures["_row"].to_numpy()))
    if not direct:  # the views of a direct source read the file until the run ends
        drop_raw(connection, raw, form)
    for j, plan in enumerate(plans if not direct else []):  # catalogue changes: no copy
        if can_fail(plan):
            connection.execute(f"ALTER TABLE {clean} DROP COLUMN {failed_name(j)}")
        connection.execute(f"ALTER TABLE {clean} RENAME COLUMN {value_name(j)} TO {_q(plan.name)}")

    from evalsoc.engines.duckdb_table import DuckDBTable

    table = DuckDBTable(
        connection,
        clean,
        [p.name for p in plans],
        {p.name: p.dtype for p in plans},
        report.rows_used,
        frozenset(complete),
    )
    return table, report, quarantine


def _empty_rows(connection: Any, raw: str, columns: list[str], keep: str) -> tuple[int, int]:
    """(rows, rows whose cells are all missing). A column without a missing cell means no
    empty row: the first column's count decides first (a file's first column is nearly
    always filled: over a view, one column scanned instead of 20, 0.035 s at 10^6 rows),
    then every column's (DuckDB answers a table's count(*) and count(column) from its
    statistics, no scan), and only then the row-by-row test of every column (≈ 0.3 CPU-s at
    10^6 rows of 20 columns)."""
    total, present = connection.execute(
        f"SELECT count(*), count({columns[0]}) FROM {raw}"
    ).fetchall()[0]
    if total == present:
        return int(total), 0
    counted = ", ".join(f"count({c})" for c in columns)
    total, *present = connection.execute(f"SELECT count(*), {counted} FROM {raw}").fetchall()[0]
    if total in present:
        return int(total), 0
    found = connection.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT ({keep})) FROM {raw} r"
    ).fetchall()[0]
    return int(found[0]), int(found[1])


def _typed_as_pandas_converts(
    connection: Any, raw: str, column: str, read: str | None, spec: Any
) -> bool:
    """Whether a Parquet column typed `read` converts in SQL as pandas converts it: text
    always; numbers for number, likert, undeclared and integer columns (integers from an
    integer column only, below 2^53 when a gap made pandas hold them as floats)."""
    if read is None:
        return False
    if read == "text" or spec is None or spec.type in ("number", "likert"):
        return True
    if spec.type != "integer" or read == "float":
        return False
    if read == "int_nulls":
        found = connection.execute(
            f"SELECT count(*) FILTER (WHERE abs(CAST({column} AS HUGEINT)) >= 9007199254740992) "
            f"FROM {raw}"
        ).fetchall()[0]
        return not (found and found[0])
    return True


def _q(name: str) -> str:
    from evalsoc.engines.duckdb_table import quoted

    return quoted(name)


def _mappings(plans: list[Plan]) -> list[str]:
    return [p.mapping for p in plans if p.mapping]


def _drop(connection: Any, *tables: str) -> None:
    for table in tables:
        connection.execute(f"DROP TABLE IF EXISTS {table}")


class _Originals:
    """The cells of given rows as the pandas intake holds them before conversion (the text,
    or the numbers pyarrow typed), for the quarantine and the failures' values."""

    def __init__(self, connection: Any, raw: str, plans: list[Plan], row: str):
        self.connection, self.raw, self.plans, self.row = connection, raw, plans, row

    def rows(self, positions: Any, plans: list[Plan] | None = None) -> Any:
        """One row per position, in that order, as a pandas frame of the read columns (of
        `plans` only, when given: each scan of a Parquet view reads only those columns)."""
        import numpy as np
        import pandas as pd

        from evalsoc.data.duckdb_columns import pandas_dtype, prepared_text

        plans = self.plans if plans is None else plans
        wanted = pd.DataFrame({"_row": np.unique(np.asarray(positions, dtype=np.int64))})
        self.connection.register("evalsoc_rows", wanted)
        cells = ", ".join(f"r.{p.sql_column}" for p in plans)
        found = (
            self.connection.sql(
                f"SELECT {self.row} AS _row, {cells} FROM {self.raw} r "
                f"WHERE {self.row} IN (SELECT _row FROM evalsoc_rows) ORDER BY _row"
            )
            .to_arrow_table()
            .to_pandas()
        )
        self.connection.unregister("evalsoc_rows")
        frame = pd.DataFrame(index=found["_row"].to_numpy())
        for p in plans:
            cells = pd.Series(found[p.sql_column].to_numpy(dtype=object), index=frame.index)
            text = cells.astype(pandas_dtype("str"))
            if p.read == "text":
                frame[p.name] = prepared_text(text, p.spec)
            else:
                numbers = pd.to_numeric(text.str.replace(",", ".", regex=False))
                whole = p.read in ("int", "Int64")
                frame[p.name] = numbers.astype("Int64" if whole else "float64")
        return frame.loc[np.asarray(positions, dtype=np.int64)].reset_index(drop=True)

    def column(self, plan: Plan, positions: Any) -> Any:
        return self.rows(positions, [plan])[plan.name]


__all__ = ["on", "read_source", "why_not"]
