"""sensemakr's `darfur` example through `evalsoc run` (Cinelli & Hazlett 2020): robustness value
and the bounds of a confounder 1–3 times as strong as `female`."""

from __future__ import annotations

import json

import pytest

pipeline = pytest.importorskip("evalsoc.pipeline")
sensemakr = pytest.importorskip("sensemakr")  # PySensemakr ships the darfur data

FRAMEWORK = """
evalsoc: 1
id: darfur
title: {fr: "Darfour", en: "Darfur"}
language: en
privacy: {min_cell: 5}
data:
  darfur:
    file: darfur.csv
    columns:
      peacefactor: {type: number}
      directlyharmed: {type: integer, values: [0, 1]}
      age: {type: integer}
      farmer_dar: {type: integer, values: [0, 1]}
      herder_dar: {type: integer, values: [0, 1]}
      pastvoted: {type: integer, values: [0, 1]}
      hhsize_darfur: {type: integer}
      female: {type: integer, values: [0, 1]}
      village: {type: text}
effects:
  - id: harmed
    design: regression
    data: darfur
    formula: "peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + village"
    term: directlyharmed
    se: classical
    benchmark_covariates: [female]
"""


@pytest.fixture(scope="module")
def harmed(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("darfur")
    sensemakr.load_darfur().to_csv(folder / "darfur.csv", index=False)
    (folder / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    pipeline.run_framework(str(folder / "f.yaml"), out_dir=folder / "out")
    results = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))
    return results["effects"]["harmed"]


def test_darfur_estimate_and_robustness_values(harmed):
    # sensemakr's published output: estimate 0.09732, SE 0.02326, t 4.18445, df 783,
    # R²(Y~D|X) 2.19%, RV(q=1) 13.88%, RV(q=1, α=0.05) 7.63%.
    assert harmed["estimable"], harmed.get("reason")
    assert harmed["estimate"] == pytest.approx(0.09731582, abs=5e-8)
    assert harmed["se"] == pytest.approx(0.02325654, abs=5e-8)
    robustness = harmed["sensitivity"]["robustness"]
    assert robustness["dof"] == 783
    assert robustness["partial_r2"] == pytest.approx(0.02187309, abs=5e-8)
    assert robustness["robustness_value"] == pytest.approx(0.13877635, abs=5e-8)
    assert robustness["robustness_value_alpha"] == pytest.approx(0.07625797, abs=5e-8)
    assert "13.9% of the residual variance" in harmed["sentence"]["en"]


def test_darfur_bounds_from_female(harmed):
    # PySensemakr 0.0.8 (ovb_partial_r2_bound, adjusted_estimate, adjusted_se) on the same fit.
    bounds = {b["multiple"]: b for b in harmed["sensitivity"]["robustness"]["bounds"]}
    expected = {
        1: (0.009164, 0.124641, 0.07522027, 0.02187333),
        2: (0.018329, 0.249324, 0.05291517, 0.02035006),
        3: (0.027493, 0.374050, 0.03039602, 0.01867006),
    }
    for k, (r2dz, r2yz, est, se) in expected.items():
        assert bounds[k]["benchmark"] == "female"
        assert bounds[k]["r2dz_x"] == pytest.approx(r2dz, abs=5e-7)
        assert bounds[k]["r2yz_dx"] == pytest.approx(r2yz, abs=5e-7)
        assert bounds[k]["adjusted_estimate"] == pytest.approx(est, abs=5e-8)
        assert bounds[k]["adjusted_se"] == pytest.approx(se, abs=5e-8)


def test_darfur_bound_is_said(harmed):
    assert "as strong as “female” would bring the estimate to 0.0752" in harmed["sentence"]["en"]
    assert "aussi fort que « female » ramènerait l'estimation à 0,0752" in harmed["sentence"]["fr"]
