"""A DiD with covariates and a fixed effect answered by DuckDB from grouped moments
(engines/duckdb_moments.py, sections/effects/ols_in_engine.py): the pandas engine's results
within 1e-9 relative, no row of the source collected, the collected path where the moments
cannot answer (said in `engine`, with a coded reason).

The data are simulated with a known effect (TRUE_EFFECT) and missing values in the outcome,
covariates, the cluster and a condition's column (rows dropped and counted); sites are treated
by cluster and nested in regions; a cohort has one row (a singleton level).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("duckdb")

from tests.engines.collect_spy import spy_on_collects  # noqa: E402
from tests.engines.results_diff import differences  # noqa: E402
from tests.engines.test_duckdb_cells import _run  # noqa: E402

TRUE_EFFECT = 0.8
DID = 'design: did, data: p, treatment: "group == \'programme\'", post: "wave == 1"'
DIFF = "design: difference, data: p, outcome: score, treatment: \"group == 'programme'\""

EFFECTS = f"""\
effects:
  - {{id: numeric, {DID}, outcome: score, covariates: [age, income], se: robust}}
  - {{id: categorical, {DID}, outcome: score, covariates: [age, diplome, femme],
     se: classical, where: "not (age < 25)"}}
  - {{id: cluster, {DID}, outcome: score, covariates: [age, diplome], cluster: site}}
  - {{id: fe_cluster, {DID}, outcome: score, covariates: [age], fixed_effects: [region],
     cluster: site}}
  - {{id: fe_nested, {DID}, outcome: score, covariates: [income], fixed_effects: [site],
     cluster: site}}
  - {{id: fe_hc2, {DID}, outcome: score, covariates: [age, femme], fixed_effects: [region],
     se: robust}}
  - {{id: fe_hc3, {DID}, outcome: score, covariates: [diplome], fixed_effects: [region],
     se: hc3}}
  - {{id: fe_hc0, {DID}, outcome: score, fixed_effects: [region], se: hc0}}
  - {{id: fe_hc1, {DID}, outcome: score, covariates: [age], fixed_effects: [cohort], se: hc1}}
  - {{id: fe_classical, {DID}, outcome: score, covariates: [femme], fixed_effects: [cohort],
     se: classical}}
  - {{id: binary, {DID}, outcome: employed, covariates: [age, diplome], cluster: site}}
  - {{id: hc3_no_fe, {DID}, outcome: score, covariates: [age, femme], se: hc3}}
  - {{id: term_absorbed, {DID}, outcome: score, fixed_effects: [arm_wave], se: robust}}
  - {{id: collinear, {DID}, outcome: score, covariates: [age, age_twice], se: robust}}
  - {{id: small_group, {DID}, outcome: score, covariates: [age],
     where: "id < 12 or group == 'comparaison'"}}
  - {{id: fe_two, {DID}, outcome: score, covariates: [age], fixed_effects: [region, cohort],
     se: robust}}
  - {{id: fe_two_nested, {DID}, outcome: score, covariates: [income],
     fixed_effects: [region, site], cluster: site}}
  - {{id: fe_two_hc3, {DID}, outcome: score, fixed_effects: [site, region], se: hc3}}
  - {{id: repeated_covariate, {DID}, outcome: score, covariates: [age, age]}}
  - {{id: lin, {DIFF}, covariates: [age, income, diplome, femme], se: robust}}
  - {{id: lin_cluster_fe, {DIFF}, covariates: [age], fixed_effects: [cohort], cluster: site,
     where: "wave == 1"}}
  - {{id: lin_hc3_fe, {DIFF}, covariates: [income, femme], fixed_effects: [cohort, diplome],
     se: hc3}}
  - {{id: lin_binary, design: difference, data: p, outcome: employed,
     treatment: "group == 'programme'", covariates: [age, diplome], se: classical}}
  - {{id: difference_fe_only, {DIFF}, fixed_effects: [cohort], se: hc1}}
  - {{id: difference_plain, {DIFF}, se: robust}}
  - {{id: unit_alone, {DID}, outcome: score, unit: id}}
  - {{id: three_fixed_effects, {DID}, outcome: score,
     fixed_effects: [region, cohort, diplome]}}
  - {{id: many_levels, {DID}, outcome: score, covariates: [commune]}}
  - {{id: near_absorbed, {DID}, outcome: score, covariates: [site_size], fixed_effects: [site],
     cluster: site}}
  - {{id: cr2, {DID}, outcome: score, covariates: [age], cluster: site, small_sample: cr2}}
"""
IN_ENGINE = [
    "numeric", "categorical", "cluster", "fe_cluster", "fe_nested", "fe_hc2", "fe_hc3",
    "fe_hc0", "fe_hc1", "fe_classical", "binary", "hc3_no_fe", "fe_two", "fe_two_nested",
    "fe_two_hc3", "lin", "lin_cluster_fe", "lin_hc3_fe", "lin_binary", "difference_fe_only",
]  # fmt: skip
COLLECTED = {
    "three_fixed_effects": "effect_rows_collected_fixed_effects",
    "many_levels": "effect_rows_collected_groups",
    "near_absorbed": "effect_rows_collected_absorbed",
    "cr2": "effect_rows_collected_options",
    "difference_plain": "effect_rows_collected_design",
}


def _write(folder: Path, rows: int = 4000, seed: int = 5) -> Path:
    """A participants file and its framework (see the module docstring)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    site = rng.integers(0, 24, rows)
    programme = site % 2 == 1
    wave = rng.integers(0, 2, rows)
    age = rng.integers(18, 66, rows).astype(float)
    income = np.round(1500 + 300 * rng.standard_normal(rows) + 8 * age, 2)
    diplome = rng.choice(["aucun", "bac", "licence"], rows)
    femme = rng.random(rows) < 0.5
    cohort = rng.integers(0, 5, rows)
    cohort[7] = 9  # one row in cohort c9: a singleton level
    score = 10 + 1.5 * programme + 0.7 * wave + TRUE_EFFECT * programme * wave + 0.02 * age
    score = score + 0.001 * income + 0.5 * (diplome == "licence") - 0.3 * femme + 0.2 * cohort
    score = score + rng.normal(0, 0.6, 24)[site] + rng.normal(0, 2 + programme, rows)
    employed = rng.random(rows) < 0.3 + 0.1 * programme * wave + 0.002 * age
    frame = pd.DataFrame(
        {
            "id": np.arange(rows),
            "site": [f"s{s:02d}" for s in site],
            "region": [f"r{s % 6}" for s in site],
            "site_size": (site * 10 + 100).astype(float),
            "group": np.where(programme, "programme", "comparaison"),
            "wave": wave,
            "arm_wave": [f"{int(p)}-{w}" for p, w in zip(programme, wave)],
            "age": age,
            "age_twice": 2 * age,
            "income": income,
            "diplome": diplome,
            "femme": np.where(femme, "oui", "non"),
            "cohort": [f"c{c}" for c in cohort],
            "commune": [f"m{c:03d}" for c in rng.integers(0, 150, rows)],
            "score": np.round(score, 3),
            "employed": np.where(employed, "oui", "non"),
        }
    )
    frame.loc[rng.random(rows) < 0.03, "score"] = np.nan
    frame.loc[rng.random(rows) < 0.02, "age"] = np.nan
    frame.loc[rng.random(rows) < 0.02, "diplome"] = None
    frame.loc[rng.random(rows) < 0.02, "femme"] = None
    frame.loc[rng.random(rows) < 0.01, "site"] = None
    frame.loc[rng.random(rows) < 0.02, "wave"] = None
    frame["wave"] = frame["wave"].astype("Int64")
    frame.to_csv(folder / "p.csv", sep=";", index=False)
    sites = ", ".join(f"s{s:02d}" for s in range(24))
    text = f"""\
evalsoc: 1
id: ols-moments
title: ols moments
privacy: {{min_cell: 10}}
data:
  p:
    file: p.csv
    key: [id]
    columns:
      id: {{type: integer, unique: true}}
      site: {{type: category, values: [{sites}], nullable: true}}
      region: {{type: category, values: [r0, r1, r2, r3, r4, r5]}}
      site_size: {{type: number}}
      group: {{type: category, values: [programme, comparaison]}}
      wave: {{type: integer, values: [0, 1], nullable: true}}
      arm_wave: {{type: text}}
      age: {{type: number, nullable: true}}
      age_twice: {{type: number, nullable: true}}
      income: {{type: number}}
      diplome: {{type: category, values: [aucun, bac, licence], nullable: true}}
      femme: {{type: boolean, nullable: true}}
      cohort: {{type: text}}
      commune: {{type: text}}
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


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("ols-moments")
    framework = _write(folder)
    return _run(framework, "pandas", folder / "pandas"), _run(
        framework, "duckdb", folder / "duckdb"
    )


def test_duckdb_equals_pandas_within_tolerance(runs: tuple[dict, dict]) -> None:
    pandas, duckdb = runs
    assert differences(pandas["effects"], duckdb["effects"]) == []
    assert differences(pandas, duckdb) == []


def test_the_cases_hold_what_they_are_named_for(runs: tuple[dict, dict]) -> None:
    _, duckdb = runs
    effects = duckdb["effects"]
    for name in IN_ENGINE:
        assert effects[name]["estimable"] is True, (name, effects[name].get("reason"))
    assert effects["numeric"]["diagnostics"]["dropped_missing"] > 0
    balance = {
        row["covariate"]: row for row in effects["categorical"]["diagnostics"]["balance_before"]
    }
    assert set(balance) == {"age", "diplome[bac]", "diplome[licence]", "femme"}
    assert effects["cluster"]["n_clusters"] == 24 and effects["cluster"]["df"] == 23
    assert effects["fe_cluster"]["diagnostics"]["fixed_effects"] == {"region": 6}
    assert effects["fe_nested"]["diagnostics"]["absorbed_columns"] == ["treated"]
    assert effects["fe_hc1"]["diagnostics"]["singletons_dropped"] == 1
    assert effects["fe_hc1"]["diagnostics"]["fixed_effects"] == {"cohort": 5}
    assert effects["term_absorbed"]["reason"]["code"] == "term_absorbed"
    assert effects["collinear"]["reason"]["code"] == "collinear_covariates"
    assert effects["repeated_covariate"]["reason"]["code"] == "collinear_covariates"
    # one row per unit: refused with its reason (it was an internal error before round 10)
    assert effects["unit_alone"]["reason"]["code"] == "fixed_effects_all_singletons"
    assert effects["small_group"]["reason"]["code"] == "group_below_min_cell"
    assert effects["binary"]["outcome_type"] == "binary"
    assert effects["fe_two"]["diagnostics"]["fixed_effects"] == {"region": 6, "cohort": 5}
    assert effects["fe_two"]["diagnostics"]["singletons_dropped"] == 1
    # sites nested in regions: a disconnected pair of effects (df 24 = 6 + 24 − 6 components)
    assert effects["fe_two_nested"]["diagnostics"]["absorbed_columns"] == ["treated"]
    assert effects["fe_two_hc3"]["df"] == effects["fe_two_hc3"]["n"] - 24 - 2
    # a difference with covariates: Lin's adjustment, the balance over all rows
    lin = effects["lin"]
    assert lin["design"] == "difference" and lin["method"].startswith("Regression-adjusted")
    assert [g["group"] for g in lin["diagnostics"]["groups"]] == ["treated", "control"]
    assert {row["covariate"] for row in lin["diagnostics"]["balance"]} == {
        "age", "income", "diplome[bac]", "diplome[licence]", "femme"
    }  # fmt: skip
    assert effects["lin_cluster_fe"]["n_clusters"] == 24
    ses = {effects[name]["se"] for name in ("fe_hc2", "fe_hc3", "fe_hc0", "fe_classical")}
    assert len(ses) == 4


def test_the_known_effect_is_found(runs: tuple[dict, dict]) -> None:
    _, duckdb = runs
    for name in ("numeric", "cluster", "fe_cluster", "fe_hc2", "fe_nested"):
        effect = duckdb["effects"][name]
        assert abs(effect["estimate"] - TRUE_EFFECT) < 4 * effect["se"], name


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
        assert note["rows_in_engine"] is False and note["reason"]["code"] == code, name
        assert note["reason"]["fr"] and note["reason"]["en"]
        assert "{" not in note["reason"]["fr"] + note["reason"]["en"]
    assert all("engine" not in effect for effect in pandas["effects"].values())


def test_no_row_of_the_source_is_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spy on every way the DuckDB engine hands rows to Python: none for a DiD with
    covariates and a fixed effect (robust: both scans), one for the same effect with three."""
    framework = _write(tmp_path)
    text = framework.read_text(encoding="utf-8")
    head, _, _ = text.partition("effects:\n")
    lines = EFFECTS.splitlines(True)
    fe_hc2 = next(i for i, line in enumerate(lines) if "id: fe_hc2" in line)
    framework.write_text(head + "effects:\n" + lines[fe_hc2] + lines[fe_hc2 + 1])
    collected = spy_on_collects(monkeypatch)
    spied = _run(framework, "duckdb", tmp_path / "spied")
    assert spied["effects"]["fe_hc2"]["engine"]["rows_in_engine"] is True
    assert [c for c in collected if "score" in c and "'age'" in c] == []
    two = (lines[fe_hc2] + lines[fe_hc2 + 1]).replace("[region]", "[region, cohort, diplome]")
    framework.write_text(head + "effects:\n" + two)
    _run(framework, "duckdb", tmp_path / "spied2")
    assert [c for c in collected if "score" in c and "'age'" in c]


def test_two_fixed_effects_beyond_the_dummy_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """linear.py's rule when HC2's leverages would need too many dummy cells (rows × levels of
    the smaller effect > MAX_DUMMY_CELLS, lowered here to reach it on 4,000 rows): `robust`
    falls back to HC1 with a note, `hc2` is refused; the engine path does the same."""
    from evalsoc.sections.effects import linear

    monkeypatch.setattr(linear, "MAX_DUMMY_CELLS", 1000)
    framework = _write(tmp_path)
    head, _, _ = framework.read_text(encoding="utf-8").partition("effects:\n")
    framework.write_text(
        head + "effects:\n"
        f"  - {{id: robust, {DID}, outcome: score, fixed_effects: [region, cohort], se: robust}}\n"
        f"  - {{id: hc2, {DID}, outcome: score, fixed_effects: [region, cohort], se: hc2}}\n"
    )  # fmt: skip
    pandas = _run(framework, "pandas", tmp_path / "pandas")
    duckdb = _run(framework, "duckdb", tmp_path / "duckdb")
    assert differences(pandas["effects"], duckdb["effects"]) == []
    robust = duckdb["effects"]["robust"]
    assert robust["engine"]["rows_in_engine"] is True
    assert robust["diagnostics"]["notes"] == [linear.HC1_NOTE]
    assert "(HC1)" in robust["method"]
    assert duckdb["effects"]["hc2"]["reason"]["code"] == "leverage_too_many_dummies"
