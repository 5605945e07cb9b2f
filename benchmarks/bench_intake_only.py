"""The DuckDB intake alone (issue 16, round 5): read, convert, validate and quarantine one of
bench_scale.py's files (CSV `;` or Parquet) with `engine: {name: duckdb, memory_limit, ...}`,
nothing after. Prints one JSON line: wall and CPU seconds of the intake (imports excluded; CPU
counts every DuckDB thread), rows read / used / quarantined, and the process's peak RSS
(`ru_maxrss`, imports included).

    python benchmarks/bench_intake_only.py /tmp/scale-data/scale_100000000.parquet \\
        --memory-limit 6GB --temp-directory /tmp/scale-data/spill

Compare two versions of evalsoc on the same file by running this script under each one's
PYTHONPATH (results.md, "Round 5 — DuckDB intake, Parquet and 10^8 rows").
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    import bench_scale

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a bench_scale CSV or Parquet file")
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--temp-directory", default=None, help="DuckDB's spill folder")
    args = parser.parse_args()
    from evalsoc.data.intake import load_sources
    from evalsoc.engines.choice import choose_engine
    from evalsoc.framework.load import load_framework

    spill = args.temp_directory or tempfile.mkdtemp(prefix="evalsoc-spill-")
    engine = f"{{name: duckdb, memory_limit: {args.memory_limit}, temp_directory: {spill!r}}}"
    with tempfile.TemporaryDirectory() as folder:
        framework = Path(folder) / "framework.yaml"
        framework.write_text(bench_scale.framework_yaml(args.data.resolve(), engine, False))
        loaded = load_framework(framework)
        said: list[str] = []
        wall, cpu = time.perf_counter(), time.process_time()
        _, reports, _ = load_sources(loaded, said.append, choose_engine(loaded, "duckdb"))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = reports["d"]
    print(
        json.dumps(
            {
                "file": str(args.data),
                "memory_limit": args.memory_limit,
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "rows_read": report.rows_read,
                "rows_used": report.rows_used,
                "rows_quarantined": report.rows_quarantined,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "progress": said,
            }
        )
    )


if __name__ == "__main__":
    main()
