"""The pandas engine satisfies the engine interface and answers its questions with the numbers
worked out by hand below; RunContext reads its data through it."""

import numpy as np
import pandas as pd
import pytest

from evalsoc.engines.base import Engine
from evalsoc.engines.pandas import PandasEngine
from evalsoc.errors import FrameworkError
from evalsoc.framework.expressions import parse_expression
from evalsoc.framework.model import IndicatorSpec
from evalsoc.sections.context import RunContext


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    people = pd.DataFrame(
        {
            "age": [20.0, 30.0, np.nan, 40.0, 50.0, 60.0],
            "site": ["Nord", "Sud", "Nord", None, "Sud", "Nord"],
            "employed": pd.array([True, False, True, None, True, False], dtype="boolean"),
            "hours": [10.0, 0.0, 5.0, 8.0, 4.0, 6.0],
            "weeks": [2.0, 1.0, 1.0, 2.0, np.nan, 3.0],
        }
    )
    return {"people": people}


def test_pandas_engine_satisfies_the_protocol(frames: dict[str, pd.DataFrame]) -> None:
    engine: Engine = PandasEngine(frames)  # checked by mypy on tests' callers too
    assert isinstance(engine, Engine)
    assert engine.name == "pandas"


def test_columns_dtypes_mask_rows(frames: dict[str, pd.DataFrame]) -> None:
    engine = PandasEngine(frames)
    assert engine.sources() == ["people"]
    assert engine.length("people") == 6
    assert engine.columns("people") == ["age", "site", "employed", "hours", "weeks"]
    dtypes = engine.dtypes("people")
    assert dtypes == {**dtypes, "age": "float64", "employed": "boolean", "weeks": "float64"}
    assert dtypes["site"] == str(frames["people"]["site"].dtype)  # object, or str in pandas 3
    where = parse_expression("not (age > 35)")  # keeps the missing age (row 2)
    assert engine.mask("people", where).tolist() == [True, True, True, False, False, False]
    assert engine.rows("people", ["hours"], where)["hours"].tolist() == [10.0, 0.0, 5.0]
    assert list(engine.rows("people", None, where).index) == [0, 1, 2]


def indicator(**raw: object) -> IndicatorSpec:
    return IndicatorSpec.model_validate({"id": "i", **raw})


def test_grouped_mean_statistics(frames: dict[str, pd.DataFrame]) -> None:
    """Groups sorted, missing last: Nord = rows 0, 2, 5 (age 20, missing, 60), Sud = rows 1, 4
    (30, 50), missing site = row 3 (40)."""
    engine = PandasEngine(frames)
    codes, groups = engine.groups("people", None, ["site"])
    assert codes.tolist() == [0, 1, 0, 2, 1, 0]
    assert groups["site"].tolist()[:2] == ["Nord", "Sud"]
    stats = engine.grouped_statistics("people", None, indicator(mean="age", by=["site"]), ["age"])
    assert stats["n"].tolist() == [2.0, 2.0, 1.0]
    assert stats["sum"].tolist() == [80.0, 80.0, 40.0]
    assert stats["sumsq"].tolist() == [400.0 + 3600.0, 900.0 + 2500.0, 1600.0]
    assert stats["scale"] == 1.0


def test_proportion_and_rate_statistics_under_a_filter(frames: dict[str, pd.DataFrame]) -> None:
    engine = PandasEngine(frames)
    where = parse_expression("hours > 0")  # rows 0, 2, 3, 4, 5
    prop = engine.grouped_statistics(
        "people", where, indicator(proportion="employed"), ["employed"]
    )
    # employed known on rows 0, 2, 4, 5; true on 0, 2, 4
    assert prop["n"].tolist() == [4.0]
    assert prop["count"].tolist() == [3.0]
    rate = engine.grouped_statistics(
        "people", where, indicator(rate=["hours", "weeks"]), ["hours", "weeks"]
    )
    # both present on rows 0, 2, 3, 5: y = 10, 5, 8, 6; x = 2, 1, 2, 3
    assert rate["n"].tolist() == [4.0]
    assert rate["sy"].tolist() == [29.0]
    assert rate["sx"].tolist() == [8.0]
    assert rate["sxy"].tolist() == [20.0 + 5.0 + 16.0 + 18.0]
    assert rate["syy"].tolist() == [100.0 + 25.0 + 64.0 + 36.0]
    assert rate["sxx"].tolist() == [4.0 + 1.0 + 4.0 + 9.0]


def test_median_statistics_are_exact_order_statistics(frames: dict[str, pd.DataFrame]) -> None:
    engine = PandasEngine(frames)
    stats = engine.grouped_statistics("people", None, indicator(median="hours"), ["hours"])
    assert stats["n"].tolist() == [6.0]
    assert stats["median"].tolist() == [5.5]  # (5 + 6) / 2


def test_run_context_reads_through_its_engine(frames: dict[str, pd.DataFrame]) -> None:
    ctx = RunContext(frames=frames, framework=None)
    assert isinstance(ctx.engine, PandasEngine)
    assert ctx.positions("people", "age >= 40").tolist() == [3, 4, 5]
    assert ctx.rows("people", "age >= 40", ["hours"])["hours"].tolist() == [8.0, 4.0, 6.0]
    assert ctx.frame("people", "age >= 40") is ctx.frame("people", "age >= 40")
    with pytest.raises(FrameworkError, match="^filter: unknown column 'agee'"):
        ctx.frame("people", "agee > 3", where_key="filter")
    with pytest.raises(FrameworkError, match="unknown data source 'peple'"):
        ctx.positions("peple", None)


def test_registry_creates_engines_by_name(frames: dict[str, pd.DataFrame]) -> None:
    from evalsoc.engines.registry import ENGINES, EngineEntry, create_engine

    assert isinstance(create_engine("pandas", frames), PandasEngine)
    with pytest.raises(
        FrameworkError, match="unknown engine .duckdbb.; known engines: pandas, duckdb"
    ):
        create_engine("duckdbb", frames)
    ENGINES["absent"] = EngineEntry("evalsoc.engines.absent", "X", "no_such_pkg_x", "absent")
    try:
        with pytest.raises(FrameworkError, match=r'pip install "evalsoc\[absent\]"'):
            create_engine("absent", frames)
    finally:
        del ENGINES["absent"]
