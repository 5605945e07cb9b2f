"""Random-effects pooling against statsmodels and against metafor's published BCG results."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from evalsoc.compare.meta import pool

# Colditz et al. (1994), JAMA 271:698-702: 13 BCG vaccine trials, as metafor's dat.bcg
# (tpos, tneg, cpos, cneg).
BCG = np.array(
    [
        [4, 119, 11, 128],
        [6, 300, 29, 274],
        [3, 228, 11, 209],
        [62, 13536, 248, 12619],
        [33, 5036, 47, 5761],
        [180, 1361, 372, 1079],
        [8, 2537, 10, 619],
        [505, 87886, 499, 87892],
        [29, 7470, 45, 7232],
        [17, 1699, 65, 1600],
        [186, 50448, 141, 27197],
        [5, 2493, 3, 2338],
        [27, 16886, 29, 17825],
    ],
    dtype=float,
)


def log_risk_ratios() -> tuple[np.ndarray, np.ndarray]:
    """escalc(measure="RR"): yi = log RR, vi = 1/a − 1/(a+b) + 1/c − 1/(c+d)."""
    a, b, c, d = BCG.T
    return np.log((a / (a + b)) / (c / (c + d))), 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)


@pytest.mark.parametrize("method", ["dl", "pm"])
def test_pooling_matches_statsmodels_combine_effects(method):
    y, v = log_risk_ratios()
    ours = pool(list(y), list(v), method)
    ref = combine_effects(y, v, method_re=method)
    assert ours["estimate"] == pytest.approx(ref.mean_effect_re, rel=1e-12)
    assert ours["se"] == pytest.approx(ref.sd_eff_w_re, rel=1e-12)
    assert ours["tau2"] == pytest.approx(ref.tau2, rel=1e-12)
    assert ours["q"] == pytest.approx(ref.q, rel=1e-12)


def test_dl_i2_equals_statsmodels_q_based_i2():
    y, v = log_risk_ratios()
    assert pool(list(y), list(v), "dl")["i2"] == pytest.approx(
        combine_effects(y, v, method_re="dl").i2, rel=1e-12
    )


def test_bcg_dersimonian_laird_published():
    # metafor rma(yi, vi, data=dat.bcg-RR, method="DL"): estimate −0.7141, τ² 0.3088,
    # I² 92.12% (Viechtbauer 2010, J Stat Softw 36(3); metafor documentation).
    y, v = log_risk_ratios()
    r = pool(list(y), list(v), "dl")
    assert r["estimate"] == pytest.approx(-0.7141, abs=5e-5)
    assert r["tau2"] == pytest.approx(0.3088, abs=5e-5)
    assert r["i2"] == pytest.approx(0.9212, abs=5e-5)


def test_bcg_reml_published():
    # metafor rma(yi, vi, method="REML") on the same data (metafor's default), as printed in
    # the RoBMA vignette "Bayesian Meta-Analysis" (CRAN) and in the metafor output reproduced
    # by cttir.github.io course 3, lab week 4: τ² 0.3132, I² 92.22%, Q(12) 152.2330,
    # estimate −0.7145, SE 0.1798, 95% CI −1.0669 to −0.3622.
    y, v = log_risk_ratios()
    r = pool(list(y), list(v), "reml")
    assert r["tau2"] == pytest.approx(0.3132, abs=5e-5)
    assert r["i2"] == pytest.approx(0.9222, abs=5e-5)
    assert r["estimate"] == pytest.approx(-0.7145, abs=5e-5)
    assert r["ci"] == pytest.approx([-1.0669, -0.3622], abs=5e-5)
    assert r["se"] == pytest.approx(0.1798, abs=5e-5)
    assert r["q"] == pytest.approx(152.2330, abs=5e-5)


def test_homogeneous_estimates_give_zero_tau2_and_fixed_effect_mean():
    y, v = [0.2, 0.2, 0.2], [0.01, 0.02, 0.04]
    for method in ("dl", "pm", "reml"):
        r = pool(y, v, method)
        assert r["tau2"] == pytest.approx(0.0, abs=1e-12)
        assert r["estimate"] == pytest.approx(0.2)


def test_one_estimate_is_not_estimable():
    r = pool([0.1], [0.01], "reml")
    assert r["estimable"] is False and r["reason"]["code"] == "meta_few_estimates"
