"""Monte Carlo of the SROI ratio: seeded draws of every uncertain parameter, and their summary."""

from __future__ import annotations

from typing import Any

import numpy as np

from evalsoc.sections.sroi.model import PARAMETERS, RATE, Key, SroiModel
from evalsoc.sections.sroi.present_value import (
    central_values,
    model_discount_factors,
    model_years,
    outcome_present_value,
    years_needed,
)


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
