"""CPU time of the indicators' phases on the pandas engine, two trees interleaved (issue 16).

bench_scale.py's "ind" framework (validation + 30 indicators) on its 10^6-row CSV, run once per
tree and round in a fresh child (imports untimed, as bench_scale.py): the whole run's CPU
time and, by timers wrapped around them (`time.process_time`, no profiler), the indicators
section, its statistics, the disclosure audit, the audit rows and the engine's selections.
Paired rounds on the same machine load: read the differences.

    cd benchmarks && python bench_indicator_phases.py --before BASE/src --after ../src --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import bench_scale as b

CHILD = r"""
import functools, importlib, json, sys, time
from pathlib import Path
PREPARE
spent = {}

def timed(name, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
    return wrapper

for module, attribute in [
    ("evalsoc.pipeline", "compute_indicators"),
    ("evalsoc.privacy.indicators", "audit_indicators"),
    ("evalsoc.sections.indicators.compute", "row_support"),
    ("evalsoc.sections.indicators.compute", "raw_quantitative"),
    ("evalsoc.sections.indicators.compute", "publish_quantitative"),
]:
    found = importlib.import_module(module)
    setattr(found, attribute, timed(attribute, getattr(found, attribute)))
from evalsoc.engines.pandas import PandasEngine
for attribute in ("grouped_statistics", "groups", "rows"):
    setattr(PandasEngine, attribute, timed("engine." + attribute, getattr(PandasEngine, attribute)))
from evalsoc.pipeline import run_framework
start = time.process_time()
run_framework(Path(sys.argv[1]), write=False)
spent["run"] = time.process_time() - start
print(json.dumps(spent))
"""


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
    child = CHILD.replace("PREPARE", b.EVALSOC_IMPORTS)
    for _ in range(args.rounds):
        result: dict[str, object] = {"load": os.getloadavg()}
        for tree, src in (("before", args.before), ("after", args.after)):
            env = {**os.environ, "PYTHONPATH": str(src.resolve())}
            out = subprocess.run(
                [sys.executable, "-c", child, str(framework)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            result[tree] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
