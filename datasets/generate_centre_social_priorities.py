"""Seeded generator of the stakeholders' rankings of the centre social example
(frameworks/centre-social.yaml, `valuation:`): datasets/centre-social/priorites.csv.

Each respondent ranks the three criteria of the grid (1 = most important) by drawing a
Plackett–Luce ranking from their role's preferences: residents put isolation first, staff the
range of activities, volunteers split. Respondents per role: 24 residents, 12 staff, 11
volunteers (every role at least privacy.min_cell = 10, so every role is published).

    python datasets/generate_centre_social_priorities.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 20250302
CRITERIA = ["activites", "isolement", "scolarite"]
ROLES = {  # role: (respondents, preference strength per criterion)
    "habitants": (24, [1.0, 3.0, 1.5]),
    "salaries": (12, [3.0, 1.5, 1.0]),
    "benevoles": (11, [1.5, 1.5, 1.0]),
}
OUT = Path(__file__).resolve().parent / "centre-social" / "priorites.csv"


def plackett_luce(rng: np.random.Generator, strengths: list[float]) -> list[int]:
    """Ranks (1 = first) of one draw: pick items one by one, in proportion to strength."""
    left = list(range(len(strengths)))
    ranks = [0] * len(strengths)
    for rank in range(1, len(strengths) + 1):
        weights = np.array([strengths[i] for i in left])
        chosen = left[int(rng.choice(len(left), p=weights / weights.sum()))]
        ranks[chosen] = rank
        left.remove(chosen)
    return ranks


def main() -> None:
    rng = np.random.default_rng(SEED)
    lines = ["repondant;role;critere;rang"]
    number = 0
    for role, (count, strengths) in ROLES.items():
        for _ in range(count):
            number += 1
            for criterion, rank in zip(CRITERIA, plackett_luce(rng, strengths)):
                lines.append(f"P{number:03d};{role};{criterion};{rank}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
