"""Write inequality_panel.csv: a seeded two-wave panel whose programme narrows income inequality
by a known amount (see README_inequality_panel.md).

Log-incomes L₀ ~ N(7, 0.6²) at wave 1. At wave 2 the programme group's log-income is
7.05 + ρ(L₀ − 7) + e and the comparison group's L₀ + 0.05 + e, with e ~ N(0, τ²). Both stay
lognormal, whose Gini is 2Φ(σ/√2) − 1: the true change of the Gini index is known.
Run: python tests/data/effects/make_inequality_panel.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

SEED = 20261129
PEOPLE = 150  # per group
SIGMA, RHO, TAU = 0.6, 0.7, 0.15


def lognormal_gini(sigma: float) -> float:
    return float(2 * stats.norm.cdf(sigma / np.sqrt(2)) - 1)


def true_gini_did() -> float:
    """[G(after) − G(before)] of the programme group minus the same for the comparison group."""
    treated_after = np.sqrt(RHO**2 * SIGMA**2 + TAU**2)
    control_after = np.sqrt(SIGMA**2 + TAU**2)
    return lognormal_gini(treated_after) - lognormal_gini(control_after)


def simulate(seed: int = SEED, people: int = PEOPLE) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 2 * people
    programme = np.repeat([1, 0], people)
    before = rng.normal(7.0, SIGMA, n)
    noise = rng.normal(0.0, TAU, n)
    after = np.where(programme == 1, 7.05 + RHO * (before - 7.0), before + 0.05) + noise
    ids = np.arange(1, n + 1)
    frame = pd.concat(
        [
            pd.DataFrame({"id": ids, "programme": programme, "wave": 1, "income": np.exp(before)}),
            pd.DataFrame({"id": ids, "programme": programme, "wave": 2, "income": np.exp(after)}),
        ],
        ignore_index=True,
    )
    frame["income"] = frame["income"].round(2)
    return frame


if __name__ == "__main__":
    simulate().to_csv(Path(__file__).with_name("inequality_panel.csv"), index=False)
