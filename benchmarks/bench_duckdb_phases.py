"""CPU and wall seconds of the DuckDB engine's phases on bench_scale.py's 30 indicators.

One run of `run_framework` (no files written) on a bench_scale data file with `engine:
duckdb`, the intake (`pipeline.load_data`), the indicators (`pipeline.compute_indicators`,
their disclosure audit included) and, inside them, the one-pass queries
(engines/duckdb_onepass.py: `_prepare_by` with its `_medians`, `_shares`) and the disclosure
audit's pair query (engines/duckdb_audit.py `count_apart`) timed with
time.process_time (every DuckDB thread included) and time.perf_counter.
`--per-indicator` turns the one pass off (every indicator by its own queries, as before
round 5), for a before/after in one sitting:

    python benchmarks/bench_duckdb_phases.py benchmarks/data/scale_1000000.parquet
    python benchmarks/bench_duckdb_phases.py benchmarks/data/scale_1000000.parquet --per-indicator
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scale as scale  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a bench_scale CSV or Parquet file")
    parser.add_argument("--per-indicator", action="store_true", help="without the one pass")
    parser.add_argument("--memory-limit", default="6GB")
    args = parser.parse_args()
    import pandera.pandas  # noqa: F401  (imports not timed, as bench_scale's contenders)
    import scipy.stats  # noqa: F401

    import evalsoc.engines.duckdb as duckdb_engine
    import evalsoc.engines.duckdb_audit as duckdb_audit
    import evalsoc.engines.duckdb_onepass as onepass
    import evalsoc.pipeline as pipeline

    if args.per_indicator:

        def nothing(self, source, items, key=()):
            self._prepared[source] = {}

        duckdb_engine.DuckDBEngine.prepare_indicators = nothing
    spent: dict[str, list[float]] = {}

    def timed(module, name: str) -> None:
        function = getattr(module, name)

        def wrapper(*a, **k):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                found = spent.setdefault(name, [0.0, 0.0])
                found[0] += time.process_time() - cpu
                found[1] += time.perf_counter() - wall

        setattr(module, name, wrapper)

    for module, name in (
        (pipeline, "load_data"),
        (pipeline, "compute_indicators"),
        (onepass, "_prepare_by"),
        (onepass, "_medians"),
        (onepass, "_shares"),
        (duckdb_audit, "count_apart"),
    ):
        timed(module, name)
    engine = f"{{name: duckdb, memory_limit: {args.memory_limit}}}"
    with tempfile.TemporaryDirectory() as folder:
        framework = Path(folder) / "fw.yaml"
        framework.write_text(scale.framework_yaml(args.data.resolve(), engine, False), "utf-8")
        cpu, wall = time.process_time(), time.perf_counter()
        pipeline.run_framework(str(framework), write=False)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    mode = "per indicator" if args.per_indicator else "one pass"
    print(f"{args.data.name} ({mode}): run CPU {cpu:.2f} s, wall {wall:.1f} s")
    for name, (c, w) in spent.items():
        print(f"  {name:20s} CPU {c:7.2f} s  wall {w:7.1f} s")


if __name__ == "__main__":
    main()
