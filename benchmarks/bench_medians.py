"""Exact medians on DuckDB, side by side (issue 16, round 6): the sorted-list path (each group's
values in one DuckDB list, `list_sort` + `list_select`, as duckdb_onepass.py built it until
round 8 and duckdb_stats.py `_sorted_lists` still does) against the bracket path (engines/duckdb_medians.py: value brackets narrowed by grouped
counts). One median column by `group` and for the whole, on one of bench_scale.py's Parquet
files loaded into a DuckDB table (the columns used only, as the DuckDB intake's table).

Each measurement runs in a fresh child process, the two paths in turn (A B A B …), under the
same `memory_limit`. Prints, per run: wall and CPU seconds of the medians alone (CPU counts
every DuckDB thread), the child's RSS before the medians and its peak (`ru_maxrss`), and
whether the figures are the same as the other path's (or the error, e.g. DuckDB's
out-of-memory on lists).

    python benchmarks/bench_medians.py /tmp/scale-data/scale_10000000.parquet --rounds 2
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def child(path: str, method: str, column: str, memory_limit: str, spill: str) -> None:
    import duckdb

    sys.path.insert(0, str(SRC))
    from evalsoc.engines.duckdb_medians import order_statistics
    from evalsoc.engines.duckdb_onepass import _ranks

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute(f"SET temp_directory = '{spill}'")
    connection.execute(
        f'CREATE TABLE t AS SELECT "group", "{column}" FROM read_parquet(\'{path}\')'
    )
    _ranks(10)  # scipy imported before the clock starts (both paths need it)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    x = f'CAST("{column}" AS DOUBLE)'
    wall, cpu = time.perf_counter(), time.process_time()
    result: dict[str, object] = {"method": method}
    try:
        if method == "brackets":
            n, picked = order_statistics(
                connection, "t", ["group"], x, "TRUE", {}, lambda s: _ranks(s)[0], whole=True
            )
        else:
            sizes = connection.execute(
                f'SELECT count({x}) FROM t GROUP BY GROUPING SETS (("group"), ()) '
                f'ORDER BY GROUPING("group"), "group" ASC NULLS LAST'
            ).fetchall()
            ranks = [_ranks(int(s))[0] for (s,) in sizes]
            inner = (
                f'SELECT "group", GROUPING("group") AS __set, list_sort(list({x}) FILTER '
                f"(WHERE {x} IS NOT NULL)) AS __l FROM t "
                f'GROUP BY GROUPING SETS (("group"), ())'
            )
            query = (
                "SELECT list_select(__l, $r[__g]) FROM (SELECT *, row_number() OVER "
                f'(ORDER BY __set, "group" ASC NULLS LAST) AS __g FROM ({inner}) l) s ORDER BY __g'
            )
            picked = [row[0] for row in connection.execute(query, {"r": ranks}).fetchall()]
        result["figures"] = [[float(v) for v in p] for p in picked]
    except duckdb.Error as error:
        result["error"] = str(error).splitlines()[0][:160]
    result["wall_s"] = round(time.perf_counter() - wall, 3)
    result["cpu_s"] = round(time.process_time() - cpu, 3)
    result["rss_before_mb"] = before
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="a bench_scale Parquet file")
    parser.add_argument("--column", default="x0")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--temp-directory", default="/tmp/evalsoc-bench-medians-spill")
    parser.add_argument(
        "--paths", nargs="+", default=["lists", "brackets"], choices=["lists", "brackets"]
    )
    parser.add_argument("--child", choices=["lists", "brackets"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.data, args.child, args.column, args.memory_limit, args.temp_directory)
        return
    Path(args.temp_directory).mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict[str, object]]] = {method: [] for method in args.paths}
    for _ in range(args.rounds):
        for method in args.paths:
            command = [sys.executable, __file__, args.data, "--child", method]
            command += ["--column", args.column, "--memory-limit", args.memory_limit]
            command += ["--temp-directory", args.temp_directory]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            found = json.loads(done.stdout.strip().splitlines()[-1])
            runs[method].append(found)
            print(json.dumps({k: v for k, v in found.items() if k != "figures"}), flush=True)
    figures = {m: [r.get("figures") for r in found] for m, found in runs.items()}
    every = [f for found in figures.values() for f in found]
    same = all(f is not None and f == every[0] for f in every)
    print(f"same figures on both paths: {same}")
    print("| path | CPU s (median) | wall s (median) | RSS before MB | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for method, found in runs.items():
        cells = [
            statistics.median(float(r[k]) for r in found)  # type: ignore[arg-type]
            for k in ("cpu_s", "wall_s", "rss_before_mb", "peak_rss_mb")
        ]
        print(f"| {method} | {cells[0]:.2f} | {cells[1]:.2f} | {cells[2]:.0f} | {cells[3]:.0f} |")


if __name__ == "__main__":
    main()
