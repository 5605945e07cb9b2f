"""Benchmark of the Spark engine (issue 16): the same run on pandas, Spark local and DuckDB.

The 20-column seeded participants file and the 30 indicators of bench_foundation.py
(validation + means, medians, proportions, shares, rates, count, sum with `by` groups), run
as a user runs them, `evalsoc run FRAMEWORK --engine ENGINE --format json`, each in a fresh
process (Spark's JVM start included: a user pays it too). DuckDB only where its engine is
registered and its package installed. Checks that every engine's results.json equals the
pandas one within 1e-9 relative (tests/engines/results_equality.py) and writes the section
"Scale — Spark engine" of benchmarks/results.md. No target: Spark's value is the cluster.

    .venv/bin/python benchmarks/bench_spark.py [--sizes 1000000 10000000] [--threads 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_foundation import DATA, framework_yaml, make_data  # noqa: E402
from tests.engines.results_equality import differences  # noqa: E402

SECTION = "## Scale — Spark engine"

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
if done.returncode:
    sys.exit(done.stderr[-3000:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{seconds} {peak}")
"""


def engines() -> list[str]:
    from evalsoc.engines.registry import ENGINES

    names = ["pandas", "spark"]
    if "duckdb" in ENGINES and importlib.util.find_spec("duckdb") is not None:
        names.append("duckdb")
    return names


def run(framework: Path, engine: str, out: Path) -> dict:
    """Wall time and the largest process's peak memory of one `evalsoc run`."""
    command = [sys.executable, "-m", "evalsoc", "run", str(framework), "--engine", engine]
    command += ["--out", str(out), "--format", "json"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), str(HERE.parent)]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env
    )
    if proc.returncode:
        raise RuntimeError(f"{engine}: {proc.stderr}")
    seconds, peak = map(float, proc.stdout.split())
    return {"seconds": seconds, "peak_mb": peak}


def framework_for(n: int, threads: int) -> Path:
    """bench_foundation's framework, with Spark's local threads and driver memory set."""
    csv = DATA / f"bench_{n}.csv"
    if not csv.exists():
        make_data(n, csv)
    text = framework_yaml(csv).replace(
        "privacy: {min_cell: 10}",
        f"privacy: {{min_cell: 10}}\nengine: {{name: pandas, threads: {threads}, memory_limit: 8GB}}",
    )
    path = DATA / f"bench_spark_{n}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--threads", type=int, default=2, help="Spark local[threads]")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    names = engines()
    rows = []
    for n in args.sizes:
        framework = framework_for(n, args.threads)
        with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
            results, timing = {}, {}
            for engine in names:
                out = Path(tmp) / engine
                timing[engine] = run(framework, engine, out)
                print(json.dumps({"rows": n, "engine": engine, **timing[engine]}), flush=True)
                results[engine] = json.loads((out / "results.json").read_text(encoding="utf-8"))
            for engine in names:
                diff = differences(results["pandas"], results[engine])
                row = {
                    "rows": n,
                    "engine": engine,
                    **timing[engine],
                    "vs_pandas": timing[engine]["seconds"] / timing["pandas"]["seconds"],
                    "same_numbers": not diff,
                    "first_difference": diff[0] if diff else "",
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_section(rows, args)


def write_section(rows: list[dict], args: argparse.Namespace) -> None:
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"Measured with `python benchmarks/bench_spark.py --sizes {' '.join(map(str, args.sizes))} "
        f"--threads {args.threads}` on {time.strftime('%Y-%m-%d')} (this shared 2-core VM, load "
        f"average {load:.1f} at the end: absolute times are several times a quiet machine's). "
        "One `evalsoc run --engine ENGINE` per engine in a fresh process: read + validate "
        "(pandas intake, all engines) + 30 indicators with `by` groups + results.json; Spark "
        f"`local[{args.threads}]`, its JVM start included. Peak = the largest single process "
        "(Python or Spark's JVM). Same numbers = results.json equal to pandas' within 1e-9 "
        "relative. No target: Spark's value is a cluster, not one machine.",
        "",
        "| rows | engine | time (s) | / pandas | peak (MB) | same numbers |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        same = "yes" if r["same_numbers"] else f"no: {r['first_difference']}"
        lines.append(
            f"| {r['rows']:,} | {r['engine']} | {r['seconds']:.1f} | {r['vs_pandas']:.2f} | "
            f"{r['peak_mb']:.0f} | {same} |"
        )
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8")
    block = "\n".join(lines) + "\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + block + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
