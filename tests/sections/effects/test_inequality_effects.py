"""Inequality as an effect outcome (`outcome_statistic`): a hand-worked linearised difference,
ineqpy's indices on the same data through `evalsoc run`, the bootstrap for panels against the
linearisation, privacy and refusals, and (slow) coverage against a known change of the Gini."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests.sections.effects.design_run import run_cli

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.designs.inequality import estimate_inequality

# ineqpy 0.4.1 (PyPI, with numba 0.68.1), on tests/data/effects/inequality_panel.csv, per
# (wave, programme) cell of 150 people: ineqpy.inequality.gini(income=x), theil(income=x),
# atkinson(income=x, e=0.5). ineqpy's Gini carries the factor n/(n − 1); evalsoc reports the
# population Gini (R ineq's default), hence the (n − 1)/n below.
INEQPY = {
    (1, 1): (0.33501158753047555, 0.185267196669482, 0.08791912138232028),
    (1, 0): (0.33903401503643393, 0.18363212682739696, 0.08887923155000854),
    (2, 1): (0.25598597543893953, 0.10631710640285512, 0.05122519693806271),
    (2, 0): (0.35674662018438247, 0.2059144602364868, 0.09844802422228116),
}
N = 150


def _gini(wave: int, group: int) -> float:
    return INEQPY[(wave, group)][0] * (N - 1) / N


def _spec(**kw):
    base = dict(
        design="difference",
        outcome="y",
        outcome_statistic="gini",
        atkinson_epsilon=1.0,
        unit=None,
        cluster=None,
        level=0.95,
        bootstrap_reps=199,
        seed=1,
    )
    return SimpleNamespace(**{**base, **kw})


def test_hand_worked_linearised_difference():
    # programme [1, 2, 3, 4] three times: G = Σ|xi − xj| / (2n²μ) = 20 / (2·16·2.5) = 0.25;
    # comparison [1, 1, 1, 5] three times: G = 24 / (2·16·2) = 0.375 (replication keeps G).
    # Influence functions IF = (E|x − X| − Δ)/μ − G(x − μ)/μ: programme 0.25, −0.05, −0.15,
    # −0.05 (Σ IF² = 3 × 0.09 = 0.27), comparison −0.0625 ×3 and 0.1875 (Σ IF² = 3 × 0.046875);
    # SE² = Σ IF² / (n(n − 1)) per group, n = 12, summed over the independent groups.
    frame = pd.DataFrame(
        {"_y": [1, 2, 3, 4] * 3 + [1, 1, 1, 5] * 3, "_d": [1] * 12 + [0] * 12}, dtype=float
    )
    result = estimate_inequality(frame, _spec(), min_cell=5)
    assert result["estimate"] == pytest.approx(0.25 - 0.375, abs=1e-15)
    se = np.sqrt((0.27 + 3 * 0.046875) / (12 * 11))
    assert result["se"] == pytest.approx(se, rel=1e-12)
    assert result["ci_low"] == pytest.approx(-0.125 - 1.959963984540054 * se, rel=1e-12)
    cells = result["diagnostics"]["inequality"]["cells"]
    assert [(c["group"], c["n"], c["value"]) for c in cells] == [
        ("treated", 12, pytest.approx(0.25)),
        ("control", 12, pytest.approx(0.375)),
    ]


@pytest.fixture(scope="module")
def panel_run(tmp_path_factory):
    return run_cli("inequality_panel.yaml", tmp_path_factory.mktemp("inequality"))


def test_differences_match_ineqpy_through_evalsoc_run(panel_run):
    effects = panel_run[0]["effects"]
    gini = effects["gini_after"]
    assert gini["estimate"] == pytest.approx(_gini(2, 1) - _gini(2, 0), rel=1e-12)
    assert gini["se_type"] == "linearised"
    cell_se = [c["se"] for c in gini["diagnostics"]["inequality"]["cells"]]
    assert gini["se"] == pytest.approx(np.hypot(*cell_se), rel=1e-12)
    assert gini["effect_size"] is None  # Cohen's d is for means, not for a difference of indices
    theil = effects["theil_after"]["estimate"]
    assert theil == pytest.approx(INEQPY[(2, 1)][1] - INEQPY[(2, 0)][1], rel=1e-12)
    atkinson = effects["atkinson_after"]
    assert atkinson["estimate"] == pytest.approx(INEQPY[(2, 1)][2] - INEQPY[(2, 0)][2], rel=1e-12)
    assert atkinson["diagnostics"]["inequality"]["epsilon"] == 0.5


def test_difference_in_differences_of_the_gini(panel_run):
    effects = panel_run[0]["effects"]
    expected = (_gini(2, 1) - _gini(1, 1)) - (_gini(2, 0) - _gini(1, 0))
    panel, rows = effects["gini_did_panel"], effects["gini_did_cross_sections"]
    assert panel["estimate"] == pytest.approx(expected, rel=1e-12)
    assert rows["estimate"] == pytest.approx(expected, rel=1e-12)
    assert (panel["n_treated"], panel["n_control"]) == (150, 150)  # people, not rows
    assert (rows["n_treated"], rows["n_control"]) == (300, 300)
    # the same people in both waves: their indices move together, so the unit bootstrap is
    # far tighter than the sum of four independent linearised variances (repeated cross-sections)
    assert panel["se_type"] == "bootstrap" and rows["se_type"] == "linearised"
    assert panel["se"] < 0.5 * rows["se"]
    boot = panel["diagnostics"]["inequality"]["bootstrap"]
    assert boot == {
        "replications": 499,
        "resampled": "id",
        "stratified_by_group": True,
        "seed": 7,
        "percentile_interval": [
            pytest.approx(boot["percentile_interval"][0]),
            pytest.approx(boot["percentile_interval"][1]),
        ],
    }
    assert boot["percentile_interval"][0] < panel["estimate"] < boot["percentile_interval"][1]


def test_bootstrap_agrees_with_linearisation_on_independent_people(panel_run):
    effects = panel_run[0]["effects"]
    linearised, bootstrap = effects["gini_after"], effects["gini_after_bootstrap"]
    assert bootstrap["estimate"] == linearised["estimate"]
    assert bootstrap["se"] == pytest.approx(linearised["se"], rel=0.15)


def test_sentences_and_report(panel_run):
    results, html = panel_run
    panel = results["effects"]["gini_did_panel"]["sentence"]
    assert "le dispositif a réduit les inégalités de 0,096" in panel["fr"]
    assert "the programme reduced inequality by 0.096" in panel["en"]
    assert "(150 personnes)" in panel["fr"]
    rows = results["effects"]["gini_did_cross_sections"]["sentence"]["en"]
    assert "(300 observations)" in rows
    assert "Indice par groupe et période" in html
    assert "de l&#39;indice de Gini de income (groupe du dispositif × période après)" in html
    assert "linearised standard errors" not in html  # the French report's method is French


def test_privacy_and_refusals():
    frame = pd.DataFrame({"_y": np.arange(1.0, 25.0), "_d": [1] * 12 + [0] * 12}, dtype=float)
    with pytest.raises(NotEstimable) as caught:
        estimate_inequality(frame, _spec(), min_cell=13)
    assert caught.value.reason["code"] == "inequality_cell_below_min_cell"
    assert "programme group" in caught.value.reason["en"]
    binary = frame.assign(_y=[0.0, 1.0] * 12)
    with pytest.raises(NotEstimable) as caught:
        estimate_inequality(binary, _spec(), min_cell=5)
    assert caught.value.reason["code"] == "inequality_binary_outcome"


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"design": "ipw"}, "applies to designs difference and did"),
        ({"covariates": ["age"]}, "remove `covariates`"),
        ({"weights": "w"}, "remove `weights`"),
    ],
)
def test_framework_refuses_what_an_index_cannot_take(extra, message):
    from pydantic import ValidationError

    from evalsoc.sections.effects.config import EffectSpec

    raw = {
        "id": "e",
        "data": "d",
        "design": "difference",
        "outcome": "y",
        "treatment": "t",
        "outcome_statistic": "gini",
        **extra,
    }
    with pytest.raises(ValidationError, match=message):
        EffectSpec.model_validate(raw)


@pytest.mark.slow
def test_coverage_of_a_known_change_of_the_gini():
    """Seeded simulations with a known change of the Gini (lognormal incomes): 200 panels for
    the unit bootstrap of the DiD (199 replications each) and 400 independent samples for the
    linearised difference; 95% intervals should cover the truth 95% of the time (Monte Carlo
    SE ≈ 1.5 and 1.1 points)."""
    from scipy import stats
    from tests.data.effects.make_inequality_panel import simulate, true_gini_did

    truth = true_gini_did()
    covered = []
    for seed in range(200):
        data = simulate(seed, people=150)
        frame = data.assign(_y=data.income, _d=data.programme, _post=(data.wave == 2).astype(int))
        spec = _spec(design="did", unit="id", bootstrap_reps=199, seed=seed)
        r = estimate_inequality(frame, spec, min_cell=10)
        covered.append(r["ci_low"] <= truth <= r["ci_high"])
    assert 0.91 <= np.mean(covered) <= 0.99

    def lognormal_gini(sigma: float) -> float:
        return float(2 * stats.norm.cdf(sigma / np.sqrt(2)) - 1)

    rng = np.random.default_rng(20261129)
    truth = lognormal_gini(0.45) - lognormal_gini(0.62)
    covered = []
    for _ in range(400):
        y = np.concatenate([rng.lognormal(7, 0.45, 300), rng.lognormal(7, 0.62, 300)])
        frame = pd.DataFrame({"_y": y, "_d": np.repeat([1, 0], 300)})
        r = estimate_inequality(frame, _spec(), min_cell=10)
        covered.append(r["ci_low"] <= truth <= r["ci_high"])
    assert 0.92 <= np.mean(covered) <= 0.98


def test_cluster_bootstrap_is_seeded_and_unstratified_when_clusters_mix_groups():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "_y": rng.lognormal(0, 0.6, 240),
            "_d": np.tile([1, 0], 120),  # every site holds both groups
            "site": np.repeat(np.arange(24), 10),
        }
    )
    spec = _spec(cluster="site", bootstrap_reps=99, seed=5)
    first = estimate_inequality(frame, spec, min_cell=10)
    again = estimate_inequality(frame, spec, min_cell=10)
    other = estimate_inequality(frame, _spec(cluster="site", bootstrap_reps=99, seed=6))
    boot = first["diagnostics"]["inequality"]["bootstrap"]
    assert boot["stratified_by_group"] is False and boot["resampled"] == "site"
    assert first["n_clusters"] == 24
    assert first["se"] == again["se"] and first["se"] != other["se"]
    assert first["ci_low"] < first["estimate"] < first["ci_high"]
