"""Extra demo tables: stakeholders' rubric judgements and volunteer hours (Windows-1252, `;`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from french_csv import write_french_csv
from generate_judgements import generate_judgements

CRITERIA = ["isolement", "dignite", "sorties_emploi"]
QUALITY = {
    "isolement": 1.6,
    "dignite": 0.8,
    "sorties_emploi": -0.3,
}  # latent; levels cut at -0.5, 0.5, 1.5
RATERS = {"salaries": 24, "encadrants": 10, "partenaires": 12, "financeurs": 4}
VOLUNTEERS = {
    "gouvernance": (12, 60.0),
    "parrainage": (14, 45.0),
    "ponctuel": (31, 12.0),
}  # persons, mean hours


def write_extra(rng: np.random.Generator, out: Path, participants: pd.DataFrame) -> dict:
    judgements = generate_judgements(rng, CRITERIA, RATERS, quality=QUALITY)
    write_french_csv(judgements, out / "jugements.csv")
    rows = []
    for category, (persons, mean_hours) in VOLUNTEERS.items():
        for i in range(persons):
            rows.append(
                {
                    "person": f"B-{category[:3]}-{i + 1:02d}",
                    "category": category,
                    "hours": float(np.round(rng.gamma(4.0, mean_hours / 4.0), 1)),
                }
            )
    volunteering = pd.DataFrame(rows)
    write_french_csv(volunteering, out / "benevolat.csv")
    return {
        "judgements": {"criteria_quality": QUALITY, "raters": RATERS, "rows": len(judgements)},
        "volunteering": {
            "persons": {k: v[0] for k, v in VOLUNTEERS.items()},
            "hours_total": float(volunteering["hours"].sum()),
        },
    }
