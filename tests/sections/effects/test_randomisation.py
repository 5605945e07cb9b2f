"""Randomisation inference: a hand-worked exact case through `evalsoc run`
(tests/data/effects/README_ri_small.md) and a Monte Carlo case against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from tests.sections.effects.design_run import run_cli

from evalsoc.sections.effects.designs.randomisation import randomisation_inference


@pytest.fixture(scope="module")
def effects(tmp_path_factory):
    return run_cli("ri_small.yaml", tmp_path_factory.mktemp("ri"))[0]["effects"]


def test_exact_p_value_worked_by_hand(effects):
    effect = effects["exact_95"]
    assert effect["estimate"] == pytest.approx(5.0)
    assert effect["p_value"] == pytest.approx(2 / 20, abs=1e-15)
    ri = effect["diagnostics"]["randomisation"]
    assert (ri["kind"], ri["assignments"]) == ("exact", 20)
    # at 95% no constant effect can be rejected with 20 possible draws: unbounded interval
    assert effect["ci_low"] is None and effect["ci_high"] is None
    assert "too wide to conclude" in effect["sentence"]["en"]
    # the asymptotic values stay in the diagnostics
    assert effect["diagnostics"]["asymptotic"]["p_value"] < 0.05


def test_exact_interval_worked_by_hand(effects):
    effect = effects["exact_80"]
    assert effect["ci_low"] == pytest.approx(3.0, abs=1e-6)
    assert effect["ci_high"] == pytest.approx(7.0, abs=1e-6)


def test_cluster_assignment_worked_by_hand(effects):
    effect = effects["by_site"]
    assert effect["p_value"] == pytest.approx(2 / 6, abs=1e-15)
    assert effect["diagnostics"]["randomisation"]["units_assigned"] == "clusters"


def test_matches_scipy_permutation_test_exactly():
    rng = np.random.default_rng(11)
    y = rng.normal(size=14)
    d = np.r_[np.ones(6), np.zeros(8)]
    observed = y[d == 1].mean() - y[d == 0].mean()
    ours = randomisation_inference(
        y, d, None, None, observed=observed, level=0.95, reps=999, seed=1
    )
    # scipy's "two-sided" doubles the smaller tail; ours counts |T*| ≥ |T|: the same test is
    # scipy's one-sided test of the absolute difference
    peer = stats.permutation_test(
        (y[d == 1], y[d == 0]),
        lambda a, b: abs(a.mean() - b.mean()),
        permutation_type="independent",
        n_resamples=np.inf,
        alternative="greater",
    )
    assert ours["kind"] == "exact" and ours["assignments"] == 3003
    assert ours["p_value"] == pytest.approx(peer.pvalue, abs=1e-12)


def test_monte_carlo_is_seeded_and_close_to_the_t_test():
    rng = np.random.default_rng(5)
    y = rng.normal(size=40)
    d = np.r_[np.ones(20), np.zeros(20)]
    y[:20] += 0.6
    observed = y[d == 1].mean() - y[d == 0].mean()

    def run(seed):
        return randomisation_inference(
            y, d, None, None, observed=observed, level=0.95, reps=10_000, seed=seed
        )

    first = run(1)
    assert first == run(1)  # same seed, same result
    assert first["kind"] == "monte_carlo" and first["assignments"] == 10_000
    t = stats.ttest_ind(y[d == 1], y[d == 0])
    assert abs(first["p_value"] - t.pvalue) < 4 * np.sqrt(t.pvalue / 10_000) + 1e-4
    low, high = t.confidence_interval(0.95)
    assert first["ci_low"] == pytest.approx(low, rel=0.1)
    assert first["ci_high"] == pytest.approx(high, rel=0.1)


def test_clusters_split_between_groups_are_refused():
    from evalsoc.sections.common import NotEstimable

    y, d = np.arange(4.0), np.array([1.0, 0.0, 1.0, 0.0])
    with pytest.raises(NotEstimable, match="whole cluster"):
        randomisation_inference(
            y, d, None, np.array([0, 0, 1, 1]), observed=1.0, level=0.95, reps=99, seed=1
        )
