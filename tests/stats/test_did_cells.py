"""The DiD from cell sums (stats/did_cells.py) equals OLS on the rows: statsmodels' fit of
y ~ d + post + d×post with classical, HC0–HC3 and cluster (CR1) covariances, and the ICC of
sections/effects/sizes.py, on simulated data with a known effect."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.sections.effects.sizes import icc_oneway as icc_rows
from evalsoc.stats import did_cells

TRUE_EFFECT = 0.5


def _simulated(seed: int = 7, sites: int = 30, per_site: int = 60) -> dict[str, np.ndarray]:
    """Sites treated by cluster (half of them), two waves, a site effect and a known DiD."""
    rng = np.random.default_rng(seed)
    site = np.repeat(np.arange(sites), per_site)
    d = (site % 2).astype(np.int64)
    post = rng.integers(0, 2, site.size)
    site_effect = rng.normal(0, 0.4, sites)[site]
    y = 2 + 0.3 * d + 0.2 * post + TRUE_EFFECT * d * post + site_effect
    y = y + rng.normal(0, 1 + 0.5 * d, site.size)  # heteroskedastic: HC and classical differ
    return {"y": y, "d": d, "post": post, "site": site}


def _groups(data: dict[str, np.ndarray], clustered: bool) -> did_cells.GroupSums:
    """What an engine returns: per (treated, post[, cluster]) count, sum, squared deviations."""
    keys = np.column_stack(
        [data["d"], data["post"], data["site"] if clustered else np.zeros_like(data["d"])]
    )
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n = np.bincount(inverse)
    total = np.bincount(inverse, weights=data["y"])
    mean = total / n
    ss = np.bincount(inverse, weights=(data["y"] - mean[inverse]) ** 2)
    return did_cells.GroupSums(
        unique[:, 0].astype(np.int64),
        unique[:, 1].astype(np.int64),
        n.astype(np.int64),
        total,
        ss,
        unique[:, 2].astype(np.int64) if clustered else None,
    )


def _statsmodels(data: dict[str, np.ndarray], cov_type: str, **kwds: object) -> tuple:
    import statsmodels.api as sm

    d, post = data["d"].astype(float), data["post"].astype(float)
    X = sm.add_constant(np.column_stack([d, post, d * post]))
    fit = sm.OLS(data["y"], X).fit(cov_type=cov_type, **kwds)
    return float(fit.params[3]), float(fit.bse[3]), fit


@pytest.mark.parametrize(
    ("se_type", "cov_type"),
    [
        ("classical", "nonrobust"),
        ("hc0", "HC0"),
        ("hc1", "HC1"),
        ("robust", "HC2"),  # evalsoc's `robust` is HC2
        ("hc3", "HC3"),
    ],
)
def test_unclustered_variances_equal_statsmodels(se_type: str, cov_type: str) -> None:
    data = _simulated()
    groups = _groups(data, clustered=False)
    table = did_cells.cells(groups)
    estimate, se, fit = _statsmodels(data, cov_type)
    var, df, clusters = did_cells.variance(groups, table, se_type)
    assert did_cells.estimate(table) == pytest.approx(estimate, rel=1e-12)
    assert np.sqrt(var) == pytest.approx(se, rel=1e-10)
    assert df == fit.df_resid == data["y"].size - 4
    assert clusters is None
    # the known effect, within the sampling error
    assert abs(estimate - TRUE_EFFECT) < 4 * se


def test_cluster_robust_equals_statsmodels_cr1() -> None:
    data = _simulated()
    groups = _groups(data, clustered=True)
    table = did_cells.cells(groups)
    estimate, se, _ = _statsmodels(data, "cluster", cov_kwds={"groups": data["site"]})
    var, df, clusters = did_cells.variance(groups, table, "cluster")
    assert did_cells.estimate(table) == pytest.approx(estimate, rel=1e-12)
    # statsmodels' default cluster correction is Stata's G/(G−1)·(n−1)/(n−K), as evalsoc's CR1
    assert np.sqrt(var) == pytest.approx(se, rel=1e-10)
    assert (df, clusters) == (29.0, 30)
    assert abs(estimate - TRUE_EFFECT) < 4 * se


def test_cells_pooled_from_clusters_equal_the_rows() -> None:
    data = _simulated()
    table = did_cells.cells(_groups(data, clustered=True))
    for i, (d, p) in enumerate(did_cells.CELLS):
        y = data["y"][(data["d"] == d) & (data["post"] == p)]
        assert table.n[i] == y.size
        assert table.mean[i] == pytest.approx(y.mean(), rel=1e-13)
        assert table.ss[i] == pytest.approx(((y - y.mean()) ** 2).sum(), rel=1e-11)


def test_classical_t_is_the_homoskedastic_t() -> None:
    data = _simulated()
    estimate, se, fit = _statsmodels(data, "nonrobust")
    t, dof = did_cells.classical_t(did_cells.cells(_groups(data, clustered=False)))
    assert t == pytest.approx(estimate / se, rel=1e-10)
    assert dof == fit.df_resid


def test_icc_from_cluster_sums_equals_the_rows() -> None:
    data = _simulated()
    y, site = data["y"], data["site"]
    n = np.bincount(site)
    total = np.bincount(site, weights=y)
    ss = np.bincount(site, weights=(y - (total / n)[site]) ** 2)
    expected = icc_rows(y, site)
    assert expected is not None and expected > 0.05  # the simulated site effect is seen
    assert did_cells.icc_oneway(n, total, ss) == pytest.approx(expected, rel=1e-10)


def test_hc2_refuses_a_one_row_cell() -> None:
    data = _simulated()
    keep = ~((data["d"] == 1) & (data["post"] == 1))
    keep[np.flatnonzero(~keep)[0]] = True  # one treated-after row left: leverage 1
    subset = {k: v[keep] for k, v in data.items()}
    groups = _groups(subset, clustered=False)
    with pytest.raises(did_cells.NotComputable, match="leverage 1"):
        did_cells.variance(groups, did_cells.cells(groups), "robust")
    var, _, _ = did_cells.variance(groups, did_cells.cells(groups), "hc1")  # needs no leverage
    assert var > 0
