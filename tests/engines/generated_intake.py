"""Seeded messy CSV files for the DuckDB intake: every column drawn from spellings that the
pandas intake converts, strips, refuses or reads as missing, so that the SQL intake is compared
with pandas cell by cell (tests/data/test_duckdb_intake.py, tests/engines/
test_engine_equality.py)."""

from __future__ import annotations

import random
from pathlib import Path

INTEGERS = ["12", " 7 ", "007", "-3", "1.0", "abc", "", "NA", "99999999999999999999", "250"]
INTEGERS += ["12345678901234567", "+5", "1e3", "40", "33", "61", "18", "5"]
DATES = ["2024-01-05", "05/01/2024", "2024-02-30", "3 mars 2024", "1500-01-01", "2024-1-5"]
DATES += ["bad", "", "2024-01-05T10:00:00", "31/02/2025", "2023-12-31", "14/07/2024"]
BOOLEANS = ["oui", "non", "Vrai", "FAUX", "1", "0", "x", "peut-être", "", " yes ", "n"]
CATEGORIES = ["nord", "sud", " nord ", "est", "ouest", "", "Sud", "nord"]
PLAIN_DECIMALS = ["12{d}5", "3", "0{d}25", "", "1250{d}75", "-4{d}5", "7"]


def _numbers(decimal: str) -> list[str]:
    """Amounts as French and English spreadsheets write them, with failures."""
    if decimal == ",":
        return ["12,5", "1 234,5", "1.234,5", "-0,5", "abc", "", " 3 ", "n.c.", "7", "0,1"]
    return ["12.5", "1,234.5", "-0.5", "abc", "", " 3 ", "n.c.", "7", "0.1", "1e5", "inf"]


def _quoted(cell: str, delimiter: str) -> str:
    """A cell holding the delimiter is quoted, as spreadsheets export it."""
    if delimiter in cell and not cell.startswith('"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def messy_csv(rng: random.Random, rows: int, delimiter: str, decimal: str) -> str:
    header = ["id", "site", "age", "income", "score", "employed", "entry", "code", "note"]
    lines = [delimiter.join(header)]
    for i in range(rows):
        ident = f"p{i:03d}" if rng.random() > 0.05 else f"p{max(i - 1, 0):03d}"
        note = rng.choice(["é à ç", "", "libre", '"guillemets ""doubles"""', "NR", "a; b, c"])
        cells = [
            ident,
            rng.choice(CATEGORIES),
            rng.choice(INTEGERS),
            rng.choice(_numbers(decimal)),
            rng.choice(PLAIN_DECIMALS).format(d=decimal),
            rng.choice(BOOLEANS),
            rng.choice(DATES),
            str(rng.choice([1, 2, 3, 2, 1])) if rng.random() > 0.1 else "",
            note,
        ]
        lines.append(delimiter.join(_quoted(cell, delimiter) for cell in cells))
    return "\n".join(lines) + "\n"


def write_messy(folder: Path, seed: int, rows: int = 80, indicators: str = "") -> Path:
    """A framework over a messy file: `;` and decimal comma on odd seeds, `,` and decimal
    point on even ones; Latin-1 encoded every third seed."""
    rng = random.Random(seed)
    delimiter, decimal = (";", ",") if seed % 2 else (",", ".")
    encoding = "latin-1" if seed % 3 == 0 else "utf-8"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_bytes(messy_csv(rng, rows, delimiter, decimal).encode(encoding))
    framework = folder / "framework.yaml"
    framework.write_text(
        f"""evalsoc: 1
id: messy-{seed}
title: {{fr: "Désordre {seed}", en: "Messy {seed}"}}
language: fr
privacy: {{min_cell: 3}}
data:
  people:
    file: people.csv
    on_invalid: quarantine
    max_invalid_share: 1
    columns:
      id: {{type: string, unique: true}}
      site: {{type: category, values: [nord, sud, est]}}
      age: {{type: integer, min: 16, max: 80}}
      income: {{type: number, nullable: true, min: 0}}
      score: {{type: number, nullable: true, max: 100}}
      employed: {{type: boolean, nullable: true}}
      entry: {{type: date, nullable: true}}
dimensions:{indicators or " []"}
""",
        encoding="utf-8",
    )
    return framework


MESSY_INDICATORS = """
  - id: messy
    label: "Désordre"
    criteria:
      - id: all
        indicators:
          - id: m1
            mean: income
            by: [site]
          - id: m2
            proportion: employed
          - id: m3
            median: age
            where: "entry != null"
          - id: m4
            count: "score > 5 or code == 2"
            by: [employed]
          - id: m5
            sum: score
"""
