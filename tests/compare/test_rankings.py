"""Rankings: dominance layers by hand, Kendall's τ-b against scipy, the CI formula by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import kendalltau, spearmanr

from evalsoc.compare.rankings import (
    competition_ranks,
    dominance_pairs,
    kendall_with_ci,
    pareto_layers,
    rank_probabilities,
    weighted_scores,
)


def test_pareto_layers_by_hand():
    profiles = [
        {"x": "remarquable", "y": "satisfaisant"},  # dominates the third
        {"x": "fragile", "y": "remarquable"},  # incomparable with the first
        {"x": "satisfaisant", "y": "fragile"},
        {"x": "insuffisant", "y": "insuffisant"},  # dominated by all
    ]
    assert pareto_layers(profiles) == [1, 1, 2, 3]
    pairs = dominance_pairs(["A", "B", "C", "D"], profiles)
    assert ["A", "C"] in pairs and ["A", "B"] not in pairs and ["B", "A"] not in pairs
    assert ["C", "D"] in pairs and ["B", "D"] in pairs
    assert ["A", "D"] not in pairs  # follows from A > C > D: only covering pairs are listed


def test_unjudged_criterion_is_left_out_of_dominance():
    profiles = [
        {"x": "remarquable", "y": "preuves_insuffisantes"},
        {"x": "fragile", "y": "remarquable"},
    ]
    assert pareto_layers(profiles) == [1, 2]


def test_kendall_tau_b_matches_scipy_with_ties():
    x = [1, 2, 2, 3, 4, 5, 5, 6]
    y = [2, 1, 3, 3, 5, 4, 6, 6]
    ours = kendall_with_ci([float(v) for v in x], [float(v) for v in y])
    assert ours["kendall_tau_b"] == pytest.approx(
        kendalltau(x, y, variant="b").statistic, rel=1e-12
    )
    assert ours["spearman_rho"] == pytest.approx(spearmanr(x, y).statistic, rel=1e-12)
    # Fisher z with the Fieller–Hartley–Pearson SE √(0.437/(n − 4)), by hand:
    tau, n = ours["kendall_tau_b"], 8
    z, se = math.atanh(tau), math.sqrt(0.437 / (n - 4))
    assert ours["kendall_ci"] == pytest.approx(
        [math.tanh(z - 1.959963984540054 * se), math.tanh(z + 1.959963984540054 * se)]
    )


def test_kendall_needs_five_runs_for_an_interval():
    out = kendall_with_ci([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0])
    assert out["kendall_ci"] is None and "5 runs" in out["ci_reason"]["en"]


def test_competition_ranks_share_the_best_rank():
    assert competition_ranks(np.array([3.0, 5.0, 5.0, 1.0])).tolist() == [3, 1, 1, 4]
    assert competition_ranks(np.array([3.0, 5.0, 1.0]), higher_is_better=False).tolist() == [
        2,
        3,
        1,
    ]


def test_rank_probabilities_of_separated_runs_are_certain():
    draws = np.random.default_rng(1).normal([0.0, 10.0, 5.0], 0.01, size=(1000, 3))
    out = rank_probabilities(draws)
    probs = out["matrix"]
    assert probs[1][0] == 1.0 and probs[2][1] == 1.0 and probs[0][2] == 1.0
    assert all(sum(row) == pytest.approx(1.0) for row in probs)
    assert out["p_first"] == [0.0, 1.0, 0.0] and out["mean_rank"] == [3.0, 1.0, 2.0]
    assert out["rank_interval"] == [[3, 3], [1, 1], [2, 2]]


def test_rank_probabilities_of_two_equal_runs_split_evenly():
    draws = np.random.default_rng(2).normal([0.0, 0.0], 1.0, size=(20000, 2))
    assert rank_probabilities(draws)["p_first"] == pytest.approx([0.5, 0.5], abs=0.02)


def test_weighted_score_by_hand_and_stable_when_far_apart():
    profiles = [{"x": "remarquable", "y": "remarquable"}, {"x": "insuffisant", "y": "fragile"}]
    out = weighted_scores(profiles, {"x": 2.0, "y": 1.0}, np.random.default_rng(0))
    assert out["scores"] == pytest.approx([1.0, (2 * 0 + 1 * 1 / 3) / 3])
    assert out["ranks"] == [1, 2] and out["rank_stability"] == [1.0, 1.0]
