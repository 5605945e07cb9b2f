"""Shared fixtures: a minimal valid framework written into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The ten deprivation indicators of the synthetic survey shipped with mpitb (syn_cdta.csv).
SYN_CDTA_INDICATORS = [
    "d_nutr",
    "d_cm",
    "d_satt",
    "d_educ",
    "d_elct",
    "d_sani",
    "d_wtr",
    "d_hsg",
    "d_ckfl",
    "d_asst",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
    return path


MINI_DATA = """\
id;site;employed;income;age
a1;nord;oui;1200,5;25
a2;nord;non;800;31
a3;sud;oui;1500,25;45
a4;sud;non;;52
a5;nord;oui;950;38
"""

MINI_FRAMEWORK = """
evalsoc: 1
id: mini
title: {fr: "Mini", en: "Mini"}
language: fr
privacy: {min_cell: 1}
data:
  people:
    file: people.csv
    key: [id]
    columns:
      id: {type: string}
      site: {type: category, values: [nord, sud]}
      employed: {type: boolean}
      income: {type: number, nullable: true, min: 0}
      age: {type: integer, min: 16, max: 80}
dimensions:
  - id: emploi
    label: "Emploi"
    criteria:
      - id: acces
        indicators:
          - id: taux
            proportion: employed
            by: [site]
            target: 0.5
          - id: revenu
            mean: income
"""


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    write(tmp_path / "people.csv", MINI_DATA)
    return write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
