"""The SROI model on numbers: parameters (central value, bounds, distribution), outcomes, the
whole model, and the conventional constants (practice medians, review thresholds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

PARAMETERS = (
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "duration",
)


ADJUSTMENTS = ("deadweight", "displacement", "attribution")


SHARES = ("deadweight", "displacement", "attribution", "drop_off")


RATE = "discount_rate"


MAX_DURATION = 100.0


# Published practice (meta-analysis of 383 SROI reports): median deadweight ≈ 20%, attribution
# ≈ 25.5%, drop-off ≈ 21.5%, ratio 3.6 with 10th-90th percentiles 1.3-10.2. A share is flagged
# when it falls outside [median / 4, median × 2.5]; a ratio above the 90th percentile is flagged.
PRACTICE_MEDIANS = {"deadweight": 0.20, "attribution": 0.255, "drop_off": 0.215}


PRACTICE_BAND = (0.25, 2.5)


RATIO_REVIEW_ABOVE = 10.2


Key = tuple[int | None, str]  # (outcome index, parameter) or (None, "discount_rate")


NUMERIC_FAILURES = (ValueError, ArithmeticError, RuntimeError, MemoryError)


@dataclass(frozen=True)
class Param:
    """One parameter: its central value, its one-at-a-time range and its Monte Carlo law."""

    value: float
    low: float | None = None
    high: float | None = None
    distribution: str | None = None  # None: fixed in the Monte Carlo
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    alpha: float | None = None
    beta: float | None = None
    bounds: tuple[float, float] = (-math.inf, math.inf)
    reason: Any = None  # a Label: text or {fr, en}
    declared: bool = True

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low

    @property
    def uncertain(self) -> bool:
        return self.distribution is not None and self.has_range

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n draws from the parameter's distribution (constant when the range is empty)."""
        if not self.uncertain:
            return np.full(n, self.value, dtype=float)
        assert self.low is not None and self.high is not None
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)
        if self.distribution == "triangular":
            mode = self.value if self.mode is None else self.mode
            return rng.triangular(self.low, min(max(mode, self.low), self.high), self.high, n)
        if self.distribution == "normal":
            assert self.mean is not None and self.sd is not None
            return truncated_normal_quantile(rng.random(n), self.mean, self.sd, *self.bounds)
        if self.distribution == "beta":
            assert self.alpha is not None and self.beta is not None
            return rng.beta(self.alpha, self.beta, n)
        raise ValueError(f"unknown distribution {self.distribution!r}")


def truncated_normal_quantile(
    u: np.ndarray | float, mean: float, sd: float, lower: float, upper: float
) -> np.ndarray:
    """Quantiles of Normal(mean, sd) truncated to [lower, upper] (inverse-CDF sampling)."""
    from scipy.special import ndtr, ndtri

    a = ndtr((lower - mean) / sd) if math.isfinite(lower) else 0.0
    b = ndtr((upper - mean) / sd) if math.isfinite(upper) else 1.0
    x = mean + sd * ndtri(a + np.asarray(u, dtype=float) * (b - a))
    return np.clip(x, lower, upper)


def make_param(
    value: float | None = None,
    *,
    low: float | None = None,
    high: float | None = None,
    distribution: str | None = None,
    mode: float | None = None,
    mean: float | None = None,
    sd: float | None = None,
    alpha: float | None = None,
    beta: float | None = None,
    bounds: tuple[float, float] = (-math.inf, math.inf),
    reason: Any = None,  # a Label: text or {fr, en}
    declared: bool = True,
) -> Param:
    """A Param with the defaults filled in: the central value, and for normal and beta laws
    without a declared range, the 5th and 95th percentiles as the one-at-a-time range."""
    if distribution is None and low is not None and high is not None:
        distribution = "triangular" if value is not None else "uniform"
    if distribution == "normal":
        mean = value if mean is None else mean
        assert mean is not None and sd is not None
        if low is None or high is None:
            low, high = (
                float(q)
                for q in truncated_normal_quantile(np.array([0.05, 0.95]), mean, sd, *bounds)
            )
    if distribution == "beta":
        from scipy.special import betaincinv

        assert alpha is not None and beta is not None
        mean = alpha / (alpha + beta)
        if low is None or high is None:
            low, high = (float(betaincinv(alpha, beta, q)) for q in (0.05, 0.95))
    if value is None:
        for candidate in (mode, mean):
            if candidate is not None:
                value = candidate
                break
        else:
            if low is None or high is None:
                raise ValueError("a parameter needs a value or a range")
            value = (low + high) / 2
    return Param(
        value=float(value),
        low=None if low is None else float(low),
        high=None if high is None else float(high),
        distribution=distribution,
        mode=mode,
        mean=mean,
        sd=sd,
        alpha=alpha,
        beta=beta,
        bounds=bounds,
        reason=reason,
        declared=declared,
    )


@dataclass(frozen=True)
class OutcomeModel:
    """An outcome as the engine sees it: an id and one Param per name in PARAMETERS."""

    id: str
    params: Mapping[str, Param]


@dataclass(frozen=True)
class SroiModel:
    outcomes: tuple[OutcomeModel, ...]
    inputs_total: float
    rate: Param | None = None  # one rate (possibly uncertain) ...
    schedule: tuple[tuple[int, int | None, float], ...] | None = None  # ... or a declining one
    first_year: bool = True
    additive: bool = False

    def param(self, key: Key) -> Param:
        k, name = key
        if k is None:
            assert self.rate is not None
            return self.rate
        return self.outcomes[k].params[name]

    def with_value(self, key: Key, x: float) -> SroiModel:
        """The same model with one parameter's central value replaced."""
        k, name = key
        if k is None:
            assert self.rate is not None
            return replace(self, rate=replace(self.rate, value=x))
        outcome = self.outcomes[k]
        params = {**outcome.params, name: replace(outcome.params[name], value=x)}
        outcomes = list(self.outcomes)
        outcomes[k] = replace(outcome, params=params)
        return replace(self, outcomes=tuple(outcomes))

    def keys(self) -> list[Key]:
        keys: list[Key] = [(k, name) for k in range(len(self.outcomes)) for name in PARAMETERS]
        if self.rate is not None:
            keys.append((None, RATE))
        return keys
