"""Cost per additional outcome and its interval (no framework, no data frame).

ratio R = C / (β N): C the cost (known exactly), β the effect per person treated (in the good
direction), N the number treated. Two intervals, both from the effect's own inference:
- **published interval: the effect's interval inverted** — R is a decreasing function of β on
  β > 0, so [C/(N β_high), C/(N β_low)] holds R exactly when the effect's interval holds β. With
  the numerator known exactly this is what Fieller's method gives (Fieller 1954; the interval
  of a ratio whose numerator has no variance), and it keeps the ratio's skew: never below zero.
- **delta method** (for comparison, and a standard error): SE(R) = R · SE(β) / β, interval
  R ± c · SE(R), c the critical value of the effect's interval, (β_high − β_low) / (2 SE(β)),
  so that a t interval keeps its degrees of freedom. Symmetric: it can fall below zero.
When the effect's interval contains zero (or lies on the wrong side of it) the ratio is
unbounded — any cost per outcome up to infinity is consistent with the data — and is not
estimable, with that reason.
"""

from __future__ import annotations

from typing import Any


def oriented(estimate: float, low: float, high: float, better: str) -> tuple[float, float, float]:
    """The effect and its bounds in the good direction (a lower score may be the better)."""
    if better == "lower":
        return -estimate, -high, -low
    return estimate, low, high


def cost_per_additional(
    cost: float,
    estimate: float,
    se: float | None,
    low: float | None,
    high: float | None,
    treated: int,
    better: str = "higher",
) -> dict[str, Any]:
    """`{estimable, value, ci_low, ci_high, delta_se, delta_ci_low, delta_ci_high,
    additional_outcomes(_low/_high)}`, or `{estimable: False, code}` with why not."""
    if low is None or high is None:
        return {"estimable": False, "code": "cost_effect_no_interval"}
    beta, beta_low, beta_high = oriented(estimate, low, high, better)
    out: dict[str, Any] = {
        "additional_outcomes": beta * treated,
        "additional_outcomes_low": beta_low * treated,
        "additional_outcomes_high": beta_high * treated,
    }
    if beta <= 0:
        return {**out, "estimable": False, "code": "cost_effect_wrong_direction"}
    if beta_low <= 0:
        return {**out, "estimable": False, "code": "cost_effect_interval_contains_zero"}
    value = cost / (beta * treated)
    out.update(
        estimable=True,
        value=value,
        ci_low=cost / (beta_high * treated),
        ci_high=cost / (beta_low * treated),
        delta_se=None,
        delta_ci_low=None,
        delta_ci_high=None,
    )
    if se is not None and se > 0:
        critical = (beta_high - beta_low) / (2 * se)
        delta_se = value * se / beta
        out.update(
            delta_se=delta_se,
            delta_ci_low=value - critical * delta_se,
            delta_ci_high=value + critical * delta_se,
        )
    return out


def compare(value: float, low: float | None, high: float | None, reference: float) -> str:
    """How a programme's cost ratio stands against a reference: lower, higher, equal (an exact
    ratio), or within (the reference lies inside the ratio's interval)."""
    if low is not None and high is not None:
        if high < reference:
            return "lower"
        if low > reference:
            return "higher"
        return "within"
    if value < reference:
        return "lower"
    if value > reference:
        return "higher"
    return "equal"
