"""A validated source that stays in DuckDB (data/duckdb_intake.py): a small handle standing where
a pandas DataFrame would, so that only the columns and rows a question needs reach memory.

It answers what the pipeline asks of any source (its length, columns, dtypes, first rows) and
collects columns on demand with the pandas path's dtypes and row labels (the row's position in
the file, as the pandas intake's index), so sections cannot tell the two apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def quoted(name: str) -> str:
    """A column name as a SQL identifier (no user text is pasted unquoted)."""
    return '"' + name.replace('"', '""') + '"'


ROW = "_evalsoc_row"  # the row's 0-based position among the file's rows (the pandas index)


@dataclass
class DuckDBTable:
    connection: Any
    table: str  # a name evalsoc chose (intake_0...): never user text
    column_names: list[str]
    dtype_of: dict[str, Any]  # column → the pandas dtype the pandas intake gives it
    length: int
    # Columns the intake already counted without a missing value (no query needed for them).
    known_complete: frozenset[str] = frozenset()
    _heads: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return self.length

    @property
    def columns(self) -> Any:
        import pandas as pd

        return pd.Index(self.column_names, dtype=object)

    @property
    def dtypes(self) -> Any:
        import pandas as pd

        return pd.Series(self.dtype_of, dtype=object)

    def to_pandas(
        self,
        columns: Sequence[str] | None = None,
        condition: str = "TRUE",
        params: dict[str, Any] | None = None,
        limit: int | None = None,
    ) -> Any:
        """The rows meeting `condition` (SQL over this table), in file order, as pandas."""
        import pandas as pd

        names = list(self.column_names if columns is None else columns)
        selected = ", ".join([ROW, *(quoted(c) for c in names)])
        query = f"SELECT {selected} FROM {self.table} WHERE {condition} ORDER BY {ROW}"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        arrow = self.connection.sql(query, params=params or None).to_arrow_table()
        frame = arrow.to_pandas()
        frame.index = frame.pop(ROW).to_numpy()
        for name in names:
            dtype = self.dtype_of[name]
            if pd.api.types.is_object_dtype(dtype):  # data/duckdb_csv_typed.py: no value
                if frame[name].notna().any():
                    raise RuntimeError(f"column {name!r}: values in a column read as empty")
                frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
            else:
                frame[name] = frame[name].astype(dtype)
        return frame

    def head(self, n: int = 5) -> Any:
        """The first `n` rows (a copy), queried once per `n`: every `where` of the framework
        is tried on the first rows (column_checks.py), and over a Parquet view each query
        is a top-n of the whole file (round 7)."""
        if n not in self._heads:
            self._heads[n] = self._first_rows(n)
        return self._heads[n].copy()

    def _first_rows(self, n: int) -> Any:
        """The first `n` rows, looked for first among the first 2n + 1000 positions: over a
        view (a Parquet file, a CSV's Arrow table) a top-n of the whole source converts every
        row (0.09 s at 10^6 rows of 20 columns), a filter on the position only those. When
        those positions hold fewer than `n` rows (quarantined or empty rows), the top-n."""
        first = self.to_pandas(condition=f"{ROW} < {2 * int(n) + 1000}", limit=n)
        if len(first) == min(n, self.length):
            return first
        return self.to_pandas(limit=n)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.to_pandas([key])[key]
        return self.to_pandas(list(key))

    def complete(self, column: str) -> bool:
        """Whether `column` has no missing value."""
        return self.complete_columns([column])[column]

    def complete_columns(self, columns: Sequence[str]) -> dict[str, bool]:
        """Whether each of `columns` has no missing value, from one scan of the table."""
        known = {c: True for c in columns if c in self.known_complete}
        asked = [c for c in columns if c not in known]
        if not asked:
            return known
        tests = ", ".join(f"count(*) = count({quoted(c)})" for c in asked)
        found = self.connection.execute(f"SELECT {tests} FROM {self.table}").fetchall()[0]
        return known | {c: bool(v) for c, v in zip(asked, found, strict=True)}  # all fetched


def connect(
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | None = None,
    **_other: Any,  # the engine's other options (a Spark master) do not apply here
) -> Any:
    """An in-process DuckDB connection with the framework's memory settings: beyond
    `memory_limit`, its sorts, joins and tables spill to `temp_directory`."""
    import duckdb

    config: dict[str, Any] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    if temp_directory:
        config["temp_directory"] = temp_directory
    connection = duckdb.connect(":memory:", config=config)
    connection.execute("SET enable_progress_bar = false").fetchall()  # no bars on the terminal
    # DuckDB >= 1.4 refuses new work on a connection while a result is partly fetched
    # (`fetchone`): results here are fetched whole (fetchall).
    return connection
