"""Exact order statistics from narrowed brackets (engines/duckdb_medians.py), the path medians
take on a large source: forced on small data (thresholds monkeypatched down, so that brackets
are cut several times and read in several batches), every figure compared with numpy's sort
of the same values and with the sorted-list path (duckdb_stats.py `_sorted_lists`). The one
pass's fetched medians (duckdb_fetched_medians.py) are turned off here (FETCHED_AT_MOST 0), so
its medians take the brackets as on 10^7 rows and more."""

from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from tests.engines.audit_people import PEOPLE  # noqa: E402
from tests.engines.test_duckdb_onepass import (  # noqa: E402
    assert_same_statistics,
    items,
)

from evalsoc.engines import duckdb_fetched_medians, duckdb_medians, duckdb_stats  # noqa: E402
from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.engines.duckdb_stats import (
    median_ranks,  # noqa: E402
    statistics,  # noqa: E402
)
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.stats.intervals import median_interval  # noqa: E402


@pytest.fixture
def bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every source is large, bins are few and reads tiny: many cuts, many batches."""
    monkeypatch.setattr(duckdb_stats, "SORTED_LISTS_AT_MOST", 0)
    monkeypatch.setattr(duckdb_fetched_medians, "FETCHED_AT_MOST", 0)
    monkeypatch.setattr(duckdb_medians, "BINS", 3)
    monkeypatch.setattr(duckdb_medians, "READ_AT_MOST", 2)
    monkeypatch.setattr(duckdb_medians, "READ_BATCH", 3)


def people_data(seed: int, size: int) -> pd.DataFrame:
    """Ties (integers and halves), missing values, ±∞, a group with no value (D), groups of
    one (C) and two (B), a missing group, and a column to filter on."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-20, 21, size).astype(float) / rng.choice([1.0, 2.0], size)
    x[rng.random(size) < 0.1] = np.nan
    x[rng.random(size) < 0.01] = np.inf
    x[rng.random(size) < 0.01] = -np.inf
    g = rng.choice(["A", "E", "F"], size).astype(object)
    g[rng.random(size) < 0.05] = None
    g[:3] = ["B", "B", "C"]
    x[:3] = [7.5, -2.0, 3.0]
    g[3], x[3] = "D", np.nan
    return pd.DataFrame({"g": g, "x": x, "w": rng.integers(0, 3, size)})


def expected(values: np.ndarray) -> list[float]:
    """The order statistics `median_ranks` asks for, by numpy's sort."""
    ordered = np.sort(values)
    return [float(ordered[r - 1]) for r in median_ranks(len(values))[0]]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("where", ["TRUE", '"w" > 0'])
def test_order_statistics_are_numpy_sort(
    bracketed: None, monkeypatch: pytest.MonkeyPatch, seed: int, where: str
) -> None:
    frame = people_data(seed, 601 + seed)
    cut, read = [], []  # the brackets each step took: both steps must have run
    for name, seen in (("_cut", cut), ("_read", read)):
        step = getattr(duckdb_medians, name)

        def spy(*args: Any, step: Any = step, seen: list[int] = seen) -> Any:
            seen.append(len(args[-2] if step is duckdb_medians._read else args[-1]))
            return step(*args)

        monkeypatch.setattr(duckdb_medians, name, spy)
    engine = DuckDBEngine({"people": frame})
    n, picked = duckdb_medians.order_statistics(
        engine.connection,
        engine.view("people"),
        ["g"],
        'CAST("x" AS DOUBLE)',
        where,
        {},
        lambda size: median_ranks(size)[0],
        whole=True,
    )
    selected = frame if where == "TRUE" else frame[frame["w"] > 0]
    groups = sorted(selected["g"].dropna().unique()) + [None]  # missing group last
    if where != "TRUE":
        groups = [v for v in groups if v is None or (selected["g"] == v).any()]
    wanted = []
    for value in groups:
        rows = selected["g"].isna() if value is None else selected["g"] == value
        wanted.append(selected.loc[rows, "x"].dropna().to_numpy())
    wanted.append(selected["x"].dropna().to_numpy())
    assert n.tolist() == [len(v) for v in wanted]
    assert picked == [expected(v) for v in wanted]
    assert sum(cut) > 10 and sum(read) > 10  # narrowed several times, then read
    if where == "TRUE":  # groups B, C, D: two values, one, none (present, x missing)
        assert n[1:4].tolist() == [2, 1, 0] and picked[3] == []


@pytest.mark.parametrize("masks", [0, 16])
def test_brackets_that_fit_one_read_are_read_without_a_cut(
    bracketed: None, monkeypatch: pytest.MonkeyPatch, masks: int
) -> None:
    """When every group's and the whole's values fit one read (READ_BATCH), they are read by
    that one query, never cut (one scan instead of two at 10^6 rows), and the order statistics
    are still numpy's, the values split by bracket with a mask each or by one sort."""
    frame = people_data(4, 900)
    monkeypatch.setattr(duckdb_medians, "READ_BATCH", 2 * len(frame))
    monkeypatch.setattr(duckdb_medians, "MASKS_AT_MOST", masks)
    cuts, reads = [], []
    for name, seen in (("_cut", cuts), ("_read", reads)):
        step = getattr(duckdb_medians, name)

        def spy(*args: Any, step: Any = step, seen: list[int] = seen) -> Any:
            brackets = args[-2] if step is duckdb_medians._read else args[-1]
            if brackets:
                seen.append(len(brackets))
            return step(*args)

        monkeypatch.setattr(duckdb_medians, name, spy)
    engine = DuckDBEngine({"people": frame})
    n, picked = duckdb_medians.order_statistics(
        engine.connection, engine.view("people"), ["g"], 'CAST("x" AS DOUBLE)', "TRUE", {},
        lambda size: median_ranks(size)[0], whole=True,
    )  # fmt: skip
    groups = sorted(frame["g"].dropna().unique())
    wanted = [frame.loc[frame["g"] == v, "x"].dropna().to_numpy() for v in groups]
    wanted += [
        frame.loc[frame["g"].isna(), "x"].dropna().to_numpy(),
        frame["x"].dropna().to_numpy(),
    ]
    assert n.tolist() == [len(v) for v in wanted]
    assert picked == [expected(v) for v in wanted]
    assert cuts == [] and len(reads) == 1  # one read query, no cut


def test_ties_reached_without_reading_them(bracketed: None) -> None:
    """10^4 equal values and a few others: a bracket whose values are all equal is answered
    from its bounds, never read."""
    x = np.r_[np.full(10_000, 3.25), [1.0, 2.0, 9.0]]
    engine = DuckDBEngine({"t": pd.DataFrame({"x": x})})
    n, picked = duckdb_medians.order_statistics(
        engine.connection, engine.view("t"), [], 'CAST("x" AS DOUBLE)', "TRUE", {},
        lambda size: median_ranks(size)[0], whole=True,
    )  # fmt: skip
    assert n.tolist() == [10_003]
    assert picked == [expected(x)]
    assert picked[0][:2] == [3.25, 3.25]


def test_extreme_values_do_not_overflow_the_bins(bracketed: None) -> None:
    """Values from −1.7e308 to 1.7e308 (their difference overflows a double) and subnormals."""
    x = np.array([-1.7e308, -1e300, -5e-324, 0.0, 5e-324, 1e-323, 2.5, 1e300, 1.7e308] * 3)
    engine = DuckDBEngine({"t": pd.DataFrame({"x": x})})
    _, picked = duckdb_medians.order_statistics(
        engine.connection, engine.view("t"), [], 'CAST("x" AS DOUBLE)', "TRUE", {},
        lambda size: median_ranks(size)[0], whole=True,
    )  # fmt: skip
    assert picked == [expected(x)]


def test_a_bracket_too_large_to_read_and_too_narrow_to_cut_is_counted(
    bracketed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two adjacent subnormals, many times each: their bracket cannot be cut (a bin narrower
    than a double's step) and holds more than READ_BATCH values, so its values are counted by
    value (GROUP BY), not fetched one by one."""
    x = np.array([5e-324] * 40 + [1e-323] * 23)
    picks: list[int] = []
    pick = duckdb_medians._pick
    monkeypatch.setattr(duckdb_medians, "_pick", lambda *a: picks.append(1) or pick(*a))
    engine = DuckDBEngine({"t": pd.DataFrame({"x": x})})
    _, picked = duckdb_medians.order_statistics(
        engine.connection, engine.view("t"), [], 'CAST("x" AS DOUBLE)', "TRUE", {},
        lambda size: median_ranks(size)[0], whole=True,
    )  # fmt: skip
    assert picked == [expected(x)]
    assert picks == []


def test_medians_and_intervals_match_the_pandas_kernel(bracketed: None) -> None:
    """The one pass's medians and 95 % intervals on the large path against
    stats/intervals.py `median_interval` (the pandas engine's kernel) on the same values."""
    frame = people_data(7, 3000)
    frame["x"] = frame["x"].replace([np.inf, -np.inf], np.nan)
    spec = IndicatorSpec.model_validate({"id": "m", "median": "x", "by": ["g"]})
    where = parse_expression("not (w > 1)")
    engine = DuckDBEngine({"p": frame})
    engine.prepare_indicators("p", [(spec, where)], [])
    found = engine.prepared("p", spec, where)
    assert found is not None
    kept = frame[~(frame["w"] > 1)]
    present = sorted(kept["g"].dropna().unique()) + [None]
    assert len(present) == len(found.stats["n"]) >= 4
    for g, value in enumerate(present):
        rows = kept["g"].isna() if value is None else kept["g"] == value
        values = kept.loc[rows, "x"].dropna().to_numpy()
        assert found.stats["n"][g] == len(values)
        if len(values):
            np.testing.assert_array_equal(
                [found.stats[k][g] for k in ("median", "lo", "hi")], median_interval(values)
            )
    whole = median_interval(kept["x"].dropna().to_numpy())
    np.testing.assert_array_equal([found.overall[k][0] for k in ("median", "lo", "hi")], whole)


def sorted_lists(
    monkeypatch: pytest.MonkeyPatch, engine: DuckDBEngine, spec: Any, where: Any
) -> Any:
    """The per-indicator query's figures on the sorted-list path (duckdb_stats.py `_median`)."""
    with monkeypatch.context() as lists:
        lists.setattr(duckdb_stats, "SORTED_LISTS_AT_MOST", 10**12)
        return statistics(engine, "people", where, spec)


@pytest.mark.parametrize("key", [["id"], []], ids=["key", "positions"])
def test_one_pass_on_the_large_path_is_the_list_path(
    bracketed: None, monkeypatch: pytest.MonkeyPatch, key: list[str]
) -> None:
    """The eight people (missing values, a missing site, a `where` that selects nothing, groups
    of one): every median figure the same as the sorted lists' (per-indicator queries), and
    the per-indicator query's large path (duckdb_stats.py `_median`) too."""
    engine = DuckDBEngine({"people": PEOPLE})
    listed = items()
    engine.prepare_indicators("people", listed, key)
    medians = 0
    for spec, where in listed:
        found = engine.prepared("people", spec, where)
        assert found is not None
        if spec.kind != "median":
            continue
        medians += 1
        expected = sorted_lists(monkeypatch, engine, spec, where)
        assert_same_statistics(found.stats, expected)
        assert_same_statistics(statistics(engine, "people", where, spec), expected)
        if spec.by:
            whole = spec.model_copy(update={"by": []})
            expected = sorted_lists(monkeypatch, engine, whole, where)
            assert_same_statistics(found.overall, expected)
    assert medians == 4


def test_worked_figures_on_the_large_path(bracketed: None) -> None:
    """tests/engines/test_duckdb_onepass.py `test_worked_figures`'s ages by site: Sud 30, 50, 35
    (median 35); Nord 20, 60 (40); Est 25; no site 40; whole 35 with [20, 60]."""
    engine = DuckDBEngine({"people": PEOPLE})
    listed = items()
    engine.prepare_indicators("people", listed, ["id"])
    answers: dict[str, Any] = {s.id: engine.prepared("people", s, w) for s, w in listed}
    median = answers["i9"]
    assert median.stats["n"].tolist() == [3, 2, 1, 1]
    assert median.stats["median"].tolist() == [35.0, 40.0, 25.0, 40.0]
    assert [median.overall[k][0] for k in ("median", "lo", "hi")] == [35.0, 20.0, 60.0]
    assert answers["i12"].stats["n"].tolist() == [0]
    assert np.isnan(answers["i12"].stats["median"][0])


def test_by_groups_with_nothing_selected(bracketed: None) -> None:
    """A `where` selecting no row: no group, the whole's n is 0 and its median not computed."""
    spec = IndicatorSpec.model_validate({"id": "m", "median": "age", "by": ["site"]})
    where = parse_expression("level > 100")
    engine = DuckDBEngine({"people": PEOPLE})
    engine.prepare_indicators("people", [(spec, where)], ["id"])
    found = engine.prepared("people", spec, where)
    assert found is not None and found.overall is not None
    assert found.stats["n"].tolist() == [] and found.overall["n"].tolist() == [0]
    assert np.isnan(found.overall["median"][0])
