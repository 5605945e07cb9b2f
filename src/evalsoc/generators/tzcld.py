"""Template `tzcld`: a Territoire zéro chômeur de longue durée (TZCLD) and its entreprise à but
d'emploi (EBE).

- personnes.csv: people durably deprived of employment (PPDE, ≥ 12 months), volunteers, in the
  experimental territory and in a comparison territory, observed at the start (wave 0) and the
  end (wave 1) of the year; the true effect of the territory on being in work is EFFECT
  (difference in differences);
- emplois.csv: one row per EBE job (permanent contract, chosen working time as a share of full
  time, activity, public cost of the year: the contribution au développement de l'emploi (CDE)
  per full-time equivalent plus a département share);
- jugements.csv: stakeholders' rubric judgements of the non-competition principle, the
  usefulness of the work and the quality of the jobs;
- truth.json: every simulated parameter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.generators.common import expected_level, french_csv, judgements, oui_non, truth_json

SEED = 20250601
N_PEOPLE = {"experimental": 420, "temoin": 380}
P_WORK_START = {"experimental": 0.05, "temoin": 0.06}  # some small activity at wave 0
TREND = 0.08  # change in both territories over the year
EFFECT = 0.35  # true effect of the experiment on being in work (difference in differences)
SHARE_EBE = 0.85  # of the experimental territory's people in work at wave 1, share in the EBE
P_FEMALE = 0.48
CDE_PER_FTE = 21_000.0  # € per full-time equivalent and year (simulated, order of magnitude)
DEPARTEMENT_SHARE = (1_000.0, 4_000.0)  # € per FTE, uniform
FTE_CHOICES = ([0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [0.10, 0.10, 0.15, 0.20, 0.15, 0.30])
ACTIVITIES = ["ressourcerie", "maraichage", "conciergerie", "mobilite", "entretien_espaces"]
P_CREATED_THIS_YEAR = 0.55  # jobs opened during the year (the others earlier)
CRITERIA = ["non_concurrence", "utilite_travaux", "qualite_emploi"]
QUALITY = {"non_concurrence": 1.0, "utilite_travaux": 1.7, "qualite_emploi": 0.9}
ROLE_BIAS = {"salaries_ebe": 0.2, "entreprises_locales": -0.4, "membres_cle": 0.0, "elus": 0.1}
RATERS = {"salaries_ebe": 20, "entreprises_locales": 12, "membres_cle": 14, "elus": 10}
USEFUL_SHIFT = 0.9  # latent shift of "se sent utile" for people who found work


def people(rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    """Two waves per person; returns the rows and the ids of experimental people in the EBE."""
    frames, in_ebe = [], []
    start = 1
    for territory, n in N_PEOPLE.items():
        ids = np.array([f"{territory[0].upper()}{i:04d}" for i in range(start, start + n)])
        start += n
        experimental = territory == "experimental"
        sexe = np.where(rng.random(n) < P_FEMALE, "F", "H")
        age = rng.integers(20, 63, n)
        months = (12 + rng.gamma(2.0, 14.0, n)).round().astype(int)
        p0 = P_WORK_START[territory]
        p1 = p0 + TREND + (EFFECT if experimental else 0.0)
        work0 = rng.random(n) < p0
        work1 = rng.random(n) < p1
        ebe = work1 & (rng.random(n) < SHARE_EBE) if experimental else np.zeros(n, bool)
        in_ebe += ids[ebe].tolist()
        for wave, work in ((0, work0), (1, work1)):
            latent = rng.normal(-0.4, 1.0, n) + USEFUL_SHIFT * work
            frames.append(
                pd.DataFrame(
                    {
                        "personne": ids,
                        "vague": wave,
                        "territoire": territory,
                        "sexe": sexe,
                        "age": age + wave,
                        "duree_privation_mois": months + 12 * wave * (~work),
                        "en_emploi": oui_non(work),
                        "en_ebe": oui_non(ebe if wave == 1 else np.zeros(n, bool)),
                        "se_sent_utile": 1 + np.searchsorted([-1.0, -0.3, 0.3, 1.0], latent),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True), in_ebe


def jobs(rng: np.random.Generator, in_ebe: list[str]) -> pd.DataFrame:
    """One job per person of the experimental territory employed by the EBE at the end."""
    holders = in_ebe
    n = len(holders)
    created = rng.random(n) < P_CREATED_THIS_YEAR
    fte = rng.choice(FTE_CHOICES[0], n, p=FTE_CHOICES[1])
    departement = rng.uniform(*DEPARTEMENT_SHARE, n)
    cost = (fte * (CDE_PER_FTE + departement)).round(2)
    return pd.DataFrame(
        {
            "emploi": [f"EBE-{i:04d}" for i in range(1, n + 1)],
            "personne": holders,
            "activite": rng.choice(ACTIVITIES, n),
            "contrat": "CDI",
            "etp": fte,
            "cree_dans_l_annee": oui_non(created),
            "cout_public": cost,
        }
    )


def generate(seed: int = SEED) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    persons, in_ebe = people(rng)
    ebe_jobs = jobs(rng, in_ebe)
    rubric = judgements(rng, CRITERIA, RATERS, quality=QUALITY, role_bias=ROLE_BIAS)
    p_end = {
        t: P_WORK_START[t] + TREND + (EFFECT if t == "experimental" else 0.0) for t in N_PEOPLE
    }
    truth = {
        "seed": seed,
        "people": N_PEOPLE,
        "effect_in_work_did": EFFECT,
        "p_in_work": {
            f"{t}_wave{w}": round(p, 10)
            for t in N_PEOPLE
            for w, p in ((0, P_WORK_START[t]), (1, p_end[t]))
        },
        "share_in_ebe_of_experimental_in_work": SHARE_EBE,
        "cost_per_fte_expected": CDE_PER_FTE + sum(DEPARTEMENT_SHARE) / 2,
        "cost_model": "cout_public = etp × (CDE_PER_FTE + département share ~ uniform "
        f"{DEPARTEMENT_SHARE[0]:g}–{DEPARTEMENT_SHARE[1]:g} €)",
        "jobs": len(ebe_jobs),
        "jobs_created_in_year": int((ebe_jobs["cree_dans_l_annee"] == "oui").sum()),
        "fte_total": float(ebe_jobs["etp"].sum()),
        "public_cost_total": float(ebe_jobs["cout_public"].sum()),
        "people_in_ebe_from_survey": len(in_ebe),
        "judgements": {
            "criteria_quality": QUALITY,
            "role_bias": ROLE_BIAS,
            "raters": RATERS,
            "expected_level": {c: expected_level(q) for c, q in QUALITY.items()},
        },
    }
    return {
        "personnes.csv": french_csv(persons),
        "emplois.csv": french_csv(ebe_jobs),
        "jugements.csv": french_csv(rubric),
        "truth.json": truth_json(truth),
    }
