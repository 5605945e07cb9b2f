"""Seeded generator of the demo data: a chantier d'insertion (integration through work).

Writes datasets/aci/*.csv as a French spreadsheet exports them (`;`, decimal comma,
Windows-1252) and datasets/aci/truth.json with the true values used, so that tests can check
that evalsoc recovers them. A handful of deliberately invalid rows show the quarantine.

    python datasets/generate.py            # writes datasets/aci/
    python datasets/generate.py --n 5000   # more people
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from french_csv import write_french_csv
from generate_extra import write_extra

SEED = 20250101
SITES = ["Nord", "Sud", "Étang"]  # "Étang" needs Windows-1252 to be written as Excel does
SITE_EFFECT = {"Nord": 0.03, "Sud": -0.02, "Étang": -0.01}
P_EMPLOYED_BASE = 0.20  # comparison group, wave 0
TREND = 0.05  # change for everyone between waves
GROUP_GAP = 0.03  # programme group's initial difference
EFFECT = 0.15  # true programme effect on employment (difference in differences)
TRAINING_MEAN = {"programme": 60.0, "comparaison": 12.0}  # hours of training per year


def _likert(
    latent: np.ndarray, rng: np.random.Generator, cuts=(-1.2, -0.4, 0.4, 1.2)
) -> np.ndarray:
    noisy = latent + rng.normal(0, 0.7, latent.shape)
    return 1 + np.searchsorted(np.asarray(cuts), noisy)


def generate_participants(n_people: int, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    person = np.array([f"P{i:05d}" for i in range(1, n_people + 1)])
    site = rng.choice(SITES, n_people, p=[0.4, 0.35, 0.25])
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
        frame = pd.DataFrame(
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
                "confiance_1": _likert(latent, rng),
                "confiance_2": _likert(latent, rng),
                "confiance_3": 6 - _likert(latent, rng),  # reverse-coded item
                "reseau_1": _likert(latent - 0.2, rng),
                "reseau_2": _likert(latent - 0.2, rng),
                "autonomie_1": _likert(latent + 0.1, rng),
                "autonomie_2": _likert(latent + 0.1, rng),
            }
        )
        rows.append(frame)
    data = pd.concat(rows, ignore_index=True)
    truth = {
        "seed": SEED,
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
        "note": "p_employed values are averaged over sites' effects weighted by site shares (0.4, 0.35, 0.25): add 0.0045 for the population mean.",
    }
    return data, truth


def add_invalid_rows(data: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Deliberate errors, each of a kind evaluators meet in real exports."""
    bad = data.iloc[:6].copy()
    bad = bad.astype(object)
    bad["person_id"] = [f"X{i}" for i in range(6)]
    bad.iloc[0, bad.columns.get_loc("age")] = 240  # out of range
    bad.iloc[1, bad.columns.get_loc("employed")] = "peut-être"  # not a boolean
    bad.iloc[2, bad.columns.get_loc("site")] = "Ouest"  # unknown category
    bad.iloc[3, bad.columns.get_loc("monthly_income")] = "n.c."  # not a number
    bad.iloc[4, bad.columns.get_loc("confiance_1")] = 7  # outside the 1..5 scale
    bad.iloc[5, bad.columns.get_loc("date_entree")] = "31/02/2025"  # impossible date
    duplicate = data.iloc[[10]].copy().astype(object)  # same person and wave twice
    described = [
        {"person_id": "X0", "problem": "age 240 above max 80"},
        {"person_id": "X1", "problem": "employed 'peut-être' is not a boolean"},
        {"person_id": "X2", "problem": "site 'Ouest' is not a declared value"},
        {"person_id": "X3", "problem": "monthly_income 'n.c.' is not a number"},
        {"person_id": "X4", "problem": "confiance_1 = 7 outside the 1..5 scale"},
        {"person_id": "X5", "problem": "date_entree 31/02/2025 is not a date"},
        {
            "person_id": str(data.iloc[10]["person_id"]),
            "problem": "duplicate key (person_id, wave): both copies quarantined",
        },
    ]
    out = pd.concat([data.astype(object), bad, duplicate], ignore_index=True)
    return out, described


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="people (each observed at 2 waves)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "aci")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    data, truth = generate_participants(args.n, rng)
    clean_rows = len(data)
    data, invalid = add_invalid_rows(data)
    # Decimal comma for floats, as a French spreadsheet writes them.
    write_french_csv(data, args.out / "participants.csv")
    extra = write_extra(rng, args.out, data)
    truth.update(
        {
            "rows_valid": clean_rows
            - 1,  # the duplicated person-wave's original row is quarantined too
            "rows_invalid": len(invalid) + 1,
            "invalid_rows": invalid,
            **extra,
        }
    )
    (args.out / "truth.json").write_text(
        json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out} ({len(data)} rows, {len(invalid) + 1} of them invalid)")


if __name__ == "__main__":
    main()
