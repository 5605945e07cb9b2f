"""Template `centre-social`: a community centre (centre social) and its projet social.

- participations.csv: the people taking part (activity, neighbourhood, age, first visit, hours,
  feeling less alone, taking an initiative, sitting in a decision body, and three statements of
  collective empowerment: « je peux agir sur mon quartier », « ensemble, les habitants peuvent
  changer les choses », « ma parole compte au centre »);
- initiatives.csv: the initiatives of the year, who led them (residents, staff, partners),
  whether they were carried out, and how many residents took part;
- instances.csv: the meetings of the decision bodies (board, residents' committee, general
  assembly), with how many people took part and how many of them were residents;
- jugements.csv: stakeholders' rubric judgements of collective empowerment and participation
  in decisions;
- priorites.csv: residents, staff and volunteers each rank the five criteria (1 = most
  important), drawn from a Plackett-Luce model with their role's strengths (the `valuation:`);
  truth.json holds each role's exact expected rank-order-centroid weights;
- truth.json: every simulated parameter.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from evalsoc.generators.common import expected_level, french_csv, judgements, oui_non, truth_json

SEED = 20250302
N_PEOPLE = 360
ACTIVITIES = {"atelier_cuisine": 0.35, "soutien_scolaire": 0.30, "sorties_familles": 0.35}
AREAS = {"Centre": 0.55, "Les Tilleuls": 0.45}
P_FIRST_VISIT = 0.30
P_LESS_ALONE = 0.62  # answer 4 or 5
P_INITIATIVE = {"atelier_cuisine": 0.40, "soutien_scolaire": 0.20, "sorties_familles": 0.45}
P_DECISION_BODY = 0.18  # sat in the board, the residents' committee or the general assembly
P_AGREE = {"agir_quartier": 0.42, "agir_ensemble": 0.58, "parole_comptee": 0.50}  # answer 4-5
HOURS_MEAN = 14.0  # gamma(2, 7)
N_INITIATIVES = 80
LED_BY = {"habitants": 0.45, "salaries": 0.35, "partenaires": 0.20}
P_CARRIED_OUT = {"habitants": 0.70, "salaries": 0.85, "partenaires": 0.80}
BODIES = {"conseil_administration": 10, "comite_habitants": 12, "assemblee_generale": 1}
PARTICIPANTS_MEAN = {"conseil_administration": 14, "comite_habitants": 18, "assemblee_generale": 95}
P_RESIDENT_SEAT = {
    "conseil_administration": 0.40,
    "comite_habitants": 0.85,
    "assemblee_generale": 0.70,
}
CRITERIA = ["pouvoir_agir_collectif", "participation_decisions"]
QUALITY = {"pouvoir_agir_collectif": 1.0, "participation_decisions": 0.0}  # satisfaisant, fragile
ROLE_BIAS = {"habitants": 0.1, "benevoles": 0.1, "salaries": 0.0, "partenaires": -0.2}
RATERS = {"habitants": 24, "benevoles": 10, "salaries": 8, "partenaires": 6}
# Stakeholders' ranking of the five criteria (valuation:): Plackett-Luce strengths by role.
RANKED = ["isolement", "ouverture", "pouvoir_agir_collectif", "initiatives_habitants",
          "participation_decisions"]  # fmt: skip
RANKING_ROLES = {  # role: (respondents, strength per criterion of RANKED)
    "habitants": (24, [4.0, 1.0, 2.0, 1.5, 1.0]),
    "salaries": (12, [1.5, 4.0, 1.0, 1.0, 1.5]),
    "benevoles": (12, [1.0, 1.0, 1.5, 4.0, 1.5]),
}


def _pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(list(probs), n, p=list(probs.values()))


def _answers(rng: np.random.Generator, p_agree: float, n: int) -> np.ndarray:
    """Likert 1..5 whose true share of 4-5 is p_agree."""
    agree = rng.random(n) < p_agree
    return np.where(agree, rng.integers(4, 6, n), rng.integers(1, 4, n))


def people(rng: np.random.Generator) -> pd.DataFrame:
    n = N_PEOPLE
    activity = _pick(rng, ACTIVITIES, n)
    initiative = rng.random(n) < np.vectorize(P_INITIATIVE.get)(activity)
    frame = pd.DataFrame(
        {
            "personne": [f"H{i:04d}" for i in range(1, n + 1)],
            "activite": activity,
            "quartier": _pick(rng, AREAS, n),
            "age": rng.integers(6, 90, n),
            "premiere_venue": oui_non(rng.random(n) < P_FIRST_VISIT),
            "heures": rng.gamma(2.0, HOURS_MEAN / 2, n).round(1),
            "se_sent_moins_seul": _answers(rng, P_LESS_ALONE, n),
            "a_pris_une_initiative": oui_non(initiative),
            "siege_instance": oui_non(rng.random(n) < P_DECISION_BODY),
        }
    )
    for item, p in P_AGREE.items():
        frame[item] = _answers(rng, p, n)
    return frame


def initiatives(rng: np.random.Generator) -> pd.DataFrame:
    led = _pick(rng, LED_BY, N_INITIATIVES)
    done = rng.random(N_INITIATIVES) < np.vectorize(P_CARRIED_OUT.get)(led)
    return pd.DataFrame(
        {
            "initiative": [f"I{i:03d}" for i in range(1, N_INITIATIVES + 1)],
            "portee_par": led,
            "realisee": oui_non(done),
            "habitants_impliques": 1 + rng.poisson(6, N_INITIATIVES),
        }
    )


def meetings(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for body, count in BODIES.items():
        for k in range(count):
            present = int(rng.poisson(PARTICIPANTS_MEAN[body]))
            rows.append(
                {
                    "reunion": f"{body[:3].upper()}-{k + 1:02d}",
                    "instance": body,
                    "participants": present,
                    "habitants": int(rng.binomial(present, P_RESIDENT_SEAT[body])),
                }
            )
    return pd.DataFrame(rows)


def plackett_luce(rng: np.random.Generator, strengths: list[float]) -> list[int]:
    """Ranks (1 = first) of one draw: items picked one by one in proportion to strength."""
    left = list(range(len(strengths)))
    ranks = [0] * len(strengths)
    for rank in range(1, len(strengths) + 1):
        weights = np.array([strengths[i] for i in left])
        chosen = left[int(rng.choice(len(left), p=weights / weights.sum()))]
        ranks[chosen] = rank
        left.remove(chosen)
    return ranks


def priorities(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    number = 0
    for role, (count, strengths) in RANKING_ROLES.items():
        for _ in range(count):
            number += 1
            for criterion, rank in zip(RANKED, plackett_luce(rng, strengths), strict=True):
                rows.append({"repondant": f"R{number:03d}", "role": role, "critere": criterion,
                             "rang": rank})  # fmt: skip
    return pd.DataFrame(rows)


def expected_roc_weights(strengths: list[float]) -> dict[str, float]:
    """Each criterion's expected rank-order-centroid weight under Plackett-Luce, exactly (every
    ranking enumerated with its probability): what a role's mean weight estimates."""
    n = len(strengths)
    roc = [sum(1 / k for k in range(r, n + 1)) / n for r in range(1, n + 1)]
    expected = [0.0] * n
    for order in itertools.permutations(range(n)):
        prob, left = 1.0, sum(strengths)
        for item in order:
            prob *= strengths[item] / left
            left -= strengths[item]
        for position, item in enumerate(order):
            expected[item] += prob * roc[position]
    return {c: round(w, 10) for c, w in zip(RANKED, expected, strict=True)}


def generate(seed: int = SEED) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    served = people(rng)
    led = initiatives(rng)
    bodies = meetings(rng)
    rubric = judgements(rng, CRITERIA, RATERS, quality=QUALITY, role_bias=ROLE_BIAS)
    ranking = priorities(rng)  # drawn last: the other files keep their draws
    expected_seats = sum(BODIES[b] * PARTICIPANTS_MEAN[b] for b in BODIES)
    truth = {
        "seed": seed,
        "people": N_PEOPLE,
        "p_activity": ACTIVITIES,
        "p_first_visit": P_FIRST_VISIT,
        "p_less_alone": P_LESS_ALONE,
        "p_initiative_by_activity": P_INITIATIVE,
        "p_initiative": round(sum(ACTIVITIES[a] * P_INITIATIVE[a] for a in ACTIVITIES), 10),
        "p_decision_body": P_DECISION_BODY,
        "p_agree": P_AGREE,
        "hours_mean": HOURS_MEAN,
        "initiatives": N_INITIATIVES,
        "p_led_by": LED_BY,
        "p_carried_out_by_leader": P_CARRIED_OUT,
        "meetings": BODIES,
        "participants_mean": PARTICIPANTS_MEAN,
        "p_resident_among_participants": P_RESIDENT_SEAT,
        "residents_share_expected": round(
            sum(BODIES[b] * PARTICIPANTS_MEAN[b] * P_RESIDENT_SEAT[b] for b in BODIES)
            / expected_seats,
            10,
        ),
        "judgements": {
            "criteria_quality": QUALITY,
            "role_bias": ROLE_BIAS,
            "raters": RATERS,
            "expected_level": {c: expected_level(q) for c, q in QUALITY.items()},
        },
        "valuation": {
            "respondents": {role: count for role, (count, _) in RANKING_ROLES.items()},
            "strengths": {
                role: dict(zip(RANKED, strengths, strict=True))
                for role, (_, strengths) in RANKING_ROLES.items()
            },
            "expected_roc_weight": {
                role: expected_roc_weights(strengths)
                for role, (_, strengths) in RANKING_ROLES.items()
            },
        },
    }
    return {
        "participations.csv": french_csv(served),
        "initiatives.csv": french_csv(led),
        "instances.csv": french_csv(bodies),
        "jugements.csv": french_csv(rubric),
        "priorites.csv": french_csv(ranking),
        "truth.json": truth_json(truth),
    }
