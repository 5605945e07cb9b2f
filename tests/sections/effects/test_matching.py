"""Matching through `evalsoc run` on NSW programme men and CPS comparison men.

Exact and coarsened exact matching are checked against MatchIt 4.5.1 (Debian bookworm's
r-cran-matchit, run once: values pinned below with their calls). Its nearest-neighbour matching
is not a usable reference: 4.5.1 has the replace = TRUE bug fixed after it (MatchIt issue #159)
and, here, does not pick the nearest available control without replacement either (the first
treated man, score 0.487446, gets a control at 0.486502 while one at exactly 0.487446 is free).
Nearest-neighbour matching is therefore checked against an exhaustive search written out below,
which is what the method is defined to do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from tests.sections.effects.design_run import DATA, run_cli

from evalsoc.sections.effects.designs.matching import nearest_without_replacement

COVARIATES = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_cli("nsw_cps.yaml", tmp_path_factory.mktemp("matching"))


@pytest.fixture(scope="module")
def effects(run):
    return run[0]["effects"]


@pytest.fixture(scope="module")
def scored():
    frame = pd.read_csv(DATA / "nsw_cps.csv")
    X = sm.add_constant(frame[COVARIATES].astype(float))
    p = np.asarray(sm.Logit(frame.treat, X).fit(disp=0, maxiter=200).predict())
    return frame, p


def test_nearest_with_replacement_is_the_exhaustive_nearest(effects, scored):
    frame, p = scored
    t, c = np.flatnonzero(frame.treat == 1), np.flatnonzero(frame.treat == 0)
    y = frame.re78.to_numpy(float)
    nearest = np.abs(p[t][:, None] - p[c][None, :]).argmin(axis=1)  # first in data on ties
    expected = y[t].mean() - y[c[nearest]].mean()
    effect = effects["nn_replace"]
    assert effect["estimate"] == pytest.approx(expected, rel=1e-9)
    assert round(effect["estimate"], 2) == 2074.02
    assert (effect["n_treated"], effect["n_control"]) == (185, np.unique(nearest).size)


def test_greedy_nearest_without_replacement_is_the_exhaustive_greedy(effects, scored):
    frame, p = scored
    t, c = np.flatnonzero(frame.treat == 1), np.flatnonzero(frame.treat == 0)
    y = frame.re78.to_numpy(float)
    free = np.ones(c.size, dtype=bool)
    matched = []
    for i in t[np.argsort(-p[t], kind="stable")]:  # largest score first (MatchIt's default)
        distance = np.where(free, np.abs(p[c] - p[i]), np.inf)
        j = int(distance.argmin())
        free[j] = False
        matched.append(y[c[j]])
    effect = effects["nn_greedy"]
    assert effect["estimate"] == pytest.approx(y[t].mean() - np.mean(matched), rel=1e-9)
    assert effect["n_control"] == 185 and effect["n_clusters"] == 185  # pairs as clusters


def test_exact_and_cem_match_matchit(effects):
    # MatchIt 4.5.1, d <- read.csv("nsw_cps.csv"); m <- matchit(treat ~ black + hisp + marr +
    # nodegree + educ, data = d, method = "exact"); ATT = weighted difference in means of re78
    # from match.data(m): -3036.99086323, 185 treated and 9600 controls kept.
    exact = effects["exact"]
    assert exact["estimate"] == pytest.approx(-3036.99086323, abs=1e-6)
    assert (exact["n_treated"], exact["n_control"]) == (185, 9600)
    # matchit(treat ~ age + educ + black + hisp + marr + nodegree + re74 + re75, data = d,
    # method = "cem"): 3627.63379997 (87 and 300); with cutpoints = 5: 677.60040647 (172, 2260).
    cem = effects["cem"]
    assert cem["estimate"] == pytest.approx(3627.63379997, abs=1e-6)
    assert (cem["n_treated"], cem["n_control"]) == (87, 300)
    assert cem["diagnostics"]["treated_unmatched"] == 98
    cem5 = effects["cem5"]
    assert cem5["estimate"] == pytest.approx(677.60040647, abs=1e-6)
    assert (cem5["n_treated"], cem5["n_control"]) == (172, 2260)


def test_caliper_leaves_people_out_and_says_so(effects):
    effect = effects["nn_caliper"]
    unmatched = effect["diagnostics"]["treated_unmatched"]
    assert unmatched > 0 and effect["n_treated"] == 185 - unmatched
    assert (
        f"{unmatched} participants without a close enough counterpart" in effect["sentence"]["en"]
    )
    assert f"{unmatched} participants sans contrepartie" in effect["sentence"]["fr"]


def test_balance_before_and_after(effects, scored):
    frame, _ = scored
    rows = {r["covariate"]: r for r in effects["nn_replace"]["diagnostics"]["balance"]}
    t = frame.treat == 1
    educ = rows["educ"]
    # before matching: (m1 − m0)/√((s1² + s0²)/2) and s1²/s0² on the raw data
    s1, s0 = frame.educ[t].var(), frame.educ[~t].var()
    smd = (frame.educ[t].mean() - frame.educ[~t].mean()) / np.sqrt((s1 + s0) / 2)
    assert educ["smd"] == pytest.approx(smd, rel=1e-9)
    assert educ["variance_ratio"] == pytest.approx(s1 / s0, rel=1e-9)
    assert abs(educ["smd_weighted"]) < abs(educ["smd"])  # matching improved it
    before = np.mean([abs(r["smd"]) for r in rows.values()])
    after = np.mean([abs(r["smd_weighted"]) for r in rows.values()])
    assert after < before / 2
    still = [name for name, r in rows.items() if r["flagged_weighted"]]  # said in the sentence
    assert (
        still
        and f"remain unbalanced ({', '.join(still)})" in effects["nn_replace"]["sentence"]["en"]
    )


def test_love_plot_in_report(run):
    html = run[1]
    assert "Standardised differences before (circles) and after (dots) matching" in html


def test_greedy_tie_goes_to_the_first_control_in_the_data():
    # two controls share the treated person's score exactly: the first (index 1) is taken
    got = nearest_without_replacement(np.array([0.5]), np.array([0.2, 0.5, 0.5, 0.9]), 1, None)
    assert got == [[1]]
    # a caliper of 0.05 leaves a treated person 0.3 away from every control unmatched
    assert nearest_without_replacement(np.array([0.5]), np.array([0.2, 0.8]), 1, 0.05) == [[]]


def test_a_few_unmatched_people_withhold_the_effect():
    from types import SimpleNamespace

    from evalsoc.sections.common import NotEstimable
    from evalsoc.sections.effects.designs.matching import estimate_matching

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": np.r_[rng.normal(size=40), [8.0, 9.0]]})
    frame["_d"] = np.r_[np.tile([1, 0], 20), [1, 1]]  # two treated people far from everyone
    frame["_y"] = rng.normal(size=len(frame))
    spec = SimpleNamespace(
        propensity=None,
        covariates=["x"],
        match_method="cem",
        cem_bins=4,
        exact=[],
        level=0.95,
        replace=False,
        ratio=1,
        caliper=None,
    )
    result = estimate_matching(frame, spec, min_cell=1)
    assert result["diagnostics"]["treated_unmatched"] == 2
    with pytest.raises(NotEstimable, match="fewer than 5 programme-group people"):
        estimate_matching(frame, spec, min_cell=5)
