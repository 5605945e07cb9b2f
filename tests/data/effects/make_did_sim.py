"""Write did_sim.csv: a seeded two-wave panel with a known programme effect (see README_nsw_did.md).

24 sites (12 run the programme), 25 people per site, waves 0 and 1. True effects: +3 points on
`score`, +0.12 on the probability of `employed`. Run: python tests/data/effects/make_did_sim.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250101
SITES, PEOPLE = 24, 25
EFFECT_SCORE, EFFECT_EMPLOYED = 3.0, 0.12


def simulate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    programme_site = rng.permutation(np.arange(SITES) < SITES // 2)
    rows = []
    site_level = rng.normal(0, 2, SITES)
    site_trend = rng.normal(0, 0.5, SITES)
    for s in range(SITES):
        for p in range(PEOPLE):
            person = f"s{s:02d}p{p:02d}"
            ability = rng.normal(0, 3)
            age = int(rng.integers(18, 60))
            base_emp = 0.25 + 0.1 * (ability > 0)
            for wave in (0, 1):
                treated_now = programme_site[s] and wave == 1
                score = (
                    50
                    + site_level[s]
                    + ability
                    + 2 * wave
                    + site_trend[s] * wave
                    + EFFECT_SCORE * treated_now
                    + rng.normal(0, 4)
                )
                p_emp = base_emp + 0.05 * wave + EFFECT_EMPLOYED * treated_now
                rows.append(
                    {
                        "person_id": person,
                        "site": f"site{s:02d}",
                        "group": "programme" if programme_site[s] else "comparaison",
                        "wave": wave,
                        "age": age + wave,
                        "score": round(score, 3),
                        "employed": "true" if rng.random() < p_emp else "false",
                    }
                )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    simulate().to_csv(Path(__file__).with_name("did_sim.csv"), index=False)
