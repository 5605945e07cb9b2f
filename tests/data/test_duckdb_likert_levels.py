"""The likert check of the DuckDB intake (data/duckdb_columns.py `_off_scale`): a number fails
unless it is a whole level 1..levels, whether written as a `NOT IN` list (up to 50 levels) or
as comparisons (more levels), as data/convert.py's to_likert decides."""

from __future__ import annotations

import pytest

duckdb = pytest.importorskip("duckdb")

VALUES = [-1.0, -0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 4.999, 5.0, 5.0001, 6.0, 50.0, 51.0, 1e300]


@pytest.mark.parametrize("levels", [2, 5, 50, 51, 100])
def test_off_scale_is_not_a_whole_level(levels: int) -> None:
    from evalsoc.data.duckdb_columns import LISTED_LEVELS, _off_scale

    sql = _off_scale("v", levels)
    assert ("NOT IN" in sql) is (levels <= LISTED_LEVELS)
    connection = duckdb.connect()
    found = connection.execute(
        f"SELECT v, {sql} FROM (SELECT unnest($values) AS v) ORDER BY v",
        {"values": VALUES},
    ).fetchall()
    expected = sorted((v, not (v.is_integer() and 1 <= v <= levels)) for v in VALUES)
    assert [(float(v), bool(bad)) for v, bad in found] == expected
