"""Scale reliability: Cronbach's α (published example), Feldt's CI, McDonald's ω, item-rest r."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.stats.scales import (
    cronbach_alpha,
    feldt_interval,
    item_rest_correlations,
    mcdonald_omega,
    one_factor_ml,
    reliability,
)

# Denis, D. J. (2021). Applied Univariate, Bivariate, and Multivariate Statistics (2nd ed.,
# Wiley), the SPSS RELIABILITY example: ten persons, five items; SPSS reports
# "Cronbach's Alpha 0.633, Cronbach's Alpha Based on Standardized Items 0.691".
DENIS = np.array(
    [
        [10, 12, 15, 11, 12],
        [12, 18, 12, 12, 1],
        [8, 16, 14, 14, 4],
        [6, 8, 16, 8, 6],
        [4, 7, 8, 7, 5],
        [6, 6, 3, 7, 3],
        [3, 4, 6, 5, 8],
        [7, 3, 7, 9, 9],
        [8, 9, 4, 10, 10],
        [9, 5, 6, 11, 12],
    ],
    float,
)


def test_alpha_matches_published_example():
    assert round(cronbach_alpha(DENIS), 3) == 0.633
    standardised = (DENIS - DENIS.mean(0)) / DENIS.std(0, ddof=1)
    assert round(cronbach_alpha(standardised), 3) == 0.691
    # and the published item statistics the example prints
    assert DENIS.mean(0)[0] == pytest.approx(7.3) and DENIS.std(0, ddof=1)[1] == pytest.approx(
        5.05085, abs=1e-5
    )


def test_alpha_ignores_incomplete_rows():
    with_gap = np.vstack([DENIS, [np.nan, 1, 2, 3, 4]])
    assert cronbach_alpha(with_gap) == pytest.approx(cronbach_alpha(DENIS))


def test_feldt_interval_formula_and_coverage():
    from scipy.stats import f

    low, high = feldt_interval(0.633, 10, 5)
    assert low == pytest.approx(1 - 0.367 * f.ppf(0.975, 9, 36))
    assert high == pytest.approx(1 - 0.367 * f.ppf(0.025, 9, 36))
    # coverage under the parallel model (true α known): close to 95%
    rng = np.random.default_rng(7)
    k, n, reps = 5, 40, 2000
    loading, noise = 1.0, 1.5
    true_alpha = k * loading**2 / (k * loading**2 + noise**2)
    hits = 0
    for _ in range(reps):
        x = rng.normal(size=(n, 1)) * loading + rng.normal(size=(n, k)) * noise
        lo, hi = feldt_interval(cronbach_alpha(x), n, k)
        hits += lo <= true_alpha <= hi
    assert abs(hits / reps - 0.95) < 0.02


def test_omega_from_ml_factor_model_matches_statsmodels_and_truth():
    from statsmodels.multivariate.factor import Factor

    rng = np.random.default_rng(1)
    lam = np.array([0.9, 0.7, 0.5, 0.8])
    theta = np.array([0.5, 0.6, 1.0, 0.4])
    n = 20000
    x = rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, 4)) * np.sqrt(theta)
    loadings, unique = one_factor_ml(np.cov(x, rowvar=False))
    sd = x.std(axis=0, ddof=1)
    peer = Factor(x, n_factor=1, method="ml").fit()
    assert np.abs(loadings / sd - np.abs(peer.loadings[:, 0])).max() < 1e-4
    assert np.abs(unique / sd**2 - peer.uniqueness).max() < 1e-4
    population = lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum())
    assert mcdonald_omega(x) == pytest.approx(population, abs=0.01)


def test_omega_equals_alpha_for_parallel_items():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50000, 1)) + rng.normal(size=(50000, 4))
    assert mcdonald_omega(x) == pytest.approx(cronbach_alpha(x), abs=0.005)


def test_item_rest_and_report():
    rest = item_rest_correlations(DENIS)
    expected = np.corrcoef(DENIS[:, 4], DENIS[:, :4].sum(axis=1))[0, 1]
    assert rest[4] == pytest.approx(expected)
    assert rest[4] < 0  # item 5 runs against the others in the published example
    out = reliability(DENIS, list("abcde"))
    assert out["alpha_ci_method"] == "Feldt" and out["alpha_below_threshold"] is True
    assert out["alpha_ci"][0] < out["alpha"] < out["alpha_ci"][1]
    two = reliability(DENIS[:, :2], ["a", "b"])
    assert two["omega"] is None and two["omega_reason_code"] == "omega_few_items"


def test_integer_items_give_the_exact_alpha_and_item_rest():
    """Likert items: α and item-rest r from exact integer moments, rounded once. The reference
    is computed here in rational arithmetic (Fraction) from the data, independently; the
    floating-point kernels (cronbach_alpha, per-item variances summed row after row) drift by
    ~1e-12 relative at 2·10^5 rows."""
    from decimal import Context
    from fractions import Fraction

    rng = np.random.default_rng(1)
    n = 200_000
    x = rng.integers(1, 6, size=(n, 3)).astype(float)
    x[:, 1] = np.clip(x[:, 0] + rng.integers(-1, 2, n), 1, 5)
    ints = [[int(v) for v in column] for column in x.T.astype(np.int64)]
    rows = [sum(values) for values in zip(*ints)]

    def var(values: list[int]) -> Fraction:
        s, s2 = sum(values), sum(v * v for v in values)
        return Fraction(n * s2 - s * s, n * (n - 1))

    def cov(a: list[int], b: list[int]) -> Fraction:
        return Fraction(n * sum(u * v for u, v in zip(a, b)) - sum(a) * sum(b), n * (n - 1))

    exact_alpha = Fraction(3, 2) * (1 - sum(var(c) for c in ints) / var(rows))
    out = reliability(x, ["a", "b", "c"])
    assert out["alpha"] == float(exact_alpha)  # correctly rounded: the closest float
    assert abs(cronbach_alpha(x) - float(exact_alpha)) > 0  # the float path is off here
    assert cronbach_alpha(x) == pytest.approx(out["alpha"], rel=1e-11)
    context = Context(prec=40)
    for j, name in enumerate("abc"):
        rest = [r - v for r, v in zip(rows, ints[j])]
        r2 = cov(ints[j], rest) ** 2 / (var(ints[j]) * var(rest))
        root = context.sqrt(context.divide(r2.numerator, r2.denominator))
        expected = float(root) if cov(ints[j], rest) >= 0 else -float(root)
        assert out["item_rest"][name] == pytest.approx(expected, rel=2e-16)
    assert item_rest_correlations(x) == pytest.approx(list(out["item_rest"].values()), rel=1e-9)


def test_published_example_through_the_exact_path():
    out = reliability(DENIS, list("abcde"))  # integer items: the exact path
    assert round(out["alpha"], 3) == 0.633 and out["alpha"] == pytest.approx(cronbach_alpha(DENIS))
    assert out["item_rest"]["e"] == pytest.approx(item_rest_correlations(DENIS)[4], rel=1e-12)
    halves = DENIS / 2  # not integers: the floating-point kernels
    assert reliability(halves, list("abcde"))["alpha"] == cronbach_alpha(halves)


def test_grouped_answers_give_the_persons_figures_bit_for_bit():
    """Persons, or their distinct answers with counts (the DuckDB engine's rows), shuffled:
    α, item-rest r and ω from exact integer moments are the same bits; ω equals the float
    path's within the ML fit's precision."""
    rng = np.random.default_rng(11)
    common = rng.integers(1, 4, size=(3000, 1))
    x = np.clip(common + rng.integers(0, 3, size=(3000, 4)), 1, 5).astype(float)
    x[rng.random(x.shape) < 0.03] = np.nan
    names = ["a", "b", "c", "d"]
    persons = reliability(x, names)
    complete = x[~np.isnan(x).any(axis=1)]
    answers, counts = np.unique(complete, axis=0, return_counts=True)
    order = rng.permutation(len(answers))
    with_missing = np.vstack([answers[order], [[np.nan, 1, 2, 3]]])
    grouped = reliability(with_missing, names, counts=np.append(counts[order], 40))
    assert grouped == persons
    assert persons["n"] == len(complete) and persons["omega"] is not None
    floats = mcdonald_omega(x)  # np.cov on the persons: the fit's own precision apart
    assert persons["omega"] == pytest.approx(floats, rel=1e-8)


def test_grouped_non_integer_answers_are_expanded():
    x = np.array([[1.5, 2.0, 2.5], [2.5, 3.0, 2.0], [1.0, 1.5, 1.0], [3.0, 2.5, 3.5]])
    counts = np.array([3, 2, 4, 1])
    grouped = reliability(x, ["a", "b", "c"], counts=counts)
    persons = reliability(np.repeat(x, counts, axis=0), ["a", "b", "c"])
    assert grouped == persons and grouped["n"] == 10
