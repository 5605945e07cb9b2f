"""Template `tiers-lieu`: a third place (tiers-lieu) with a fab lab, a coworking space and a café.

- usagers.csv: the users' survey (profile, frequency, spaces used, whether they met someone of
  another profile, whether they cooperated with another user or organisation, belonging);
- ressources.csv: the shared resources (machines, rooms, tools, vehicles), their hours of use
  and the number of organisations using each;
- cooperations.csv: cooperations between organisations hosted or met there (type, new this
  year, formalised by an agreement);
- jugements.csv: stakeholders' rubric judgements of shared governance and openness to the area;
- benevolat.csv: the volunteers' hours of the year by kind of contribution (running the café
  and events, collegial governance, upkeep of the workshop), valued in the `resources:`
  reciprocity pole;
- truth.json: every simulated parameter and the expected values they imply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.generators.common import expected_level, french_csv, judgements, oui_non, truth_json

SEED = 20250901
N_USERS = 480
PROFILES = {
    "habitant": 0.30,
    "independant": 0.20,
    "association": 0.15,
    "entreprise": 0.10,
    "etudiant": 0.12,
    "demandeur_emploi": 0.13,
}
NON_PROFESSIONAL = ("habitant", "etudiant", "demandeur_emploi")
FREQUENCIES = {"hebdomadaire": 0.35, "mensuelle": 0.40, "ponctuelle": 0.25}
P_MET_OTHER = {"hebdomadaire": 0.80, "mensuelle": 0.60, "ponctuelle": 0.30}
P_COOPERATED = {"hebdomadaire": 0.45, "mensuelle": 0.25, "ponctuelle": 0.08}
P_SPACE = {"atelier": 0.45, "coworking": 0.35, "cafe": 0.70}
RESOURCES = {"machine": 25, "salle": 12, "outil": 45, "vehicule": 6}
STRUCTURES_POISSON = 1.2  # organisations using a resource: 1 + Poisson(1.2)
N_COOPERATIONS = 90
COOPERATION_TYPES = {"mutualisation": 0.40, "projet_commun": 0.35, "prestation_croisee": 0.25}
P_NEW = 0.40
P_FORMALISED = 0.30
CRITERIA = ["gouvernance_partagee", "ouverture_territoire"]
QUALITY = {
    "gouvernance_partagee": 0.0,
    "ouverture_territoire": 1.0,
}  # mid-band: fragile, satisfaisant
ROLE_BIAS = {"usagers": 0.1, "structures_residentes": 0.0, "collectivite": -0.2, "equipe": 0.2}
RATERS = {"usagers": 24, "structures_residentes": 14, "collectivite": 6, "equipe": 8}
VOLUNTEERS = {"animation": (22, 40.0), "gouvernance": (11, 55.0), "chantiers": (15, 20.0)}
VOLUNTEER_RATE = 15.27  # € per hour, the framework's declared rate (SMIC + employer charges)


def _pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(list(probs), n, p=list(probs.values()))


def users(rng: np.random.Generator) -> pd.DataFrame:
    n = N_USERS
    frequency = _pick(rng, FREQUENCIES, n)
    met = rng.random(n) < np.vectorize(P_MET_OTHER.get)(frequency)
    cooperated = rng.random(n) < np.vectorize(P_COOPERATED.get)(frequency)
    latent = rng.normal(-0.2, 1.0, n) + 0.8 * met
    frame = pd.DataFrame(
        {
            "usager": [f"U{i:04d}" for i in range(1, n + 1)],
            "profil": _pick(rng, PROFILES, n),
            "frequence": frequency,
        }
    )
    for space, p in P_SPACE.items():
        frame[f"utilise_{space}"] = oui_non(rng.random(n) < p)
    frame["rencontre_autre_profil"] = oui_non(met)
    frame["a_coopere"] = oui_non(cooperated)
    frame["sentiment_appartenance"] = 1 + np.searchsorted([-1.0, -0.3, 0.3, 1.0], latent)
    return frame


def resources(rng: np.random.Generator) -> pd.DataFrame:
    kinds = np.repeat(list(RESOURCES), list(RESOURCES.values()))
    n = len(kinds)
    return pd.DataFrame(
        {
            "ressource": [f"R{i:03d}" for i in range(1, n + 1)],
            "type": kinds,
            "heures_utilisation": rng.gamma(2.0, 60.0, n).round(1),
            "nb_structures": 1 + rng.poisson(STRUCTURES_POISSON, n),
        }
    )


def cooperations(rng: np.random.Generator) -> pd.DataFrame:
    n = N_COOPERATIONS
    structures = [f"S{i:02d}" for i in range(1, 31)]
    pairs = [rng.choice(structures, 2, replace=False) for _ in range(n)]
    return pd.DataFrame(
        {
            "cooperation": [f"C{i:03d}" for i in range(1, n + 1)],
            "structure_a": [a for a, _ in pairs],
            "structure_b": [b for _, b in pairs],
            "type": _pick(rng, COOPERATION_TYPES, n),
            "nouvelle": oui_non(rng.random(n) < P_NEW),
            "formalisee": oui_non(rng.random(n) < P_FORMALISED),
        }
    )


def _expected(p_by_frequency: dict[str, float]) -> float:
    return round(sum(FREQUENCIES[f] * p for f, p in p_by_frequency.items()), 10)


def volunteering(rng: np.random.Generator) -> pd.DataFrame:
    """One row per volunteer: kind of contribution and hours (gamma, mean by kind)."""
    rows = [
        {"benevole": f"V-{kind[:3]}-{i + 1:02d}", "contribution": kind,
         "heures": float(np.round(rng.gamma(4.0, mean_hours / 4.0), 1))}
        for kind, (persons, mean_hours) in VOLUNTEERS.items()
        for i in range(persons)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def generate(seed: int = SEED) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    people = users(rng)
    shared = resources(rng)
    links = cooperations(rng)
    rubric = judgements(rng, CRITERIA, RATERS, quality=QUALITY, role_bias=ROLE_BIAS)
    volunteers = volunteering(rng)  # drawn last: the other files keep their draws
    hours = round(sum(volunteers["heures"].tolist()), 6)
    poisson_zero = float(np.exp(-STRUCTURES_POISSON))
    truth = {
        "seed": seed,
        "users": N_USERS,
        "p_profile": PROFILES,
        "p_non_professional": round(sum(PROFILES[p] for p in NON_PROFESSIONAL), 10),
        "p_frequency": FREQUENCIES,
        "p_met_other_profile_by_frequency": P_MET_OTHER,
        "p_met_other_profile": _expected(P_MET_OTHER),
        "p_cooperated_by_frequency": P_COOPERATED,
        "p_cooperated": _expected(P_COOPERATED),
        "p_space": P_SPACE,
        "resources": RESOURCES,
        "structures_per_resource": f"1 + Poisson({STRUCTURES_POISSON})",
        "p_resource_shared": round(1 - poisson_zero, 10),  # used by 2 organisations or more
        "mean_structures_per_resource": 1 + STRUCTURES_POISSON,
        "cooperations": N_COOPERATIONS,
        "p_cooperation_new": P_NEW,
        "p_cooperation_formalised": P_FORMALISED,
        "judgements": {
            "criteria_quality": QUALITY,
            "role_bias": ROLE_BIAS,
            "raters": RATERS,
            "expected_level": {c: expected_level(q) for c, q in QUALITY.items()},
        },
        "volunteering": {
            "persons": {k: v[0] for k, v in VOLUNTEERS.items()},
            "mean_hours": {k: v[1] for k, v in VOLUNTEERS.items()},
            "hours_total": hours,
            "rate": VOLUNTEER_RATE,
            "value": round(hours * VOLUNTEER_RATE, 6),
        },
    }
    return {
        "usagers.csv": french_csv(people),
        "ressources.csv": french_csv(shared),
        "cooperations.csv": french_csv(links),
        "jugements.csv": french_csv(rubric),
        "benevolat.csv": french_csv(volunteers),
        "truth.json": truth_json(truth),
    }
