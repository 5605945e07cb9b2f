"""The checks' uniqueness count of a number column from its fetched values (data/duckdb_checks.py
`_distinct`): the same count as SQL's count(DISTINCT), which it runs only when the values do not
come strictly ordered."""

from typing import Any

import numpy as np
import pytest

duckdb = pytest.importorskip("duckdb")

from evalsoc.data.duckdb_checks import _distinct  # noqa: E402


class Counting:
    def __init__(self, connection: Any) -> None:
        self.connection, self.queries = connection, []

    def execute(self, sql: str, *args: Any) -> Any:
        self.queries.append(sql)
        return self.connection.execute(sql, *args)


CASES = {
    "increasing, gaps and missing": ([3, 5, None, 8, 13, None], 4, False),
    "decreasing": ([9.5, 2.0, -1.0], 3, False),
    "one value": ([7], 1, False),
    "none present": ([None, None], 0, False),
    "out of order, all distinct": ([2, 1, 3], 3, True),
    "a repeated value in order": ([1, 2, 2, 3], 3, True),
    "a repeat out of order": ([5, 1, 5, 2, None], 3, True),
    "NaN twice (one distinct value for SQL)": ([1.0, float("nan"), float("nan")], 2, True),
    "minus zero and zero (one value for SQL)": ([-0.0, 0.0, 1.0], 2, True),
}


@pytest.mark.parametrize("values, expected, counted", CASES.values(), ids=CASES.keys())
def test_distinct_is_count_distinct(values: list[Any], expected: int, counted: bool) -> None:
    connection = duckdb.connect()
    kind = "DOUBLE" if any(isinstance(v, float) for v in values) else "BIGINT"
    connection.execute(f"CREATE TABLE t (v {kind})")
    connection.executemany("INSERT INTO t VALUES (?)", [[v] for v in values])
    sql_count = connection.execute("SELECT count(DISTINCT v) FROM t").fetchall()[0][0]
    assert sql_count == expected  # the hand-worked count is SQL's
    spy = Counting(connection)
    assert _distinct(spy, "t", "v") == expected
    assert any("count(DISTINCT" in q for q in spy.queries) == counted


def test_a_million_ordered_keys_need_no_hash_table() -> None:
    connection = duckdb.connect()
    connection.execute("CREATE TABLE t AS SELECT range AS v FROM range(1000000)")
    spy = Counting(connection)
    assert _distinct(spy, "t", "v") == 1_000_000
    assert len(spy.queries) == 1
    keys = np.arange(1_000_000)
    keys[500_000] = 17  # one repeat, in place
    connection.register("keys", {"v": keys})
    spy = Counting(connection)
    assert _distinct(spy, "keys", "v") == 999_999
    assert len(spy.queries) == 2
