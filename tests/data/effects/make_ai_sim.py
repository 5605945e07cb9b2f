"""Simulated data for the Abadie–Imbens standard error (tests/data/effects/ai_sim.csv).

Two continuous covariates, a logit treatment, a heteroskedastic outcome with a true effect on
the treated of 2 (constant effect): continuous scores, so that no two units tie in distance and
R's Matching (which averages over ties) and evalsoc (which breaks them) match the same people.
Run: python tests/data/effects/make_ai_sim.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261129)
n = 600
x1 = rng.normal(size=n)
x2 = rng.uniform(-1, 1, size=n)
d = (rng.uniform(size=n) < 1 / (1 + np.exp(-(-1.0 + 0.8 * x1 + 0.6 * x2)))).astype(int)
y = 1 + x1 + 0.5 * x2**2 + 2 * d + rng.normal(size=n) * (0.5 + 0.5 * np.abs(x1))
frame = pd.DataFrame(
    {"id": np.arange(1, n + 1), "y": y.round(6), "d": d, "x1": x1.round(6), "x2": x2.round(6)}
)
frame.to_csv(Path(__file__).with_name("ai_sim.csv"), index=False)
