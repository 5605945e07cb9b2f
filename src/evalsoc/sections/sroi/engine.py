"""SROI engine: present values, sensitivity, switching values and Monte Carlo, on numbers.

Conventions (Social Value International, "A Guide to Social Return on Investment", 2012):

- annual impact = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
  (`additive`: quantity × proxy × max(0, 1 − deadweight − displacement − attribution));
- year t of a duration D: impact × share of year t × (1 − drop_off)^(t − 1), where the share of
  year t is min(1, max(0, D − (t − 1))) so that a duration of 2.5 years counts half of year 3;
- PV = Σ_t V_t × DF_t with DF_t = Π_{s ≤ n_t} 1 / (1 + r_s), n_t = t when year 1 is discounted
  (the guide's default) and t − 1 otherwise, r_s the rate of the s-th year of discounting;
- NPV = PV − inputs; ratio = PV / inputs; net ratio = NPV / inputs.

The same vectorised functions give the point estimate (arrays of length 1), the one-at-a-time
sensitivity, the switching values and the Monte Carlo draws. `evalsoc.sections.sroi.compute.compute` is
the adapter from the `sroi:` config and earlier results to this engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
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


# ---------------------------------------------------------------------------------------------
# Parameters and their uncertainty


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
    reason: str | None = None
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
    reason: str | None = None,
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


# ---------------------------------------------------------------------------------------------
# The vectorised core


def retention(dw: Any, ds: Any, at: Any, additive: bool) -> Any:
    """The share of gross value kept after deadweight, displacement and attribution."""
    if additive:
        return np.maximum(1.0 - (dw + ds + at), 0.0)
    return (1.0 - dw) * (1.0 - ds) * (1.0 - at)


def schedule_rates(schedule: tuple[tuple[int, int | None, float], ...], n_years: int) -> np.ndarray:
    """The rate of each year of discounting 1..n_years; the last step's rate continues."""
    rates = np.full(n_years, schedule[-1][2], dtype=float)
    for start, end, rate in schedule:
        stop = n_years if end is None else min(end, n_years)
        if start <= n_years:
            rates[start - 1 : stop] = rate
    return rates


def discount_factors(
    n_years: int,
    first_year: bool,
    rate: Any = None,
    schedule: tuple[tuple[int, int | None, float], ...] | None = None,
) -> np.ndarray:
    """DF_t for t = 1..n_years (shape (n_years,), or (draws, n_years) for an array of rates)."""
    periods = np.arange(1, n_years + 1) - (0 if first_year else 1)
    if schedule is not None:
        rates = schedule_rates(schedule, max(n_years, 1))
        cumulative = np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + rates))])
        return cumulative[periods]
    r = np.asarray(rate, dtype=float)
    return (1.0 + r[..., None]) ** (-periods) if r.ndim else (1.0 + float(r)) ** (-periods)


def persistence(duration: Any, drop_off: Any, df: np.ndarray) -> Any:
    """Σ_t share of year t × (1 − drop_off)^(t−1) × DF_t: turns an annual impact into its PV."""
    # Accumulated year by year: a few vector operations per year, no (draws × years) temporaries.
    duration = np.asarray(duration, dtype=float)
    keep = 1.0 - np.asarray(drop_off, dtype=float)
    total: Any = 0.0
    decay: Any = 1.0
    for t in range(df.shape[-1]):
        share = np.clip(duration - t, 0.0, 1.0)
        total = total + share * decay * df[..., t]
        decay = decay * keep
    return total


def outcome_present_value(values: Mapping[str, Any], df: np.ndarray, additive: bool) -> Any:
    """PV of one outcome for scalar or array parameter values (arrays broadcast over draws)."""
    impact = (
        values["quantity"]
        * values["proxy"]
        * retention(values["deadweight"], values["displacement"], values["attribution"], additive)
    )
    return impact * persistence(values["duration"], values["drop_off"], df)


def years_needed(durations: Any) -> int:
    return max(1, math.ceil(float(np.max(durations)) - 1e-12))


def model_years(model: SroiModel) -> int:
    return max([years_needed(o.params["duration"].value) for o in model.outcomes] or [1])


def model_discount_factors(model: SroiModel, n_years: int, rate: Any = None) -> np.ndarray:
    if model.schedule is not None:
        return discount_factors(n_years, model.first_year, schedule=model.schedule)
    assert model.rate is not None
    return discount_factors(
        n_years, model.first_year, rate=model.rate.value if rate is None else rate
    )


def central_values(outcome: OutcomeModel) -> dict[str, float]:
    return {name: outcome.params[name].value for name in PARAMETERS}


def present_value(model: SroiModel) -> float:
    """The point estimate of the present value."""
    df = model_discount_factors(model, model_years(model))
    return float(
        sum(outcome_present_value(central_values(o), df, model.additive) for o in model.outcomes)
    )


def ratio_function(model: SroiModel, key: Key) -> Callable[[float], float]:
    """The SROI ratio as a function of one parameter, the others at their central values.

    Only the outcome that owns the parameter is recomputed (the others are a constant).
    """
    k, name = key
    inputs = model.inputs_total
    if k is None:

        def of_rate(x: float) -> float:
            return present_value(model.with_value(key, x)) / inputs

        return of_rate
    years = max(model_years(model), math.ceil(MAX_DURATION) if name == "duration" else 1)
    df = model_discount_factors(model, years)
    others = sum(
        float(outcome_present_value(central_values(o), df, model.additive))
        for j, o in enumerate(model.outcomes)
        if j != k
    )
    base = central_values(model.outcomes[k])

    def of_param(x: float) -> float:
        values = {**base, name: x}
        return (others + float(outcome_present_value(values, df, model.additive))) / inputs

    return of_param


# ---------------------------------------------------------------------------------------------
# The deterministic account: per outcome and year, totals, payback


def deductions(gross: float, dw: float, ds: float, at: float, additive: bool) -> dict[str, float]:
    """Each adjustment's deduction from the gross annual value (they never exceed it)."""
    if additive:
        parts = {"deadweight": gross * dw, "displacement": gross * ds, "attribution": gross * at}
        total = dw + ds + at
        if total > 1:  # the net value is floored at 0: scale the deductions to the gross value
            parts = {k: v / total for k, v in parts.items()}
        return parts
    after_dw = gross * (1 - dw)
    after_ds = after_dw * (1 - ds)
    return {"deadweight": gross * dw, "displacement": after_dw * ds, "attribution": after_ds * at}


def outcome_account(outcome: OutcomeModel, df: np.ndarray, additive: bool) -> dict[str, Any]:
    """The impact-map line of one outcome: annual values, each deduction, each year, the PV."""
    v = central_values(outcome)
    gross = v["quantity"] * v["proxy"]
    cut = deductions(gross, v["deadweight"], v["displacement"], v["attribution"], additive)
    impact = gross - sum(cut.values())
    years = []
    for t in range(1, years_needed(v["duration"]) + 1):
        share = min(1.0, max(0.0, v["duration"] - (t - 1)))
        before_drop = impact * share
        net = before_drop * (1 - v["drop_off"]) ** (t - 1)
        years.append(
            {
                "year": t,
                "share_of_year": share,
                "gross": gross * share,
                "deductions": {k: c * share for k, c in cut.items()},
                "drop_off": before_drop - net,
                "net": net,
                "discount_factor": float(df[t - 1]),
                "present_value": net * float(df[t - 1]),
            }
        )
    totals = {k: sum(y["deductions"][k] for y in years) for k in ADJUSTMENTS}
    totals["drop_off"] = sum(y["drop_off"] for y in years)
    net_value = sum(y["net"] for y in years)
    pv = sum(y["present_value"] for y in years)
    return {
        "annual": {"gross": gross, **cut, "net": impact},
        "gross_value": sum(y["gross"] for y in years),
        "deductions": totals,
        "net_value": net_value,
        "discounting": net_value - pv,
        "discounted_value": pv,
        "by_year": years,
    }


def payback_months(present_values_by_year: list[float], inputs_total: float) -> float | None:
    """Months until the cumulative discounted value covers the inputs.

    Value is taken to accrue evenly within each year, so the crossing year is interpolated
    linearly: 12 (t − 1) + 12 (inputs − cumulative_{t−1}) / PV_t. None if never covered.
    """
    if inputs_total <= 0:
        return 0.0
    cumulative = 0.0
    for t, pv in enumerate(present_values_by_year, start=1):
        if pv > 0 and cumulative + pv >= inputs_total:
            return 12.0 * (t - 1) + 12.0 * (inputs_total - cumulative) / pv
        cumulative += pv
    return None


def account(model: SroiModel) -> dict[str, Any]:
    """The point estimate: per outcome, per year, totals, ratio, payback and the waterfall."""
    n_years = model_years(model)
    df = model_discount_factors(model, n_years)
    outcomes = {o.id: outcome_account(o, df, model.additive) for o in model.outcomes}
    by_year = []
    cumulative = 0.0
    for t in range(1, n_years + 1):
        rows = [a["by_year"][t - 1] for a in outcomes.values() if len(a["by_year"]) >= t]
        pv_t = sum(r["present_value"] for r in rows)
        cumulative += pv_t
        by_year.append(
            {
                "year": t,
                "gross": sum(r["gross"] for r in rows),
                "net": sum(r["net"] for r in rows),
                "discount_factor": float(df[t - 1]),
                "present_value": pv_t,
                "cumulative_present_value": cumulative,
            }
        )
    pv = sum(a["discounted_value"] for a in outcomes.values())
    for a in outcomes.values():
        a["share_of_present_value"] = a["discounted_value"] / pv if pv else None
    inputs = model.inputs_total
    waterfall = {"gross": sum(a["gross_value"] for a in outcomes.values())}
    for k in (*ADJUSTMENTS, "drop_off"):
        waterfall[k] = sum(a["deductions"][k] for a in outcomes.values())
    waterfall["discounting"] = sum(a["discounting"] for a in outcomes.values())
    waterfall["present_value"] = pv
    return {
        "present_value": pv,
        "npv": pv - inputs,
        "ratio": pv / inputs if inputs > 0 else None,
        "net_ratio": (pv - inputs) / inputs if inputs > 0 else None,
        "payback_months": payback_months([y["present_value"] for y in by_year], inputs),
        "by_outcome": outcomes,
        "by_year": by_year,
        "waterfall": waterfall,
    }


# ---------------------------------------------------------------------------------------------
# Sensitivity: one at a time, switching values


def one_at_a_time(model: SroiModel) -> list[dict[str, Any]]:
    """The ratio at each parameter's low and high values, the others central (tornado data)."""
    central = present_value(model) / model.inputs_total
    rows = []
    for key in model.keys():
        param = model.param(key)
        if not param.has_range:
            continue
        assert param.low is not None and param.high is not None
        f = ratio_function(model, key)
        r_low, r_high = f(param.low), f(param.high)
        rows.append(
            {
                "outcome": model.outcomes[key[0]].id if key[0] is not None else None,
                "parameter": key[1],
                "central": param.value,
                "low": param.low,
                "high": param.high,
                "ratio_central": central,
                "ratio_low": r_low,
                "ratio_high": r_high,
                "swing": abs(r_high - r_low),
            }
        )
    rows.sort(key=lambda r: -r["swing"])
    return rows


def feasible_range(key: Key, param: Param) -> tuple[float, float]:
    """Where a parameter may go when searching its switching value."""
    name = key[1]
    if name in SHARES or name == RATE:
        return 0.0, 1.0
    if name == "duration":
        return 0.0, MAX_DURATION
    return param.bounds


def switching_value(model: SroiModel, key: Key) -> dict[str, Any]:
    """The value of one parameter at which the ratio equals 1 (others central), or why none."""
    from scipy.optimize import brentq

    param = model.param(key)
    f = ratio_function(model, key)
    lo, hi = feasible_range(key, param)
    row: dict[str, Any] = {
        "outcome": model.outcomes[key[0]].id if key[0] is not None else None,
        "parameter": key[1],
        "central": param.value,
        "range": [lo, hi],
    }
    value: float | None = None
    if key[1] in ("quantity", "proxy"):  # the ratio is linear in these: solve exactly
        r0, r1 = f(0.0), f(1.0)
        slope = r1 - r0
        if slope != 0:
            candidate = (1.0 - r0) / slope
            if lo <= candidate <= hi:
                value = candidate
        row["ratio_at_range"] = [r0 + slope * b if math.isfinite(b) else None for b in (lo, hi)]
        if value is None:
            row.update(_no_switch(r0, slope, key))
    else:
        f_lo, f_hi = f(lo), f(hi)
        row["ratio_at_range"] = [f_lo, f_hi]
        if (f_lo - 1.0) * (f_hi - 1.0) <= 0 and f_lo != f_hi:
            value = float(brentq(lambda x: f(x) - 1.0, lo, hi, xtol=1e-15, rtol=1e-15, maxiter=500))
        else:
            row.update(_no_switch_bounded(f_lo, f_hi, lo, hi, key))
    row["switching_value"] = value
    if value is not None:
        row["change"] = value - param.value
        row["relative_change"] = (value - param.value) / param.value if param.value else None
        row["reason"] = None
    return row


def _no_switch(r0: float, slope: float, key: Key) -> dict[str, Any]:
    if slope == 0:
        return {
            "code": "no_effect",
            "reason": f"the ratio does not depend on {key[1]} (it stays at {r0:.4g})",
        }
    side = "above" if r0 > 1 else "below"
    return {
        "code": f"always_{side}",
        "reason": f"the ratio would reach 1 only with a {key[1]} of the opposite sign; "
        f"at {key[1]} = 0 it is {r0:.4g}, {side} 1",
    }


def _no_switch_bounded(f_lo: float, f_hi: float, lo: float, hi: float, key: Key) -> dict[str, Any]:
    if f_lo == f_hi:
        return {"code": "no_effect", "reason": f"the ratio does not depend on {key[1]}"}
    side = "above" if min(f_lo, f_hi) > 1 else "below"
    return {
        "code": f"always_{side}",
        "reason": f"the ratio stays {side} 1 for every {key[1]} from {lo:g} to {hi:g} "
        f"(from {f_lo:.4g} to {f_hi:.4g})",
    }


def switching_values(model: SroiModel) -> list[dict[str, Any]]:
    return [switching_value(model, key) for key in model.keys()]


# ---------------------------------------------------------------------------------------------
# Monte Carlo


def draw_parameters(
    model: SroiModel, rng: np.random.Generator, draws: int
) -> dict[Key, np.ndarray]:
    """Draws of every uncertain parameter, in a fixed order (outcomes as declared, PARAMETERS
    order, then the discount rate) so that a seed always gives the same draws."""
    samples: dict[Key, np.ndarray] = {}
    for key in model.keys():
        param = model.param(key)
        if param.uncertain:
            samples[key] = param.sample(rng, draws)
    return samples


def simulate_present_values(model: SroiModel, draws: int, seed: int) -> np.ndarray:
    """Present values of `draws` joint draws of the uncertain parameters (independent laws)."""
    from evalsoc.sections.memory import check_draws_fit

    uncertain = sum(1 for key in model.keys() if model.param(key).uncertain)
    check_draws_fit(draws, uncertain + 3, "sroi.monte_carlo.draws")  # samples, pv, ratios
    rng = np.random.default_rng(seed)
    samples = draw_parameters(model, rng, draws)
    n_years = model_years(model)
    for k, _ in enumerate(model.outcomes):
        if (k, "duration") in samples:
            n_years = max(n_years, years_needed(samples[(k, "duration")]))
    block = max(1000, 4_000_000 // n_years)
    pv = np.zeros(draws)
    for start in range(0, draws, block):
        part = slice(start, min(start + block, draws))
        rate = samples.get((None, RATE))
        df = model_discount_factors(model, n_years, None if rate is None else rate[part])
        for k, outcome in enumerate(model.outcomes):
            values: dict[str, Any] = central_values(outcome)
            for name in PARAMETERS:
                if (k, name) in samples:
                    values[name] = samples[(k, name)][part]
            pv[part] += outcome_present_value(values, df, model.additive)
    return pv


def summarise_ratios(ratios: np.ndarray, seed: int, bins: int = 40) -> dict[str, Any]:
    q = np.quantile(ratios, [0.025, 0.05, 0.5, 0.95, 0.975])
    lo, hi = np.quantile(ratios, [0.005, 0.995])
    if hi > lo:
        counts, edges = np.histogram(ratios, bins=bins, range=(lo, hi))  # tails left out
    else:
        counts, edges = np.array([ratios.size]), np.array([lo, lo])
    return {
        "estimable": True,
        "median": float(q[2]),
        "mean": float(ratios.mean()),
        "ci90": [float(q[1]), float(q[3])],
        "ci95": [float(q[0]), float(q[4])],
        "p_ratio_above_1": float(np.mean(ratios > 1.0)),
        "draws": int(ratios.size),
        "seed": int(seed),
        "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
    }


def monte_carlo(model: SroiModel, draws: int, seed: int) -> dict[str, Any]:
    """The ratio's distribution over the declared ranges: median, 90%/95% intervals, P(ratio > 1)."""
    ratios = simulate_present_values(model, draws, seed) / model.inputs_total
    out = summarise_ratios(ratios, seed)
    out["uncertain_parameters"] = sum(1 for key in model.keys() if model.param(key).uncertain)
    return out
