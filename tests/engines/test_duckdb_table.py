"""DuckDBTable.head: the first rows in file order, whether they lie among the first positions
or far after them (quarantined or empty rows before them)."""

from __future__ import annotations

import pytest

pytest.importorskip("duckdb")


def _table(positions: list[int]):
    import pandas as pd

    from evalsoc.engines.duckdb_table import ROW, DuckDBTable, connect

    connection = connect()
    frame = pd.DataFrame({ROW: positions, "x": [float(p) * 10 for p in positions]})
    connection.register("rows_frame", frame.iloc[::-1])  # stored out of order
    connection.execute("CREATE TABLE intake_0 AS SELECT * FROM rows_frame").fetchall()
    return DuckDBTable(connection, "intake_0", ["x"], {"x": frame["x"].dtype}, len(positions))


@pytest.mark.parametrize(
    "positions",
    [
        list(range(50)),  # the first positions
        [3, 7, *range(5_000, 5_040)],  # most rows far past the first 2n + 1000 positions
        [2_000, 2_001],  # fewer rows than asked, all far
        [],
    ],
)
def test_head_is_the_first_rows_in_file_order(positions: list[int]) -> None:
    table = _table(positions)
    for n in (5, 10):
        head = table.head(n)
        assert list(head.index) == sorted(positions)[:n]
        assert list(head["x"]) == [p * 10.0 for p in sorted(positions)[:n]]


def test_a_column_read_as_empty_is_none_objects_and_refuses_values() -> None:
    """A column without any value (pyarrow's null type) comes back as pandas reads it, None
    objects; a value in it is a bug of the intake, said loudly."""
    from evalsoc.engines.duckdb_table import ROW, DuckDBTable, connect

    connection = connect()
    connection.execute(
        f"CREATE TABLE t AS SELECT * FROM (VALUES (0, NULL::VARCHAR, NULL::VARCHAR), "
        f"(1, NULL, 'x')) AS v({ROW}, empty, filled)"
    ).fetchall()
    table = DuckDBTable(
        connection, "t", ["empty", "filled"], {"empty": "object", "filled": "object"}, 2
    )
    empty = table.to_pandas(["empty"])["empty"]
    assert empty.dtype == object and list(empty) == [None, None]
    with pytest.raises(RuntimeError, match="values in a column read as empty"):
        table.to_pandas(["filled"])
