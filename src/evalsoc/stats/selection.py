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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SMALL = 1 << 15  # below this many values, partition the whole array
SAMPLE = 8192  # values in the strided sample
MARGIN = 200  # sample ranks added on each side (≈ 4.4 standard deviations at the median)


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
    inside = values[between]
    local = ranks - count_below
    if local.min() < 0 or local.max() >= len(inside):
        return _partitioned(values, ranks)  # the bounds missed: exact the slow way
    found = np.partition(inside, local)[local]
    if (found == 0).any():  # 0.0 or −0.0: the one the whole partition picks
        return _partitioned(values, ranks)
    return found


def _partitioned(values: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    if len(ranks) == 0:
        return np.empty(0, dtype=values.dtype)
    return np.partition(values, ranks)[ranks]
