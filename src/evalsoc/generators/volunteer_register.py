"""The aci register of volunteers (benevoles.csv) and its truth, from the hours file.

One row per volunteer of benevolat.csv (their hours stay there), plus four volunteers who left
in 2024 (not active in the evaluated period), with: whether they are or were a person served
(former workers in integration become mentors more often), their main role (from their
category), the date they began and, for some, the date they left. The truth is computed here
with plain Python, apart from evalsoc: the run's `volunteering.reciprocity` must equal it.
Shared by `evalsoc init --template aci` and datasets/generate_volunteers.py (the demo).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from typing import Any

import numpy as np

SEED = 20250102
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
ROLE = {"gouvernance": "administrateur", "parrainage": "parrain", "ponctuel": "ponctuel"}
P_SERVED = {"administrateur": 0.25, "parrain": 0.6, "ponctuel": 0.35}
P_ARRIVED_THIS_YEAR = 0.3
P_LEFT_THIS_YEAR = 0.3


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def register(hours_csv: bytes, seed: int = SEED) -> tuple[bytes, dict[str, Any]]:
    """benevoles.csv (UTF-8) and its truth, from benevolat.csv's bytes (`;`, decimal comma,
    Windows-1252, as the aci generator writes it)."""
    rng = np.random.default_rng(seed)
    text = hours_csv.decode("cp1252")
    records = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    hours: dict[str, float] = {}
    category: dict[str, str] = {}
    for row in records:
        hours[row["person"]] = hours.get(row["person"], 0.0) + float(row["hours"].replace(",", "."))
        category[row["person"]] = row["category"]
    rows: list[dict[str, Any]] = []
    for person in sorted(category):
        role = ROLE[category[person]]
        served = bool(rng.random() < P_SERVED[role])
        left: dt.date | None
        if rng.random() < P_ARRIVED_THIS_YEAR:
            since = _day(rng, START, dt.date(2025, 10, 31))
            left = None
        else:
            since = _day(rng, dt.date(2016, 1, 1), dt.date(2024, 12, 31))
            left = _day(rng, START, END) if rng.random() < P_LEFT_THIS_YEAR else None
        rows.append(
            {"person": person, "served": served, "role": role, "since": since, "left": left}
        )
    for i in range(1, 5):  # volunteers who left before the period
        since = _day(rng, dt.date(2016, 1, 1), dt.date(2022, 12, 31))
        left = _day(rng, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        rows.append(
            {"person": f"B-anc-{i:02d}", "served": True, "role": "parrain", "since": since,
             "left": left}
        )  # fmt: skip
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["person", "ancien_accompagne", "role", "debut", "fin"])
    for r in rows:
        writer.writerow(
            [
                r["person"],
                "oui" if r["served"] else "non",
                r["role"],
                r["since"].isoformat(),
                r["left"].isoformat() if r["left"] else "",
            ]
        )
    active = [r for r in rows if r["left"] is None or r["left"] >= START]
    years = [
        ((min(r["left"], END) if r["left"] else END) - r["since"]).days / 365.25 for r in active
    ]
    at_start = [r for r in active if r["since"] < START]
    truth = {
        "seed": seed,
        "volunteers": len(active),
        "served": sum(r["served"] for r in active),
        "served_share": sum(r["served"] for r in active) / len(active),
        "tenure_median_years": statistics.median(years),
        "tenure_one_year_or_more": sum(y >= 1 for y in years),
        "at_start": len(at_start),
        "departures": sum(r["left"] is not None and r["left"] <= END for r in at_start),
        "arrivals": sum(START <= r["since"] <= END for r in active),
        "persons_by_role": {
            role: sum(r["role"] == role for r in active) for role in sorted(set(ROLE.values()))
        },
        "hours_by_role": {
            role: round(sum(hours.get(r["person"], 0.0) for r in active if r["role"] == role), 6)
            for role in sorted(set(ROLE.values()))
        },
    }
    return out.getvalue().encode("utf-8"), truth
