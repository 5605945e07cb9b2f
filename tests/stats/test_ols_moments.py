"""OLS from grouped moments (stats/ols_moments.py) equals OLS on the rows: statsmodels' fit of
y ~ d + post + d×post + two numeric covariates + a categorical's dummies + a fixed effect's
dummies, classical, HC0–HC3 and cluster (CR1) covariances, within 1e-10 relative, on simulated
data with a known effect (statsmodels 0.15.0, `sm.OLS(y, X).fit(cov_type=...)`)."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.stats import ols_moments

TRUE_EFFECT = 0.5


def _simulated(seed: int = 11, rows: int = 3000) -> dict[str, np.ndarray]:
    """Sites treated by cluster, two waves, age and income (vary within groups), a 3-level
    category and a 5-level fixed effect (constant within groups); heteroskedastic errors."""
    rng = np.random.default_rng(seed)
    site = rng.integers(0, 30, rows)
    d = (site % 2).astype(float)
    post = rng.integers(0, 2, rows).astype(float)
    age = rng.integers(18, 66, rows).astype(float)
    income = 1500 + 300 * rng.standard_normal(rows) + 5 * age
    cat = rng.integers(0, 3, rows)
    fe = rng.integers(0, 5, rows)
    y = (
        20 + 0.3 * d + 0.2 * post + TRUE_EFFECT * d * post + 0.02 * age + 0.001 * income
        + 0.4 * (cat == 1) - 0.3 * (cat == 2) + 0.1 * fe + rng.normal(0, 0.4, 30)[site]
        + rng.normal(0, 1 + 0.5 * d, rows)
    )  # fmt: skip
    X = np.column_stack(
        [d, post, d * post, age, income, cat == 1, cat == 2, *[fe == v for v in range(1, 5)]]
    ).astype(float)
    return {"y": y, "X": X, "site": site, "key": np.column_stack([d, post, cat, fe])}


VARYING = (3, 4, 11)  # age, income and the outcome (column k = 11) vary within groups


def _moments(data: dict[str, np.ndarray], clustered: bool) -> ols_moments.Moments:
    """What an engine returns: per (d, post, category, fixed effect[, cluster]) group, its
    count, column means and co-moments of the varying columns about the group's mean."""
    Z = np.column_stack([data["X"], data["y"]])
    keys = np.column_stack([data["key"], data["site"] if clustered else 0 * data["site"]])
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    R = unique.shape[0]
    n = np.bincount(inverse).astype(float)
    mean = np.column_stack([np.bincount(inverse, weights=z, minlength=R) for z in Z.T]) / n[:, None]
    dev = (Z - mean[inverse])[:, VARYING]
    comoment = np.zeros((R, len(VARYING), len(VARYING)))
    np.add.at(comoment, inverse, dev[:, :, None] * dev[:, None, :])
    cluster = unique[:, -1].astype(np.int64) if clustered else None
    return ols_moments.Moments(n, mean, comoment, VARYING, cluster)


def _statsmodels(data: dict[str, np.ndarray], cov_type: str, **kwds: object) -> tuple:
    import statsmodels.api as sm

    fit = sm.OLS(data["y"], sm.add_constant(data["X"])).fit(cov_type=cov_type, **kwds)
    return fit.params[1:], fit.bse[1:], fit


def _hc_by_second_pass(data: dict[str, np.ndarray], kind: str, fitted: ols_moments.Fit) -> tuple:
    """The second scan as an engine makes it: per row, e and h from its key group's terms."""
    moments = _moments(data, clustered=False)
    vary = VARYING[:-1]
    constant = moments.mean[:, :-1].copy()
    centre = fitted.pooled.mean[list(vary)]
    constant[:, list(vary)] = centre
    transform = ols_moments.placement(len(constant), constant.shape[1], vary)
    terms = ols_moments.second_pass(fitted, constant, transform, centre)
    Z = np.column_stack([data["X"], data["y"]])
    _, inverse = np.unique(data["key"], axis=0, return_inverse=True)
    r = inverse.ravel()
    nt = Z[:, list(vary)] - terms.centre
    e = data["y"] - terms.alpha[r] - (terms.slope[r] * nt).sum(axis=1)
    quadratic = np.einsum("iq,iqp,ip->i", nt, terms.D[r], nt)
    h = terms.h0[r] + (terms.b[r] * nt).sum(axis=1) + quadratic
    w = e**2 / (1 - h) ** {"hc0": 0, "hc1": 0, "hc2": 1, "hc3": 2}[kind]
    R = moments.n.size
    sw = np.bincount(r, weights=w, minlength=R)
    swx = np.column_stack([np.bincount(r, weights=w * c, minlength=R) for c in nt.T])
    swxx = np.zeros((R, nt.shape[1], nt.shape[1]))
    np.add.at(swxx, r, w[:, None, None] * nt[:, :, None] * nt[:, None, :])
    meat = ols_moments.hc_meat(constant, transform, fitted, sw, swx, swxx)
    return meat, float(h.max()), h


@pytest.mark.parametrize("kind", ["hc0", "hc1", "hc2", "hc3"])
def test_hc_from_the_second_pass_equals_statsmodels(kind: str) -> None:
    data = _simulated()
    fitted = ols_moments.fit(ols_moments.pool(_moments(data, clustered=False)))
    meat, top, h = _hc_by_second_pass(data, kind, fitted)
    K = data["X"].shape[1] + 1
    cov = ols_moments.hc(fitted, meat, kind, K, top)
    params, bse, reference = _statsmodels(data, kind.upper())
    assert fitted.coef == pytest.approx(params, rel=1e-10)
    assert np.sqrt(np.diag(cov)) == pytest.approx(bse, rel=1e-10)
    assert h == pytest.approx(reference.get_influence().hat_matrix_diag, rel=1e-10)
    assert abs(fitted.coef[2] - TRUE_EFFECT) < 4 * np.sqrt(cov[2, 2])


def test_classical_and_cr1_equal_statsmodels() -> None:
    data = _simulated()
    K = data["X"].shape[1] + 1
    for clustered in (False, True):
        moments = _moments(data, clustered)
        fitted = ols_moments.fit(ols_moments.pool(moments))
        params, bse, reference = _statsmodels(data, "nonrobust")
        assert fitted.coef == pytest.approx(params, rel=1e-10)
        assert fitted.intercept == pytest.approx(reference.params[0], rel=1e-10)
        assert fitted.rss == pytest.approx(reference.ssr, rel=1e-10)
        classical = ols_moments.classical(fitted, K)
        assert np.sqrt(np.diag(classical)) == pytest.approx(bse, rel=1e-10)
    scores = ols_moments.cluster_scores(moments, fitted)
    cov = ols_moments.cr1(fitted, scores, K)
    _, bse, _ = _statsmodels(data, "cluster", cov_kwds={"groups": data["site"]})
    assert np.sqrt(np.diag(cov)) == pytest.approx(bse, rel=1e-10)
    assert scores.shape == (30, K - 1)


def test_a_large_outcome_mean_loses_no_digit() -> None:
    """y shifted by 10⁷ (10⁷ times its spread): the slopes and the RSS are those of the
    unshifted outcome to 1e-7 (the shifted outcome itself is rounded to 2e-9), the RSS to
    1e-8 (Σy² − β'X'y would keep about 2 digits of it here)."""
    data = _simulated()
    params, _, reference = _statsmodels(data, "nonrobust")
    data["y"] = data["y"] + 1e7
    fitted = ols_moments.fit(ols_moments.pool(_moments(data, clustered=False)))
    assert fitted.coef == pytest.approx(params, rel=1e-7)
    assert fitted.rss == pytest.approx(reference.ssr, rel=1e-8)


def test_leverage_one_is_refused_as_the_rows_are() -> None:
    data = _simulated()
    fitted = ols_moments.fit(ols_moments.pool(_moments(data, clustered=False)))
    with pytest.raises(ols_moments.NotComputable, match="leverage 1"):
        ols_moments.hc(fitted, np.eye(fitted.coef.size), "hc2", 12, 1.0)


def test_schur_is_the_gram_of_the_residualised_columns() -> None:
    data = _simulated()
    pooled = ols_moments.pool(_moments(data, clustered=False))
    X = data["X"]
    D = np.column_stack([np.ones(len(X)), X[:, 7:]])
    resid = X[:, :7] - D @ np.linalg.lstsq(D, X[:, :7], rcond=None)[0]
    got = ols_moments.schur(pooled.matrix, range(7), range(7, 11))
    assert got == pytest.approx(resid.T @ resid, rel=1e-9, abs=1e-6)
