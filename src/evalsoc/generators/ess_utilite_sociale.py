"""Template `ess-utilite-sociale`: an ESS organisation documenting the social-utility conditions
of article 2 of the law n° 2014-856 of 31 July 2014 (as amended by the PACTE law of 2019), the
basis of the ESUS approval.

- beneficiaires.csv: the people served (fragile situation and its main reason, living in a
  priority neighbourhood or rural area, new social ties, part taken in decisions, citizenship
  activities attended, sex);
- actions.csv: the actions for sustainable development / the ecological transition (kind, tonnes
  reused, and whether they also reach vulnerable people, territorial solidarity or education to
  citizenship: the condition the law sets on this objective);
- jugements.csv: stakeholders' rubric judgements of each of the four conditions;
- truth.json: every simulated parameter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalsoc.generators.common import expected_level, french_csv, judgements, oui_non, truth_json

SEED = 20251101
N_PEOPLE = 520
P_FRAGILE = 0.62
FRAGILITY_REASONS = {
    "minima_sociaux": 0.40,
    "handicap": 0.20,
    "sans_emploi": 0.25,
    "isolement": 0.15,
}
P_PRIORITY_AREA = 0.45  # quartier prioritaire de la politique de la ville or rural area (ZRR/FRR)
P_NEW_TIES = 0.55  # answer 4 or 5 to « J'ai noué de nouvelles relations »
P_DECISIONS = {"F": 0.22, "H": 0.16}  # took part in a decision body or consultation
P_FEMALE = 0.58
P_CITIZENSHIP = 0.35  # attended an education-to-citizenship (éducation populaire) activity
ACTION_KINDS = {"reemploi": 0.45, "sensibilisation": 0.30, "mobilite_douce": 0.25}
N_ACTIONS = 70
P_ACTION_WITH_IMPACT = 0.75  # also reaches vulnerable people / territorial solidarity / citizenship
REUSE_TONNES_MEAN = 1.8  # per reuse action, gamma(2, 0.9)
CRITERIA = ["soutien_fragilite", "lien_social", "citoyennete", "developpement_durable"]
QUALITY = {
    "soutien_fragilite": 1.9,
    "lien_social": 1.0,
    "citoyennete": 0.0,
    "developpement_durable": 1.0,
}  # mid-band latent scores: remarquable, satisfaisant, fragile, satisfaisant
ROLE_BIAS = {"beneficiaires": 0.1, "salaries": 0.1, "benevoles": 0.0, "partenaires": -0.2}
RATERS = {"beneficiaires": 20, "salaries": 12, "benevoles": 10, "partenaires": 8}


def _pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(list(probs), n, p=list(probs.values()))


def people(rng: np.random.Generator) -> pd.DataFrame:
    n = N_PEOPLE
    fragile = rng.random(n) < P_FRAGILE
    reason = np.where(fragile, _pick(rng, FRAGILITY_REASONS, n), "aucune")
    sexe = np.where(rng.random(n) < P_FEMALE, "F", "H")
    ties = rng.random(n) < P_NEW_TIES
    # Agree (4-5) when the person made new ties, else 1-3: the true share of 4-5 is P_NEW_TIES.
    answer = np.where(ties, rng.integers(4, 6, n), rng.integers(1, 4, n))
    decisions = rng.random(n) < np.where(sexe == "F", P_DECISIONS["F"], P_DECISIONS["H"])
    return pd.DataFrame(
        {
            "personne": [f"B{i:04d}" for i in range(1, n + 1)],
            "sexe": sexe,
            "situation_fragilite": oui_non(fragile),
            "motif_fragilite": reason,
            "quartier_prioritaire_ou_rural": oui_non(rng.random(n) < P_PRIORITY_AREA),
            "nouveaux_liens": answer,
            "participe_decisions": oui_non(decisions),
            "atelier_citoyennete": oui_non(rng.random(n) < P_CITIZENSHIP),
        }
    )


def actions(rng: np.random.Generator) -> pd.DataFrame:
    kinds = _pick(rng, ACTION_KINDS, N_ACTIONS)
    tonnes = np.where(kinds == "reemploi", rng.gamma(2.0, REUSE_TONNES_MEAN / 2, N_ACTIONS), 0.0)
    return pd.DataFrame(
        {
            "action": [f"A{i:03d}" for i in range(1, N_ACTIONS + 1)],
            "type": kinds,
            "tonnes_reemployees": tonnes.round(2),
            "impact_social": oui_non(rng.random(N_ACTIONS) < P_ACTION_WITH_IMPACT),
        }
    )


def generate(seed: int = SEED) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    served = people(rng)
    done = actions(rng)
    rubric = judgements(rng, CRITERIA, RATERS, quality=QUALITY, role_bias=ROLE_BIAS)
    truth = {
        "seed": seed,
        "people": N_PEOPLE,
        "p_fragile": P_FRAGILE,
        "p_fragility_reason_among_fragile": FRAGILITY_REASONS,
        "p_priority_area": P_PRIORITY_AREA,
        "p_new_ties": P_NEW_TIES,
        "p_decisions_by_sex": P_DECISIONS,
        "p_female": P_FEMALE,
        "p_decisions": round(P_FEMALE * P_DECISIONS["F"] + (1 - P_FEMALE) * P_DECISIONS["H"], 10),
        "p_citizenship_activity": P_CITIZENSHIP,
        "actions": N_ACTIONS,
        "p_action_kind": ACTION_KINDS,
        "p_action_with_social_impact": P_ACTION_WITH_IMPACT,
        "reuse_tonnes_mean_per_reuse_action": REUSE_TONNES_MEAN,
        "judgements": {
            "criteria_quality": QUALITY,
            "role_bias": ROLE_BIAS,
            "raters": RATERS,
            "expected_level": {c: expected_level(q) for c, q in QUALITY.items()},
        },
    }
    return {
        "beneficiaires.csv": french_csv(served),
        "actions.csv": french_csv(done),
        "jugements.csv": french_csv(rubric),
        "truth.json": truth_json(truth),
    }
