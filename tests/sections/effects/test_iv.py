"""Instrumental variables through `evalsoc run` on Card (1995), Wooldridge Example 15.4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from tests.sections.effects.design_run import DATA, run_cli

from evalsoc.sections.effects.designs.iv import _ar_set

pytest.importorskip("linearmodels")

CONTROLS = (
    "exper + expersq + black + smsa + south + smsa66 + reg662 + reg663 + reg664 + reg665 + "
    "reg666 + reg667 + reg668 + reg669"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_cli("card.yaml", tmp_path_factory.mktemp("card"))


@pytest.fixture(scope="module")
def card(run):
    return run[0]


def test_wooldridge_example_15_4(card):
    effect = card["effects"]["educ_2sls"]
    # Wooldridge, Introductory Econometrics (7th ed.), Example 15.4: educ 0.1315 (0.0550), n 3010.
    assert round(effect["estimate"], 4) == 0.1315
    assert round(effect["se"], 4) == 0.0550
    assert effect["n"] == 3010 and effect["design"] == "iv" and effect["df"] == 2994
    # classical first-stage F of nearc4: statsmodels 0.15 OLS(educ ~ controls + nearc4).f_test
    assert effect["diagnostics"]["first_stage_f_effective"] == pytest.approx(13.2557853306, 1e-9)
    assert effect["diagnostics"]["weak_instruments"] is False


def test_robust_matches_linearmodels_and_statsmodels(card):
    effect = card["effects"]["educ_robust"]
    # linearmodels 7.1: IV2SLS.from_formula("lwage ~ 1 + controls + [educ ~ nearc4]", card)
    #   .fit(cov_type="robust", debiased=True): 0.13150383624360984 (0.05414362358478514)
    assert effect["estimate"] == pytest.approx(0.13150383624360984, rel=1e-10)
    assert effect["se"] == pytest.approx(0.05414362358478514, rel=1e-10)
    # With one instrument the effective F is the robust first-stage F: statsmodels 0.15,
    # OLS(educ ~ controls + nearc4).fit(cov_type="HC1").f_test("nearc4 = 0") = 14.13867008
    assert effect["diagnostics"]["first_stage_f_effective"] == pytest.approx(14.1386700798, 1e-9)


def test_anderson_rubin_bounds_are_where_the_ar_test_has_p_equal_to_alpha(card):
    """At each bound, regressing lwage − β·educ on the controls and nearc4 (statsmodels, HC1)
    gives a p-value of exactly 0.05 for nearc4; at the estimate it is far above."""
    frame = pd.read_csv(DATA / "card.csv")
    ar = card["effects"]["educ_robust"]["diagnostics"]["anderson_rubin"]
    assert ar["shape"] == "interval"

    def p_at(beta: float) -> float:
        data = frame.assign(yb=frame.lwage - beta * frame.educ)
        fit = smf.ols(f"yb ~ {CONTROLS} + nearc4", data).fit(cov_type="HC1", use_t=True)
        return float(fit.pvalues["nearc4"])

    assert p_at(ar["low"]) == pytest.approx(0.05, abs=1e-7)
    assert p_at(ar["high"]) == pytest.approx(0.05, abs=1e-7)
    assert p_at(0.1315) > 0.5
    assert ar["low"] < card["effects"]["educ_robust"]["estimate"] < ar["high"]


def test_liml_with_two_instruments_matches_linearmodels(card):
    effect = card["effects"]["educ_liml"]
    # linearmodels 7.1: IVLIML.from_formula("lwage ~ 1 + controls + [educ ~ nearc4 + nearc2]",
    #   card).fit(cov_type="robust", debiased=True): 0.16402775610094977 (0.05776190166937524)
    assert effect["estimate"] == pytest.approx(0.16402775610094977, rel=1e-9)
    assert effect["se"] == pytest.approx(0.05776190166937524, rel=1e-9)
    diagnostics = effect["diagnostics"]
    assert diagnostics["liml_kappa"] == pytest.approx(1.000409427316504, rel=1e-9)
    # effective F below the robust Wald F (8.3190, statsmodels HC1 joint test): weak
    assert diagnostics["first_stage_f_effective"] < 8.3190 and diagnostics["weak_instruments"]
    ar = diagnostics["anderson_rubin"]  # grid inversion, refined: bounded and around the estimate
    assert ar["shape"] == "interval" and ar["low"] < effect["estimate"] < ar["high"]
    assert "weak" in effect["sentence"]["en"] and "faible" in effect["sentence"]["fr"]
    assert "Anderson–Rubin" in effect["sentence"]["en"]


def test_irrelevant_instrument_gives_an_unbounded_ar_set():
    # First stage π_x = 0.01 (SE 1), reduced form 0.02 (SE 1): no β is rejected.
    v = np.array([[1.0]])
    assert _ar_set(np.array([0.02]), np.array([0.01]), v, 0 * v, v, 3.84)["shape"] != "interval"
    # A strong instrument: π_x = 10 (SE 0.1), π_y = 5 (SE 0.1): a tight interval around 0.5.
    v = np.array([[0.01]])
    ar = _ar_set(np.array([5.0]), np.array([10.0]), v, 0 * v, v, 3.84)
    assert (
        ar["shape"] == "interval" and ar["low"] < 0.5 < ar["high"] and ar["high"] - ar["low"] < 0.1
    )


def test_report_shows_the_iv_diagnostics(run):
    html = run[1]
    assert "instrumental variables" in html and "Anderson–Rubin" in html
    assert "effective F = 13.3" in html


@pytest.mark.slow
def test_iv_intervals_cover_95_percent():
    """1,000 simulated samples (n = 500) with an endogenous regressor (the error u enters both x
    and y, so OLS is biased) and a strong instrument: the robust 2SLS interval and the
    Anderson–Rubin interval both cover the true effect 0.5 in 93–97% of samples."""
    from types import SimpleNamespace

    from evalsoc.sections.effects.designs.iv import estimate_iv

    spec = SimpleNamespace(
        endogenous="x",
        treatment=None,
        instruments=["z"],
        covariates=["w"],
        se_type="robust",
        cluster=None,
        iv_method="2sls",
        level=0.95,
    )
    reps, wald, ar = 1000, 0, 0
    for seed in range(reps):
        rng = np.random.default_rng(5000 + seed)
        n = 500
        z, w, u = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
        x = 0.5 * z + 0.3 * w + u + rng.normal(size=n)
        y = 0.5 * x + 0.2 * w + u * (1 + 0.5 * np.abs(z)) + rng.normal(size=n)  # heteroskedastic
        out = estimate_iv(pd.DataFrame({"_y": y, "x": x, "z": z, "w": w}), spec)
        wald += out["ci_low"] <= 0.5 <= out["ci_high"]
        interval = out["diagnostics"]["anderson_rubin"]
        ar += interval["shape"] == "interval" and interval["low"] <= 0.5 <= interval["high"]
    assert 0.93 <= wald / reps <= 0.97
    assert 0.93 <= ar / reps <= 0.97
