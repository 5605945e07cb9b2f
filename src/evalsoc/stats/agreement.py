"""Krippendorff's alpha: agreement among any number of raters, with missing judgements.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Annenberg School
for Communication, University of Pennsylvania): per-unit value counts n_uc → coincidence matrix
o_ck = Σ_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1) over units with m_u ≥ 2 pairable values;
marginals n_c = Σ_k o_ck, n = Σ_c n_c; α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with the
nominal, ordinal, interval or ratio difference function δ².

The confidence interval resamples *units* with replacement (a cluster bootstrap: the coincidence
matrix of a resample is the sum of the drawn units' own coincidence matrices) and takes
percentiles. This is not Krippendorff's own bootstrap (Hayes & Krippendorff 2007, which
resamples pairs of values from the coincidence matrix); the unit bootstrap keeps the judgements
of one unit together, which is what varies when other units are rated.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")


def value_counts(reliability_data: Any, value_domain: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Units × values count matrix from a raters × units array (NaN or None = missing).

    Returns (counts, values), `values` sorted (or in the order of `value_domain`, which then
    defines the order of an ordinal scale; values outside it are an error).
    """
    data = _as_array(reliability_data)
    if data.ndim != 2:
        raise ValueError("reliability data must be a 2-D array: raters × units")
    missing = _missing_mask(data)
    observed = data[~missing]
    if value_domain is None:
        values = np.unique(observed.astype(float) if data.dtype != object else observed)
    else:
        values = np.asarray(list(value_domain), dtype=data.dtype)
    n_units = data.shape[1]
    if observed.size == 0:
        return np.zeros((n_units, len(values))), values
    codes = _codes(observed, values)
    units = np.broadcast_to(np.arange(n_units), data.shape)[~missing]
    flat = np.bincount(units * len(values) + codes, minlength=n_units * len(values))
    return flat.reshape(n_units, len(values)).astype(float), values


def counts_from_long(units: Any, values: Any, n_values: int) -> np.ndarray:
    """Units × values counts from long data: unit labels and integer value codes 0..n_values−1."""
    unit_codes = np.unique(np.asarray(units), return_inverse=True)[1].ravel()
    value_codes = np.asarray(values, dtype=int)
    n_units = int(unit_codes.max()) + 1 if unit_codes.size else 0
    flat = np.bincount(unit_codes * n_values + value_codes, minlength=n_units * n_values)
    return flat.reshape(n_units, n_values).astype(float)


def pairable(counts: np.ndarray) -> np.ndarray:
    """Keep the units with at least two judgements: only they carry information on agreement."""
    counts = np.asarray(counts, dtype=float)
    return counts[counts.sum(axis=1) >= 2]


def unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Each unit's own coincidence matrix, units × V × V (pairable units only)."""
    counts = pairable(counts)
    m = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(counts.shape[1])
    outer[:, idx, idx] -= counts
    return outer / (m - 1)[:, None, None]


def coincidence_matrix(counts: np.ndarray) -> np.ndarray:
    """o_ck summed over pairable units, computed without the units × V × V intermediate."""
    counts = pairable(counts)
    m = counts.sum(axis=1)
    weighted = counts / (m - 1)[:, None]
    return weighted.T @ counts - np.diag(weighted.sum(axis=0))


def difference_matrix(level: Level, values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """δ²_ck for every pair of values (V × V), or a batch (B × V × V) for batched marginals.

    Ordinal: (Σ_{g=c..k} n_g − (n_c + n_k)/2)², the values being ranked in the given order;
    interval: (c − k)²; ratio: ((c − k)/(c + k))²; nominal: 1 if c ≠ k.
    """
    n_values = len(values)
    if level == "nominal":
        return 1.0 - np.eye(n_values)
    if level == "ordinal":
        marginals = np.asarray(marginals, dtype=float)
        cumulative = np.cumsum(marginals, axis=-1)
        before = cumulative - marginals  # Σ_{g<c} n_g
        low = np.minimum.outer(np.arange(n_values), np.arange(n_values))
        high = np.maximum.outer(np.arange(n_values), np.arange(n_values))
        between = cumulative[..., high] - before[..., low]
        half = (marginals[..., :, None] + marginals[..., None, :]) / 2
        return (between - half) ** 2
    numeric = np.asarray(values, dtype=float)
    diff = numeric[:, None] - numeric[None, :]
    if level == "interval":
        return diff**2
    if level == "ratio":
        total = numeric[:, None] + numeric[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(total == 0, 0.0, diff / np.where(total == 0, 1, total))
        return ratio**2
    raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")


def alpha_from_coincidences(
    coincidences: np.ndarray, level: Level, values: np.ndarray
) -> np.ndarray:
    """α for one coincidence matrix (V × V) or a batch (B × V × V); NaN when D_e = 0."""
    o = np.asarray(coincidences, dtype=float)
    marginals = o.sum(axis=-1)
    n = marginals.sum(axis=-1)
    delta = difference_matrix(level, values, marginals)
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (marginals[..., :, None] * marginals[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 1.0 - (n - 1) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def alpha(
    reliability_data: Any = None,
    *,
    counts: Any = None,
    level: Level = "ordinal",
    value_domain: Any = None,
) -> float:
    """Krippendorff's α from raters × units data (NaN = missing) or a units × values count
    matrix. For ordinal data the values' order is their sorted order, or `value_domain`'s."""
    if (reliability_data is None) == (counts is None):
        raise ValueError("give either reliability_data (raters × units) or counts, not both")
    if counts is None:
        counts, values = value_counts(reliability_data, value_domain)
    else:
        counts = np.asarray(counts, dtype=float)
        values = (
            np.asarray(value_domain) if value_domain is not None else np.arange(counts.shape[1])
        )
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")
    return float(alpha_from_coincidences(coincidence_matrix(counts), level, values))


def bootstrap_alpha(
    counts: Any,
    *,
    level: Level = "ordinal",
    values: Any = None,
    n_boot: int = 1000,
    rng: np.random.Generator | None = None,
    confidence: float = 0.95,
    min_alpha: float | None = 0.667,
    chunk: int = 100,
) -> dict[str, Any]:
    """α with a percentile CI from resampling pairable units with replacement.

    Returns alpha, ci_low, ci_high (None without replicates), the share of replicates below
    `min_alpha` (Krippendorff's q), and the numbers of units and pairable values.
    """
    counts = pairable(np.asarray(counts, dtype=float))
    values = np.arange(counts.shape[1]) if values is None else np.asarray(values)
    n_units = counts.shape[0]
    per_unit = unit_coincidences(counts).reshape(n_units, -1)
    point = float(
        alpha_from_coincidences(per_unit.sum(axis=0).reshape(len(values), -1), level, values)
    )
    out: dict[str, Any] = {
        "alpha": point,
        "ci_low": None,
        "ci_high": None,
        "p_below_min": None,
        "n_units": int(n_units),
        "n_pairable_values": int(counts.sum()),
        "n_boot": 0,
        "confidence": confidence,
    }
    if n_boot <= 0 or n_units < 2 or not np.isfinite(point):
        return out
    rng = rng if rng is not None else np.random.default_rng()
    replicates = np.empty(n_boot)
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.integers(0, n_units, size=(size, n_units))
        offsets = (np.arange(size) * n_units)[:, None]
        weights = np.bincount((draws + offsets).ravel(), minlength=size * n_units)
        weights = weights.reshape(size, n_units).astype(float)
        batch = (weights @ per_unit).reshape(size, len(values), len(values))
        replicates[start : start + size] = alpha_from_coincidences(batch, level, values)
    finite = replicates[np.isfinite(replicates)]
    tail = (1 - confidence) / 2
    if finite.size:
        out["ci_low"] = float(np.quantile(finite, tail))
        out["ci_high"] = float(np.quantile(finite, 1 - tail))
        if min_alpha is not None:
            out["p_below_min"] = float(np.mean(finite < min_alpha))
    out["n_boot"] = int(finite.size)
    return out


def _as_array(data: Any) -> np.ndarray:
    """Numbers as floats (NaN = missing); anything else (labels) as objects (None/NaN = missing)."""
    try:
        return np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        return np.asarray(data, dtype=object)


def _missing_mask(data: np.ndarray) -> np.ndarray:
    if data.dtype != object:
        return np.isnan(data)
    return np.array(
        [x is None or (isinstance(x, float) and np.isnan(x)) for x in data.ravel()], dtype=bool
    ).reshape(data.shape)


def _codes(observed: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each observed value in `values`; an error for values outside the domain."""
    if observed.dtype == object or values.dtype == object:
        lookup = {v: i for i, v in enumerate(values.tolist())}
        unknown = sorted({str(v) for v in observed.tolist() if v not in lookup})
        if unknown:
            raise ValueError(f"values outside the value domain: {', '.join(unknown[:5])}")
        return np.array([lookup[v] for v in observed.tolist()], dtype=int)
    order = np.argsort(values, kind="stable")
    position = np.searchsorted(values[order], observed)
    position = np.clip(position, 0, len(values) - 1)
    codes = order[position]
    if not np.array_equal(values[codes], observed):
        bad = np.unique(observed[values[codes] != observed])
        raise ValueError(f"values outside the value domain: {', '.join(map(str, bad[:5]))}")
    return codes
