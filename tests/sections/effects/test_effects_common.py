"""The shared effect machinery against statsmodels, hand-worked values and brute force."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import linalg, stats
from statsmodels.stats.multitest import multipletests

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.common import (
    _bootstrap_weights,
    _wild_t,
    absorb_setup,
    balance_table,
    check_clusters,
    check_full_rank,
    check_se,
    cluster_codes,
    coefficient_inference,
    demean,
    drop_singletons,
    effect_sizes,
    icc_oneway,
    linear_term,
    minimum_detectable_effect,
    ols,
    result_dict,
    suppress_balance,
    t_inference,
    wild_cluster_bootstrap,
)
from evalsoc.sections.effects.compute import holm


@pytest.fixture(scope="module")
def clustered():
    rng = np.random.default_rng(11)
    n, G = 400, 20
    cl = rng.integers(0, G, n)
    t = rng.integers(0, 2, n).astype(float)
    x = rng.normal(size=n)
    y = 1 + 0.5 * t + x + rng.normal(size=G)[cl] + rng.normal(size=n) * (1 + t)
    X = np.column_stack([np.ones(n), t, x])
    return y, X, ["const", "t", "x"], cl


@pytest.mark.parametrize(
    "se_type, kwargs",
    [
        ("classical", {"cov_type": "nonrobust"}),
        ("robust", {"cov_type": "HC2"}),
        ("cluster", {"cov_type": "cluster"}),
    ],
)
def test_ols_matches_statsmodels(clustered, se_type, kwargs):
    y, X, names, cl = clustered
    if se_type == "cluster":
        kwargs = {**kwargs, "cov_kwds": {"groups": cl}}
    ref = sm.OLS(y, X).fit(use_t=True, **kwargs)
    out = coefficient_inference(y, X, names, "t", se_type=se_type, clusters=cl)
    assert out["estimate"] == pytest.approx(ref.params[1], rel=1e-12)
    assert out["se"] == pytest.approx(ref.bse[1], rel=1e-10)
    assert out["p_value"] == pytest.approx(ref.pvalues[1], rel=1e-8)
    low, high = ref.conf_int()[1]
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    assert out["df"] == (19 if se_type == "cluster" else 397)


def test_cr2_with_one_row_per_cluster_is_hc2(clustered):
    # Bell–McCaffrey CR2 reduces to HC2 when every cluster is a single observation.
    y, X, names, _ = clustered
    singletons = np.arange(len(y))
    cr2 = ols(y, X, names, se_type="cr2", clusters=singletons)
    hc2 = sm.OLS(y, X).fit(cov_type="HC2")
    assert np.sqrt(np.diag(cr2.cov)) == pytest.approx(hc2.bse, rel=1e-9)


def test_cr2_matches_direct_matrix_formula(clustered):
    # V = (X'X)^-1 Σ_g X_g' A_g e_g e_g' A_g X_g (X'X)^-1, A_g = (I − H_gg)^(-1/2) by sqrtm.
    y, X, names, cl = clustered
    bread = np.linalg.inv(X.T @ X)
    e = y - X @ (bread @ X.T @ y)
    meat = np.zeros((3, 3))
    for g in np.unique(cl):
        rows = cl == g
        H = X[rows] @ bread @ X[rows].T
        A = linalg.inv(linalg.sqrtm(np.eye(rows.sum()) - H)).real
        s = X[rows].T @ A @ e[rows]
        meat += np.outer(s, s)
    expected = bread @ meat @ bread
    got = ols(y, X, names, se_type="cr2", clusters=cl).cov
    assert got == pytest.approx(expected, rel=1e-8)


def test_wild_t_algebra_equals_refitting(clustered):
    # The per-cluster algebra must give the same bootstrap t statistics as refitting OLS.
    y, X, names, cl = clustered
    codes, G = cluster_codes(cl)
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    fitted, resid = X @ beta, y - X @ beta
    W = _bootstrap_weights(np.random.default_rng(0), G, 25, "webb")
    n, k = X.shape
    adj = G / (G - 1) * (n - 1) / (n - k)
    fast = _wild_t(X, fitted, resid, codes, G, bread, 1, W, beta[1], adj)
    slow = []
    for b in range(W.shape[1]):
        ystar = fitted + resid * W[codes, b]
        fit = sm.OLS(ystar, X).fit(cov_type="cluster", cov_kwds={"groups": codes})
        slow.append((fit.params[1] - beta[1]) / fit.bse[1])
    assert fast == pytest.approx(np.array(slow), rel=1e-9)


def test_wild_bootstrap_is_seeded_and_sensible(clustered):
    y, X, names, cl = clustered
    a = wild_cluster_bootstrap(y, X, names, "t", cl, reps=399, seed=5)
    b = wild_cluster_bootstrap(y, X, names, "t", cl, reps=399, seed=5)
    assert a == b
    analytic = coefficient_inference(y, X, names, "t", se_type="cluster", clusters=cl)
    assert a["ci_low"] < analytic["estimate"] < a["ci_high"]
    # same order of magnitude as the analytic interval
    width = a["ci_high"] - a["ci_low"]
    assert 0.6 < width / (analytic["ci_high"] - analytic["ci_low"]) < 1.8
    # x has a strong true effect (1 per unit, n = 400): the bootstrap rejects clearly
    assert wild_cluster_bootstrap(y, X, names, "x", cl, reps=399, seed=1)["p_value"] < 0.01
    # y unrelated to a noise regressor: the bootstrap p-value is not small
    z = np.random.default_rng(9).normal(size=len(y))
    Xz = np.column_stack([X, z])
    assert wild_cluster_bootstrap(y, Xz, [*names, "z"], "z", cl, reps=399, seed=1)["p_value"] > 0.05


def test_one_cluster_and_too_few_rows_are_not_estimable(clustered):
    y, X, names, _ = clustered
    with pytest.raises(NotEstimable, match="one cluster"):
        ols(y, X, names, se_type="cluster", clusters=np.zeros(len(y), dtype=int))
    with pytest.raises(NotEstimable, match="too few observations"):
        ols(y[:3], X[:3], names)


def test_collinearity_is_named():
    rng = np.random.default_rng(1)
    a, t = rng.normal(size=50), rng.integers(0, 2, 50)
    X = np.column_stack([np.ones(50), t, a, 2 * a + 1])
    with pytest.raises(NotEstimable, match="collinear covariates"):
        check_full_rank(X, ["const", "t", "a", "b"], protect=["t"])
    X2 = np.column_stack([np.ones(50), t, 1 - t])
    with pytest.raises(NotEstimable, match="treatment term"):
        check_full_rank(X2, ["const", "t", "c"], protect=["t", "c"])
    with pytest.raises(NotEstimable, match="no variation"):
        check_full_rank(np.column_stack([np.ones(50), np.zeros(50)]), ["const", "z"])


def test_t_inference_normal_and_t():
    out = t_inference(2.0, 1.0, None, 0.95)
    assert out["ci_low"] == pytest.approx(2 - 1.959963985, abs=1e-8)
    assert out["p_value"] == pytest.approx(2 * stats.norm.sf(2))
    out = t_inference(2.0, 1.0, 10, 0.90)
    assert out["ci_high"] == pytest.approx(2 + stats.t(10).ppf(0.95))


def test_demean_two_fixed_effects_equals_dummy_ols():
    # Unbalanced two-way design: the within estimator equals the dummy-variable coefficient.
    rng = np.random.default_rng(2)
    n = 3000
    a = rng.integers(0, 60, n)
    b = (a // 3 + rng.integers(0, 8, n)) % 25  # correlated with a
    x = rng.normal(size=n) + 0.1 * a
    y = 0.7 * x + rng.normal(size=60)[a] + rng.normal(size=25)[b] + rng.normal(size=n)
    absorbed = absorb_setup([a, b], ["a", "b"])
    Z = demean(np.column_stack([y, x]), absorbed)
    within = float(Z[:, 1] @ Z[:, 0] / (Z[:, 1] @ Z[:, 1]))
    dummies = np.column_stack(
        [x, np.eye(60)[a], np.eye(25)[b][:, 1:]]
    )  # intercept absorbed in the a dummies
    dummy = np.linalg.lstsq(dummies, y, rcond=None)[0][0]
    assert abs(within - dummy) < 1e-10
    assert absorbed.df == 60 + 25 - 1


def test_absorbed_degrees_of_freedom():
    unit = np.repeat(np.arange(10), 3)
    site = unit // 5  # units nested in two sites
    period = np.tile(np.arange(3), 10)
    # unit and site: site is redundant given unit → rank 10
    assert absorb_setup([unit, site], ["u", "s"]).df == 10
    two_way = absorb_setup([unit, period], ["u", "p"], clusters=site)
    assert two_way.df == 10 + 3 - 1
    # unit effects nested in the site clusters are not counted for CR1 (intercept kept)
    assert two_way.df_not_nested == 3
    # two disconnected blocks: one more redundancy
    blocks = absorb_setup([np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1])], ["a", "b"])
    assert blocks.df == 2


def test_drop_singletons_iterates():
    a = np.array([0, 0, 1, 2, 2])
    b = np.array([0, 1, 1, 2, 2])
    # level a=1 is a singleton → its row goes; then b=1 becomes a singleton → its row goes too
    assert drop_singletons([a, b]).tolist() == [False, False, False, True, True]


def test_linear_term_with_absorbed_effects_matches_dummy_regression():
    rng = np.random.default_rng(3)
    n, S, P = 2000, 40, 6
    site = rng.integers(0, S, n)
    period = rng.integers(0, P, n)
    d = (site < 20).astype(float)
    post = (period >= 3).astype(float)
    y = 0.4 * d * post + rng.normal(size=S)[site] + 0.3 * period + rng.normal(size=n)
    X = np.column_stack([d, post, d * post])
    names = ["treated", "post", "treated:post"]
    dummies = np.column_stack([d * post, np.eye(S)[site], np.eye(P)[period][:, 1:]])
    # classical: the absorbed levels count in the degrees of freedom
    fit = linear_term(
        y,
        X,
        names,
        "treated:post",
        se_type="classical",
        fixed_effects=[("period", period)],
    )
    ref = sm.OLS(y, np.column_stack([d * post, d, np.eye(P)[period]])).fit()
    assert fit["estimate"] == pytest.approx(ref.params[0], abs=1e-10)
    assert fit["se"] == pytest.approx(ref.bse[0], rel=1e-9)
    assert fit["absorbed"] == ["post"]
    # HC2 with one absorbed effect uses the exact leverages (1/n_g added)
    fit = linear_term(y, X, names, "treated:post", se_type="robust", fixed_effects=[("p", period)])
    ref = sm.OLS(y, np.column_stack([d * post, d, np.eye(P)[period]])).fit(cov_type="HC2")
    assert fit["se"] == pytest.approx(ref.bse[0], rel=1e-9)
    # cluster by site, period effects not nested in sites: same K as the dummy regression
    fit = linear_term(
        y,
        X,
        names,
        "treated:post",
        se_type="cluster",
        fixed_effects=[("period", period)],
        cluster_labels=site,
    )
    ref = sm.OLS(y, np.column_stack([d * post, d, np.eye(P)[period]])).fit(
        cov_type="cluster", cov_kwds={"groups": site}
    )
    assert fit["se"] == pytest.approx(ref.bse[0], rel=1e-9)
    # two-way effects: coefficient within 1e-8 of dummies; site effects nested in clusters
    fit = linear_term(
        y,
        X,
        names,
        "treated:post",
        se_type="cluster",
        fixed_effects=[("site", site), ("period", period)],
        cluster_labels=site,
    )
    ref = sm.OLS(y, dummies).fit(cov_type="cluster", cov_kwds={"groups": site})
    assert abs(fit["estimate"] - ref.params[0]) < 1e-8
    n_params = dummies.shape[1]
    k_nested = 1 + 1 + (P - 1)  # term + intercept + period effects (site effects left out)
    rescale = np.sqrt((n - n_params) / (n - k_nested))
    assert fit["se"] == pytest.approx(ref.bse[0] * rescale, rel=1e-8)
    assert sorted(fit["absorbed"]) == ["post", "treated"]


def test_absorbed_term_is_not_estimable():
    unit = np.repeat(np.arange(20), 2)
    d = (unit < 10).astype(float)
    y = np.random.default_rng(0).normal(size=40)
    with pytest.raises(NotEstimable, match="absorbed by the fixed effects"):
        linear_term(
            y, d[:, None], ["treated"], "treated", se_type="robust", fixed_effects=[("unit", unit)]
        )


def test_balance_table_smd_by_hand():
    X = np.array([[1.0], [2.0], [3.0], [2.0], [4.0], [6.0]])
    t = np.array([0, 0, 0, 1, 1, 1])
    row = balance_table(X, ["x"], t)[0]
    # means 4 vs 2; variances 4 and 1 → SMD = 2 / sqrt(2.5)
    assert row["smd"] == pytest.approx(2 / np.sqrt(2.5))
    assert row["flagged"] is True
    w = np.array([1, 1, 1, 2, 1, 1.0])
    row = balance_table(X, ["x"], t, weights=w)[0]
    assert row["mean_treated_weighted"] == pytest.approx((4 + 4 + 6) / 4)
    assert row["smd_weighted"] == pytest.approx((3.5 - 2) / np.sqrt(2.5))


def test_effect_sizes_continuous_and_binary():
    y1 = np.array([3.0, 5, 7, 9])
    y0 = np.array([1.0, 2, 3, 4, 5])
    sizes = effect_sizes(y1, y0, 3.0, binary=False)
    s2 = (3 * np.var(y1, ddof=1) + 4 * np.var(y0, ddof=1)) / 7
    d = 3 / np.sqrt(s2)
    assert sizes["cohens_d"] == pytest.approx(d)
    assert sizes["hedges_g"] == pytest.approx(d * (1 - 3 / (4 * 9 - 9)))
    b = effect_sizes(np.array([1, 1, 1, 0]), np.array([1, 0, 0, 0]), 0.25, binary=True)
    # p1 = 0.75, counterfactual p0 = 0.5
    assert b["risk_ratio"] == pytest.approx(1.5)
    assert b["odds_ratio"] == pytest.approx(3.0)
    assert b["risk_difference"] == 0.25


def test_icc_oneway_by_hand():
    # Two clusters of three: means 2 and 5, within variance 1 → MSB = 13.5, MSW = 1, m0 = 3.
    y = np.array([1.0, 2, 3, 4, 5, 6])
    codes = np.array([0, 0, 0, 1, 1, 1])
    assert icc_oneway(y, codes) == pytest.approx((13.5 - 1) / (13.5 + 2 * 1))


def test_mde():
    assert minimum_detectable_effect(1.0) == pytest.approx(1.959964 + 0.841621, abs=1e-5)
    assert minimum_detectable_effect(1.0, design_effect=4.0) == pytest.approx(
        2 * 2.801585, rel=1e-5
    )
    assert minimum_detectable_effect(None) is None


def test_holm_matches_statsmodels():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    assert holm(p) == pytest.approx(multipletests(p, method="holm")[1])


def test_result_dict_is_json_safe():
    out = result_dict(
        estimate=float("nan"),
        se=1.0,
        ci_low=None,
        ci_high=float("inf"),
        p_value=0.5,
        n=10,
        n_treated=5,
        n_control=5,
        n_clusters=None,
        design="did",
        method="m",
        extra_key=1,
    )
    assert out["estimate"] is None and out["ci_high"] is None and out["extra_key"] == 1


def test_drop_singletons_when_the_last_level_goes():
    # The highest level code is a singleton: counts must still cover every code.
    a = np.array([0, 0, 1, 1, 2])
    b = np.array([0, 0, 0, 0, 0])
    assert drop_singletons([a, b]).tolist() == [True, True, True, True, False]


def test_check_clusters():
    check_clusters(np.array([0, 0, 1, 1, 2, 2]), np.array([1, 0, 1, 0, 1, 0]))  # fine
    with pytest.raises(NotEstimable, match="^only one cluster"):
        check_clusters(np.zeros(6, dtype=int))
    with pytest.raises(NotEstimable, match="^only 2 clusters: a cluster-robust"):
        check_clusters(np.array([0, 0, 1, 1]), np.array([1, 0, 1, 0]))
    with pytest.raises(NotEstimable, match="^only 1 treated cluster: .*here 1 and 3, of 4"):
        check_clusters(np.array([0, 0, 1, 1, 2, 3]), np.array([1, 1, 0, 0, 0, 0]))
    with pytest.raises(NotEstimable, match="^only 1 comparison cluster"):
        check_clusters(np.array([0, 0, 1, 1, 2, 3]), np.array([0, 0, 1, 1, 1, 1]))
    # codes need not be contiguous
    check_clusters(np.array([3, 3, 7, 7, 9, 9]), np.array([1, 0, 1, 0, 1, 0]))


def test_check_se():
    check_se(2.0, 0.5)
    check_se(None, None)
    for est, se in ((0.43, 7.6e-17), (0.43, 0.0), (1e6, 1e-5), (1.0, float("nan"))):
        with pytest.raises(NotEstimable, match="^the standard error is"):
            check_se(est, se)


def test_cluster_se_with_one_treated_cluster_is_refused():
    rng = np.random.default_rng(2)
    cl = np.repeat(np.arange(6), 20)
    t = (cl == 0).astype(float)  # treatment by cluster, one treated cluster
    y = rng.normal(size=cl.size) + t
    X = np.column_stack([np.ones_like(y), t])
    for small in ("none", "cr2", "wild_bootstrap"):
        with pytest.raises(NotEstimable, match="^only 1 treated cluster"):
            coefficient_inference(
                y, X, ["const", "t"], "t", se_type="cluster", clusters=cl, small_sample=small
            )
    # robust SEs do not use the clusters and are not refused
    coefficient_inference(y, X, ["const", "t"], "t", se_type="robust", clusters=cl)


def test_wild_bootstrap_refuses_too_few_clusters():
    rng = np.random.default_rng(3)
    cl = np.repeat(np.arange(2), 30)
    t = (cl == 0).astype(float)
    y = rng.normal(size=cl.size) + t
    X = np.column_stack([np.ones_like(y), t])
    # Before: p = 0.03 and an interval of width ~1e-15 around the estimate.
    with pytest.raises(NotEstimable, match="^only 1 treated cluster"):
        wild_cluster_bootstrap(y, X, ["const", "t"], "t", cl, reps=199, seed=1, weights="webb")
    mixed = np.tile([0.0, 1.0], 30)
    Xm = np.column_stack([np.ones_like(y), mixed])
    with pytest.raises(NotEstimable, match="^only 2 clusters"):
        wild_cluster_bootstrap(y, Xm, ["const", "t"], "t", cl, reps=199, seed=1, weights="webb")


def test_suppress_balance_blanks_shares_from_small_counts():
    X = np.column_stack(
        [
            np.r_[np.ones(3), np.zeros(17), np.ones(10), np.zeros(10)],  # 3 treated with trait
            np.arange(40.0),  # continuous: no counts
        ]
    )
    t = np.r_[np.ones(20), np.zeros(20)]
    rows = balance_table(X, ["trait", "age"], t, weights=np.ones(40))
    assert "_counts" in rows[0] and "_counts" not in rows[1]
    out = suppress_balance(rows, min_cell=5)
    trait, age = out
    assert trait["mean_treated"] is None and trait["mean_treated_weighted"] is None
    assert trait["mean_control"] == 0.5 and trait["mean_control_weighted"] == 0.5
    assert trait["smd"] is None and trait["smd_weighted"] is None
    assert trait["suppressed"] is True and "programme group" in trait["reason"]["en"]
    assert "groupe du programme" in trait["reason"]["fr"]
    assert age == {k: v for k, v in rows[1].items()}
    assert all("_counts" not in r for r in out)
    assert suppress_balance(rows, min_cell=3)[0]["mean_treated"] == pytest.approx(3 / 20)
