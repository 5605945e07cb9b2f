"""Capability sets on Spark scored row-wise by Spark and grouped into cells there: the pandas
figures (byte for byte without weights, within 1e-9 relative with them), the same fallbacks
as DuckDB with their coded reasons, and no row collected to the driver.

Whole runs cost a JVM's many small jobs (minutes on a loaded 2-core machine): marked slow.
The hand-worked cells below run on the module's local[1] session in a few seconds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

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

from tests.conftest import ROOT  # noqa: E402
from tests.engines.capability_frameworks import (  # noqa: E402
    SETS,
    WEIGHTED,
    write_capability_framework,
)
from tests.engines.results_diff import differences  # noqa: E402
from tests.engines.test_engine_equality import _run  # noqa: E402

from evalsoc.engines.duckdb_sql import NotCompiled  # noqa: E402
from evalsoc.engines.spark import SparkEngine  # noqa: E402
from evalsoc.engines.spark_capabilities import (  # noqa: E402
    BeyondDecimal,
    reliability_cells,
    scored_cells,
)
from evalsoc.sections.capabilities.config import CapabilitySpec  # noqa: E402

# The `likert` set reads its items (q1-q5, employed), unit, `where`, `by`, time and parity
# columns; never the source's w, stratum or psu (effects-cols, round 8).
COLLECTED_COLUMNS = ["employed", "grp", "person_id", "q1", "q2", "q3", "q4", "q5", "site", "wave"]


@pytest.fixture(scope="module")
def session() -> Any:
    from evalsoc.engines.spark_session import spark_session

    return spark_session(master="local[1]")


def _without_engine(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_engine(v) for k, v in node.items() if k != "engine"}
    if isinstance(node, list):
        return [_without_engine(v) for v in node]
    return node


# --- hand-worked cells ------------------------------------------------------------------------


def _people() -> pd.DataFrame:
    """12 persons: ten weighing 0.1 scored (2 + 3) / 2 = 2.5 < 3 (deprived), one scored
    (4 + 5) / 2 = 4.5 (not), one with a missing item; PSU ids b, a, Z and a missing one."""
    return pd.DataFrame(
        {
            "q1": pd.array([2] * 10 + [4, pd.NA], dtype="Int64"),
            "q2": pd.array([3] * 10 + [5, 1], dtype="Int64"),
            "w": [0.1] * 10 + [2.5, 1.0],
            "psu": pd.array(["b"] * 10 + ["a", "Z"], dtype="string"),
            "site": pd.Categorical(["nord"] * 11 + [None], categories=["sud", "nord"]),
        }
    )


def _spec(**extra: Any) -> CapabilitySpec:
    return CapabilitySpec.model_validate(
        {
            "id": "t",
            "data": "people",
            "dimensions": [{"id": "a", "items": ["q1", "q2"], "cutoff": 3}],
            **extra,
        }
    )


def test_cells_of_a_hand_worked_frame(session: Any) -> None:
    """Scores, flags and persons per cell; ten weights of 0.1 sum to exactly 1.0 (math.fsum's
    correctly rounded sum; Python's left-to-right sum gives 0.9999999999999999)."""
    engine = SparkEngine({"people": _people()})
    spec = _spec(weight="w", by=["site"])
    cells = scored_cells(engine, "people", None, spec, {}, ["site"], keep_scores=True)
    cells = cells.sort_values("n_persons", ascending=False).reset_index(drop=True)
    assert cells["n_persons"].tolist() == [10, 1, 1]
    assert cells["d0"].tolist() == [True, False, False]
    assert cells["m0"].tolist() == [False, False, True]
    assert cells["s0"].tolist()[:2] == [2.5, 4.5] and math.isnan(cells["s0"][2])
    assert cells["site"].tolist()[:2] == ["nord", "nord"] and pd.isna(cells["site"][2])
    assert sum([0.1] * 10) == 0.9999999999999999 and math.fsum([0.1] * 10) == 1.0
    assert cells["weight_sum"].tolist() == [1.0, 2.5, 1.0]
    assert cells["weight_sq_sum"].tolist() == [math.fsum([0.1 * 0.1] * 10), 6.25, 1.0]


def test_text_ids_come_as_ranks_of_their_texts(session: Any) -> None:
    """As scoring._label_codes orders them: "(missing)" < "Z" < "a" < "b" (code points)."""
    frame = _people()
    frame["psu"] = pd.array([None] + ["b"] * 8 + ["a", "Z", "a"], dtype="string")
    engine = SparkEngine({"people": frame})
    spec = _spec(cluster="psu")
    cells = scored_cells(
        engine, "people", None, spec, {}, ["psu"], keep_scores=False, ranked=["psu"]
    )
    persons = cells.groupby("psu")["n_persons"].sum().to_dict()
    assert persons == {1: 1, 2: 1, 3: 2, 4: 8}  # (missing), Z, a, b
    assert not cells.loc[cells["psu"] == 1, "design_ok"].any()  # a missing PSU: dropped


def test_reliability_cells_count_distinct_answers(session: Any) -> None:
    engine = SparkEngine({"people": _people()})
    spec = _spec()
    answers = reliability_cells(engine, "people", None, spec, {}, [0])
    answers = answers.sort_values("n_persons", ascending=False).reset_index(drop=True)
    assert answers["n_persons"].tolist() == [10, 1, 1]
    assert answers[["x0_0", "x0_1"]].iloc[0].tolist() == [2.0, 3.0]
    assert answers["_keep"].tolist() == [True, True, False]  # missing: drop


def test_a_weight_beyond_decimal_is_not_compiled(session: Any) -> None:
    frame = _people()
    frame.loc[0, "w"] = 1e25  # beyond DECIMAL(38, 18): the rows are collected instead
    engine = SparkEngine({"people": frame})
    with pytest.raises(BeyondDecimal):
        scored_cells(engine, "people", None, _spec(weight="w"), {}, [], keep_scores=True)


def test_an_untyped_key_is_not_compiled(session: Any) -> None:
    """An object column of numbers is read by its values on pandas: Spark refuses, as DuckDB."""
    frame = _people()
    frame["site"] = pd.Series([1, 2.5] * 6, dtype=object)
    assert frame["site"].dtype == object
    engine = SparkEngine({"people": frame})
    with pytest.raises(NotCompiled):
        scored_cells(engine, "people", None, _spec(by=["site"]), {}, ["site"], keep_scores=True)


# --- whole runs against pandas --------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(session: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("capabilities")
    framework = write_capability_framework(folder / "framework", seed=7)
    return _run(framework, "pandas", folder / "pandas"), _run(framework, "spark", folder / "spark")


@pytest.mark.slow
def test_every_set_gives_the_pandas_figures(runs: tuple[dict, dict]) -> None:
    """Bit for bit without sampling weights; with weights within 1e-9 relative (the DECIMAL
    sums are exact, numpy's per-cell sums are not)."""
    pandas, spark = runs
    assert set(pandas["capabilities"]) == set(SETS)
    for set_id in SETS:
        actual = _without_engine(spark["capabilities"][set_id])
        expected = pandas["capabilities"][set_id]
        if set_id in WEIGHTED:
            assert differences(expected, actual) == [], set_id
        else:
            assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert pandas["warnings"] == spark["warnings"]
    assert pandas["privacy"] == spark["privacy"]


@pytest.mark.slow
def test_each_set_says_where_it_was_computed(runs: tuple[dict, dict]) -> None:
    """The DuckDB path's verdicts, set by set (tests/engines/capability_frameworks.SETS)."""
    pandas, spark = runs
    for set_id, expected in SETS.items():
        assert "engine" not in pandas["capabilities"][set_id]
        result = spark["capabilities"][set_id]
        if not result["estimable"]:
            assert set_id == "error"
            assert result["reason"] == pandas["capabilities"][set_id]["reason"]
            continue
        note = result["engine"]
        assert note["name"] == "spark"
        assert note["rows_in_engine"] is (expected is True), set_id
        if expected is not True:
            assert note["reason"]["code"] == expected
            assert note["reason"]["fr"] and note["reason"]["en"]


@pytest.mark.slow
def test_the_sets_are_not_vacuous(runs: tuple[dict, dict]) -> None:
    sets = runs[1]["capabilities"]
    likert, weighted = sets["likert"], sets["weighted"]
    assert any(r["n_tied"] > 0 for r in likert["results"])
    assert likert["n_missing_dropped"] > 0 and likert["change"]["pairing"] == "persons"
    assert weighted["n_missing_imputed"] > 0 and weighted["n_design_dropped"] > 0
    assert weighted["design"]["n_psu"] == 51 and weighted["design"]["n_strata"] == 3
    assert sets["error"]["reason"]["code"] == "missing_items_refused"
    assert sets["all"]["results"][0]["H"] == 1.0 and sets["none"]["results"][0]["H"] == 0.0
    assert sets["cardinal_weighted"]["results"][0]["M2"] > 0


@pytest.mark.slow
def test_the_engine_path_collects_no_row(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A set scored in Spark never asks the engine for rows nor reads its pandas frame's
    values; a set that keeps the collect does."""
    asked: list[Any] = []
    rows = SparkEngine.rows

    def spy(self: SparkEngine, source: str, columns: Any, where: Any) -> Any:
        asked.append(columns)
        return rows(self, source, columns, where)

    monkeypatch.setattr(SparkEngine, "rows", spy)
    framework = write_capability_framework(tmp_path / "framework", seed=3)
    text = framework.read_text(encoding="utf-8")
    kept = text[: text.index("  - id: weighted")]  # the `likert` set only: in the engine
    framework.write_text(kept, encoding="utf-8")
    document = _run(framework, "spark", tmp_path / "in-engine")
    assert document["capabilities"]["likert"]["engine"]["rows_in_engine"] is True
    assert asked == []
    collected = kept.replace("    likert_levels: 5\n", "").replace(
        "items: [q4, q5], combine: sum", "items: [q4, q5], reverse: [q5], combine: sum"
    )
    framework.write_text(collected, encoding="utf-8")
    document = _run(framework, "spark", tmp_path / "collected")
    note = document["capabilities"]["likert"]["engine"]
    assert note["rows_in_engine"] is False
    assert note["reason"]["code"] == "capability_rows_collected_sql"
    # one collect, of the set's own columns only (round 8: never the whole source)
    assert len(asked) == 1 and asked[0] is not None
    assert sorted(asked[0]) == COLLECTED_COLUMNS


@pytest.mark.slow
@pytest.mark.parametrize(
    "framework",
    [
        ROOT / "frameworks" / "chantier-insertion.yaml",
        ROOT / "tests" / "data" / "capability" / "mpi_syn_cdta.yaml",
    ],
    ids=["demo", "mpi_syn_cdta"],
)
def test_shipped_sets_give_the_pandas_figures(
    session: Any, framework: Path, tmp_path: Path
) -> None:
    """The demo's two sets (the second feeds a DiD effect: collected, said) and the synthetic
    MPI sets, against the pandas engine."""
    pandas = _run(framework, "pandas", tmp_path / "pandas")
    spark = _run(framework, "spark", tmp_path / "spark")
    in_engine = 0
    for set_id, expected in pandas["capabilities"].items():
        result = spark["capabilities"][set_id]
        assert differences(expected, _without_engine(result)) == [], set_id
        if result.get("engine"):
            in_engine += result["engine"]["rows_in_engine"]
    assert in_engine >= 1
    if framework.name == "chantier-insertion.yaml":
        sets = spark["capabilities"]
        assert sets["pouvoir_agir"]["engine"]["rows_in_engine"] is True
        tous = sets["pouvoir_agir_tous"]["engine"]
        assert tous["rows_in_engine"] is False
        assert tous["reason"]["code"] == "capability_rows_collected_effect"
