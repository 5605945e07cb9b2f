"""The Spark engine gives the pandas engine's answers: `where` selections with evalsoc's
missing-value semantics on generated expressions, every indicator kind's grouped statistics
(within 1e-9 relative), and whole runs of shipped frameworks (results.json equal).

One local session (local[1]) for the module: a JVM costs seconds to start. Skipped, with the
reason, where pyspark or Java is missing; CI installs both (pyproject's test extra, .ci/run).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip(
    "pyspark", reason="the Spark engine needs pyspark: pip install 'evalsoc[spark]'"
)

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip(
        "the Spark engine needs Java 17+ (Debian: default-jre-headless)", allow_module_level=True
    )

from tests.engines.results_equality import differences, run_engine  # noqa: E402

from evalsoc.engines.base import Engine, PlannedIndicator  # noqa: E402
from evalsoc.engines.pandas import PandasEngine  # noqa: E402
from evalsoc.engines.spark import SparkEngine  # noqa: E402
from evalsoc.engines.spark_columns import compile_where  # noqa: E402
from evalsoc.framework.expressions import ExpressionError, parse_expression  # noqa: E402
from evalsoc.framework.model import IndicatorSpec  # noqa: E402
from evalsoc.sections.indicators.compute import columns_needed  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REL = 1e-9


@pytest.fixture(scope="module")
def session() -> Any:
    from evalsoc.engines.spark_session import spark_session

    return spark_session(master="local[1]")


def people(rows: int = 240, seed: int = 7) -> pd.DataFrame:
    """Seeded participants with missing values in every column and every validated type."""
    rng = np.random.default_rng(seed)

    def holes(values: np.ndarray, share: float = 0.15) -> np.ndarray:
        out = values.astype(object)
        out[rng.random(rows) < share] = None
        return out

    income = rng.lognormal(7, 0.6, rows).round(2)
    income[rng.random(rows) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "x": np.where(rng.random(rows) < 0.15, np.nan, rng.integers(-2, 8, rows).astype(float)),
            "n": pd.array(holes(rng.integers(0, 4, rows)), dtype="Int64"),
            "flag": pd.array(holes(rng.random(rows) < 0.5), dtype="boolean"),
            "site": pd.Series(
                holes(rng.choice(["Nord", "Sud", "Étang", "est"], rows)), dtype="str"
            ),
            "code": pd.Categorical(
                holes(rng.choice(["b", "a", "c"], rows)), categories=["c", "a", "b"]
            ),
            "day": pd.to_datetime(
                holes(rng.choice(["2024-01-15", "2024-03-01", "2024-06-30"], rows))
            ),
            "income": income,
            "weeks": np.where(
                rng.random(rows) < 0.1, np.nan, rng.integers(1, 20, rows).astype(float)
            ),
            "score": pd.array(holes(rng.integers(1, 6, rows)), dtype="Int64"),
        }
    )


def test_protocol_and_metadata(session: Any) -> None:
    frames = {"people": people(20)}
    engine: Engine = SparkEngine(frames)
    assert isinstance(engine, Engine) and engine.name == "spark"
    assert engine.sources() == ["people"] and engine.length("people") == 20
    assert engine.dtypes("people") == PandasEngine(frames).dtypes("people")
    # hand-worked: 'not (x > 3)' keeps the missing x
    frame = pd.DataFrame({"x": [1.0, 5.0, np.nan, 4.0], "h": [10.0, 0.0, 5.0, 6.0]})
    spark = SparkEngine({"t": frame})
    where = parse_expression("not (x > 3)")
    assert spark.mask("t", where).tolist() == [True, False, True, False]
    assert spark.rows("t", ["h"], where)["h"].tolist() == [10.0, 5.0]
    median = spark.grouped_statistics("t", None, indicator(median="h"), ["h"])
    assert median["median"].tolist() == [5.5]  # (5 + 6) / 2


# --- where: generated expressions against the pandas evaluator -----------------------------

ATOMS = [
    "x > 3",
    "not (x > 3)",
    "x <= 2.5",
    "x == 3",
    "x != 3",
    "x >= '3'",
    "3 < x",
    "x == null",
    "x != null",
    "x < n",
    "x == n",
    "n >= 1",
    "n in [0, 2]",
    "n not in [1]",
    "x",
    "n",
    "site == 'Nord'",
    "site != 'Sud'",
    "site in ['Étang', null]",
    "site not in ['est']",
    "site == 3",
    "site == null",
    "code == 'a'",
    "code in ('c', 'b')",
    "code not in ['a']",
    "code != 'b'",
    "flag",
    "flag == 'oui'",
    "flag != false",
    "flag == null",
    "day >= '2024-03-01'",
    "day < '2024-06-30'",
    "day != null",
    "true",
    "false",
    "x == 'abc'",
    "x != 'abc'",
    "site < 'O'",
    "x in [2, 'abc', null]",
]


def generated(count: int, seed: int = 11) -> list[str]:
    """`count` random conditions of atoms joined by and/or/not, up to three levels deep."""
    rng = random.Random(seed)

    def build(depth: int) -> str:
        roll = rng.random()
        if depth == 0 or roll < 0.35:
            return rng.choice(ATOMS)
        if roll < 0.55:
            return f"not ({build(depth - 1)})"
        op = rng.choice(["and", "or", "et", "ou"])
        return f"({build(depth - 1)}) {op} ({build(depth - 1)})"

    return [build(3) for _ in range(count)]


def test_where_compiler_matches_the_pandas_evaluator(session: Any) -> None:
    frame = people()
    engine = SparkEngine({"people": frame})
    data, columns = engine._table("people")
    texts = ATOMS + generated(120)
    expected = {t: parse_expression(t).evaluate(frame).to_numpy() for t in texts}
    compiled = [
        compile_where(parse_expression(t).tree, t, frame, columns).alias(f"e{i}")
        for i, t in enumerate(texts)
    ]
    got = data.select("_row", *compiled).toPandas().sort_values("_row")  # one Spark job
    wrong = [t for i, t in enumerate(texts) if not (got[f"e{i}"].to_numpy() == expected[t]).all()]
    assert wrong == []
    spark_rows = got[f"e{texts.index('not (x > 3)')}"].to_numpy()
    assert spark_rows[frame["x"].isna().to_numpy()].all()  # missing x kept, unlike SQL's NOT


@pytest.mark.parametrize(
    "text",
    ["x < 'abc'", "site > 3", "flag == 'peut-être'", "site", "x > null"],
)
def test_where_errors_are_the_pandas_errors(session: Any, text: str) -> None:
    frame = people(10)
    columns = SparkEngine({"people": frame})._table("people")[1]
    with pytest.raises(ExpressionError) as pandas_error:
        parse_expression(text).evaluate(frame)
    with pytest.raises(ExpressionError) as spark_error:
        compile_where(parse_expression(text).tree, text, frame, columns)
    assert (
        spark_error.value.short_message.split(":")[0]
        == pandas_error.value.short_message.split(":")[0]
    )


# --- grouped statistics: every kind equal to the pandas engine's ----------------------------


def indicator(**raw: object) -> IndicatorSpec:
    return IndicatorSpec.model_validate({"id": "i", **raw})


KINDS = [
    {"mean": "income"},
    {"sum": "weeks"},
    {"mean": "flag"},
    {"proportion": "flag"},
    {"proportion": "x > 2 and site != 'Sud'"},
    {"count": True},
    {"count": "n >= 1"},
    {"rate": ["income", "weeks"]},
    {"share": "score", "values": [4, 5]},
    {"share": "code"},
    {"median": "income"},
    {"median": "x"},
    {"gini": "income"},
]
BYS = [[], ["site"], ["code", "flag"]]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and np.allclose(a, b, rtol=REL, atol=1e-12, equal_nan=True)
    return bool(a == b)


@pytest.mark.parametrize("by", BYS, ids=lambda by: "+".join(by) or "overall")
def test_grouped_statistics_equal_the_pandas_engine(session: Any, by: list[str]) -> None:
    frame = people()
    pandas_engine, spark_engine = PandasEngine({"p": frame}), SparkEngine({"p": frame})
    where = parse_expression("not (weeks < 3)")  # keeps missing weeks, as pandas does
    for raw in KINDS:
        spec = indicator(**raw, by=by)
        needed = columns_needed(spec, list(frame.columns))
        codes_p, groups_p = pandas_engine.groups("p", where, by)
        codes_s, groups_s = spark_engine.groups("p", where, by)
        assert codes_s.tolist() == codes_p.tolist(), raw
        pd.testing.assert_frame_equal(groups_s, groups_p)
        pandas_engine.rows("p", needed, where)
        expected = pandas_engine.grouped_statistics("p", where, spec, needed)
        got = spark_engine.grouped_statistics("p", where, spec, needed)
        assert set(got) == set(expected), raw
        for key in expected:
            assert same(got[key], expected[key]), (raw, key, got[key], expected[key])


PLANNED = [
    {"median": "income"},
    {"median": "x"},
    {"median": "weeks"},
    {"share": "score", "values": [4, 5]},
    {"share": "n"},
    {"share": "code"},
    {"mean": "income"},
]


def test_planned_medians_and_shares_share_their_jobs(session: Any, monkeypatch: Any) -> None:
    """Three medians and three shares (two integer columns, one text) planned on one `by`:
    the pandas answers, from 4 Spark jobs (one aggregation, one ranking for the medians, one
    count per category type) instead of 7 (one ranking and one count per indicator)."""
    jobs = []

    def counted(self: Any) -> Any:
        jobs.append(1)
        return to_pandas(self)

    frame = people()
    pandas_engine, spark_engine = PandasEngine({"p": frame}), SparkEngine({"p": frame})
    where = parse_expression("not (weeks < 3)")
    specs = [indicator(**raw, by=["code"], where=where.text) for raw in PLANNED]
    spark_engine.plan_indicators([PlannedIndicator("p", spec, where) for spec in specs])
    data_frame = type(spark_engine._table("p")[0])  # pyspark 4: the classic DataFrame class
    to_pandas = data_frame.toPandas
    monkeypatch.setattr(data_frame, "toPandas", counted)
    for spec in specs:
        needed = columns_needed(spec, list(frame.columns))
        pandas_engine.rows("p", needed, where)
        expected = pandas_engine.grouped_statistics("p", where, spec, needed)
        got = spark_engine.grouped_statistics("p", where, spec, needed)
        for key in expected:
            assert same(got[key], expected[key]), (spec.kind, key, got[key], expected[key])
    assert len(jobs) == 4


def test_group_order_follows_pandas_types(session: Any) -> None:
    """Categories in their declared order (c, a, b), text by code point, missing last."""
    engine = SparkEngine({"p": people()})
    _, groups = engine.groups("p", None, ["code"])
    assert groups["code"].tolist()[:3] == ["c", "a", "b"]
    _, groups = engine.groups("p", None, ["site"])
    assert groups["site"].tolist() == ["Nord", "Sud", "est", "Étang", "(manquant)"]
    codes, groups = engine.groups("p", None, ["day"])  # dates: held as nanoseconds in Spark
    expected_codes, expected = PandasEngine({"p": people()}).groups("p", None, ["day"])
    pd.testing.assert_frame_equal(groups, expected)
    assert codes.tolist() == expected_codes.tolist()


def test_scaled_sums_of_squares_as_pandas(session: Any) -> None:
    """Values near 1e300: pandas divides by a power of two before squaring; so does Spark."""
    frame = pd.DataFrame({"v": [1e300, 3e300, np.nan, 2e300], "g": ["a", "b", "a", "a"]})
    spec = indicator(mean="v", by=["g"])
    expected = PandasEngine({"p": frame}).grouped_statistics("p", None, spec, ["v", "g"])
    got = SparkEngine({"p": frame}).grouped_statistics("p", None, spec, ["v", "g"])
    assert expected["scale"] == got["scale"] == 2.0**997
    for key in ("n", "sum", "sumsq"):
        assert same(got[key], expected[key])


def test_a_text_column_as_a_proportion_is_refused_as_in_pandas(session: Any) -> None:
    from evalsoc.sections.indicators.compute import IndicatorError

    engine = SparkEngine({"p": people(30)})
    with pytest.raises(IndicatorError, match="column 'site' is not boolean"):
        engine.grouped_statistics("p", None, indicator(proportion="site"), ["site"])
    with pytest.raises(IndicatorError, match="column 'site' is not numeric"):
        engine.grouped_statistics("p", None, indicator(mean="site"), ["site"])


# --- the session and the command line -------------------------------------------------------


def test_missing_java_is_a_usage_error_naming_the_package(monkeypatch: Any) -> None:
    from evalsoc.engines.spark_session import check_java
    from evalsoc.errors import FrameworkError

    monkeypatch.setenv("JAVA_HOME", "/nonexistent-java")
    monkeypatch.delenv("SPARK_REMOTE", raising=False)
    with pytest.raises(FrameworkError, match="default-jre-headless") as error:
        SparkEngine({})
    assert error.value.exit_code == 2
    check_java("sc://spark.example:15002")  # Spark Connect: no local Java needed
    monkeypatch.setenv("SPARK_REMOTE", "sc://spark.example:15002")
    check_java(None)


def test_memory_settings_read_as_jvm_sizes() -> None:
    from evalsoc.engines.spark_session import _jvm_size

    assert [_jvm_size(t) for t in ("8GB", "512 MiB", "1.5GB", "1TB")] == [
        "8192m",
        "512m",
        "1536m",
        "1048576m",
    ]


def test_centre_social_on_spark_equals_pandas(session: Any, tmp_path: Path) -> None:
    """The shipped framework end to end: results.json equal within 1e-9 relative."""
    framework = ROOT / "frameworks" / "centre-social.yaml"
    expected = run_engine(framework, "pandas", tmp_path / "pandas")
    got = run_engine(framework, "spark", tmp_path / "spark")
    assert differences(expected, got) == []
    assert len(expected["indicators"]) == 6  # the run computed something to compare


@pytest.mark.slow
def test_chantier_insertion_on_spark_equals_pandas(session: Any, tmp_path: Path) -> None:
    """The demo: by-groups, a median, capabilities, effects, SROI; results equal."""
    framework = ROOT / "frameworks" / "chantier-insertion.yaml"
    expected = run_engine(framework, "pandas", tmp_path / "pandas")
    got = run_engine(framework, "spark", tmp_path / "spark")
    assert differences(expected, got) == []


def generated_framework(folder: Path, rows: int = 400, seed: int = 3) -> Path:
    """A seeded participants file with missing values, and 9 indicators over it: by-groups,
    medians, filters that keep missing values, shares, rates."""
    rng = np.random.default_rng(seed)

    def holes(values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[rng.random(rows) < 0.1] = ""
        return out

    pd.DataFrame(
        {
            "id": np.arange(rows),
            "site": holes(rng.choice(["Nord", "Sud", "Étang"], rows)),
            "sexe": rng.choice(["F", "H"], rows),
            "income": holes(rng.lognormal(7, 0.5, rows).round(2)),
            "weeks": holes(rng.integers(1, 30, rows)),
            "score": holes(rng.integers(1, 6, rows)),
            "employed": holes(rng.choice(["oui", "non"], rows)),
        }
    ).to_csv(folder / "people.csv", index=False, sep=";")
    indicators = [
        "{id: m, mean: income, by: [site]}",
        "{id: med, median: income, by: [site, sexe]}",
        "{id: med_all, median: weeks}",
        '{id: p, proportion: employed, by: [sexe], where: "not (weeks > 20)"}',
        "{id: p2, proportion: \"score >= 4 and site != 'Sud'\", by: [site]}",
        "{id: s, share: score, values: [4, 5], by: [sexe]}",
        "{id: r, rate: [income, weeks], by: [site]}",
        "{id: c, count: \"employed == 'oui'\", by: [site]}",
        "{id: t, sum: weeks, by: [sexe]}",
    ]
    text = "\n".join(
        [
            "evalsoc: 1",
            "id: generated",
            "title: generated",
            "privacy: {min_cell: 5}",
            "data:",
            "  people:",
            "    file: people.csv",
            "    key: [id]",
            "    columns:",
            "      id: {type: integer}",
            "      site: {type: category, values: [Sud, Nord, Étang], nullable: true}",
            "      sexe: {type: category, values: [F, H]}",
            "      income: {type: number, min: 0, nullable: true}",
            "      weeks: {type: integer, nullable: true}",
            "      score: {type: likert, levels: 5, nullable: true}",
            "      employed: {type: boolean, nullable: true}",
            "dimensions:",
            "  - id: d1",
            "    criteria:",
            "      - id: c1",
            "        indicators:",
            *[f"          - {item}" for item in indicators],
            "",
        ]
    )
    (folder / "generated.yaml").write_text(text, encoding="utf-8")
    return folder / "generated.yaml"


def test_a_generated_framework_with_groups_and_medians(session: Any, tmp_path: Path) -> None:
    framework = generated_framework(tmp_path)
    expected = run_engine(framework, "pandas", tmp_path / "pandas")
    got = run_engine(framework, "spark", tmp_path / "spark")
    assert differences(expected, got) == []
    medians = expected["indicators"]["med"]["by"]
    assert len(medians) >= 6 and all(cell["group"] for cell in medians)  # groups to compare
