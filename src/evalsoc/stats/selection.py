"""Exact order statistics of a large array by a sample's bounds, then a small partition.

A median and its order-statistic interval need 2 to 4 order statistics near the middle of the
values. `np.partition` of 10^6 values (introselect) takes ≈ 8–17 ms. Floyd and Rivest's idea
(1975, "Expected time bounds for selection") finds them in a few vectorised passes instead: a
strided sample gives two bounds that very probably enclose the wanted ranks; the values below
the lower bound are counted, those between the bounds kept (≈ 5 % of them) and partitioned.
Whether the bounds enclose the ranks is checked by counting, so the result is exact whatever
the data; when they do not (an adversarial order), the whole array is partitioned.

Order statistics are values, the same whichever algorithm finds them, except that 0.0 and −0.0
compare equal: when a selected value is zero, the whole array is partitioned as before, so that
the same zero is returned.

Heavy ties (a Likert scale, whole-number counts): when the sample's values between the bounds
are a few distinct values and every value between the bounds is one of them (checked by
counting), the wanted ranks fall among runs of equal values and are read from the runs'
counts, without gathering or partitioning the ≈ 20–40 % of the values equal to the median
(issue 16: a median of 5 levels by 20 sites took 70 ms of which 60 in partitions). Equal
non-zero floats have the same bits, so the values are those the partition returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SMALL = 1 << 15  # below this many values, partition the whole array
SAMPLE = 8192  # values in the strided sample
MARGIN = 200  # sample ranks added on each side (≈ 4.4 standard deviations at the median)
FEW = 4  # at most this many distinct values between the bounds: read ranks from counts


def order_statistics(values: np.ndarray, kth: Sequence[int]) -> np.ndarray:
    """The values of 0-based ranks `kth` in `values` sorted (no NaN), as `np.partition(values,
    kth)[kth]` gives them."""
    ranks = np.asarray(kth, dtype=np.int64)
    n = len(values)
    if n < SMALL or len(ranks) == 0:
        return _partitioned(values, ranks)
    step = n // SAMPLE
    sample = np.sort(values[::step])
    s = len(sample)
    low_rank = int(ranks.min()) * s // n - MARGIN
    high_rank = int(ranks.max()) * s // n + MARGIN
    if low_rank < 0 or high_rank >= s:  # ranks near an end: the bounds would not save much
        return _partitioned(values, ranks)
    low, high = sample[low_rank], sample[high_rank]
    below = values < low
    count_below = int(np.count_nonzero(below))
    between = values <= high
    between &= ~below
    window = np.unique(sample[low_rank : high_rank + 1])
    if len(window) <= FEW and not (window == 0).any():
        found = _from_runs(values, between, window, ranks - count_below)
        if found is not None:
            return found
    inside = values[between]
    local = ranks - count_below
    if local.min() < 0 or local.max() >= len(inside):
        return _partitioned(values, ranks)  # the bounds missed: exact the slow way
    found = np.partition(inside, local)[local]
    if (found == 0).any():  # 0.0 or −0.0: the one the whole partition picks
        return _partitioned(values, ranks)
    return found


def _from_runs(
    values: np.ndarray, between: np.ndarray, window: np.ndarray, local: np.ndarray
) -> np.ndarray | None:
    """The ranks `local` among the values where `between` holds, when those values are only
    the `window`'s distinct values (sorted); None when another value is there or a rank falls
    outside them (the caller then partitions)."""
    inside = int(np.count_nonzero(between))
    if local.min() < 0 or local.max() >= inside:
        return None
    runs = np.array([np.count_nonzero(values == value) for value in window], dtype=np.int64)
    if int(runs.sum()) != inside:  # a value between the bounds that the sample did not see
        return None
    ends = np.cumsum(runs)  # run i holds the local ranks ends[i-1] .. ends[i] − 1
    return window[np.searchsorted(ends, local, side="right")]


def _partitioned(values: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    if len(ranks) == 0:
        return np.empty(0, dtype=values.dtype)
    return np.partition(values, ranks)[ranks]
