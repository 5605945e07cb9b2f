"""The DuckDB engine against one hand-written DuckDB SQL statement doing the same aggregates.

A seeded 20-column participants file (CSV and Parquet) with `--rows` rows; a framework of
indicators (means, proportions, counts, sums, medians, rates, shares, by site and sex, with
`where` filters); timed side by side in one process:

- evalsoc, engine pandas: `run_framework(..., engine="pandas", formats=("json",))`;
- evalsoc, engine duckdb: the same with `engine="duckdb"` (reading and validation are still
  pandas' in this version: see docs/scale.md, "DuckDB engine");
- the peer: one DuckDB SQL statement over the same file computing the same declared-type
  checks (min/max of age) and the same per-group aggregates, no privacy or intervals.

Usage: python benchmarks/bench_scale_engines.py --rows 1000000 [--format parquet|csv]
Results are recorded in benchmarks/results.md, "Scale — DuckDB engine".
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

INDICATORS = [
    ("m_income", "mean: income", "by: [site]", 'where: "age >= 18"'),
    ("m_hours", "mean: hours", "by: [site, sex]", ""),
    ("p_emp", "proportion: employed", "by: [site]", ""),
    ("p_young", 'proportion: "age < 26"', "by: [sex]", 'where: "site != null"'),
    ("c_rows", "count: true", "by: [site]", ""),
    ("c_cond", 'count: "hours > 20"', "", 'where: "not (income > 2000)"'),
    ("s_hours", "sum: hours", "by: [site]", ""),
    ("med_income", "median: income", "by: [site]", ""),
    ("r_rate", "rate: [hours, weeks]", "by: [sex]", ""),
    ("sh_site", "share: site\n            values: [nord]", "", ""),
]


def make_data(rows: int, seed: int = 20250101) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "id": np.char.add("p", np.arange(rows).astype(str)),
            "site": rng.choice(["nord", "sud", "est", "ouest"], rows),
            "sex": rng.choice(["f", "m"], rows),
            "employed": rng.random(rows) < 0.4,
            "income": np.round(rng.lognormal(7, 0.6, rows), 2),
            "age": rng.integers(16, 81, rows),
            "hours": np.round(rng.uniform(0, 40, rows), 1),
            "weeks": rng.integers(1, 53, rows).astype(float),
        }
    )
    for i in range(12):  # padding to 20 columns
        frame[f"x{i}"] = rng.normal(size=rows).round(3)
    frame.loc[rng.random(rows) < 0.05, "income"] = np.nan
    return frame


def framework_text(file: str) -> str:
    inds = []
    for ident, kind, by, where in INDICATORS:
        lines = [f"          - id: {ident}", f"            {kind}"]
        lines += [f"            {x}" for x in (by, where) if x]
        inds.append("\n".join(lines))
    padding = "".join(f"      x{i}: {{type: number}}\n" for i in range(12))
    return f"""evalsoc: 1
id: bench-scale
title: {{fr: "Échelle", en: "Scale"}}
language: fr
privacy: {{min_cell: 10}}
data:
  people:
    file: {file}
    key: [id]
    columns:
      id: {{type: string}}
      site: {{type: category, values: [nord, sud, est, ouest]}}
      sex: {{type: category, values: [f, m]}}
      employed: {{type: boolean}}
      income: {{type: number, nullable: true, min: 0}}
      age: {{type: integer, min: 16, max: 80}}
      hours: {{type: number}}
      weeks: {{type: number}}
{padding}dimensions:
  - id: d
    label: "D"
    criteria:
      - id: c
        indicators:
{chr(10).join(inds)}
"""


PEER_SQL = """
WITH t AS (SELECT * FROM {scan}
           WHERE age BETWEEN 16 AND 80 AND (income >= 0 OR income IS NULL))
SELECT
  (SELECT list(x) FROM (SELECT struct_pack(site, n := count(income), s := fsum(income),
     ss := fsum(income*income)) x FROM t WHERE age >= 18 GROUP BY site)),
  (SELECT list(x) FROM (SELECT struct_pack(site, sex, n := count(hours), s := fsum(hours),
     ss := fsum(hours*hours)) x FROM t GROUP BY site, sex)),
  (SELECT list(x) FROM (SELECT struct_pack(site, n := count(employed),
     k := count(*) FILTER (WHERE employed)) x FROM t GROUP BY site)),
  (SELECT list(x) FROM (SELECT struct_pack(sex, n := count(age),
     k := count(*) FILTER (WHERE age < 26)) x FROM t WHERE site IS NOT NULL GROUP BY sex)),
  (SELECT list(x) FROM (SELECT struct_pack(site, n := count(*)) x FROM t GROUP BY site)),
  (SELECT count(*) FILTER (WHERE hours > 20) FROM t WHERE NOT coalesce(income > 2000, FALSE)),
  (SELECT list(x) FROM (SELECT struct_pack(site, s := fsum(hours)) x FROM t GROUP BY site)),
  (SELECT list(x) FROM (SELECT struct_pack(site, m := median(income)) x FROM t GROUP BY site)),
  (SELECT list(x) FROM (SELECT struct_pack(sex, n := count(*), sy := fsum(hours), sx := fsum(weeks),
     syy := fsum(hours*hours), sxx := fsum(weeks*weeks), sxy := fsum(hours*weeks)) x
     FROM t GROUP BY sex)),
  (SELECT list(x) FROM (SELECT struct_pack(site, n := count(*)) x FROM t GROUP BY site))
"""


def timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<28} {seconds:8.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    args = parser.parse_args()
    import duckdb

    from evalsoc.pipeline import run_framework

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        frame = make_data(args.rows)
        name = f"people.{args.format}"
        if args.format == "parquet":
            frame.to_parquet(base / name, index=False)
            scan = f"read_parquet('{base / name}')"
        else:
            frame.to_csv(base / name, index=False, sep=";")
            scan = f"read_csv('{base / name}', delim=';')"
        (base / "framework.yaml").write_text(framework_text(name), encoding="utf-8")
        warm = base / "warm"
        warm.mkdir()
        make_data(2000).to_parquet(warm / "people.parquet", index=False)
        (warm / "framework.yaml").write_text(framework_text("people.parquet"), encoding="utf-8")
        for engine in ("pandas", "duckdb"):  # imports and first-call costs, not timed
            run_framework(
                warm / "framework.yaml", out_dir=warm / engine, formats=("json",), engine=engine
            )
        print(f"{args.rows} rows × 20 columns, {args.format}")
        peer = timed("DuckDB SQL (peer)", lambda: duckdb.sql(PEER_SQL.format(scan=scan)).fetchall())
        times = {}
        for engine in ("pandas", "duckdb"):
            out = base / f"out-{engine}"
            times[engine] = timed(
                f"evalsoc --engine {engine}",
                lambda out=out, engine=engine: run_framework(
                    base / "framework.yaml", out_dir=out, engine=engine, formats=("json",)
                ),
            )
        for engine, seconds in times.items():
            print(f"ratio {engine} / peer: {seconds / peer:.1f}×")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
