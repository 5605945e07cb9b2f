"""A 2×2 DiD answered by DuckDB from cell sums (engines/duckdb_cells.py,
sections/effects/did_in_engine.py): the pandas engine's results within 1e-9 relative, no row
of the source collected, the collected path where the sums cannot answer (said in `engine`).

The data are simulated with a known effect (TRUE_EFFECT) and missing values in the outcome,
the cluster and a condition's column, so that the rows dropped (and counted) are checked too.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("duckdb")

from tests.engines.collect_spy import spy_on_collects  # noqa: E402
from tests.engines.results_diff import differences  # noqa: E402

TRUE_EFFECT = 0.8

EFFECTS = """\
effects:
  - {id: robust, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", se: robust}
  - {id: classical, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", se: classical, where: "age >= 30"}
  - {id: hc1, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", se: hc1}
  - {id: cluster, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", cluster: site}
  - {id: robust_with_cluster, design: did, data: p, outcome: score,
     treatment: "group == 'programme'", post: "wave == 1", cluster: site, se: robust}
  - {id: binary, design: did, data: p, outcome: employed, treatment: programme,
     post: "wave == 1", cluster: site}
  - {id: small_cell, design: did, data: p, outcome: employed, treatment: "group == 'programme'",
     post: "wave == 1", where: "age >= 65 or group == 'comparaison'"}
  - {id: small_group, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", where: "id < 12 or group == 'comparaison'"}
  - {id: empty_cell, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", where: "wave == 0 or group == 'comparaison'"}
  - {id: one_treated_cluster, design: did, data: p, outcome: score, treatment: programme,
     post: "wave == 1", cluster: site, where: "site in ['s00', 's01', 's02', 's04']"}
  - {id: hc3, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", se: hc3, where: "not (age < 40)"}
  - {id: numeric_treatment, design: did, data: p, outcome: score, treatment: treated01,
     post: "wave == 1"}
  - {id: cr2, design: did, data: p, outcome: score, treatment: "group == 'programme'",
     post: "wave == 1", covariates: [age], cluster: site, se: cr2}
  - {id: difference, design: difference, data: p, outcome: score,
     treatment: "group == 'programme'"}
"""
IN_ENGINE = ["robust", "classical", "hc1", "hc3", "cluster", "robust_with_cluster", "binary"]
COLLECTED = {"cr2": "effect_rows_collected_options",
             "difference": "effect_rows_collected_design",
             "numeric_treatment": "effect_rows_collected_sql"}  # fmt: skip


def _write(folder: Path, rows: int = 4000, seed: int = 3) -> Path:
    """A participants file (sites treated by cluster, two waves) and its framework."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    site = rng.integers(0, 24, rows)
    programme = site % 2 == 1
    wave = rng.integers(0, 2, rows)
    age = rng.integers(18, 66, rows)
    score = 10 + 1.5 * programme + 0.7 * wave + TRUE_EFFECT * programme * wave
    score = score + rng.normal(0, 0.6, 24)[site] + rng.normal(0, 2, rows)
    employed = rng.random(rows) < 0.3 + 0.1 * programme * wave
    frame = pd.DataFrame(
        {
            "id": np.arange(rows),
            "site": [f"s{s:02d}" for s in site],
            "group": np.where(programme, "programme", "comparaison"),
            "programme": np.where(programme, "oui", "non"),
            "treated01": programme.astype(int),
            "wave": wave,
            "age": age,
            "score": np.round(score, 3),
            "employed": np.where(employed, "oui", "non"),
        }
    )
    frame.loc[rng.random(rows) < 0.03, "score"] = np.nan
    frame.loc[rng.random(rows) < 0.02, "site"] = None
    frame.loc[rng.random(rows) < 0.02, "wave"] = None
    frame["wave"] = frame["wave"].astype("Int64")
    frame.to_csv(folder / "p.csv", sep=";", index=False)
    sites = ", ".join(f"s{s:02d}" for s in range(24))
    text = f"""\
evalsoc: 1
id: did-cells
title: did cells
privacy: {{min_cell: 10}}
data:
  p:
    file: p.csv
    key: [id]
    columns:
      id: {{type: integer, unique: true}}
      site: {{type: category, values: [{sites}], nullable: true}}
      group: {{type: category, values: [programme, comparaison]}}
      programme: {{type: boolean}}
      treated01: {{type: integer, values: [0, 1]}}
      wave: {{type: integer, values: [0, 1], nullable: true}}
      age: {{type: integer, min: 18, max: 70}}
      score: {{type: number, nullable: true}}
      employed: {{type: boolean}}
dimensions:
  - id: d1
    criteria:
      - id: c1
        indicators:
          - {{id: mean_score, mean: score}}
{EFFECTS}"""
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(framework: Path, engine: str, out: Path) -> dict:
    from evalsoc.pipeline import run_framework

    results = run_framework(framework, out_dir=out, engine=engine, formats=("json",))
    document: dict = json.loads(json.dumps(results.data, default=str))
    return document


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("did-cells")
    framework = _write(folder)
    return _run(framework, "pandas", folder / "pandas"), _run(
        framework, "duckdb", folder / "duckdb"
    )


def test_duckdb_equals_pandas_within_tolerance(runs: tuple[dict, dict]) -> None:
    pandas, duckdb = runs
    assert differences(pandas["effects"], duckdb["effects"]) == []
    assert differences(pandas, duckdb) == []
    # non-vacuous: the cases differ from one another and hold what they are named for
    effects = duckdb["effects"]
    assert effects["robust"]["diagnostics"]["dropped_missing"] > 0
    assert effects["classical"]["diagnostics"]["rows"] < effects["robust"]["diagnostics"]["rows"]
    assert effects["cluster"]["n_clusters"] == 24
    assert effects["cluster"]["mde"]["icc"] > 0
    assert effects["robust_with_cluster"]["mde"]["design_effect_applied"] is True
    assert effects["binary"]["outcome_type"] == "binary"
    assert effects["small_cell"]["estimable"] is True
    assert effects["small_cell"]["diagnostics"]["raw_did"] is None
    assert any(c.get("suppressed") for c in effects["small_cell"]["diagnostics"]["cells"])
    assert effects["small_group"]["estimable"] is False
    assert effects["small_group"]["reason"]["code"] == "group_below_min_cell"
    assert effects["empty_cell"]["reason"]["code"] == "did_empty_cell"
    assert effects["one_treated_cluster"]["reason"]["code"] == "one_arm_clusters"
    # a 0/1 number column is read by the collected path: the same effect as from the sums
    assert effects["numeric_treatment"]["estimate"] == pytest.approx(
        effects["robust"]["estimate"], rel=1e-9
    )


def test_the_known_effect_is_found(runs: tuple[dict, dict]) -> None:
    _, duckdb = runs
    for name in ("robust", "classical", "hc1", "cluster"):
        effect = duckdb["effects"][name]
        assert abs(effect["estimate"] - TRUE_EFFECT) < 4 * effect["se"], name
    cluster, robust = duckdb["effects"]["cluster"], duckdb["effects"]["robust"]
    assert cluster["df"] == 23 and robust["df"] == robust["n"] - 4
    assert cluster["se"] != robust["se"]


def test_engine_key_says_which_path_ran(runs: tuple[dict, dict]) -> None:
    pandas, duckdb = runs
    for name in IN_ENGINE:
        assert duckdb["effects"][name]["engine"] == {
            "name": "duckdb",
            "rows_in_engine": True,
            "reason": None,
        }, name
    for name, code in COLLECTED.items():
        note = duckdb["effects"][name]["engine"]
        assert note["rows_in_engine"] is False and note["reason"]["code"] == code
        assert note["reason"]["fr"] and note["reason"]["en"]
    assert all("engine" not in effect for effect in pandas["effects"].values())


def test_no_row_of_the_source_is_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spy on every way the DuckDB engine hands rows to Python: none for a qualifying DiD."""
    framework = _write(tmp_path)
    text = framework.read_text(encoding="utf-8")
    head, _, _ = text.partition("effects:\n")
    framework.write_text(
        head + "effects:\n" + EFFECTS.splitlines(True)[1] + EFFECTS.splitlines(True)[2]
    )
    run = _run(framework, "duckdb", tmp_path / "spied")
    assert run["effects"]["robust"]["engine"]["rows_in_engine"] is True
    collected = spy_on_collects(monkeypatch)
    spied = _run(framework, "duckdb", tmp_path / "spied2")
    effect_reads = [c for c in collected if "score" in c and "'group'" in c]
    assert effect_reads == []
    assert spied["effects"]["robust"]["estimate"] == run["effects"]["robust"]["estimate"]
    # the spy sees a collect: the same effect with CR2 standard errors collects its columns
    framework.write_text(
        head + "effects:\n" + EFFECTS.splitlines(True)[1]
        + EFFECTS.splitlines(True)[2].replace("se: robust}", "se: cr2, cluster: site}")
    )  # fmt: skip
    _run(framework, "duckdb", tmp_path / "spied3")
    assert [c for c in collected if "score" in c and "'group'" in c]
