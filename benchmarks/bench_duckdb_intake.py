"""Benchmark of the DuckDB intake (issue 16, round 4): peak memory of validation + 30
indicators on the DuckDB engine with a memory limit, against the size of the data and the
pandas engine on the same file.

The file and the framework are bench_scale.py's (20 columns, 10^6 or 10^7 rows, CSV `;`);
the DuckDB framework says `engine: {name: duckdb, memory_limit: 4GB, temp_directory: ...}`.
Each contender runs once in a fresh child (bench_scale.measure): wall and CPU seconds after
imports, and the child's RSS high-water mark (imports included). On a 2-core machine shared
by other jobs, CPU seconds are the steadier figure.

    python benchmarks/bench_duckdb_intake.py --sizes 1000000 10000000
    python benchmarks/bench_duckdb_intake.py --sizes 1000000 --pandas   # the pandas engine too
    python benchmarks/bench_duckdb_intake.py --csv path/to/scale_10000000.csv

Prints one JSON line per run (the figures recorded in results.md, "Round 4 — DuckDB intake").
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import bench_scale

EVALSOC = bench_scale.EVALSOC
IMPORTS = bench_scale.EVALSOC_IMPORTS + "\nimport duckdb, evalsoc.data.duckdb_intake\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--csv", type=Path, help="an existing bench_scale CSV (one size)")
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--pandas", action="store_true", help="also run the pandas engine")
    args = parser.parse_args()
    bench_scale.DATA.mkdir(exist_ok=True)
    spill = Path(tempfile.mkdtemp(prefix="evalsoc-spill-"))
    files = [args.csv] if args.csv else []
    for n in [] if args.csv else args.sizes:
        csv = bench_scale.DATA / f"scale_{n}.csv"
        if not csv.exists():
            bench_scale.make_data(n, csv, bench_scale.DATA / f"scale_{n}.parquet")
        files.append(csv)
    engines = {
        "duckdb": f"{{name: duckdb, memory_limit: {args.memory_limit}, temp_directory: {spill}}}"
    }
    if args.pandas:
        engines["pandas"] = "pandas"
    for csv in files:
        for name, setting in engines.items():
            framework = Path(tempfile.mkdtemp(prefix="bench-intake-")) / "framework.yaml"
            framework.write_text(bench_scale.framework_yaml(csv, setting, False), encoding="utf-8")
            result = bench_scale.measure(IMPORTS, EVALSOC, csv, framework, False)
            row = {
                "file": csv.name,
                "csv_mb": round(csv.stat().st_size / 2**20, 1),
                "engine": name,
                "seconds": round(result["seconds"], 1),
                "cpu": round(result["cpu"], 1),
                "peak_mb": round(result["peak_mb"], 1),
                "load": [round(x, 1) for x in os.getloadavg()],
            }
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
