"""Gini, Theil and Atkinson indices: hand-worked values, ineqpy's on the same data, the
linearised SE against a bootstrap, and the indicators through `evalsoc run`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.sections.effects.design_run import DATA, run_cli

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.indicators.inequality import atkinson, gini, theil


def test_hand_worked_one_to_five():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    # Σ|xi − xj| = 40 over the 25 ordered pairs; G = 40 / (2 · 25 · 3) (R ineq::Gini, corr = FALSE)
    assert gini(x)[0] == pytest.approx(40 / 150, abs=1e-15)
    # Theil: (1/5) Σ (x/3) ln(x/3)
    assert theil(x)[0] == pytest.approx(np.mean(x / 3 * np.log(x / 3)), abs=1e-15)
    # Atkinson ε = 1: 1 − geometric mean / mean = 1 − 120^(1/5) / 3; ε = 2: 1 − harmonic / mean
    assert atkinson(x, 1.0)[0] == pytest.approx(1 - 120 ** (1 / 5) / 3, abs=1e-14)
    assert atkinson(x, 2.0)[0] == pytest.approx(1 - (5 / np.sum(1 / x)) / 3, abs=1e-14)
    assert gini(np.full(4, 7.0))[0] == 0.0  # equal incomes


def test_matches_ineqpy_on_the_test_incomes():
    x = pd.read_csv(DATA / "incomes.csv").income.to_numpy(float)
    n = x.size
    # ineqpy 0.4.1 (PyPI), ineqpy.inequality.gini(income=x) = 0.3272837129800007, which applies
    # the small-sample factor n/(n − 1); evalsoc reports the population Gini (R ineq's default)
    assert gini(x)[0] == pytest.approx(0.3272837129800007 * (n - 1) / n, rel=1e-12)
    # ineqpy: theil(income=x) = 0.17415804677237173; atkinson(income=x, e=0.5) = 0.0839189235703
    assert theil(x)[0] == pytest.approx(0.17415804677237173, rel=1e-12)
    assert atkinson(x, 0.5)[0] == pytest.approx(0.08391892357032127, rel=1e-12)


@pytest.mark.parametrize(
    "index", [gini, theil, lambda v: atkinson(v, 1.0), lambda v: atkinson(v, 2.0)]
)
def test_linearised_se_agrees_with_a_bootstrap(index):
    rng = np.random.default_rng(1)
    x = rng.lognormal(0, 1, 2000)
    value, se, low, high = index(x)
    boot = [index(rng.choice(x, x.size))[0] for _ in range(400)]
    assert se == pytest.approx(np.std(boot, ddof=1), rel=0.15)
    assert low < value < high


def test_refusals():
    with pytest.raises(NotEstimable, match="zero or more"):
        gini(np.array([-1.0, 2.0, 3.0]))
    with pytest.raises(NotEstimable, match="above zero"):
        atkinson(np.array([0.0, 2.0, 3.0]), 1.0)


def test_indicators_through_evalsoc_run(tmp_path):
    results, html = run_cli("incomes.yaml", tmp_path)
    frame = pd.read_csv(DATA / "incomes.csv")
    indicators = results["indicators"]
    g = indicators["gini_income"]
    assert g["value"] == pytest.approx(gini(frame.income.to_numpy(float))[0], rel=1e-12)
    assert g["ci_method"] == "linearisation (influence function)"
    assert g["ci_low"] < g["value"] < g["ci_high"]
    women = next(c for c in g["by"] if c["group"] == {"sex": "women"})
    # ineqpy 0.4.1 gini(income=women) = 0.3425674388224785 (with n/(n − 1)), 204 women
    assert women["value"] == pytest.approx(0.3425674388224785 * 203 / 204, rel=1e-12)
    assert indicators["theil_income"]["value"] == pytest.approx(0.17415804677237173, rel=1e-12)
    assert indicators["atkinson_income"]["value"] == pytest.approx(0.08391892357032127, 1e-12)


def test_gaps_through_evalsoc_run(tmp_path):
    import statsmodels.formula.api as smf
    from scipy import stats

    results, _ = run_cli("incomes.yaml", tmp_path)
    frame = pd.read_csv(DATA / "incomes.csv")
    women, men = frame.income[frame.sex == "women"], frame.income[frame.sex == "men"]
    welch = stats.ttest_ind(women, men, equal_var=False)  # scipy's Welch interval
    gap = results["indicators"]["pay_gap"]
    assert gap["value"] == pytest.approx(women.mean() - men.mean(), rel=1e-12)
    low, high = welch.confidence_interval(0.95)
    assert (gap["ci_low"], gap["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    # change of the gap between waves: the sex × wave interaction of a saturated OLS, whose HC2
    # SE is √(Σ s²/n) over the four cells (statsmodels 0.15)
    fit = smf.ols("income ~ C(sex, Treatment('men')) * C(wave)", frame).fit(cov_type="HC2")
    term = "C(sex, Treatment('men'))[T.women]:C(wave)[T.2]"
    change = results["indicators"]["pay_gap_change"]
    assert change["value"] == pytest.approx(fit.params[term], rel=1e-10)
    cells = [
        frame.income[(frame.sex == s) & (frame.wave == w)] for s in ("women", "men") for w in (1, 2)
    ]
    v = np.array([c.var(ddof=1) / c.size for c in cells])
    df = v.sum() ** 2 / sum(vi**2 / (c.size - 1) for vi, c in zip(v, cells))
    half = stats.t.ppf(0.975, df) * fit.bse[term]
    assert change["ci_high"] - change["value"] == pytest.approx(half, rel=1e-10)


def test_gap_with_a_small_group_is_withheld():
    from evalsoc.sections.indicators.gaps import gap

    y = np.array([1.0, 2.0, 3.0, 10.0, 11.0])
    res = gap(y, np.array(["a", "a", "a", "b", "b"]), ("a", "b"))
    assert res["smallest"] == 2 and res["value"] == pytest.approx(2 - 10.5)
    # the privacy rule reads `smallest`: with min_cell 3 the indicator cell is suppressed
    from types import SimpleNamespace

    from evalsoc.sections.indicators.compute import publish_cell

    spec = SimpleNamespace(kind="gap", baseline=None, target=None, better="higher")
    cell = {"n": 5.0, "value": res["value"], "ci_low": 0.0, "ci_high": 1.0, "smallest": 2.0}
    assert publish_cell(cell, spec, 3)["suppressed"] is True
