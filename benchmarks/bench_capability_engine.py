"""One capability set on the DuckDB engine, two trees side by side: the capability phase's CPU
and wall time, and the run's peak memory (issue 16: "capability identification row-wise in
the engine, then aggregated").

The data are bench_scale.py's 20-column participants file (Parquet, read out of core by the
DuckDB intake) at `--n` rows. Two frameworks, one set each, no indicators:

- `cells`: bench_scale.py's set (three dimensions over four Likert items, k = 1/3, by sexe):
  a few thousand cells whatever the rows;
- `by_person`: the same set with `unit: id` and `time: wave`, so each row's id is a key of
  its cell (the demo's `pouvoir_agir` pairs its waves this way): cells grow with the rows.

Each run is `evalsoc run --engine duckdb` in a fresh child (bench_demo.py's child: CPU by
`time.process_time`, wall by `time.perf_counter` at the pipeline's progress messages, peak
RSS by `resource`), the trees interleaved round by round so that both see the same load.

    python benchmarks/bench_capability_engine.py --n 1000000 --before /tmp/base/src --after src
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_demo import run_once  # noqa: E402
from bench_scale import framework_yaml, make_data_in_chunks  # noqa: E402

SETS = {
    "cells": "",
    "by_person": "    unit: id\n    time: wave\n",
}


def framework(data_file: Path, name: str) -> str:
    """bench_scale.py's framework with its columns, one capability set and nothing else."""
    base = framework_yaml(data_file, "duckdb", full=False)
    head = base[: base.index("\ndimensions:")]
    return (
        head
        + textwrap.dedent(
            """
        capabilities:
          - id: cap
            data: d
            dimensions:
              - {id: confiance, items: [q0, q1], cutoff: 3, weight: 1/3}
              - {id: reseau, items: [q2], cutoff: 3, weight: 1/3}
              - {id: autonomie, items: [q3], cutoff: 3, weight: 1/3}
            k: [1/3]
            by: [sexe]
        """
        )
        + SETS[name]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows")
    parser.add_argument("--data", type=Path, default=HERE / "data" / "capability-engine")
    parser.add_argument("--before", type=Path, help="src folder of the old tree")
    parser.add_argument("--after", type=Path, default=HERE.parent / "src")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    folder = args.data / str(args.n)
    folder.mkdir(parents=True, exist_ok=True)
    parquet = folder / "participants.parquet"
    if not parquet.exists():
        make_data_in_chunks(args.n, None, parquet)
    trees = {"after": args.after.resolve()}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    for name in args.sets:
        (folder / f"{name}.yaml").write_text(framework(parquet, name), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-cap-") as scratch:
        for round_ in range(args.rounds):
            for name in args.sets:
                for tree, src in trees.items():
                    load = os.getloadavg()[0]
                    out = Path(scratch) / f"{tree}-{name}-{round_}"
                    result = run_once(src, folder / f"{name}.yaml", out, "duckdb")
                    steps = result["steps"]
                    assert isinstance(steps, dict)
                    print(
                        json.dumps(
                            {
                                "set": name,
                                "tree": tree,
                                "round": round_,
                                "load": round(load, 1),
                                "capabilities_cpu_wall": steps["capabilities"],
                                "whole_cpu_wall": steps["whole run"],
                                "peak_mb": result["peak_mb"],
                            }
                        )
                    )
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
