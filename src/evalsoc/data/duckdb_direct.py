"""A Parquet source, or a CSV read whole into Arrow (data/duckdb_csv_typed.py), read without
a copy (issue 16): when every column's conversion is a per-cell SQL expression (typed columns
kept as stored, text checked or mapped by bound lists, no mapping table to join), the
converted rows are a *view* over the file or the Arrow table, validated by the same checks
(data/duckdb_checks.py), and the clean source is a view of it that leaves out the quarantined
rows by their position in the file (an anti-join on a small table of row numbers). Each later
query scans only the columns it reads, as a hand-written statement over `read_parquet` would;
nothing is materialised.

A Parquet file is read again by each query: it must not change during the run (the intake's
digest, ReadInfo.sha256, is of the file as first read). A CSV's Arrow table stays registered
on the connection until the run ends.
"""

from __future__ import annotations

from typing import Any

from evalsoc.data.duckdb_columns import ROW, value_name
from evalsoc.engines.duckdb_table import quoted


def create_view(connection: Any, name: str, select: str, params: dict[str, Any]) -> None:
    """The converted rows as a view. A view cannot hold bound parameters (a small mapping's
    lists), so those are written in as SQL literals, each escaped (never user text unquoted)."""
    import re

    if params:  # one pass, so that no inserted literal is read as a parameter
        pattern = re.compile(r"\$(" + "|".join(map(re.escape, params)) + r")\b")
        select = pattern.sub(lambda found: _literal(params[found.group(1)]), select)
    connection.execute(f"CREATE VIEW {name} AS {select}")


def clean_view(
    connection: Any, clean: str, converted: str, bad: Any, names: list[str], index: int
) -> None:
    """The clean source: the converted view under the columns' names, without `bad` rows."""
    columns = ", ".join(
        [ROW, *(f"{value_name(j)} AS {quoted(name)}" for j, name in enumerate(names))]
    )
    where = ""
    if len(bad):
        quarantined = f"intake_bad_{index}"
        connection.register("evalsoc_bad_rows", bad)
        connection.execute(f"CREATE TABLE {quarantined} AS SELECT _row FROM evalsoc_bad_rows")
        connection.unregister("evalsoc_bad_rows")
        where = f" WHERE {ROW} NOT IN (SELECT _row FROM {quarantined})"
    connection.execute(f"CREATE VIEW {clean} AS SELECT {columns} FROM {converted}{where}")


def _literal(value: Any) -> str:
    """A Python value (from a small mapping's lists) as a SQL literal."""
    import datetime

    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"CAST('{value}' AS DOUBLE)"
        return f"CAST({value!r} AS DOUBLE)"
    if isinstance(value, datetime.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")
