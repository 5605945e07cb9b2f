"""Benchmark of the Spark engine (issue 16): the same run on DuckDB and Spark local (pandas too
on request), side by side.

The 20-column seeded participants file and the 30 indicators of bench_foundation.py
(validation + means, medians, proportions, shares, rates, count, sum with `by` groups), run
as a user runs them, `evalsoc run FRAMEWORK --engine ENGINE --format json`, each in a fresh
process (Spark's JVM start included: a user pays it too), with wall time, CPU time and peak
memory of the whole process tree (the JVM included). Checks that every engine's results.json
equals the first engine's within 1e-9 relative (tests/engines/results_equality.py) and writes
the section "Round 5 — Spark engine" of benchmarks/results.md. No target: Spark's value is the
cluster.

    .venv/bin/python benchmarks/bench_spark.py [--sizes 1000000 10000000] [--threads 2]
        [--engines duckdb spark pandas] [--memory 4GB]
"""

from __future__ import annotations

import argparse
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

SECTION = "## Round 5 — Spark engine"

# One command measured from a watcher process: wall time, and the whole process tree polled
# through /proc every 0.2 s (pyspark's JVM is a grandchild that RUSAGE_CHILDREN never sees):
# peak resident memory of the tree and of its largest process, and CPU seconds (the direct
# child's exactly by RUSAGE_CHILDREN, the JVM's as last polled).
MEASURE = """
import os, resource, subprocess, sys, time
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

def tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append((int(name), fields))
    out, todo = {}, [root]
    while todo:
        for pid, fields in children.get(todo.pop(), []):
            out[pid] = fields
            todo.append(pid)
    return out

started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peak_tree = peak_one = 0
cpu = {}
while child.poll() is None:
    seen = tree(os.getpid())
    rss = {pid: int(f[21]) * PAGE for pid, f in seen.items()}
    peak_tree = max(peak_tree, sum(rss.values()))
    peak_one = max([peak_one, *rss.values()])
    for pid, f in seen.items():
        if pid != child.pid:
            cpu[pid] = (int(f[11]) + int(f[12])) / TICK
    time.sleep(0.2)
seconds = time.perf_counter() - started
error = child.stderr.read()
if child.returncode:
    sys.exit(error[-3000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
direct = usage.ru_utime + usage.ru_stime
peak_one = max(peak_one, usage.ru_maxrss * 1024)
print(f"{seconds} {direct + sum(cpu.values())} {peak_tree / 2**20} {peak_one / 2**20}")
"""


def engines(wanted: list[str]) -> list[str]:
    from evalsoc.engines.registry import ENGINES

    return [e for e in wanted if e in ENGINES]


def run(framework: Path, engine: str, out: Path) -> dict:
    """Wall time, CPU time and peak memory (tree, largest process) of one `evalsoc run`."""
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
    seconds, cpu, tree, largest = map(float, proc.stdout.split())
    return {"seconds": seconds, "cpu": cpu, "peak_tree_mb": tree, "peak_mb": largest}


def framework_for(n: int, threads: int, memory: str) -> Path:
    """bench_foundation's framework, with the engines' threads and memory (Spark's driver
    memory, DuckDB's memory limit) set."""
    csv = DATA / f"bench_{n}.csv"
    if not csv.exists():
        make_data(n, csv)
    text = framework_yaml(csv).replace(
        "privacy: {min_cell: 10}",
        f"privacy: {{min_cell: 10}}\nengine: {{name: pandas, threads: {threads}, "
        f"memory_limit: {memory}}}",
    )
    path = DATA / f"bench_spark_{n}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--threads", type=int, default=2, help="Spark local[threads]")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["duckdb", "spark"],
        help="engines in the order run; the first is the reference of ratios and numbers",
    )
    parser.add_argument("--memory", default="4GB", help="Spark driver memory, DuckDB's limit")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    names = engines(args.engines)
    rows = []
    load_before = os.getloadavg()[0]
    for n in args.sizes:
        framework = framework_for(n, args.threads, args.memory)
        with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp:
            results, timing = {}, {}
            for engine in names:
                out = Path(tmp) / engine
                timing[engine] = {**run(framework, engine, out), "load": os.getloadavg()[0]}
                print(json.dumps({"rows": n, "engine": engine, **timing[engine]}), flush=True)
                results[engine] = json.loads((out / "results.json").read_text(encoding="utf-8"))
            first = names[0]
            for engine in names:
                diff = differences(results[first], results[engine])
                row = {
                    "rows": n,
                    "engine": engine,
                    **timing[engine],
                    "wall_ratio": timing[engine]["seconds"] / timing[first]["seconds"],
                    "cpu_ratio": timing[engine]["cpu"] / timing[first]["cpu"],
                    "same_numbers": not diff,
                    "first_difference": diff[0] if diff else "",
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_section(rows, args, names, load_before)


def write_section(
    rows: list[dict], args: argparse.Namespace, names: list[str], load_before: float
) -> None:
    first = names[0]
    lines = [
        SECTION,
        "",
        f"Measured with `python benchmarks/bench_spark.py --sizes {' '.join(map(str, args.sizes))} "
        f"--threads {args.threads} --engines {' '.join(names)} --memory {args.memory}` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"UTC (this shared 2-core VM, load average {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end: wall times are several times a quiet machine's, "
        "CPU times less so). One `evalsoc run --engine ENGINE` per engine in a fresh process: "
        "read + validate (Spark reads through the pandas intake) + 30 indicators with "
        f"`by` groups and their disclosure audit + results.json; Spark `local[{args.threads}]`, "
        "its JVM start included. CPU = the whole process tree's user + system seconds (the JVM "
        "polled through /proc: pyspark's JVM escapes RUSAGE_CHILDREN); peak = resident memory "
        "of the whole tree (largest single process in brackets), polled every 0.2 s. Ratios "
        f"against {first} in the same run. Same numbers = results.json equal to {first}'s "
        "within 1e-9 relative. No target: Spark's value is a cluster, not one machine.",
        "",
        f"| rows | engine | wall (s) | CPU (s) | wall / {first} | CPU / {first} | peak tree (MB) "
        "| load | same numbers |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        same = "yes" if r["same_numbers"] else f"no: {r['first_difference']}"
        lines.append(
            f"| {r['rows']:,} | {r['engine']} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
            f"{r['wall_ratio']:.2f} | {r['cpu_ratio']:.2f} | {r['peak_tree_mb']:.0f} "
            f"({r['peak_mb']:.0f}) | {r['load']:.1f} | {same} |"
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
