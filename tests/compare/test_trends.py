"""Changes between runs against statsmodels' two-proportion z test and by hand."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportions_ztest

from evalsoc.compare.trends import difference


def _prop(count, n):
    return {
        "kind": "proportion",
        "value": count / n,
        "count": count,
        "n": n,
        "ci_low": 0.0,
        "ci_high": 1.0,
    }


def test_two_proportion_test_matches_statsmodels():
    before, after = _prop(120, 300), _prop(165, 310)
    out = difference(before, after)
    z, p = proportions_ztest([165, 120], [310, 300])
    assert out["test"] == "two_proportion_z"
    assert out["z"] == pytest.approx(z, rel=1e-12)
    assert out["p_value"] == pytest.approx(p, rel=1e-12)
    assert out["exceeds_uncertainty"] is True
    se = math.sqrt(0.4 * 0.6 / 300 + (165 / 310) * (1 - 165 / 310) / 310)
    assert out["ci"][0] == pytest.approx(165 / 310 - 0.4 - 1.959963984540054 * se)


def test_independent_estimates_from_intervals():
    z95 = 1.959963984540054
    before = {"kind": "mean", "value": 10.0, "ci_low": 10 - z95 * 1.0, "ci_high": 10 + z95 * 1.0}
    after = {"kind": "mean", "value": 13.0, "ci_low": 13 - z95 * 2.0, "ci_high": 13 + z95 * 2.0}
    out = difference(before, after)
    assert out["se"] == pytest.approx(math.sqrt(1 + 4))
    assert out["z"] == pytest.approx(3 / math.sqrt(5))
    assert out["exceeds_uncertainty"] is False  # z = 1.34


def test_suppressed_value_gives_a_reason_not_a_number():
    out = difference(
        {"kind": "mean", "value": None, "suppressed": True}, {"kind": "mean", "value": 3.0}
    )
    assert out["difference"] is None and out["reason"]["code"] == "compare_value_suppressed"


def test_count_is_exact():
    out = difference({"kind": "count", "value": 40}, {"kind": "count", "value": 55})
    assert out["difference"] == 15 and out["exceeds_uncertainty"] is None
