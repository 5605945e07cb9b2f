"""Check bench_scale.py's "pandas by hand" contender against evalsoc's results.json (round 10).

Runs the contender's code (bench_scale.PANDAS) in this process on the benchmark's file and
compares each of the 30 indicators' overall value and n, and each group's value and n, with
the results.json of `evalsoc run` on the same file's "ind" framework: counts and medians
exactly, means, proportions, shares, rates and sums within 1e-12 relative (the summation order
differs); the quarantined rows and cells with evalsoc's invalid/d.csv.

    cd benchmarks && PYTHONPATH=../src python check_pandas_by_hand.py --results OUT/results.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from pathlib import Path

import bench_scale as b

TOLERANCE = 1e-12


def run_by_hand(data_file: Path) -> dict:
    """The contender's namespace after its code ran on `data_file`."""
    space: dict = {"FILE": str(data_file), "PARQUET": data_file.suffix == ".parquet"}
    exec(b.PANDAS_IMPORTS, space)  # noqa: S102 - the benchmark's own code, no user text
    exec(textwrap.dedent(b.PANDAS), space)  # noqa: S102
    return space


def by_hand_figures(space: dict) -> dict[str, dict]:
    """{indicator id: {"value", "n", "by": {group labels: (value, n)}}} from the contender."""
    out = space["out"]
    figures: dict[str, dict] = {}

    def put(name, value, n, by):
        figures[name] = {"value": float(value), "n": int(n), "by": by}

    overall, by_site = out["mean"]
    for c in b.NUMERIC:
        rows = by_site.xs(c, level=1)
        by = {(s,): (r["value"], r["n"]) for s, r in rows.iterrows()}
        put(f"mean_{c}", overall.loc[c, "value"], overall.loc[c, "n"], by)
    medians, by_group, sizes = out["median"]
    for c in b.NUMERIC[:4]:
        by = {(g,): (by_group.loc[g, c], sizes[g]) for g in by_group.index}
        put(f"median_{c}", medians[c], sizes.sum(), by)
    overall, by_cells = out["prop"]
    for c in b.BOOLS:
        rows = by_cells.xs(c, level=2)
        by = {(s, g): (r["value"], r["n"]) for (s, g), r in rows.iterrows()}
        put(f"prop_{c}", overall.loc[c, "value"], overall.loc[c, "n"], by)
        w1 = out["prop_w1"]
        put(f"prop_{c}_w1", w1.loc[c, "value"], w1.loc[c, "n"], {})
    overall, by_sexe, answers = out["share"]
    for c in b.LIKERT:
        rows = by_sexe.xs(c, level=1)
        by = {(s,): (r["value"], r["n"]) for s, r in rows.iterrows()}
        put(f"share_{c}", overall.loc[c, "value"], overall.loc[c, "n"], by)
        figures[f"share_{c}"]["answers"] = {(s, str(v)): int(k) for (s, v), k in answers[c].items()}
    overall, rates, _ = out["rate"]
    for i in range(4):
        n = out["mean"][1].xs(f"x{i}", level=1)["n"]
        by = {(s,): (rates[i][s], n[s]) for s in rates[i].index}
        put(f"rate_{i}", overall[i], n.sum(), by)
    total, per_site = out["count_prog"]
    sizes = out["mean"][1].xs("x0", level=1)["n"]
    put("count_prog", total, sizes.sum(), {(s,): (v, sizes[s]) for s, v in per_site.items()})
    total, per_group = out["sum_x0"]
    by = {(g,): (r["sum"], r["count"]) for g, r in per_group.iterrows()}
    put("sum_x0", total, per_group["count"].sum(), by)
    overall, by_sexe = out["mean_q0_w1"]
    by = {(s,): (r["value"], r["n"]) for (s, _), r in by_sexe.iterrows()}
    put("mean_q0_w1", overall.loc["q0", "value"], overall.loc["q0", "n"], by)
    total, per_site = out["median_q1"]
    sizes = out["mean"][1].xs("x0", level=1)["n"]
    put("median_q1", total, sizes.sum(), {(s,): (v, sizes[s]) for s, v in per_site.items()})
    return figures


def same(a: float, b_: float, exact: bool) -> bool:
    if exact:
        return a == b_
    return math.isclose(a, b_, rel_tol=TOLERANCE, abs_tol=0.0)


def compare(figures: dict[str, dict], results: dict) -> list[str]:
    """Every difference between the contender's figures and evalsoc's results.json."""
    problems = []
    indicators = results["indicators"]
    if set(figures) != set(indicators):
        problems.append(f"ids differ: {sorted(set(figures) ^ set(indicators))}")
    for name, mine in figures.items():
        theirs = indicators[name]
        exact = theirs["kind"] in ("median", "count")
        if not same(mine["value"], theirs["value"], exact) or mine["n"] != theirs["n"]:
            problems.append(
                f"{name}: {mine['value']!r} n={mine['n']} vs {theirs['value']!r} n={theirs['n']}"
            )
        groups = {tuple(g["group"].values()): g for g in theirs.get("by") or []}
        if set(groups) != set(mine["by"]):
            problems.append(f"{name}: groups {sorted(groups)} vs {sorted(mine['by'])}")
            continue
        for key, (value, n) in mine["by"].items():
            g = groups[key]
            if not same(float(value), g["value"], exact) or int(n) != g["n"]:
                problems.append(f"{name} {key}: {value!r} n={n} vs {g['value']!r} n={g['n']}")
            for answer in g.get("categories") or []:
                if mine["answers"][(key[0], answer["value"])] != answer["count"]:
                    problems.append(f"{name} {key} answer {answer['value']}: count differs")
    return problems


def compare_quarantine(space: dict, invalid_csv: Path, sep: str) -> list[str]:
    import pandas as pd

    theirs = pd.read_csv(invalid_csv, sep=sep, dtype=str, keep_default_na=False)
    mine = space["QUARANTINE"]
    a = sorted(zip(theirs["_row"].astype(int), theirs["_column"]))
    b_ = sorted(zip(mine["_row"].astype(int), mine["_column"]))
    problems = [] if a == b_ else [f"quarantined cells differ: {len(a)} vs {len(b_)}"]
    if theirs["_row"].nunique() != space["QUARANTINED"]:
        problems.append(f"rows quarantined: {theirs['_row'].nunique()} vs {space['QUARANTINED']}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="evalsoc's results.json")
    parser.add_argument("--data", type=Path, default=b.DATA / "scale_1000000.csv")
    args = parser.parse_args()
    space = run_by_hand(args.data)
    figures = by_hand_figures(space)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    problems = compare(figures, results)
    # invalid/d.csv keeps a CSV source's delimiter; a Parquet source's is a comma
    sep = ";" if args.data.suffix == ".csv" else ","
    problems += compare_quarantine(space, args.results.parent / "invalid" / "d.csv", sep)
    groups = sum(len(f["by"]) for f in figures.values())
    print(f"{len(figures)} indicators, {groups} groups, {space['QUARANTINED']} rows quarantined")
    for p in problems:
        print("DIFFERS:", p)
    if problems:
        sys.exit(1)
    print("same figures as evalsoc (counts, n and medians exact; the rest within 1e-12)")


if __name__ == "__main__":
    main()
