"""The DuckDB engine against hand-written DuckDB SQL doing the same work (issue 16).

The data, framework and peer are bench_scale.py's: a seeded 20-column participants file
(persons × 2 waves, 0.1 % invalid rows; CSV `;` and Parquet); **ind** = validation + 30
indicators, **full** = the same + one capability set + one DiD. Contenders, each in a fresh
child process (imports not timed; wall and CPU seconds of the work; peak RSS of the child):

- evalsoc with `engine: {name: duckdb, memory_limit: ...}` (`run_framework(..., write=False)`);
- the peer: bench_scale.py's one DuckDB SQL statement (the same declared-type checks and
  duplicate-key check, then every aggregate by GROUPING SETS), on a connection with the same
  `memory_limit`;
- with `--pandas`, evalsoc on its pandas engine too;
- with `--engines ... spark`, evalsoc on Spark local (`engine: {name: spark, threads,
  memory_limit}`: `--spark-threads`, `--spark-memory` = spark.driver.memory). pyspark's JVM is
  a grandchild of the child: its resident memory and CPU are counted by polling the child's
  process tree in /proc every 0.5 s (`peak` = the tree's, CPU = the child's timed span + the
  JVM's whole life, which begins inside that span).

With `--before SRC`, the DuckDB engine of another tree's sources (SRC on the child's PYTHONPATH,
e.g. the round's start) runs right after this tree's, on the same file: a before/after in one
run (its results.json is compared too).

`--engines` picks the contenders (peer, duckdb, spark, pandas; default peer duckdb). Every
evalsoc contender's results.json is compared with the DuckDB engine's (the first evalsoc
engine's without it) within 1e-9 relative (tests/engines/results_equality.py) and the verdict
printed ("same numbers").

    python benchmarks/bench_scale_engines.py --sizes 1000000 10000000
    python benchmarks/bench_scale_engines.py --sizes 100000000 --formats parquet \\
        --memory-limit 6GB --only ind --timeout 3600 --data-dir /tmp/scale-data
    python benchmarks/bench_scale_engines.py --sizes 1000000 10000000 --formats parquet \\
        --only ind --engines duckdb spark --spark-memory 8GB --data-dir /tmp/scale-data

Data go to `--data-dir` (default benchmarks/data/, ignored by git), only in the formats asked
for; from 10^7 rows they are generated in chunks of 5·10^6 rows by pyarrow
(`bench_scale.make_data_in_chunks`: chunk k seeded by (SEED, n, k), memory one chunk's), below
by `bench_scale.make_data` in one frame. DuckDB spills to `--data-dir`/spill (both contenders).
Writes benchmarks/results_scale_engines.md; benchmarks/results.md, "Round 4 — DuckDB engine",
records the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scale as scale  # noqa: E402


def measure(
    imports: str,
    code: str,
    data: Path,
    fw: Path | None,
    full: bool,
    timeout: float,
    results_out: Path | None = None,
    src: str | None = None,
):
    """bench_scale.measure with a time limit (NaN times when the child did not finish in
    time), the child's descendants counted (pyspark's JVM: peak RSS of the tree, their CPU
    added), and, with `results_out`, the run's results.json written there after the timing;
    `src`: the evalsoc sources the child imports (PYTHONPATH), for a before/after."""
    script = scale.RUNNER.format(
        file=str(data),
        fw=str(fw) if fw else None,
        parquet=data.suffix == ".parquet",
        full=full,
        imports=textwrap.dedent(imports),
        code=textwrap.dedent(code),
        untimed="",
    )
    if results_out is not None:
        script += f"\nopen({str(results_out)!r}, 'w', encoding='utf-8').write(results.to_json())\n"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = None if src is None else {**os.environ, "PYTHONPATH": src}
        child = subprocess.Popen([sys.executable, "-c", script], stdout=out, stderr=err, env=env)
        deadline = time.monotonic() + timeout
        peak_tree = 0
        descendants_cpu: dict[int, float] = {}
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            tree = process_tree(child.pid)
            peak_tree = max(peak_tree, sum(rss for rss, _ in tree.values()))
            descendants_cpu |= {p: cpu for p, (_, cpu) in tree.items() if p != child.pid}
            if time.monotonic() > deadline:
                for p in tree:  # the JVM too: it is ours
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(p, signal.SIGKILL)
            time.sleep(0.5)
        code_ = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = max(peak_tree / 2**20, usage.ru_maxrss / 1024)
        extra = {"jvm_cpu": sum(descendants_cpu.values())} if descendants_cpu else {}
        if code_ == -9:
            return {"seconds": math.nan, "cpu": math.nan, "peak_mb": peak, **extra}
        if code_:
            raise RuntimeError(err.read().decode(errors="replace")[-3000:])
        lines = out.read().decode(errors="replace").splitlines()
        result = json.loads([x for x in lines if x.startswith("BENCH_RESULT ")][-1][13:])
    result["peak_mb"] = peak
    if extra:
        result["cpu"] += extra["jvm_cpu"]  # the JVM starts inside the timed span
        result |= extra
    return result


TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def process_tree(root: int) -> dict[int, tuple[int, float]]:
    """(resident bytes, CPU seconds) of `root` and every descendant, read from /proc."""
    children: dict[int, list[tuple[int, list[str]]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            children.setdefault(int(fields[1]), []).append((int(name), fields))
    out: dict[int, tuple[int, float]] = {}
    todo = [root]
    while todo:
        parent = todo.pop()
        for pid, fields in children.get(parent, []):
            out[pid] = (int(fields[21]) * PAGE, (int(fields[11]) + int(fields[12])) / TICK)
            todo.append(pid)
    with contextlib.suppress(OSError), open(f"/proc/{root}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
        out[root] = (int(fields[21]) * PAGE, (int(fields[11]) + int(fields[12])) / TICK)
    return out


def data_files(n: int, folder: Path, formats: list[str]) -> tuple[Path, Path]:
    """The n-row CSV and Parquet files in `folder`, made if missing (only `formats`)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv, parquet = folder / f"scale_{n}.csv", folder / f"scale_{n}.parquet"
    wanted = [f for f, path in (("csv", csv), ("parquet", parquet)) if f in formats]
    if all((folder / f"scale_{n}.{f}").exists() for f in wanted):
        return csv, parquet
    if n >= 10_000_000:
        part = parquet.with_suffix(".parquet.part")  # complete files only under their name
        scale.make_data_in_chunks(n, csv if "csv" in formats else None, part)
        part.rename(parquet)
    else:
        scale.make_data(n, csv, parquet)
    return csv, parquet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    parser.add_argument("--only", nargs="+", default=["ind", "full"], choices=["ind", "full"])
    parser.add_argument("--memory-limit", default="6GB", help="DuckDB memory_limit (both)")
    parser.add_argument("--pandas", action="store_true", help="evalsoc on pandas as well")
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=["peer", "duckdb", "spark", "pandas"],
        default=["peer", "duckdb"],
        help="contenders, run in this order (peer = the hand-written DuckDB SQL)",
    )
    parser.add_argument("--spark-memory", default="6GB", help="spark.driver.memory (≤ 8GB here)")
    parser.add_argument("--spark-threads", type=int, default=2, help="Spark local[threads]")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per child")
    parser.add_argument("--out", type=Path, default=HERE / "results_scale_engines.md")
    parser.add_argument("--no-peer", action="store_true", help="evalsoc only (no SQL peer)")
    parser.add_argument("--data-dir", type=Path, default=scale.DATA, help="data files, spill")
    parser.add_argument(
        "--before",
        help="another tree's src/ (e.g. the round's start): its DuckDB engine timed in the same "
        "run, right after this tree's",
    )
    args = parser.parse_args()
    wanted = [e for e in args.engines if not (e == "peer" and args.no_peer)]
    if args.pandas and "pandas" not in wanted:
        wanted.append("pandas")
    if args.before and "duckdb" in wanted:
        wanted.insert(wanted.index("duckdb") + 1, "before")
    spill = args.data_dir / "spill"
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()
    engines = {
        "duckdb": f"{{name: duckdb, memory_limit: {args.memory_limit}, "
        f"temp_directory: {str(spill)!r}}}",
        "spark": f"{{name: spark, threads: {args.spark_threads}, memory_limit: "
        f"{args.spark_memory}, temp_directory: {str(spill)!r}}}",
        "pandas": "pandas",
    }
    config = {"memory_limit": args.memory_limit, "temp_directory": str(spill)}
    peer = scale.DUCKDB.replace(
        "con = duckdb.connect()", f"con = duckdb.connect(config={config!r})"
    )
    rows = []
    for n in args.sizes:
        csv, parquet = data_files(n, args.data_dir, args.formats)
        for fmt in args.formats:
            data = csv if fmt == "csv" else parquet
            for work in args.only:
                full = work == "full"
                row = {"rows": n, "format": fmt, "work": work, "load": os.getloadavg()[0]}
                outputs: dict[str, Path] = {}
                for name in wanted:
                    row[f"{name}_load"] = os.getloadavg()[0]
                    if name == "peer":
                        found = measure(scale.DUCKDB_IMPORTS, peer, data, None, full, args.timeout)
                    else:
                        suffix = "duckdb_engine" if name in ("duckdb", "before") else name
                        fw = args.data_dir / f"scale_{n}_{fmt}_{work}_{suffix}.yaml"
                        engine = engines["duckdb" if name == "before" else name]
                        fw.write_text(scale.framework_yaml(data, engine, full), "utf-8")
                        outputs[name] = args.data_dir / f"results_{n}_{fmt}_{work}_{name}.json"
                        outputs[name].unlink(missing_ok=True)  # the benchmark's own file
                        found = measure(
                            scale.EVALSOC_IMPORTS,
                            scale.EVALSOC,
                            data,
                            fw,
                            full,
                            args.timeout,
                            results_out=outputs[name],
                            src=args.before if name == "before" else None,
                        )
                    row |= {f"{name}_{k}": v for k, v in found.items() if k != "size_mb"}
                    print(json.dumps({"rows": n, "format": fmt, name: found}), flush=True)
                row |= same_numbers(outputs)
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_markdown(args, wanted, rows, started, load_start)


def same_numbers(outputs: dict[str, Path]) -> dict[str, str]:
    """Each evalsoc engine's results.json against the DuckDB engine's (else the first's):
    "yes", or the first difference beyond 1e-9 relative; "not run" without its file."""
    sys.path.insert(0, str(HERE.parent))
    from tests.engines.results_equality import differences

    done = {name: path for name, path in outputs.items() if path.exists()}
    if not done:
        return {}
    reference = "duckdb" if "duckdb" in done else next(iter(done))
    first = _results(done[reference])
    out = {"reference": reference}
    for name in outputs:
        if name not in done:
            out[f"{name}_same"] = "not run"
            continue
        found = differences(first, _results(done[name]))
        out[f"{name}_same"] = "yes" if not found else f"no ({len(found)}: {found[0]})"
        print(f"same numbers, {name} against {reference}: {out[f'{name}_same']}", flush=True)
    return out


def _results(path: Path) -> dict:
    """A results.json without its framework's digest: the frameworks compared differ only by
    their `engine:` line."""
    results = json.loads(path.read_text(encoding="utf-8"))
    results.get("provenance", {}).pop("framework_sha256", None)
    return results


def growth(rows: list[dict], fmt: str, work: str, name: str) -> str:
    """The exponent of wall time with rows, and of CPU time (the figure to read on a loaded
    machine, where wall times depend on the others' work)."""
    sub = [r for r in rows if r["format"] == fmt and r["work"] == work]
    sub = [r for r in sub if math.isfinite(r.get(f"{name}_seconds", math.nan))]  # not run
    sizes = [r["rows"] for r in sub]
    wall = scale.growth_exponent(sizes, [r[f"{name}_seconds"] for r in sub])
    cpus = [r.get(f"{name}_cpu", math.nan) for r in sub]
    cpu = scale.growth_exponent(sizes, cpus) if all(map(math.isfinite, cpus)) else math.nan
    if math.isnan(wall):
        return "—"
    return f"{wall:.2f}" + ("" if math.isnan(cpu) else f" ({cpu:.2f})")


LABELS = {
    "peer": "peer (DuckDB SQL)",
    "duckdb": "evalsoc duckdb",
    "before": "evalsoc duckdb, --before tree",
    "spark": "evalsoc spark",
    "pandas": "evalsoc pandas",
}


def write_markdown(args, wanted: list[str], rows: list[dict], started: str, load_start) -> None:
    """One line per (rows, file, work, contender): times, ratios to the peer and to the DuckDB
    engine, peak memory, same numbers; then the growth exponents."""

    def cell(r: dict, name: str, key: str, digits: int = 1) -> str:
        if f"{name}_{key}" not in r:
            return "not run"
        value = r[f"{name}_{key}"]
        return "timed out" if math.isnan(value) else f"{value:,.{digits}f}"

    def ratio(r: dict, name: str, to: str) -> str:
        a, b = r.get(f"{name}_seconds", math.nan), r.get(f"{to}_seconds", math.nan)
        c, d = r.get(f"{name}_cpu", math.nan), r.get(f"{to}_cpu", math.nan)
        if name == to or any(math.isnan(v) for v in (a, b)):
            return "—"
        return f"{a / b:.2f}× ({c / d:.2f}×)"

    md = [
        "### evalsoc's engines against hand-written DuckDB SQL",
        "",
        f"`python benchmarks/bench_scale_engines.py {' '.join(sys.argv[1:])}`, {started}; "
        f"load average at the start {load_start[0]:.1f} / {load_start[1]:.1f} / "
        f"{load_start[2]:.1f} on 2 shared cores (the load column: at each contender's start). "
        f"DuckDB `memory_limit` {args.memory_limit} (peer and engine); Spark "
        f"`local[{args.spark_threads}]`, driver memory {args.spark_memory}. Wall and CPU "
        "seconds of the work (imports excluded; Spark's JVM start and its whole CPU included), "
        "each contender in a fresh process; peak = resident memory of the child's process tree "
        "(the JVM's included), polled every 0.5 s, or the child's own high-water mark if "
        "higher. Same numbers: results.json against the DuckDB engine's within 1e-9 relative.",
        "",
        "| rows | file | work | contender | load | wall (CPU) s | / peer wall (CPU) "
        "| / evalsoc duckdb wall (CPU) | peak MB | same numbers |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        for name in wanted:
            md.append(
                f"| {r['rows']:,} | {r['format']} | {r['work']} | {LABELS[name]} "
                f"| {r.get(f'{name}_load', r['load']):.0f} "
                f"| {cell(r, name, 'seconds')} ({cell(r, name, 'cpu')}) "
                f"| {ratio(r, name, 'peer')} | {ratio(r, name, 'duckdb')} "
                f"| {cell(r, name, 'peak_mb', 0)} | {r.get(f'{name}_same', '—')} |"
            )
    md += ["", "Growth exponent of wall (CPU) time with rows (1 = linear):", ""]
    md += [
        "| file | work | " + " | ".join(LABELS[n] for n in wanted) + " |",
        "|---|---|" + "---:|" * len(wanted),
    ]
    for fmt in args.formats:
        for work in args.only:
            md.append(
                f"| {fmt} | {work} | "
                + " | ".join(growth(rows, fmt, work, n) for n in wanted)
                + " |"
            )
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
