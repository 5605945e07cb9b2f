"""Two evalsoc trees on bench_scale.py's 10^6-row file, interleaved, against the load floor.

Same contenders and definition as bench_scale.py (fresh child each, imports untimed), but only
the floor and evalsoc's "ind" and "full" frameworks, once per tree: the before/after of a change
in one call, so that both see the same machine load (CPU-time ratios are the figures to read on
a shared machine).

    python benchmarks/bench_scale_before_after.py --before /tmp/base/src --after src
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import bench_scale as b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, required=True, help="src folder of the new tree")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    b.DATA.mkdir(exist_ok=True)
    csv, parquet = b.DATA / f"scale_{args.rows}.csv", b.DATA / f"scale_{args.rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        b.make_data(args.rows, csv, parquet)
    frameworks = {}
    for kind in ("ind", "full"):
        fw = b.DATA / f"scale_{args.rows}_csv_{kind}_pandas.yaml"
        fw.write_text(b.framework_yaml(csv, "pandas", kind == "full"), encoding="utf-8")
        frameworks[kind] = fw
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    for _ in range(args.rounds):
        result = {"load": os.getloadavg()}
        os.environ["PYTHONPATH"] = str(trees["after"])
        result["floor"] = b.measure(b.FLOOR_IMPORTS, b.FLOOR, csv, None, False)
        for tree, src in trees.items():
            os.environ["PYTHONPATH"] = str(src)
            for kind, fw in frameworks.items():
                result[f"{tree}_{kind}"] = b.measure(
                    b.EVALSOC_IMPORTS, b.EVALSOC, csv, fw, kind == "full"
                )
        floor = result["floor"]
        for name, r in result.items():
            if name != "load":
                r["cpu_ratio"] = r["cpu"] / floor["cpu"]
                r["wall_ratio"] = r["seconds"] / floor["seconds"]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
