"""Exact identification: weights as integer units over their common denominator D, and the
integer test q·score ≥ p·D of c_i ≥ k = p/q, so that persons tied at k are never lost to
floating-point rounding; and the integer codes of deprivation profiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

_MAX_EXACT = 2**62


def weight_units(weights: Sequence[Fraction | int | str]) -> tuple[np.ndarray, int]:
    """Weights normalised to sum to 1, as integers over their common denominator D."""
    fractions = [Fraction(w) for w in weights]
    if not fractions or any(w <= 0 for w in fractions):
        raise ValueError("every dimension needs a positive weight")
    total = sum(fractions, Fraction(0))
    normalised = [w / total for w in fractions]
    denominator = math.lcm(*(w.denominator for w in normalised))
    units = [int(w * denominator) for w in normalised]
    if denominator >= 2**52:
        raise ValueError("the weights' common denominator is too large for exact counting")
    return np.asarray(units, dtype=np.int64), denominator


def identify(scores: np.ndarray, total: int, k: Fraction) -> np.ndarray:
    """c_i ≥ k tested exactly: q·score ≥ p·D in integer arithmetic."""
    p, q = _k_terms(k, total)
    return scores * q >= p * total


def tied(scores: np.ndarray, total: int, k: Fraction) -> np.ndarray:
    """Persons whose score equals k exactly."""
    p, q = _k_terms(k, total)
    return scores * q == p * total


def _k_terms(k: Fraction, total: int) -> tuple[int, int]:
    k = Fraction(k)
    if not 0 < k <= 1:
        raise ValueError(f"k must be in (0, 1], got {k}")
    if k.denominator * total >= _MAX_EXACT:
        raise ValueError("k's denominator times the weights' denominator is too large")
    return k.numerator, k.denominator


def _dense_codes(key: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive codes for the distinct values of `key` (in [0, bound)): (inverse, firsts)."""
    n = key.shape[0]
    if bound <= max(4 * n, 1 << 20):
        present = np.bincount(key, minlength=bound) > 0
        mapping = np.cumsum(present) - 1
        inverse = mapping[key]
        values = np.flatnonzero(present)
    else:
        values, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64, copy=False), values


def _combine(columns: Sequence[np.ndarray], cards: Sequence[int], n: int) -> np.ndarray:
    """One code per distinct combination of integer columns (each in [0, card))."""
    kept = [(c, k) for c, k in zip(columns, cards) if int(k) > 1]
    columns, cards = [c for c, _ in kept], [k for _, k in kept]
    if not columns:
        return np.zeros(n, dtype=np.int64)
    if len(columns) == 1:
        return _dense_codes(np.asarray(columns[0], dtype=np.int64), int(cards[0]))[0]
    bound = 1
    for card in cards:
        bound *= max(int(card), 1)
    if bound < _MAX_EXACT:
        key = np.zeros(n, dtype=np.int64)
        for column, card in zip(columns, cards):
            key = key * max(int(card), 1) + column
        return _dense_codes(key, bound)[0]
    stacked = np.stack(columns, axis=1)
    return np.unique(stacked, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of any 1-D array (labels, weights, ids) and the distinct values, sorted:
    `np.unique(values, return_inverse=True)`. Text labels (object arrays) are hashed first
    and only their distinct values sorted: sorting a million Python strings is the slow part."""
    values = np.asarray(values)
    if values.dtype != object or values.size == 0:
        uniques, inverse = np.unique(values, return_inverse=True)
        return inverse.reshape(-1).astype(np.int64), uniques
    import pandas as pd

    codes, distinct = pd.factorize(values.reshape(-1), use_na_sentinel=False)
    distinct = np.asarray(distinct, dtype=object)
    order = np.argsort(distinct, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[codes], distinct[order]


def profile_codes(deprived: np.ndarray) -> tuple[np.ndarray, int]:
    """An integer code per deprivation profile (row of 0/1) and the number of possible codes."""
    n, d = deprived.shape
    if d <= 62:
        kind = np.uint32 if d <= 32 else np.uint64
        code = np.zeros(n, dtype=kind)
        for j in range(d):
            code |= deprived[:, j].astype(kind) << kind(j)
        return code.astype(np.int64), 1 << d
    inverse = np.unique(deprived, axis=0, return_inverse=True)[1].reshape(-1)
    return inverse.astype(np.int64), int(inverse.max()) + 1 if n else 1


def _dense_codes_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inverse, index of the first member of each distinct value), as `np.unique(values,
    return_index=True, return_inverse=True)` gives them; small non-negative integer codes are
    counted instead of sorted (a million cells: one pass instead of a sort)."""
    n = values.size
    if n and values.dtype.kind in "iu" and int(values.min()) >= 0:
        bound = int(values.max()) + 1
        if bound <= max(4 * n, 1 << 20):
            inverse, _ = _dense_codes(values.astype(np.int64, copy=False), bound)
            first = np.empty(int(inverse.max()) + 1, dtype=np.int64)
            first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the last write is the first row
            return inverse, first
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first


def _int_codes(values: np.ndarray) -> np.ndarray:
    """`_codes(values)[0]` for integer labels; small non-negative ones without a sort."""
    n = values.size
    if n and values.dtype.kind in "iu" and int(values.min()) >= 0:
        bound = int(values.max()) + 1
        if bound <= max(4 * n, 1 << 20):
            return _dense_codes(values.astype(np.int64, copy=False), bound)[0]
    return _codes(values)[0]
