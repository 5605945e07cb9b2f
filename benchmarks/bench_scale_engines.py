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
- with `--before SRC`, the DuckDB engine of another tree's sources (SRC on the child's
  PYTHONPATH, e.g. the round's start), interleaved with the others: a before/after in one run.

    python benchmarks/bench_scale_engines.py --sizes 1000000 10000000
    python benchmarks/bench_scale_engines.py --sizes 100000000 --formats parquet \\
        --memory-limit 6GB --only ind --timeout 3600 --data-dir /tmp/scale-data

Data go to `--data-dir` (default benchmarks/data/, ignored by git), only in the formats asked
for; from 10^7 rows they are generated in chunks of 5·10^6 rows by pyarrow
(`bench_scale.make_data_in_chunks`: chunk k seeded by (SEED, n, k), memory one chunk's), below
by `bench_scale.make_data` in one frame. DuckDB spills to `--data-dir`/spill (both contenders).
Writes benchmarks/results_scale_engines.md; benchmarks/results.md, "Round 4 — DuckDB engine",
records the runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
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
    src: str | None = None,
):
    """bench_scale.measure with a time limit: None when the child did not finish in time;
    `src`: the evalsoc sources the child imports (PYTHONPATH), for a before/after."""
    script = scale.RUNNER.format(
        file=str(data),
        fw=str(fw) if fw else None,
        parquet=data.suffix == ".parquet",
        full=full,
        imports=textwrap.dedent(imports),
        code=textwrap.dedent(code),
    )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = None if src is None else {**os.environ, "PYTHONPATH": src}
        child = subprocess.Popen([sys.executable, "-c", script], stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        timer.cancel()
        code_ = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code_ == -9:
            return {"seconds": math.nan, "cpu": math.nan, "peak_mb": usage.ru_maxrss / 1024}
        if code_:
            raise RuntimeError(err.read().decode(errors="replace")[-3000:])
        lines = out.read().decode(errors="replace").splitlines()
        result = json.loads([x for x in lines if x.startswith("BENCH_RESULT ")][-1][13:])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


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
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per child")
    parser.add_argument("--out", type=Path, default=HERE / "results_scale_engines.md")
    parser.add_argument("--no-peer", action="store_true", help="evalsoc only (no SQL peer)")
    parser.add_argument("--data-dir", type=Path, default=scale.DATA, help="data files, spill")
    parser.add_argument(
        "--before",
        help="another tree's src/ (e.g. the round's start): its DuckDB engine timed in the same "
        "run, interleaved, as a third contender",
    )
    args = parser.parse_args()
    spill = args.data_dir / "spill"
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()
    engine = f"{{name: duckdb, memory_limit: {args.memory_limit}, temp_directory: {str(spill)!r}}}"
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
                fw = args.data_dir / f"scale_{n}_{fmt}_{work}_duckdb_engine.yaml"
                fw.write_text(scale.framework_yaml(data, engine, full), encoding="utf-8")
                contenders = {
                    "peer": (scale.DUCKDB_IMPORTS, peer, None),
                    "duckdb": (scale.EVALSOC_IMPORTS, scale.EVALSOC, fw),
                }
                if args.no_peer:
                    del contenders["peer"]
                if args.before:
                    contenders["before"] = (scale.EVALSOC_IMPORTS, scale.EVALSOC, fw)
                if args.pandas:
                    fw_pandas = args.data_dir / f"scale_{n}_{fmt}_{work}_pandas.yaml"
                    fw_pandas.write_text(scale.framework_yaml(data, "pandas", full), "utf-8")
                    contenders["pandas"] = (scale.EVALSOC_IMPORTS, scale.EVALSOC, fw_pandas)
                row = {"rows": n, "format": fmt, "work": work, "load": os.getloadavg()[0]}
                for name, (imports, code, framework) in contenders.items():
                    src = args.before if name == "before" else None
                    found = measure(imports, code, data, framework, full, args.timeout, src)
                    row |= {f"{name}_{k}": v for k, v in found.items() if k != "size_mb"}
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_markdown(args, rows, started, load_start)


def growth(rows: list[dict], fmt: str, work: str, name: str) -> str:
    sub = [r for r in rows if r["format"] == fmt and r["work"] == work]
    sub = [r for r in sub if math.isfinite(r.get(f"{name}_seconds", math.nan))]  # --no-peer
    exponent = scale.growth_exponent([r["rows"] for r in sub], [r[f"{name}_seconds"] for r in sub])
    return "—" if math.isnan(exponent) else f"{exponent:.2f}"


def write_markdown(args, rows: list[dict], started: str, load_start) -> None:
    def cell(r: dict, name: str, key: str, digits: int = 1) -> str:
        if f"{name}_{key}" not in r:  # --no-peer: not run
            return "not run"
        value = r[f"{name}_{key}"]
        return "timed out" if math.isnan(value) else f"{value:,.{digits}f}"

    def ratio(r: dict, key: str, name: str = "duckdb") -> str:
        a, b = r.get(f"{name}_{key}", math.nan), r.get(f"peer_{key}", math.nan)
        return "—" if math.isnan(a) or math.isnan(b) else f"{a / b:.2f}×"

    has_pandas = any("pandas_seconds" in r for r in rows)
    has_before = any("before_seconds" in r for r in rows)
    md = [
        "### DuckDB engine against hand-written DuckDB SQL",
        "",
        f"`python benchmarks/bench_scale_engines.py {' '.join(sys.argv[1:])}`, {started}; "
        f"load average at the start {load_start[0]:.1f} / {load_start[1]:.1f} / "
        f"{load_start[2]:.1f} on 2 shared cores (the load column: at the start of each row). "
        f"DuckDB `memory_limit` {args.memory_limit} for both. Wall and CPU seconds of the work "
        "(imports excluded), each contender in a fresh process; peak = the child's RSS "
        "high-water mark.",
        "",
        "| rows | file | work | load | peer wall (CPU) s | evalsoc duckdb wall (CPU) s "
        "| ratio wall | ratio CPU | peak MB peer · evalsoc |"
        + (" evalsoc pandas wall (CPU) s |" if has_pandas else "")
        + (" before wall (CPU) s | before ratio wall | before ratio CPU |" if has_before else ""),
        "|---:|---|---|---:|---:|---:|---:|---:|---|"
        + ("---:|" if has_pandas else "")
        + ("---:|---:|---:|" if has_before else ""),
    ]
    for r in rows:
        line = (
            f"| {r['rows']:,} | {r['format']} | {r['work']} | {r['load']:.0f} "
            f"| {cell(r, 'peer', 'seconds')} ({cell(r, 'peer', 'cpu')}) "
            f"| {cell(r, 'duckdb', 'seconds')} ({cell(r, 'duckdb', 'cpu')}) "
            f"| {ratio(r, 'seconds')} | {ratio(r, 'cpu')} "
            f"| {cell(r, 'peer', 'peak_mb', 0)} · {cell(r, 'duckdb', 'peak_mb', 0)} |"
        )
        if has_pandas:
            line += f" {cell(r, 'pandas', 'seconds')} ({cell(r, 'pandas', 'cpu')}) |"
        if has_before:
            line += (
                f" {cell(r, 'before', 'seconds')} ({cell(r, 'before', 'cpu')}) "
                f"| {ratio(r, 'seconds', 'before')} | {ratio(r, 'cpu', 'before')} |"
            )
        md.append(line)
    md += ["", "Growth exponent of wall time with rows (1 = linear):", ""]
    md += ["| file | work | peer | evalsoc duckdb |", "|---|---|---:|---:|"]
    for fmt in args.formats:
        for work in args.only:
            md.append(
                f"| {fmt} | {work} | {growth(rows, fmt, work, 'peer')} "
                f"| {growth(rows, fmt, work, 'duckdb')} |"
            )
    args.out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
