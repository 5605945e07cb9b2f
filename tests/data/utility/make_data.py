"""Regenerate the small centre-social data of the utility end-to-end test (seeded).

Run from the repository root: .venv/bin/python tests/data/utility/make_data.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "datasets"))

from generate_judgements import generate_judgements  # noqa: E402

CRITERIA = ["isolement", "participation", "innovation"]
ROLES = {"habitants": 14, "salaries": 10, "benevoles": 6, "partenaires": 5}


def main() -> None:
    rng = np.random.default_rng(20250607)
    judgements = generate_judgements(
        rng,
        CRITERIA,
        ROLES,
        quality={"isolement": 1.0, "participation": 0.9, "innovation": 0.0},
        role_bias={"habitants": 0.2, "salaries": 0.0, "benevoles": 0.1, "partenaires": -0.4},
    )
    # One quote tries to inject markup: the report must show it as text.
    first = judgements.index[(judgements.criterion == "isolement") & (judgements.evidence != "")][0]
    judgements.loc[first, "evidence"] = "<script>alert('x')</script> Mme D. ne sort plus seule"
    judgements.to_csv(HERE / "jugements.csv", index=False)

    codes = ["entraide", "confiance", "pouvoir_agir", "mixite"]
    rows = []
    for s in range(24):
        role = "habitants" if s < 14 else "salaries" if s < 20 else "partenaires"
        for code in rng.choice(codes, size=rng.integers(1, 4), replace=False):
            rows.append(
                {
                    "source": f"entretien_{s + 1:02d}",
                    "role": role,
                    "criterion": "participation",
                    "code": code,
                    "excerpt": f"Extrait {s + 1} sur {code}",
                }
            )
    pd.DataFrame(rows).to_csv(HERE / "codage.csv", index=False)

    people = [f"b{i:02d}" for i in range(1, 31)]
    vol = []
    for i, person in enumerate(people):
        category = "gouvernance" if i < 12 else "activite" if i < 26 else "ponctuel"
        for _ in range(int(rng.integers(2, 6))):
            vol.append(
                {"person": person, "category": category, "hours": float(rng.integers(2, 12))}
            )
    pd.DataFrame(vol).to_csv(HERE / "benevolat.csv", index=False)

    households = pd.DataFrame(
        {
            "household": [f"m{i:03d}" for i in range(1, 61)],
            "quartier": rng.choice(["centre", "gare"], size=60),
            "participe": rng.random(60) < 0.55,
            "sorties_mois": rng.poisson(3.0, size=60),
        }
    )
    households.to_csv(HERE / "foyers.csv", index=False)


if __name__ == "__main__":
    main()
