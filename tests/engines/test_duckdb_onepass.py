"""Indicators sharing a source and a `by` answered by one scan (engines/duckdb_onepass.py): the
same statistics, medians and audit cells as the per-indicator queries, worked figures, and the
number of queries the DuckDB engine runs."""

from typing import Any

import numpy as np
import pytest

pytest.importorskip("duckdb")

from tests.engines.audit_people import PEOPLE  # noqa: E402

from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.engines.duckdb_audit import indicator_rows  # noqa: E402
from evalsoc.engines.duckdb_stats import statistics  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402

# (indicator, where): two `by` sets, several `where` per set, one leaving a group out (Est).
SPECS = [
    ({"mean": "age", "by": ["site"]}, None),
    ({"mean": "age", "by": ["site"]}, "employed"),
    ({"sum": "level", "by": ["site"]}, "not (age > 45)"),
    ({"proportion": "employed", "by": ["site"]}, "site != 'Est'"),
    ({"proportion": "age > 28", "by": ["site"]}, None),
    ({"count": "age > 25", "by": ["site"]}, "level > 1"),
    ({"count": True, "by": ["site"]}, "employed"),
    ({"count": "age > 25", "by": ["site"]}, None),  # id 3's missing age: counted in n only
    ({"count": "employed", "by": ["site"]}, "site != 'Nord'"),
    ({"median": "age", "by": ["site"]}, None),
    ({"median": "level", "by": ["site"]}, "not (age > 45)"),
    ({"median": "age"}, None),
    ({"median": "age"}, "level > 100"),  # no row selected
    ({"rate": ["age", "level"]}, None),
    ({"proportion": "employed"}, "level > 1"),
    ({"share": "level", "values": [4, 10], "by": ["site"]}, None),
    ({"share": "site", "by": ["employed"]}, "not (age > 45)"),
    ({"share": "employed"}, "level > 100"),  # no row selected
]


def items() -> list[tuple[IndicatorSpec, Any]]:
    return [
        (IndicatorSpec.model_validate({"id": f"i{k}", **raw}), parse_expression(w) if w else None)
        for k, (raw, w) in enumerate(SPECS)
    ]


def assert_same_statistics(found: dict, expected: dict) -> None:
    assert found.keys() == expected.keys()
    if "labels" in expected:  # a share
        assert found["labels"] == expected["labels"]
        expected = {"table": expected["table"]}
    for name, values in expected.items():
        np.testing.assert_allclose(found[name], values, rtol=1e-12, equal_nan=True, err_msg=name)


@pytest.mark.parametrize("key", [["id"], []], ids=["key", "positions"])
def test_one_pass_answers_are_the_per_indicator_queries(key: list[str]) -> None:
    engine = DuckDBEngine({"people": PEOPLE})
    engine.prepare_indicators("people", items(), key)
    for spec, where in items():
        found = engine.prepared("people", spec, where)
        assert found is None  # another spec object: not handed out
    listed = items()
    engine.prepare_indicators("people", listed, key)
    for spec, where in listed:
        found = engine.prepared("people", spec, where)
        assert found is not None, spec.id
        assert engine.prepared("people", spec, where) is None  # handed out once, then released
        assert_same_statistics(found.stats, statistics(engine, "people", where, spec))
        if spec.kind == "median" and spec.by:
            whole = spec.model_copy(update={"by": []})
            assert_same_statistics(found.overall, statistics(engine, "people", where, whole))
        alone = indicator_rows(engine, "people", where, spec, key)
        assert found.rows.groups == alone.groups, spec.id
        assert found.rows.cells == alone.cells, spec.id
        assert found.rows.key == alone.key


def test_worked_figures() -> None:
    """Ages by site (declared order Sud, Nord, Est, then missing): Sud 30, 50, 35; Nord 20, 60
    (id 3 has none); Est 25; no site 40. Whole: 20 25 30 35 40 50 60, median 35, and for n = 7
    the 95 % order-statistic interval is [x(1), x(7)] = [20, 60] (coverage 1 − 2/128 = 0.984;
    [x(2), x(6)] covers 0.875). Employed rows (id 4's missing value is not selected): Sud ids
    5, 8 (50 + 35), Nord id 1 (20; id 3 has no age), Est id 7 (25): no missing-site group."""
    engine = DuckDBEngine({"people": PEOPLE})
    listed = items()
    engine.prepare_indicators("people", listed, ["id"])
    answers = {spec.id: engine.prepared("people", spec, where) for spec, where in listed}
    median = answers["i9"]
    assert median.stats["n"].tolist() == [3, 2, 1, 1]
    assert median.stats["median"].tolist() == [35.0, 40.0, 25.0, 40.0]
    assert (median.overall["median"][0], median.overall["lo"][0], median.overall["hi"][0]) == (
        35.0,
        20.0,
        60.0,
    )
    employed = answers["i1"]
    assert employed.rows.group_table()["site"].tolist() == ["Sud", "Nord", "Est"]
    assert employed.stats["n"].tolist() == [2, 1, 1]
    assert employed.stats["sum"].tolist() == [85.0, 20.0, 25.0]
    assert answers["i12"].stats["n"].tolist() == [0]  # nothing selected: no median
    assert np.isnan(answers["i12"].stats["median"][0])
    share = answers["i15"].stats  # level by site: Sud 5, -, 5; Nord 4, 1, 2; Est 10; none 4
    assert share["labels"] == ["1", "2", "4", "5", "10"]
    assert share["table"].tolist() == [
        [0, 0, 0, 2, 0],
        [1, 1, 1, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 1, 0, 0],
    ]


class CountingConnection:
    """A DuckDB connection that counts the statements it runs."""

    def __init__(self, connection: Any) -> None:
        self.connection, self.queries = connection, []

    def execute(self, sql: str, *args: Any) -> Any:
        self.queries.append(sql)
        return self.connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


def test_one_query_per_by_and_one_for_its_medians() -> None:
    """15 indicators, 2 `by` sets, each with medians: 4 statements, and one per share (the
    per-indicator path ran about 50: a GROUP BY for each statistic, one per audit, two per
    median by group, three per share)."""
    engine = DuckDBEngine({"people": PEOPLE})
    engine.connection = counting = CountingConnection(engine.connection)
    engine.prepare_indicators("people", items(), ["id"])
    assert len(counting.queries) == 4 + 3
    medians = [q for q in counting.queries if "__x0" in q]  # the medians' fetches
    assert len(medians) == 2  # one per `by` set (site; none)
    assert sum("hash(" in q for q in medians) == 1  # the `by` site's rows carry their group


def test_medians_fetched_together_apart_or_bracketed_same_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The medians of one `by` are fetched together while rows × medians fit FETCHED_AT_MOST,
    one fetch each when only one fits, and by duckdb_medians.py's brackets beyond (10^7 rows
    and more): the same figures every way, and the worked ones."""
    from evalsoc.engines import duckdb_fetched_medians

    def answers() -> tuple[dict[str, Any], list[str]]:
        engine = DuckDBEngine({"people": PEOPLE})
        counting = CountingConnection(engine.connection)
        engine.connection = counting
        listed = items()
        engine.prepare_indicators("people", listed, ["id"])
        found = {s.id: engine.prepared("people", s, w) for s, w in listed}
        return found, [q for q in counting.queries if "__x0" in q]

    together, fetches_together = answers()
    monkeypatch.setattr(duckdb_fetched_medians, "FETCHED_AT_MOST", len(PEOPLE))
    apart, fetches_apart = answers()
    monkeypatch.setattr(duckdb_fetched_medians, "FETCHED_AT_MOST", len(PEOPLE) - 1)
    bracketed, fetches_bracketed = answers()
    for name in ("i9", "i10", "i11", "i12"):
        assert_same_statistics(apart[name].stats, together[name].stats)
        assert_same_statistics(bracketed[name].stats, together[name].stats)
    for other in (apart, bracketed):
        assert together["i9"].overall is not None and other["i9"].overall is not None
        assert_same_statistics(other["i9"].overall, together["i9"].overall)
    assert apart["i9"].stats["median"].tolist() == [35.0, 40.0, 25.0, 40.0]  # worked above
    assert together["i9"].stats["median"].tolist() == [35.0, 40.0, 25.0, 40.0]
    assert len(fetches_together) == 2  # one per `by` set (site; none)
    assert len(fetches_apart) == 4  # one per median
    assert not fetches_bracketed


def test_a_hash_shared_by_two_groups_takes_the_bracket_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two groups whose keys' hashes collide cannot be told apart in a fetch: the medians of
    that `by` are then answered by the brackets (joined on the keys), with the same figures."""
    from evalsoc.engines import duckdb_fetched_medians

    listed = items()
    engine = DuckDBEngine({"people": PEOPLE})
    engine.prepare_indicators("people", listed, ["id"])
    expected = {s.id: engine.prepared("people", s, w) for s, w in listed}
    monkeypatch.setattr(duckdb_fetched_medians, "group_hash", lambda by: "42::UBIGINT")
    engine = DuckDBEngine({"people": PEOPLE})
    counting = CountingConnection(engine.connection)
    engine.connection = counting
    engine.prepare_indicators("people", listed, ["id"])
    for spec, where in listed:
        if spec.id not in ("i9", "i10"):
            continue
        found = engine.prepared("people", spec, where)
        assert_same_statistics(found.stats, expected[spec.id].stats)
        assert_same_statistics(found.overall, expected[spec.id].overall)
    assert any("GROUPING SETS" in q for q in counting.queries)  # the brackets' first step
