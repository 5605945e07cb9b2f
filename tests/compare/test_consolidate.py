"""Network consolidation against figures pooled by hand, and the privacy rule re-applied."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from evalsoc.compare.consolidate import consolidate


def _c(run, n, count=None, published=True, hidden=None, value=None, ci=(None, None)):
    return {
        "run": run,
        "published": published,
        "n": n,
        "count": count,
        "value": value if value is not None else (count / n if count is not None and n else None),
        "ci_low": ci[0],
        "ci_high": ci[1],
        "hidden": hidden,
    }


def test_proportion_is_pooled_from_counts_not_averaged():
    # By hand: (30 + 90) / (100 + 600) = 120 / 700 = 0.171428…; the mean of 0.30 and 0.15
    # would be 0.225.
    out = consolidate("proportion", [_c("A", 100, 30), _c("B", 600, 90)], min_cell=10)
    assert out["count"] == 120 and out["n"] == 700
    assert out["value"] == pytest.approx(120 / 700)
    from statsmodels.stats.proportion import proportion_confint

    assert out["ci"] == pytest.approx(list(proportion_confint(120, 700, method="wilson")))


def test_counts_are_summed():
    runs = [
        {"run": r, "published": True, "value": v, "n": v}
        for r, v in (("A", 12), ("B", 40), ("C", 7))
    ]
    assert consolidate("count", runs, min_cell=5)["value"] == 59


def test_mean_pooled_from_runs_equals_the_mean_of_all_rows():
    rng = np.random.default_rng(3)
    samples = [rng.normal(30, 8, 40), rng.normal(36, 5, 25), rng.normal(33, 10, 60)]
    contributions = []
    for k, x in enumerate(samples):
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        contributions.append(
            _c(
                f"R{k}",
                len(x),
                value=float(x.mean()),
                ci=(float(x.mean() - half), float(x.mean() + half)),
            )
        )
    out = consolidate("mean", contributions, min_cell=10)
    everything = np.concatenate(samples)
    assert out["value"] == pytest.approx(everything.mean(), rel=1e-12)
    assert out["sd"] == pytest.approx(everything.std(ddof=1), rel=1e-10)
    half = (
        stats.t.ppf(0.975, len(everything) - 1) * everything.std(ddof=1) / np.sqrt(len(everything))
    )
    assert out["ci"] == pytest.approx(
        [everything.mean() - half, everything.mean() + half], rel=1e-10
    )


def test_primary_suppression_of_a_small_network_total():
    out = consolidate("proportion", [_c("A", 4, 1), _c("B", 3, 2)], min_cell=10)
    assert out["suppressed"] is True and out["value"] is None


def test_secondary_suppression_when_subtraction_would_reveal_a_small_run():
    # Run C's figure is suppressed in its own results (6 people); the network total minus A's
    # and B's published figures would give C's 6 people back: the total is suppressed too.
    contributions = [
        _c("A", 100, 40),
        _c("B", 80, 30),
        _c("C", None, None, published=False, hidden={"n": 6, "count": 2}),
    ]
    out = consolidate("proportion", contributions, min_cell=10)
    assert out["suppressed"] is True and out["reason"]["code"] == "consolidate_secondary"


def test_hidden_runs_large_enough_together_are_published():
    # Two suppressed runs of 6 and 7 people: the residual (13) reveals no group under 10,
    # nor do its 5 with and 8 without the outcome... 5 < 10 → still suppressed.
    contributions = [
        _c("A", 100, 40),
        _c("C", None, None, published=False, hidden={"n": 6, "count": 2}),
        _c("D", None, None, published=False, hidden={"n": 7, "count": 3}),
    ]
    assert consolidate("proportion", contributions, min_cell=10)["suppressed"] is True
    contributions[1]["hidden"] = {"n": 6, "count": 5}
    contributions[2]["hidden"] = {"n": 9, "count": 5}  # residual 15: 10 with, 5 without
    assert consolidate("proportion", contributions, min_cell=10)["suppressed"] is True
    contributions[2]["hidden"] = {"n": 14, "count": 5}  # residual 20: 10 with, 10 without
    out = consolidate("proportion", contributions, min_cell=10)
    assert out["suppressed"] is False and out["n"] == 120 and out["count"] == 50


def test_unknown_suppressed_figure_makes_the_total_not_computable():
    out = consolidate("proportion", [_c("A", 100, 40), _c("C", None, None, published=False)], 10)
    assert out["value"] is None and out["reason"]["code"] == "consolidate_run_suppressed"


def test_median_is_not_pooled():
    assert consolidate("median", [_c("A", 100, 40)], 10)["reason"]["en"].startswith(
        "a median cannot be pooled"
    )
