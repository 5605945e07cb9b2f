"""The 2×2 DiD on the DuckDB engine: from cell sums in the engine against the collected path.

bench_scale.py's effect (`did_emploi`: outcome `employed`, `group == 'programme'`, `wave == 1`,
`se: robust`) estimated through `estimate_effect` on a Parquet file scanned in place by DuckDB
(a view over `read_parquet` converting `employed` from oui/non, `memory_limit` as given; no
intake, no validation: the effect alone), each contender in a fresh child process:

- `engine`: the effect from per-cell sums computed by DuckDB (sections/effects/did_in_engine.py);
- `collected`: the same effect with its 3 columns collected and fitted in memory (the path
  every effect took before round 9; `--collected` to run it, never at 10^8 rows: ≈ 25 GB).

Wall and CPU seconds of the estimate (imports and the view excluded), peak = the child's
resident high-water mark (`ru_maxrss` from `os.wait4`). The two results must be equal within
1e-9 relative (tests/engines/results_diff.py), checked and printed.

    python benchmarks/bench_did_cells.py --file DATA/scale_10000000.parquet --collected
    python benchmarks/bench_did_cells.py --file DATA/scale_100000000.parquet
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

EFFECT = {
    "id": "did_emploi",
    "design": "did",
    "data": "d",
    "outcome": "employed",
    "treatment": "group == 'programme'",
    "post": "wave == 1",
    "se": "robust",
}


def child(mode: str, file: str, memory_limit: str) -> None:
    """One contender: the effect's result and its timings as one JSON line."""
    import duckdb
    import pandas as pd

    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.engines.duckdb_table import ROW, DuckDBTable
    from evalsoc.sections.context import RunContext
    from evalsoc.sections.effects import compute, engine_answer
    from evalsoc.sections.effects.config import EffectSpec

    connection = duckdb.connect(config={"memory_limit": memory_limit})
    path = file.replace("'", "''")
    # bench_scale.py writes `employed` as oui/non (the intake's conversion, done here in the
    # view); `wave` as integers, `group` as text. A value neither oui nor non is missing here.
    connection.execute(
        f"CREATE VIEW d AS SELECT file_row_number AS {ROW}, "
        "CASE employed WHEN 'oui' THEN TRUE WHEN 'non' THEN FALSE END AS employed, "
        f"\"group\", wave FROM read_parquet('{path}', file_row_number = true)"
    )
    rows = connection.execute("SELECT count(*) FROM d").fetchone()[0]
    dtypes = {
        "employed": "boolean",
        "group": pd.CategoricalDtype(["comparaison", "programme"]),
        "wave": "int64",
    }
    table = DuckDBTable(connection, "d", list(dtypes), dtypes, int(rows))
    engine = DuckDBEngine({"d": table})
    ctx = RunContext(frames={"d": table}, framework=None, engine=engine, min_cell=10)
    spec = EffectSpec.model_validate(EFFECT)
    if mode == "collected":
        engine_answer.answer = lambda spec, ctx, available: (None, None)  # type: ignore[assignment]
    start, cpu = time.perf_counter(), time.process_time()
    result = compute.estimate_effect(spec, ctx)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    result.pop("engine", None)
    result.pop("_binary", None)
    document = json.loads(json.dumps(result, default=str))
    print("BENCH", json.dumps({"seconds": seconds, "cpu": cpu, "result": document}))


def run(mode: str, args: argparse.Namespace) -> dict:
    """A fresh child for `mode`; its timings, result and peak resident memory (MB)."""
    command = [sys.executable, __file__, "--child", mode, "--file", str(args.file)]
    command += ["--memory-limit", args.memory_limit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{mode} failed (status {status})")
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    found: dict = json.loads(line[len("BENCH ") :])
    found["peak_mb"] = usage.ru_maxrss / 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="bench_scale.py's Parquet file")
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--collected", action="store_true", help="run the collected path too")
    parser.add_argument("--child", choices=["engine", "collected"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.file), args.memory_limit)
        return
    load = os.getloadavg()[0]
    runs = {"engine": run("engine", args)}
    if args.collected:
        runs["collected"] = run("collected", args)
    print(f"{args.file.name}, memory_limit {args.memory_limit}, load {load:.1f}")
    print("| path | wall s | CPU s | peak MB |")
    print("|---|---:|---:|---:|")
    for mode, found in runs.items():
        print(f"| {mode} | {found['seconds']:.1f} | {found['cpu']:.1f} | {found['peak_mb']:,.0f} |")
    effect = runs["engine"]["result"]
    print(f"estimate {effect['estimate']:.6f}, se {effect['se']:.6f}, n {effect['n']:,}")
    if "collected" in runs:
        sys.path.insert(0, str(HERE.parent))
        from tests.engines.results_diff import differences

        found = differences(runs["collected"]["result"], effect)
        print("same numbers (1e-9):", "yes" if not found else found)


if __name__ == "__main__":
    main()
