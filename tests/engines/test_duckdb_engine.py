"""The DuckDB engine: its `where` compiler keeps evalsoc's missing-value semantics, binds every
literal, and its statistics are the numbers worked out by hand in test_pandas_engine.py."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from evalsoc.engines.base import Engine  # noqa: E402
from evalsoc.engines.duckdb import DuckDBEngine  # noqa: E402
from evalsoc.engines.duckdb_sql import NotCompiled, column_kind, compile_where  # noqa: E402
from evalsoc.framework.expressions import parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.sections.context import RunContext  # noqa: E402


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    people = pd.DataFrame(
        {
            "age": [20.0, 30.0, np.nan, 40.0, 50.0, 60.0],
            "site": ["Nord", "Sud", "Nord", None, "Sud", "Nord"],
            "employed": pd.array([True, False, True, None, True, False], dtype="boolean"),
            "hours": [10.0, 0.0, 5.0, 8.0, 4.0, 6.0],
            "weeks": [2.0, 1.0, 1.0, 2.0, np.nan, 3.0],
        },
        index=[10, 11, 12, 13, 14, 15],  # validated frames keep their file's row labels
    )
    return {"people": people}


def indicator(**raw: object) -> IndicatorSpec:
    return IndicatorSpec.model_validate({"id": "i", **raw})


def test_duckdb_engine_satisfies_the_protocol(frames: dict[str, pd.DataFrame]) -> None:
    engine: Engine = DuckDBEngine(frames, memory_limit="1GB", threads=1)
    assert isinstance(engine, Engine)
    assert engine.name == "duckdb"


@pytest.mark.parametrize(
    ("text", "selected"),
    [
        ("not (age > 35)", [True, True, True, False, False, False]),  # missing age kept
        ("age != null and not (age > 35)", [True, True, False, False, False, False]),
        ("site != 'Nord'", [False, True, False, False, True, False]),  # missing site dropped
        ("not (site == 'Nord')", [False, True, False, True, True, False]),  # ... kept here
        ("site in ['Sud', null]", [False, True, False, True, True, False]),
        ("site not in ['Sud']", [True, False, True, False, False, True]),
        ("employed", [True, False, True, False, True, False]),
        ("not employed", [False, True, False, True, False, True]),
        ("employed == 'oui'", [True, False, True, False, True, False]),
        ("weeks < hours or site == null", [True, False, True, True, False, True]),
        ("age == null", [False, False, True, False, False, False]),
        ("'35' < age", [False, False, False, True, True, True]),
        ("true", [True] * 6),
    ],
)
def test_masks_follow_the_missing_value_semantics(
    frames: dict[str, pd.DataFrame], text: str, selected: list[bool]
) -> None:
    """Each row worked out by hand from framework/expressions.py's rules; the pandas
    evaluator gives the same."""
    where = parse_expression(text)
    assert DuckDBEngine(frames).mask("people", where).tolist() == selected
    assert where.evaluate(frames["people"]).tolist() == selected


def test_literals_are_bound_never_pasted() -> None:
    kinds = {"site": column_kind(pd.Series(["a"]).dtype), 'we"ird': "number"}
    compiled = compile_where(
        parse_expression('site == "x\') OR 1=1 --" and `we"ird` > 2').tree, kinds
    )
    assert "OR 1=1" not in compiled.sql
    assert '"we""ird"' in compiled.sql
    assert list(compiled.params.values()) == ["x') OR 1=1 --", 2]


def test_what_pandas_must_answer_is_left_to_it(frames: dict[str, pd.DataFrame]) -> None:
    kinds = {c: column_kind(t) for c, t in frames["people"].dtypes.items()}
    with pytest.raises(NotCompiled):  # pandas refuses it with its own message
        compile_where(parse_expression("site > 3").tree, kinds)
    engine = DuckDBEngine(frames)
    with pytest.raises(ValueError, match="holds text"):
        engine.mask("people", parse_expression("site > 3"))
    # An untyped column holding numbers compares with numbers (pandas_eval._looks_numeric):
    # its values, not its type, decide, so the pandas evaluator answers.
    mixed = {"m": pd.DataFrame({"code": pd.Series([1, 2, None], dtype=object)})}
    where = parse_expression("code == 1")
    assert DuckDBEngine(mixed).mask("m", where).tolist() == [True, False, False]


def test_grouped_statistics_worked_by_hand(frames: dict[str, pd.DataFrame]) -> None:
    """Groups sorted, missing last: Nord = rows 0, 2, 5 (age 20, missing, 60), Sud = rows 1, 4
    (30, 50), missing site = row 3 (40)."""
    engine = DuckDBEngine(frames)
    codes, groups = engine.groups("people", None, ["site"])
    assert codes.tolist() == [0, 1, 0, 2, 1, 0]
    assert groups["site"].tolist() == ["Nord", "Sud", "(manquant)"]
    stats = engine.grouped_statistics("people", None, indicator(mean="age", by=["site"]), ["age"])
    assert stats["n"].tolist() == [2.0, 2.0, 1.0]
    assert stats["sum"].tolist() == [80.0, 80.0, 40.0]
    assert stats["sumsq"].tolist() == [400.0 + 3600.0, 900.0 + 2500.0, 1600.0]
    assert stats["scale"] == 1.0
    where = parse_expression("hours > 0")  # rows 0, 2, 3, 4, 5
    prop = engine.grouped_statistics("people", where, indicator(proportion="employed"), [])
    assert (prop["n"].tolist(), prop["count"].tolist()) == ([4.0], [3.0])
    rate = engine.grouped_statistics("people", where, indicator(rate=["hours", "weeks"]), [])
    assert rate["n"].tolist() == [4.0]  # y = 10, 5, 8, 6; x = 2, 1, 2, 3
    assert (rate["sy"].tolist(), rate["sx"].tolist()) == ([29.0], [8.0])
    assert rate["sxy"].tolist() == [20.0 + 5.0 + 16.0 + 18.0]
    share = engine.grouped_statistics("people", None, indicator(share="site"), [])
    assert share["labels"] == ["Nord", "Sud"]
    assert share["table"].tolist() == [[3.0, 2.0]]  # the missing site is not a category
    count = engine.grouped_statistics("people", None, indicator(count="age > 25", by=["site"]), [])
    assert count["n"].tolist() == [3.0, 2.0, 1.0]
    assert count["count"].tolist() == [1.0, 2.0, 1.0]


def test_medians_are_exact_order_statistics() -> None:
    """n = 20 values 1..20: median (10 + 11) / 2; the 95% distribution-free interval is
    [X(6), X(15)] (Binomial(20, ½): P(B ≤ 5) = 0.0207 ≤ 0.025 < P(B ≤ 6) = 0.0577)."""
    values = np.arange(20, 0, -1, dtype=float)
    frames = {"v": pd.DataFrame({"x": values, "g": ["a"] * 20})}
    stats = DuckDBEngine(frames).grouped_statistics(
        "v", None, indicator(median="x", by=["g"]), ["x"]
    )
    assert stats["median"].tolist() == [10.5]
    assert (stats["lo"].tolist(), stats["hi"].tolist()) == ([6.0], [15.0])


def test_huge_values_are_scaled_like_the_pandas_path() -> None:
    frames = {"v": pd.DataFrame({"x": [1e300, 3e300]})}
    stats = DuckDBEngine(frames).grouped_statistics("v", None, indicator(mean="x"), ["x"])
    assert stats["scale"] == 2.0**997  # 3e300 < 2**999; scaled values stay below 4
    assert stats["sum"][0] * stats["scale"] == pytest.approx(4e300, rel=1e-12)
    assert np.isfinite(stats["sumsq"][0])


def test_run_context_reads_through_the_duckdb_engine(frames: dict[str, pd.DataFrame]) -> None:
    ctx = RunContext(frames=frames, framework=None, engine=DuckDBEngine(frames))
    assert ctx.positions("people", "age >= 40").tolist() == [3, 4, 5]
    rows = ctx.rows("people", "age >= 40", ["hours"])
    assert rows["hours"].tolist() == [8.0, 4.0, 6.0]
    assert rows.index.tolist() == [13, 14, 15]
