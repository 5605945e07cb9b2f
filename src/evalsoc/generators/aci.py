"""Template `aci`: a chantier d'insertion (the demo of frameworks/chantier-insertion.yaml).

People followed at entry and exit (wave 0/1) in a programme group and a comparison group, with a
true effect on employment (difference in differences) of +0.15; deliberately invalid rows to show
the quarantine; stakeholders' rubric judgements; volunteer hours and the register of volunteers (served or
not, role, dates: evalsoc.generators.volunteer_register, seed + 1). Written as a French spreadsheet
exports them (`;`, decimal comma, Windows-1252). The same algorithm and draws as
datasets/generate.py, so that the template with the default seed holds the demo's data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.generators.common import french_csv, judgements, likert, truth_json
from evalsoc.generators.volunteer_register import register

SEED = 20250101
N_PEOPLE = 600
SITES = ["Nord", "Sud", "Étang"]  # "Étang" needs Windows-1252 to be written as Excel does
SITE_SHARES = [0.4, 0.35, 0.25]
SITE_EFFECT = {"Nord": 0.03, "Sud": -0.02, "Étang": -0.01}
P_EMPLOYED_BASE = 0.20  # comparison group, wave 0
TREND = 0.05  # change for everyone between waves
GROUP_GAP = 0.03  # programme group's initial difference
EFFECT = 0.15  # true programme effect on employment (difference in differences)
TRAINING_MEAN = {"programme": 60.0, "comparaison": 12.0}  # hours of training per year
CRITERIA = ["isolement", "dignite", "sorties_emploi"]
QUALITY = {"isolement": 1.6, "dignite": 0.8, "sorties_emploi": -0.3}
RATERS = {"salaries": 24, "encadrants": 10, "partenaires": 12, "financeurs": 4}
VOLUNTEERS = {"gouvernance": (12, 60.0), "parrainage": (14, 45.0), "ponctuel": (31, 12.0)}
ENCODING = "cp1252"


def participants(n_people: int, rng: np.random.Generator) -> pd.DataFrame:
    person = np.array([f"P{i:05d}" for i in range(1, n_people + 1)])
    site = rng.choice(SITES, n_people, p=SITE_SHARES)
    programme = rng.random(n_people) < 0.55
    group = np.where(programme, "programme", "comparaison")
    age = rng.integers(18, 62, n_people)
    sexe = rng.choice(["F", "H"], n_people, p=[0.42, 0.58])
    entry = pd.Timestamp("2024-09-01") + pd.to_timedelta(rng.integers(0, 240, n_people), unit="D")
    site_eff = np.vectorize(SITE_EFFECT.get)(site)
    empowerment0 = rng.normal(-0.3, 1.0, n_people)
    rows = []
    for wave in (0, 1):
        p = (
            P_EMPLOYED_BASE
            + TREND * wave
            + GROUP_GAP * programme
            + EFFECT * programme * wave
            + site_eff
        )
        employed = rng.random(n_people) < p
        hours = np.where(employed, rng.normal(24, 6, n_people).clip(4, 35), 0.0).round(1)
        income = np.where(
            employed, rng.lognormal(7.0, 0.3, n_people), rng.lognormal(6.2, 0.35, n_people)
        ).round(2)
        training = np.where(
            wave == 1, rng.gamma(4.0, np.vectorize(TRAINING_MEAN.get)(group) / 4.0), 0.0
        ).round(1)
        latent = empowerment0 + 0.6 * programme * wave + rng.normal(0, 0.3, n_people)
        rows.append(
            pd.DataFrame(
                {
                    "person_id": person,
                    "wave": wave,
                    "site": site,
                    "group": group,
                    "sexe": sexe,
                    "age": age + wave,
                    "date_entree": entry.strftime("%d/%m/%Y"),
                    "employed": np.where(employed, "oui", "non"),
                    "weekly_hours": hours,
                    "monthly_income": income,
                    "training_hours": training,
                    "confiance_1": likert(latent, rng),
                    "confiance_2": likert(latent, rng),
                    "confiance_3": 6 - likert(latent, rng),  # reverse-coded item
                    "reseau_1": likert(latent - 0.2, rng),
                    "reseau_2": likert(latent - 0.2, rng),
                    "autonomie_1": likert(latent + 0.1, rng),
                    "autonomie_2": likert(latent + 0.1, rng),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


INVALID = [
    ("age", 240, "age 240 above max 80"),
    ("employed", "peut-être", "employed 'peut-être' is not a boolean"),
    ("site", "Ouest", "site 'Ouest' is not a declared value"),
    ("monthly_income", "n.c.", "monthly_income 'n.c.' is not a number"),
    ("confiance_1", 7, "confiance_1 = 7 outside the 1..5 scale"),
    ("date_entree", "31/02/2025", "date_entree 31/02/2025 is not a date"),
]


def with_invalid_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Deliberate errors, each of a kind evaluators meet in real exports, and a duplicate."""
    bad = data.iloc[: len(INVALID)].copy().astype(object)
    bad["person_id"] = [f"X{i}" for i in range(len(INVALID))]
    for i, (column, value, _) in enumerate(INVALID):
        bad.iloc[i, bad.columns.get_loc(column)] = value
    duplicate = data.iloc[[10]].copy().astype(object)  # same person and wave twice
    described = [{"person_id": f"X{i}", "problem": p} for i, (_, _, p) in enumerate(INVALID)]
    described.append(
        {
            "person_id": str(data.iloc[10]["person_id"]),
            "problem": "duplicate key (person_id, wave): both copies quarantined",
        }
    )
    return pd.concat([data.astype(object), bad, duplicate], ignore_index=True), described


def volunteering(rng: np.random.Generator) -> pd.DataFrame:
    rows = [
        {
            "person": f"B-{category[:3]}-{i + 1:02d}",
            "category": category,
            "hours": float(np.round(rng.gamma(4.0, mean_hours / 4.0), 1)),
        }
        for category, (persons, mean_hours) in VOLUNTEERS.items()
        for i in range(persons)
    ]
    return pd.DataFrame(rows)


def generate(seed: int = SEED, n_people: int = N_PEOPLE) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    clean = participants(n_people, rng)
    data, invalid = with_invalid_rows(clean)
    rubric = judgements(rng, CRITERIA, RATERS, quality=QUALITY)
    volunteers = volunteering(rng)
    hours_csv = french_csv(volunteers, ENCODING)
    register_csv, register_truth = register(hours_csv, seed + 1)
    truth = {
        "seed": seed,
        "n_people": n_people,
        "effect_employment_did": EFFECT,
        "p_employed": {
            "comparaison_wave0": P_EMPLOYED_BASE,
            "comparaison_wave1": P_EMPLOYED_BASE + TREND,
            "programme_wave0": P_EMPLOYED_BASE + GROUP_GAP,
            "programme_wave1": P_EMPLOYED_BASE + GROUP_GAP + TREND + EFFECT,
        },
        "site_effect": SITE_EFFECT,
        "training_hours_mean_wave1": TRAINING_MEAN,
        "note": "p_employed values are averaged over sites' effects weighted by site shares "
        "(0.4, 0.35, 0.25): add 0.0045 for the population mean.",
        "rows_valid": len(clean) - 1,  # the duplicated person-wave's original is quarantined too
        "rows_invalid": len(invalid) + 1,
        "invalid_rows": invalid,
        "judgements": {"criteria_quality": QUALITY, "raters": RATERS, "rows": len(rubric)},
        "volunteering": {
            "persons": {k: v[0] for k, v in VOLUNTEERS.items()},
            "hours_total": float(volunteers["hours"].sum()),
        },
        "volunteer_register": register_truth,
    }
    return {
        "participants.csv": french_csv(data, ENCODING),
        "jugements.csv": french_csv(rubric, ENCODING),
        "benevolat.csv": hours_csv,
        "benevoles.csv": register_csv,
        "truth.json": truth_json(truth),
    }
