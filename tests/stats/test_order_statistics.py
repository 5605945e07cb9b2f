"""Exact order statistics by a sample's bounds (stats/selection.py) equal numpy's partition,
bit for bit, whatever the data's order and ties."""

from __future__ import annotations

import numpy as np
import pytest

from evalsoc.stats import selection
from evalsoc.stats.intervals import median_interval, median_order_ranks
from evalsoc.stats.selection import order_statistics

N = 100_003  # above selection.SMALL: the sampled path


def _median_ranks(n: int) -> list[int]:
    j, k = median_order_ranks(n)
    return sorted({j - 1, (n - 1) // 2, n // 2, k - 1})


def _cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261130)
    normal = rng.normal(100, 15, N).round(2)
    return {
        "normal, rounded (ties)": normal,
        "Likert 1..5 (heavy ties)": rng.integers(1, 6, N).astype(float),
        "sorted": np.sort(normal),
        "reversed": np.sort(normal)[::-1].copy(),
        "constant": np.full(N, 3.5),
        "exponential with infinities": np.concatenate(
            [rng.exponential(1.0, N - 2), [np.inf, -np.inf]]
        ),
        "two values": np.repeat([1.0, 2.0], [N // 2, N - N // 2]),
    }


@pytest.mark.parametrize("name", list(_cases()))
def test_equals_numpy_partition(name):
    values = _cases()[name]
    for kth in (_median_ranks(len(values)), [0, 5], [len(values) - 1], [1000, 90_000]):
        expected = np.partition(values, kth)[kth]
        got = order_statistics(values, kth)
        assert got.tobytes() == expected.tobytes(), (name, kth)


def test_a_sample_that_misleads_falls_back_to_the_whole_partition():
    values = np.arange(N, dtype=float)
    step = N // selection.SAMPLE
    values[::step] = -1.0  # every sampled value is −1: the bounds enclose nothing useful
    kth = _median_ranks(N)
    assert order_statistics(values, kth).tobytes() == np.partition(values, kth)[kth].tobytes()


def test_signed_zeros_are_the_ones_numpy_picks():
    rng = np.random.default_rng(7)
    values = np.where(rng.random(N) < 0.5, -0.0, 0.0)
    values[: N // 10] = 1.0
    values[-N // 10 :] = -1.0
    kth = _median_ranks(N)
    expected = np.partition(values, kth)[kth]
    assert np.signbit(order_statistics(values, kth)).tolist() == np.signbit(expected).tolist()


def test_median_interval_of_a_hand_worked_large_sample():
    # 0, 1, ..., 99 999 shuffled: the k-th smallest is k − 1, the median 49 999.5. For
    # n = 100 000 the ranks are (49 690, 50 311): 1 − 2 P(B ≤ 49 689) ≥ 95 % for B ~
    # Binomial(100 000, ½), while rank 49 691 covers 94.97 % (scipy.stats.binom.cdf); the
    # normal approximation gives 50 000 − 1.96 × 158.1 = 49 690.1.
    values = np.random.default_rng(11).permutation(100_000).astype(float)
    assert median_order_ranks(100_000) == (49_690, 50_311)
    assert median_interval(values) == (49_999.5, 49_689.0, 50_310.0)


def test_heavy_ties_are_read_from_counts_without_a_partition(monkeypatch):
    # Likert answers: the sample's values between the bounds are one or two levels, so the
    # ranks are read from the counts of each level (selection._from_runs), never partitioned.
    rng = np.random.default_rng(3)
    for values in (rng.integers(1, 6, N).astype(float), rng.integers(0, 2, N) + 7.0):
        kth = _median_ranks(N)
        expected = np.partition(values, kth)[kth]

        def refused(*_args, **_kwargs):
            raise AssertionError("partitioned")

        with monkeypatch.context() as patched:
            patched.setattr(selection.np, "partition", refused)
            assert order_statistics(values, kth).tobytes() == expected.tobytes()


def test_counts_that_miss_a_value_fall_back_to_the_partition():
    # Every sampled value is 2 or 3, but 2.5 hides between them off the sample's stride.
    values = np.repeat([1.0, 2.0, 3.0, 4.0], N // 4 + 1)[:N]
    step = N // selection.SAMPLE
    hidden = np.arange(N)
    hidden = hidden[(hidden % step != 0) & (values == 2.0)][:5000]
    values[hidden] = 2.5
    kth = [N // 2 - 3000, N // 2, N // 2 + 3000]
    assert order_statistics(values, kth).tobytes() == np.partition(values, kth)[kth].tobytes()
