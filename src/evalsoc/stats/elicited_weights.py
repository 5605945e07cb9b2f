"""Weights elicited from stakeholders' rankings or ratings of importance.

Rank-order centroid (Barron & Barrett 1996): w_r = (1/n) Σ_{k=r..n} 1/k; rank-sum:
w_r = 2(n + 1 − r) / (n(n + 1)); mean ratings normalised: w_i = r̄_i / Σ_j r̄_j. Each set sums
to 1. For n = 3: ROC 11/18, 5/18, 2/18 (0.6111, 0.2778, 0.1111); rank-sum 1/2, 1/3, 1/6.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray


def rank_order_centroid(n: int) -> list[float]:
    """ROC weight of ranks 1..n (computed exactly, then as floats)."""
    return [float(sum(Fraction(1, k) for k in range(r, n + 1)) / n) for r in range(1, n + 1)]


def rank_sum(n: int) -> list[float]:
    """Rank-sum weight of ranks 1..n."""
    return [float(Fraction(2 * (n + 1 - r), n * (n + 1))) for r in range(1, n + 1)]


RANK_METHODS = {"roc": rank_order_centroid, "rank_sum": rank_sum}


def weights_from_ranks(ranks: NDArray[np.int64], method: str) -> NDArray[np.float64]:
    """Each respondent's weights (rows) from their ranks 1..n of the n items (columns)."""
    table = np.array(RANK_METHODS[method](ranks.shape[1]))
    return np.asarray(table[ranks - 1], dtype=np.float64)


def normalised(means: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean ratings as weights summing to 1 (ratings of 0 or more)."""
    total = float(np.sum(means))
    return np.asarray(means / total, dtype=np.float64)
