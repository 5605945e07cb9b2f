"""CPU time of the pandas intake's steps, two trees interleaved (issue 16, round 8).

bench_scale.py's "ind" framework on its 10^6-row CSV: each round runs one fresh child per tree
(imports untimed) that reads the load-only floor (`pd.read_csv(sep=";", engine="pyarrow")`,
the denominator of the issue's ratio), then evalsoc's read, preparation and validation of the
same file, with timers (`time.process_time`, no profiler) around the validation's steps. Same
process, same file in the page cache, so the read is compared with the floor's read item by
item on a shared machine.

    cd benchmarks && python bench_pandas_intake.py --before BASE/src --after ../src --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import bench_scale as b

CHILD = """
import gc, json, sys, time
from evalsoc.data.pandera_import import pandera_pandas; pandera_pandas()
import pandas as pd, pandera.pandas
from evalsoc.framework.load import load_framework
from evalsoc.data.read import read_table
from evalsoc.data.prepare import prepare
import evalsoc.data.validate as validate, evalsoc.data.prescreen as prescreen
import evalsoc.data.keep_rows as keep_rows

spent = {}

def timed(module, name, label):
    function = getattr(module, name)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start
    setattr(module, name, wrapper)

for module, name, label in [
    (validate, "convert_column", "conversions"),
    (prescreen, "columns_to_check", "prescreen"),
    (validate, "_pandera_failures", "pandera"),
    (keep_rows, "kept_rows", "kept rows"),
    (validate, "quarantine_table", "quarantine table"),
]:
    timed(module, name, label)

framework = load_framework(sys.argv[1])
source = framework.data["d"]
gc.collect()
start = time.process_time()
floor = pd.read_csv(source.file, sep=";", engine="pyarrow")
spent["floor read"] = time.process_time() - start
del floor
gc.collect()
start = time.process_time()
raw, info = read_table(source, framework.base_dir)
spent["read"] = time.process_time() - start
start = time.process_time()
prepared = prepare(source, raw, info)
clean, report, quarantine = validate.validate_source("d", source, prepared.frame, info, prepared)
spent["prepare + validate"] = time.process_time() - start
spent["quarantined"] = report.rows_quarantined
print(json.dumps(spent))
"""

STEPS = [
    "floor read",
    "read",
    "prepare + validate",
    "conversions",
    "prescreen",
    "pandera",
    "kept rows",
    "quarantine table",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, required=True, help="src folder of the new tree")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    b.DATA.mkdir(exist_ok=True)
    csv, parquet = b.DATA / f"scale_{args.rows}.csv", b.DATA / f"scale_{args.rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        b.make_data(args.rows, csv, parquet)
    framework = b.DATA / f"scale_{args.rows}_csv_ind_pandas.yaml"
    framework.write_text(b.framework_yaml(csv, "pandas", False), encoding="utf-8")
    found: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        load = os.getloadavg()[0]
        for tree, src in (("before", args.before), ("after", args.after)):
            env = {**os.environ, "PYTHONPATH": str(src.resolve())}
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(framework)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            spent = json.loads(out.stdout.strip().splitlines()[-1])
            spent["load"] = load
            found[tree].append(spent)
            print(json.dumps({"tree": tree, **spent}), flush=True)
    print("\n| step (CPU s, median) | before | after | after − before |")
    print("|---|---:|---:|---:|")
    for step in STEPS:
        before = statistics.median(r.get(step, 0.0) for r in found["before"])
        after = statistics.median(r.get(step, 0.0) for r in found["after"])
        print(f"| {step} | {before:.3f} | {after:.3f} | {after - before:+.3f} |")
    assert {r["quarantined"] for r in found["before"]} == {r["quarantined"] for r in found["after"]}


if __name__ == "__main__":
    main()
