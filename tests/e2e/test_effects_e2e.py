"""`evalsoc run` on effect frameworks: the NSW experiment (Dehejia & Wahba 1999, Table 3, via
causaldata's nsw_mixtape) and a simulated panel with known effects (tests/data/effects)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import statsmodels.formula.api as smf

pipeline = pytest.importorskip("evalsoc.pipeline")

DATA = Path(__file__).resolve().parents[1] / "data" / "effects"


def _no_nan(text: str) -> dict:
    def refuse(name: str) -> None:
        raise AssertionError(f"results.json holds {name}")

    return json.loads(text, parse_constant=refuse)


def _run(name: str, out: Path) -> tuple[dict, str]:
    pipeline.run_framework(str(DATA / name), out_dir=out)
    results = _no_nan((out / "results.json").read_text(encoding="utf-8"))
    return results, (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nsw(tmp_path_factory):
    return _run("nsw.yaml", tmp_path_factory.mktemp("nsw"))


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    return _run("did_sim.yaml", tmp_path_factory.mktemp("sim"))


def test_nsw_published_estimate(nsw):
    effect = nsw[0]["effects"]["earnings"]
    # Dehejia & Wahba (1999), Table 3: 1794 (633); with causaldata's data 1794.34 (632.85).
    assert round(effect["estimate"], 2) == 1794.34
    assert round(effect["se"], 2) == 632.85
    assert (effect["n_treated"], effect["n_control"]) == (185, 260)
    assert effect["design"] == "difference" and effect["estimable"] is True
    assert "1\u202f794\u00a0$" in effect["sentence"]["fr"] and "$1,794" in effect["sentence"]["en"]


def test_nsw_adjusted_and_regression_match_statsmodels(nsw):
    frame = pd.read_csv(DATA / "nsw_mixtape.csv")
    covs = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75"]
    centred = frame.assign(**{c + "_c": frame[c] - frame[c].mean() for c in covs})
    lin = smf.ols("re78 ~ treat * (" + " + ".join(c + "_c" for c in covs) + ")", centred)
    lin = lin.fit(cov_type="HC2")
    adjusted = nsw[0]["effects"]["earnings_adjusted"]
    assert adjusted["estimate"] == pytest.approx(lin.params["treat"], rel=1e-9)
    assert adjusted["se"] == pytest.approx(lin.bse["treat"], rel=1e-8)
    reg = smf.ols("re78 ~ treat + age + I(age ** 2) + educ + re75", frame).fit(cov_type="HC2")
    got = nsw[0]["effects"]["earnings_regression"]
    assert got["estimate"] == pytest.approx(reg.params["treat"], rel=1e-9)
    assert got["p_value_holm"] >= got["p_value"]


def test_simulated_did_recovers_the_known_effects(sim):
    effects = sim[0]["effects"]
    frame = pd.read_csv(DATA / "did_sim.csv")
    means = frame.groupby(["group", "wave"])["score"].mean()
    raw = (means["programme", 1] - means["programme", 0]) - (
        means["comparaison", 1] - means["comparaison", 0]
    )
    score = effects["score_did"]
    assert score["estimate"] == pytest.approx(raw, abs=1e-9)  # balanced panel: FE = raw DiD
    assert score["ci_low"] < 3.0 < score["ci_high"]  # the true effect
    assert score["n_clusters"] == 24 and score["n_treated"] == 300
    employment = effects["employment_did"]
    assert employment["outcome_type"] == "binary"
    assert employment["ci_low"] < 0.12 < employment["ci_high"]
    assert "CR2" in employment["method"]
    assert {"risk_ratio", "odds_ratio"} <= set(employment["effect_size"])


def test_small_sample_remedies_and_warning(sim):
    results = sim[0]
    boot = results["effects"]["score_did_boot"]
    assert "wild cluster bootstrap" in boot["method"]
    assert boot["ci_low"] < 3.0 < boot["ci_high"]
    warned = [w["id"] for w in results["warnings"] if w["section"] == "effects"]
    assert warned == ["score_did"]  # 24 clusters; the effects with a remedy are not warned


def test_pre_post_and_not_estimable(sim):
    effects = sim[0]["effects"]
    before_after = effects["score_before_after"]
    assert before_after["diagnostics"]["counterfactual"] is False
    assert "pas une estimation contrefactuelle" in before_after["sentence"]["fr"]
    assert effects["nobody"]["estimable"] is False
    assert effects["nobody"]["reason"] == "no one in the programme group"


def test_report_section(sim):
    html = sim[1]
    assert '<section class="effects">' in html
    assert "le dispositif a augmenté le score de confiance de 3,0" in html
    assert "n&#39;a pas pu être estimé" in html or "n'a pas pu être estimé" in html
    section = html.split('<section class="effects">')[1].split("</section>")[0]
    assert "<svg" in section
    assert "http://" not in section.replace("http://www.w3.org", "")
