"""Capability sets on DuckDB scored row-wise in SQL and grouped into cells there: the same
results.json as pandas, byte for byte on the sets' figures, and no row collected to memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT
from tests.engines.capability_frameworks import SETS, WEIGHTED, write_capability_framework
from tests.engines.results_diff import differences
from tests.engines.test_engine_equality import _run, assert_same_run

pytest.importorskip("duckdb")


def _without_engine(node: Any) -> Any:
    """The figures of a set, without the note on how the engine computed it."""
    if isinstance(node, dict):
        return {k: _without_engine(v) for k, v in node.items() if k != "engine"}
    if isinstance(node, list):
        return [_without_engine(v) for v in node]
    return node


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    folder = tmp_path_factory.mktemp("capabilities")
    framework = write_capability_framework(folder / "framework", seed=7)
    pandas = _run(framework, "pandas", folder / "pandas")
    duckdb = _run(framework, "duckdb", folder / "duckdb")
    return pandas, duckdb, framework


def test_every_set_gives_the_pandas_figures(runs: tuple[dict, dict, Path]) -> None:
    """Bit for bit without sampling weights (counts are integers, gaps and reliability summed
    from exact integer moments); with weights, within the documented 1e-9 relative."""
    pandas, duckdb, _ = runs
    assert set(pandas["capabilities"]) == set(SETS)
    for set_id in SETS:
        actual = _without_engine(duckdb["capabilities"][set_id])
        expected = pandas["capabilities"][set_id]
        if set_id in WEIGHTED:
            assert differences(expected, actual) == [], set_id
        else:
            assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert pandas["warnings"] == duckdb["warnings"]


def test_the_whole_run_is_the_same(runs: tuple[dict, dict, Path], tmp_path: Path) -> None:
    """The equality sweep's own check (suppressions, quarantine files, 1e-9 tolerance)."""
    assert_same_run(runs[2], "duckdb", tmp_path)


def test_each_set_says_where_it_was_computed(runs: tuple[dict, dict, Path]) -> None:
    pandas, duckdb, _ = runs
    for set_id, expected in SETS.items():
        assert "engine" not in pandas["capabilities"][set_id]  # pandas results unchanged
        result = duckdb["capabilities"][set_id]
        if not result["estimable"]:
            assert set_id == "error"
            continue
        note = result["engine"]
        assert note["name"] == "duckdb"
        assert note["rows_in_engine"] is (expected is True), set_id
        if expected is not True:
            assert note["reason"]["code"] == expected
            assert note["reason"]["fr"] and note["reason"]["en"]


def test_the_sets_are_not_vacuous(runs: tuple[dict, dict, Path]) -> None:
    """Ties at k, persons dropped and imputed, pairing by person, clusters, all and none
    deprived: the cases the equality above is meant to cover do occur."""
    sets = runs[1]["capabilities"]
    likert, weighted = sets["likert"], sets["weighted"]
    assert any(r["n_tied"] > 0 for r in likert["results"])
    assert likert["n_missing_dropped"] > 0
    assert likert["change"]["pairing"] == "persons"
    assert likert["dimensions"]["confiance"]["omega"] is not None
    assert likert["empowerment"]["parity"]["ratio"] is not None
    assert weighted["n_missing_imputed"] > 0 and weighted["n_design_dropped"] > 0
    # 17 PSU labels within each of 3 strata: a PSU is (stratum, psu), as R survey nests them
    assert weighted["design"]["n_psu"] == 51 and weighted["design"]["n_strata"] == 3
    assert sets["error"]["reason"]["code"] == "missing_items_refused"
    assert sets["boot"]["design"]["se"] == "bootstrap"
    assert sets["all"]["results"][0]["H"] == 1.0 and sets["all"]["results"][0]["M1"] > 0
    weighted_gaps = sets["cardinal_weighted"]
    assert weighted_gaps["cardinal"] is True and weighted_gaps["results"][0]["M2"] > 0
    assert sets["none"]["results"][0]["H"] == 0.0


def test_the_engine_path_collects_no_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A set scored in DuckDB never asks the engine for its rows (the collect that bounds
    memory at 10^8 rows); a set that keeps the collect does."""
    from evalsoc.engines.duckdb import DuckDBEngine

    asked: list[Any] = []
    rows = DuckDBEngine.rows

    def spy(self: DuckDBEngine, source: str, columns: Any, where: Any) -> Any:
        asked.append(columns)
        return rows(self, source, columns, where)

    monkeypatch.setattr(DuckDBEngine, "rows", spy)
    framework = write_capability_framework(tmp_path / "framework", seed=3)
    text = framework.read_text(encoding="utf-8")
    kept = text[: text.index("  - id: weighted")]  # the `likert` set only: in the engine
    framework.write_text(kept, encoding="utf-8")
    document = _run(framework, "duckdb", tmp_path / "in-engine")
    assert document["capabilities"]["likert"]["engine"]["rows_in_engine"] is True
    assert asked == []
    # q5 has no declared scale: reversed over its observed range, which SQL does not compute
    collected = kept.replace("    likert_levels: 5\n", "").replace(
        "items: [q4, q5], combine: sum", "items: [q4, q5], reverse: [q5], combine: sum"
    )
    framework.write_text(collected, encoding="utf-8")
    document = _run(framework, "duckdb", tmp_path / "collected")
    assert document["capabilities"]["likert"]["engine"]["rows_in_engine"] is False
    # only the set's columns of the selected rows (not the source's w, stratum and psu),
    # in the order `_needed_columns` lists them (round 8)
    assert asked == [["q1", "q2", "q3", "q4", "q5", "employed", "site", "wave", "person_id", "grp"]]


def test_a_set_an_effect_reads_keeps_the_collect(tmp_path: Path) -> None:
    """The demo's second set feeds a DiD effect with each person's score: collected, said."""
    framework = ROOT / "frameworks" / "chantier-insertion.yaml"
    document = _run(framework, "duckdb", tmp_path / "demo")
    sets = document["capabilities"]
    assert sets["pouvoir_agir"]["engine"]["rows_in_engine"] is True
    tous = sets["pouvoir_agir_tous"]["engine"]
    assert tous["rows_in_engine"] is False
    assert tous["reason"]["code"] == "capability_rows_collected_effect"
