"""Present values and the account of an SROI model (conventions in engine.py's docstring).

Vectorised: the same functions give the point estimate (arrays of length 1) and, called by
sensitivity.py and monte_carlo.py, the perturbed and drawn values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from evalsoc.sections.sroi.model import ADJUSTMENTS, PARAMETERS, OutcomeModel, SroiModel


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
