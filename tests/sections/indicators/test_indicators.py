"""Indicators on small frames whose values are worked out by hand or with scipy/statsmodels."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from evalsoc.framework.model import IndicatorSpec
from evalsoc.sections.indicators.compute import IndicatorError, compute_quantitative


def spec(**kw):
    return IndicatorSpec.model_validate({"id": "i", **kw})


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 300
    return pd.DataFrame(
        {
            "site": rng.choice(["a", "b", "c"], n, p=[0.5, 0.45, 0.05]),
            "employed": pd.array(rng.random(n) < 0.4, dtype="boolean"),
            "income": rng.normal(1000, 200, n),
            "hours": rng.uniform(1, 10, n),
            "people": np.ones(n),
            "likert": rng.integers(1, 6, n).astype(float),
        }
    )


def test_proportion_overall_and_by(frame):
    res = compute_quantitative(spec(proportion="employed", by=["site"], target=0.3), frame, 10, 1)
    x = int(frame["employed"].sum())
    assert res["value"] == pytest.approx(x / 300)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx(
        proportion_confint(x, 300, method="wilson")
    )
    assert res["status"] == ("met" if x / 300 >= 0.3 else "not_met")
    cells = {c["group"]["site"]: c for c in res["by"]}
    for site in ("a", "b"):
        sub = frame[frame.site == site]
        assert cells[site]["n"] == len(sub)
        assert cells[site]["value"] == pytest.approx(sub["employed"].mean())
    # site c has 22 people; with min_cell 30 it is suppressed
    small = compute_quantitative(spec(proportion="employed", by=["site"]), frame, 30, 1)
    c_cell = next(c for c in small["by"] if c["group"]["site"] == "c")
    assert c_cell["suppressed"] and c_cell["value"] is None and c_cell["n"] is None
    assert "fewer than 30" in c_cell["reason"]["en"]


def test_proportion_of_condition(frame):
    res = compute_quantitative(spec(proportion="income > 1000"), frame, 10, 1)
    assert res["value"] == pytest.approx((frame.income > 1000).mean())


def test_mean_median_rate_sum_count(frame):
    mean = compute_quantitative(spec(mean="income", baseline=900.0), frame, 10, 1)
    assert mean["value"] == pytest.approx(frame.income.mean())
    assert mean["change"] == pytest.approx(frame.income.mean() - 900)
    med = compute_quantitative(spec(median="income"), frame, 10, 1)
    sorted_income = np.sort(frame.income)
    assert med["value"] == pytest.approx(np.median(sorted_income))
    # Brute force: the largest j with P(X_(j) <= median <= X_(n+1-j)) >= 95% under Bin(300, 1/2).
    from scipy import stats

    j = max(j for j in range(1, 151) if 1 - 2 * stats.binom.cdf(j - 1, 300, 0.5) >= 0.95)
    assert med["ci_low"] == sorted_income[j - 1] and med["ci_high"] == sorted_income[300 - j]
    rate = compute_quantitative(spec(rate=["hours", "people"]), frame, 10, 1)
    assert rate["value"] == pytest.approx(frame.hours.mean())
    total = compute_quantitative(spec(sum="hours"), frame, 10, 1)
    assert total["value"] == pytest.approx(frame.hours.sum()) and total["ci_low"] is None
    count = compute_quantitative(spec(count="site == 'a'"), frame, 10, 1)
    assert count["value"] == (frame.site == "a").sum()


def test_share_of_values_and_distribution(frame):
    res = compute_quantitative(spec(share="likert", values=[4, 5], target=0.5), frame, 10, 1)
    expected = frame.likert.isin([4, 5]).mean()
    assert res["value"] == pytest.approx(expected)
    dist = {c["value"]: c["share"] for c in res["categories"]}
    assert dist["5"] == pytest.approx((frame.likert == 5).mean())
    assert sum(dist.values()) == pytest.approx(1.0)


def test_better_lower_status(frame):
    res = compute_quantitative(spec(mean="income", target=2000, better="lower"), frame, 10, 1)
    assert res["status"] == "met"


def test_no_rows_is_not_estimable(frame):
    res = compute_quantitative(spec(mean="income"), frame.iloc[:0], 10, 1)
    assert (
        res["value"] is None
        and res["status"] == "not_estimable"
        and res["reason"]["en"] == "no rows with a value"
    )


def test_all_missing_column_is_not_estimable(frame):
    frame = frame.assign(income=np.nan)
    res = compute_quantitative(spec(mean="income"), frame, 10, 1)
    assert res["value"] is None and res["n"] == 0


def test_unknown_column_suggests(frame):
    with pytest.raises(IndicatorError, match="did you mean 'income'"):
        compute_quantitative(spec(mean="incme"), frame, 10, 1)


def test_non_numeric_column_is_explained(frame):
    with pytest.raises(IndicatorError, match="not numeric"):
        compute_quantitative(spec(mean="site"), frame, 10, 1)


def test_bootstrap_is_seeded_and_close_to_t_interval(frame):
    a = compute_quantitative(spec(mean="income", bootstrap=400), frame, 10, 7)
    b = compute_quantitative(spec(mean="income", bootstrap=400), frame, 10, 7)
    t = compute_quantitative(spec(mean="income"), frame, 10, 7)
    assert (a["ci_low"], a["ci_high"]) == (b["ci_low"], b["ci_high"])
    assert a["ci_low"] == pytest.approx(t["ci_low"], rel=0.01)
    assert "bootstrap" in a["ci_method"]


def test_ground_truth_recovered_by_interval():
    # 95% Wilson intervals over 300 simulated datasets cover the true proportion 93–97% of the time.
    rng = np.random.default_rng(11)
    hits = 0
    for _ in range(300):
        frame = pd.DataFrame({"y": pd.array(rng.random(200) < 0.3, dtype="boolean")})
        res = compute_quantitative(spec(proportion="y"), frame, 10, 1)
        hits += res["ci_low"] <= 0.3 <= res["ci_high"]
    assert 0.92 <= hits / 300 <= 0.98
    _ = SimpleNamespace


def test_small_numerator_or_complement_suppresses_a_proportion():
    frame = pd.DataFrame({"y": pd.array([True] * 3 + [False] * 97, dtype="boolean")})
    res = compute_quantitative(spec(proportion="y"), frame, 10, 1)
    assert res["suppressed"] and res["value"] is None and "count" not in res
    frame = pd.DataFrame({"y": pd.array([True] * 95 + [False] * 5, dtype="boolean")})
    assert compute_quantitative(spec(proportion="y"), frame, 10, 1)["suppressed"]
    frame = pd.DataFrame({"y": pd.array([True] * 30 + [False] * 70, dtype="boolean")})
    assert compute_quantitative(spec(proportion="y"), frame, 10, 1)["value"] == pytest.approx(0.3)


def test_share_of_a_rare_value_and_its_category_are_hidden():
    frame = pd.DataFrame({"cat": ["rare"] * 3 + ["a"] * 113 + ["b"] * 84})
    res = compute_quantitative(spec(share="cat", values=["rare"]), frame, 10, 1)
    assert res["suppressed"] and res["value"] is None
    dist = compute_quantitative(spec(share="cat"), frame, 10, 1)["categories"]
    hidden = {c["value"] for c in dist if c["suppressed"]}
    # "rare" (3) is hidden, and "b" (the next smallest) too, or 200 − 113 − 84 would give 3
    assert hidden == {"rare", "b"}
    assert all(c["count"] is None and c["share"] is None for c in dist if c["suppressed"])


def test_secondary_suppression_of_by_cells():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"site": ["a"] * 60 + ["b"] * 40 + ["c"] * 4, "x": rng.normal(size=104)})
    res = compute_quantitative(spec(mean="x", by=["site"]), frame, 10, 1)
    cells = {c["group"]["site"]: c for c in res["by"]}
    assert cells["c"]["suppressed"] and "fewer than 10" in cells["c"]["reason"]["en"]
    # overall n and mean minus site a's would give back site c: b (smaller than a) is hidden too
    assert cells["b"]["suppressed"] and cells["b"]["reason"]["code"] == "complement"
    assert cells["a"]["value"] == pytest.approx(frame.x[:60].mean())


def test_secondary_suppression_covers_several_small_cells():
    """Two hidden cells of 1 and 2 people under a published total would give back 3 people."""
    rng = np.random.default_rng(4)
    sites = ["a"] * 50 + ["b"] * 30 + ["c"] * 20 + ["d"] * 1 + ["e"] * 2
    frame = pd.DataFrame({"site": sites, "x": rng.normal(size=len(sites))})
    res = compute_quantitative(spec(mean="x", by=["site"]), frame, 5, 1)
    hidden = {c["group"]["site"] for c in res["by"] if c["suppressed"]}
    assert hidden == {"d", "e", "c"}


def test_share_by_group_cannot_be_recovered_from_the_overall_distribution():
    """Overall count of an answer minus the other group's count must not give a hidden cell."""
    frame = pd.DataFrame(
        {
            "quartier": ["Centre"] * 100 + ["Tilleuls"] * 100,
            "q": [1] * 10 + [3] * 45 + [5] * 45 + [1] * 7 + [3] * 48 + [5] * 45,
        }
    )
    res = compute_quantitative(spec(share="q", values=[5], by=["quartier"]), frame, 10, 1)
    overall = {c["value"]: c for c in res["categories"]}
    cells = {c["group"]["quartier"]: {x["value"]: x for x in c["categories"]} for c in res["by"]}
    assert cells["Tilleuls"]["1"]["suppressed"]
    # Centre's count of "1" is hidden too (17 − 10 would give 7), or the overall is
    assert cells["Centre"]["1"]["suppressed"] or overall["1"]["suppressed"]
    assert res["count"] == 90 and res["value"] == pytest.approx(0.45)
