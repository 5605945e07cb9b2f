"""An effect collects only the columns it reads (sections/effects/columns.py), on every engine.

A spy on the DuckDB engine's `rows` proves a DiD asks for its three columns and nothing else
(before round 8 it asked for every column of the source: `columns=None`); the DuckDB run's
effects equal the pandas run's; a column the source lacks is refused with the message (and
near names) the whole source gave; and every design's test framework (tests/data/effects)
gives pandas' results on DuckDB while never collecting a whole source for an effect.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.conftest import ROOT
from tests.engines.results_diff import differences

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.columns import effect_columns
from evalsoc.sections.effects.compute import prepare_frame
from evalsoc.sections.effects.config import EffectSpec

pytest.importorskip("duckdb")

COLUMNS = ["person_id", "wave", "grp", "site", "age", "employed", "income", "note", "x1", "x2"]


def _spec(**fields: Any) -> EffectSpec:
    return EffectSpec.model_validate({"id": "e", "data": "d", **fields})


def test_the_columns_of_each_kind_of_key() -> None:
    did = _spec(
        design="did",
        outcome="income",
        treatment="grp == 'programme'",
        post="wave",
        unit="person_id",
        cluster="site",
    )
    assert effect_columns(did, COLUMNS) == ["income", "person_id", "site", "grp", "wave"]
    regression = _spec(design="regression", formula="income ~ x1 + np.log(age)", term="x1")
    assert effect_columns(regression, COLUMNS) == ["income", "x1", "age"]
    iv = _spec(
        design="iv", outcome="income", instruments=["x2"], endogenous="x1", covariates=["age"]
    )
    assert effect_columns(iv, COLUMNS) == ["income", "age", "x2", "x1"]
    # a capability score and an unknown column are not the source's: not collected
    capability = _spec(design="difference", outcome="capability.c.score", treatment="agee > 3")
    assert effect_columns(capability, COLUMNS) == []


def _people(rows: int = 400, seed: int = 8) -> pd.DataFrame:
    rng = random.Random(seed)
    persons = rows // 2
    records = []
    for p in range(persons):
        group = "programme" if p % 2 else "comparaison"
        site = f"s{p % 7}"
        for wave in (0, 1):
            income = 1000 + 50 * wave + (120 if group == "programme" and wave else 0)
            records.append(
                {
                    "person_id": f"p{p:04d}",
                    "wave": wave,
                    "grp": group,
                    "site": site,
                    "age": 20 + p % 40,
                    "employed": rng.random() < 0.4 + 0.1 * wave,
                    "income": round(income + rng.gauss(0, 80), 2),
                    "note": f"texte libre {rng.random():.6f}",
                    "x1": round(rng.random(), 3),
                    "x2": round(rng.random(), 3),
                }
            )
    return pd.DataFrame.from_records(records)


def test_a_missing_column_is_refused_as_on_the_whole_source() -> None:
    frame = _people(40)
    spec = _spec(
        design="did",
        outcome="income",
        treatment="grp == 'programme'",
        post="wave",
        covariates=["agee"],
    )
    with pytest.raises(NotEstimable) as whole:
        prepare_frame(frame, spec)
    collected = frame[effect_columns(spec, COLUMNS)]
    assert "age" not in collected.columns  # the near name is not among the collected columns
    with pytest.raises(NotEstimable) as part:
        prepare_frame(collected, spec, None, COLUMNS)
    assert part.value.reason == whole.value.reason
    assert "'age'" in whole.value.reason["en"]  # "did you mean 'age'?"
    condition = spec.model_copy(update={"covariates": [], "treatment": "grpe == 'programme'"})
    with pytest.raises(NotEstimable) as whole:
        prepare_frame(frame, condition)
    with pytest.raises(NotEstimable) as part:
        prepare_frame(frame[effect_columns(condition, COLUMNS)], condition, None, COLUMNS)
    assert part.value.reason == whole.value.reason and "'grp'" in whole.value.reason["en"]


FRAMEWORK = """evalsoc: 1
id: effect-columns
title: {fr: "Colonnes d'un effet", en: "An effect's columns"}
language: fr
privacy: {min_cell: 5}
data:
  people:
    file: people.csv
    columns:
      person_id: {type: string}
      wave: {type: integer, values: [0, 1]}
      grp: {type: category, values: [programme, comparaison]}
      site: {type: string}
      age: {type: integer}
      employed: {type: boolean}
      income: {type: number}
      note: {type: string}
      x1: {type: number}
      x2: {type: number}
effects:
  - id: did_income
    design: did
    data: people
    outcome: income
    treatment: "grp == 'programme'"
    post: "wave == 1"
    where: "age >= 25"
    se: robust
    covariates: [x1]
    unit: person_id  # units: the rows are collected (without, the DuckDB engine answers the DiD
    # from cell sums or moments, no row collected: tests/engines/test_duckdb_cells.py and
    # test_duckdb_moments.py)
"""


def _spied_run(framework: Path, engine: str, out: Path, monkeypatch: Any) -> tuple[dict, list]:
    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.pipeline import run_framework

    asked: list[Any] = []
    rows = DuckDBEngine.rows

    def spy(self: DuckDBEngine, source: str, columns: Any, where: Any) -> Any:
        asked.append((source, None if columns is None else list(columns)))
        return rows(self, source, columns, where)

    with monkeypatch.context() as patch:
        patch.setattr(DuckDBEngine, "rows", spy)
        results = run_framework(framework, out_dir=out, engine=engine, formats=("json",))
    return json.loads(json.dumps(results.data, default=str)), asked


def test_a_did_on_duckdb_collects_only_its_columns(tmp_path: Path, monkeypatch: Any) -> None:
    folder = tmp_path / "framework"
    folder.mkdir()
    _people().to_csv(folder / "people.csv", index=False)
    (folder / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    duck, asked = _spied_run(folder / "framework.yaml", "duckdb", tmp_path / "duckdb", monkeypatch)
    assert asked == [("people", ["income", "person_id", "x1", "grp", "wave"])]  # 5 of 10, once
    from evalsoc.engines.duckdb_table import DuckDBTable
    from evalsoc.pipeline import run_framework

    seen: list[tuple[Any, Any]] = []
    to_pandas = DuckDBTable.to_pandas

    def table_spy(self: DuckDBTable, columns: Any = None, *args: Any, **kw: Any) -> Any:
        seen.append((columns, kw.get("limit")))
        return to_pandas(self, columns, *args, **kw)

    with monkeypatch.context() as patch:  # the source stayed in DuckDB: only 5 columns left it
        patch.setattr(DuckDBTable, "to_pandas", table_spy)
        run_framework(
            folder / "framework.yaml",
            out_dir=tmp_path / "again",
            engine="duckdb",
            formats=("json",),
        )
    assert (["income", "person_id", "x1", "grp", "wave"], None) in seen
    assert all(columns is not None for columns, limit in seen if limit is None)
    panda = run_framework(
        folder / "framework.yaml", out_dir=tmp_path / "pandas", engine="pandas", formats=("json",)
    )
    reference = json.loads(json.dumps(panda.data, default=str))
    assert not differences(reference["effects"], duck["effects"])
    effect = duck["effects"]["did_income"]
    assert (
        effect["estimable"] and effect["n"] == 350
    )  # 400 rows less ages 20-24: 5 in 40 persons × 2 waves
    assert abs(effect["estimate"] - 120) < 3 * effect["se"]  # the simulated effect


EFFECT_FRAMEWORKS = [  # every design's test framework (incomes.yaml has indicators only)
    path
    for path in sorted((ROOT / "tests" / "data" / "effects").glob("*.yaml"))
    if "\neffects:" in path.read_text(encoding="utf-8")
]


@pytest.mark.slow
@pytest.mark.parametrize("framework", EFFECT_FRAMEWORKS, ids=lambda p: p.stem)
def test_every_design_gets_its_columns_on_duckdb(
    framework: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Each design's test framework: DuckDB's effects equal pandas', and no effect asked the
    engine for every column (`None`)."""
    from evalsoc.pipeline import run_framework

    duck, asked = _spied_run(framework, "duckdb", tmp_path / "duckdb", monkeypatch)
    assert asked and all(columns is not None for _, columns in asked)
    panda = run_framework(
        framework, out_dir=tmp_path / "pandas", engine="pandas", formats=("json",)
    )
    reference = json.loads(json.dumps(panda.data, default=str))
    assert not differences(reference["effects"], duck["effects"])
    assert any(r.get("estimable") for r in duck["effects"].values())
