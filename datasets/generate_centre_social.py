"""Seeded generator of the centre social example (frameworks/centre-social.yaml).

Writes datasets/centre-social/ as the centre receives its data:
- kobo.xlsx: the KoboToolbox XLSX export of the households' form (one sheet per repeat group:
  `enfants`), a select_multiple `activites` (the space-separated cell and one 1/0 column per
  choice), `/` between group and question, Kobo's system columns, submissions not all approved;
- enquete.sav: an SPSS file of the isolation survey, coded answers with value labels and the
  user-missing code 9 = « Ne sait pas »;
- presences.xlsx: an Excel sheet with a title row above the header, attendance typed as text
  ("45 %"), dates in words (« 3 février 2025 »);
and truth.json: the values the example must recover, computed here from the records.

    python datasets/generate_centre_social.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250301
N_HOUSEHOLDS = 320
ACTIVITIES = ["sport", "cuisine", "numerique", "sorties", "soutien_scolaire"]
P_ACTIVITY = [0.35, 0.45, 0.30, 0.50, 0.25]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]  # fmt: skip
OUT = Path(__file__).resolve().parent / "centre-social"


def households(rng: np.random.Generator) -> pd.DataFrame:
    n = N_HOUSEHOLDS
    ticked = rng.random((n, len(ACTIVITIES))) < np.array(P_ACTIVITY)
    ticked[~ticked.any(axis=1), 3] = True  # every household takes at least one activity
    status = rng.choice(["Approved", "Not Approved", ""], n, p=[0.9, 0.04, 0.06])
    return pd.DataFrame(
        {
            "code_foyer": [f"F{i:04d}" for i in range(1, n + 1)],
            "age": rng.integers(19, 80, n),
            "genre": rng.choice(["femme", "homme"], n, p=[0.62, 0.38]),
            "quartier": rng.choice(["centre", "gare", "plateau"], n),
            "ticked": list(ticked),
            "status": status,
            "n_enfants": rng.poisson(1.1, n),
        }
    )


def write_kobo(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    import openpyxl

    book = openpyxl.Workbook()
    main = book.active
    main.title = "Centre social"
    main.append(
        ["start", "end", "identite/code_foyer", "identite/age", "identite/genre",
         "identite/quartier", "activites", *[f"activites/{a}" for a in ACTIVITIES],
         "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
         "_submitted_by", "__version__", "_tags", "_index"]
    )  # fmt: skip
    children = []
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        acts = [a for a, t in zip(ACTIVITIES, row.ticked) if t]
        main.append(
            ["2025-02-03T10:00:00.000+01:00", "2025-02-03T10:09:00.000+01:00", row.code_foyer,
             int(row.age), row.genre, row.quartier, " ".join(acts),
             *[int(t) for t in row.ticked], 100000 + i, f"uuid-{i:05d}",
             "2025-02-03T09:12:00", row.status, "", "submitted_via_web", "", "vCentre2025", "",
             i]
        )  # fmt: skip
        for _ in range(int(row.n_enfants)):
            children.append((int(rng.integers(0, 18)), bool(rng.random() < 0.85), i))
    # Two children whose household was deleted from the server: their parent index is unknown.
    children += [(7, True, N_HOUSEHOLDS + 5), (12, False, N_HOUSEHOLDS + 9)]
    sheet = book.create_sheet("enfants")
    sheet.append(["enfants/age_enfant", "enfants/scolarise", "_index", "_parent_table_name",
                  "_parent_index", "_submission__id", "_submission__uuid"])  # fmt: skip
    for j, (age, school, parent) in enumerate(children, start=1):
        sheet.append([age, "oui" if school else "non", j, "Centre social", parent,
                      100000 + parent, f"uuid-{parent:05d}"])  # fmt: skip
    book.save(OUT / "kobo.xlsx")
    return pd.DataFrame(children, columns=["age_enfant", "scolarise", "parent"])


def write_survey(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The isolation survey reached 85 % of households (and 3 people not in the Kobo form)."""
    import pyreadstat

    reached = frame.loc[rng.random(len(frame)) < 0.85, "code_foyer"].tolist()
    reached += ["F9001", "F9002", "F9003"]
    isolement = rng.choice([1, 2, 3, 4, 9], len(reached), p=[0.2, 0.3, 0.25, 0.15, 0.1])
    survey = pd.DataFrame(
        {
            "code_foyer": reached,
            "isolement": isolement.astype(float),
            "lien_social": rng.choice([1.0, 2.0], len(reached), p=[0.6, 0.4]),
        }
    )
    pyreadstat.write_sav(
        survey,
        str(OUT / "enquete.sav"),
        column_labels=["Code du foyer", "Sentiment d'isolement", "Nouveau lien social"],
        variable_value_labels={
            "isolement": {
                1: "Jamais",
                2: "Parfois",
                3: "Souvent",
                4: "Toujours",
                9: "Ne sait pas",
            },  # fmt: skip
            "lien_social": {1: "Oui", 2: "Non"},
        },
        missing_ranges={"isolement": [9]},
        variable_measure={"isolement": "ordinal", "lien_social": "nominal"},
    )
    return survey


def write_attendance(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    import openpyxl

    rates = rng.integers(10, 101, len(frame))
    days = rng.integers(1, 29, len(frame))
    months = rng.integers(1, 7, len(frame))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Présences"
    sheet.append(["Présences aux ateliers — Centre social Les Tilleuls — 1er semestre 2025"])
    sheet.append([])
    sheet.append(["Code foyer", "Taux de présence", "Date d'inscription"])
    for code, rate, day, month in zip(frame["code_foyer"], rates, days, months):
        written = f"{rate} %" if rate % 3 else f"{rate}%"
        sheet.append([code, written, f"{'1er' if day == 1 else day} {MONTHS[month - 1]} 2025"])
    book.save(OUT / "presences.xlsx")
    return pd.DataFrame({"code_foyer": frame["code_foyer"], "taux": rates / 100.0})


def truth(frame, children, survey, attendance) -> dict:
    approved = frame[frame["status"] == "Approved"]
    ticked = np.vstack(approved["ticked"].to_numpy())
    answered = survey[survey["isolement"] != 9]
    merged = approved.merge(survey, on="code_foyer", how="inner")
    merged = merged.merge(attendance, on="code_foyer", how="inner")
    known = merged[merged["isolement"] != 9]
    # A child's household is row `parent` of the Kobo sheet (its `_index`, 1-based).
    in_approved = children["parent"].isin(
        [i + 1 for i in frame.index[frame["status"] == "Approved"]]
    )
    kids = children[in_approved]
    return {
        "seed": SEED,
        "households": int(len(frame)),
        "approved": int(len(approved)),
        "filtered_out": int(len(frame) - len(approved)),
        "activity_counts": {a: int(ticked[:, j].sum()) for j, a in enumerate(ACTIVITIES)},
        "share_cuisine_or_sport": float((ticked[:, 0] | ticked[:, 1]).mean()),
        "survey_rows": int(len(survey)),
        "survey_ne_sait_pas": int((survey["isolement"] == 9).sum()),
        "mean_isolement_survey": float(answered["isolement"].mean()),
        "suivi_rows": int(len(merged)),
        "mean_isolement_suivi": float(known["isolement"].mean()),
        "mean_presence_suivi": float(merged["taux"].mean()),
        "children": int(len(children)),
        "children_of_approved": int(len(kids)),
        "children_unmatched": int(len(children) - len(kids)),
        "share_children_in_school": float(kids["scolarise"].mean()),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    frame = households(rng)
    children = write_kobo(frame, rng)
    survey = write_survey(frame, rng)
    attendance = write_attendance(frame, rng)
    facts = truth(frame, children, survey, attendance)
    (OUT / "truth.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({facts['households']} households)")


if __name__ == "__main__":
    main()
