"""One-at-a-time sensitivity and switching values of the SROI ratio."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from evalsoc.problems import problem
from evalsoc.sections.sroi.model import MAX_DURATION, RATE, SHARES, Key, Param, SroiModel
from evalsoc.sections.sroi.parameter_names import PARAMETER_NAMES
from evalsoc.sections.sroi.present_value import (
    central_values,
    model_discount_factors,
    model_years,
    outcome_present_value,
    present_value,
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


def _number(x: float, spec: str = ".4g") -> dict[str, str]:
    """A number in both languages' decimal marks (for a reason's parameters)."""
    text = format(x, spec)
    return {"fr": text.replace(".", ","), "en": text}


def _side(above: bool) -> dict[str, str]:
    return (
        {"fr": "au-dessus de", "en": "above"} if above else {"fr": "en dessous de", "en": "below"}
    )


def _no_switch(r0: float, slope: float, key: Key) -> dict[str, Any]:
    name = PARAMETER_NAMES[key[1]]
    if slope == 0:
        return {
            "code": "no_effect",
            "reason": problem("sroi_switch_no_effect", parameter=name, ratio=_number(r0)),
        }
    side = "above" if r0 > 1 else "below"
    return {
        "code": f"always_{side}",
        "reason": problem(
            "sroi_switch_opposite_sign", parameter=name, ratio=_number(r0), side=_side(r0 > 1)
        ),
    }


def _no_switch_bounded(f_lo: float, f_hi: float, lo: float, hi: float, key: Key) -> dict[str, Any]:
    name = PARAMETER_NAMES[key[1]]
    if f_lo == f_hi:
        return {
            "code": "no_effect",
            "reason": problem("sroi_switch_no_effect_in_range", parameter=name),
        }
    above = min(f_lo, f_hi) > 1
    return {
        "code": "always_above" if above else "always_below",
        "reason": problem(
            "sroi_switch_stays",
            parameter=name,
            side=_side(above),
            low=_number(lo, "g"),
            high=_number(hi, "g"),
            ratio_low=_number(f_lo),
            ratio_high=_number(f_hi),
        ),
    }


def switching_values(model: SroiModel) -> list[dict[str, Any]]:
    return [switching_value(model, key) for key in model.keys()]
