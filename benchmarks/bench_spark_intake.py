"""Benchmark of the Spark intake (issue 16): a typed Parquet source (`--format csv`: a CSV
source, data/spark_csv.py) read by Spark itself (data/spark_intake.py) against the same run
where the pandas intake reads and validates it on the driver, then hands it to Spark through
Arrow (the code before, `--base-src`). `--duckdb`: the same framework also run by this tree
on the DuckDB engine, and its results.json compared with Spark's.

The 20-column participants of bench_foundation.py, written as a typed Parquet file (ids and
waves as integers, amounts as doubles, likert answers as integers, booleans as booleans,
categories as text), and its 30 indicators, run as a user runs them, `evalsoc run FRAMEWORK
--engine spark --format json`, each in a fresh process, alternating before and after. Per run:
wall time, CPU time of the process tree, and peak resident memory of the Python driver (the
`evalsoc` process: what must hold the data when pandas reads it), of the JVM and of the whole
tree, polled every 0.2 s through /proc. Checks that results.json is the same before and after
(within 1e-9 relative) and writes the section "Round 7 — Spark reads Parquet" of
benchmarks/results.md.

    .venv/bin/python benchmarks/bench_spark_intake.py --base-src /tmp/bench7/base/src
        [--sizes 1000000] [--threads 2] [--memory 4GB] [--repeat 1] [--format csv] [--duckdb]
        [--out FILE]  (the section written to FILE instead of replacing it in results.md)
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

from bench_foundation import (  # noqa: E402
    BOOLS,
    CATS,
    DATA,
    LIKERT,
    NUMERIC,
    framework_yaml,
    make_data,
)
from tests.engines.results_equality import differences  # noqa: E402

SECTIONS = {
    "parquet": "## Round 7 — Spark reads Parquet (branch spark-intake)",
    "csv": "## Round 8 — Spark reads CSV (branch spark-csv)",
}

# One command measured from a watcher: wall time; every process of the tree polled through
# /proc every 0.2 s: peak resident memory of the direct child (the Python driver), of the
# largest other process (pyspark's JVM) and of the tree; CPU seconds of the tree.
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
peak_tree = peak_driver = peak_other = 0
cpu = {}
while child.poll() is None:
    seen = tree(os.getpid())
    rss = {pid: int(f[21]) * PAGE for pid, f in seen.items()}
    peak_tree = max(peak_tree, sum(rss.values()))
    peak_driver = max(peak_driver, rss.get(child.pid, 0))
    peak_other = max([peak_other, *(v for p, v in rss.items() if p != child.pid)])
    for pid, f in seen.items():
        if pid != child.pid:
            cpu[pid] = (int(f[11]) + int(f[12])) / TICK
    time.sleep(0.2)
seconds = time.perf_counter() - started
error = child.stderr.read()
if child.returncode:
    sys.exit(error[-3000:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_driver = max(peak_driver, usage.ru_maxrss * 1024)
direct = usage.ru_utime + usage.ru_stime
print(seconds, direct + sum(cpu.values()), peak_tree / 2**20, peak_driver / 2**20,
      peak_other / 2**20)
"""


def make_parquet(n: int, path: Path) -> None:
    """bench_foundation's participants, typed: what a register exported to Parquet holds."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(n)
    frame = pd.DataFrame({"id": np.arange(n)})
    for c in NUMERIC:
        frame[c] = rng.normal(100, 15, n).round(2)
    for c in LIKERT:
        frame[c] = rng.integers(1, 6, n)
    for c in BOOLS:
        frame[c] = rng.random(n) < 0.4
    for c, values in CATS.items():
        frame[c] = rng.choice(values, n)
    frame["wave"] = rng.integers(0, 2, n)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def framework_for(n: int, threads: int, memory: str, folder: Path, fmt: str = "parquet") -> Path:
    data = folder / f"participants_{n}.{fmt}"
    if not data.exists():
        (make_parquet if fmt == "parquet" else make_data)(n, data)
    text = framework_yaml(data).replace(
        "privacy: {min_cell: 10}",
        f"privacy: {{min_cell: 10}}\nengine: {{name: spark, threads: {threads}, "
        f"memory_limit: {memory}}}",
    )
    path = folder / f"bench_spark_intake_{n}_{fmt}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(framework: Path, src: Path, out: Path, engine: str = "spark") -> dict:
    command = [sys.executable, "-m", "evalsoc", "run", str(framework), "--engine", engine]
    command += ["--out", str(out), "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    seconds, cpu, tree, driver, jvm = map(float, proc.stdout.split())
    return {"seconds": seconds, "cpu": cpu, "tree_mb": tree, "driver_mb": driver, "jvm_mb": jvm}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--threads", type=int, default=2, help="Spark local[threads]")
    parser.add_argument("--memory", default="4GB", help="Spark driver memory")
    parser.add_argument("--base-src", type=Path, required=True, help="src/ of the code before")
    parser.add_argument("--repeat", type=int, default=1, help="before/after pairs per size")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--duckdb", action="store_true", help="this tree on DuckDB as well")
    parser.add_argument(
        "--out", type=Path, help="write the section to this file, not into benchmarks/results.md"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    after_src = HERE.parent / "src"
    rows = []
    load_before = os.getloadavg()[0]
    for n in args.sizes:
        framework = framework_for(n, args.threads, args.memory, args.data_dir, args.format)
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix="bench-spark-intake-") as tmp:
                found = {}
                runs = [("after", after_src, "spark"), ("before", args.base_src, "spark")]
                runs += [("duckdb", after_src, "duckdb")] if args.duckdb else []
                for label, src, engine in runs:
                    out = Path(tmp) / label
                    measured = run(framework, src, out, engine)
                    found[label] = {**measured, "load": os.getloadavg()[0]}
                    found[label]["results"] = json.loads(
                        (out / "results.json").read_text(encoding="utf-8")
                    )
                    shown = {k: v for k, v in found[label].items() if k != "results"}
                    print(json.dumps({"rows": n, "code": label, **shown}), flush=True)
                diff = differences(found["before"]["results"], found["after"]["results"])
                row = {
                    "rows": n,
                    "before": found["before"],
                    "after": found["after"],
                    "same": not diff,
                    "first_difference": diff[0] if diff else "",
                }
                if args.duckdb:
                    duck = differences(found["duckdb"]["results"], found["after"]["results"])
                    row |= {"duckdb": found["duckdb"], "same_duckdb": duck[0] if duck else ""}
                rows.append(row)
    write_section(rows, args, load_before)


def write_section(rows: list[dict], args: argparse.Namespace, load_before: float) -> None:
    section = SECTIONS[args.format]
    stored = {
        "parquet": "a typed Parquet file",
        "csv": "a CSV file (semicolons, text cells)",
    }[args.format]
    extra = f" --format {args.format}" + (" --duckdb" if args.duckdb else "")
    lines = [
        section,
        "",
        f"Measured with `python benchmarks/bench_spark_intake.py --base-src {args.base_src} "
        f"--sizes {' '.join(map(str, args.sizes))} --threads {args.threads} --memory "
        f"{args.memory} --repeat {args.repeat}{extra}` on {time.strftime('%Y-%m-%d %H:%M')} UTC "
        f"(this shared 2-core VM, load average {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end: wall times are several times a quiet machine's). "
        f"The 20-column participants as {stored}, validation + 30 indicators, "
        f"`evalsoc run --engine spark` (`local[{args.threads}]`, JVM start included) in a fresh "
        "process, before (the pandas intake reads and validates on the driver, then Arrow to "
        "Spark) and after (Spark reads the file), alternated. Driver = peak resident memory of "
        "the Python `evalsoc` process; JVM = the largest other process; tree = all of them at "
        "once; CPU = the tree's user + system seconds. Same numbers = results.json equal within "
        "1e-9 relative (after against before; `duckdb`: this tree's DuckDB engine, compared "
        "with after).",
        "",
        "| rows | code | wall (s) | CPU (s) | driver peak (MB) | JVM peak (MB) | tree peak (MB) "
        "| load | same numbers |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        for label in ("before", "after", "duckdb"):
            if label not in r:
                continue
            m = r[label]
            first = r["first_difference"] if label == "after" else r.get("same_duckdb", "")
            same = "" if label == "before" else f"no: {first}" if first else "yes"
            lines.append(
                f"| {r['rows']:,} | {label} | {m['seconds']:.1f} | {m['cpu']:.1f} | "
                f"{m['driver_mb']:.0f} | {m['jvm_mb']:.0f} | {m['tree_mb']:.0f} | {m['load']:.1f} "
                f"| {same} |"
            )
    block = "\n".join(lines) + "\n"
    if args.out is not None:  # a later round's figures: pasted into its own section
        args.out.write_text(block, encoding="utf-8")
        return
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8")
    if section in text:
        start = text.index(section)
        end = text.find("\n## ", start + len(section))
        text = text[:start] + block + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
