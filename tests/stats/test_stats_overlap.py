"""Overlap kernels: Crump et al.'s trimming rule by hand, tolerance counts, overlap weights."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.stats.overlap import crump_alpha, outside_tolerance, overlap_weights


def test_crump_alpha_hand_worked():
    # Nine people at p = 0.5 (g = 1/(p(1 − p)) = 4) and one at p = 0.01 (g = 101.01):
    # max g > 2·mean g = 27.4, so trimming helps; E[g | g ≤ γ] = 4 for 4 ≤ γ < 101.01, so
    # γ = 8 and α = 1/2 − √(1/4 − 1/8) = 0.146447.
    p = np.r_[np.full(9, 0.5), 0.01]
    assert crump_alpha(p) == pytest.approx(0.5 - np.sqrt(0.125), abs=1e-12)


def test_crump_alpha_is_zero_when_trimming_does_not_help():
    p = np.linspace(0.3, 0.7, 50)  # max g = 4.76 ≤ 2 × mean g
    assert crump_alpha(p) == 0.0


def test_crump_alpha_solves_its_fixed_point():
    rng = np.random.default_rng(5)
    p = rng.beta(0.6, 2.0, size=5000).clip(1e-6, 1 - 1e-6)
    alpha = crump_alpha(p)
    g = 1 / (p * (1 - p))
    gamma = 1 / (alpha * (1 - alpha))
    assert gamma == pytest.approx(2 * g[g <= gamma].mean(), rel=1e-12)
    assert 0.02 < alpha < 0.2  # Crump et al.: α is near 0.1 for most designs


def test_outside_tolerance_counts_by_group():
    p = np.array([1e-9, 0.2, 0.5, 1 - 1e-7, 0.3])
    d = np.array([0, 0, 1, 1, 1])
    out = outside_tolerance(p, d, 1e-5)
    assert (out.control, out.treated, out.any) == (1, 1, True)
    assert out.smallest == 1e-9


def test_overlap_weights():
    p = np.array([0.2, 0.7])
    assert overlap_weights(p, np.array([1, 0])) == pytest.approx([0.8, 0.7])
