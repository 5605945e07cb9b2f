"""A DiD with covariates and a fixed effect on the DuckDB engine: from grouped moments in the
engine (sections/effects/ols_in_engine.py) against the collected path.

bench_scale.py's register: outcome `x0`, `group == 'programme'`, `wave == 1`, covariates
`x1`, `x2`, `q0` (numeric) and `sexe` (categorical), the fixed effect `site` (21 levels; with
`--fixed-effects site q1`, also `q1`'s 5 levels),
`se: cluster` by site or `se: robust` (HC2: the second scan), estimated through
`estimate_effect` on a Parquet file scanned in place by DuckDB (a view over `read_parquet`,
`memory_limit` as given; no intake, no validation: the effect alone), each contender in a
fresh child process:

- `engine`: the effect from per-group moments computed by DuckDB (one scan; two for HC);
- `collected`: the same effect with its 8 columns collected and fitted in memory (the path
  such an effect took before round 10).

`--design difference` fits the same covariates and fixed effects as a difference (Lin's
adjustment, no `post`).

Wall and CPU seconds of the estimate (imports, scipy.stats's included, and the view excluded), peak = the child's
resident high-water mark (`ru_maxrss` from `os.wait4`). The two results must be equal within
1e-9 relative (tests/engines/results_diff.py), checked and printed.

    python benchmarks/bench_ols_moments.py --files DATA/scale_1000000.parquet \
        DATA/scale_10000000.parquet --se cluster robust
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
    "id": "did_covariates",
    "design": "did",
    "data": "d",
    "outcome": "x0",
    "treatment": "group == 'programme'",
    "post": "wave == 1",
    "covariates": ["x1", "x2", "q0", "sexe"],
    "fixed_effects": ["site"],
    "cluster": "site",
}
COLUMNS = ["x0", "x1", "x2", "q0", "q1", "sexe", "site", "group", "wave"]


def child(mode: str, file: str, se: str, memory_limit: str, fixed: list[str], design: str) -> None:
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
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    connection.execute(
        f"CREATE VIEW d AS SELECT file_row_number AS {ROW}, {columns} "
        f"FROM read_parquet('{path}', file_row_number = true)"
    )
    rows = connection.execute("SELECT count(*) FROM d").fetchone()[0]
    found = connection.execute("SELECT DISTINCT site FROM d WHERE site IS NOT NULL").fetchall()
    sites = [str(r[0]) for r in found]
    dtypes = {
        **{c: "float64" for c in ("x0", "x1", "x2")},
        "q0": "int64",
        "q1": "int64",
        "sexe": pd.CategoricalDtype(["F", "H"]),
        "site": pd.CategoricalDtype(sorted(sites)),
        "group": pd.CategoricalDtype(["comparaison", "programme"]),
        "wave": "int64",
    }
    table = DuckDBTable(connection, "d", list(dtypes), dtypes, int(rows))
    engine = DuckDBEngine({"d": table})
    ctx = RunContext(frames={"d": table}, framework=None, engine=engine, min_cell=10)
    effect = {**EFFECT, "se": se, "fixed_effects": fixed, "design": design}
    if design == "difference":  # Lin's adjustment, no period
        effect.pop("post")
    spec = EffectSpec.model_validate(effect)
    import scipy.stats  # noqa: F401  # imported by either path's inference: not timed

    if mode == "collected":
        engine_answer.answer = lambda spec, ctx, available: (None, None)  # type: ignore[assignment]
    start, cpu = time.perf_counter(), time.process_time()
    result = compute.estimate_effect(spec, ctx)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine_note = result.pop("engine", None)
    if mode == "engine" and not (engine_note or {}).get("rows_in_engine"):
        raise SystemExit(f"the engine path collected the rows: {engine_note}")
    result.pop("_binary", None)
    document = json.loads(json.dumps(result, default=str))
    print("BENCH", json.dumps({"seconds": seconds, "cpu": cpu, "result": document}))


def run(mode: str, file: Path, se: str, args: argparse.Namespace) -> dict:
    """A fresh child for `mode`; its timings, result and peak resident memory (MB)."""
    command = [sys.executable, __file__, "--child", mode, "--files", str(file), "--se", se]
    command += ["--memory-limit", args.memory_limit, "--design", args.design]
    command += ["--fixed-effects", *args.fixed_effects]
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
    parser.add_argument("--files", type=Path, nargs="+", required=True)
    parser.add_argument("--se", nargs="+", default=["cluster", "robust"])
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--fixed-effects", nargs="+", default=["site"], help="e.g. site q1")
    parser.add_argument("--design", choices=["did", "difference"], default="did")
    parser.add_argument("--no-collected", action="store_true", help="the engine path only")
    parser.add_argument("--child", choices=["engine", "collected"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(
            args.child, str(args.files[0]), args.se[0], args.memory_limit, args.fixed_effects,
            args.design,
        )  # fmt: skip
        return
    sys.path.insert(0, str(HERE.parent))
    from tests.engines.results_diff import differences

    print(
        f"design {args.design}; fixed effects {', '.join(args.fixed_effects)}; "
        f"memory_limit {args.memory_limit}; "
        f"load at start {os.getloadavg()[0]:.1f}"
    )
    print("| file | se | path | wall s | CPU s | peak MB | CPU ratio | wall ratio | same |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for file in args.files:
        for se in args.se:
            modes = ["engine"] if args.no_collected else ["collected", "engine"]
            runs = {mode: run(mode, file, se, args) for mode in modes}
            effect = runs["engine"]["result"]
            same = "—"
            if "collected" in runs:
                found = differences(runs["collected"]["result"], effect)
                same = "yes" if not found else f"NO: {found[:3]}"
            base = runs.get("collected", runs["engine"])
            for mode, found in runs.items():
                cpu_ratio = found["cpu"] / base["cpu"]
                wall_ratio = found["seconds"] / base["seconds"]
                print(
                    f"| {file.name} | {se} | {mode} | {found['seconds']:.1f} | "
                    f"{found['cpu']:.1f} | {found['peak_mb']:,.0f} | {cpu_ratio:.2f} | "
                    f"{wall_ratio:.2f} | {same if mode == 'engine' else ''} |"
                )
            print(
                f"<!-- {file.name} {se}: estimate {effect['estimate']:.6f}, se {effect['se']:.6f}"
                f", n {effect['n']:,}, load {os.getloadavg()[0]:.1f} -->"
            )


if __name__ == "__main__":
    main()
