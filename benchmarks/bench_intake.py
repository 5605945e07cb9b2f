"""Benchmark of the intake (issue 12): reading + validation of a 10^6-row SPSS file and of a
10^6-row KoboToolbox CSV export, 20 columns each, against reading alone (the floor).

  floor (.sav):  pyreadstat.read_sav (codes, user-missing kept), nothing else;
  floor (Kobo):  pandas.read_csv (C engine) and pandas.read_csv(engine="pyarrow");
  evalsoc:       read_table → prepare (labels, missing codes, select_multiple, system columns)
                 → validate_source (conversion, pandera checks, quarantine), the path of a run.

Best of --repeat runs each, alternated in one process. Prints a markdown table
(benchmarks/results.md, section "Intake", was written from its output).

    .venv/bin/python benchmarks/bench_intake.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent / "data" / "intake"
CHOICES = ["sport", "cuisine", "numerique", "sorties"]


def make_sav(n: int, path: Path) -> None:
    import pyreadstat

    rng = np.random.default_rng(12)
    frame = pd.DataFrame({"id": [f"P{i:07d}" for i in range(n)]})
    for j in range(8):  # coded answers 1..4 with 9 = Ne sait pas
        codes = rng.choice([1.0, 2.0, 3.0, 4.0, 9.0], n, p=[0.25, 0.25, 0.2, 0.2, 0.1])
        frame[f"q{j}"] = codes
    for j in range(6):
        frame[f"x{j}"] = rng.normal(50, 10, n).round(2)
    frame["sexe"] = rng.choice([1.0, 2.0], n)
    frame["site"] = rng.choice([1.0, 2.0, 3.0], n)
    frame["age"] = rng.integers(16, 90, n).astype(float)
    frame["revenu"] = rng.gamma(2, 600, n).round(2)
    frame["commentaire"] = rng.choice(["", "rien", "très bien", "à revoir"], n)
    labels = {f"q{j}": {1: "Jamais", 2: "Parfois", 3: "Souvent", 4: "Toujours",
                        9: "Ne sait pas"} for j in range(8)}  # fmt: skip
    labels["sexe"] = {1: "Homme", 2: "Femme"}
    labels["site"] = {1: "Nord", 2: "Sud", 3: "Est"}
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels=labels,
        missing_ranges={f"q{j}": [9] for j in range(8)},
    )


def make_kobo(n: int, path: Path) -> None:
    rng = np.random.default_rng(13)
    ticked = rng.random((n, len(CHOICES))) < 0.4
    ticked[~ticked.any(axis=1), 0] = True
    patterns = {}
    keys = ticked.astype(np.int64) @ (1 << np.arange(len(CHOICES)))
    for k in np.unique(keys):
        patterns[k] = " ".join(c for j, c in enumerate(CHOICES) if (k >> j) & 1)
    frame = pd.DataFrame(
        {
            "start": "2025-02-03T10:00:00.000+01:00",
            "end": "2025-02-03T10:09:00.000+01:00",
            "identite/age": rng.integers(16, 90, n),
            "identite/genre": rng.choice(["femme", "homme"], n),
            "identite/quartier": rng.choice(["centre", "gare", "plateau"], n),
            "activites": pd.Series(keys).map(patterns),
            **{f"activites/{c}": ticked[:, j].astype(int) for j, c in enumerate(CHOICES)},
            "satisfaction": rng.integers(1, 6, n),
            "revenu": rng.gamma(2, 600, n).round(2),
            "presence": rng.integers(0, 101, n),
            "_id": np.arange(n),
            "_uuid": [f"u{i:08d}" for i in range(n)],
            "_submission_time": "2025-02-03T09:12:00",
            "_validation_status": rng.choice(
                ["Approved", "Not Approved", ""], n, p=[0.9, 0.05, 0.05]
            ),
            "_status": "submitted_via_web",
            "_submitted_by": "",
            "_index": np.arange(1, n + 1),
        }
    )
    assert len(frame.columns) == 20
    frame.to_csv(path, sep=";", index=False, quoting=csv.QUOTE_ALL)


SAV_YAML = """
data:
  enquete:
    file: {path}
    key: id
    columns:
      id: {{type: string}}
{questions}
      sexe: {{type: category, values: [Homme, Femme]}}
      site: {{type: category, values: [1, 2, 3]}}
      age: {{type: integer, min: 16, max: 110}}
      revenu: {{type: number, min: 0}}
{numbers}
      commentaire: {{type: text, nullable: true}}
"""
KOBO_YAML = """
data:
  kobo:
    file: {path}
    where: "_validation_status == 'Approved'"
    columns:
      age: {{type: integer, name: identite/age, min: 15, max: 110}}
      genre: {{type: category, name: identite/genre, values: [femme, homme]}}
      quartier: {{type: category, name: identite/quartier, values: [centre, gare, plateau]}}
      activites: {{type: multiple, values: [sport, cuisine, numerique, sorties]}}
      satisfaction: {{type: integer, min: 1, max: 5}}
      revenu: {{type: number, min: 0}}
      presence: {{type: number, unit: percent, min: 0, max: 1}}
"""


def framework(body: str):
    import yaml

    from evalsoc.framework.model import Framework

    raw = yaml.safe_load("evalsoc: 1\nid: bench\ntitle: bench\n" + body)
    return Framework.model_validate(raw)


def evalsoc_intake(fw) -> int:
    from evalsoc.pipeline import load_data

    frames, reports, _ = load_data(fw)
    name = next(iter(frames))
    report = reports[name]
    assert report.rows_used + report.rows_quarantined + report.rows_filtered == report.rows_read
    return len(frames[name])


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pyreadstat

    DATA.mkdir(parents=True, exist_ok=True)
    sav, kobo = DATA / f"enquete_{args.rows}.sav", DATA / f"kobo_{args.rows}.csv"
    if not sav.exists():
        make_sav(args.rows, sav)
    if not kobo.exists():
        make_kobo(args.rows, kobo)
    questions = "\n".join(f"      q{j}: {{type: integer, min: 1, max: 4}}" for j in range(8))
    numbers = "\n".join(f"      x{j}: {{type: number}}" for j in range(6))
    sav_fw = framework(SAV_YAML.format(path=sav, questions=questions, numbers=numbers))
    kobo_fw = framework(KOBO_YAML.format(path=kobo))
    rows = [
        ("SPSS .sav", "pyreadstat.read_sav", best(
            lambda: pyreadstat.read_sav(str(sav), user_missing=True), args.repeat
        ), best(lambda: evalsoc_intake(sav_fw), args.repeat)),
        ("Kobo CSV", "pandas.read_csv (C engine)", best(
            lambda: pd.read_csv(kobo, sep=";"), args.repeat
        ), None),
        ("Kobo CSV", "pandas.read_csv (pyarrow engine)", best(
            lambda: pd.read_csv(kobo, sep=";", engine="pyarrow"), args.repeat
        ), best(lambda: evalsoc_intake(kobo_fw), args.repeat)),
    ]  # fmt: skip
    kobo_c = rows[1][2]
    print(f"\n{args.rows:,} rows × 20 columns, best of {args.repeat}\n")
    print("| file | floor | floor (s) | evalsoc read + validate (s) | ratio |")
    print("|---|---|---:|---:|---:|")
    for label, floor_name, floor, ours in rows:
        if ours is None:
            print(f"| {label} | {floor_name} | {floor:.2f} | | |")
        else:
            print(f"| {label} | {floor_name} | {floor:.2f} | {ours:.2f} | {ours / floor:.2f}× |")
    print(f"\nKobo CSV against the C-engine floor: {rows[2][3] / kobo_c:.2f}×")


if __name__ == "__main__":
    main()
