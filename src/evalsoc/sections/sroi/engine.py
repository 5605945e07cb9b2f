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

This module is the engine's public API, re-exported from its parts, one job each: model.py
(parameters, outcomes, constants), present_value.py (discounting and the account),
sensitivity.py (one at a time, switching values) and monte_carlo.py (seeded draws).
"""

from __future__ import annotations

from evalsoc.sections.sroi.model import (
    ADJUSTMENTS,
    MAX_DURATION,
    NUMERIC_FAILURES,
    PARAMETERS,
    PRACTICE_BAND,
    PRACTICE_MEDIANS,
    RATE,
    RATIO_REVIEW_ABOVE,
    SHARES,
    Key,
    OutcomeModel,
    Param,
    SroiModel,
    make_param,
    truncated_normal_quantile,
)
from evalsoc.sections.sroi.monte_carlo import (
    draw_parameters,
    monte_carlo,
    simulate_present_values,
    summarise_ratios,
)
from evalsoc.sections.sroi.present_value import (
    account,
    central_values,
    deductions,
    discount_factors,
    model_discount_factors,
    model_years,
    outcome_account,
    outcome_present_value,
    payback_months,
    persistence,
    present_value,
    retention,
    schedule_rates,
    years_needed,
)
from evalsoc.sections.sroi.sensitivity import (
    feasible_range,
    one_at_a_time,
    ratio_function,
    switching_value,
    switching_values,
)

__all__ = [
    "ADJUSTMENTS",
    "Key",
    "MAX_DURATION",
    "NUMERIC_FAILURES",
    "OutcomeModel",
    "PARAMETERS",
    "PRACTICE_BAND",
    "PRACTICE_MEDIANS",
    "Param",
    "RATE",
    "RATIO_REVIEW_ABOVE",
    "SHARES",
    "SroiModel",
    "account",
    "central_values",
    "deductions",
    "discount_factors",
    "draw_parameters",
    "feasible_range",
    "make_param",
    "model_discount_factors",
    "model_years",
    "monte_carlo",
    "one_at_a_time",
    "outcome_account",
    "outcome_present_value",
    "payback_months",
    "persistence",
    "present_value",
    "ratio_function",
    "retention",
    "schedule_rates",
    "simulate_present_values",
    "summarise_ratios",
    "switching_value",
    "switching_values",
    "truncated_normal_quantile",
    "years_needed",
]
