"""`evalsoc run` on effect frameworks: the NSW experiment (Dehejia & Wahba 1999, Table 3, via
causaldata's nsw_mixtape) and a simulated panel with known effects (tests/data/effects)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from evalsoc import pipeline  # noqa: E402
from evalsoc.errors import FrameworkError  # noqa: E402

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
    assert effects["nobody"]["reason"] == {
        "code": "no_treated",
        "fr": "personne dans le groupe du dispositif",
        "en": "no one in the programme group",
    }
    assert "(personne dans le groupe du dispositif)" in effects["nobody"]["sentence"]["fr"]


def test_report_section(sim):
    html = sim[1]
    assert '<section class="effects">' in html
    assert "le dispositif a augmenté le score de confiance de 3,0" in html
    assert "n&#39;a pas pu être estimé" in html or "n'a pas pu être estimé" in html
    # The French report gives the reason in French, from the problem catalogue.
    assert "personne dans le groupe du dispositif" in html
    assert "no one in the programme group" not in html
    section = html.split('<section class="effects">')[1].split("</section>")[0]
    assert "<svg" in section
    assert "http://" not in section.replace("http://www.w3.org", "")


def test_user_testing_defects_end_to_end(tmp_path):
    """A formula that would compute for minutes, a two-cluster fake certainty and balance shares
    that reveal counts: refused or blanked in results.json."""
    rng = np.random.default_rng(8)
    n = 200
    site = np.where(np.arange(n) < 100, "Nord", "Sud")
    treat01 = (np.arange(n) % 2).astype(int)
    rare = np.zeros(n, dtype=int)
    rare[[1, 3]] = 1  # two people of the programme group
    rare[np.arange(0, 80, 2)] = 1
    pd.DataFrame(
        {
            "person": np.arange(n),
            "site": site,
            "treat01": treat01,
            "rare": rare,
            "age": rng.integers(18, 60, n),
            "revenu": rng.normal(size=n) + 0.3 * (site == "Nord") + 0.2 * treat01,
        }
    ).to_csv(tmp_path / "people.csv", index=False)
    (tmp_path / "framework.yaml").write_text(
        """evalsoc: 1
id: user-testing
title: {fr: "Tests", en: "Tests"}
language: fr
privacy: {min_cell: 5}
data:
  people:
    file: people.csv
    columns:
      person: {type: integer}
      site: {type: string}
      treat01: {type: integer, values: [0, 1]}
      rare: {type: integer, values: [0, 1]}
      age: {type: integer}
      revenu: {type: number}
effects:
  - id: bomb
    design: regression
    data: people
    formula: "revenu ~ treat01 + I(9**9**9)"
    term: treat01
  - id: two_sites
    design: difference
    data: people
    outcome: revenu
    treatment: "site == 'Nord'"
    cluster: site
  - id: two_sites_boot
    design: difference
    data: people
    outcome: revenu
    treatment: "site == 'Nord'"
    cluster: site
    small_sample: wild_bootstrap
  - id: balance
    design: difference
    data: people
    outcome: revenu
    treatment: treat01
    covariates: [age, rare]
""",
        encoding="utf-8",
    )
    # The refused formula is a framework error found before anything is computed (exit 2),
    # located at its key, as `validate` reports it.
    with pytest.raises(
        FrameworkError, match=r"framework.yaml:20:\d+: effects\[0\]\.formula: '\*\*'"
    ):
        pipeline.run_framework(str(tmp_path / "framework.yaml"), out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    text = (tmp_path / "framework.yaml").read_text(encoding="utf-8")
    bomb = text[text.index("  - id: bomb") : text.index("  - id: two_sites\n")]
    (tmp_path / "framework.yaml").write_text(text.replace(bomb, ""), encoding="utf-8")
    pipeline.run_framework(str(tmp_path / "framework.yaml"), out_dir=tmp_path / "out")
    text = (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
    effects = _no_nan(text)["effects"]
    for key in ("two_sites", "two_sites_boot"):
        assert effects[key]["estimable"] is False
        assert effects[key]["reason"]["en"].startswith("only 1 treated cluster")
        assert effects[key]["ci_low"] is None and effects[key]["p_value"] is None
    rows = {r["covariate"]: r for r in effects["balance"]["diagnostics"]["balance"]}
    assert rows["rare"]["mean_treated"] is None and rows["rare"]["smd"] is None
    assert rows["rare"]["suppressed"] is True and rows["rare"]["mean_control"] is not None
    assert "_counts" not in text


def test_binary_outcome_shares_revealing_small_counts_end_to_end(tmp_path):
    """3 of 100 programme-group people employed: no published figure gives 3/100 back; the
    effect and its interval stay, and the report says why the effect is not in the chart."""
    rng = np.random.default_rng(11)
    n = 200
    treat01 = (np.arange(n) % 2).astype(int)
    employed = np.zeros(n, dtype=int)
    employed[[1, 3, 5]] = 1  # three people of the programme group
    employed[np.arange(0, 100, 2)] = 1  # fifty of the comparison group
    pd.DataFrame(
        {
            "person": np.arange(n),
            "treat01": treat01,
            "employed": employed,
            "revenu": rng.normal(size=n) + 0.2 * treat01,
        }
    ).to_csv(tmp_path / "people.csv", index=False)
    (tmp_path / "framework.yaml").write_text(
        """evalsoc: 1
id: binary-privacy
title: {fr: "Tests", en: "Tests"}
language: fr
privacy: {min_cell: 5}
data:
  people:
    file: people.csv
    columns:
      person: {type: integer}
      treat01: {type: integer, values: [0, 1]}
      employed: {type: integer, values: [0, 1]}
      revenu: {type: number}
effects:
  - id: emploi
    label: {fr: "Emploi", en: "Employment"}
    design: difference
    data: people
    outcome: employed
    treatment: treat01
  - id: revenu
    design: difference
    data: people
    outcome: revenu
    treatment: treat01
    unit_label: "€"
""",
        encoding="utf-8",
    )
    pipeline.run_framework(str(tmp_path / "framework.yaml"), out_dir=tmp_path / "out")
    text = (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
    effect = _no_nan(text)["effects"]["emploi"]
    assert effect["estimable"] is True and effect["outcome_type"] == "binary"
    assert effect["estimate"] == pytest.approx(0.03 - 0.5)
    assert effect["ci_low"] is not None
    groups = effect["diagnostics"]["groups"]
    assert all(g["mean"] is None and g["suppressed"] is True for g in groups)
    assert effect["effect_size"]["risk_treated"] is None
    assert effect["effect_size"]["risk_counterfactual"] is None
    assert effect["effect_size"]["suppressed"] is True
    assert "_counts" not in text and "_group_counts" not in text
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    section = html.split('<section class="effects">')[1].split("</section>")[0]
    note = section.split("Absents du graphique")[1].split("</p>")[0]
    assert note.endswith(": Emploi.")  # standardised chart: no SD that the rule lets through
