"""staggered_did and ipw/aipw/ra through a framework YAML and `evalsoc run`'s Python entry point.

Published references: the R `did` vignette on mpdta, Stata's teffects on Cattaneo (2010) as stored
in statsmodels' tests (tests/data/effects/README_mpdta_cattaneo.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pipeline = pytest.importorskip("evalsoc.pipeline")

DATA = Path(__file__).parents[1] / "data" / "effects"


def _run(tmp_path: Path, name: str, csv: str) -> dict:
    shutil.copy(DATA / f"{name}.yaml", tmp_path / f"{name}.yaml")
    shutil.copy(DATA / csv, tmp_path / csv)
    out = tmp_path / "out"
    pipeline.run_framework(tmp_path / f"{name}.yaml", out_dir=out)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mpdta_results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _run(tmp_path_factory.mktemp("mpdta"), "mpdta", "mpdta.csv")


def test_mpdta_through_the_framework(mpdta_results: dict) -> None:
    effect = mpdta_results["effects"]["mw_never"]
    assert effect["estimable"] is True
    assert effect["design"] == "staggered_did"
    cells = {(c["group"], c["time"]): c["estimate"] for c in effect["att_gt"]}
    assert len(cells) == 12
    assert cells[2004, 2006] == pytest.approx(-0.1373, abs=5e-5)
    assert cells[2007, 2004] == pytest.approx(0.0305, abs=5e-5)
    aggregates = effect["aggregates"]
    assert effect["estimate"] == pytest.approx(-0.0400, abs=5e-5)
    assert aggregates["group"]["estimate"] == pytest.approx(-0.0310, abs=5e-5)
    assert aggregates["group"]["se"] == pytest.approx(0.012, rel=0.10)
    assert aggregates["dynamic"]["estimate"] == pytest.approx(-0.0772, abs=5e-5)
    assert aggregates["dynamic"]["se"] == pytest.approx(0.020, rel=0.10)
    pre = effect["diagnostics"]["pre_trends"]
    assert pre["n_pre"] == 5 and pre["p_value"] == pytest.approx(0.168, abs=1e-3)
    assert effect["sentence"]["en"] and effect["sentence"]["fr"]
    assert effect["p_value_holm"] is not None


def test_mpdta_not_yet_treated_and_covariates(mpdta_results: dict) -> None:
    # moderndid 0.2.0 (est_method="reg") on the same panel
    not_yet = mpdta_results["effects"]["mw_not_yet"]
    assert not_yet["estimate"] == pytest.approx(-0.0397636, abs=1e-6)
    assert not_yet["aggregates"]["dynamic"]["estimate"] == pytest.approx(-0.0773993, abs=1e-6)
    lpop = mpdta_results["effects"]["mw_lpop_reg"]
    assert lpop["estimate"] == pytest.approx(-0.0419686, abs=1e-6)
    assert lpop["se"] == pytest.approx(0.0114448, rel=1e-4)
    # doubly robust, the default with covariates: moderndid 0.2.0, att_gt(mpdta, xformla="~lpop",
    # est_method="dr", boot=False) then aggte(type="simple"): -0.04175177205861634 (0.01150283815)
    dr = mpdta_results["effects"]["mw_lpop"]
    assert dr["estimate"] == pytest.approx(-0.04175177205861634, abs=1e-10)
    assert dr["se"] == pytest.approx(0.01150283815154501, rel=1e-6)
    assert "doubly robust" in dr["method"]


def test_mpdta_results_are_json_safe(mpdta_results: dict) -> None:
    assert set(mpdta_results["effects"]) == {"mw_never", "mw_not_yet", "mw_lpop", "mw_lpop_reg"}
    text = json.dumps(mpdta_results, allow_nan=False)  # raises on NaN or infinity
    assert '"att_gt"' in text
    assert not mpdta_results["warnings"]


def test_cattaneo_through_the_framework(tmp_path: Path) -> None:
    results = _run(tmp_path, "cattaneo", "cattaneo2.csv")
    effects = results["effects"]
    assert round(effects["smoking_ra"]["estimate"], 3) == -239.639
    assert round(effects["smoking_ipw"]["estimate"], 3) == -230.689
    assert round(effects["smoking_aipw"]["estimate"], 3) == -230.989
    assert effects["smoking_ra"]["se"] == pytest.approx(23.82402100183, rel=1e-5)
    assert effects["smoking_ipw"]["se"] == pytest.approx(25.815243801554, rel=1e-5)
    assert effects["smoking_aipw"]["se"] == pytest.approx(26.210564625435, rel=1e-5)
    for key in ("smoking_ra", "smoking_ipw", "smoking_aipw"):
        assert effects[key]["n"] == 4642
        assert effects[key]["diagnostics"]["balance"]
    # A five-parameter probit with IPWRA: the statsmodels 0.15 six-parameter bug's path.
    att = effects["smoking_att_ipwra"]
    assert att["estimable"] is True, att.get("reason")
    assert att["estimate"] == pytest.approx(_statsmodels_ipwra_att(), rel=1e-10)
    assert att["se"] > 0


def _statsmodels_ipwra_att() -> float:
    """statsmodels' own IPWRA point estimate (its closed form, which has no bug)."""
    from statsmodels.discrete.discrete_model import Probit
    from statsmodels.regression.linear_model import OLS
    from statsmodels.treatment.treatment_effects import TreatmentEffect

    frame = pd.read_csv(DATA / "cattaneo2.csv")
    ones = np.ones((len(frame), 1))
    xs = np.hstack([ones, frame[["mmarried_", "mage", "mage2", "fbaby_"]].to_numpy(float)])
    xo = np.hstack([ones, frame[["prenatal1_", "mmarried_", "mage", "fbaby_"]].to_numpy(float)])
    d = frame["mbsmoke_"].to_numpy()
    sel = Probit(d.astype(float), xs).fit(disp=0)
    teff = TreatmentEffect(OLS(frame["bweight"].to_numpy(float), xo), d, results_select=sel)
    return float(teff.ipw_ra(return_results=False, effect_group=1)[0])
