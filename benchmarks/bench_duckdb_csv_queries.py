"""CPU and wall seconds of each query of the DuckDB intake of one CSV source (issue 16).

`data/duckdb_intake.read_source` runs on a connection whose `execute` and `sql` are timed
(time.process_time: every DuckDB thread; time.perf_counter), imports untimed, nothing written.
The framework names the source (`--source`, default `d`); bench_scale_engines.py writes one
(`scale_1000000_csv_ind_duckdb_engine.yaml` in its `--data-dir`). Run it with each tree's
sources on PYTHONPATH for a before/after:

    PYTHONPATH=src python benchmarks/bench_duckdb_csv_queries.py DATA/fw.yaml
    PYTHONPATH=/tmp/bench10/base/src python benchmarks/bench_duckdb_csv_queries.py DATA/fw.yaml
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any


class TimedConnection:
    """A DuckDB connection whose queries are timed, one (CPU s, wall s, SQL) entry each."""

    def __init__(self, connection: Any) -> None:
        self.connection, self.log = connection, []

    def _timed(self, method: str, sql: str, *args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        found = getattr(self.connection, method)(sql, *args, **kwargs)
        self.log.append(
            (time.process_time() - cpu, time.perf_counter() - wall, " ".join(str(sql).split()))
        )
        return found

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return self._timed("execute", sql, *args, **kwargs)

    def sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return self._timed("sql", sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("framework", help="a framework with engine duckdb and a CSV source")
    parser.add_argument("--source", default="d")
    parser.add_argument("--top", type=int, default=12, help="queries listed (most CPU first)")
    args = parser.parse_args()
    import pandera.pandas  # noqa: F401  (imports not timed, as bench_scale's contenders)

    from evalsoc.data import duckdb_intake
    from evalsoc.engines.duckdb_table import connect
    from evalsoc.framework.load import load_framework

    framework = load_framework(args.framework)
    source = framework.data[args.source]
    timed = TimedConnection(connect(memory_limit="6GB"))
    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    found = duckdb_intake.read_source(timed, 0, args.source, source, framework.base_dir)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if isinstance(found, str):
        raise SystemExit(f"read by the pandas intake: {found}")
    print(f"read_source: CPU {cpu:.2f} s, wall {wall:.2f} s, load {load:.1f}")
    print("| CPU s | wall s | query |\n|---:|---:|---|")
    for query_cpu, query_wall, sql in sorted(timed.log, key=lambda e: -e[0])[: args.top]:
        print(f"| {query_cpu:.2f} | {query_wall:.2f} | `{sql[:90]}…` |")
    rest = sum(e[0] for e in timed.log)
    print(f"| {rest:.2f} | | all {len(timed.log)} queries |")
    print(f"| {cpu - rest:.2f} | | outside the queries (hashing, header, Python) |")


if __name__ == "__main__":
    main()
