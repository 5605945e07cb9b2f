"""Two-group difference: NSW (Dehejia & Wahba 1999, Table 3), Welch/HC2 identity, Lin adjustment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects.designs.difference import estimate_difference

NSW = Path(__file__).resolve().parents[2] / "data" / "effects" / "nsw_mixtape.csv"


def spec(**kw):
    base = {"id": "e", "data": "d", "design": "difference", "outcome": "y", "treatment": "t"}
    return EffectSpec(**{**base, **kw})


@pytest.fixture(scope="module")
def nsw() -> pd.DataFrame:
    frame = pd.read_csv(NSW)
    return frame.assign(_y=frame["re78"].astype(float), _d=frame["treat"].astype(int))


def test_nsw_experimental_estimate(nsw):
    # Dehejia & Wahba (1999), Table 3: 1794 (633); causaldata's nsw_mixtape: 1794.34 (632.85).
    out = estimate_difference(nsw, spec(outcome="re78", treatment="treat", se="classical"))
    assert round(out["estimate"], 2) == 1794.34
    assert round(out["se"], 2) == 632.85
    ttest = stats.ttest_ind(nsw.re78[nsw.treat == 1], nsw.re78[nsw.treat == 0])
    assert out["p_value"] == pytest.approx(ttest.pvalue, rel=1e-9)
    assert (out["n_treated"], out["n_control"], out["n"]) == (185, 260, 445)


def test_hc2_is_welch(nsw):
    # HC2 for a difference in means equals the unequal-variance (Welch) standard error.
    out = estimate_difference(nsw, spec(outcome="re78", treatment="treat"))
    y1, y0 = nsw.re78[nsw.treat == 1], nsw.re78[nsw.treat == 0]
    welch = np.sqrt(y1.var(ddof=1) / len(y1) + y0.var(ddof=1) / len(y0))
    assert out["se"] == pytest.approx(welch, rel=1e-10)
    # ... and its reference t takes Welch's df, as scipy's unequal-variance t-test.
    peer = stats.ttest_ind(y1, y0, equal_var=False)
    assert out["df"] == pytest.approx(peer.df, rel=1e-10)
    assert out["p_value"] == pytest.approx(peer.pvalue, rel=1e-9)
    low, high = peer.confidence_interval(0.95)
    assert (out["ci_low"], out["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert "Welch" in out["method"]


def test_lin_adjustment_matches_statsmodels(nsw):
    covs = ["age", "educ", "black", "re74", "re75"]
    out = estimate_difference(nsw, spec(outcome="re78", treatment="treat", covariates=covs))
    data = nsw.copy()
    for c in covs:
        data[c + "_c"] = data[c] - data[c].mean()
    formula = "re78 ~ treat * (" + " + ".join(c + "_c" for c in covs) + ")"
    ref = smf.ols(formula, data).fit(cov_type="HC2")
    assert out["estimate"] == pytest.approx(ref.params["treat"], rel=1e-10)
    assert out["se"] == pytest.approx(ref.bse["treat"], rel=1e-9)
    assert "Lin 2013" in out["method"]
    assert {row["covariate"] for row in out["diagnostics"]["balance"]} == set(covs)


def test_categorical_covariate_is_expanded():
    rng = np.random.default_rng(4)
    n = 300
    region = rng.choice(["nord", "sud", "est"], n)
    t = rng.integers(0, 2, n)
    y = 2 * t + (region == "sud") * 3 + rng.normal(size=n)
    frame = pd.DataFrame({"_y": y, "_d": t, "region": region})
    out = estimate_difference(frame, spec(covariates=["region"]))
    data = frame.assign(
        s=(region == "sud") - (region == "sud").mean(),
        n_=(region == "nord") - (region == "nord").mean(),
    )
    ref = smf.ols("_y ~ _d * (s + n_)", data).fit(cov_type="HC2")
    assert out["estimate"] == pytest.approx(ref.params["_d"], rel=1e-10)


def test_recovers_simulated_effect_with_strata_fixed_effects():
    rng = np.random.default_rng(5)
    n = 4000
    stratum = rng.integers(0, 40, n)
    t = (rng.random(n) < 0.3 + 0.01 * stratum).astype(int)  # assignment rate varies by stratum
    y = 1.5 * t + 0.2 * stratum + rng.normal(size=n)
    frame = pd.DataFrame({"_y": y, "_d": t, "stratum": stratum})
    naive = estimate_difference(frame, spec())
    fe = estimate_difference(frame, spec(fixed_effects=["stratum"]))
    assert naive["estimate"] > 1.6  # confounded by stratum
    assert fe["ci_low"] < 1.5 < fe["ci_high"]
    ref = smf.ols("_y ~ _d + C(stratum)", frame).fit(cov_type="HC2")
    assert fe["estimate"] == pytest.approx(ref.params["_d"], abs=1e-10)
    assert fe["se"] == pytest.approx(ref.bse["_d"], rel=1e-9)


@pytest.mark.parametrize(
    "t, y, reason",
    [
        ([0, 0, 0, 0], [1, 2, 3, 4], "no one in the programme group"),
        ([1, 1, 1, 1], [1, 2, 3, 4], "no one in the comparison group"),
        ([1, 0, 0, 0], [1, 2, 3, 4], "at least two"),
        ([1, 1, 0, 0], [2, 2, 2, 2], "single value"),
    ],
)
def test_failures(t, y, reason):
    frame = pd.DataFrame({"_y": np.array(y, float), "_d": t})
    with pytest.raises(NotEstimable, match=reason):
        estimate_difference(frame, spec())
