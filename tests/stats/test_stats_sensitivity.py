"""E-values (VanderWeele & Ding 2017) and Cinelli & Hazlett's robustness value (sensemakr)."""

from __future__ import annotations

import math

import pytest

from evalsoc.stats import sensitivity as s

# sensemakr's `darfur` example (Cinelli & Hazlett 2020): peacefactor ~ directlyharmed + age +
# farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + village, n = 1276. The
# published output: t = 4.18445, df = 783, R²(Y~D|X) = 2.19%, RV(q=1) = 13.88%,
# RV(q=1, α=0.05) = 7.63%. PySensemakr 0.0.8 on its shipped darfur data (statsmodels OLS,
# t_statistic/dof passed directly) gives the full-precision values pinned here.
DARFUR_T, DARFUR_DOF = 4.18444998480834, 783
DARFUR_EST, DARFUR_SE = 0.09731581928495897, 0.02325653780981118


def test_darfur_robustness_values():
    assert s.partial_r2(DARFUR_T, DARFUR_DOF) == pytest.approx(0.02187309, abs=5e-9)
    assert s.robustness_value(DARFUR_T, DARFUR_DOF) == pytest.approx(0.13877635389, rel=1e-9)
    assert s.robustness_value(DARFUR_T, DARFUR_DOF, alpha=0.05) == pytest.approx(
        0.0762579655448608, rel=1e-9
    )
    assert round(100 * s.robustness_value(DARFUR_T, DARFUR_DOF), 1) == 13.9


def test_darfur_bounds_from_female():
    # Partial R² of `female` with the treatment (0.009081065) and with the outcome
    # (0.109033915), from the two darfur OLS fits; PySensemakr's ovb_partial_r2_bound and
    # adjusted_estimate/adjusted_se for kd = ky = 1, 2, 3 (sensemakr prints 0.0752 for 1x).
    expected = {
        1: (0.009164, 0.124641, 0.07522027121445382, 0.021873327743756985),
        2: (0.018329, 0.249324, 0.05291517238445768, 0.020350062077963464),
        3: (0.027493, 0.374050, 0.03039602346416191, 0.01867006481709215),
    }
    for kd, (r2dz, r2yz, est, se) in expected.items():
        got_dz, got_yz = s.benchmark_bounds(0.009081065190328759, 0.10903391542784283, kd)
        assert (got_dz, got_yz) == (pytest.approx(r2dz, abs=5e-7), pytest.approx(r2yz, abs=5e-7))
        adj_est, adj_se = s.adjusted_estimate(DARFUR_EST, DARFUR_SE, DARFUR_DOF, got_dz, got_yz)
        assert adj_est == pytest.approx(est, rel=1e-6)
        assert adj_se == pytest.approx(se, rel=1e-6)


def test_evalue_of_vanderweele_ding_example():
    # VanderWeele & Ding (2017): breastfeeding and infant death, RR 3.9 (1.8, 8.7):
    # E-value 7.26, 3.0 for the lower limit.
    assert s.evalue_ratio(3.9) == pytest.approx(3.9 + math.sqrt(3.9 * 2.9))
    assert round(s.evalue_ratio(3.9), 2) == 7.26
    assert s.evalue_interval(3.9, 1.8, 8.7) == pytest.approx(3.0)
    assert s.evalue_ratio(1 / 3.9) == pytest.approx(s.evalue_ratio(3.9))  # protective effect
    assert s.evalue_interval(0.8, 0.6, 1.1) == 1.0  # interval includes no effect


def test_evalue_of_a_standardised_difference():
    # d = 0.5, SE 0.1: RR = exp(0.455) = 1.576, E = 2.53; lower limit exp(0.455 − 0.1784) → 1.97.
    rr, low, high = s.smd_risk_ratio(0.5, 0.1)
    assert rr == pytest.approx(math.exp(0.455))
    assert low == pytest.approx(math.exp(0.455 - 0.91 * 1.959964 * 0.1))
    assert round(s.evalue_ratio(rr), 2) == 2.53
    assert round(s.evalue_interval(rr, low, high), 2) == 1.97
