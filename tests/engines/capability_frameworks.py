"""A seeded framework of capability sets for the engine-equality tests: Likert items with
missing answers, reverse coding, sum and mean, condition dimensions, weights, strata, PSUs,
groups, waves paired by person, parity, every missing-value policy, ties at k, all and none
deprived, and sets that must keep the collect (their expected reason code in SETS)."""

from __future__ import annotations

import random
from pathlib import Path

# set id → expected `engine` of the DuckDB run: True (in the engine) or the reason code.
SETS: dict[str, bool | str] = {
    "likert": True,
    "weighted": True,
    "error": True,
    "boot": True,
    "all": True,
    "none": True,
    "cardinal_weighted": True,
    "boot_weighted": "capability_rows_collected_bootstrap",
    "observed_scale": "capability_rows_collected_sql",
}
# Sets with sampling weights: their cells' weights are summed by DuckDB (`fsum`), in another
# order than numpy's, so their figures may differ in the last bits (within 1e-9 relative).
WEIGHTED = {"weighted", "boot", "cardinal_weighted", "boot_weighted"}

_DIMS = """
      - {id: confiance, items: [q1, q2, q3], reverse: [q3], cutoff: 3}
      - {id: reseau, items: [q4, q5], combine: sum, cutoff: 6}
      - {id: emploi, deprived: "not employed", items: [employed]}"""


def _row(rng: random.Random, person: int, wave: int) -> str:
    def likert() -> str:
        return "" if rng.random() < 0.06 else str(rng.randint(1, 5))

    weight = "" if rng.random() < 0.03 else f"{rng.choice([0.5, 1, 1.5, 2.25, 3.1])}"
    site = "" if rng.random() < 0.05 else rng.choice(["nord", "sud", "est"])
    return ",".join(
        [
            f"p{person:04d}",
            str(wave),
            site,
            rng.choice(["programme", "comparaison"]),
            *(likert() for _ in range(5)),
            "" if rng.random() < 0.04 else rng.choice(["true", "false"]),
            weight,
            f"s{person % 3}",
            f"u{person % 17:02d}",
        ]
    )


def write_capability_framework(folder: Path, seed: int, persons: int = 160) -> Path:
    """The framework and its data in `folder` (the same seed, the same bytes)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["person_id,wave,site,grp,q1,q2,q3,q4,q5,employed,w,stratum,psu"]
    lines += [_row(rng, p, wave) for p in range(persons) for wave in (0, 1)]
    (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    likert = "{type: likert, levels: 5, nullable: true}"
    text = f"""evalsoc: 1
id: capabilities-{seed}
title: {{fr: "Capabilités {seed}", en: "Capabilities {seed}"}}
language: fr
privacy: {{min_cell: 5}}
data:
  people:
    file: people.csv
    columns:
      person_id: {{type: string}}
      wave: {{type: integer, values: [0, 1]}}
      site: {{type: category, values: [nord, sud, est], nullable: true}}
      grp: {{type: category, values: [programme, comparaison]}}
      q1: {likert}
      q2: {likert}
      q3: {likert}
      q4: {likert}
      q5: {{type: integer, nullable: true}}
      employed: {{type: boolean, nullable: true}}
      w: {{type: number, nullable: true, min: 0}}
      stratum: {{type: string}}
      psu: {{type: string}}
capabilities:
  - id: likert
    data: people
    unit: person_id
    where: "site != 'est'"
    dimensions:{_DIMS}
    k: [1/3, 1/2, 2/3]
    by: [site]
    time: wave
    dates: {{0: 2024-01-01, 1: 2025-01-01}}
    parity: {{by: grp, groups: [comparaison, programme]}}
    likert_levels: 5
    weight_draws: 50
  - id: weighted
    data: people
    dimensions:{_DIMS}
    k: [1/3, 2/3]
    by: [grp]
    weight: w
    strata: stratum
    cluster: psu
    missing: deprived
    likert_levels: 5
    weight_draws: 50
  - id: error
    data: people
    dimensions:{_DIMS}
    missing: error
    likert_levels: 5
  - id: boot
    data: people
    dimensions:{_DIMS}
    weight: w
    cluster: psu
    se: bootstrap
    bootstrap_reps: 60
    likert_levels: 5
    weight_draws: 0
  - id: all
    data: people
    dimensions:
      - {{id: a, items: [q1, q2], cutoff: 6}}
      - {{id: b, items: [q4], cutoff: 6}}
    by: [grp]
  - id: none
    data: people
    dimensions:
      - {{id: a, items: [q1, q2], cutoff: 0.5}}
      - {{id: b, items: [q4], cutoff: 0.5}}
  - id: cardinal_weighted
    data: people
    dimensions:
      - {{id: confiance, items: [q1, q2, q3], reverse: [q3], cutoff: 3.5}}
      - {{id: reseau, items: [q4, q5], combine: sum, cutoff: 6}}
    k: [1/2, 1]
    by: [site]
    weight: w
  - id: boot_weighted
    data: people
    dimensions:{_DIMS}
    weight: w
    se: bootstrap
    bootstrap_reps: 60
    likert_levels: 5
  - id: observed_scale
    data: people
    dimensions:
      - {{id: a, items: [q1, q5], reverse: [q5], cutoff: 3}}
"""
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path
